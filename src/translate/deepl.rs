//! DeepL API v2: `POST /v2/translate` with the header `Authorization:
//! DeepL-Auth-Key K` and a JSON body `{"text": [..], "source_lang": "ID",
//! "target_lang": "EN-US"}`, answered by `{"translations":
//! [{"detected_source_language": "ID", "text": ..}]}`, one per text, in the
//! order sent. At most 50 texts and a body of 128 KiB per request.
//!
//! Keys of DeepL API Free end in `:fx` and work only on
//! `https://api-free.deepl.com`; Pro keys only on `https://api.deepl.com`.
//! Source languages are bare codes (`ID`, `EN`, `DE`); a target names the
//! variant where DeepL has several (`EN-US`, `PT-PT`, `ZH-HANS`), the bare
//! `EN` and `PT` being kept only for backward compatibility.
//!
//! Errors are `{"message": .., "detail": ..}` (either may be missing, and the
//! body may be empty): 456 is the quota (API Free's monthly characters, or API
//! Pro's Cost Control limit), 429 and 529 ask for a slower pace, 5xx are
//! DeepL's own trouble, 413 a request over the size limit, 400, 403 (a wrong
//! key, or a key sent to the other plan's host) and 404 need the user.
//!
//! With `--protect-names` the texts are XML (`"tag_handling": "xml"`) and
//! the names travel inside `<x>..</x>`, which `"ignore_tags": ["x"]` tells
//! DeepL to leave as they are.

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use serde::Deserialize;

use super::{Failure, Limits, Markup, Provider, Settings, excerpt, failure_for_status, with_path};

/// DeepL API Pro's server.
pub const PRO_ENDPOINT: &str = "https://api.deepl.com";
/// DeepL API Free's server, for keys ending in `:fx`.
pub const FREE_ENDPOINT: &str = "https://api-free.deepl.com";

pub struct DeepL {
    url: reqwest::Url,
    /// `DeepL-Auth-Key K`, marked sensitive so that it never shows in a
    /// debug print.
    auth: HeaderValue,
    source: String,
    target: String,
    /// `--protect-names`: XML with `<x>` left untranslated.
    protect: bool,
}

impl DeepL {
    /// The key is required; the endpoint defaults to the host of the key's
    /// plan, and a configured one overrides it.
    pub fn new(settings: &Settings) -> Result<DeepL, String> {
        let key = match settings.api_key.as_deref().map(str::trim) {
            Some(k) if !k.is_empty() => k,
            _ => {
                return Err(
                    "deepl needs an API key (DeepL's authentication key): put it in an \
                     environment variable and name that variable with --api-key-env \
                     (for example --api-key-env DEEPL_AUTH_KEY)"
                        .into(),
                );
            }
        };
        let mut auth = HeaderValue::from_str(&format!("DeepL-Auth-Key {key}")).map_err(|_| {
            "the deepl API key holds characters that cannot travel in an HTTP header; \
             check the variable named by --api-key-env"
                .to_string()
        })?;
        auth.set_sensitive(true);
        let default: reqwest::Url = default_endpoint(key).parse().expect("valid URL");
        let endpoint = settings.endpoint.as_ref().unwrap_or(&default);
        Ok(DeepL {
            url: with_path(endpoint, "/v2/translate"),
            auth,
            source: source_code(&settings.source),
            target: target_code(&settings.target),
            protect: settings.protect_names,
        })
    }
}

/// The host of the key's plan: Free keys end in `:fx`.
fn default_endpoint(key: &str) -> &'static str {
    if key.trim().ends_with(":fx") {
        FREE_ENDPOINT
    } else {
        PRO_ENDPOINT
    }
}

/// A source language as DeepL names it: the base language alone, in capitals
/// (`id` is `ID`, `en-GB` is `EN`, `zh-Hant` is `ZH`). Empty lets DeepL
/// detect the language.
fn source_code(lang: &str) -> String {
    let base = lang.trim().split(['-', '_']).next().unwrap_or_default();
    let base = base.to_ascii_lowercase();
    match base.as_str() {
        "in" => "ID".into(),
        "iw" => "HE".into(),
        "no" | "nb" => "NB".into(),
        _ => base.to_ascii_uppercase(),
    }
}

