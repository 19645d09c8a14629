//! The mymemory provider end to end through the library, against a test double
//! of MyMemory's `GET /get`: one text per request in order, the query's
//! shape, busy answers retried, a spent daily quota stopping the run, and
//! MyMemory's warnings, which arrive inside an HTTP 200 where the translation
//! would be, never taken for translations.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::{requests, run_provider_with, serve_at, settings_for, test_options};
use selaras::translate::{self, Options, Settings};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const WARNING: &str = "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY. NEXT AVAILABLE IN  11 HOURS 29 MINUTES 04 SECONDS VISIT HTTPS://MYMEMORY.TRANSLATED.NET/DOC/USAGELIMITS.PHP TO TRANSLATE MORE";

/// What the double "translates" a text to: recognisably that text's.
fn english(q: &str) -> String {
    format!("EN: {q}")
}

/// One query as the double received it.
#[derive(Debug, Clone)]
struct Query {
    q: String,
    langpair: String,
    de: Option<String>,
}

/// MyMemory as it behaves: `GET /get?q=..&langpair=xx|yy[&de=..]`; `q` of
/// at most 500 bytes. Every answer is HTTP 200 with the full JSON shape, an
/// error told by `responseStatus` (a string, as MyMemory sends it for errors)
/// and the message in both `responseDetails` and `translatedText`. After
/// `quota` translations it answers with the daily-quota warning.
#[derive(Clone)]
struct MyMemory {
    seen: Arc<Mutex<Vec<Query>>>,
    quota: Option<usize>,
    answered: Arc<AtomicUsize>,
}

impl MyMemory {
    fn new() -> MyMemory {
        MyMemory {
            seen: Arc::default(),
            quota: None,
            answered: Arc::default(),
        }
    }
}

fn answer(status: serde_json::Value, text: &str, details: &str, quota: bool) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "responseData": {"translatedText": text, "match": if quota { 0 } else { 1 }},
        "quotaFinished": quota,
        "mtLangSupported": null,
        "responseDetails": details,
        "responseStatus": status,
        "responderId": null,
        "exception_code": null,
        "matches": [],
    }))
}

fn refusal(message: &str) -> ResponseTemplate {
    answer(serde_json::json!("403"), message, message, false)
}

impl Respond for MyMemory {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let get = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let Some(q) = get("q").filter(|q| !q.is_empty()) else {
            return refusal("NO QUERY SPECIFIED. EXAMPLE REQUEST: GET?Q=HELLO&LANGPAIR=EN|IT");
        };
        let langpair = get("langpair").unwrap_or_default();
        let Some((source, target)) = langpair
            .split_once('|')
            .filter(|(s, t)| !s.is_empty() && !t.is_empty())
        else {
            return refusal("INVALID LANGUAGE PAIR");
        };
        if source.eq_ignore_ascii_case(target) {
            return refusal("PLEASE SELECT TWO DISTINCT LANGUAGES");
        }
        if q.len() > 500 {
            return refusal("QUERY LENGTH LIMIT EXCEEDED. MAX ALLOWED QUERY : 500 CHARS");
        }
        self.seen.lock().unwrap().push(Query {
            q: q.clone(),
            langpair: langpair.clone(),
            de: get("de"),
        });
        let n = self.answered.fetch_add(1, Ordering::SeqCst);
        if self.quota.is_some_and(|quota| n >= quota) {
            return answer(serde_json::json!(429), WARNING, WARNING, true);
        }
        let translation = english(&q);
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "responseData": {"translatedText": translation, "match": 0.85},
            "quotaFinished": false,
            "mtLangSupported": null,
            "responseDetails": "",
            "responseStatus": 200,
            "responderId": null,
            "exception_code": null,
            "matches": [{
                "id": "0", "segment": q, "translation": translation,
                "source": format!("{source}-ID"), "target": format!("{target}-GB"),
                "quality": 70, "reference": "Machine Translation.", "usage-count": 2,
                "subject": "", "created-by": "MT!", "last-updated-by": "MT!",
                "create-date": "2024-01-01 00:00:00", "last-update-date": "2024-01-01 00:00:00",
                "match": 0.85, "penalty": 0, "model": "neural",
            }],
        }))
    }
}

fn settings(server: &MockServer, email: Option<&str>) -> Settings {
    Settings {
        email: email.map(String::from),
        ..settings_for(server)
    }
}

/// `texts` through mymemory with `concurrency` requests in flight at once.
async fn run(
    settings: &Settings,
    texts: &[String],
    concurrency: usize,
) -> selaras::error::Result<(Vec<String>, translate::Stats)> {
    let options = Options {
        concurrency,
        ..test_options()
    };
    run_provider_with("mymemory", settings, texts, &options).await
}

