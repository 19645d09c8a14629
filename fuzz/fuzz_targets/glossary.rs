//! The glossary loaders (CSV, TSV, DeepL CSV, TBX) on any bytes: an entry
//! list or an error naming the place, never a panic. The first byte picks
//! the format by the file name's extension.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|bytes: &[u8]| {
    let Some((&pick, rest)) = bytes.split_first() else {
        return;
    };
    let name = ["g.csv", "g.tsv", "g.tbx", "g.txt"][usize::from(pick) % 4];
    if let Err(e) = selaras::check::glossary::parse(rest, Path::new(name)) {
        assert!(e.to_string().contains(name), "{e}");
    }
});
