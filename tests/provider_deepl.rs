//! The deepl provider end to end through the library, against a test double
//! of the DeepL API v2: batches in order within 50 texts and 128 KiB, the key
//! in the `Authorization` header, the body's shape, rate limits retried, a
//! spent quota (456) stopping the run, a wrong key refused without the key
//! ever being shown, and an answer short by a translation refused.

mod common;

use std::sync::{Arc, Mutex};

use common::{requests, run_provider, serve_at, settings_for};
use selaras::translate::{self, Options, Settings};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const KEY: &str = "5d2c7e1a-93b4-4f0e-a8d6-0c1b2a3d4e5f:fx";
const PATH: &str = "/v2/translate";
/// DeepL's limit on the whole request body.
const MAX_BODY: usize = 128 * 1024;

/// Source languages DeepL documents (the classic ones), and target
/// languages, variants included.
const SOURCES: &[&str] = &[
    "AR", "BG", "CS", "DA", "DE", "EL", "EN", "ES", "ET", "FI", "FR", "HU", "ID", "IT", "JA", "KO",
    "LT", "LV", "NB", "NL", "PL", "PT", "RO", "RU", "SK", "SL", "SV", "TR", "UK", "ZH",
];
const TARGETS: &[&str] = &[
    "AR", "BG", "CS", "DA", "DE", "EL", "EN", "EN-GB", "EN-US", "ES", "ES-419", "ET", "FI", "FR",
    "HU", "ID", "IT", "JA", "KO", "LT", "LV", "NB", "NL", "PL", "PT", "PT-BR", "PT-PT", "RO", "RU",
    "SK", "SL", "SV", "TR", "UK", "ZH", "ZH-HANS", "ZH-HANT",
];

/// What the double "translates" a text to: recognisably that text's.
fn english(text: &str) -> String {
    format!("EN: {text}")
}

/// How the double misbehaves, if at all.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// Leave out the last translation of every answer.
    DropLast,
}

/// The DeepL API as documented: `POST /v2/translate` with `Authorization:
/// DeepL-Auth-Key K` and a JSON body `{text: [..], source_lang?,
/// target_lang}`, at most 50 texts and 128 KiB, answered by
/// `{"translations": [{"detected_source_language", "text"}]}` in order.
/// A missing or wrong key gets 403, a malformed request 400, a body over
/// the limit 413, all as `{"message": ..}`.
#[derive(Clone)]
struct DeepL {
    key: String,
    fault: Fault,
    /// Every `text` list received, in arrival order.
    seen: Arc<Mutex<Vec<Vec<String>>>>,
}

impl DeepL {
    fn new() -> DeepL {
        DeepL {
            key: KEY.into(),
            fault: Fault::None,
            seen: Arc::default(),
        }
    }

    fn with_fault(mut self, fault: Fault) -> DeepL {
        self.fault = fault;
        self
    }
}

fn deepl_error(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({ "message": message }))
}

impl Respond for DeepL {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let auth = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        if auth != Some(format!("DeepL-Auth-Key {}", self.key).as_str()) {
            return deepl_error(
                403,
                "Authorization failed. Please supply a valid DeepL-Auth-Key via the Authorization header.",
            );
        }
        if request.body.len() > MAX_BODY {
            return deepl_error(413, "Request Entity Too Large");
        }
        let json = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return deepl_error(400, "Bad request. Reason: Invalid request body.");
        };
        if !json {
            return deepl_error(400, "Bad request. Reason: Unsupported Content-Type.");
        }
        let texts: Vec<String> = match &body["text"] {
            Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_string) => {
                a.iter().map(|v| v.as_str().unwrap().to_string()).collect()
            }
            _ => return deepl_error(400, "Bad request. Reason: Parameter 'text' not specified."),
        };
        if texts.len() > 50 {
            return deepl_error(
                413,
                "Request Entity Too Large. Reason: Too many texts in request.",
            );
        }
        let Some(target) = body["target_lang"].as_str() else {
            return deepl_error(400, "Value for 'target_lang' not supported.");
        };
        if !TARGETS.contains(&target.to_ascii_uppercase().as_str()) {
            return deepl_error(400, "Value for 'target_lang' not supported.");
        }
        let detected = match &body["source_lang"] {
            Value::Null => "ID".to_string(),
            Value::String(s) if SOURCES.contains(&s.to_ascii_uppercase().as_str()) => {
                s.to_ascii_uppercase()
            }
            _ => return deepl_error(400, "Value for 'source_lang' not supported."),
        };
        self.seen.lock().unwrap().push(texts.clone());
        let mut translations: Vec<Value> = texts
            .iter()
            .map(|t| json!({"detected_source_language": detected, "text": english(t)}))
            .collect();
        if self.fault == Fault::DropLast {
            translations.pop();
        }
        ResponseTemplate::new(200).set_body_json(json!({ "translations": translations }))
    }
}

fn settings(server: &MockServer, key: Option<&str>) -> Settings {
    Settings {
        api_key: key.map(String::from),
        ..settings_for(server)
    }
}

fn small() -> Vec<String> {
    [
        "Apa yang terjadi?",
        "Banjir merendam 1.200 rumah. Warga mengungsi.",
        "“Kami mengungsi,” kata Siti.",
    ]
    .map(String::from)
    .to_vec()
}

