//! Writing results (SPEC §1, §4). Every file is written to a temporary file
//! beside its destination and renamed over it, so a crash or a full disk
//! never leaves a half-written output and an older file stays intact.

mod csv;
mod json;
mod report;
mod text;
mod tmx;
mod xlsx;

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

pub(crate) use self::csv::quote_problem;
pub use self::csv::{CSV_HEADER, guard, read as read_csv, to_csv, unguard};
pub use self::json::to_json;
pub use self::report::{candidates_csv, summary as report_summary, to_json as report_json};
pub use self::text::to_text;
pub use self::tmx::to_tmx;
pub use self::xlsx::to_xlsx;

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    let fail = |e: std::io::Error| {
        Error::input(format!(
            "{shown}: cannot write: {e}; check that the output directory is writable (--out)"
        ))
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".selaras-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    file.write_all(bytes).map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
