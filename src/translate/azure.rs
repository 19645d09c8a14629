//! Azure AI Translator v3: `POST /translate?api-version=3.0&from=id&to=en`
//! with the header `Ocp-Apim-Subscription-Key: K` (and
//! `Ocp-Apim-Subscription-Region: R` for a regional or multi-service
//! resource) and a JSON body `[{"Text": ..}, ..]`, answered by
//! `[{"translations": [{"text": .., "to": "en"}]}, ..]`, one element per text
//! in the order sent. At most 1,000 elements and 50,000 characters per
//! request.
//!
//! Errors are `{"error": {"code": 400036, "message": ..}}`, the code six
//! digits: the HTTP status and three more. 403001 is the free tier's (F0)
//! allowance, spent until the next month; 429000 to 429002 (and any other
//! 429xxx) are the request and hourly character limits, to be waited out;
//! 401000 is a missing or wrong key, or a region that does not match it.
//!
//! With `--protect-names` the texts are HTML (`textType=html`): the names
//! travel inside `<span translate="no">`, which Azure leaves as it is.

use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use serde::{Deserialize, Serialize};

use super::{Failure, Limits, Markup, Provider, Settings, excerpt, failure_for_status, with_path};

/// Microsoft's global endpoint.
pub const PUBLIC_ENDPOINT: &str = "https://api.cognitive.microsofttranslator.com";

/// The query parameters this provider sets; any others in a configured
/// endpoint (`category` for Custom Translator, say) are kept.
const OWN_PARAMETERS: [&str; 3] = ["api-version", "from", "to"];

pub struct Azure {
    /// The endpoint with its path and query, ready to send.
    url: reqwest::Url,
    key: HeaderValue,
    region: Option<HeaderValue>,
    /// The target as Azure names it, to pick the translation from an answer.
    to: String,
    /// `--protect-names`: HTML, with `translate="no"` elements kept.
    protect: bool,
}

impl Azure {
    /// The key is required; the endpoint defaults to Microsoft's global one.
    pub fn new(settings: &Settings) -> Result<Azure, String> {
        let key = match settings.api_key.as_deref().map(str::trim) {
            Some(k) if !k.is_empty() => k,
            _ => {
                return Err(
                    "azure needs an API key (the Translator resource's key): put it in an \
                     environment variable and name that variable with --api-key-env \
                     (for example --api-key-env AZURE_TRANSLATOR_KEY)"
                        .into(),
                );
            }
        };
        let mut key = HeaderValue::from_str(key).map_err(|_| {
            "the azure API key holds characters that cannot travel in an HTTP header; \
             check the variable named by --api-key-env"
                .to_string()
        })?;
        key.set_sensitive(true);
        let region = match settings.region.as_deref().map(str::trim) {
            Some(r) if !r.is_empty() => Some(HeaderValue::from_str(r).map_err(|_| {
                format!("the azure region {r:?} is not a region name such as \"southeastasia\"")
            })?),
            _ => None,
        };

        let public = PUBLIC_ENDPOINT.parse().expect("valid URL");
        let endpoint = settings.endpoint.as_ref().unwrap_or(&public);
        let mut url = with_path(endpoint, "/translate");
        let protect = settings.protect_names;
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| {
                // With protected names, textType is ours too.
                let ours =
                    OWN_PARAMETERS.contains(&k.as_ref()) || (protect && k.as_ref() == "textType");
                !ours
            })
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let from = code(&settings.source);
        let to = code(&settings.target);
        url.set_query(None);
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("api-version", "3.0");
            // Without `from` Azure detects the language.
            if !from.is_empty() {
                query.append_pair("from", &from);
            }
            query.append_pair("to", &to);
            if protect {
                query.append_pair("textType", "html");
            }
            query.extend_pairs(kept);
        }
        Ok(Azure {
            url,
            key,
            region,
            to,
            protect,
        })
    }
}

