use clap::{Parser, Subcommand};

use selaras::cmd;

/// Translate Indonesian news through a public MT API, align it sentence by
/// sentence, and write a parallel CSV for review.
#[derive(Debug, Parser)]
#[command(name = "selaras", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Translate articles and write the aligned CSV and the English text.
    Translate(Box<cmd::translate::TranslateArgs>),
    /// Split a text into sentences, one per line.
    Segment(cmd::segment::SegmentArgs),
    /// Align an existing translation with its source (no service).
    Align(Box<cmd::align::AlignArgs>),
    /// Rebuild the English text from a reviewed CSV.
    Apply(cmd::apply::ApplyArgs),
    /// Check parallel CSVs again (names, numbers, empty cells); exit 1 on findings.
    Check(Box<cmd::check::CheckArgs>),
    /// List the translation providers and the settings in effect.
    Providers(Box<cmd::providers::ProvidersArgs>),
}

fn main() {
    let cli = Cli::parse();
    if let Command::Align(_) = cli.command {
        keep_freed_memory();
    }
    let result = match &cli.command {
        Command::Translate(args) => cmd::translate::run(args).map(|finished| {
            if args.strict && finished.review > 0 {
                std::process::exit(1);
            }
        }),
        Command::Segment(args) => cmd::segment::run(args),
        Command::Providers(args) => cmd::providers::run(args),
        Command::Apply(args) => cmd::apply::run(args),
        // The process ends here, and the system takes its memory back at
        // once: freeing an archive's rows block by block first would only
        // cost time.
        Command::Align(args) => cmd::align::run(args).map(std::mem::forget),
        Command::Check(args) => cmd::check::run(args).map(|outcome| {
            if outcome.findings > 0 {
                std::process::exit(1);
            }
        }),
    };
    if let Err(e) = result {
        eprintln!("selaras: error: {e}");
        std::process::exit(e.exit_code());
    }
}

/// glibc's allocator maps each block over 128 KiB afresh and unmaps it when
/// freed, and the next such block faults in page by page. Aligning an
/// archive makes dozens of such blocks in turn (a side's keys, the dynamic
/// program's cells, the rows). Freeing one mapped block of 24 MiB raises
/// that limit to its size, as mallopt(3) documents, so that blocks up to
/// it come from the heap and are reused once freed: a third fewer page
/// faults. The block itself is never touched. Only for `align`: the
/// threads of `translate` each keep such a heap, and its peak grows by a
/// fifth.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_memory() {
    drop(std::hint::black_box(Vec::<u8>::with_capacity(24 << 20)));
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory() {}
