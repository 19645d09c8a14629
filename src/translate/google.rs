//! Google Cloud Translation v2 (Basic): `POST
//! /language/translate/v2?key=K` with a JSON body `{q: [..], source, target,
//! format: "text"}`, answered by `{"data": {"translations":
//! [{"translatedText": ..}]}}` in the order sent. At most 128 segments per
//! request, and Google recommends at most 5,000 characters. With `format:
//! "text"` the translations come back as plain text, not HTML with entities.
//! With `--protect-names` the texts are HTML (`format: "html"`): the names
//! travel inside `<span translate="no">`, which Google leaves as it is, and
//! the answers are HTML, entities and all.
//!
//! Errors are `{"error": {"code", "message", "status", "errors": [{"reason",
//! "domain", "message"}], "details": [{"reason", "metadata"}]}}`. A quota
//! shows as 403 (or 429) with a reason such as `dailyLimitExceeded` ("Daily
//! Limit Exceeded") for a daily quota, or `userRateLimitExceeded` ("User Rate
//! Limit Exceeded") for a per-minute one; a wrong key as 400 `badRequest` /
//! `API_KEY_INVALID`.
//!
//! The key travels in the URL, so no message built here contains the URL, and
//! the key is blanked out of anything the service echoes back.

use std::collections::HashMap;

use reqwest::StatusCode;
use serde::Deserialize;

use super::{Failure, Limits, Markup, Provider, Settings, excerpt, failure_for_status, with_path};

/// Google's own server.
pub const PUBLIC_ENDPOINT: &str = "https://translation.googleapis.com";

pub struct Google {
    /// The endpoint with its path, without the key.
    url: reqwest::Url,
    key: String,
    source: String,
    target: String,
    /// `--protect-names`: HTML, with `translate="no"` elements kept.
    protect: bool,
}

impl Google {
    /// The endpoint defaults to Google's server; the key is required.
    pub fn new(settings: &Settings) -> Result<Google, String> {
        let key = match settings.api_key.as_deref().map(str::trim) {
            Some(k) if !k.is_empty() => k.to_string(),
            _ => {
                return Err(
                    "google needs an API key: put it in an environment variable and name that \
                     variable with --api-key-env (for example --api-key-env GOOGLE_API_KEY)"
                        .into(),
                );
            }
        };
        let public = PUBLIC_ENDPOINT.parse().expect("valid URL");
        let endpoint = settings.endpoint.as_ref().unwrap_or(&public);
        Ok(Google {
            url: with_path(endpoint, "/language/translate/v2"),
            key,
            source: settings.source.clone(),
            target: settings.target.clone(),
            protect: settings.protect_names,
        })
    }

    /// `message` with the key blanked out, should the service echo it.
    fn redact(&self, message: String) -> String {
        message.replace(self.key.as_str(), "***")
    }

