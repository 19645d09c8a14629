//! `custom`: any JSON-over-HTTP translation service, described in the
//! config file: the URL, the method, headers, a query or a body template,
//! and a JSON pointer to the translation in the answer. One text per
//! request, since nothing is known about how the service batches.
//!
//! In templates, `{source}` and `{target}` stand for the language codes and
//! `{key}` for the API key; `{text}` is the text itself, inserted in a body
//! template as a JSON string (quotes included) and in headers and query
//! values as it is.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde::Deserialize;

use super::{Failure, Limits, Provider, Settings, excerpt, failure_for_status};

/// The service's shape, from `[providers.custom]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    /// `GET` or `POST` (default).
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Query parameters, each value a template.
    #[serde(default)]
    pub query: BTreeMap<String, String>,
    /// A JSON body template, for POST.
    #[serde(default)]
    pub body: Option<String>,
    /// A JSON pointer (RFC 6901) to the translated text in the answer.
    pub result: String,
    /// A JSON pointer to the error message in an error answer.
    #[serde(default)]
    pub error: Option<String>,
}

pub struct Custom {
    url: reqwest::Url,
    post: bool,
    shape: Shape,
    source: String,
    target: String,
    key: String,
}

impl Custom {
    pub fn new(settings: &Settings) -> Result<Custom, String> {
        let Some(shape) = settings.custom.clone() else {
            return Err("custom needs a [providers.custom] section in selaras.toml \
                        with at least endpoint and result"
                .into());
        };
        let Some(url) = settings.endpoint.clone() else {
            return Err("custom needs an endpoint in [providers.custom] (or --endpoint)".into());
        };
        let post = match shape
            .method
            .as_deref()
            .unwrap_or("POST")
            .to_ascii_uppercase()
            .as_str()
        {
            "POST" => true,
            "GET" => false,
            other => {
                return Err(format!(
                    "[providers.custom] method {other}: use GET or POST"
                ));
            }
        };
        if !shape.result.is_empty() && !shape.result.starts_with('/') {
            return Err(format!(
                "[providers.custom] result {:?}: a JSON pointer starts with /, e.g. \"/data/translation\"",
                shape.result
            ));
        }
        if let Some(body) = &shape.body {
            let probe = fill_body(body, "x", "id", "en", "k");
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&probe) {
                return Err(format!(
                    "[providers.custom] body is not JSON once filled in ({e}); write {{text}} without quotes around it"
                ));
            }
        }
        let uses_key = shape
            .headers
            .values()
            .chain(shape.query.values())
            .any(|v| v.contains("{key}"))
            || shape.body.as_deref().is_some_and(|b| b.contains("{key}"));
        let key = match (&settings.api_key, uses_key) {
            (Some(k), _) => k.clone(),
            (None, true) => {
                return Err(
                    "custom: the templates use {key} but no key is set; name its variable with \
                     api_key_env in [providers.custom] or --api-key-env"
                        .into(),
                );
            }
            (None, false) => String::new(),
        };
        Ok(Custom {
            url,
            post,
            shape,
            source: settings.source.clone(),
            target: settings.target.clone(),
            key,
        })
    }

    fn fill(&self, template: &str, text: &str) -> String {
        template
            .replace("{source}", &self.source)
            .replace("{target}", &self.target)
            .replace("{key}", &self.key)
            .replace("{text}", text)
    }
}

/// Fills a JSON body template; `{text}` becomes a JSON string.
fn fill_body(template: &str, text: &str, source: &str, target: &str, key: &str) -> String {
    let quoted = serde_json::Value::from(text).to_string();
    template
        .replace("{source}", source)
        .replace("{target}", target)
        .replace("{key}", key)
        .replace("{text}", &quoted)
}

