//! The config file, `--dry-run`, rate limits and `selaras providers`, end to
//! end through the binary.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{LibreTranslate, data, selaras, serve_at, serve_libretranslate, translate_via};
use predicates::prelude::*;
use wiremock::{Request, Respond, ResponseTemplate};

fn sample_double() -> LibreTranslate {
    LibreTranslate::from_files("banjir-semarang.id.txt", "banjir-semarang.en.txt")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_file_chooses_the_service_and_flags_override_it() {
    let server = serve_libretranslate(sample_double()).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("selaras.toml");
    std::fs::write(
        &config,
        format!(
            "provider = \"libretranslate\"\nconcurrency = 1\n\n[providers.libretranslate]\nendpoint = \"{}\"\n",
            server.uri()
        ),
    )
    .unwrap();
    selaras()
        .arg("translate")
        .arg(data("banjir-semarang.id.txt"))
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    assert!(dir.path().join("out/banjir-semarang.id.csv").exists());

    // A flag beats the file: this endpoint has nobody listening.
    selaras()
        .arg("translate")
        .arg(data("banjir-semarang.id.txt"))
        .arg("--config")
        .arg(&config)
        .args([
            "--endpoint",
            "http://127.0.0.1:9",
            "--retries",
            "0",
            "--no-cache",
            "--out",
        ])
        .arg(dir.path().join("out2"))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("cannot connect"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_sends_nothing_and_counts_what_it_would() {
    let double = sample_double();
    let server = serve_libretranslate(double.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.sqlite3");
    let run = |extra: &[&str]| {
        translate_via(&server.uri())
            .arg(data("banjir-semarang.id.txt"))
            .arg("--cache")
            .arg(&cache)
            .arg("--out")
            .arg(dir.path().join("out"))
            .args(extra)
            .assert()
            .success()
    };
    let planned = run(&["--dry-run"]);
    let stdout = String::from_utf8_lossy(&planned.get_output().stdout).to_string();
    assert!(stdout.contains("42 paragraphs"), "{stdout}");
    assert!(stdout.contains("0 answered by the cache"), "{stdout}");
    assert!(stdout.contains("nothing was sent"), "{stdout}");
    assert_eq!(double.seen.lock().unwrap().len(), 0);
    assert!(!dir.path().join("out").exists());

    // The plan matches what a real run then sends.
    let would: usize = stdout
        .split("would send ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a request count");
    run(&[]);
    assert_eq!(double.seen.lock().unwrap().len(), would);
    run(&["--dry-run"]).stdout(predicate::str::contains(
        "42 answered by the cache; would send 0 requests with 0 characters",
    ));
}

/// Records when each request arrived.
#[derive(Clone)]
struct Clock {
    inner: LibreTranslate,
    arrivals: Arc<Mutex<Vec<Instant>>>,
}

impl Respond for Clock {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.arrivals.lock().unwrap().push(Instant::now());
        self.inner.respond(request)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_per_second_paces_requests_whatever_the_concurrency() {
    let clock = Clock {
        inner: sample_double(),
        arrivals: Arc::default(),
    };
    let server = serve_libretranslate(clock.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("selaras.toml");
    std::fs::write(
        &config,
        "characters_per_request = 1500\n[providers.libretranslate]\nrequests_per_second = 8\n",
    )
    .unwrap();
    translate_via(&server.uri())
        .arg(data("banjir-semarang.id.txt"))
        .arg("--config")
        .arg(&config)
        .args(["--concurrency", "8", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let arrivals = clock.arrivals.lock().unwrap();
    assert!(arrivals.len() >= 5, "{} requests", arrivals.len());
    for pair in arrivals.windows(2) {
        let gap = pair[1] - pair[0];
        // 8 a second is one every 125 ms; allow for scheduling noise.
        assert!(
            gap >= Duration::from_millis(110),
            "two requests {gap:?} apart"
        );
    }
}

#[test]
fn providers_lists_every_provider_and_never_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("selaras.toml");
    std::fs::write(
        &config,
        "provider = \"google\"\n[providers.google]\napi_key_env = \"SELARAS_TEST_GOOGLE\"\n",
    )
    .unwrap();
    let listed = selaras()
        .env("SELARAS_TEST_GOOGLE", "AIza-very-secret")
        .args(["providers", "--config"])
        .arg(&config)
        .assert()
        .success();
    let out = String::from_utf8_lossy(&listed.get_output().stdout).to_string();
    for name in selaras::translate::PROVIDERS.iter().map(|p| p.0) {
        assert!(out.contains(name), "{name} missing from {out}");
    }
    assert!(out.contains("* google"), "{out}");
    assert!(out.contains("$SELARAS_TEST_GOOGLE: set"), "{out}");
    assert!(!out.contains("AIza-very-secret"), "{out}");

    selaras()
        .env_remove("SELARAS_TEST_GOOGLE")
        .args(["providers", "--config"])
        .arg(&config)
        .assert()
        .success()
        .stdout(predicate::str::contains("$SELARAS_TEST_GOOGLE: unset"));
}

/// A home-made translation service: `POST /api/v1/mt` with `X-Api-Key`
/// and `{"text": .., "target": ..}`, answering `{"result": {"text": ..}}`
/// or `{"error": {"message": ..}}`.
#[derive(Clone)]
struct HomeMade {
    table: LibreTranslate,
}

impl Respond for HomeMade {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if request
            .headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            != Some("home-key")
        {
            return ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"error": {"message": "unknown key"}}));
        }
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body["target"], "en");
        let text = self.table.translate(body["text"].as_str().unwrap());
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"result": {"text": text}}))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_provider_from_the_config_file() {
    let server = serve_at(
        "POST",
        "/api/v1/mt",
        HomeMade {
            table: sample_double(),
        },
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("selaras.toml");
    std::fs::write(
        &config,
        format!(
            r#"provider = "custom"

[providers.custom]
endpoint = "{}/api/v1/mt"
api_key_env = "HOME_MT_KEY"
headers = {{ "X-Api-Key" = "{{key}}" }}
body = '{{"text": {{text}}, "source": "{{source}}", "target": "{{target}}"}}'
result = "/result/text"
error = "/error/message"
"#,
            server.uri()
        ),
    )
    .unwrap();
    let run = |key: &str, out: &str| {
        selaras()
            .env("HOME_MT_KEY", key)
            .arg("translate")
            .arg(data("banjir-semarang.id.txt"))
            .arg("--config")
            .arg(&config)
            .arg("--out")
            .arg(dir.path().join(out))
            .assert()
    };
    run("home-key", "out").success();
    let english =
        std::fs::read_to_string(dir.path().join("out/banjir-semarang.id.en.txt")).unwrap();
    let expected = std::fs::read_to_string(data("banjir-semarang.en.txt")).unwrap();
    assert_eq!(common::paragraphs(&english), common::paragraphs(&expected));
    run("wrong", "bad")
        .code(3)
        .stderr(predicate::str::contains("HTTP 401: unknown key"));
}
