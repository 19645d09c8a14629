//! LibreTranslate: `POST /translate` with a JSON body
//! `{q: [..], source, target, format: "text", api_key?}`, answered by
//! `{translatedText: [..]}`; errors are `{"error": "..."}` with 400, 403,
//! 429 or 500.
//!
//! With `--protect-names` the texts are HTML (`format: "html"`): the names
//! travel inside `<span translate="no">`, which LibreTranslate's HTML
//! translation leaves as it is.

use reqwest::StatusCode;
use serde::Deserialize;

use super::{Failure, Limits, Markup, Provider, Settings, excerpt, failure_for_status, with_path};

pub struct LibreTranslate {
    url: reqwest::Url,
    source: String,
    target: String,
    api_key: Option<String>,
    /// `--protect-names`: HTML, with `translate="no"` elements kept.
    protect: bool,
}

impl LibreTranslate {
    /// The endpoint is the server's base URL (`https://host`) or its full
    /// `/translate` URL; there is no default server.
    pub fn new(settings: &Settings) -> Result<LibreTranslate, String> {
        let Some(endpoint) = &settings.endpoint else {
            return Err(
                "libretranslate needs an endpoint, the address of a LibreTranslate server \
                        (--endpoint http://127.0.0.1:5000)"
                    .into(),
            );
        };
        Ok(LibreTranslate {
            url: with_path(endpoint, "/translate"),
            source: settings.source.clone(),
            target: settings.target.clone(),
            api_key: settings.api_key.clone(),
            protect: settings.protect_names,
        })
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Translated {
    Many(Vec<String>),
    One(String),
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "translatedText")]
    translated: Translated,
}

#[derive(Deserialize)]
struct ErrorAnswer {
    error: String,
}

impl Provider for LibreTranslate {
    fn name(&self) -> &'static str {
        "libretranslate"
    }

    fn limits(&self) -> Limits {
        // Public instances limit characters per request; stay well under.
        Limits {
            items: 20,
            bytes: 5000,
        }
    }

    fn request(&self, http: &reqwest::Client, texts: &[&str]) -> reqwest::RequestBuilder {
        let mut body = serde_json::json!({
            "q": texts,
            "source": self.source,
            "target": self.target,
            "format": if self.protect { "html" } else { "text" },
        });
        if let Some(key) = &self.api_key {
            body["api_key"] = key.clone().into();
        }
        http.post(self.url.clone()).json(&body)
    }

    fn markup(&self) -> Option<Markup> {
        self.protect.then_some(Markup::Html)
    }

    fn parse(&self, status: StatusCode, body: &[u8]) -> Result<Vec<String>, Failure> {
        if !status.is_success() {
            let message = match serde_json::from_slice::<ErrorAnswer>(body) {
                Ok(e) => format!("HTTP {}: {}", status.as_u16(), e.error),
                Err(_) => format!("HTTP {}: {}", status, excerpt(body)),
            };
            return Err(failure_for_status(status, message));
        }
        match serde_json::from_slice::<Answer>(body) {
            Ok(Answer {
                translated: Translated::Many(v),
            }) => Ok(v),
            Ok(Answer {
                translated: Translated::One(s),
            }) => Ok(vec![s]),
            Err(e) => Err(Failure::Invalid(format!(
                "the answer is not LibreTranslate's JSON ({e}): {}",
                excerpt(body)
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::{json_body, test_http};

    fn provider(endpoint: &str) -> LibreTranslate {
        LibreTranslate::new(&Settings {
            endpoint: Some(endpoint.parse().unwrap()),
            source: "id".into(),
            target: "en".into(),
            api_key: Some("k".into()),
            ..Settings::default()
        })
        .unwrap()
    }

    #[test]
    fn url_gets_translate_path_once() {
        assert_eq!(
            provider("http://127.0.0.1:5000").url.as_str(),
            "http://127.0.0.1:5000/translate"
        );
        assert_eq!(
            provider("http://h/lt/").url.as_str(),
            "http://h/lt/translate"
        );
        assert_eq!(
            provider("http://h/translate").url.as_str(),
            "http://h/translate"
        );
    }

    #[test]
    fn plain_text_unless_names_are_protected() {
        let body = |p: &LibreTranslate| -> serde_json::Value {
            let request = p.request(&test_http(), &["a", "b"]).build().unwrap();
            json_body(&request)
        };
        let plain = provider("http://h");
        assert_eq!(plain.markup(), None);
        assert_eq!(
            body(&plain),
            serde_json::json!({"q": ["a", "b"], "source": "id", "target": "en", "format": "text", "api_key": "k"})
        );
        let html = LibreTranslate::new(&Settings {
            endpoint: Some("http://h".parse().unwrap()),
            source: "id".into(),
            target: "en".into(),
            protect_names: true,
            ..Settings::default()
        })
        .unwrap();
        assert_eq!(html.markup(), Some(Markup::Html));
        assert_eq!(
            body(&html),
            serde_json::json!({"q": ["a", "b"], "source": "id", "target": "en", "format": "html"})
        );
    }

    #[test]
    fn answers_and_errors() {
        let p = provider("http://h");
        let ok = br#"{"translatedText":["One.","Two."]}"#;
        assert_eq!(p.parse(StatusCode::OK, ok).unwrap(), ["One.", "Two."]);
        let bad = br#"{"error":"Invalid API key"}"#;
        assert_eq!(
            p.parse(StatusCode::FORBIDDEN, bad),
            Err(Failure::Fatal("HTTP 403: Invalid API key".into()))
        );
        let busy = br#"{"error":"Too many requests"}"#;
        assert!(matches!(
            p.parse(StatusCode::TOO_MANY_REQUESTS, busy),
            Err(Failure::Retry(_))
        ));
        let html = b"<html><body>502 Bad Gateway</body></html>";
        assert!(
            matches!(p.parse(StatusCode::BAD_GATEWAY, html), Err(Failure::Retry(m)) if m.contains("502"))
        );
        assert!(matches!(
            p.parse(StatusCode::OK, b"<html>"),
            Err(Failure::Invalid(_))
        ));
    }
}