    /// Reads a refusal: the reasons Google gives decide, then the status.
    fn failure(&self, status: StatusCode, body: &[u8]) -> Failure {
        let Ok(ErrorAnswer { error }) = serde_json::from_slice::<ErrorAnswer>(body) else {
            return failure_for_status(
                status,
                self.redact(format!("HTTP {}: {}", status, excerpt(body))),
            );
        };
        let reasons: Vec<&str> = error
            .errors
            .iter()
            .filter_map(|e| e.reason.as_deref())
            .chain(error.details.iter().filter_map(|d| d.reason.as_deref()))
            .collect();
        let message = if error.message.is_empty() {
            error
                .errors
                .iter()
                .find_map(|e| e.message.clone())
                .unwrap_or_default()
        } else {
            error.message.clone()
        };
        let code = error.code.unwrap_or(status.as_u16());
        let mut label = reasons.join(", ");
        if label.is_empty() {
            label = error.status.clone().unwrap_or_default();
        }
        let quoted = if label.is_empty() {
            format!("HTTP {code}: {message}")
        } else {
            format!("HTTP {code} ({label}): {message}")
        };
        let quoted = self.redact(quoted);

        // A per-day limit cannot be waited out; the docs name it "Daily Limit
        // Exceeded", and newer answers name the limit in the metadata.
        let daily = message.to_ascii_lowercase().contains("daily limit")
            || message.to_ascii_lowercase().contains("per day")
            || error.details.iter().any(|d| {
                d.metadata
                    .get("quota_limit")
                    .is_some_and(|l| l.to_ascii_lowercase().contains("perday"))
            });
        let kinds: Vec<Kind> = reasons.iter().map(|r| kind(r)).collect();
        if daily || kinds.contains(&Kind::Quota) {
            Failure::Quota(format!(
                "{quoted}; Google's daily quotas reset at midnight Pacific Time, \
                 and the Google Cloud console shows and raises them"
            ))
        } else if kinds.contains(&Kind::Fatal) {
            Failure::Fatal(quoted)
        } else if kinds.contains(&Kind::Retry) {
            Failure::Retry(quoted)
        } else {
            failure_for_status(status, quoted)
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Retry,
    Quota,
    Fatal,
    Unknown,
}

/// What an `errors[].reason` (domain `usageLimits`, `global`) or a
/// `details[].reason` (`google.rpc.ErrorInfo`) means for us.
fn kind(reason: &str) -> Kind {
    match reason {
        "rateLimitExceeded"
        | "userRateLimitExceeded"
        | "rateLimitExceededUnreg"
        | "userRateLimitExceededUnreg"
        | "servingLimitExceeded"
        | "concurrentLimitExceeded"
        | "backendError"
        | "internalError"
        | "RATE_LIMIT_EXCEEDED" => Kind::Retry,
        "dailyLimitExceeded"
        | "dailyLimitExceededUnreg"
        | "quotaExceeded"
        | "RESOURCE_QUOTA_EXCEEDED" => Kind::Quota,
        "keyInvalid"
        | "keyExpired"
        | "forbidden"
        | "accessNotConfigured"
        | "accessNotConfiguredUnreg"
        | "ipRefererBlocked"
        | "billingNotEnabled"
        | "accountDisabled"
        | "insufficientPermissions"
        | "authError"
        | "badRequest"
        | "invalid"
        | "invalidParameter"
        | "invalidValue"
        | "required"
        | "parseError"
        | "notFound"
        | "SERVICE_DISABLED"
        | "BILLING_DISABLED"
        | "API_KEY_INVALID"
        | "API_KEY_EXPIRED"
        | "API_KEY_SERVICE_BLOCKED"
        | "API_KEY_HTTP_REFERRER_BLOCKED"
        | "API_KEY_IP_ADDRESS_BLOCKED"
        | "API_KEY_ANDROID_APP_BLOCKED"
        | "API_KEY_IOS_APP_BLOCKED"
        | "CONSUMER_SUSPENDED"
        | "CONSUMER_INVALID"
        | "SERVICE_NOT_VISIBLE"
        | "USER_PROJECT_DENIED" => Kind::Fatal,
        _ => Kind::Unknown,
    }
}

#[derive(Deserialize)]
struct Answer {
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    translations: Vec<Translation>,
}

#[derive(Deserialize)]
struct Translation {
    #[serde(rename = "translatedText")]
    translated: String,
}

#[derive(Deserialize)]
struct ErrorAnswer {
    error: ErrorBody,
}

#[derive(Deserialize)]
struct ErrorBody {
    code: Option<u16>,
    #[serde(default)]
    message: String,
    status: Option<String>,
    #[serde(default)]
    errors: Vec<ErrorItem>,
    #[serde(default)]
    details: Vec<Detail>,
}

#[derive(Deserialize)]
struct ErrorItem {
    reason: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct Detail {
    reason: Option<String>,
    #[serde(default)]
    metadata: HashMap<String, String>,
}

impl Provider for Google {
    fn name(&self) -> &'static str {
        "google"
    }

    fn limits(&self) -> Limits {
        // 128 segments at most; 5,000 characters recommended. Bytes are never
        // fewer than characters, so 5,000 bytes keeps within the advice.
        Limits {
            items: 100,
            bytes: 5000,
        }
    }

    fn request(&self, http: &reqwest::Client, texts: &[&str]) -> reqwest::RequestBuilder {
        let mut url = self.url.clone();
        url.query_pairs_mut().append_pair("key", &self.key);
        http.post(url).json(&serde_json::json!({
            "q": texts,
            "source": self.source,
            "target": self.target,
            "format": if self.protect { "html" } else { "text" },
        }))
    }

    fn markup(&self) -> Option<Markup> {
        self.protect.then_some(Markup::Html)
    }

    fn parse(&self, status: StatusCode, body: &[u8]) -> Result<Vec<String>, Failure> {
        if !status.is_success() {
            return Err(self.failure(status, body));
        }
        match serde_json::from_slice::<Answer>(body) {
            Ok(a) => Ok(a
                .data
                .translations
                .into_iter()
                .map(|t| t.translated)
                .collect()),
            Err(e) => Err(Failure::Invalid(self.redact(format!(
                "the answer is not Google Cloud Translation's JSON ({e}): {}",
                excerpt(body)
            )))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::{json_body, test_http, test_settings as settings};

    const KEY: &str = "AIzaSy-test-key_123";

    fn provider() -> Google {
        Google::new(&settings(None, Some(KEY))).unwrap()
    }

    fn google_error(code: u16, reason: &str, message: &str, status: &str) -> Vec<u8> {
        serde_json::json!({"error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": "usageLimits", "reason": reason}],
            "status": status,
        }})
        .to_string()
        .into_bytes()
    }

    #[test]
    fn key_is_required() {
        for key in [None, Some(""), Some("  ")] {
            let e = Google::new(&settings(None, key)).err().unwrap();
            assert!(e.contains("--api-key-env"), "{e}");
        }
    }

    #[test]
    fn endpoint_default_and_own() {
        assert_eq!(
            provider().url.as_str(),
            "https://translation.googleapis.com/language/translate/v2"
        );
        let p = Google::new(&settings(Some("http://127.0.0.1:9/"), Some(KEY))).unwrap();
        assert_eq!(p.url.as_str(), "http://127.0.0.1:9/language/translate/v2");
        let p = Google::new(&settings(Some("http://h/language/translate/v2"), Some(KEY))).unwrap();
        assert_eq!(p.url.as_str(), "http://h/language/translate/v2");
    }

    #[test]
    fn request_carries_key_in_query_and_texts_in_json() {
        let p = provider();
        let texts = [
            "Banjir merendam 1.200 rumah.",
            "“Kami mengungsi,” kata Siti.",
        ];
        let request = p.request(&test_http(), &texts).build().unwrap();
        assert_eq!(request.method(), reqwest::Method::POST);
        assert_eq!(
            request.url().as_str(),
            format!("https://translation.googleapis.com/language/translate/v2?key={KEY}")
        );
        let pairs: Vec<(String, String)> = request.url().query_pairs().into_owned().collect();
        assert_eq!(pairs, [("key".to_string(), KEY.to_string())]);
        assert_eq!(
            request.headers()["content-type"],
            "application/json",
            "JSON body"
        );
        let body: serde_json::Value = json_body(&request);
        assert_eq!(
            body,
            serde_json::json!({
                "q": texts,
                "source": "id",
                "target": "en",
                "format": "text",
            })
        );
        // The stored URL never carries the key; only the request does.
        assert!(!p.url.as_str().contains(KEY));
    }

    #[test]
    fn protected_names_ask_for_html() {
        assert_eq!(provider().markup(), None);
        let p = Google::new(&Settings {
            protect_names: true,
            ..settings(None, Some(KEY))
        })
        .unwrap();
        assert_eq!(p.markup(), Some(Markup::Html));
        let texts = ["Kata <span translate=\"no\">Associated Press</span> &amp; AFP."];
        let request = p.request(&test_http(), &texts).build().unwrap();
        let body: serde_json::Value = json_body(&request);
        assert_eq!(
            body,
            serde_json::json!({
                "q": texts,
                "source": "id",
                "target": "en",
                "format": "html",
            })
        );
    }

    #[test]
    fn key_with_reserved_characters_is_encoded() {
        let p = Google::new(&settings(None, Some("a&b=c d"))).unwrap();
        let request = p.request(&test_http(), &["x"]).build().unwrap();
        assert_eq!(request.url().query(), Some("key=a%26b%3Dc+d"));
    }

    #[test]
    fn translations_in_order() {
        let p = provider();
        let ok = br#"{"data": {"translations": [
            {"translatedText": "Floods submerged 1,200 homes."},
            {"translatedText": "\"We fled,\" said Siti.", "detectedSourceLanguage": "id"}
        ]}}"#;
        assert_eq!(
            p.parse(StatusCode::OK, ok).unwrap(),
            ["Floods submerged 1,200 homes.", "\"We fled,\" said Siti."]
        );
        // An unreadable success is worth another try.
        assert!(matches!(
            p.parse(StatusCode::OK, b"<html>"),
            Err(Failure::Invalid(_))
        ));
        assert!(matches!(
            p.parse(StatusCode::OK, br#"{"data": {}}"#),
            Err(Failure::Invalid(_))
        ));
    }

