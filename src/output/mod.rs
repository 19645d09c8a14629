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
    stage_atomic_with(path, write)?.commit()
}

/// A file written beside its destination, not yet in its place.
pub struct Staged<'p> {
    path: &'p Path,
    /// None when the destination was written in place.
    file: Option<tempfile::NamedTempFile>,
}

impl Staged<'_> {
    /// Makes the file durable and renames it over its destination. The
    /// wait for the disk can overlap other work: this may run on another
    /// thread.
    pub fn commit(self) -> Result<()> {
        let Some(file) = self.file else {
            return Ok(());
        };
        let fail = write_error(self.path);
        file.as_file().sync_all().map_err(&fail)?;
        file.persist(self.path).map_err(|e| fail(e.error))?;
        Ok(())
    }
}

/// [`write_atomic_with`] up to the moment the file goes in its place, which
/// is [`Staged::commit`].
pub fn stage_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<Staged<'_>> {
    let fail = write_error(path);
    let special = std::fs::symlink_metadata(path)
        .is_ok_and(|m| m.file_type().is_symlink() || !(m.is_file() || m.is_dir()));
    if special {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)
            .map_err(&fail)?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out).map_err(&fail)?;
        out.flush().map_err(&fail)?;
        return Ok(Staged { path, file: None });
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file = tempfile::Builder::new()
        .prefix(".selaras-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(&fail)?;
    let mut out = std::io::BufWriter::new(file);
    write(&mut out).map_err(&fail)?;
    let file = out.into_inner().map_err(|e| fail(e.into_error()))?;
    Ok(Staged {
        path,
        file: Some(file),
    })
}

/// The one-line error for a file that could not be written, with the fix.
fn write_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e: std::io::Error| {
        let fix = match e.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                "free some space and run again"
            }
            _ => "check that the output directory exists and is writable (--out)",
        };
        Error::input(format!("{}: cannot write: {e}; {fix}", path.display()))
    }
}
