//! `selaras.toml` and the command line, merged into the settings a run uses.
//!
//! The file is `--config FILE`, else `./selaras.toml`, else `selaras.toml` in
//! the user's config directory, else none. Flags override the file; the file
//! overrides the built-in defaults. Keys never live in the file: it names the
//! environment variable that holds each one.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::translate::{Cache, CustomShape, Settings};

/// The provider used when neither the file nor the flags name one: keyless
/// and public.
pub const DEFAULT_PROVIDER: &str = "mymemory";

/// The file's contents. Every field is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub provider: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub concurrency: Option<usize>,
    /// Seconds allowed for one request.
    pub timeout: Option<f64>,
    pub retries: Option<usize>,
    pub allow_insecure_http: Option<bool>,
    /// The translation cache file.
    pub cache: Option<PathBuf>,
    /// Rate limits and request size for every provider; a provider's own
    /// section overrides them.
    pub requests_per_second: Option<f64>,
    pub requests_per_minute: Option<f64>,
    /// An upper bound on the text in one request, below the provider's own.
    pub characters_per_request: Option<usize>,
    /// Per-provider settings: `[providers.deepl]` and so on.
    #[serde(default)]
    pub providers: BTreeMap<String, Section>,
}

/// One provider's section.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub endpoint: Option<String>,
    /// The environment variable holding the API key.
    pub api_key_env: Option<String>,
    /// Azure: the resource's region.
    pub region: Option<String>,
    /// OpenAI-compatible services: the model.
    pub model: Option<String>,
    /// MyMemory: a contact email, which raises the daily quota.
    pub email: Option<String>,
    pub concurrency: Option<usize>,
    pub requests_per_second: Option<f64>,
    pub requests_per_minute: Option<f64>,
    pub characters_per_request: Option<usize>,
    /// custom only: the request and answer shape.
    pub method: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub query: BTreeMap<String, String>,
    pub body: Option<String>,
    pub result: Option<String>,
    pub error: Option<String>,
}

impl Section {
    /// The custom provider's shape, if this section describes one.
    fn shape(&self) -> Option<CustomShape> {
        Some(CustomShape {
            method: self.method.clone(),
            headers: self.headers.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            result: self.result.clone()?,
            error: self.error.clone(),
        })
    }

    fn has_shape(&self) -> bool {
        self.method.is_some()
            || !self.headers.is_empty()
            || !self.query.is_empty()
            || self.body.is_some()
            || self.result.is_some()
            || self.error.is_some()
    }
}

/// A loaded file and where it came from.
#[derive(Debug, Default)]
pub struct Config {
    pub file: File,
    pub path: Option<PathBuf>,
}

impl Config {
    /// Finds and reads the config file. An explicit path must exist.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => [
                Some(PathBuf::from("selaras.toml")),
                dirs::config_dir().map(|d| d.join("selaras").join("selaras.toml")),
            ]
            .into_iter()
            .flatten()
            .find(|p| p.is_file()),
        };
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::input(format!(
                "{}: cannot read the config file: {e}",
                path.display()
            ))
        })?;
        let file = parse(&text).map_err(|e| Error::input(format!("{}: {e}", path.display())))?;
        Ok(Config {
            file,
            path: Some(path),
        })
    }
}

/// Parses the file's text; the error names the line and the key.
pub fn parse(text: &str) -> std::result::Result<File, String> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| 1 + text[..s.start.min(text.len())].matches('\n').count());
        let message = e.message().trim().replace('\n', " ");
        match line {
            Some(l) => format!("line {l}: {message}; see the config example in the README"),
            None => format!("{message}; see the config example in the README"),
        }
    })
}

/// What the command line says; `None` leaves the file's value or the default.
#[derive(Debug, Default, Clone)]
pub struct Flags {
    pub provider: Option<String>,
    pub endpoint: Option<String>,
    pub api_key_env: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub concurrency: Option<usize>,
    pub timeout: Option<f64>,
    pub retries: Option<usize>,
    pub cache: Option<PathBuf>,
    pub no_cache: bool,
}

/// The settings a run uses.
#[derive(Debug, Clone)]
pub struct Effective {
    pub provider: String,
    pub settings: Settings,
    /// Where the key comes from, to say so (never the key).
    pub api_key_env: Option<String>,
    pub concurrency: usize,
    pub timeout: Duration,
    pub retries: usize,
    /// The least time between two requests, from the rate limits.
    pub spacing: Duration,
    pub characters_per_request: Option<usize>,
    /// The cache file, or `None` for `--no-cache`.
    pub cache: Option<PathBuf>,
    /// The config file the settings came from, if any.
    pub config: Option<PathBuf>,
}