    #[test]
    fn rate_limits_are_retried() {
        let p = provider();
        for reason in ["rateLimitExceeded", "userRateLimitExceeded"] {
            let body = google_error(403, reason, "User Rate Limit Exceeded", "PERMISSION_DENIED");
            match p.parse(StatusCode::FORBIDDEN, &body) {
                Err(Failure::Retry(m)) => {
                    assert_eq!(m, format!("HTTP 403 ({reason}): User Rate Limit Exceeded"))
                }
                other => panic!("{reason}: {other:?}"),
            }
        }
        // The newer shape: 429 RESOURCE_EXHAUSTED with an ErrorInfo detail.
        let minute = br#"{"error": {"code": 429, "message": "Quota exceeded for quota metric 'v2 and v3 general model characters' and limit 'v2 and v3 general model characters per minute per user' of service 'translate.googleapis.com'", "status": "RESOURCE_EXHAUSTED", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED", "domain": "googleapis.com", "metadata": {"quota_limit": "DefaultCharactersPerMinutePerUser", "service": "translate.googleapis.com"}}]}}"#;
        assert!(matches!(
            p.parse(StatusCode::TOO_MANY_REQUESTS, minute),
            Err(Failure::Retry(m)) if m.starts_with("HTTP 429 (RATE_LIMIT_EXCEEDED): Quota exceeded")
        ));
    }

