//! The openai provider end to end through the library, against a test double
//! of an OpenAI-compatible chat completions server: batches in order, the
//! bearer key checked, the body's shape, rate limits retried after
//! Retry-After, a spent quota stopping the run, and answers that are short by
//! a translation or cut off at the token limit refused.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{requests, run_provider, serve_at, settings_at};
use selaras::translate::{self, Options, Settings};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, Request, Respond, ResponseTemplate};

const KEY: &str = "sk-proj-right-key-0123456789abcdef";
const PATH: &str = "/v1/chat/completions";

/// How the double misbehaves, if at all.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// Leave out the last translation (the model merged two paragraphs).
    DropLast,
    /// Stop at the token limit: `finish_reason: "length"`, the JSON cut off.
    Length,
}

/// A chat completions server as OpenAI documents it: `POST
/// /v1/chat/completions` with `Authorization: Bearer K` and a JSON body
/// `{model, messages, ...}`, answered by a `chat.completion` object whose
/// `choices[0].message.content` is the model's reply. With `response_format:
/// {type: "json_object"}` the messages must mention JSON. A missing or wrong
/// key gets 401, a malformed body 400, in OpenAI's error shape.
///
/// Its "model" reads the JSON array in the last user message and answers
/// `{"translations": [..]}`, one per element, from a lookup table.
#[derive(Clone)]
struct ChatServer {
    table: Arc<HashMap<String, String>>,
    fault: Fault,
    /// Every array of paragraphs received, in arrival order.
    seen: Arc<Mutex<Vec<Vec<String>>>>,
}

impl ChatServer {
    fn new(texts: &[String]) -> ChatServer {
        ChatServer {
            table: Arc::new(texts.iter().map(|t| (t.clone(), english(t))).collect()),
            fault: Fault::None,
            seen: Arc::default(),
        }
    }

    fn with_fault(mut self, fault: Fault) -> ChatServer {
        self.fault = fault;
        self
    }
}

/// What the double "translates" a text to: recognisably that text's.
fn english(text: &str) -> String {
    format!("EN: {text}")
}

fn openai_error(status: u16, message: &str, kind: &str, code: Option<&str>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"error": {
        "message": message,
        "type": kind,
        "param": null,
        "code": code,
    }}))
}

fn bad_request(message: &str) -> ResponseTemplate {
    openai_error(400, message, "invalid_request_error", None)
}

/// The key as OpenAI shows it in its 401: the start and the last four.
fn masked(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let head: String = chars.iter().take(8).collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len().saturating_sub(12)))
}

fn completion(content: &str, finish_reason: &str) -> Value {
    json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": null},
            "logprobs": null,
            "finish_reason": finish_reason,
        }],
        "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
        "system_fingerprint": "fp_test",
    })
}

impl Respond for ChatServer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let auth = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        match auth.and_then(|a| a.strip_prefix("Bearer ")) {
            None => {
                return openai_error(
                    401,
                    "You didn't provide an API key. You need to provide your API key in an \
                     Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), \
                     or as the password field (with blank username) if you're accessing the API \
                     from your browser and are prompted for a username and password. You can \
                     obtain an API key from https://platform.openai.com/account/api-keys.",
                    "invalid_request_error",
                    None,
                );
            }
            Some(k) if k == KEY => {}
            Some(k) => {
                return openai_error(
                    401,
                    &format!(
                        "Incorrect API key provided: {}. You can find your API key at \
                         https://platform.openai.com/account/api-keys.",
                        masked(k)
                    ),
                    "invalid_request_error",
                    Some("invalid_api_key"),
                );
            }
        }
        let json_body = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return bad_request(
                "We could not parse the JSON body of your request. (HINT: This likely means \
                 you aren't using your HTTP library correctly.)",
            );
        };
        if !json_body {
            return bad_request("Unsupported content type");
        }
        if !body["model"].is_string() {
            return bad_request("you must provide a model parameter");
        }
        let Some(messages) = body["messages"].as_array() else {
            return bad_request("Missing required parameter: 'messages'.");
        };
        if body["response_format"]["type"] == "json_object" {
            let mentions_json = messages.iter().any(|m| {
                m["content"]
                    .as_str()
                    .is_some_and(|c| c.to_ascii_lowercase().contains("json"))
            });
            if !mentions_json {
                return bad_request(
                    "'messages' must contain the word 'json' in some form, to use \
                     'response_format' of type 'json_object'.",
                );
            }
        }
        let user = messages
            .iter()
            .rev()
            .find(|m| m["role"] == "user")
            .and_then(|m| m["content"].as_str());
        let Some(paragraphs) = user.and_then(|u| serde_json::from_str::<Vec<String>>(u).ok())
        else {
            return bad_request("test double: the user message is not a JSON array of strings");
        };
        self.seen.lock().unwrap().push(paragraphs.clone());

        let mut out = Vec::new();
        for p in &paragraphs {
            match self.table.get(p) {
                Some(t) => out.push(t.clone()),
                None => return bad_request(&format!("test double has no translation for: {p}")),
            }
        }
        let answer = match self.fault {
            Fault::None => completion(&json!({ "translations": out }).to_string(), "stop"),
            Fault::DropLast => {
                out.pop();
                completion(&json!({ "translations": out }).to_string(), "stop")
            }
            // A token limit: a batch of more than one paragraph is cut off.
            Fault::Length if out.len() > 1 => {
                let whole = json!({ "translations": out }).to_string();
                let cut: String = whole.chars().take(whole.chars().count() / 2).collect();
                completion(&cut, "length")
            }
            Fault::Length => completion(&json!({ "translations": out }).to_string(), "stop"),
        };
        ResponseTemplate::new(200).set_body_json(answer)
    }
}

