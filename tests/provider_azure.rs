//! The azure provider end to end through the library, against a test double
//! of Azure AI Translator v3: batches in order within 100 texts and the
//! character limit, the key and region headers, the query and body's shape,
//! rate limits (429xxx) retried, the free tier's quota (403001) stopping the
//! run, a wrong key refused without the key ever being shown, and an answer
//! short by a translation refused.

mod common;

use std::sync::{Arc, Mutex};

use common::{requests, run_provider, serve_at, settings_for};
use selaras::translate::{self, Options, Settings};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const KEY: &str = "3b8e5f0a9c1d4e7f8a2b6c0d4e8f1a3b";
const REGION: &str = "southeastasia";
const PATH: &str = "/translate";
/// Azure's limits on one translate request.
const MAX_ELEMENTS: usize = 1000;
const MAX_CHARACTERS: usize = 50_000;
/// Languages the double knows.
const LANGUAGES: &[&str] = &[
    "id", "en", "ms", "jv", "nl", "zh-Hans", "zh-Hant", "pt", "pt-pt",
];

/// What the double "translates" a text to: recognisably that text's.
fn english(text: &str) -> String {
    format!("EN: {text}")
}

/// How the double misbehaves, if at all.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// Leave out the last element of every answer.
    DropLast,
}

/// Azure AI Translator v3 as documented: `POST
/// /translate?api-version=3.0&from=..&to=..` with `Ocp-Apim-Subscription-Key`
/// (and `Ocp-Apim-Subscription-Region` for a regional resource) and a JSON
/// array `[{"Text": ..}]` of at most 1,000 elements and 50,000 characters,
/// answered by `[{"translations": [{"text", "to"}]}]` in order. Errors are
/// `{"error": {"code", "message"}}` with six-digit codes: a missing or wrong
/// key or region 401000, a bad parameter 4000xx, a wrong Content-Type 415000.
#[derive(Clone)]
struct Azure {
    key: String,
    /// The resource's region, if it is a regional one.
    region: Option<String>,
    fault: Fault,
    /// Every list of texts received, in arrival order.
    seen: Arc<Mutex<Vec<Vec<String>>>>,
}

impl Azure {
    fn new() -> Azure {
        Azure {
            key: KEY.into(),
            region: None,
            fault: Fault::None,
            seen: Arc::default(),
        }
    }

    fn regional(mut self, region: &str) -> Azure {
        self.region = Some(region.into());
        self
    }

    fn with_fault(mut self, fault: Fault) -> Azure {
        self.fault = fault;
        self
    }
}

fn azure_error(status: u16, code: u32, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"error": {"code": code, "message": message}}))
}

fn unauthorized() -> ResponseTemplate {
    azure_error(
        401,
        401000,
        "The request is not authorized because credentials are missing or invalid.",
    )
}

