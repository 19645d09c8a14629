//! OpenAI-compatible chat completions: `POST /v1/chat/completions`, header
//! `Authorization: Bearer K`, a JSON body `{model, temperature: 0, messages,
//! response_format: {type: "json_object"}}`. The paragraphs travel as a JSON
//! array in the user message; the system message asks for `{"translations":
//! [..]}` with one string per paragraph, in order. JSON mode needs the word
//! "JSON" in the messages, or OpenAI answers 400.
//!
//! The answer is `{"choices": [{"message": {"role": "assistant", "content":
//! ".."}, "finish_reason": "stop"}], ..}`; a `finish_reason` of `"length"`
//! means the model hit its token limit and the content is cut off: the same
//! batch would be cut again, so that stops the run. A reply that is not the
//! JSON asked for is `Invalid`, worth another try.
//!
//! Errors are `{"error": {"message", "type", "param", "code"}}`: 401
//! `invalid_api_key`, 404 `model_not_found`, 400 `invalid_request_error`, 429
//! with code `rate_limit_exceeded` (type `requests` or `tokens`, worth waiting
//! for) or `insufficient_quota` (no credit left: waiting does not help), 500
//! and 503 `server_error`. Compatible servers vary: `code` may be a number
//! (llama.cpp) and `error` a bare string.
//!
//! Local servers (Ollama, llama.cpp, vLLM) speak the same protocol and need
//! no key, so the key is required only for an endpoint that is not loopback.

use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;
use serde::Deserialize;
use serde_json::Value;

use super::{Failure, Limits, Provider, Settings, excerpt, failure_for_status, with_path};

/// OpenAI's own server.
pub const PUBLIC_ENDPOINT: &str = "https://api.openai.com";

/// The model used when none is configured: small, cheap and good at this.
pub const DEFAULT_MODEL: &str = "gpt-4o-mini";

pub struct OpenAi {
    url: reqwest::Url,
    key: Option<String>,
    model: String,
    source: String,
    target: String,
}

impl OpenAi {
    /// The endpoint defaults to OpenAI's server; the key is required unless
    /// the endpoint is on this machine.
    pub fn new(settings: &Settings) -> Result<OpenAi, String> {
        let public = PUBLIC_ENDPOINT.parse().expect("valid URL");
        let endpoint = settings.endpoint.as_ref().unwrap_or(&public);
        let key = settings
            .api_key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(String::from);
        if key.is_none() && !is_loopback(endpoint) {
            return Err(
                "openai needs an API key: put it in an environment variable and name that \
                 variable with --api-key-env (for example --api-key-env OPENAI_API_KEY); \
                 only a server on this machine (127.0.0.1, localhost) may go without one"
                    .into(),
            );
        }
        let model = settings
            .model
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .unwrap_or(DEFAULT_MODEL)
            .to_string();
        Ok(OpenAi {
            url: completions_url(endpoint),
            key,
            model,
            source: settings.source.clone(),
            target: settings.target.clone(),
        })
    }

    /// The system message: what to translate into what, and the JSON shape
    /// of the answer, with the count it must hold.
    fn instructions(&self, count: usize) -> String {
        let (from, to) = (language(&self.source), language(&self.target));
        let plural = if count == 1 { "" } else { "s" };
        format!(
            "You are a professional translator from {from} into {to}. The user message \
             is a JSON array of {count} paragraph{plural}; translate each paragraph. \
             Give exactly one translation per paragraph, in the same order: never merge, \
             split, drop or add a paragraph. Keep proper names (people, places, \
             organisations) as they are written. Add no notes or explanations. \
             Reply with a JSON object of the form {{\"translations\": [\"...\"]}} whose \
             \"translations\" array holds exactly {count} string{plural}, the translations \
             of the paragraphs in order."
        )
    }

    /// `message` with the key blanked out, should the service echo it.
    fn redact(&self, message: String) -> String {
        match &self.key {
            Some(k) => message.replace(k.as_str(), "***"),
            None => message,
        }
    }

