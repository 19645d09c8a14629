#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each):
#   fuzz/run.sh [SECONDS] [TARGET...]
# Needs a nightly toolchain and cargo-fuzz (installed here if missing).
# A crash stops the run and leaves its input in fuzz/artifacts/TARGET/;
# fix it and keep the input as a regression test.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(segment glossary reviewed_csv provider_answer)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    seeds="seeds/$target"
    echo "fuzz: $target for ${seconds}s"
    cargo +nightly fuzz run "$target" "corpus/$target" $( [ -d "$seeds" ] && echo "$seeds" ) \
        -- -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10
done
