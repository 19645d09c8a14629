//! MyMemory: `GET /get?q=..&langpair=id|en[&de=email][&key=K]`, one text of at
//! most 500 bytes (UTF-8) per request, answered by `{"responseData":
//! {"translatedText": .., "match": ..}, "responseStatus": 200,
//! "responseDetails": "", "quotaFinished": false, "matches": [..]}`.
//!
//! MyMemory reports most errors inside an HTTP 200: `responseStatus` (a number
//! or a string such as `"403"`) says what happened, and the message is in
//! `responseDetails` and often in `translatedText` too ("PLEASE SELECT TWO
//! DISTINCT LANGUAGES", "QUERY LENGTH LIMIT EXCEEDED..."). A spent daily quota
//! shows as `quotaFinished: true` and/or a `translatedText` of "MYMEMORY
//! WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY...", sometimes
//! with status 429. None of these texts is ever taken for a translation.

use reqwest::StatusCode;
use serde::Deserialize;

use super::{Failure, Limits, Provider, Settings, excerpt, failure_for_status, with_path};

/// MyMemory's public server, keyless.
pub const PUBLIC_ENDPOINT: &str = "https://api.mymemory.translated.net";

/// The start of MyMemory's daily-quota warning, upper case as it comes.
const QUOTA_WARNING: &str = "YOU USED ALL AVAILABLE FREE TRANSLATIONS";

/// What MyMemory writes, in capitals, where a translation would go when it
/// refuses a request.
const REFUSALS: &[&str] = &[
    "MYMEMORY WARNING",
    "MYMEMORY ERROR",
    "INVALID LANGUAGE PAIR",
    "PLEASE SELECT TWO DISTINCT LANGUAGES",
    "QUERY LENGTH LIMIT EXCEEDED",
    "IS AN INVALID SOURCE LANGUAGE",
    "IS AN INVALID TARGET LANGUAGE",
    "INVALID SOURCE LANGUAGE",
    "INVALID TARGET LANGUAGE",
    "NO QUERY SPECIFIED",
    "INVALID EMAIL",
    "INVALID KEY",
];

pub struct MyMemory {
    url: reqwest::Url,
    langpair: String,
    email: Option<String>,
    key: Option<String>,
}

impl MyMemory {
    /// The endpoint defaults to MyMemory's public server; no key is needed.
    pub fn new(settings: &Settings) -> MyMemory {
        let public = PUBLIC_ENDPOINT.parse().expect("valid URL");
        let endpoint = settings.endpoint.as_ref().unwrap_or(&public);
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(String::from)
        };
        MyMemory {
            url: with_path(endpoint, "/get"),
            langpair: format!("{}|{}", settings.source, settings.target),
            email: given(&settings.email),
            key: given(&settings.api_key),
        }
    }

    /// `message` with the key blanked out, should the service echo it.
    fn redact(&self, message: String) -> String {
        match &self.key {
            Some(k) => message.replace(k.as_str(), "***"),
            None => message,
        }
    }

    fn quota(&self, warning: &str) -> Failure {
        let warning = warning.trim();
        let said = if warning.is_empty() {
            String::new()
        } else {
            format!(" (MyMemory says “{warning}”)")
        };
        let advice = if self.email.is_some() {
            "it renews within a day; the contact email is already sent, \
             so ask MyMemory for a larger volume or use another provider"
        } else {
            "it renews within a day, and setting a contact email \
             (the email setting, sent as `de`) raises it"
        };
        Failure::Quota(self.redact(format!(
            "MyMemory's free daily quota is spent{said}; {advice}"
        )))
    }
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "responseData")]
    data: Option<Data>,
    #[serde(rename = "responseStatus")]
    status: Option<serde_json::Value>,
    #[serde(rename = "responseDetails")]
    details: Option<serde_json::Value>,
    #[serde(rename = "quotaFinished")]
    quota_finished: Option<bool>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(rename = "translatedText")]
    translated: Option<String>,
}