/// Settings for the service at `endpoint`, which may be the double's URL
/// or another.
fn settings(endpoint: &str, key: Option<&str>) -> Settings {
    Settings {
        api_key: key.map(String::from),
        ..settings_at(endpoint)
    }
}

fn small() -> Vec<String> {
    [
        "Apa yang terjadi?",
        "Banjir merendam 1.200 rumah di Kaligawe, Semarang. Warga mengungsi.",
        "“Kami mengungsi sejak pukul 02.00,” kata Siti Aminah.",
    ]
    .map(String::from)
    .to_vec()
}

#[tokio::test]
async fn translations_come_back_in_order_across_requests() {
    // 70 paragraphs, a few long: batches split by count and by bytes.
    let mut texts: Vec<String> = (0..70)
        .map(|k| {
            // Every tenth some 4,900 bytes: two of them overflow one request.
            let sentences = if k % 10 == 0 { 200 } else { 2 };
            format!(
                "Paragraf {k}: “Air naik cepat sekali,” kata warga di Kaligawe. {}",
                "Hujan deras turun lagi. ".repeat(sentences)
            )
            .trim_end()
            .to_string()
        })
        .collect();
    texts[55] = texts[7].clone();
    let double = ChatServer::new(&texts);
    let server = serve_at("POST", PATH, double.clone()).await;
    let (got, stats) = run_provider("openai", &settings(&server.uri(), Some(KEY)), &texts)
        .await
        .unwrap();
    let expected: Vec<String> = texts.iter().map(|t| english(t)).collect();
    assert_eq!(got, expected);

    let seen = double.seen.lock().unwrap();
    assert!(seen.len() >= 4, "{} requests", seen.len());
    assert_eq!(stats.requests, seen.len());
    for batch in seen.iter() {
        let bytes: usize = batch.iter().map(String::len).sum();
        assert!(
            batch.len() <= 20 && (bytes <= 8000 || batch.len() == 1),
            "{} texts, {bytes} bytes",
            batch.len()
        );
    }
    let sent: usize = seen.iter().map(Vec::len).sum();
    assert_eq!(sent, 69, "the repeated paragraph goes once");
}

#[tokio::test]
async fn the_request_has_the_documented_shape() {
    let server = serve_at("POST", PATH, ChatServer::new(&small())).await;
    // An endpoint that already ends in /v1 gets only /chat/completions.
    let endpoint = format!("{}/v1", server.uri());
    run_provider("openai", &settings(&endpoint, Some(KEY)), &small())
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), PATH);
    assert_eq!(
        r.headers.get("authorization").unwrap(),
        format!("Bearer {KEY}").as_str()
    );
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["model"], "gpt-4o-mini");
    assert_eq!(body["temperature"], 0);
    assert_eq!(body["response_format"], json!({"type": "json_object"}));
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["messages"][1]["role"], "user");
    let sent: Vec<String> =
        serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
    assert_eq!(sent, small());
}

#[tokio::test]
async fn a_wrong_key_is_fatal_and_never_shown() {
    let server = serve_at("POST", PATH, ChatServer::new(&small())).await;
    let wrong = "sk-proj-wrong-key-9876543210fedcba";
    let e = run_provider("openai", &settings(&server.uri(), Some(wrong)), &small())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert_eq!(e.exit_code(), 3);
    assert!(m.contains("refused the request"), "{m}");
    assert!(m.contains("HTTP 401"), "{m}");
    assert!(m.contains("invalid_api_key"), "{m}");
    assert!(m.contains("Incorrect API key provided"), "{m}");
    assert!(!m.contains(wrong), "{m}");
    assert_eq!(requests(&server).await, 1, "a wrong key is not retried");
}

