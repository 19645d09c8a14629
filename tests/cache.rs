//! The translation cache end to end: a re-run pays for nothing, a run
//! killed or interrupted halfway resumes without sending an answered
//! paragraph again, and runs sharing one cache file at once both succeed.

mod common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use common::{LibreTranslate, selaras, serve_libretranslate, translate_via};

/// An article of `n` long paragraphs (two per LibreTranslate request) and
/// its "translation".
fn article(n: usize) -> (String, String) {
    let id: Vec<String> = (1..=n)
        .map(|k| {
            format!(
                "Paragraf {k}. {}",
                "Hujan deras mengguyur kota sejak pagi hari. ".repeat(45)
            )
        })
        .collect();
    let en: Vec<String> = (1..=n)
        .map(|k| {
            format!(
                "Paragraph {k}. {}",
                "Heavy rain has fallen on the city since the morning. ".repeat(45)
            )
        })
        .collect();
    (id.join("\n\n"), en.join("\n\n"))
}

fn write_input(dir: &Path, text: &str) -> PathBuf {
    let file = dir.join("artikel.txt");
    std::fs::write(&file, text).unwrap();
    file
}

/// The arguments of a `translate` run of `file` through the LibreTranslate
/// server at `uri`, one request at a time, with the cache file `cache`.
fn translate_args(file: &Path, uri: &str, cache: &Path, out: &Path) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec!["translate".into(), file.into()];
    args.extend(
        [
            "--provider",
            "libretranslate",
            "--endpoint",
            uri,
            "--concurrency",
            "1",
            "--cache",
        ]
        .map(OsString::from),
    );
    args.extend([cache.into(), "--out".into(), out.into()]);
    args
}

