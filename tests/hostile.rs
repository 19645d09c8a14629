//! A hostile or broken service: answers too large, nested without end, not
//! UTF-8, or HTML are bounded and reported in one line, exit 3; nothing is
//! cached and no output is left.

mod common;

use std::path::Path;

use common::{serve_libretranslate, translate_via};
use wiremock::ResponseTemplate;

/// Answers every request with the same response.
struct Always(ResponseTemplate);

impl wiremock::Respond for Always {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        self.0.clone()
    }
}

fn article(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("kecil.id.txt");
    std::fs::write(&file, "Banjir merendam 1.200 rumah.\n").unwrap();
    file
}

/// Runs one translation against a server giving `answer`; returns stderr.
async fn against(answer: ResponseTemplate) -> String {
    let server = serve_libretranslate(Always(answer)).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let cache = dir.path().join("cache.sqlite3");
    let assert = translate_via(&server.uri())
        .arg(article(dir.path()))
        .arg("--out")
        .arg(&out)
        .arg("--cache")
        .arg(&cache)
        .args(["--retries", "0", "--timeout", "10"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Nothing of the run is kept as a translation or written as output.
    let written: Vec<_> = std::fs::read_dir(&out)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{written:?}");
    if cache.exists() {
        let conn = rusqlite::Connection::open(&cache).unwrap();
        let kept: i64 = conn
            .query_row("SELECT count(*) FROM translations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 0, "a broken answer was cached");
    }
    stderr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_answer_is_cut_off() {
    let huge = format!("{{\"translatedText\": [\"{}\"]}}", "x".repeat(40 << 20));
    let stderr = against(ResponseTemplate::new(200).set_body_string(huge)).await;
    assert!(stderr.contains("larger than 32 MB"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deeply_nested_json_is_refused_without_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let stderr = against(ResponseTemplate::new(200).set_body_string(deep)).await;
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_that_is_not_utf8_is_refused() {
    let mut body = b"{\"translatedText\": [\"Floods ".to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    body.extend_from_slice(b"\"]}");
    let stderr = against(
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/json")
            .set_body_bytes(body),
    )
    .await;
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_html_page_instead_of_json_is_reported_briefly() {
    let page = format!(
        "<!DOCTYPE html><html><head><title>Login</title></head><body>{}</body></html>",
        "<p>Please sign in to continue.</p>".repeat(2000)
    );
    let stderr = against(
        ResponseTemplate::new(200)
            .insert_header("content-type", "text/html")
            .set_body_string(page),
    )
    .await;
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    // The page is quoted at most briefly, not dumped.
    assert!(stderr.len() < 1000, "{} bytes: {stderr}", stderr.len());
}
