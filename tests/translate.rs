//! `selaras translate` end to end: the binary against a LibreTranslate test
//! double, on the project's own sample article and on small inputs that
//! provoke each kind of service fault.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{
    CSV_HEADER, LibreTranslate, WordByWord, data, paragraphs, read_csv, read_gold, requests,
    serve_libretranslate, squeeze, translate_via, word_by_word,
};
use selaras::segment::{Lang, sentences};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sample_article_end_to_end() {
    let double = LibreTranslate::from_files("banjir-semarang.id.txt", "banjir-semarang.en.txt");
    let server = serve_libretranslate(double.clone()).await;
    let out = tempfile::tempdir().unwrap();
    translate_via(&server.uri())
        .arg(data("banjir-semarang.id.txt"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();

    let (header, rows) = read_csv(&out.path().join("banjir-semarang.id.csv"));
    assert_eq!(header, CSV_HEADER);
    let source = paragraphs(&std::fs::read_to_string(data("banjir-semarang.id.txt")).unwrap());
    let english = paragraphs(&std::fs::read_to_string(data("banjir-semarang.en.txt")).unwrap());

    // Nothing lost, duplicated or reordered: each paragraph's cells, in
    // order, hold exactly its text on both sides.
    for (k, (src, tgt)) in source.iter().zip(&english).enumerate() {
        let number = (k + 1).to_string();
        let mine: Vec<_> = rows.iter().filter(|r| r["paragraph"] == number).collect();
        assert!(!mine.is_empty(), "paragraph {number} has no rows");
        let cells = |col: &str| mine.iter().map(|r| r[col].as_str()).collect::<String>();
        assert_eq!(
            squeeze(&cells("source")),
            squeeze(src),
            "source of paragraph {number}"
        );
        assert_eq!(
            squeeze(&cells("target")),
            squeeze(tgt),
            "target of paragraph {number}"
        );
        for (n, r) in mine.iter().enumerate() {
            assert_eq!(r["id"], format!("{number}.{}", n + 1));
        }
    }
    assert_eq!(
        rows.iter()
            .map(|r| r["paragraph"].parse::<usize>().unwrap())
            .max(),
        Some(source.len())
    );

    // Every row: its link counts its sentences, its score is in [0, 1] with
    // two decimals, and it needs review exactly when it has issues.
    for r in &rows {
        let count = |col: &str, lang| sentences(&r[col], lang).len();
        let link = format!(
            "{}-{}",
            count("source", Lang::Indonesian),
            count("target", Lang::English)
        );
        assert_eq!(r["link"], link, "row {}", r["id"]);
        let score: f64 = r["score"].parse().unwrap();
        assert!(
            (0.0..=1.0).contains(&score) && r["score"].len() == 4,
            "row {}",
            r["id"]
        );
        let status = if r["issues"].is_empty() {
            "ok"
        } else {
            "review"
        };
        assert_eq!(r["status"], status, "row {}", r["id"]);
        assert_eq!(r["note"], "");
    }

    // Links against the hand-made gold alignment.
    let gold = read_gold("banjir-semarang.gold.tsv");
    let found: Vec<(usize, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["paragraph"].parse().unwrap(),
                r["source"].clone(),
                r["target"].clone(),
            )
        })
        .collect();
    let exact = found.iter().filter(|f| gold.contains(f)).count();
    let recall = exact as f64 / gold.len() as f64;
    let precision = exact as f64 / found.len() as f64;
    eprintln!(
        "strict alignment on the sample: {exact} of {} gold links, P {precision:.3} R {recall:.3}",
        gold.len()
    );
    assert!(
        recall >= 0.97 && precision >= 0.97,
        "P {precision:.3} R {recall:.3}"
    );

    // The text output is the translations, one paragraph each, in order.
    let text = std::fs::read_to_string(out.path().join("banjir-semarang.id.en.txt")).unwrap();
    assert_eq!(text, format!("{}\n", english.join("\n\n")));

    // Requests stayed within LibreTranslate's limits and carried everything once.
    let seen = double.seen.lock().unwrap();
    assert!(
        seen.len() > 1,
        "paragraphs should travel in several requests"
    );
    for q in seen.iter() {
        let bytes: usize = q.iter().map(String::len).sum();
        assert!(
            q.len() <= 20 && (bytes <= 5000 || q.len() == 1),
            "{} texts, {bytes} bytes",
            q.len()
        );
    }
    let mut sent: Vec<&String> = seen.iter().flatten().collect();
    sent.sort();
    let mut unique: Vec<&String> = source.iter().collect();
    unique.sort();
    unique.dedup();
    assert_eq!(sent, unique, "each distinct paragraph is sent exactly once");
}