/// A language as Azure names it: ISO 639-1 for most (`id`, `en`, `ms`),
/// with the script for Chinese (`zh-Hans`, `zh-Hant`) and a few codes of its
/// own (`nb` for Norwegian, `fil` for Filipino, `pt-pt` for European
/// Portuguese, where bare `pt` is Brazilian).
fn code(lang: &str) -> String {
    let lang = lang.trim().replace('_', "-").to_ascii_lowercase();
    let mapped = match lang.as_str() {
        "zh" | "zh-cn" | "zh-sg" | "zh-hans" => "zh-Hans",
        "zh-tw" | "zh-hk" | "zh-mo" | "zh-hant" => "zh-Hant",
        "no" | "nb-no" => "nb",
        "tl" => "fil",
        "in" => "id",
        "iw" => "he",
        "pt-br" => "pt",
        "pt-pt" => "pt-pt",
        "sr-latn" => "sr-Latn",
        "sr-cyrl" => "sr-Cyrl",
        _ => return lang,
    };
    mapped.to_string()
}

#[derive(Serialize)]
struct Element<'a> {
    #[serde(rename = "Text")]
    text: &'a str,
}

#[derive(Deserialize)]
struct Item {
    translations: Vec<Translation>,
}

#[derive(Deserialize)]
struct Translation {
    text: String,
    #[serde(default)]
    to: String,
}

#[derive(Deserialize)]
struct ErrorAnswer {
    error: ErrorBody,
}

#[derive(Deserialize)]
struct ErrorBody {
    /// A number, though some gateways send it as a string.
    code: Option<serde_json::Value>,
    #[serde(default)]
    message: String,
}

/// Reads a refusal: Azure's six-digit code decides where it says more than
/// the status, then the status.
fn failure(status: StatusCode, body: &[u8]) -> Failure {
    let http = status.as_u16();
    let (code, quoted) = match serde_json::from_slice::<ErrorAnswer>(body) {
        Ok(ErrorAnswer { error }) => {
            let code: Option<u32> = match &error.code {
                Some(serde_json::Value::Number(n)) => n.as_u64().and_then(|n| n.try_into().ok()),
                Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
                _ => None,
            };
            let message = error.message.trim();
            let quoted = match code {
                Some(c) => format!("HTTP {http} ({c}): {message}"),
                None => format!("HTTP {http}: {message}"),
            };
            (code, quoted)
        }
        Err(_) if body.iter().all(u8::is_ascii_whitespace) => (None, format!("HTTP {status}")),
        Err(_) => (None, format!("HTTP {status}: {}", excerpt(body))),
    };
    if code == Some(403001) {
        return Failure::Quota(format!(
            "{quoted}; the free tier (F0) includes 2 million characters a month: wait for the \
             next month, or move the resource to a paid tier in the Azure portal"
        ));
    }
    if code.is_some_and(|c| c / 1000 == 429) || http == 429 {
        return Failure::Retry(quoted);
    }
    if http == 401 || code.is_some_and(|c| c / 1000 == 401) {
        return Failure::Fatal(format!(
            "{quoted}; check the key in the variable named by --api-key-env and, for a regional \
             or multi-service resource, its region (region in [providers.azure] of the config file)"
        ));
    }
    failure_for_status(status, quoted)
}

