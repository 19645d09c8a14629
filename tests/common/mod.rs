//! Shared helpers for the end-to-end tests: a faithful LibreTranslate test
//! double, fixture readers, a CSV reader, and the plumbing the provider
//! tests share (a mounted test double, settings pointing at it, a run
//! through the library).
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::ProgressBar;
use selaras::translate::{self, Options, Settings, Stats};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The columns of every CSV `translate` writes, in order.
pub const CSV_HEADER: [&str; 9] = [
    "id",
    "paragraph",
    "link",
    "score",
    "source",
    "target",
    "issues",
    "status",
    "note",
];

pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Paragraphs as SPEC §1 defines them, read independently of the crate:
/// blank lines separate, single newlines are soft wraps.
pub fn paragraphs(text: &str) -> Vec<String> {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line.trim());
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// A LibreTranslate server that knows one article and its translation.
///
/// It speaks the documented protocol: `POST /translate` with a JSON body
/// `{q, source, target, format, api_key?}`, `q` a string or a list, and
/// answers `{"translatedText": ...}` in the same shape; a bad request gets
/// `400 {"error": ...}` and a wrong key `403 {"error": "Invalid API key"}`.
#[derive(Clone)]
pub struct LibreTranslate {
    table: Arc<HashMap<String, String>>,
    key: Option<String>,
    /// Every `q` list received, in arrival order.
    pub seen: Arc<Mutex<Vec<Vec<String>>>>,
    /// Drop the last translation of every answer (a faulty server).
    pub drop_last: bool,
    /// Hold every answer this long (a slow server).
    pub delay: std::time::Duration,
}

impl LibreTranslate {
    pub fn new(source: &str, translation: &str) -> LibreTranslate {
        let src = paragraphs(source);
        let tgt = paragraphs(translation);
        assert_eq!(src.len(), tgt.len(), "fixture paragraph counts differ");
        LibreTranslate {
            table: Arc::new(src.into_iter().zip(tgt).collect()),
            key: None,
            seen: Arc::default(),
            drop_last: false,
            delay: std::time::Duration::ZERO,
        }
    }

    pub fn from_files(source: &str, translation: &str) -> LibreTranslate {
        let read = |n| std::fs::read_to_string(data(n)).unwrap();
        LibreTranslate::new(&read(source), &read(translation))
    }

    /// The translation of one paragraph of the article, if it is one.
    pub fn translate(&self, paragraph: &str) -> Option<String> {
        self.table.get(paragraph).cloned()
    }

    pub fn with_key(mut self, key: &str) -> LibreTranslate {
        self.key = Some(key.to_string());
        self
    }
}

fn error(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(serde_json::json!({ "error": message }))
}

impl Respond for LibreTranslate {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Ok(body) = serde_json::from_slice::<serde_json::Value>(&request.body) else {
            return error(400, "Invalid request: body is not JSON");
        };
        if let Some(key) = &self.key
            && body["api_key"].as_str() != Some(key)
        {
            return error(403, "Invalid API key");
        }
        for field in ["source", "target"] {
            if !body[field].is_string() {
                return error(400, &format!("Invalid request: missing {field} parameter"));
            }
        }
        if body["format"] != "text" {
            return error(400, "Invalid request: format must be text");
        }
        let (list, qs): (bool, Vec<String>) = match &body["q"] {
            serde_json::Value::String(s) => (false, vec![s.clone()]),
            serde_json::Value::Array(a) => (
                true,
                a.iter()
                    .map(|v| v.as_str().unwrap_or_default().to_string())
                    .collect(),
            ),
            _ => return error(400, "Invalid request: missing q parameter"),
        };
        self.seen.lock().unwrap().push(qs.clone());
        let mut out = Vec::new();
        for q in &qs {
            match self.table.get(q) {
                Some(t) => out.push(t.clone()),
                None => return error(400, &format!("test double has no translation for: {q}")),
            }
        }
        if self.drop_last {
            out.pop();
        }
        let answer = if list {
            serde_json::json!({ "translatedText": out })
        } else {
            serde_json::json!({ "translatedText": out.first() })
        };
        ResponseTemplate::new(200)
            .set_body_json(answer)
            .set_delay(self.delay)
    }
}

/// Every file under `dir`, at any depth.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let (mut files, mut dirs) = (Vec::new(), vec![dir.to_path_buf()]);
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// A CSV output read back: the header and the records.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

