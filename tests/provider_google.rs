//! The google provider end to end through the library, against a test double
//! of Cloud Translation v2 (Basic): batches in order, the key in the query,
//! the body's shape, rate limits retried, a daily quota stopping the run, and a
//! wrong key refused without the key ever being shown.

mod common;

use std::sync::{Arc, Mutex};

use common::{requests, run_provider, serve_at, settings_for};
use selaras::translate::{self, Settings};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const KEY: &str = "AIzaSyD-right-key_0123456789";
const PATH: &str = "/language/translate/v2";

/// What the double "translates" a text to: recognisably that text's.
fn english(q: &str) -> String {
    format!("EN: {q}")
}

/// Cloud Translation v2 as documented: `POST /language/translate/v2?key=K`,
/// a JSON body `{q, source, target, format}` with `q` a string or a list of at
/// most 128, answered by `{"data": {"translations": [{"translatedText"}]}}`
/// in order. A missing key gets 403 PERMISSION_DENIED, a wrong one 400
/// API_KEY_INVALID, a malformed body 400 INVALID_ARGUMENT, all in Google's
/// error shape.
#[derive(Clone)]
struct Google {
    key: String,
    /// Every `q` list received, in arrival order.
    seen: Arc<Mutex<Vec<Vec<String>>>>,
}

impl Google {
    fn new() -> Google {
        Google {
            key: KEY.into(),
            seen: Arc::default(),
        }
    }
}

fn google_error(code: u16, status: &str, reason: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_json(serde_json::json!({"error": {
        "code": code,
        "message": message,
        "errors": [{"message": message, "domain": "global", "reason": reason}],
        "status": status,
    }}))
}

fn bad_request(message: &str) -> ResponseTemplate {
    google_error(400, "INVALID_ARGUMENT", "invalid", message)
}

impl Respond for Google {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let keys: Vec<String> = request
            .url
            .query_pairs()
            .filter(|(k, _)| k == "key")
            .map(|(_, v)| v.into_owned())
            .collect();
        match keys.as_slice() {
            [] => {
                return google_error(
                    403,
                    "PERMISSION_DENIED",
                    "forbidden",
                    "Method doesn't allow unregistered callers (callers without established \
                     identity). Please use API Key or other form of API consumer identity to call \
                     this API.",
                );
            }
            [k] if *k == self.key => {}
            _ => {
                return ResponseTemplate::new(400).set_body_json(serde_json::json!({"error": {
                    "code": 400,
                    "message": "API key not valid. Please pass a valid API key.",
                    "errors": [{"message": "API key not valid. Please pass a valid API key.",
                                "domain": "global", "reason": "badRequest"}],
                    "status": "INVALID_ARGUMENT",
                    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                 "reason": "API_KEY_INVALID", "domain": "googleapis.com",
                                 "metadata": {"service": "translate.googleapis.com"}}],
                }}));
            }
        }
        let json = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json {
            return bad_request("Invalid JSON payload received.");
        }
        let Ok(body) = serde_json::from_slice::<serde_json::Value>(&request.body) else {
            return bad_request("Invalid JSON payload received.");
        };
        for field in ["source", "target"] {
            if !body[field].is_string() {
                return bad_request(&format!("Required field {field} is missing."));
            }
        }
        // Google also takes "html"; this double insists on what selaras sends.
        if body["format"] != "text" {
            return bad_request("Invalid Value");
        }
        let qs: Vec<String> = match &body["q"] {
            serde_json::Value::String(s) => vec![s.clone()],
            serde_json::Value::Array(a) if a.iter().all(|v| v.is_string()) => {
                a.iter().map(|v| v.as_str().unwrap().to_string()).collect()
            }
            _ => return bad_request("Required Text"),
        };
        if qs.len() > 128 {
            return bad_request("Too many text segments");
        }
        self.seen.lock().unwrap().push(qs.clone());
        let translations: Vec<serde_json::Value> = qs
            .iter()
            .map(|q| serde_json::json!({ "translatedText": english(q) }))
            .collect();
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"data": {"translations": translations}}))
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
async fn translations_come_back_in_order_across_requests() {
    let double = Google::new();
    let server = serve_at("POST", PATH, double.clone()).await;
    // 260 paragraphs of some 60 bytes, one repeated: several requests by bytes.
    let mut texts: Vec<String> = (0..260)
        .map(|k| format!("Paragraf {k}: “Air naik cepat sekali,” kata warga di Kaligawe."))
        .collect();
    texts[200] = texts[3].clone();
    let (got, stats) = run_provider("google", &settings(&server, Some(KEY)), &texts)
        .await
        .unwrap();
    let expected: Vec<String> = texts.iter().map(|t| english(t)).collect();
    assert_eq!(got, expected);

    let seen = double.seen.lock().unwrap();
    assert!(seen.len() >= 3, "{} requests", seen.len());
    assert_eq!(stats.requests, seen.len());
    for q in seen.iter() {
        let bytes: usize = q.iter().map(String::len).sum();
        assert!(
            q.len() <= 100 && bytes <= 5000,
            "{} texts, {bytes} bytes",
            q.len()
        );
    }
    let sent: usize = seen.iter().map(Vec::len).sum();
    assert_eq!(sent, 259, "the repeated paragraph goes once");
}