impl Provider for Azure {
    fn name(&self) -> &'static str {
        "azure"
    }

    fn limits(&self) -> Limits {
        // 1,000 elements and 50,000 characters at most; bytes are never
        // fewer than characters.
        Limits {
            items: 100,
            bytes: 40_000,
        }
    }

    fn request(&self, http: &reqwest::Client, texts: &[&str]) -> reqwest::RequestBuilder {
        let body: Vec<Element> = texts.iter().map(|&text| Element { text }).collect();
        let mut request = http
            .post(self.url.clone())
            .header("Ocp-Apim-Subscription-Key", self.key.clone());
        if let Some(region) = &self.region {
            request = request.header("Ocp-Apim-Subscription-Region", region.clone());
        }
        request.json(&body)
    }

    fn markup(&self) -> Option<Markup> {
        self.protect.then_some(Markup::Html)
    }

    fn parse(&self, status: StatusCode, body: &[u8]) -> Result<Vec<String>, Failure> {
        if !status.is_success() {
            return Err(failure(status, body));
        }
        let items = match serde_json::from_slice::<Vec<Item>>(body) {
            Ok(items) => items,
            Err(e) => {
                return Err(Failure::Invalid(format!(
                    "the answer is not Azure Translator's JSON ({e}): {}",
                    excerpt(body)
                )));
            }
        };
        items
            .into_iter()
            .enumerate()
            .map(|(k, item)| {
                let mut translations = item.translations;
                let pick = translations
                    .iter()
                    .position(|t| t.to.eq_ignore_ascii_case(&self.to))
                    .unwrap_or(0);
                if pick < translations.len() {
                    Ok(translations.swap_remove(pick).text)
                } else {
                    Err(Failure::Invalid(format!(
                        "the answer has no translation for text {} of the request",
                        k + 1
                    )))
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::{json_body, test_http, test_settings};

    const KEY: &str = "7f3c9a1e5b2d4f608a1b3c5d7e9f0a2b";

    fn settings(endpoint: Option<&str>, key: Option<&str>, region: Option<&str>) -> Settings {
        Settings {
            region: region.map(String::from),
            ..test_settings(endpoint, key)
        }
    }

    fn provider() -> Azure {
        Azure::new(&settings(None, Some(KEY), None)).unwrap()
    }

    fn fails(status: u16, body: &str) -> Failure {
        provider()
            .parse(StatusCode::from_u16(status).unwrap(), body.as_bytes())
            .unwrap_err()
    }

    fn azure_error(code: u32, message: &str) -> String {
        serde_json::json!({"error": {"code": code, "message": message}}).to_string()
    }

    #[test]
    fn key_is_required() {
        for key in [None, Some(""), Some("  ")] {
            let e = Azure::new(&settings(None, key, None)).err().unwrap();
            assert!(e.contains("--api-key-env"), "{e}");
        }
        let e = Azure::new(&settings(None, Some("a\nb"), None))
            .err()
            .unwrap();
        assert!(e.contains("--api-key-env"), "{e}");
        let e = Azure::new(&settings(None, Some(KEY), Some("south\neast")))
            .err()
            .unwrap();
        assert!(e.contains("region"), "{e}");
    }

    #[test]
    fn endpoint_default_and_own() {
        assert_eq!(
            provider().url.as_str(),
            "https://api.cognitive.microsofttranslator.com/translate?api-version=3.0&from=id&to=en"
        );
        for (endpoint, url) in [
            (
                "http://127.0.0.1:9",
                "http://127.0.0.1:9/translate?api-version=3.0&from=id&to=en",
            ),
            (
                "https://my-res.cognitiveservices.azure.com/translator/text/v3.0/",
                "https://my-res.cognitiveservices.azure.com/translator/text/v3.0/translate?api-version=3.0&from=id&to=en",
            ),
            // A full request URL: our parameters replace its own, others stay.
            (
                "http://h/translate?api-version=2.0&to=de&category=news-id",
                "http://h/translate?api-version=3.0&from=id&to=en&category=news-id",
            ),
        ] {
            let p = Azure::new(&settings(Some(endpoint), Some(KEY), None)).unwrap();
            assert_eq!(p.url.as_str(), url, "{endpoint}");
        }
    }

    #[test]
    fn language_codes() {
        for (iso, azure) in [
            ("id", "id"),
            ("EN", "en"),
            ("ms", "ms"),
            ("zh", "zh-Hans"),
            ("zh-TW", "zh-Hant"),
            ("zh_Hant", "zh-Hant"),
            ("no", "nb"),
            ("tl", "fil"),
            ("in", "id"),
            ("pt", "pt"),
            ("pt-BR", "pt"),
            ("pt-PT", "pt-pt"),
            ("fr-CA", "fr-ca"),
        ] {
            assert_eq!(code(iso), azure, "{iso}");
        }
        let p = Azure::new(&Settings {
            source: "zh".into(),
            target: "pt-PT".into(),
            api_key: Some(KEY.into()),
            ..Settings::default()
        })
        .unwrap();
        assert_eq!(p.url.query(), Some("api-version=3.0&from=zh-Hans&to=pt-pt"));
        // No source: Azure detects it.
        let p = Azure::new(&Settings {
            target: "en".into(),
            api_key: Some(KEY.into()),
            ..Settings::default()
        })
        .unwrap();
        assert_eq!(p.url.query(), Some("api-version=3.0&to=en"));
    }

    #[test]
    fn request_has_the_documented_shape() {
        let texts = [
            "Banjir merendam 1.200 rumah.",
            "“Kami mengungsi,” kata Siti.",
        ];
        let request = provider().request(&test_http(), &texts).build().unwrap();
        assert_eq!(request.method(), reqwest::Method::POST);
        assert_eq!(request.url().path(), "/translate");
        let pairs: Vec<(String, String)> = request.url().query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            [
                ("api-version".to_string(), "3.0".to_string()),
                ("from".to_string(), "id".to_string()),
                ("to".to_string(), "en".to_string()),
            ]
        );
        let headers = request.headers();
        assert_eq!(headers["ocp-apim-subscription-key"], KEY);
        assert!(headers["ocp-apim-subscription-key"].is_sensitive());
        assert!(!headers.contains_key("ocp-apim-subscription-region"));
        assert_eq!(headers["content-type"], "application/json");
        let body: serde_json::Value = json_body(&request);
        assert_eq!(
            body,
            serde_json::json!([{"Text": texts[0]}, {"Text": texts[1]}])
        );
    }

    #[test]
    fn protected_names_ask_for_html() {
        assert_eq!(provider().markup(), None);
        let protected = |endpoint: Option<&str>| {
            Azure::new(&Settings {
                protect_names: true,
                ..settings(endpoint, Some(KEY), None)
            })
            .unwrap()
        };
        let p = protected(None);
        assert_eq!(p.markup(), Some(Markup::Html));
        let texts = ["Kata <span translate=\"no\">Associated Press</span>."];
        let request = p.request(&test_http(), &texts).build().unwrap();
        let pairs: Vec<(String, String)> = request.url().query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            [
                ("api-version".to_string(), "3.0".to_string()),
                ("from".to_string(), "id".to_string()),
                ("to".to_string(), "en".to_string()),
                ("textType".to_string(), "html".to_string()),
            ]
        );
        let body: serde_json::Value = json_body(&request);
        assert_eq!(body, serde_json::json!([{"Text": texts[0]}]));
        // A textType in the endpoint gives way; other parameters stay.
        let p = protected(Some("http://h/translate?textType=plain&category=news"));
        assert_eq!(
            p.url.as_str(),
            "http://h/translate?api-version=3.0&from=id&to=en&textType=html&category=news"
        );
    }

    #[test]
    fn region_goes_in_its_header() {
        let p = Azure::new(&settings(None, Some(KEY), Some(" southeastasia "))).unwrap();
        let request = p.request(&test_http(), &["x"]).build().unwrap();
        assert_eq!(
            request.headers()["ocp-apim-subscription-region"],
            "southeastasia"
        );
        let p = Azure::new(&settings(None, Some(KEY), Some(""))).unwrap();
        let request = p.request(&test_http(), &["x"]).build().unwrap();
        assert!(
            !request
                .headers()
                .contains_key("ocp-apim-subscription-region")
        );
    }

    #[test]
    fn translations_in_order() {
        let ok = br#"[
            {"translations": [{"text": "Floods submerged 1,200 homes.", "to": "en"}]},
            {"detectedLanguage": {"language": "id", "score": 1.0},
             "translations": [{"text": "\"We fled,\" said Siti.", "to": "en"}]}
        ]"#;
        assert_eq!(
            provider().parse(StatusCode::OK, ok).unwrap(),
            ["Floods submerged 1,200 homes.", "\"We fled,\" said Siti."]
        );
        // Several targets: the one asked for.
        let two = br#"[{"translations": [{"text": "Banjir", "to": "ms"}, {"text": "Flood", "to": "en"}]}]"#;
        assert_eq!(provider().parse(StatusCode::OK, two).unwrap(), ["Flood"]);
        for bad in [
            &b"<html>"[..],
            br#"{"translations": []}"#,
            br#"[{"translations": []}]"#,
            br#"[{"translations": [{"to": "en"}]}]"#,
        ] {
            assert!(
                matches!(
                    provider().parse(StatusCode::OK, bad),
                    Err(Failure::Invalid(_))
                ),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn free_quota_stops() {
        let body = azure_error(
            403001,
            "The operation is not allowed because the subscription has exceeded its free quota.",
        );
        match fails(403, &body) {
            Failure::Quota(m) => assert!(
                m.starts_with(
                    "HTTP 403 (403001): The operation is not allowed because the subscription has exceeded its free quota.;"
                ),
                "{m}"
            ),
            other => panic!("{other:?}"),
        }
        // The code decides, whatever the status, and as a string too.
        let body = r#"{"error": {"code": "403001", "message": "free quota"}}"#;
        assert!(matches!(fails(429, body), Failure::Quota(_)));
    }

    #[test]
    fn request_limits_are_retried() {
        for code in [429000, 429001, 429002, 429003] {
            let body = azure_error(
                code,
                "The server rejected the request because the client has exceeded request limits.",
            );
            assert_eq!(
                fails(429, &body),
                Failure::Retry(format!(
                    "HTTP 429 ({code}): The server rejected the request because the client has exceeded request limits."
                ))
            );
        }
        assert!(matches!(fails(429, ""), Failure::Retry(m) if m == "HTTP 429 Too Many Requests"));
        for (status, code) in [(500, 500000), (503, 503000), (408, 408001)] {
            let body = azure_error(code, "Try again.");
            assert_eq!(
                fails(status, &body),
                Failure::Retry(format!("HTTP {status} ({code}): Try again."))
            );
        }
        let html = "<html><body>502 Bad Gateway</body></html>";
        assert!(matches!(fails(502, html), Failure::Retry(m) if m.contains("502 Bad Gateway")));
    }

    #[test]
    fn refusals_are_fatal_and_quote_azure() {
        let body = azure_error(400036, "The target language is not valid.");
        assert_eq!(
            fails(400, &body),
            Failure::Fatal("HTTP 400 (400036): The target language is not valid.".into())
        );
        let body = azure_error(
            401000,
            "The request is not authorized because credentials are missing or invalid.",
        );
        match fails(401, &body) {
            Failure::Fatal(m) => {
                assert!(m.starts_with("HTTP 401 (401000): The request is not authorized because credentials are missing or invalid.;"), "{m}");
                assert!(m.contains("--api-key-env") && m.contains("region"), "{m}");
            }
            other => panic!("{other:?}"),
        }
        // Azure may answer a bad key with no body at all.
        assert!(matches!(
            fails(401, ""),
            Failure::Fatal(m) if m.starts_with("HTTP 401 Unauthorized; check the key")
        ));
        assert_eq!(
            fails(403, &azure_error(403000, "The operation is not allowed.")),
            Failure::Fatal("HTTP 403 (403000): The operation is not allowed.".into())
        );
        assert!(matches!(
            fails(
                415,
                &azure_error(415000, "The Content-Type header is missing or invalid.")
            ),
            Failure::Fatal(_)
        ));
        assert!(
            matches!(fails(404, "Not Found"), Failure::Fatal(m) if m == "HTTP 404 Not Found: Not Found")
        );
    }
}