/// Gold links: (paragraph, source, target).
pub fn read_gold(name: &str) -> Vec<(usize, String, String)> {
    std::fs::read_to_string(data(name))
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                f[0].parse().unwrap(),
                f[1].to_string(),
                f.get(2).unwrap_or(&"").to_string(),
            )
        })
        .collect()
}

/// Text without any whitespace, to compare content regardless of spacing.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A new empty directory under cargo's scratch space for tests, used as
/// `XDG_CACHE_HOME` so that every run starts with its own empty cache.
pub fn fresh_cache_home() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cache-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary, with a cache of its own and no user config file.
pub fn selaras() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("selaras").unwrap();
    let home = fresh_cache_home();
    cmd.env("XDG_CACHE_HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"));
    cmd
}

/// A LibreTranslate server that "translates" word by word with a small
/// table, so that it can answer any cut of a text, and that can cut off
/// long answers the way Apertium APy does with large requests.
#[derive(Clone, Default)]
pub struct WordByWord {
    /// Answers for texts longer than this many bytes keep only their first
    /// third (a silently truncated answer).
    pub truncate_over: Option<usize>,
    /// Every `q` list received, in arrival order.
    pub seen: Arc<Mutex<Vec<Vec<String>>>>,
}

/// The word table of [`WordByWord`].
pub fn word_by_word(text: &str) -> String {
    text.split(' ')
        .map(|w| match w {
            "Kalimat" => "Sentence",
            "nomor" => "number",
            "tentang" => "about",
            "banjir" => "floods",
            "di" => "in",
            "hujan" => "rain",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Respond for WordByWord {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        let qs: Vec<String> = body["q"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        self.seen.lock().unwrap().push(qs.clone());
        let out: Vec<String> = qs
            .iter()
            .map(|q| {
                let t = word_by_word(q);
                match self.truncate_over {
                    Some(limit) if q.len() > limit => {
                        t.chars().take(t.chars().count() / 3).collect()
                    }
                    _ => t,
                }
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "translatedText": out }))
    }
}

/// A server on a free port where `responder` answers `http_method` requests
/// to `at`. It is mounted at priority 5 (wiremock's default), so that a test
/// can put a fault in front of it with a smaller number.
pub async fn serve_at(
    http_method: &str,
    at: &str,
    responder: impl Respond + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(http_method))
        .and(path(at))
        .respond_with(responder)
        .with_priority(5)
        .mount(&server)
        .await;
    server
}

/// A LibreTranslate test double on a free port: `POST /translate`.
pub async fn serve_libretranslate(responder: impl Respond + 'static) -> MockServer {
    serve_at("POST", "/translate", responder).await
}

/// How many requests `server` has received so far.
pub async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// Settings for Indonesian to English through the service at `endpoint`,
/// everything else left at its default; callers add a key, region, model
/// or email with struct update syntax.
pub fn settings_at(endpoint: &str) -> Settings {
    Settings {
        endpoint: Some(endpoint.parse().unwrap()),
        source: "id".into(),
        target: "en".into(),
        ..Settings::default()
    }
}

/// [`settings_at`] the test double `server`.
pub fn settings_for(server: &MockServer) -> Settings {
    settings_at(&server.uri())
}

/// The tests' options: the defaults, with a short first pause between
/// tries so that retries do not slow the tests down.
pub fn test_options() -> Options {
    Options {
        first_delay: Duration::from_millis(50),
        ..Options::default()
    }
}

/// `texts` through the provider called `name`, built from `settings`, with
/// [`test_options`] and no progress bar shown.
pub async fn run_provider(
    name: &str,
    settings: &Settings,
    texts: &[String],
) -> selaras::error::Result<(Vec<String>, Stats)> {
    run_provider_with(name, settings, texts, &test_options()).await
}

/// [`run_provider`] with other options.
pub async fn run_provider_with(
    name: &str,
    settings: &Settings,
    texts: &[String],
    options: &Options,
) -> selaras::error::Result<(Vec<String>, Stats)> {
    let provider = translate::provider(name, settings).unwrap();
    translate::translate(provider, texts, options, &ProgressBar::hidden()).await
}

/// `selaras translate` through the LibreTranslate service at `endpoint`,
/// with a cache of its own; the caller adds the inputs, `--out` and any
/// other flags.
pub fn translate_via(endpoint: &str) -> assert_cmd::Command {
    let mut cmd = selaras();
    cmd.arg("translate")
        .args(["--provider", "libretranslate", "--endpoint", endpoint]);
    cmd
}
