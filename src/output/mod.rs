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
pub use self::csv::{CSV_HEADER, guard, read as read_csv, to_csv, unguard, write_csv};
pub use self::json::to_json;
pub use self::report::{candidates_csv, summary as report_summary, to_json as report_json};
pub use self::text::to_text;
pub use self::tmx::to_tmx;
pub use self::xlsx::to_xlsx;

/// Writes `bytes` to `path` atomically.
///
/// A path that is a symbolic link or something other than a regular file (a
/// device such as `/dev/stdout` or `/dev/full`, a pipe) is written in place:
/// renaming a temporary file over it would replace the link or the device
/// with a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |out| out.write_all(bytes))
}

/// [`write_atomic`], the content written by `write` as it is made.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let shown = path.display();
    let fail = |e: std::io::Error| {
        let fix = match e.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                "free some space and run again"
            }
            _ => "check that the output directory exists and is writable (--out)",
        };
        Error::input(format!("{shown}: cannot write: {e}; {fix}"))
    };
    let special = std::fs::symlink_metadata(path)
        .is_ok_and(|m| m.file_type().is_symlink() || !(m.is_file() || m.is_dir()));
    if special {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)
            .map_err(fail)?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out).map_err(fail)?;
        return out.flush().map_err(fail);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file = tempfile::Builder::new()
        .prefix(".selaras-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    let mut out = std::io::BufWriter::new(file);
    write(&mut out).map_err(fail)?;
    let file = out.into_inner().map_err(|e| fail(e.into_error()))?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