impl Respond for Azure {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let header = |name: &str| {
            request
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(String::from)
        };
        if header("ocp-apim-subscription-key").as_deref() != Some(self.key.as_str()) {
            return unauthorized();
        }
        if let Some(region) = &self.region
            && header("ocp-apim-subscription-region").as_deref() != Some(region.as_str())
        {
            return unauthorized();
        }
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .collect::<Vec<_>>()
        };
        if query("api-version") != ["3.0"] {
            return azure_error(
                400,
                400021,
                "The API version parameter is missing or invalid.",
            );
        }
        let to = query("to");
        if to.is_empty() || !to.iter().all(|t| LANGUAGES.contains(&t.as_str())) {
            return azure_error(400, 400036, "The target language is not valid.");
        }
        let from = query("from");
        if from.len() > 1 || !from.iter().all(|f| LANGUAGES.contains(&f.as_str())) {
            return azure_error(400, 400035, "The source language is not valid.");
        }
        if !header("content-type").is_some_and(|v| v.starts_with("application/json")) {
            return azure_error(
                415,
                415000,
                "The Content-Type header is missing or invalid.",
            );
        }
        let Ok(Value::Array(elements)) = serde_json::from_slice::<Value>(&request.body) else {
            return azure_error(400, 400074, "The body of the request is not valid JSON.");
        };
        let mut texts = Vec::new();
        for element in &elements {
            match element.get("Text").and_then(Value::as_str) {
                Some(t) => texts.push(t.to_string()),
                None => return azure_error(400, 400005, "An input text is missing or invalid."),
            }
        }
        if texts.is_empty() {
            return azure_error(400, 400005, "An input text is missing or invalid.");
        }
        if texts.len() > MAX_ELEMENTS {
            return azure_error(
                400,
                400072,
                "The array of input text has too many elements.",
            );
        }
        let characters: usize = texts.iter().map(|t| t.chars().count()).sum::<usize>() * to.len();
        if characters > MAX_CHARACTERS {
            return azure_error(400, 400077, "The maximum request size has been exceeded.");
        }
        self.seen.lock().unwrap().push(texts.clone());
        let mut answer: Vec<Value> = texts
            .iter()
            .map(|t| {
                let translations: Vec<Value> = to
                    .iter()
                    .map(|lang| json!({"text": english(t), "to": lang}))
                    .collect();
                json!({ "translations": translations })
            })
            .collect();
        if self.fault == Fault::DropLast {
            answer.pop();
        }
        ResponseTemplate::new(200).set_body_json(answer)
    }
}

fn settings(server: &MockServer, key: Option<&str>, region: Option<&str>) -> Settings {
    Settings {
        api_key: key.map(String::from),
        region: region.map(String::from),
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
async fn many_paragraphs_go_a_hundred_at_a_time_and_come_back_in_order() {
    let double = Azure::new();
    let server = serve_at("POST", PATH, double.clone()).await;
    let mut texts: Vec<String> = (0..250)
        .map(|k| format!("Paragraf {k}: “Air naik cepat sekali,” kata warga di Kaligawe."))
        .collect();
    texts[240] = texts[11].clone();
    let (got, stats) = run_provider("azure", &settings(&server, Some(KEY), None), &texts)
        .await
        .unwrap();
    let expected: Vec<String> = texts.iter().map(|t| english(t)).collect();
    assert_eq!(got, expected);

    let seen = double.seen.lock().unwrap();
    let sizes: Vec<usize> = seen.iter().map(Vec::len).collect();
    assert_eq!(sizes.len(), 3, "{sizes:?}");
    assert!(sizes.iter().all(|&n| n <= 100), "{sizes:?}");
    assert_eq!(
        sizes.iter().sum::<usize>(),
        249,
        "the repeated paragraph goes once"
    );
    assert_eq!(stats.requests, 3);
}

#[tokio::test]
async fn long_paragraphs_are_batched_within_the_character_limit() {
    let double = Azure::new();
    let server = serve_at("POST", PATH, double.clone()).await;
    // 60 paragraphs of some 2,000 characters: 120,000 in all.
    let texts: Vec<String> = (0..60)
        .map(|k| {
            let sentence = format!("Paragraf {k} mencatat genangan setinggi 70 sentimeter. ");
            sentence
                .repeat(2000 / sentence.len() + 1)
                .trim()
                .to_string()
        })
        .collect();
    let (got, _) = run_provider("azure", &settings(&server, Some(KEY), None), &texts)
        .await
        .unwrap();
    assert_eq!(got, texts.iter().map(|t| english(t)).collect::<Vec<_>>());
    let seen = double.seen.lock().unwrap();
    assert!(seen.len() >= 3, "{} requests", seen.len());
    for batch in seen.iter() {
        let characters: usize = batch.iter().map(|t| t.chars().count()).sum();
        assert!(
            characters <= 40_000,
            "{characters} characters in one request"
        );
    }
}

#[tokio::test]
async fn the_request_has_the_documented_shape() {
    let server = serve_at("POST", PATH, Azure::new().regional(REGION)).await;
    run_provider(
        "azure",
        &settings(&server, Some(KEY), Some(REGION)),
        &small(),
    )
    .await
    .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), PATH);
    assert_eq!(r.url.query(), Some("api-version=3.0&from=id&to=en"));
    assert_eq!(r.headers["ocp-apim-subscription-key"], KEY);
    assert_eq!(r.headers["ocp-apim-subscription-region"], REGION);
    assert_eq!(r.headers["content-type"], "application/json");
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    let expected: Vec<Value> = small().iter().map(|t| json!({"Text": t})).collect();
    assert_eq!(body, Value::Array(expected));
}