impl Effective {
    /// What besides a text decides its translation: the cache key's other
    /// half. The key is left out on purpose: another key for the same
    /// service gives the same translation. Protected names (`--protect-names`)
    /// change the translation, so they add a field; without them the scope
    /// is what it always was, and older caches stay good.
    pub fn scope(&self) -> String {
        let s = &self.settings;
        let endpoint = s.endpoint.as_ref().map_or("default", |u| u.as_str());
        let model = s.model.as_deref().unwrap_or("");
        let mut scope = [
            self.provider.as_str(),
            endpoint,
            &s.source,
            &s.target,
            model,
        ]
        .join("\u{1f}");
        if s.protect_names {
            scope.push_str("\u{1f}protect");
        }
        scope
    }
}

/// Merges flags over the file over the defaults. Reads the API key from the
/// environment when `read_key` is set; a named but unset variable is an error.
pub fn resolve(config: &Config, flags: &Flags, read_key: bool) -> Result<Effective> {
    let file = &config.file;
    let from_file = |what: &str| match &config.path {
        Some(p) => format!("{} in {}", what, p.display()),
        None => what.to_string(),
    };
    let provider = flags
        .provider
        .clone()
        .or_else(|| file.provider.clone())
        .unwrap_or_else(|| DEFAULT_PROVIDER.to_string());
    let section = file.providers.get(&provider).cloned().unwrap_or_default();
    for (name, s) in &file.providers {
        if !crate::translate::PROVIDERS.iter().any(|p| p.0 == name) {
            return Err(Error::input(from_file(&format!(
                "[providers.{name}]: no such provider; `selaras providers` lists them"
            ))));
        }
        if name != "custom" && s.has_shape() {
            return Err(Error::input(from_file(&format!(
                "[providers.{name}]: method, headers, query, body, result and error belong in [providers.custom]"
            ))));
        }
    }

    let endpoint = flags.endpoint.clone().or(section.endpoint.clone());
    let endpoint = match endpoint {
        Some(e) => Some(endpoint_url(&e, file.allow_insecure_http.unwrap_or(false))?),
        None => None,
    };
    let api_key_env = flags.api_key_env.clone().or(section.api_key_env.clone());
    let api_key = match (&api_key_env, read_key) {
        (Some(var), true) => Some(api_key(var)?),
        _ => None,
    };
    let requests_per_second = section.requests_per_second.or(file.requests_per_second);
    let requests_per_minute = section.requests_per_minute.or(file.requests_per_minute);
    let characters_per_request = section
        .characters_per_request
        .or(file.characters_per_request);
    let mut spacing = Duration::ZERO;
    for (rate, per) in [(requests_per_second, 1.0), (requests_per_minute, 60.0)] {
        if let Some(r) = rate {
            if !(r > 0.0 && r.is_finite()) {
                return Err(Error::input(from_file(
                    "requests_per_second and requests_per_minute must be above 0",
                )));
            }
            spacing = spacing.max(Duration::from_secs_f64(per / r));
        }
    }
    let timeout = flags.timeout.or(file.timeout).unwrap_or(60.0);
    if !(timeout > 0.0 && timeout.is_finite()) {
        return Err(Error::input(format!(
            "timeout {timeout}: give a number of seconds above 0"
        )));
    }
    let concurrency = flags
        .concurrency
        .or(section.concurrency)
        .or(file.concurrency)
        .unwrap_or(4);
    if concurrency == 0 {
        return Err(Error::input("concurrency must be at least 1"));
    }
    if characters_per_request == Some(0) {
        return Err(Error::input(from_file(
            "characters_per_request must be at least 1",
        )));
    }
    let cache = if flags.no_cache {
        None
    } else {
        match flags.cache.clone().or(file.cache.clone()) {
            Some(p) => Some(p),
            None => Some(Cache::default_path().ok_or_else(|| {
                Error::input(
                    "no user cache directory is known here; give --cache FILE or --no-cache",
                )
            })?),
        }
    };

    Ok(Effective {
        settings: Settings {
            endpoint,
            source: flags
                .from
                .clone()
                .or(file.from.clone())
                .unwrap_or_else(|| "id".into()),
            target: flags
                .to
                .clone()
                .or(file.to.clone())
                .unwrap_or_else(|| "en".into()),
            api_key,
            region: section.region.clone(),
            model: section.model.clone(),
            email: section.email.clone(),
            custom: section.shape(),
            protect_names: false,
        },
        provider,
        api_key_env,
        concurrency,
        timeout: Duration::from_secs_f64(timeout),
        retries: flags.retries.or(file.retries).unwrap_or(5),
        spacing,
        characters_per_request,
        cache,
        config: config.path.clone(),
    })
}