#[tokio::test]
async fn the_request_has_the_documented_shape() {
    let server = serve_at("POST", PATH, Google::new()).await;
    run_provider("google", &settings(&server, Some(KEY)), &small())
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), PATH);
    assert_eq!(r.url.query(), Some(format!("key={KEY}").as_str()));
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"q": small(), "source": "id", "target": "en", "format": "text"})
    );
}

#[tokio::test]
async fn rate_limits_are_retried_until_an_answer() {
    let double = Google::new();
    let server = serve_at("POST", PATH, double.clone()).await;
    // First the newer shape, 429 RESOURCE_EXHAUSTED, then the classic 403.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).set_body_json(serde_json::json!({"error": {
            "code": 429,
            "message": "Quota exceeded for quota metric 'v2 and v3 general model characters' and limit 'v2 and v3 general model characters per minute per user' of service 'translate.googleapis.com'",
            "status": "RESOURCE_EXHAUSTED",
            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                         "reason": "RATE_LIMIT_EXCEEDED", "domain": "googleapis.com",
                         "metadata": {"quota_limit": "DefaultCharactersPerMinutePerUser"}}],
        }})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(google_error(
            403,
            "PERMISSION_DENIED",
            "userRateLimitExceeded",
            "User Rate Limit Exceeded",
        ))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    let (got, stats) = run_provider("google", &settings(&server, Some(KEY)), &small())
        .await
        .unwrap();
    assert_eq!(got, small().iter().map(|t| english(t)).collect::<Vec<_>>());
    assert_eq!(requests(&server).await, 3);
    assert_eq!(stats.requests, 3);
    assert_eq!(double.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_daily_quota_stops_the_run_with_a_resume_hint() {
    let server = serve_at("POST", PATH, Google::new()).await;
    Mock::given(method("POST"))
        .respond_with(google_error(
            403,
            "PERMISSION_DENIED",
            "dailyLimitExceeded",
            "Daily Limit Exceeded",
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    let e = run_provider("google", &settings(&server, Some(KEY)), &small())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert_eq!(e.exit_code(), 3);
    assert!(m.contains("quota"), "{m}");
    assert!(
        m.contains("HTTP 403 (dailyLimitExceeded): Daily Limit Exceeded"),
        "{m}"
    );
    assert!(m.contains("a re-run resumes"), "{m}");
    assert_eq!(requests(&server).await, 1, "a spent quota is not retried");
}

#[tokio::test]
async fn a_wrong_key_is_fatal_and_never_shown() {
    let server = serve_at("POST", PATH, Google::new()).await;
    let wrong = "AIzaSyD-wrong-key_9876543210";
    let e = run_provider("google", &settings(&server, Some(wrong)), &small())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert_eq!(e.exit_code(), 3);
    assert!(m.contains("refused the request"), "{m}");
    assert!(m.contains("API key not valid"), "{m}");
    assert!(!m.contains(wrong), "{m}");
    assert!(!m.contains("key="), "{m}");
    assert!(!m.contains(&server.uri()), "{m}");
    assert_eq!(requests(&server).await, 1, "a wrong key is not retried");
}

#[tokio::test]
async fn no_key_is_refused_before_anything_is_sent() {
    let server = serve_at("POST", PATH, Google::new()).await;
    let e = translate::provider("google", &settings(&server, None))
        .err()
        .unwrap();
    assert!(e.contains("--api-key-env"), "{e}");
    assert_eq!(requests(&server).await, 0);
}