#[tokio::test]
async fn rate_limits_are_retried_until_an_answer() {
    let double = Azure::new();
    let server = serve_at("POST", PATH, double.clone()).await;
    Mock::given(method("POST"))
        .respond_with(
            azure_error(
                429,
                429001,
                "The server rejected the request because the client has exceeded request limits.",
            )
            .insert_header("Retry-After", "0"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(azure_error(
            503,
            503000,
            "The service is temporarily unavailable. Try again.",
        ))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    let (got, stats) = run_provider("azure", &settings(&server, Some(KEY), None), &small())
        .await
        .unwrap();
    assert_eq!(got, small().iter().map(|t| english(t)).collect::<Vec<_>>());
    assert_eq!(requests(&server).await, 3);
    assert_eq!(stats.requests, 3);
    assert_eq!(double.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn the_free_tier_quota_stops_the_run_with_a_resume_hint() {
    let server = serve_at("POST", PATH, Azure::new()).await;
    Mock::given(method("POST"))
        .respond_with(azure_error(
            403,
            403001,
            "The operation is not allowed because the subscription has exceeded its free quota.",
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    let e = run_provider("azure", &settings(&server, Some(KEY), None), &small())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert_eq!(e.exit_code(), 3);
    assert!(m.contains("quota is used up"), "{m}");
    assert!(
        m.contains("HTTP 403 (403001): The operation is not allowed because the subscription has exceeded its free quota."),
        "{m}"
    );
    assert!(m.contains("a re-run resumes"), "{m}");
    assert!(!m.contains(KEY), "{m}");
    assert_eq!(requests(&server).await, 1, "a spent quota is not retried");
}

#[tokio::test]
async fn a_wrong_key_is_fatal_and_never_shown() {
    let server = serve_at("POST", PATH, Azure::new()).await;
    let wrong = "ffffffffffffffffffffffffffffffff";
    let e = run_provider("azure", &settings(&server, Some(wrong), None), &small())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert_eq!(e.exit_code(), 3);
    assert!(m.contains("refused the request"), "{m}");
    assert!(
        m.contains("HTTP 401 (401000): The request is not authorized because credentials are missing or invalid."),
        "{m}"
    );
    assert!(m.contains("--api-key-env"), "{m}");
    assert!(!m.contains(wrong), "{m}");
    assert_eq!(requests(&server).await, 1, "a wrong key is not retried");
}

#[tokio::test]
async fn a_regional_resource_without_its_region_is_refused() {
    let server = serve_at("POST", PATH, Azure::new().regional(REGION)).await;
    let e = run_provider("azure", &settings(&server, Some(KEY), None), &small())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert!(m.contains("401000") && m.contains("region"), "{m}");
    assert!(!m.contains(KEY), "{m}");
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn an_answer_short_by_one_translation_is_an_error() {
    let server = serve_at("POST", PATH, Azure::new().with_fault(Fault::DropLast)).await;
    let e = run_provider("azure", &settings(&server, Some(KEY), None), &small())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert_eq!(e.exit_code(), 3);
    assert!(
        m.contains("2 translations came back for 3 paragraphs sent"),
        "{m}"
    );
    assert_eq!(requests(&server).await, 1 + Options::default().retries);
}

#[tokio::test]
async fn no_key_is_refused_before_anything_is_sent() {
    let server = serve_at("POST", PATH, Azure::new()).await;
    let e = translate::provider("azure", &settings(&server, None, Some(REGION)))
        .err()
        .unwrap();
    assert!(e.contains("--api-key-env"), "{e}");
    assert_eq!(requests(&server).await, 0);
}