    /// Reads a refusal: `insufficient_quota` is a spent account, anything
    /// else goes by the status.
    fn failure(&self, status: StatusCode, body: &[u8]) -> Failure {
        let Some(error) = serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|v| ErrorInfo::from_value(&v))
        else {
            return failure_for_status(
                status,
                self.redact(format!("HTTP {}: {}", status, excerpt(body))),
            );
        };
        let quoted = self.redact(error.quote(status));
        if status == StatusCode::TOO_MANY_REQUESTS && error.is_quota() {
            Failure::Quota(format!(
                "{quoted}; add credit or raise the spending limit in the account's billing settings"
            ))
        } else {
            failure_for_status(status, quoted)
        }
    }
}

/// `{endpoint}/v1/chat/completions`; an endpoint ending in `/v1` gets only
/// `/chat/completions`, and a full `.../chat/completions` URL is kept.
fn completions_url(endpoint: &reqwest::Url) -> reqwest::Url {
    let path = endpoint.path().trim_end_matches('/');
    if path.ends_with("/v1") || path.ends_with("/chat/completions") {
        with_path(endpoint, "/chat/completions")
    } else {
        with_path(endpoint, "/v1/chat/completions")
    }
}

/// Whether `url` names this machine: `localhost`, 127.0.0.0/8 or `::1`.
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => {
            let host = host.trim_end_matches('.').to_ascii_lowercase();
            host == "localhost" || host.ends_with(".localhost")
        }
    }
}

/// The English name of a language for the instructions; an unknown code is
/// named as such, and a region (`en-GB`) is kept alongside the name.
fn language(code: &str) -> String {
    let code = code.trim();
    let base = code
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let name = match base.as_str() {
        "id" | "in" | "ind" => "Indonesian",
        "en" | "eng" => "English",
        "ms" | "msa" | "zlm" => "Malay",
        "jv" | "jav" => "Javanese",
        "su" | "sun" => "Sundanese",
        "tl" | "fil" => "Filipino",
        "th" => "Thai",
        "vi" => "Vietnamese",
        "km" => "Khmer",
        "my" => "Burmese",
        "zh" => "Chinese",
        "ja" => "Japanese",
        "ko" => "Korean",
        "hi" => "Hindi",
        "ar" => "Arabic",
        "nl" => "Dutch",
        "de" => "German",
        "fr" => "French",
        "es" => "Spanish",
        "pt" => "Portuguese",
        "it" => "Italian",
        "ru" => "Russian",
        "tr" => "Turkish",
        _ => return format!("the language with code \"{code}\""),
    };
    if base.len() == code.len() {
        name.to_string()
    } else {
        format!("{name} ({code})")
    }
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: Option<Message>,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    content: Option<String>,
    refusal: Option<String>,
}

/// What an error body says, whatever shape the server gives it.
struct ErrorInfo {
    message: String,
    kind: Option<String>,
    code: Option<String>,
}