    #[test]
    fn daily_quotas_stop() {
        let p = provider();
        for reason in [
            "dailyLimitExceeded",
            "quotaExceeded",
            "dailyLimitExceededUnreg",
        ] {
            let body = google_error(403, reason, "Daily Limit Exceeded", "PERMISSION_DENIED");
            match p.parse(StatusCode::FORBIDDEN, &body) {
                Err(Failure::Quota(m)) => assert!(
                    m.starts_with(&format!("HTTP 403 ({reason}): Daily Limit Exceeded;")),
                    "{m}"
                ),
                other => panic!("{reason}: {other:?}"),
            }
        }
        // A per-day limit named only in the metadata is a quota too.
        let day = br#"{"error": {"code": 429, "message": "Quota exceeded for quota metric 'v2 and v3 general model characters' and limit 'v2 and v3 general model characters per day'", "status": "RESOURCE_EXHAUSTED", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED", "domain": "googleapis.com", "metadata": {"quota_limit": "DefaultCharactersPerDayPerProject"}}]}}"#;
        assert!(matches!(
            p.parse(StatusCode::TOO_MANY_REQUESTS, day),
            Err(Failure::Quota(_))
        ));
    }

    #[test]
    fn key_and_access_problems_are_fatal() {
        let p = provider();
        for (code, reason) in [
            (400, "keyInvalid"),
            (403, "forbidden"),
            (403, "accessNotConfigured"),
            (403, "ipRefererBlocked"),
        ] {
            let status = StatusCode::from_u16(code).unwrap();
            let body = google_error(code, reason, "Access denied.", "PERMISSION_DENIED");
            assert_eq!(
                p.parse(status, &body),
                Err(Failure::Fatal(format!(
                    "HTTP {code} ({reason}): Access denied."
                ))),
            );
        }
        // What Google answers for a wrong key today.
        let wrong = br#"{"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "errors": [{"message": "API key not valid. Please pass a valid API key.", "domain": "global", "reason": "badRequest"}], "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com", "metadata": {"service": "translate.googleapis.com"}}]}}"#;
        assert_eq!(
            p.parse(StatusCode::BAD_REQUEST, wrong),
            Err(Failure::Fatal(
                "HTTP 400 (badRequest, API_KEY_INVALID): API key not valid. Please pass a valid API key."
                    .into()
            ))
        );
        // A reason Google names as fatal wins over a retryable status.
        let body = google_error(503, "keyExpired", "API key expired.", "UNAVAILABLE");
        assert!(matches!(
            p.parse(StatusCode::SERVICE_UNAVAILABLE, &body),
            Err(Failure::Fatal(_))
        ));
    }

