//! Bad input and bad usage: one clear line naming the file and the fix,
//! exit code 2, never a panic, and nothing sent or written.

mod common;

use common::{selaras, translate_via};
use predicates::prelude::*;

/// An endpoint nobody listens on: these runs must stop before any request.
const NOWHERE: &str = "http://127.0.0.1:9";

fn translate(file: &std::path::Path, out: &std::path::Path) -> assert_cmd::assert::Assert {
    translate_via(NOWHERE)
        .arg(file)
        .arg("--out")
        .arg(out)
        .assert()
}

fn one_line_error(assert: assert_cmd::assert::Assert, needles: &[&str]) {
    let assert = assert.code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for n in needles {
        assert!(stderr.contains(n), "missing {n:?} in {stderr}");
    }
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tidak-ada.txt");
    one_line_error(
        translate(&file, &dir.path().join("out")),
        &["tidak-ada.txt", "no such file"],
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn directory() {
    let dir = tempfile::tempdir().unwrap();
    one_line_error(
        translate(dir.path(), &dir.path().join("out")),
        &["is a directory"],
    );
}

#[test]
fn empty_and_whitespace_only() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [("kosong.txt", ""), ("spasi.txt", " \n\t\r\n\n   \n")] {
        let file = dir.path().join(name);
        std::fs::write(&file, content).unwrap();
        one_line_error(
            translate(&file, &dir.path().join("out")),
            &[name, "empty or only whitespace"],
        );
    }
}

#[test]
fn not_utf8_names_the_byte_offset() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("latin1.txt");
    std::fs::write(&file, b"Judul\n\nKota Bogor \xE9 indah.\n").unwrap();
    one_line_error(
        translate(&file, &dir.path().join("out")),
        &["latin1.txt", "line 3", "byte offset 18", "UTF-8"],
    );
}

#[test]
fn segment_reports_bad_input_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("biner.txt");
    std::fs::write(&file, b"ab\0cd").unwrap();
    one_line_error(
        selaras()
            .args(["segment", "--lang", "id"])
            .arg(&file)
            .assert(),
        &["biner.txt", "NUL"],
    );
}

fn article(dir: &std::path::Path) -> std::path::PathBuf {
    let file = dir.join("a.txt");
    std::fs::write(&file, "Satu paragraf.\n").unwrap();
    file
}

#[test]
fn endpoint_is_required_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = article(dir.path());
    one_line_error(
        selaras()
            .arg("translate")
            .arg(&file)
            .args(["--provider", "libretranslate"])
            .assert(),
        &["--endpoint"],
    );
    one_line_error(
        translate_via("ftp://example.org").arg(&file).assert(),
        &["http://"],
    );
}

#[test]
fn unset_key_variable() {
    let dir = tempfile::tempdir().unwrap();
    let file = article(dir.path());
    one_line_error(
        translate_via(NOWHERE)
            .env_remove("SELARAS_NO_SUCH_KEY")
            .arg(&file)
            .args(["--api-key-env", "SELARAS_NO_SUCH_KEY"])
            .assert(),
        &["SELARAS_NO_SUCH_KEY", "not set"],
    );
}

#[test]
fn two_inputs_with_one_output_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = article(dir.path());
    std::fs::create_dir(dir.path().join("lain")).unwrap();
    let other = article(&dir.path().join("lain"));
    one_line_error(
        translate_via(NOWHERE).arg(&file).arg(&other).assert(),
        &["would both write", "a.csv"],
    );
}

#[test]
fn unknown_provider_is_a_usage_error() {
    selaras()
        .args(["translate", "a.txt", "--provider", "babelfish"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("babelfish"));
}

#[test]
fn plain_http_to_another_host_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = article(dir.path());
    one_line_error(
        translate_via("http://translate.example.org")
            .arg(&file)
            .assert(),
        &["refusing plain http://", "allow_insecure_http"],
    );
}

#[test]
fn config_file_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = article(dir.path());
    let config = dir.path().join("selaras.toml");
    std::fs::write(
        &config,
        "provider = \"libretranslate\"\ntimeout = \"lama\"\n",
    )
    .unwrap();
    one_line_error(
        selaras()
            .arg("translate")
            .arg(&file)
            .arg("--config")
            .arg(&config)
            .assert(),
        &["selaras.toml", "line 2"],
    );
    one_line_error(
        selaras()
            .arg("translate")
            .arg(&file)
            .arg("--config")
            .arg(dir.path().join("missing.toml"))
            .assert(),
        &["missing.toml", "cannot read"],
    );
}