impl ErrorInfo {
    fn from_value(v: &Value) -> Option<ErrorInfo> {
        let text = |v: &Value| match v {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        match v.get("error")? {
            Value::String(s) => Some(ErrorInfo {
                message: s.clone(),
                kind: None,
                code: None,
            }),
            e @ Value::Object(_) => Some(ErrorInfo {
                message: e.get("message").and_then(text).unwrap_or_default(),
                kind: e.get("type").and_then(text),
                code: e.get("code").and_then(text),
            }),
            _ => None,
        }
    }

    fn is_quota(&self) -> bool {
        [&self.kind, &self.code]
            .iter()
            .any(|v| v.as_deref() == Some("insufficient_quota"))
    }

    /// `HTTP 429 (insufficient_quota): You exceeded ...`, type and code
    /// named once each.
    fn quote(&self, status: StatusCode) -> String {
        let mut labels: Vec<&str> = Vec::new();
        for l in [&self.kind, &self.code].into_iter().flatten() {
            if !labels.contains(&l.as_str()) {
                labels.push(l);
            }
        }
        let message = self
            .message
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if labels.is_empty() {
            format!("HTTP {}: {message}", status.as_u16())
        } else {
            format!(
                "HTTP {} ({}): {message}",
                status.as_u16(),
                labels.join(", ")
            )
        }
    }
}

/// The translations in a model's reply: `{"translations": [..]}`, or a bare
/// array, possibly inside a Markdown code fence.
fn translations(content: &str) -> Result<Vec<String>, String> {
    let json = unfence(content);
    let value: Value = serde_json::from_str(json).map_err(|e| {
        format!(
            "the model's reply is not JSON ({e}): {}",
            excerpt(content.as_bytes())
        )
    })?;
    let list = match &value {
        Value::Array(items) => items,
        Value::Object(fields) => match fields.get("translations") {
            Some(Value::Array(items)) => items,
            // One field holding a list: the model named it its own way.
            _ => match fields.values().collect::<Vec<_>>().as_slice() {
                [Value::Array(items)] => items,
                _ => {
                    return Err(format!(
                        "the model's reply has no \"translations\" list: {}",
                        excerpt(json.as_bytes())
                    ));
                }
            },
        },
        _ => {
            return Err(format!(
                "the model's reply is neither a JSON object nor a list: {}",
                excerpt(json.as_bytes())
            ));
        }
    };
    list.iter()
        .enumerate()
        .map(|(k, item)| match item {
            Value::String(s) => Ok(s.clone()),
            other => Err(format!(
                "translation {} in the model's reply is not a string: {}",
                k + 1,
                excerpt(other.to_string().as_bytes())
            )),
        })
        .collect()
}

/// The inside of a ```` ```json ```` fence, if the reply has one; else the
/// reply, trimmed.
fn unfence(content: &str) -> &str {
    let text = content.trim();
    let Some(start) = text.find("```") else {
        return text;
    };
    let after = &text[start + 3..];
    // Skip the info string (`json`) up to the end of its line.
    let body = match after.find('\n') {
        Some(n) => &after[n + 1..],
        None => after,
    };
    match body.find("```") {
        Some(end) => body[..end].trim(),
        None => body.trim(),
    }
}

impl Provider for OpenAi {
    fn name(&self) -> &'static str {
        "openai"
    }

    fn limits(&self) -> Limits {
        // Small batches keep each answer well within the model's output
        // limit and make a lost or shifted paragraph cheap to send again.
        Limits {
            items: 20,
            bytes: 8000,
        }
    }