fn translate(file: &Path, uri: &str, cache: &Path, out: &Path) -> assert_cmd::assert::Assert {
    selaras()
        .args(translate_args(file, uri, cache, out))
        .assert()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rerun_is_free_and_identical() {
    let (id, en) = article(6);
    let double = LibreTranslate::new(&id, &en);
    let server = serve_libretranslate(double.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_input(dir.path(), &id);
    let cache = dir.path().join("cache.sqlite3");
    translate(&file, &server.uri(), &cache, &dir.path().join("a"))
        .success()
        .stderr(predicates::str::contains("3 requests, 0 cache hits"));
    translate(&file, &server.uri(), &cache, &dir.path().join("b"))
        .success()
        .stderr(predicates::str::contains(
            "0 requests, 6 cache hits, 0 characters billed",
        ));
    assert_eq!(double.seen.lock().unwrap().len(), 3);
    let read = |d: &str| std::fs::read(dir.path().join(d).join("artikel.csv")).unwrap();
    assert_eq!(read("a"), read("b"));

    // --no-cache sends everything again.
    translate_via(&server.uri())
        .arg(&file)
        .args(["--no-cache", "--out"])
        .arg(dir.path().join("c"))
        .assert()
        .success();
    assert_eq!(double.seen.lock().unwrap().len(), 6);
}

/// A cache file made before its table lost its row ids (a plain table
/// with a separate key index) is read and written as it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cache_in_the_earlier_layout_still_serves() {
    let (id, en) = article(4);
    let double = LibreTranslate::new(&id, &en);
    let server = serve_libretranslate(double.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_input(dir.path(), &id);
    let cache = dir.path().join("cache.sqlite3");
    rusqlite::Connection::open(&cache)
        .unwrap()
        .execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE translations (
                 scope TEXT NOT NULL,
                 source TEXT NOT NULL,
                 translation TEXT NOT NULL,
                 created INTEGER NOT NULL DEFAULT (unixepoch()),
                 PRIMARY KEY (scope, source)
             );",
        )
        .unwrap();
    translate(&file, &server.uri(), &cache, &dir.path().join("a"))
        .success()
        .stderr(predicates::str::contains("2 requests, 0 cache hits"));
    translate(&file, &server.uri(), &cache, &dir.path().join("b"))
        .success()
        .stderr(predicates::str::contains("0 requests, 4 cache hits"));
    let rows: i64 = rusqlite::Connection::open(&cache)
        .unwrap()
        .query_row("SELECT count(*) FROM translations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 4);
}

/// Starts a run against a slow server and stops it with `signal` once
/// `answered` requests have been answered. Returns the process's output.
async fn run_until(
    double: &LibreTranslate,
    uri: &str,
    file: &Path,
    cache: &Path,
    out: &Path,
    answered: usize,
    signal: &str,
) -> std::process::Output {
    let child = Process::new(assert_cmd::cargo::cargo_bin("selaras"))
        .args(translate_args(file, uri, cache, out))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    // With one request in flight at a time, the k-th arrival means k-1 answers.
    while double.seen.lock().unwrap().len() < answered + 1 {
        assert!(Instant::now() < deadline, "the run made no progress");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Let the last answer reach the cache before the signal.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sent = Instant::now();
    Process::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    let output = child.wait_with_output().unwrap();
    // A request is in flight (the double holds answers 400 ms): the run
    // stops without waiting for it.
    assert!(
        sent.elapsed() < Duration::from_secs(1),
        "stopped {:?} after {signal}",
        sent.elapsed()
    );
    output
}

async fn resumes_after(signal: &str) -> std::process::Output {
    let (id, en) = article(12);
    let mut double = LibreTranslate::new(&id, &en);
    double.delay = Duration::from_millis(400);
    let server = serve_libretranslate(double.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_input(dir.path(), &id);
    let cache = dir.path().join("cache.sqlite3");

    let output = run_until(
        &double,
        &server.uri(),
        &file,
        &cache,
        &dir.path().join("a"),
        2,
        signal,
    )
    .await;
    assert!(
        !dir.path().join("a/artikel.csv").exists(),
        "no output from a stopped run"
    );
    for file in common::files_under(dir.path()) {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        assert!(!name.ends_with(".tmp"), "a temporary file is left: {name}");
    }
    let first: Vec<Vec<String>> = double.seen.lock().unwrap().clone();
    // Everything but the request in flight when the run stopped was answered.
    let answered: Vec<String> = first[..first.len() - 1].iter().flatten().cloned().collect();
    assert_eq!(answered.len(), 4);

    translate(&file, &server.uri(), &cache, &dir.path().join("a")).success();
    let second: Vec<String> = double.seen.lock().unwrap()[first.len()..]
        .iter()
        .flatten()
        .cloned()
        .collect();
    for text in &second {
        assert!(
            !answered.contains(text),
            "an answered paragraph was sent again"
        );
    }
    assert_eq!(answered.len() + second.len(), 12);

    // The result is the same as a clean run's.
    let clean = serve_libretranslate(LibreTranslate::new(&id, &en)).await;
    translate_via(&clean.uri())
        .arg(&file)
        .args(["--no-cache", "--out"])
        .arg(dir.path().join("clean"))
        .assert()
        .success();
    let read = |d: &str| std::fs::read(dir.path().join(d).join("artikel.csv")).unwrap();
    assert_eq!(read("a"), read("clean"));
    output
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_run_resumes_without_paying_twice() {
    let output = resumes_after("-KILL").await;
    assert_eq!(output.status.code(), None, "killed by the signal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupted_run_says_how_to_resume() {
    let output = resumes_after("-INT").await;
    assert_eq!(output.status.code(), Some(130));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("run the same command again to resume"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminated_run_exits_143() {
    let output = resumes_after("-TERM").await;
    assert_eq!(output.status.code(), Some(143));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runs_share_one_cache_file() {
    let (id, en) = article(10);
    let mut double = LibreTranslate::new(&id, &en);
    double.delay = Duration::from_millis(50);
    let server = serve_libretranslate(double).await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_input(dir.path(), &id);
    let cache = dir.path().join("shared.sqlite3");
    let start = |out: &str| {
        Process::new(assert_cmd::cargo::cargo_bin("selaras"))
            .arg("translate")
            .arg(&file)
            .args([
                "--provider",
                "libretranslate",
                "--endpoint",
                &server.uri(),
                "--cache",
            ])
            .arg(&cache)
            .arg("--out")
            .arg(dir.path().join(out))
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (start("a"), start("b"));
    for child in [a, b] {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let read = |d: &str| std::fs::read(dir.path().join(d).join("artikel.csv")).unwrap();
    assert_eq!(read("a"), read("b"));
}