/// Reads an API key from the environment.
fn api_key(var: &str) -> Result<String> {
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
        Ok(_) => Err(Error::input(format!(
            "{var}: the variable holding the API key is empty; export the key in it"
        ))),
        Err(_) => Err(Error::input(format!(
            "{var}: the variable holding the API key is not set; export the key in it"
        ))),
    }
}

/// Parses an endpoint and refuses plain HTTP to anything but this machine.
fn endpoint_url(endpoint: &str, allow_insecure_http: bool) -> Result<reqwest::Url> {
    let url: reqwest::Url = endpoint.parse().map_err(|e| {
        Error::input(format!(
            "endpoint {endpoint}: not a URL ({e}); give one like https://host or http://127.0.0.1:5000"
        ))
    })?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if allow_insecure_http || is_loopback(&url) => Ok(url),
        "http" => Err(Error::input(format!(
            "endpoint {endpoint}: refusing plain http:// to a host other than this machine \
             (the text and the key would travel unencrypted); use https://, or set \
             allow_insecure_http = true in selaras.toml"
        ))),
        _ => Err(Error::input(format!(
            "endpoint {endpoint}: use an https:// (or loopback http://) URL"
        ))),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
provider = "google"
from = "id"
to = "en"
concurrency = 2
timeout = 30
retries = 3
requests_per_second = 4
allow_insecure_http = false

[providers.google]
api_key_env = "GOOGLE_API_KEY"
requests_per_minute = 60

[providers.mymemory]
email = "desk@example.org"

[providers.custom]
endpoint = "https://mt.example.org/translate"
method = "POST"
headers = { "X-Api-Key" = "{key}" }
body = '{"text": {text}, "to": "{target}"}'
result = "/translation"
"#;

    fn effective(file: &str, flags: Flags) -> Result<Effective> {
        let config = Config {
            file: parse(file).unwrap(),
            path: None,
        };
        resolve(&config, &flags, false)
    }

    #[test]
    fn file_then_flags() {
        let e = effective(EXAMPLE, Flags::default()).unwrap();
        assert_eq!(e.provider, "google");
        assert_eq!(e.concurrency, 2);
        assert_eq!(e.retries, 3);
        assert_eq!(e.api_key_env.as_deref(), Some("GOOGLE_API_KEY"));
        // 4 a second and 60 a minute: the stricter wins.
        assert_eq!(e.spacing, Duration::from_secs(1));
        let e = effective(
            EXAMPLE,
            Flags {
                provider: Some("mymemory".into()),
                concurrency: Some(8),
                ..Flags::default()
            },
        )
        .unwrap();
        assert_eq!(e.provider, "mymemory");
        assert_eq!(e.concurrency, 8);
        assert_eq!(e.settings.email.as_deref(), Some("desk@example.org"));
        assert_eq!(e.spacing, Duration::from_millis(250));
        let e = effective(
            EXAMPLE,
            Flags {
                provider: Some("custom".into()),
                ..Flags::default()
            },
        )
        .unwrap();
        let shape = e.settings.custom.unwrap();
        assert_eq!(shape.result, "/translation");
        assert_eq!(shape.headers["X-Api-Key"], "{key}");
        assert!(effective("[providers.google]\nresult = \"/t\"\n", Flags::default()).is_err());
    }

    #[test]
    fn defaults_without_a_file() {
        let e = effective("", Flags::default()).unwrap();
        assert_eq!(e.provider, DEFAULT_PROVIDER);
        assert_eq!(
            (e.settings.source.as_str(), e.settings.target.as_str()),
            ("id", "en")
        );
        assert_eq!(e.spacing, Duration::ZERO);
    }

    #[test]
    fn protected_names_have_a_scope_of_their_own() {
        let mut e = effective("", Flags::default()).unwrap();
        let plain = e.scope();
        assert_eq!(plain, "mymemory\u{1f}default\u{1f}id\u{1f}en\u{1f}");
        e.settings.protect_names = true;
        assert_eq!(e.scope(), format!("{plain}\u{1f}protect"));
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("provider = \"google\"\nconcurency = 3\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        assert!(err.contains("concurency"), "{err}");
        let err = parse("[providers.google]\nkey = \"x\"\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        assert!(effective("[providers.babel]\n", Flags::default()).is_err());
    }

    #[test]
    fn plain_http_only_to_this_machine() {
        assert!(endpoint_url("http://127.0.0.1:5000", false).is_ok());
        assert!(endpoint_url("http://localhost:5000", false).is_ok());
        assert!(endpoint_url("http://[::1]:5000", false).is_ok());
        let err = endpoint_url("http://translate.example.org", false).unwrap_err();
        assert!(err.to_string().contains("allow_insecure_http"), "{err}");
        assert!(endpoint_url("http://translate.example.org", true).is_ok());
        assert!(endpoint_url("ftp://x", true).is_err());
    }
}