    fn request(&self, http: &reqwest::Client, texts: &[&str]) -> reqwest::RequestBuilder {
        let paragraphs = serde_json::to_string(texts).expect("strings serialise");
        let body = serde_json::json!({
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": self.instructions(texts.len())},
                {"role": "user", "content": paragraphs},
            ],
            "response_format": {"type": "json_object"},
        });
        let request = http.post(self.url.clone()).json(&body);
        match &self.key {
            Some(key) => request.header(AUTHORIZATION, format!("Bearer {key}")),
            None => request,
        }
    }

    fn parse(&self, status: StatusCode, body: &[u8]) -> Result<Vec<String>, Failure> {
        if !status.is_success() {
            return Err(self.failure(status, body));
        }
        let answer = match serde_json::from_slice::<Answer>(body) {
            Ok(a) if !a.choices.is_empty() => a,
            // Some compatible servers report errors inside a 200.
            _ => {
                let error = serde_json::from_slice::<Value>(body)
                    .ok()
                    .and_then(|v| ErrorInfo::from_value(&v));
                return Err(Failure::Invalid(self.redact(match error {
                    Some(e) => e.quote(status),
                    None => format!("the answer is not a chat completion: {}", excerpt(body)),
                })));
            }
        };
        let choice = &answer.choices[0];
        match choice.finish_reason.as_deref() {
            Some("length") => {
                return Err(Failure::Truncated(
                    "the answer was truncated: the model reached its output token limit \
                     (finish_reason \"length\") before translating the whole batch"
                        .into(),
                ));
            }
            Some("content_filter") => {
                return Err(Failure::Fatal(
                    "the answer was withheld by the service's content filter \
                     (finish_reason \"content_filter\")"
                        .into(),
                ));
            }
            _ => {}
        }
        let message = choice.message.as_ref();
        if let Some(refusal) = message.and_then(|m| m.refusal.as_deref()) {
            return Err(Failure::Fatal(format!("the model refused: {refusal}")));
        }
        let Some(content) = message.and_then(|m| m.content.as_deref()) else {
            return Err(Failure::Invalid(format!(
                "the reply has no content: {}",
                excerpt(body)
            )));
        };
        translations(content).map_err(|m| Failure::Invalid(self.redact(m)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::{json_body, test_http, test_settings as settings};

    const KEY: &str = "sk-test-0123456789abcdef";

    fn provider() -> OpenAi {
        OpenAi::new(&settings(None, Some(KEY))).unwrap()
    }

    fn completion(content: &str, finish: &str) -> Vec<u8> {
        serde_json::json!({
            "id": "chatcmpl-123",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": "gpt-4o-mini-2024-07-18",
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": null},
                "logprobs": null,
                "finish_reason": finish,
            }],
            "usage": {"prompt_tokens": 90, "completion_tokens": 20, "total_tokens": 110},
        })
        .to_string()
        .into_bytes()
    }

    fn openai_error(message: &str, kind: &str, code: Option<&str>) -> Vec<u8> {
        serde_json::json!({"error": {
            "message": message,
            "type": kind,
            "param": null,
            "code": code,
        }})
        .to_string()
        .into_bytes()
    }

    #[test]
    fn key_is_required_except_on_loopback() {
        for key in [None, Some(""), Some("  ")] {
            let e = OpenAi::new(&settings(None, key)).err().unwrap();
            assert!(e.contains("--api-key-env"), "{e}");
            let e = OpenAi::new(&settings(Some("http://10.0.0.5:8080"), key))
                .err()
                .unwrap();
            assert!(e.contains("--api-key-env"), "{e}");
        }
        for local in [
            "http://127.0.0.1:11434",
            "http://127.1.2.3:8080/v1",
            "http://localhost:8080",
            "http://LOCALHOST:8080",
            "http://[::1]:8000",
        ] {
            let p = OpenAi::new(&settings(Some(local), None)).unwrap();
            let request = p.request(&test_http(), &["x"]).build().unwrap();
            assert!(request.headers().get(AUTHORIZATION).is_none(), "{local}");
        }
        // Lookalikes of loopback are not.
        for remote in ["http://localhost.example.com", "http://127.0.0.1.nip.io"] {
            assert!(
                OpenAi::new(&settings(Some(remote), None)).is_err(),
                "{remote}"
            );
        }
    }

    #[test]
    fn endpoint_paths() {
        let url = |e: Option<&str>| {
            OpenAi::new(&settings(e, Some(KEY)))
                .unwrap()
                .url
                .to_string()
        };
        assert_eq!(url(None), "https://api.openai.com/v1/chat/completions");
        assert_eq!(
            url(Some("http://127.0.0.1:11434")),
            "http://127.0.0.1:11434/v1/chat/completions"
        );
        assert_eq!(
            url(Some("http://127.0.0.1:11434/v1")),
            "http://127.0.0.1:11434/v1/chat/completions"
        );
        assert_eq!(
            url(Some("https://api.groq.com/openai/v1/")),
            "https://api.groq.com/openai/v1/chat/completions"
        );
        assert_eq!(
            url(Some("https://h/proxy/")),
            "https://h/proxy/v1/chat/completions"
        );
        assert_eq!(
            url(Some("https://h/v1/chat/completions")),
            "https://h/v1/chat/completions"
        );
        assert_eq!(
            url(Some("https://h/v1beta/openai/chat/completions")),
            "https://h/v1beta/openai/chat/completions"
        );
    }

    #[test]
    fn request_has_the_documented_shape() {
        let p = provider();
        let texts = [
            "Banjir merendam 1.200 rumah di Semarang.",
            "“Kami mengungsi,” kata Siti.",
        ];
        let request = p.request(&test_http(), &texts).build().unwrap();
        assert_eq!(request.method(), reqwest::Method::POST);
        assert_eq!(
            request.url().as_str(),
            "https://api.openai.com/v1/chat/completions"
        );
        assert_eq!(
            request.headers()[AUTHORIZATION],
            format!("Bearer {KEY}").as_str()
        );
        assert_eq!(request.headers()["content-type"], "application/json");
        let body: Value = json_body(&request);
        assert_eq!(body["model"], "gpt-4o-mini");
        assert_eq!(body["temperature"], 0);
        assert_eq!(
            body["response_format"],
            serde_json::json!({"type": "json_object"})
        );
        let messages = body["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0]["role"], "system");
        assert_eq!(messages[1]["role"], "user");
        // The user message is the paragraphs as a JSON array, nothing else.
        let sent: Vec<String> =
            serde_json::from_str(messages[1]["content"].as_str().unwrap()).unwrap();
        assert_eq!(sent, texts);
        let system = messages[0]["content"].as_str().unwrap();
        for needed in [
            "from Indonesian into English",
            "JSON",
            "\"translations\"",
            "exactly 2 strings",
            "same order",
            "proper names",
        ] {
            assert!(system.contains(needed), "{needed:?} missing from: {system}");
        }
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert_eq!(
            keys.len(),
            4,
            "model, temperature, messages, response_format: {keys:?}"
        );
    }

    #[test]
    fn model_and_languages_come_from_settings() {
        let p = OpenAi::new(&Settings {
            endpoint: Some("http://127.0.0.1:11434/v1".parse().unwrap()),
            source: "id".into(),
            target: "ms".into(),
            model: Some("qwen2.5:7b".into()),
            ..Settings::default()
        })
        .unwrap();
        let request = p.request(&test_http(), &["Apa kabar?"]).build().unwrap();
        let body: Value = json_body(&request);
        assert_eq!(body["model"], "qwen2.5:7b");
        let system = body["messages"][0]["content"].as_str().unwrap();
        assert!(system.contains("into Malay"), "{system}");
        assert!(system.contains("exactly 1 string,"), "{system}");
        assert_eq!(language("en-GB"), "English (en-GB)");
        assert_eq!(language("xx"), "the language with code \"xx\"");
    }

    #[test]
    fn replies_as_object_array_or_fenced() {
        let p = provider();
        let expected = ["Floods hit 1,200 homes.", "\"We fled,\" said Siti."];
        let object = r#"{"translations": ["Floods hit 1,200 homes.", "\"We fled,\" said Siti."]}"#;
        let array = r#"["Floods hit 1,200 homes.", "\"We fled,\" said Siti."]"#;
        let fenced = format!("```json\n{object}\n```");
        let fenced_bare = format!("Here you are:\n```\n{array}\n```\n");
        let renamed = r#"{"paragraphs": ["Floods hit 1,200 homes.", "\"We fled,\" said Siti."]}"#;
        for content in [object, array, &fenced, &fenced_bare, renamed] {
            assert_eq!(
                p.parse(StatusCode::OK, &completion(content, "stop"))
                    .unwrap(),
                expected,
                "{content}"
            );
        }
        // Counts are the client's to check; the provider passes them on.
        let short = r#"{"translations": ["Only one."]}"#;
        assert_eq!(
            p.parse(StatusCode::OK, &completion(short, "stop")).unwrap(),
            ["Only one."]
        );
    }

    #[test]
    fn replies_that_are_not_translations_are_retried() {
        let p = provider();
        for content in [
            "Sure! Floods hit 1,200 homes.",
            r#"{"translation": "Floods", "note": "x"}"#,
            r#"{"translations": ["ok", 3]}"#,
            r#""just a string""#,
        ] {
            assert!(
                matches!(
                    p.parse(StatusCode::OK, &completion(content, "stop")),
                    Err(Failure::Invalid(_))
                ),
                "{content}"
            );
        }
        for body in [
            b"<html>".as_slice(),
            br#"{"choices": []}"#,
            br#"{"object": "chat.completion"}"#,
        ] {
            assert!(matches!(
                p.parse(StatusCode::OK, body),
                Err(Failure::Invalid(_))
            ));
        }
        let empty = br#"{"choices": [{"index": 0, "message": {"role": "assistant", "content": null}, "finish_reason": "stop"}]}"#;
        assert!(matches!(
            p.parse(StatusCode::OK, empty),
            Err(Failure::Invalid(m)) if m.starts_with("the reply has no content")
        ));
        let refused = br#"{"choices": [{"index": 0, "message": {"role": "assistant", "content": null, "refusal": "I can't help with that."}, "finish_reason": "stop"}]}"#;
        assert_eq!(
            p.parse(StatusCode::OK, refused),
            Err(Failure::Fatal(
                "the model refused: I can't help with that.".into()
            ))
        );
    }

    #[test]
    fn a_cut_off_answer_is_truncated() {
        let p = provider();
        let cut = completion(r#"{"translations": ["Floods hit 1,200 ho"#, "length");
        match p.parse(StatusCode::OK, &cut) {
            Err(Failure::Truncated(m)) => assert!(m.contains("truncated"), "{m}"),
            other => panic!("{other:?}"),
        }
        // Even when the cut happens to leave valid JSON.
        let whole = completion(r#"{"translations": ["One."]}"#, "length");
        assert!(matches!(
            p.parse(StatusCode::OK, &whole),
            Err(Failure::Truncated(m)) if m.contains("truncated")
        ));
        let filtered = completion("", "content_filter");
        assert!(matches!(
            p.parse(StatusCode::OK, &filtered),
            Err(Failure::Fatal(m)) if m.contains("content_filter")
        ));
    }

    #[test]
    fn rate_limits_and_server_errors_are_retried() {
        let p = provider();
        let rate = openai_error(
            "Rate limit reached for gpt-4o-mini in organization org-abc on requests per min \
             (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.",
            "requests",
            Some("rate_limit_exceeded"),
        );
        match p.parse(StatusCode::TOO_MANY_REQUESTS, &rate) {
            Err(Failure::Retry(m)) => assert!(
                m.starts_with("HTTP 429 (requests, rate_limit_exceeded): Rate limit reached"),
                "{m}"
            ),
            other => panic!("{other:?}"),
        }
        let tokens = openai_error(
            "Rate limit reached on tokens per min (TPM)",
            "tokens",
            Some("rate_limit_exceeded"),
        );
        assert!(matches!(
            p.parse(StatusCode::TOO_MANY_REQUESTS, &tokens),
            Err(Failure::Retry(_))
        ));
        let busy = openai_error(
            "The server had an error while processing your request. Sorry about that!",
            "server_error",
            None,
        );
        assert_eq!(
            p.parse(StatusCode::INTERNAL_SERVER_ERROR, &busy),
            Err(Failure::Retry(
                "HTTP 500 (server_error): The server had an error while processing your request. Sorry about that!"
                    .into()
            ))
        );
        let overloaded = openai_error(
            "The engine is currently overloaded, please try again later",
            "server_error",
            None,
        );
        assert!(matches!(
            p.parse(StatusCode::SERVICE_UNAVAILABLE, &overloaded),
            Err(Failure::Retry(_))
        ));
        let html = b"<html><body>502 Bad Gateway</body></html>";
        assert!(matches!(
            p.parse(StatusCode::BAD_GATEWAY, html),
            Err(Failure::Retry(m)) if m.contains("502")
        ));
    }

    #[test]
    fn a_spent_quota_stops() {
        let p = provider();
        let quota = openai_error(
            "You exceeded your current quota, please check your plan and billing details. \
             For more information on this error, read the docs: \
             https://platform.openai.com/docs/guides/error-codes/api-errors.",
            "insufficient_quota",
            Some("insufficient_quota"),
        );
        match p.parse(StatusCode::TOO_MANY_REQUESTS, &quota) {
            Err(Failure::Quota(m)) => assert!(
                m.starts_with("HTTP 429 (insufficient_quota): You exceeded your current quota"),
                "{m}"
            ),
            other => panic!("{other:?}"),
        }
        // Either field alone is enough.
        let by_code = openai_error(
            "No credit.",
            "invalid_request_error",
            Some("insufficient_quota"),
        );
        assert!(matches!(
            p.parse(StatusCode::TOO_MANY_REQUESTS, &by_code),
            Err(Failure::Quota(m)) if m.starts_with("HTTP 429 (invalid_request_error, insufficient_quota): No credit.")
        ));
        let by_type = openai_error("No credit.", "insufficient_quota", None);
        assert!(matches!(
            p.parse(StatusCode::TOO_MANY_REQUESTS, &by_type),
            Err(Failure::Quota(_))
        ));
    }

    #[test]
    fn key_model_and_request_problems_are_fatal() {
        let p = provider();
        let cases = [
            (
                401,
                openai_error(
                    "Incorrect API key provided: sk-test-***cdef. You can find your API key at https://platform.openai.com/account/api-keys.",
                    "invalid_request_error",
                    Some("invalid_api_key"),
                ),
                "HTTP 401 (invalid_request_error, invalid_api_key): Incorrect API key provided: sk-test-***cdef.",
            ),
            (
                403,
                openai_error(
                    "Country, region, or territory not supported",
                    "request_forbidden",
                    Some("unsupported_country_region_territory"),
                ),
                "HTTP 403 (request_forbidden, unsupported_country_region_territory): Country",
            ),
            (
                400,
                openai_error(
                    "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
                    "invalid_request_error",
                    None,
                ),
                "HTTP 400 (invalid_request_error): 'messages' must contain",
            ),
            (
                404,
                openai_error(
                    "The model `gpt-9` does not exist or you do not have access to it.",
                    "invalid_request_error",
                    Some("model_not_found"),
                ),
                "HTTP 404 (invalid_request_error, model_not_found): The model `gpt-9` does not exist",
            ),
        ];
        for (code, body, start) in cases {
            let status = StatusCode::from_u16(code).unwrap();
            match p.parse(status, &body) {
                Err(Failure::Fatal(m)) => assert!(m.starts_with(start), "{m}"),
                other => panic!("{code}: {other:?}"),
            }
        }
    }

    #[test]
    fn compatible_servers_error_shapes() {
        let p = provider();
        // llama.cpp: a numeric code.
        let llama = br#"{"error": {"code": 401, "message": "Invalid API Key", "type": "authentication_error"}}"#;
        assert_eq!(
            p.parse(StatusCode::UNAUTHORIZED, llama),
            Err(Failure::Fatal(
                "HTTP 401 (authentication_error, 401): Invalid API Key".into()
            ))
        );
        // A bare string.
        let bare = br#"{"error": "model 'llama9' not found"}"#;
        assert_eq!(
            p.parse(StatusCode::NOT_FOUND, bare),
            Err(Failure::Fatal("HTTP 404: model 'llama9' not found".into()))
        );
        // An error inside a 200.
        let inside = br#"{"error": {"message": "upstream failed", "code": 502}}"#;
        assert!(matches!(
            p.parse(StatusCode::OK, inside),
            Err(Failure::Invalid(m)) if m.contains("upstream failed")
        ));
    }

    #[test]
    fn the_key_is_never_quoted() {
        let p = provider();
        let echo = openai_error(
            &format!("Incorrect API key provided: {KEY}."),
            "invalid_request_error",
            Some("invalid_api_key"),
        );
        match p.parse(StatusCode::UNAUTHORIZED, &echo) {
            Err(Failure::Fatal(m)) => {
                assert!(!m.contains(KEY), "{m}");
                assert!(m.contains("***"), "{m}");
            }
            other => panic!("{other:?}"),
        }
    }
}