    #[test]
    fn unknown_reasons_and_bodies_go_by_status() {
        let p = provider();
        let body = google_error(500, "somethingNew", "Internal error.", "INTERNAL");
        assert_eq!(
            p.parse(StatusCode::INTERNAL_SERVER_ERROR, &body),
            Err(Failure::Retry(
                "HTTP 500 (somethingNew): Internal error.".into()
            ))
        );
        let bare = br#"{"error": {"code": 400, "message": "Invalid Value", "status": "INVALID_ARGUMENT"}}"#;
        assert_eq!(
            p.parse(StatusCode::BAD_REQUEST, bare),
            Err(Failure::Fatal(
                "HTTP 400 (INVALID_ARGUMENT): Invalid Value".into()
            ))
        );
        let html = b"<html><body>502 Bad Gateway</body></html>";
        assert!(
            matches!(p.parse(StatusCode::BAD_GATEWAY, html), Err(Failure::Retry(m)) if m.contains("502"))
        );
        assert!(matches!(
            p.parse(StatusCode::NOT_FOUND, b"Not Found"),
            Err(Failure::Fatal(_))
        ));
    }

    #[test]
    fn the_key_never_appears_in_a_message() {
        let p = provider();
        let echo = google_error(
            400,
            "keyInvalid",
            &format!(
                "Bad key {KEY} for https://translation.googleapis.com/language/translate/v2?key={KEY}"
            ),
            "INVALID_ARGUMENT",
        );
        let html = format!("<html>no such key {KEY}</html>");
        for (status, body) in [
            (StatusCode::BAD_REQUEST, echo),
            (StatusCode::FORBIDDEN, html.clone().into_bytes()),
            (StatusCode::OK, html.into_bytes()),
        ] {
            let (Err(Failure::Fatal(m))
            | Err(Failure::Retry(m))
            | Err(Failure::Quota(m))
            | Err(Failure::Invalid(m))) = p.parse(status, &body)
            else {
                panic!("{status} should fail");
            };
            assert!(!m.contains(KEY), "{m}");
            assert!(m.contains("***"), "{m}");
        }
    }
}