/// A target language as DeepL names it: where DeepL has variants, the one a
/// bare code most likely means (`en` is `EN-US`, `pt` is `PT-PT`, `zh` is
/// `ZH-HANS`); a variant given is kept (`en-GB`, `pt-BR`, `es-419`); anything
/// else in capitals.
fn target_code(lang: &str) -> String {
    let lang = lang.trim().replace('_', "-").to_ascii_lowercase();
    let mapped = match lang.as_str() {
        "en" => "EN-US",
        "en-uk" => "EN-GB",
        "pt" => "PT-PT",
        "zh" | "zh-cn" | "zh-sg" | "zh-hans-cn" => "ZH-HANS",
        "zh-tw" | "zh-hk" | "zh-mo" | "zh-hant-tw" => "ZH-HANT",
        "no" | "nb-no" => "NB",
        "in" => "ID",
        "iw" => "HE",
        _ => return lang.to_ascii_uppercase(),
    };
    mapped.to_string()
}

#[derive(Deserialize)]
struct Answer {
    translations: Vec<Translation>,
}

#[derive(Deserialize)]
struct Translation {
    text: String,
}

#[derive(Deserialize)]
struct ErrorAnswer {
    message: Option<String>,
    detail: Option<String>,
}

/// What DeepL said in an error body: its message and detail, else the body
/// itself shortened, else nothing.
fn said(body: &[u8]) -> String {
    match serde_json::from_slice::<ErrorAnswer>(body) {
        Ok(ErrorAnswer { message, detail }) => {
            let parts: Vec<String> = [message, detail]
                .into_iter()
                .flatten()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            parts.join(": ")
        }
        Err(_) => excerpt(body),
    }
}

/// Reads a refusal by its status, quoting what DeepL said.
fn failure(status: StatusCode, body: &[u8]) -> Failure {
    let code = status.as_u16();
    let label = match code {
        400 => "bad request",
        403 => "authorization failed",
        404 => "not found",
        413 => "request too large",
        414 => "request URI too long",
        429 => "too many requests",
        456 => "quota exceeded",
        529 => "too many requests, DeepL is under high load",
        _ => status.canonical_reason().unwrap_or("error"),
    };
    let said = said(body);
    let message = if said.is_empty() {
        format!("HTTP {code} ({label})")
    } else {
        format!("HTTP {code} ({label}): {said}")
    };
    match code {
        456 => Failure::Quota(format!(
            "{message}; DeepL API Free allows 500,000 characters a month and DeepL API Pro \
             stops at the account's Cost Control limit (the DeepL account page shows the usage)"
        )),
        413 => Failure::Fatal(format!(
            "{message}; the request was too large for DeepL (at most 128 KiB): \
             lower characters_per_request in the config file"
        )),
        403 => Failure::Fatal(format!(
            "{message}; check the key in the variable named by --api-key-env, and that a \
             DeepL API Free key (ending in :fx) goes to {FREE_ENDPOINT} and a Pro key to \
             {PRO_ENDPOINT}"
        )),
        404 => Failure::Fatal(format!(
            "{message}; check the endpoint: DeepL translates at /v2/translate"
        )),
        429 | 529 => Failure::Retry(message),
        _ => failure_for_status(status, message),
    }
}