#[tokio::test]
async fn a_local_server_may_go_without_a_key() {
    // The double is on 127.0.0.1, so no key is needed to build the provider;
    // this one wants a key anyway and says so.
    let server = serve_at("POST", PATH, ChatServer::new(&small())).await;
    let e = run_provider("openai", &settings(&server.uri(), None), &small())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert!(m.contains("HTTP 401"), "{m}");
    assert!(m.contains("You didn't provide an API key"), "{m}");
    assert_eq!(requests(&server).await, 1);
    let received = server.received_requests().await.unwrap();
    assert!(received[0].headers.get("authorization").is_none());

    // A remote server without a key is refused before anything is sent.
    let e = translate::provider("openai", &settings("https://api.example.com", None))
        .err()
        .unwrap();
    assert!(e.contains("--api-key-env"), "{e}");
}

#[tokio::test]
async fn rate_limits_wait_for_retry_after() {
    let double = ChatServer::new(&small());
    let server = serve_at("POST", PATH, double.clone()).await;
    Mock::given(method("POST"))
        .respond_with(
            openai_error(
                429,
                "Rate limit reached for gpt-4o-mini in organization org-test on requests per \
                 min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s. Visit \
                 https://platform.openai.com/account/rate-limits to learn more.",
                "requests",
                Some("rate_limit_exceeded"),
            )
            .insert_header("retry-after", "1")
            .insert_header("x-ratelimit-remaining-requests", "0"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let (got, stats) = run_provider("openai", &settings(&server.uri(), Some(KEY)), &small())
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
    assert_eq!(got, small().iter().map(|t| english(t)).collect::<Vec<_>>());
    assert_eq!(requests(&server).await, 2);
    assert_eq!(stats.requests, 2);
    assert_eq!(double.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_spent_quota_stops_the_run_with_a_resume_hint() {
    let server = serve_at("POST", PATH, ChatServer::new(&small())).await;
    Mock::given(method("POST"))
        .respond_with(openai_error(
            429,
            "You exceeded your current quota, please check your plan and billing details. For \
             more information on this error, read the docs: \
             https://platform.openai.com/docs/guides/error-codes/api-errors.",
            "insufficient_quota",
            Some("insufficient_quota"),
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    let e = run_provider("openai", &settings(&server.uri(), Some(KEY)), &small())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert_eq!(e.exit_code(), 3);
    assert!(m.contains("quota is used up"), "{m}");
    assert!(
        m.contains("HTTP 429 (insufficient_quota): You exceeded your current quota"),
        "{m}"
    );
    assert!(m.contains("a re-run resumes"), "{m}");
    assert_eq!(requests(&server).await, 1, "a spent quota is not retried");
}

#[tokio::test]
async fn an_answer_short_of_a_translation_is_an_error() {
    let server = serve_at(
        "POST",
        PATH,
        ChatServer::new(&small()).with_fault(Fault::DropLast),
    )
    .await;
    let e = run_provider("openai", &settings(&server.uri(), Some(KEY)), &small())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert_eq!(e.exit_code(), 3);
    assert!(m.contains("invalid answer"), "{m}");
    assert!(
        m.contains("2 translations came back for 3 paragraphs sent"),
        "{m}"
    );
    // A miscounted answer is asked again, then the run stops: never a
    // shifted row.
    let tries = 1 + Options::default().retries;
    assert!(m.contains(&format!("gave up after {tries} tries")), "{m}");
    assert_eq!(requests(&server).await, tries);
}

#[tokio::test]
async fn a_miscounted_answer_is_asked_again() {
    let double = ChatServer::new(&small());
    let server = serve_at("POST", PATH, double.clone()).await;
    let two: Vec<String> = small()[..2].iter().map(|t| english(t)).collect();
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(
            &json!({ "translations": two }).to_string(),
            "stop",
        )))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let (got, stats) = run_provider("openai", &settings(&server.uri(), Some(KEY)), &small())
        .await
        .unwrap();
    assert_eq!(got, small().iter().map(|t| english(t)).collect::<Vec<_>>());
    assert_eq!(stats.requests, 2);
    assert_eq!(double.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn an_answer_cut_off_at_the_token_limit_is_sent_again_in_smaller_pieces() {
    let double = ChatServer::new(&small()).with_fault(Fault::Length);
    let server = serve_at("POST", PATH, double.clone()).await;
    let (got, stats) = run_provider("openai", &settings(&server.uri(), Some(KEY)), &small())
        .await
        .unwrap();
    assert_eq!(got, small().iter().map(|t| english(t)).collect::<Vec<_>>());
    assert!(stats.requests > 1, "the cut-off batch was not sent again");
    // Every batch after the first is smaller than the first.
    let seen = double.seen.lock().unwrap();
    assert!(seen.iter().skip(1).all(|b| b.len() < seen[0].len()));
}