fn small() -> Vec<String> {
    [
        "Apa yang terjadi?",
        "Banjir merendam 1.200 rumah. Warga mengungsi.",
        "“Kami mengungsi,” kata Siti.",
        "Harga cabai | Rp 80.000 & naik",
        "Apa yang terjadi?",
        "(Andi Putra/Antara)",
    ]
    .map(String::from)
    .to_vec()
}

#[tokio::test]
async fn one_text_per_request_and_translations_in_order() {
    let double = MyMemory::new();
    let server = serve_at("GET", "/get", double.clone()).await;
    let texts = small();
    let (got, stats) = run(&settings(&server, Some("desk@example.id")), &texts, 4)
        .await
        .unwrap();
    assert_eq!(got, texts.iter().map(|t| english(t)).collect::<Vec<_>>());
    let seen = double.seen.lock().unwrap();
    assert_eq!(seen.len(), 5, "the repeated headline goes once");
    assert_eq!(stats.requests, 5);
    for query in seen.iter() {
        assert!(query.q.len() <= 500);
        assert_eq!(query.langpair, "id|en");
        assert_eq!(query.de.as_deref(), Some("desk@example.id"));
    }
    let mut sent: Vec<&str> = seen.iter().map(|s| s.q.as_str()).collect();
    sent.sort();
    let mut unique: Vec<&str> = texts.iter().map(String::as_str).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(sent, unique);
}

#[tokio::test]
async fn the_query_is_encoded_and_has_no_email_unless_given() {
    let server = serve_at("GET", "/get", MyMemory::new()).await;
    let texts = vec!["Harga cabai | Rp 80.000 & “naik”".to_string()];
    run(&settings(&server, None), &texts, 1).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(r.method.as_str(), "GET");
    assert_eq!(
        r.url.query(),
        Some("q=Harga+cabai+%7C+Rp+80.000+%26+%E2%80%9Cnaik%E2%80%9D&langpair=id%7Cen")
    );
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn busy_answers_are_retried_until_a_translation() {
    let double = MyMemory::new();
    let server = serve_at("GET", "/get", double.clone()).await;
    // An HTTP 429, then a 200 whose responseStatus is "429".
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).set_body_string("Too Many Requests"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(answer(
            serde_json::json!("429"),
            "TOO MANY REQUESTS",
            "TOO MANY REQUESTS",
            false,
        ))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    let texts = vec!["Warga mengungsi.".to_string()];
    let (got, stats) = run(&settings(&server, None), &texts, 1).await.unwrap();
    assert_eq!(got, ["EN: Warga mengungsi."]);
    assert_eq!(requests(&server).await, 3);
    assert_eq!(stats.requests, 3);
}

#[tokio::test]
async fn a_spent_daily_quota_stops_the_run_with_a_resume_hint() {
    let mut double = MyMemory::new();
    double.quota = Some(2);
    let server = serve_at("GET", "/get", double.clone()).await;
    // Three texts: two answered, the third meets the warning.
    let texts = small()[..3].to_vec();
    let e = run(&settings(&server, None), &texts, 1).await.unwrap_err();
    let m = e.to_string();
    assert_eq!(e.exit_code(), 3);
    assert!(m.contains("daily quota"), "{m}");
    assert!(m.contains("email"), "{m}");
    assert!(m.contains("a re-run resumes"), "{m}");
    assert!(m.contains("NEXT AVAILABLE IN"), "{m}");
    assert_eq!(
        requests(&server).await,
        3,
        "two translations, then one warning, not retried"
    );
}

#[tokio::test]
async fn a_warning_inside_a_200_never_becomes_a_translation() {
    let server = serve_at("GET", "/get", MyMemory::new()).await;
    // The sneakiest shape: status 200, no flag, the warning as the text.
    Mock::given(method("GET"))
        .respond_with(answer(serde_json::json!(200), WARNING, "", false))
        .with_priority(1)
        .mount(&server)
        .await;
    let texts = vec!["Warga mengungsi.".to_string()];
    let e = run(&settings(&server, Some("desk@example.id")), &texts, 1)
        .await
        .unwrap_err();
    let m = e.to_string();
    assert!(m.contains("quota"), "{m}");
    assert!(m.contains("a re-run resumes"), "{m}");
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_refusal_inside_a_200_is_fatal() {
    let double = MyMemory::new();
    let server = serve_at("GET", "/get", double.clone()).await;
    let same = Settings {
        target: "id".into(),
        ..settings(&server, None)
    };
    let texts = vec!["Warga mengungsi.".to_string()];
    let e = run(&same, &texts, 1).await.unwrap_err();
    let m = e.to_string();
    assert_eq!(e.exit_code(), 3);
    assert!(m.contains("refused the request"), "{m}");
    assert!(m.contains("PLEASE SELECT TWO DISTINCT LANGUAGES"), "{m}");
    assert!(m.contains("id|id"), "{m}");
    assert_eq!(requests(&server).await, 1, "a refusal is not retried");
    assert!(double.seen.lock().unwrap().is_empty());
}
