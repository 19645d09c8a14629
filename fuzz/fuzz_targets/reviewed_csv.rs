//! The reviewed-CSV reader of `check` and `apply` on any bytes: rows or an
//! error naming the file, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|bytes: &[u8]| {
    if let Err(e) = selaras::output::read_csv(bytes, Path::new("r.csv")) {
        assert!(e.to_string().contains("r.csv"), "{e}");
    }
});