/// A three-paragraph article and its translation, for the fault tests.
const SMALL_ID: &str =
    "Apa yang terjadi?\n\nBanjir merendam 1.200 rumah. Warga mengungsi.\n\n(Andi Putra/Antara)\n";
const SMALL_EN: &str =
    "What happened?\n\nFloods submerged 1,200 homes. Residents fled.\n\n(Andi Putra/Antara)\n";

fn small_input(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("kecil.id.txt");
    std::fs::write(&file, SMALL_ID).unwrap();
    file
}

fn small_double() -> LibreTranslate {
    LibreTranslate::new(SMALL_ID, SMALL_EN)
}

fn run_small(server: &MockServer, dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    translate_via(&server.uri())
        .arg(small_input(dir))
        .arg("--out")
        .arg(dir.join("out"))
        .args(extra)
        .assert()
}

/// The small article through a server that wants the key in `$LT_KEY`.
fn run_with_key(uri: &str, dir: &Path, out: &str, key: &str) -> assert_cmd::assert::Assert {
    translate_via(uri)
        .env("LT_KEY", key)
        .arg(small_input(dir))
        .args(["--api-key-env", "LT_KEY", "--out"])
        .arg(dir.join(out))
        .assert()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_requests_waits_for_retry_after() {
    let server = serve_libretranslate(small_double()).await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(serde_json::json!({"error": "Too many request limits violations"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    run_small(&server, dir.path(), &[]).success();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
    assert_eq!(requests(&server).await, 2);
    assert!(dir.path().join("out/kecil.id.csv").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried() {
    let server = serve_libretranslate(small_double()).await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503).set_body_string("<html>Service Unavailable</html>"),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run_small(&server, dir.path(), &[]).success();
    assert_eq!(requests(&server).await, 3);
    let (_, rows) = read_csv(&dir.path().join("out/kecil.id.csv"));
    let targets: Vec<&str> = rows.iter().map(|r| r["target"].as_str()).collect();
    assert_eq!(
        targets,
        [
            "What happened?",
            "Floods submerged 1,200 homes.",
            "Residents fled.",
            "(Andi Putra/Antara)"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_answer_times_out_and_is_retried() {
    let server = serve_libretranslate(small_double()).await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(Duration::from_secs(5))
                .set_body_json(serde_json::json!({"translatedText": ["late"]})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run_small(&server, dir.path(), &["--timeout", "1"]).success();
    assert_eq!(requests(&server).await, 2);
    let text = std::fs::read_to_string(dir.path().join("out/kecil.id.en.txt")).unwrap();
    assert!(text.starts_with("What happened?"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn giving_up_after_retries_is_a_service_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_string("Bad Gateway"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run_small(&server, dir.path(), &["--retries", "2"])
        .code(3)
        .stderr(
            predicates::str::contains("gave up after 3 tries")
                .and(predicates::str::contains("502")),
        );
    assert_eq!(requests(&server).await, 3);
    assert!(!dir.path().join("out/kecil.id.csv").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden_stops_with_the_service_message() {
    let server = serve_libretranslate(small_double().with_key("right-key")).await;
    let dir = tempfile::tempdir().unwrap();
    let assert = run_with_key(&server.uri(), dir.path(), "out", "wrong-key-1234")
        .code(3)
        .stderr(predicates::str::contains("Invalid API key"));
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("wrong-key-1234"));
    assert_eq!(requests(&server).await, 1, "403 is not retried");
    assert!(!dir.path().join("out/kecil.id.csv").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_key_is_sent_and_never_shown() {
    let server = serve_libretranslate(small_double().with_key("s3cret-key")).await;
    let dir = tempfile::tempdir().unwrap();
    run_with_key(&server.uri(), dir.path(), "out", "s3cret-key")
        .success()
        .stderr(predicates::str::contains("s3cret-key").not());
    // Nor written anywhere: outputs, report, candidates, the cache and its
    // journal.
    translate_via(&server.uri())
        .env("LT_KEY", "s3cret-key")
        .arg(small_input(dir.path()))
        .args(["--api-key-env", "LT_KEY", "--no-glossary", "--out"])
        .arg(dir.path().join("out-cached"))
        .arg("--cache")
        .arg(dir.path().join("cache.sqlite3"))
        .assert()
        .success();
    let files = common::files_under(dir.path());
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        assert!(
            !bytes.windows(10).any(|w| w == b"s3cret-key"),
            "the key is in {}",
            path.display()
        );
    }
    let seen = files.len();
    assert!(seen >= 8, "only {seen} files looked at");

    // A service that echoes the key in its error message does not get it printed.
    let echo = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(serde_json::json!({"error": "bad key s3cret-key"})),
        )
        .mount(&echo)
        .await;
    run_with_key(&echo.uri(), dir.path(), "out2", "s3cret-key")
        .code(3)
        .stderr(
            predicates::str::contains("bad key ***")
                .and(predicates::str::contains("s3cret-key").not()),
        );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fewer_translations_than_sent_is_an_error_not_a_shifted_csv() {
    let mut double = small_double();
    double.drop_last = true;
    let server = serve_libretranslate(double).await;
    let dir = tempfile::tempdir().unwrap();
    run_small(&server, dir.path(), &["--retries", "1"])
        .code(3)
        .stderr(predicates::str::contains(
            "2 translations came back for 3 paragraphs",
        ));
    assert!(!dir.path().join("out/kecil.id.csv").exists());
    assert!(!dir.path().join("out/kecil.id.en.txt").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_inputs_share_one_run() {
    let second_id = "Apa yang terjadi?\n\nBantuan tiba pada Senin.\n";
    let second_en = "What happened?\n\nAid arrived on Monday.\n";
    let double = LibreTranslate::new(
        &format!("{SMALL_ID}\n{second_id}"),
        &format!("{SMALL_EN}\n{second_en}"),
    );
    let server = serve_libretranslate(double.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let second = dir.path().join("bantuan.id.txt");
    std::fs::write(&second, second_id).unwrap();
    translate_via(&server.uri())
        .arg(small_input(dir.path()))
        .arg(&second)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .success()
        .stderr(predicates::str::contains("5 paragraphs from 2 files"));
    for f in [
        "kecil.id.csv",
        "kecil.id.en.txt",
        "bantuan.id.csv",
        "bantuan.id.en.txt",
    ] {
        assert!(dir.path().join("out").join(f).exists(), "{f}");
    }
    let text = std::fs::read_to_string(dir.path().join("out/bantuan.id.en.txt")).unwrap();
    assert_eq!(text, "What happened?\n\nAid arrived on Monday.\n");
    // The headline both share went out once.
    let sent: Vec<String> = double
        .seen
        .lock()
        .unwrap()
        .iter()
        .flatten()
        .cloned()
        .collect();
    assert_eq!(sent.iter().filter(|q| *q == "Apa yang terjadi?").count(), 1);
    assert_eq!(sent.len(), 4);
}

#[test]
fn dropped_connection_is_retried() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        // The first connection is closed without an answer.
        let (mut first, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        let _ = first.read(&mut buf);
        drop(first);
        // The second gets a proper one.
        let (mut second, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        loop {
            let n = second.read(&mut buf).unwrap();
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request);
            if let Some(end) = text.find("\r\n\r\n") {
                let length: usize = text[..end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                if request.len() >= end + 4 + length {
                    break;
                }
            }
        }
        let body = r#"{"translatedText":["Residents fled."]}"#;
        write!(
            second,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("satu.txt");
    std::fs::write(&file, "Warga mengungsi.\n").unwrap();
    translate_via(&format!("http://{address}"))
        .arg(&file)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    server.join().unwrap();
    let (_, rows) = read_csv(&dir.path().join("out/satu.csv"));
    assert_eq!(rows[0]["target"], "Residents fled.");
}

use predicates::prelude::PredicateBooleanExt;

/// A LibreTranslate server on plain threads that holds each answer for a
/// while and records the most requests it ever had in flight at once.
fn counting_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let peak = Arc::clone(&most);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let (now, most) = (Arc::clone(&now), Arc::clone(&most));
            std::thread::spawn(move || {
                let mut stream = stream.unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    // One request: headers, then a Content-Length body.
                    let mut length = 0;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap();
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).unwrap();
                    let in_flight = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(in_flight, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(150));
                    now.fetch_sub(1, Ordering::SeqCst);
                    let request: serde_json::Value = serde_json::from_slice(&body).unwrap();
                    let answers: Vec<String> = request["q"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|q| format!("EN {}", q.as_str().unwrap()))
                        .collect();
                    let answer = serde_json::json!({ "translatedText": answers }).to_string();
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                        answer.len()
                    );
                    if stream
                        .write_all(head.as_bytes())
                        .and_then(|_| stream.write_all(answer.as_bytes()))
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    (address, peak)
}

#[test]
fn requests_share_one_concurrency_budget() {
    let dir = tempfile::tempdir().unwrap();
    // Two inputs of 24 long paragraphs each: a dozen requests or more.
    let mut inputs = Vec::new();
    for name in ["satu", "dua"] {
        let text: String = (0..24)
            .map(|k| {
                format!(
                    "{name} paragraf {k}: {}.\n\n",
                    "kata yang panjang ".repeat(60)
                )
            })
            .collect();
        let file = dir.path().join(format!("{name}.txt"));
        std::fs::write(&file, text).unwrap();
        inputs.push(file);
    }
    for (concurrency, expected) in [("1", 1), ("3", 3)] {
        let (address, peak) = counting_server();
        translate_via(&address)
            .args(&inputs)
            .args(["--concurrency", concurrency, "--out"])
            .arg(dir.path().join(format!("out{concurrency}")))
            .assert()
            .success();
        let most = peak.load(std::sync::atomic::Ordering::SeqCst);
        assert_eq!(most, expected, "--concurrency {concurrency}");
    }
}

/// One paragraph of `n` numbered sentences.
fn long_paragraph(n: usize) -> String {
    (1..=n)
        .map(|k| {
            format!("Kalimat nomor {k} tentang banjir di Semarang dan hujan yang turun sejak pagi.")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paragraph_over_the_byte_limit_is_sent_in_pieces() {
    let double = WordByWord::default();
    let server = serve_libretranslate(double.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let text = long_paragraph(200);
    assert!(text.len() > 3 * 5000);
    let file = dir.path().join("panjang.txt");
    std::fs::write(&file, format!("Judul?\n\n{text}\n")).unwrap();
    translate_via(&server.uri())
        .arg(&file)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    for q in double.seen.lock().unwrap().iter() {
        assert!(q.iter().map(String::len).sum::<usize>() <= 5000);
    }
    let english = std::fs::read_to_string(dir.path().join("out/panjang.en.txt")).unwrap();
    assert_eq!(english, format!("Judul?\n\n{}\n", word_by_word(&text)));
    let (_, rows) = read_csv(&dir.path().join("out/panjang.csv"));
    assert_eq!(rows.len(), 201);
    assert!(rows.iter().all(|r| r["link"] == "1-1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_answer_is_sent_again_in_smaller_pieces() {
    let double = WordByWord {
        truncate_over: Some(1500),
        ..WordByWord::default()
    };
    let server = serve_libretranslate(double.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let text = long_paragraph(50);
    assert!(text.len() > 3000 && text.len() < 5000);
    let file = dir.path().join("potong.txt");
    std::fs::write(&file, format!("{text}\n")).unwrap();
    translate_via(&server.uri())
        .arg(&file)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let english = std::fs::read_to_string(dir.path().join("out/potong.en.txt")).unwrap();
    assert_eq!(english, format!("{}\n", word_by_word(&text)));
    let seen = double.seen.lock().unwrap();
    assert!(
        seen.len() > 2,
        "the cut-off answer was not sent again in pieces"
    );
    assert!(seen.iter().skip(1).all(|q| q[0].len() < text.len()));
}

/// A LibreTranslate server that fails in a different way on most requests:
/// a burst answer of 429 with Retry-After, a 503 page, malformed JSON, an
/// answer one translation short, and an answer slower than the timeout.
#[derive(Clone)]
struct Faulty {
    good: LibreTranslate,
    short: LibreTranslate,
    count: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl wiremock::Respond for Faulty {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let n = self.count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        // A third of all requests fail, each kind in turn.
        match n % 15 {
            1 => ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(serde_json::json!({"error": "Too many request limits violations"})),
            4 => ResponseTemplate::new(503)
                .set_body_string("<html><h1>503 Service Unavailable</h1></html>"),
            7 => ResponseTemplate::new(200)
                .insert_header("Content-Type", "application/json")
                .set_body_string(r#"{"translatedText": ["Floods"#),
            10 => self.short.respond(request),
            13 => self.good.respond(request).set_delay(Duration::from_secs(3)),
            _ => self.good.respond(request),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_of_every_kind_end_in_the_clean_runs_csv() {
    let dir = tempfile::tempdir().unwrap();
    // Small requests, so that the sample needs a dozen or more of them.
    let config = dir.path().join("selaras.toml");
    std::fs::write(&config, "characters_per_request = 700\n").unwrap();
    let run = |uri: String, out: &str| {
        translate_via(&uri)
            .arg(data("banjir-semarang.id.txt"))
            .arg("--config")
            .arg(&config)
            .args([
                "--timeout",
                "1",
                "--retries",
                "8",
                "--concurrency",
                "2",
                "--out",
            ])
            .arg(dir.path().join(out))
            .assert()
            .success()
    };
    let clean = serve_libretranslate(LibreTranslate::from_files(
        "banjir-semarang.id.txt",
        "banjir-semarang.en.txt",
    ))
    .await;
    run(clean.uri(), "clean");
    let clean_requests = requests(&clean).await;
    assert!(clean_requests >= 12, "only {clean_requests} requests");

    let good = LibreTranslate::from_files("banjir-semarang.id.txt", "banjir-semarang.en.txt");
    let mut short = good.clone();
    short.drop_last = true;
    let faulty = serve_libretranslate(Faulty {
        good,
        short,
        count: Default::default(),
    })
    .await;
    run(faulty.uri(), "faulty");
    assert!(requests(&faulty).await > clean_requests, "no fault was met");

    let read = |d: &str| std::fs::read(dir.path().join(d).join("banjir-semarang.id.csv")).unwrap();
    assert_eq!(read("faulty"), read("clean"));
    let text =
        |d: &str| std::fs::read(dir.path().join(d).join("banjir-semarang.id.en.txt")).unwrap();
    assert_eq!(text("faulty"), text("clean"));
}