impl Provider for DeepL {
    fn name(&self) -> &'static str {
        "deepl"
    }

    fn limits(&self) -> Limits {
        // 50 texts and a 128 KiB body at most; 100,000 bytes of text leaves
        // room for the JSON around it.
        Limits {
            items: 50,
            bytes: 100_000,
        }
    }

    fn request(&self, http: &reqwest::Client, texts: &[&str]) -> reqwest::RequestBuilder {
        let mut body = serde_json::json!({
            "text": texts,
            "target_lang": self.target,
        });
        if !self.source.is_empty() {
            body["source_lang"] = self.source.clone().into();
        }
        if self.protect {
            body["tag_handling"] = "xml".into();
            body["ignore_tags"] = serde_json::json!(["x"]);
        }
        http.post(self.url.clone())
            .header(AUTHORIZATION, self.auth.clone())
            .json(&body)
    }

    fn markup(&self) -> Option<Markup> {
        self.protect.then_some(Markup::Xml)
    }

    fn parse(&self, status: StatusCode, body: &[u8]) -> Result<Vec<String>, Failure> {
        if !status.is_success() {
            return Err(failure(status, body));
        }
        match serde_json::from_slice::<Answer>(body) {
            Ok(a) => Ok(a.translations.into_iter().map(|t| t.text).collect()),
            Err(e) => Err(Failure::Invalid(format!(
                "the answer is not DeepL's JSON ({e}): {}",
                excerpt(body)
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::{json_body, test_http, test_settings as settings};

    const KEY: &str = "0b9a6f2e-1c3d-4e5f-8a7b-9c0d1e2f3a4b";
    const FREE_KEY: &str = "0b9a6f2e-1c3d-4e5f-8a7b-9c0d1e2f3a4b:fx";

    fn provider() -> DeepL {
        DeepL::new(&settings(None, Some(KEY))).unwrap()
    }

    fn fails(status: u16, body: &str) -> Failure {
        provider()
            .parse(StatusCode::from_u16(status).unwrap(), body.as_bytes())
            .unwrap_err()
    }

    #[test]
    fn key_is_required() {
        for key in [None, Some(""), Some("  ")] {
            let e = DeepL::new(&settings(None, key)).err().unwrap();
            assert!(e.contains("--api-key-env"), "{e}");
        }
        let e = DeepL::new(&settings(None, Some("bad\nkey"))).err().unwrap();
        assert!(e.contains("--api-key-env") && !e.contains("bad"), "{e}");
    }

    #[test]
    fn endpoint_follows_the_plan_unless_configured() {
        assert_eq!(
            provider().url.as_str(),
            "https://api.deepl.com/v2/translate"
        );
        let free = DeepL::new(&settings(None, Some(FREE_KEY))).unwrap();
        assert_eq!(free.url.as_str(), "https://api-free.deepl.com/v2/translate");
        // A key with stray whitespace around it is still a Free key.
        let free = DeepL::new(&settings(None, Some(" k:fx\n"))).unwrap();
        assert_eq!(free.url.host_str(), Some("api-free.deepl.com"));
        for (endpoint, url) in [
            ("http://127.0.0.1:9", "http://127.0.0.1:9/v2/translate"),
            ("http://h/deepl/", "http://h/deepl/v2/translate"),
            ("http://h/v2/translate", "http://h/v2/translate"),
        ] {
            for key in [KEY, FREE_KEY] {
                let p = DeepL::new(&settings(Some(endpoint), Some(key))).unwrap();
                assert_eq!(p.url.as_str(), url, "{endpoint} with {key}");
            }
        }
    }

    #[test]
    fn language_codes() {
        for (iso, deepl) in [
            ("id", "ID"),
            ("en", "EN"),
            ("EN-gb", "EN"),
            ("de", "DE"),
            ("zh-Hant", "ZH"),
            ("pt_BR", "PT"),
            ("no", "NB"),
            ("in", "ID"),
            ("", ""),
        ] {
            assert_eq!(source_code(iso), deepl, "source {iso}");
        }
        for (iso, deepl) in [
            ("en", "EN-US"),
            ("EN", "EN-US"),
            ("en-GB", "EN-GB"),
            ("en_gb", "EN-GB"),
            ("en-uk", "EN-GB"),
            ("en-US", "EN-US"),
            ("pt", "PT-PT"),
            ("pt-BR", "PT-BR"),
            ("pt-pt", "PT-PT"),
            ("zh", "ZH-HANS"),
            ("zh-TW", "ZH-HANT"),
            ("zh-Hant", "ZH-HANT"),
            ("es-419", "ES-419"),
            ("id", "ID"),
            ("de", "DE"),
            ("ja", "JA"),
            ("no", "NB"),
        ] {
            assert_eq!(target_code(iso), deepl, "target {iso}");
        }
    }

    #[test]
    fn request_has_the_documented_shape() {
        let texts = [
            "Banjir merendam 1.200 rumah.",
            "“Kami mengungsi,” kata Siti.",
        ];
        let request = provider().request(&test_http(), &texts).build().unwrap();
        assert_eq!(request.method(), reqwest::Method::POST);
        assert_eq!(request.url().as_str(), "https://api.deepl.com/v2/translate");
        assert_eq!(request.url().query(), None, "the key never goes in the URL");
        let auth = &request.headers()["authorization"];
        assert_eq!(auth, &format!("DeepL-Auth-Key {KEY}"));
        assert!(auth.is_sensitive());
        assert_eq!(request.headers()["content-type"], "application/json");
        let body: serde_json::Value = json_body(&request);
        assert_eq!(
            body,
            serde_json::json!({"text": texts, "source_lang": "ID", "target_lang": "EN-US"})
        );
    }

    #[test]
    fn protected_names_ask_for_xml_with_x_ignored() {
        assert_eq!(provider().markup(), None);
        let p = DeepL::new(&Settings {
            protect_names: true,
            ..settings(None, Some(KEY))
        })
        .unwrap();
        assert_eq!(p.markup(), Some(Markup::Xml));
        let texts = ["Kata <x>Associated Press</x>, hujan &amp; banjir."];
        let request = p.request(&test_http(), &texts).build().unwrap();
        let body: serde_json::Value = json_body(&request);
        assert_eq!(
            body,
            serde_json::json!({
                "text": texts,
                "source_lang": "ID",
                "target_lang": "EN-US",
                "tag_handling": "xml",
                "ignore_tags": ["x"],
            })
        );
    }

    #[test]
    fn without_a_source_language_deepl_detects_it() {
        let p = DeepL::new(&Settings {
            source: String::new(),
            target: "pt".into(),
            api_key: Some(KEY.into()),
            ..Settings::default()
        })
        .unwrap();
        let request = p.request(&test_http(), &["Olá"]).build().unwrap();
        let body: serde_json::Value = json_body(&request);
        assert_eq!(
            body,
            serde_json::json!({"text": ["Olá"], "target_lang": "PT-PT"})
        );
    }

    #[test]
    fn translations_in_order() {
        let ok = br#"{"translations": [
            {"detected_source_language": "ID", "text": "Floods submerged 1,200 homes."},
            {"detected_source_language": "ID", "text": "\"We fled,\" said Siti.", "billed_characters": 27}
        ]}"#;
        assert_eq!(
            provider().parse(StatusCode::OK, ok).unwrap(),
            ["Floods submerged 1,200 homes.", "\"We fled,\" said Siti."]
        );
        for bad in [
            &b"<html>"[..],
            br#"{"translations": [{"detected_source_language": "ID"}]}"#,
            b"{}",
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
    fn quota_stops() {
        match fails(456, r#"{"message": "Quota exceeded"}"#) {
            Failure::Quota(m) => {
                assert!(
                    m.starts_with("HTTP 456 (quota exceeded): Quota exceeded;"),
                    "{m}"
                );
                assert!(m.contains("Cost Control"), "{m}");
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(fails(456, ""), Failure::Quota(m) if m.starts_with("HTTP 456 (quota exceeded);"))
        );
    }

    #[test]
    fn load_and_server_trouble_are_retried() {
        assert_eq!(
            fails(429, r#"{"message": "Too many requests"}"#),
            Failure::Retry("HTTP 429 (too many requests): Too many requests".into())
        );
        assert_eq!(
            fails(529, ""),
            Failure::Retry("HTTP 529 (too many requests, DeepL is under high load)".into())
        );
        for status in [500, 502, 503, 504] {
            assert!(matches!(fails(status, ""), Failure::Retry(_)), "{status}");
        }
        let html = "<html><body>502 Bad Gateway</body></html>";
        assert_eq!(
            fails(502, html),
            Failure::Retry(format!("HTTP 502 (Bad Gateway): {html}"))
        );
    }

    #[test]
    fn refusals_are_fatal_and_quote_deepl() {
        match fails(
            400,
            r#"{"message": "Value for 'target_lang' not supported.", "detail": "Supported: EN-GB, EN-US"}"#,
        ) {
            Failure::Fatal(m) => assert_eq!(
                m,
                "HTTP 400 (bad request): Value for 'target_lang' not supported.: Supported: EN-GB, EN-US"
            ),
            other => panic!("{other:?}"),
        }
        match fails(
            403,
            r#"{"message": "Wrong endpoint. Use https://api-free.deepl.com"}"#,
        ) {
            Failure::Fatal(m) => {
                assert!(
                    m.starts_with(
                        "HTTP 403 (authorization failed): Wrong endpoint. Use https://api-free.deepl.com;"
                    ),
                    "{m}"
                );
                assert!(m.contains("--api-key-env") && m.contains(":fx"), "{m}");
            }
            other => panic!("{other:?}"),
        }
        // DeepL often answers a wrong key with an empty 403.
        assert!(matches!(
            fails(403, ""),
            Failure::Fatal(m) if m.starts_with("HTTP 403 (authorization failed); check the key")
        ));
        assert!(matches!(
            fails(404, r#"{"message": "Not found"}"#),
            Failure::Fatal(m) if m.starts_with("HTTP 404 (not found): Not found;") && m.contains("/v2/translate")
        ));
        match fails(413, r#"{"message": "Request Entity Too Large"}"#) {
            Failure::Fatal(m) => {
                assert!(m.starts_with("HTTP 413 (request too large): Request Entity Too Large;"));
                assert!(m.contains("too large"), "{m}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(fails(414, ""), Failure::Fatal(_)));
        assert!(matches!(fails(401, ""), Failure::Fatal(_)));
    }
}
