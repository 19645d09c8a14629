//! LibreTranslate: `POST /translate` with a JSON body
//! `{q: [..], source, target, format: "text", api_key?}`, answered by
//! `{translatedText: [..]}`; errors are `{"error": "..."}` with 400, 403,
//! 429 or 500.

use reqwest::StatusCode;
use serde::Deserialize;

use super::{Failure, Limits, Provider, Settings, excerpt, failure_for_status, with_path};

pub struct LibreTranslate {
    url: reqwest::Url,
    source: String,
    target: String,
    api_key: Option<String>,
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
            "format": "text",
        });
        if let Some(key) = &self.api_key {
            body["api_key"] = key.clone().into();
        }
        http.post(self.url.clone()).json(&body)
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