impl Provider for Custom {
    fn name(&self) -> &'static str {
        "custom"
    }

    fn limits(&self) -> Limits {
        Limits {
            items: 1,
            bytes: 5000,
        }
    }

    fn request(&self, http: &reqwest::Client, texts: &[&str]) -> reqwest::RequestBuilder {
        let text = texts.first().copied().unwrap_or_default();
        let mut request = if self.post {
            http.post(self.url.clone())
        } else {
            http.get(self.url.clone())
        };
        let query: Vec<(String, String)> = self
            .shape
            .query
            .iter()
            .map(|(k, v)| (k.clone(), self.fill(v, text)))
            .collect();
        if !query.is_empty() {
            request = request.query(&query);
        }
        for (name, value) in &self.shape.headers {
            request = request.header(name, self.fill(value, text));
        }
        if let (true, Some(body)) = (self.post, &self.shape.body) {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(fill_body(body, text, &self.source, &self.target, &self.key));
        }
        request
    }

    fn parse(&self, status: StatusCode, body: &[u8]) -> Result<Vec<String>, Failure> {
        let json = serde_json::from_slice::<serde_json::Value>(body);
        if !status.is_success() {
            let message = json
                .ok()
                .and_then(|v| {
                    let pointer = self.shape.error.as_deref()?;
                    v.pointer(pointer).map(|m| match m.as_str() {
                        Some(s) => s.to_string(),
                        None => m.to_string(),
                    })
                })
                .unwrap_or_else(|| excerpt(body));
            return Err(failure_for_status(
                status,
                format!("HTTP {}: {message}", status.as_u16()),
            ));
        }
        let value = json.map_err(|e| {
            Failure::Invalid(format!("the answer is not JSON ({e}): {}", excerpt(body)))
        })?;
        match value.pointer(&self.shape.result).and_then(|v| v.as_str()) {
            Some(text) => Ok(vec![text.to_string()]),
            None => Err(Failure::Invalid(format!(
                "no text at {} in the answer: {}",
                self.shape.result,
                excerpt(body)
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::{json_body, test_http};

    fn custom(shape: Shape, key: Option<&str>) -> Result<Custom, String> {
        Custom::new(&Settings {
            endpoint: Some("https://mt.example.org/api/translate".parse().unwrap()),
            source: "id".into(),
            target: "en".into(),
            api_key: key.map(String::from),
            custom: Some(shape),
            ..Settings::default()
        })
    }

    #[test]
    fn post_with_a_body_template() {
        let shape = Shape {
            headers: [("Authorization".to_string(), "Bearer {key}".to_string())].into(),
            body: Some(r#"{"text": {text}, "from": "{source}", "to": "{target}"}"#.into()),
            result: "/data/translation".into(),
            error: Some("/error/message".into()),
            ..Shape::default()
        };
        let p = custom(shape, Some("k1")).unwrap();
        let request = p
            .request(&test_http(), &["Dia berkata \"ya\"."])
            .build()
            .unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(request.headers()["authorization"], "Bearer k1");
        let body: serde_json::Value = json_body(&request);
        assert_eq!(body["text"], "Dia berkata \"ya\".");
        assert_eq!(body["to"], "en");

        let ok = br#"{"data": {"translation": "He said \"yes\"."}}"#;
        assert_eq!(p.parse(StatusCode::OK, ok).unwrap(), ["He said \"yes\"."]);
        let missing = br#"{"data": {}}"#;
        assert!(matches!(
            p.parse(StatusCode::OK, missing),
            Err(Failure::Invalid(_))
        ));
        let refused = br#"{"error": {"message": "bad key"}}"#;
        assert_eq!(
            p.parse(StatusCode::UNAUTHORIZED, refused),
            Err(Failure::Fatal("HTTP 401: bad key".into()))
        );
        assert!(matches!(
            p.parse(StatusCode::TOO_MANY_REQUESTS, b"slow down"),
            Err(Failure::Retry(_))
        ));
    }

    #[test]
    fn get_with_a_query() {
        let shape = Shape {
            method: Some("get".into()),
            query: [
                ("q".to_string(), "{text}".to_string()),
                ("pair".to_string(), "{source}|{target}".to_string()),
            ]
            .into(),
            result: "/translated".into(),
            ..Shape::default()
        };
        let p = custom(shape, None).unwrap();
        let request = p
            .request(&test_http(), &["Banjir & hujan"])
            .build()
            .unwrap();
        assert_eq!(request.method(), "GET");
        let query = request.url().query().unwrap();
        assert!(query.contains("q=Banjir+%26+hujan"), "{query}");
        assert!(query.contains("pair=id%7Cen"), "{query}");
    }

    #[test]
    fn bad_shapes_are_refused_on_load() {
        let needs_key = Shape {
            headers: [("X-Key".to_string(), "{key}".to_string())].into(),
            result: "/t".into(),
            ..Shape::default()
        };
        assert!(custom(needs_key, None).err().unwrap().contains("{key}"));
        let quoted = Shape {
            body: Some(r#"{"text": "{text}"}"#.into()),
            result: "/t".into(),
            ..Shape::default()
        };
        assert!(
            custom(quoted, None)
                .err()
                .unwrap()
                .contains("without quotes")
        );
        let pointer = Shape {
            result: "data.t".into(),
            ..Shape::default()
        };
        assert!(
            custom(pointer, None)
                .err()
                .unwrap()
                .contains("JSON pointer")
        );
        let method = Shape {
            method: Some("PUT".into()),
            result: "/t".into(),
            ..Shape::default()
        };
        assert!(custom(method, None).is_err());
    }
}
