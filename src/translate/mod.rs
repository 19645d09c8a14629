//! Machine translation through a public API (SPEC §2).
//!
//! A [`Provider`] knows one protocol and nothing else: how to put a batch of
//! paragraphs into an HTTP request and how to read the answer back into
//! translations or a typed failure. Batching, concurrency, retries and
//! validation live once, in [`client`], for every provider.

mod apertium;
mod azure;
mod cache;
pub mod client;
mod custom;
mod deepl;
mod google;
mod libretranslate;
mod mymemory;
mod openai;
mod protect;

use std::sync::Arc;

use reqwest::StatusCode;

pub use self::apertium::Apertium;
pub use self::cache::Cache;
pub use self::client::{Options, Plan, Stats, plan, translate};
pub use self::custom::Shape as CustomShape;
pub use self::libretranslate::LibreTranslate;
pub use self::protect::{Markup, Protector};

/// The built-in providers: name and one line on what it is.
pub const PROVIDERS: &[(&str, &str)] = &[
    (
        "libretranslate",
        "LibreTranslate, self-hosted or public (needs an endpoint)",
    ),
    (
        "apertium",
        "Apertium APy, keyless; three-letter pairs such as ind|zlm",
    ),
    (
        "google",
        "Google Cloud Translation v2 (Basic); needs an API key (--api-key-env)",
    ),
    (
        "deepl",
        "DeepL API v2, Free (:fx keys) or Pro; needs an API key (--api-key-env)",
    ),
    (
        "azure",
        "Azure AI Translator v3; needs an API key (--api-key-env), a region for regional resources",
    ),
    (
        "mymemory",
        "MyMemory, keyless; 500 bytes a request, a daily quota an email raises",
    ),
    (
        "openai",
        "OpenAI-compatible chat completions (OpenAI, Ollama, llama.cpp); a key unless local",
    ),
    (
        "custom",
        "any JSON-over-HTTP service described in [providers.custom]",
    ),
];

/// Everything a provider needs to build its requests, from the config file
/// and the command line.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The service's URL; `None` for the provider's public default.
    pub endpoint: Option<reqwest::Url>,
    /// Source and target language, ISO 639-1 (`id`, `en`); each provider
    /// maps them to its own codes.
    pub source: String,
    pub target: String,
    /// The API key, read from the environment variable the user named.
    pub api_key: Option<String>,
    /// Azure: the resource's region, sent as `Ocp-Apim-Subscription-Region`.
    pub region: Option<String>,
    /// OpenAI-compatible services: the model name.
    pub model: Option<String>,
    /// MyMemory: a contact email (`de`) that raises the daily quota.
    pub email: Option<String>,
    /// custom: the request and answer shape.
    pub custom: Option<CustomShape>,
    /// `--protect-names`: providers with tag handling send markup and
    /// leave the no-translate elements alone ([`Provider::markup`]).
    pub protect_names: bool,
}

/// Builds the provider called `name`.
pub fn provider(name: &str, settings: &Settings) -> Result<Arc<dyn Provider>, String> {
    Ok(match name {
        "libretranslate" => Arc::new(LibreTranslate::new(settings)?),
        "apertium" => Arc::new(Apertium::new(settings)),
        "google" => Arc::new(google::Google::new(settings)?),
        "deepl" => Arc::new(deepl::DeepL::new(settings)?),
        "azure" => Arc::new(azure::Azure::new(settings)?),
        "mymemory" => Arc::new(mymemory::MyMemory::new(settings)),
        "openai" => Arc::new(openai::OpenAi::new(settings)?),
        "custom" => Arc::new(custom::Custom::new(settings)?),
        other => {
            let names: Vec<&str> = PROVIDERS.iter().map(|p| p.0).collect();
            return Err(format!(
                "unknown provider {other:?}; choose one of {}",
                names.join(", ")
            ));
        }
    })
}

/// An HTTP client for unit tests that build requests.
#[cfg(test)]
pub(crate) fn test_http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// Settings for unit tests: Indonesian to English, an endpoint and a key
/// if given.
#[cfg(test)]
pub(crate) fn test_settings(endpoint: Option<&str>, key: Option<&str>) -> Settings {
    Settings {
        endpoint: endpoint.map(|e| e.parse().unwrap()),
        source: "id".into(),
        target: "en".into(),
        api_key: key.map(String::from),
        ..Settings::default()
    }
}

/// The JSON body of a built request, for unit tests.
#[cfg(test)]
pub(crate) fn json_body(request: &reqwest::Request) -> serde_json::Value {
    serde_json::from_slice(request.body().unwrap().as_bytes().unwrap()).unwrap()
}

/// `endpoint` with `/translate` appended unless its path already ends so.
pub fn with_path(endpoint: &reqwest::Url, tail: &str) -> reqwest::Url {
    let mut url = endpoint.clone();
    let path = url.path().trim_end_matches('/').to_string();
    if !path.ends_with(tail) {
        url.set_path(&format!("{path}{tail}"));
    }
    url
}

/// What one request may carry.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Paragraphs per request.
    pub items: usize,
    /// UTF-8 bytes of text per request.
    pub bytes: usize,
}

/// Why an answer gave no translations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Worth another try after a pause: 429, 5xx, timeouts, dropped connections.
    Retry(String),
    /// Retrying cannot help (400, 401, 403, ...): stop with this message.
    Fatal(String),
    /// The account's quota is spent: stop, and say that a re-run resumes.
    Quota(String),
    /// A success status with an answer that cannot be read: worth another try.
    Invalid(String),
    /// The answer was cut off (an output limit): send the batch again in
    /// smaller pieces.
    Truncated(String),
}

/// One translation protocol.
pub trait Provider: Send + Sync {
    /// The name users give to `--provider`.
    fn name(&self) -> &'static str;

    /// How much one request may carry.
    fn limits(&self) -> Limits;

    /// Builds the request that translates `texts`.
    fn request(&self, http: &reqwest::Client, texts: &[&str]) -> reqwest::RequestBuilder;

    /// Reads an answer: the translations of the texts sent, in order, or why not.
    fn parse(&self, status: StatusCode, body: &[u8]) -> Result<Vec<String>, Failure>;

    /// The markup the requests carry when names are protected
    /// (`Settings::protect_names` on a provider with tag handling); `None`
    /// when the texts travel as plain text.
    fn markup(&self) -> Option<Markup> {
        None
    }
}

/// The usual reading of an HTTP error status: 408, 425, 429 and 5xx pass,
/// everything else needs the user.
pub fn failure_for_status(status: StatusCode, message: String) -> Failure {
    let code = status.as_u16();
    if matches!(code, 408 | 425 | 429) || status.is_server_error() {
        Failure::Retry(message)
    } else {
        Failure::Fatal(message)
    }
}

/// A short, printable excerpt of an error body that is not the JSON we expect
/// (an HTML error page, say): one line, at most 200 characters.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 200 {
        let cut: String = line.chars().take(200).collect();
        format!("{cut}…")
    } else {
        line
    }
}
