//! Apertium APy: `POST /translate` with form fields `langpair=ind|zlm`, `q`,
//! answered by `{"responseData": {"translatedText": ...}, "responseStatus":
//! 200}`; errors are `{"status": "error", "code": 400, "message": ...,
//! "explanation": ...}`. One text per request, three-letter language codes.

use reqwest::StatusCode;
use serde::Deserialize;

use super::{Failure, Limits, Provider, Settings, excerpt, failure_for_status, with_path};

/// The public APy server, keyless.
pub const PUBLIC_ENDPOINT: &str = "https://apertium.org/apy";

pub struct Apertium {
    url: reqwest::Url,
    langpair: String,
}

impl Apertium {
    /// The endpoint defaults to the public APy server.
    pub fn new(settings: &Settings) -> Apertium {
        let public = PUBLIC_ENDPOINT.parse().expect("valid URL");
        let endpoint = settings.endpoint.as_ref().unwrap_or(&public);
        Apertium {
            url: with_path(endpoint, "/translate"),
            langpair: format!("{}|{}", code(&settings.source), code(&settings.target)),
        }
    }
}

/// Apertium names languages by ISO 639-3 codes; Malay is `zlm`.
fn code(lang: &str) -> String {
    let lang = lang.to_ascii_lowercase();
    let mapped = match lang.as_str() {
        "id" | "in" => "ind",
        "ms" | "msa" | "may" => "zlm",
        "en" => "eng",
        "es" => "spa",
        "fr" => "fra",
        "de" => "deu",
        "pt" => "por",
        "it" => "ita",
        "nl" => "nld",
        "ca" => "cat",
        "gl" => "glg",
        "eu" => "eus",
        "oc" => "oci",
        "ro" => "ron",
        "sv" => "swe",
        "da" => "dan",
        "nb" | "no" => "nob",
        "nn" => "nno",
        "ru" => "rus",
        "uk" => "ukr",
        "tr" => "tur",
        "kk" => "kaz",
        "ar" => "ara",
        _ => return lang,
    };
    mapped.to_string()
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "responseData")]
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    #[serde(rename = "translatedText")]
    translated: String,
}

#[derive(Deserialize)]
struct ErrorAnswer {
    #[serde(default)]
    message: String,
    #[serde(default)]
    explanation: String,
}

impl Provider for Apertium {
    fn name(&self) -> &'static str {
        "apertium"
    }

    fn limits(&self) -> Limits {
        // APy takes one text per request and silently truncates large ones.
        Limits {
            items: 1,
            bytes: 4000,
        }
    }

    fn request(&self, http: &reqwest::Client, texts: &[&str]) -> reqwest::RequestBuilder {
        let text = texts.first().copied().unwrap_or_default();
        http.post(self.url.clone()).form(&[
            ("langpair", self.langpair.as_str()),
            ("q", text),
            ("markUnknown", "no"),
            ("format", "txt"),
        ])
    }

    fn parse(&self, status: StatusCode, body: &[u8]) -> Result<Vec<String>, Failure> {
        if !status.is_success() {
            let message = match serde_json::from_slice::<ErrorAnswer>(body) {
                Ok(e) if !e.explanation.is_empty() => format!(
                    "HTTP {}: {} ({}, langpair {})",
                    status.as_u16(),
                    e.explanation,
                    e.message,
                    self.langpair
                ),
                _ => format!("HTTP {}: {}", status, excerpt(body)),
            };
            return Err(failure_for_status(status, message));
        }
        match serde_json::from_slice::<Answer>(body) {
            Ok(a) => Ok(vec![a.data.translated]),
            Err(e) => Err(Failure::Invalid(format!(
                "the answer is not Apertium APy's JSON ({e}): {}",
                excerpt(body)
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(endpoint: Option<&str>) -> Settings {
        Settings {
            endpoint: endpoint.map(|e| e.parse().unwrap()),
            source: "id".into(),
            target: "ms".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn codes_and_url() {
        let p = Apertium::new(&settings(Some("http://127.0.0.1:2737")));
        assert_eq!(p.langpair, "ind|zlm");
        assert_eq!(p.url.as_str(), "http://127.0.0.1:2737/translate");
        assert_eq!(code("eng"), "eng");
    }

    #[test]
    fn answers_and_errors() {
        let p = Apertium::new(&settings(None));
        assert_eq!(p.url.as_str(), "https://apertium.org/apy/translate");
        let ok = br#"{"responseData": {"translatedText": "Presiden bahawa."}, "responseDetails": null, "responseStatus": 200}"#;
        assert_eq!(p.parse(StatusCode::OK, ok).unwrap(), ["Presiden bahawa."]);
        let missing = br#"{"status": "error", "code": 400, "message": "Bad Request", "explanation": "That pair is not installed"}"#;
        assert_eq!(
            p.parse(StatusCode::BAD_REQUEST, missing),
            Err(Failure::Fatal(
                "HTTP 400: That pair is not installed (Bad Request, langpair ind|zlm)".into()
            ))
        );
        let stuck = br#"{"status": "error", "code": 503, "message": "Service Unavailable", "explanation": "internal error"}"#;
        assert!(matches!(
            p.parse(StatusCode::SERVICE_UNAVAILABLE, stuck),
            Err(Failure::Retry(_))
        ));
    }
}
