//! The persistent translation cache (SPEC §2): an SQLite file keyed by the
//! request's scope (provider, endpoint, languages, options) and the exact
//! source text. Every batch's translations are committed the moment they
//! arrive, so a run killed at any point and started again pays only for
//! what had not been answered. Several runs may share one file at once
//! (write-ahead log, waiting on locks rather than failing).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};

pub struct Cache {
    path: PathBuf,
    conn: Mutex<Connection>,
}

fn prepare(conn: &Connection) -> rusqlite::Result<()> {
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        conn.pragma_update(None, "journal_mode", "WAL")?;
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Without row ids, a row lives in its key's tree: no second index
    // repeating every source text, a file about a quarter smaller, and one
    // tree to read per lookup. A file made before keeps its layout; the
    // statements are the same for both.
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS translations (
             scope TEXT NOT NULL,
             source TEXT NOT NULL,
             translation TEXT NOT NULL,
             created INTEGER NOT NULL DEFAULT (unixepoch()),
             PRIMARY KEY (scope, source)
         ) WITHOUT ROWID",
    )
}

fn busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache").field("path", &self.path).finish()
    }
}

impl Cache {
    /// Opens (creating if needed) the cache file at `path`.
    pub fn open(path: &Path) -> Result<Cache> {
        let fail = |e: &dyn std::fmt::Display| {
            Error::input(format!(
                "{}: cannot open the translation cache: {e}; give another --cache FILE or --no-cache",
                path.display()
            ))
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        }
        let conn = Connection::open(path).map_err(|e| fail(&e))?;
        conn.busy_timeout(Duration::from_secs(30))
            .map_err(|e| fail(&e))?;
        // Switching to WAL and creating the table take locks that the busy
        // handler does not always wait for: another run opening the same
        // new file at the same moment gets "locked", so try again.
        let started = Instant::now();
        loop {
            match prepare(&conn) {
                Ok(()) => break,
                Err(e) if busy(&e) && started.elapsed() < Duration::from_secs(30) => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(fail(&e)),
            }
        }
        Ok(Cache {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    /// The default cache file, in the user's cache directory.
    pub fn default_path() -> Option<PathBuf> {
        dirs::cache_dir().map(|d| d.join("selaras").join("translations.sqlite3"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The cached translation of `source` in `scope`, if any.
    pub fn get(&self, scope: &str, source: &str) -> Result<Option<String>> {
        Ok(self.get_many(scope, &[source])?.remove(0))
    }

    /// The cached translations of `sources` in `scope`, in one read
    /// transaction with one prepared statement: a warm run of a thousand
    /// paragraphs is then a thousand index lookups, not a thousand
    /// statements each taking and dropping the file's locks.
    pub fn get_many(&self, scope: &str, sources: &[&str]) -> Result<Vec<Option<String>>> {
        let mut conn = self.conn.lock().expect("cache lock");
        let tx = conn.transaction().map_err(|e| self.error(&e))?;
        let found = {
            let mut select = tx
                .prepare_cached(
                    "SELECT translation FROM translations WHERE scope = ?1 AND source = ?2",
                )
                .map_err(|e| self.error(&e))?;
            sources
                .iter()
                .map(|source| {
                    select
                        .query_row(params![scope, source], |row| row.get(0))
                        .optional()
                        .map_err(|e| self.error(&e))
                })
                .collect::<Result<Vec<_>>>()?
        };
        tx.commit().map_err(|e| self.error(&e))?;
        Ok(found)
    }

    /// Stores a batch of translations in one transaction.
    pub fn put(&self, scope: &str, pairs: &[(&str, &str)]) -> Result<()> {
        let mut conn = self.conn.lock().expect("cache lock");
        let tx = conn.transaction().map_err(|e| self.error(&e))?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO translations (scope, source, translation) VALUES (?1, ?2, ?3)",
                )
                .map_err(|e| self.error(&e))?;
            for (source, translation) in pairs {
                insert
                    .execute(params![scope, source, translation])
                    .map_err(|e| self.error(&e))?;
            }
        }
        tx.commit().map_err(|e| self.error(&e))
    }

    fn error(&self, e: &rusqlite::Error) -> Error {
        Error::input(format!(
            "{}: translation cache error: {e}; give another --cache FILE or --no-cache",
            self.path.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_finds_by_scope_and_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/cache.sqlite3");
        let cache = Cache::open(&path).unwrap();
        cache
            .put("a", &[("Satu.", "One."), ("Dua.", "Two.")])
            .unwrap();
        assert_eq!(cache.get("a", "Satu.").unwrap().as_deref(), Some("One."));
        assert_eq!(cache.get("b", "Satu.").unwrap(), None);
        assert_eq!(cache.get("a", "Satu").unwrap(), None);
        drop(cache);
        // Still there for the next run.
        let again = Cache::open(&path).unwrap();
        assert_eq!(again.get("a", "Dua.").unwrap().as_deref(), Some("Two."));
    }

    #[test]
    fn two_handles_share_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite3");
        let (a, b) = (Cache::open(&path).unwrap(), Cache::open(&path).unwrap());
        a.put("s", &[("x", "1")]).unwrap();
        b.put("s", &[("y", "2")]).unwrap();
        assert_eq!(a.get("s", "y").unwrap().as_deref(), Some("2"));
        assert_eq!(b.get("s", "x").unwrap().as_deref(), Some("1"));
    }
}