#[tokio::test]
async fn many_paragraphs_go_fifty_at_a_time_and_come_back_in_order() {
    let double = DeepL::new();
    let server = serve_at("POST", PATH, double.clone()).await;
    let mut texts: Vec<String> = (0..130)
        .map(|k| format!("Paragraf {k}: “Air naik cepat sekali,” kata warga di Kaligawe."))
        .collect();
    texts[120] = texts[7].clone();
    let (got, stats) = run_provider("deepl", &settings(&server, Some(KEY)), &texts)
        .await
        .unwrap();
    let expected: Vec<String> = texts.iter().map(|t| english(t)).collect();
    assert_eq!(got, expected);

    let seen = double.seen.lock().unwrap();
    let sizes: Vec<usize> = seen.iter().map(Vec::len).collect();
    assert_eq!(sizes.len(), 3, "{sizes:?}");
    assert!(sizes.iter().all(|&n| n <= 50), "{sizes:?}");
    assert_eq!(
        sizes.iter().sum::<usize>(),
        129,
        "the repeated paragraph goes once"
    );
    assert_eq!(stats.requests, 3);
}

#[tokio::test]
async fn long_paragraphs_are_batched_within_the_body_limit() {
    let double = DeepL::new();
    let server = serve_at("POST", PATH, double.clone()).await;
    // 60 paragraphs of some 3 KB: 180 KB in all, more than one body holds.
    let texts: Vec<String> = (0..60)
        .map(|k| {
            let sentence = format!("Paragraf {k} mencatat genangan setinggi 70 sentimeter. ");
            sentence
                .repeat(3000 / sentence.len() + 1)
                .trim()
                .to_string()
        })
        .collect();
    let (got, _) = run_provider("deepl", &settings(&server, Some(KEY)), &texts)
        .await
        .unwrap();
    assert_eq!(got, texts.iter().map(|t| english(t)).collect::<Vec<_>>());

    assert!(double.seen.lock().unwrap().len() >= 2);
    for r in server.received_requests().await.unwrap() {
        assert!(r.body.len() <= MAX_BODY, "a body of {} bytes", r.body.len());
    }
}

#[tokio::test]
async fn the_request_has_the_documented_shape() {
    let server = serve_at("POST", PATH, DeepL::new()).await;
    run_provider("deepl", &settings(&server, Some(KEY)), &small())
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), PATH);
    assert_eq!(r.url.query(), None);
    assert_eq!(
        r.headers["authorization"].to_str().unwrap(),
        format!("DeepL-Auth-Key {KEY}")
    );
    assert_eq!(r.headers["content-type"], "application/json");
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        body,
        json!({"text": small(), "source_lang": "ID", "target_lang": "EN-US"})
    );
}

#[tokio::test]
async fn rate_limits_and_load_are_retried_until_an_answer() {
    let double = DeepL::new();
    let server = serve_at("POST", PATH, double.clone()).await;
    Mock::given(method("POST"))
        .respond_with(
            deepl_error(
                429,
                "Too many requests. Please wait and resend your request.",
            )
            .insert_header("Retry-After", "0"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(529))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    let (got, stats) = run_provider("deepl", &settings(&server, Some(KEY)), &small())
        .await
        .unwrap();
    assert_eq!(got, small().iter().map(|t| english(t)).collect::<Vec<_>>());
    assert_eq!(requests(&server).await, 3);
    assert_eq!(stats.requests, 3);
    assert_eq!(double.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_spent_quota_stops_the_run_with_a_resume_hint() {
    let server = serve_at("POST", PATH, DeepL::new()).await;
    Mock::given(method("POST"))
        .respond_with(deepl_error(456, "Quota exceeded"))
        .with_priority(1)
        .mount(&server)
        .await;
    let e = run_provider("deepl", &settings(&server, Some(KEY)), &small())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert_eq!(e.exit_code(), 3);
    assert!(m.contains("quota is used up"), "{m}");
    assert!(
        m.contains("HTTP 456 (quota exceeded): Quota exceeded"),
        "{m}"
    );
    assert!(m.contains("a re-run resumes"), "{m}");
    assert!(!m.contains(KEY), "{m}");
    assert_eq!(requests(&server).await, 1, "a spent quota is not retried");
}

#[tokio::test]
async fn a_wrong_key_is_fatal_and_never_shown() {
    let server = serve_at("POST", PATH, DeepL::new()).await;
    let wrong = "00000000-dead-beef-0000-000000000000:fx";
    let e = run_provider("deepl", &settings(&server, Some(wrong)), &small())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert_eq!(e.exit_code(), 3);
    assert!(m.contains("refused the request"), "{m}");
    assert!(
        m.contains("HTTP 403 (authorization failed): Authorization failed."),
        "{m}"
    );
    assert!(m.contains("--api-key-env"), "{m}");
    assert!(!m.contains(wrong), "{m}");
    assert_eq!(requests(&server).await, 1, "a wrong key is not retried");
}

#[tokio::test]
async fn an_answer_short_by_one_translation_is_an_error() {
    let server = serve_at("POST", PATH, DeepL::new().with_fault(Fault::DropLast)).await;
    let e = run_provider("deepl", &settings(&server, Some(KEY)), &small())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert_eq!(e.exit_code(), 3);
    assert!(
        m.contains("2 translations came back for 3 paragraphs sent"),
        "{m}"
    );
    // Retried as an unreadable answer, then given up.
    assert_eq!(requests(&server).await, 1 + Options::default().retries);
}

#[tokio::test]
async fn no_key_is_refused_before_anything_is_sent() {
    let server = serve_at("POST", PATH, DeepL::new()).await;
    let e = translate::provider("deepl", &settings(&server, None))
        .err()
        .unwrap();
    assert!(e.contains("--api-key-env"), "{e}");
    assert_eq!(requests(&server).await, 0);
}