/// `responseStatus`, a number or a number in a string.
fn status_code(value: &serde_json::Value) -> Option<u16> {
    match value {
        serde_json::Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A text in capitals that carries one of MyMemory's refusals.
fn is_refusal(text: &str) -> bool {
    let text = text.trim();
    text.chars().any(char::is_alphabetic)
        && text == text.to_uppercase()
        && REFUSALS.iter().any(|r| text.contains(r))
}

fn is_quota_warning(text: &str) -> bool {
    text.to_uppercase().contains(QUOTA_WARNING)
}

impl Provider for MyMemory {
    fn name(&self) -> &'static str {
        "mymemory"
    }

    fn limits(&self) -> Limits {
        // One text per request, `q` at most 500 bytes.
        Limits {
            items: 1,
            bytes: 500,
        }
    }

    fn request(&self, http: &reqwest::Client, texts: &[&str]) -> reqwest::RequestBuilder {
        let text = texts.first().copied().unwrap_or_default();
        let mut url = self.url.clone();
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("q", text)
                .append_pair("langpair", &self.langpair);
            if let Some(email) = &self.email {
                query.append_pair("de", email);
            }
            if let Some(key) = &self.key {
                query.append_pair("key", key);
            }
        }
        http.get(url)
    }

    fn parse(&self, status: StatusCode, body: &[u8]) -> Result<Vec<String>, Failure> {
        let Ok(answer) = serde_json::from_slice::<Answer>(body) else {
            let text = excerpt(body);
            if is_quota_warning(&text) {
                return Err(self.quota(&text));
            }
            if !status.is_success() {
                return Err(failure_for_status(
                    status,
                    self.redact(format!("HTTP {status}: {text}")),
                ));
            }
            return Err(Failure::Invalid(
                self.redact(format!("the answer is not MyMemory's JSON: {text}")),
            ));
        };
        let text = answer.data.and_then(|d| d.translated).unwrap_or_default();
        let details = match &answer.details {
            Some(serde_json::Value::String(s)) => s.trim().to_string(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        // What MyMemory says went wrong, wherever it put it.
        let said = if !details.is_empty() {
            details.clone()
        } else if !text.trim().is_empty() {
            text.trim().to_string()
        } else {
            excerpt(body)
        };

        if answer.quota_finished == Some(true) {
            let warning = [&text, &details]
                .into_iter()
                .find(|t| is_quota_warning(t))
                .cloned()
                .unwrap_or_default();
            return Err(self.quota(&warning));
        }
        if is_quota_warning(&text) {
            return Err(self.quota(&text));
        }
        if is_quota_warning(&details) {
            return Err(self.quota(&details));
        }
        if !status.is_success() {
            return Err(failure_for_status(
                status,
                self.redact(format!("HTTP {status}: {said}")),
            ));
        }
        let code = answer.status.as_ref().and_then(status_code);
        match code {
            Some(200) => {}
            Some(code) => {
                let message = self.redact(format!(
                    "MyMemory status {code}: {said} (langpair {})",
                    self.langpair
                ));
                return Err(match StatusCode::from_u16(code) {
                    Ok(s) => failure_for_status(s, message),
                    Err(_) => Failure::Fatal(message),
                });
            }
            None => {
                return Err(Failure::Invalid(self.redact(format!(
                    "the answer has no responseStatus MyMemory's JSON would have: {}",
                    excerpt(body)
                ))));
            }
        }
        if is_refusal(&text) {
            return Err(Failure::Fatal(self.redact(format!(
                "MyMemory answered “{}” instead of a translation (langpair {})",
                text.trim(),
                self.langpair
            ))));
        }
        Ok(vec![text])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::{test_http, test_settings};

    fn settings(email: Option<&str>, key: Option<&str>) -> Settings {
        Settings {
            email: email.map(String::from),
            ..test_settings(None, key)
        }
    }

    fn provider() -> MyMemory {
        MyMemory::new(&settings(None, None))
    }

    fn body(value: serde_json::Value) -> Vec<u8> {
        value.to_string().into_bytes()
    }

    const WARNING: &str = "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY. NEXT AVAILABLE IN  11 HOURS 29 MINUTES 04 SECONDS VISIT HTTPS://MYMEMORY.TRANSLATED.NET/DOC/USAGELIMITS.PHP TO TRANSLATE MORE";

    #[test]
    fn endpoint_default_and_own() {
        assert_eq!(
            provider().url.as_str(),
            "https://api.mymemory.translated.net/get"
        );
        let own = MyMemory::new(&Settings {
            endpoint: Some("http://127.0.0.1:9".parse().unwrap()),
            ..settings(None, None)
        });
        assert_eq!(own.url.as_str(), "http://127.0.0.1:9/get");
        assert_eq!(own.langpair, "id|en");
    }

    #[test]
    fn request_is_a_get_with_the_text_in_the_query() {
        let p = provider();
        let text = "“Kami mengungsi,” kata Siti & warga.";
        let request = p.request(&test_http(), &[text]).build().unwrap();
        assert_eq!(request.method(), reqwest::Method::GET);
        assert!(request.body().is_none());
        assert_eq!(
            request.url().as_str(),
            "https://api.mymemory.translated.net/get?\
             q=%E2%80%9CKami+mengungsi%2C%E2%80%9D+kata+Siti+%26+warga.&langpair=id%7Cen"
        );
        let pairs: Vec<(String, String)> = request.url().query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            [
                ("q".to_string(), text.to_string()),
                ("langpair".to_string(), "id|en".to_string())
            ]
        );
        assert!(request.headers().get("content-type").is_none());
    }

    #[test]
    fn email_and_key_travel_when_given() {
        let p = MyMemory::new(&settings(Some("desk@example.id"), Some("k3y")));
        let request = p
            .request(&test_http(), &["Warga mengungsi."])
            .build()
            .unwrap();
        assert_eq!(
            request.url().query(),
            Some("q=Warga+mengungsi.&langpair=id%7Cen&de=desk%40example.id&key=k3y")
        );
        // Blank settings are left out.
        let p = MyMemory::new(&settings(Some(" "), Some("")));
        let request = p.request(&test_http(), &["a"]).build().unwrap();
        assert_eq!(request.url().query(), Some("q=a&langpair=id%7Cen"));
    }

    #[test]
    fn a_translation() {
        let p = provider();
        let ok = body(serde_json::json!({
            "responseData": {"translatedText": "Residents fled.", "match": 0.85},
            "quotaFinished": false,
            "mtLangSupported": null,
            "responseDetails": "",
            "responseStatus": 200,
            "responderId": null,
            "exception_code": null,
            "matches": [{"id": "0", "segment": "Warga mengungsi.", "translation": "Residents fled.",
                         "source": "id-ID", "target": "en-GB", "quality": 74, "match": 0.85}]
        }));
        assert_eq!(p.parse(StatusCode::OK, &ok).unwrap(), ["Residents fled."]);
        // Status as a string, details null.
        let ok = br#"{"responseData": {"translatedText": "FLOODS IN SEMARANG"}, "responseStatus": "200", "responseDetails": null}"#;
        assert_eq!(p.parse(StatusCode::OK, ok).unwrap(), ["FLOODS IN SEMARANG"]);
    }

    #[test]
    fn quota_in_every_shape() {
        let p = provider();
        let shapes = [
            // The warning as the translation, status 200.
            serde_json::json!({"responseData": {"translatedText": WARNING}, "responseStatus": 200,
                               "responseDetails": "", "quotaFinished": false}),
            // The flag, status 429 as a number.
            serde_json::json!({"responseData": {"translatedText": WARNING}, "responseStatus": 429,
                               "responseDetails": WARNING, "quotaFinished": true}),
            // The flag alone, status as a string.
            serde_json::json!({"responseData": {"translatedText": ""}, "responseStatus": "403",
                               "quotaFinished": true}),
            // The warning in the details only.
            serde_json::json!({"responseData": {"translatedText": null}, "responseStatus": "429",
                               "responseDetails": WARNING}),
        ];
        for shape in shapes {
            match p.parse(StatusCode::OK, &body(shape.clone())) {
                Err(Failure::Quota(m)) => {
                    assert!(m.contains("daily quota"), "{m}");
                    assert!(m.contains("email"), "{m}");
                }
                other => panic!("{shape}: {other:?}"),
            }
        }
        // Also when it comes with HTTP 429, as JSON or as bare text.
        let shape =
            serde_json::json!({"responseData": {"translatedText": WARNING}, "responseStatus": 429});
        assert!(matches!(
            p.parse(StatusCode::TOO_MANY_REQUESTS, &body(shape)),
            Err(Failure::Quota(m)) if m.contains("NEXT AVAILABLE IN")
        ));
        assert!(matches!(
            p.parse(StatusCode::TOO_MANY_REQUESTS, WARNING.as_bytes()),
            Err(Failure::Quota(_))
        ));
        // With an email already set, the advice changes.
        let with_email = MyMemory::new(&settings(Some("desk@example.id"), None));
        let shape =
            serde_json::json!({"responseData": {"translatedText": WARNING}, "responseStatus": 200});
        assert!(matches!(
            with_email.parse(StatusCode::OK, &body(shape)),
            Err(Failure::Quota(m)) if m.contains("the contact email is already sent")
        ));
    }

    #[test]
    fn refusals_inside_a_200_are_fatal() {
        let p = provider();
        for (status, text) in [
            (serde_json::json!(403), "INVALID LANGUAGE PAIR"),
            (
                serde_json::json!("403"),
                "PLEASE SELECT TWO DISTINCT LANGUAGES",
            ),
            (
                serde_json::json!("403"),
                "QUERY LENGTH LIMIT EXCEEDED. MAX ALLOWED QUERY : 500 CHARS",
            ),
            (
                serde_json::json!(400),
                "'XX' IS AN INVALID TARGET LANGUAGE . EXAMPLE: LANGPAIR=EN|IT USING 2 LETTER ISO OR RFC3066 LIKE ZH-CN. ALMOST ALL LANGUAGES SUPPORTED BUT SOME MAY HAVE NO CONTENT",
            ),
        ] {
            let shape = serde_json::json!({"responseData": {"translatedText": text},
                                           "responseStatus": status, "responseDetails": text});
            assert_eq!(
                p.parse(StatusCode::OK, &body(shape)),
                Err(Failure::Fatal(format!(
                    "MyMemory status {}: {text} (langpair id|en)",
                    status.to_string().trim_matches('"')
                )))
            );
        }
        // The message only in translatedText.
        let shape = serde_json::json!({"responseData": {"translatedText": "INVALID LANGUAGE PAIR"},
                                       "responseStatus": "403"});
        assert!(matches!(
            p.parse(StatusCode::OK, &body(shape)),
            Err(Failure::Fatal(m)) if m.contains("INVALID LANGUAGE PAIR")
        ));
        // A refusal that claims status 200 is still no translation.
        let shape = serde_json::json!({"responseData": {"translatedText": "PLEASE SELECT TWO DISTINCT LANGUAGES"},
                                       "responseStatus": 200});
        assert!(matches!(
            p.parse(StatusCode::OK, &body(shape)),
            Err(Failure::Fatal(m)) if m.contains("instead of a translation")
        ));
    }

    #[test]
    fn busy_and_broken_are_retried() {
        let p = provider();
        for status in [
            serde_json::json!(429),
            serde_json::json!("429"),
            serde_json::json!("503"),
        ] {
            let shape = serde_json::json!({"responseData": {"translatedText": "TOO MANY REQUESTS"},
                                           "responseStatus": status, "responseDetails": "TOO MANY REQUESTS"});
            assert!(
                matches!(
                    p.parse(StatusCode::OK, &body(shape)),
                    Err(Failure::Retry(_))
                ),
                "{status}"
            );
        }
        assert!(matches!(
            p.parse(StatusCode::TOO_MANY_REQUESTS, b"Too Many Requests"),
            Err(Failure::Retry(m)) if m == "HTTP 429 Too Many Requests: Too Many Requests"
        ));
        assert!(matches!(
            p.parse(StatusCode::BAD_GATEWAY, b"<html>502 Bad Gateway</html>"),
            Err(Failure::Retry(_))
        ));
        let shape = serde_json::json!({"responseData": {"translatedText": ""}, "responseStatus": 500,
                                       "responseDetails": "SERVER ERROR"});
        assert!(matches!(
            p.parse(StatusCode::INTERNAL_SERVER_ERROR, &body(shape)),
            Err(Failure::Retry(m)) if m.contains("SERVER ERROR")
        ));
    }

    #[test]
    fn unreadable_answers_are_invalid_and_other_errors_fatal() {
        let p = provider();
        assert!(matches!(
            p.parse(StatusCode::OK, b"<html>maintenance</html>"),
            Err(Failure::Invalid(_))
        ));
        assert!(matches!(
            p.parse(
                StatusCode::OK,
                br#"{"responseData": {"translatedText": "x"}}"#
            ),
            Err(Failure::Invalid(_))
        ));
        assert!(matches!(
            p.parse(StatusCode::FORBIDDEN, b"Forbidden"),
            Err(Failure::Fatal(_))
        ));
    }

    #[test]
    fn the_key_is_never_shown() {
        let p = MyMemory::new(&settings(None, Some("s3cret")));
        let shape = serde_json::json!({"responseData": {"translatedText": "INVALID KEY s3cret"},
                                       "responseStatus": "403", "responseDetails": "INVALID KEY s3cret"});
        assert!(matches!(
            p.parse(StatusCode::OK, &body(shape)),
            Err(Failure::Fatal(m)) if m.contains("INVALID KEY ***") && !m.contains("s3cret")
        ));
    }
}
