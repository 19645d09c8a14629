//! `selaras translate INPUT...`: the main job. Read every input, send all
//! their paragraphs through one client and one concurrency budget, then
//! segment, align, check and write each input's outputs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::align::align;
use crate::check::{Row, Status, rows};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::output::{to_csv, to_text, write_atomic};
use crate::segment::{Lang, sentences};
use crate::translate::{self, Cache, Options, Settings};

#[derive(Debug, Args)]
pub struct TranslateArgs {
    /// Indonesian articles: UTF-8 text, paragraphs separated by blank lines.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The translation service's protocol.
    #[arg(long, default_value = "libretranslate",
          value_parser = clap::builder::PossibleValuesParser::new(translate::PROVIDERS.iter().map(|p| p.0)))]
    pub provider: String,
    /// The service's base URL, e.g. http://127.0.0.1:5000 (apertium: the public APy by default).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The environment variable that holds the API key, if the service needs one.
    #[arg(long, value_name = "VAR")]
    pub api_key_env: Option<String>,
    /// Source language.
    #[arg(long, default_value = "id")]
    pub from: String,
    /// Target language.
    #[arg(long, default_value = "en")]
    pub to: String,
    /// Where the outputs go.
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Requests in flight at once, across all inputs.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Seconds allowed for one request.
    #[arg(long, default_value_t = 60.0, value_name = "SECS")]
    pub timeout: f64,
    /// Retries of a request that failed for a reason worth retrying.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub retries: usize,
    /// Start the CSV with a UTF-8 BOM so that Excel reads it as UTF-8.
    #[arg(long)]
    pub excel: bool,
    /// The translation cache file (default: in the user's cache directory).
    #[arg(long, value_name = "FILE", conflicts_with = "no_cache")]
    pub cache: Option<PathBuf>,
    /// Send every paragraph, and keep no translation for later runs.
    #[arg(long)]
    pub no_cache: bool,
}

pub fn run(args: &TranslateArgs) -> Result<()> {
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        return Err(Error::input(format!(
            "--timeout {}: give a number of seconds above 0",
            args.timeout
        )));
    }
    let docs = args
        .inputs
        .iter()
        .map(|p| Document::read(p))
        .collect::<Result<Vec<_>>>()?;
    let outputs = output_paths(&docs, &args.out, &args.to)?;
    let api_key = api_key(args.api_key_env.as_deref())?;
    let settings = settings(args, api_key.clone())?;
    let provider = translate::provider(&args.provider, &settings).map_err(Error::input)?;
    let cache = open_cache(args)?;

    let texts: Vec<String> = docs
        .iter()
        .flat_map(|d| d.paragraphs.iter().map(|p| p.text.clone()))
        .collect();
    let options = Options {
        concurrency: usize::from(args.concurrency),
        timeout: Duration::from_secs_f64(args.timeout),
        retries: args.retries,
        secret: api_key,
        scope: scope(&args.provider, &settings),
        source: Lang::from_code(&args.from),
        cache: cache.clone(),
        ..Options::default()
    };
    let progress =
        ProgressBar::with_draw_target(Some(texts.len() as u64), ProgressDrawTarget::stderr())
            .with_style(
                ProgressStyle::with_template(
                    "{spinner} translating {pos}/{len} paragraphs [{bar:30}] {elapsed}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::input(format!("cannot start the async runtime: {e}")))?;
    let result = runtime.block_on(async {
        tokio::select! {
            r = translate::translate(provider, &texts, &options, &progress) => r,
            code = interrupted() => Err(Error::Interrupted {
                code,
                message: match &cache {
                    Some(c) => format!(
                        "interrupted; every translation received is kept in {}: run the same command again to resume",
                        c.path().display()
                    ),
                    None => "interrupted; nothing was written (--no-cache kept no translation)".into(),
                },
            }),
        }
    });
    progress.finish_and_clear();
    let (translations, stats) = result?;

    std::fs::create_dir_all(&args.out).map_err(|e| {
        Error::input(format!(
            "{}: cannot create the output directory: {e}; choose another --out",
            args.out.display()
        ))
    })?;
    let (from, to) = (Lang::from_code(&args.from), Lang::from_code(&args.to));
    let mut rest = translations.as_slice();
    let mut written = Vec::new();
    let (mut total_rows, mut review) = (0, 0);
    for (doc, (csv_path, txt_path)) in docs.iter().zip(outputs) {
        let (mine, others) = rest.split_at(doc.paragraphs.len());
        rest = others;
        let rows = align_document(doc, mine, from, to);
        total_rows += rows.len();
        review += rows.iter().filter(|r| r.status == Status::Review).count();
        write_atomic(&csv_path, &to_csv(&rows, args.excel))?;
        write_atomic(&txt_path, to_text(mine).as_bytes())?;
        written.push(csv_path.display().to_string());
        written.push(txt_path.display().to_string());
    }

    eprintln!(
        "selaras: {} paragraphs from {} file{}, {} requests, {} cache hits, {} characters billed; {review} of {total_rows} rows to review; wrote {}",
        texts.len(),
        docs.len(),
        if docs.len() == 1 { "" } else { "s" },
        stats.requests,
        stats.cache_hits,
        stats.characters,
        written.join(", ")
    );
    Ok(())
}

/// Segments, aligns and checks one document against its translations.
pub fn align_document(doc: &Document, translations: &[String], from: Lang, to: Lang) -> Vec<Row> {
    doc.paragraphs
        .iter()
        .zip(translations)
        .flat_map(|(p, t)| {
            let src = sentences(&p.text, from);
            let tgt = sentences(t, to);
            let links = align(&src, &tgt, from, to);
            rows(p.number, &src, &tgt, &links)
        })
        .collect()
}

/// `<out>/<stem>.csv` and `<out>/<stem>.<to>.txt` for each input, refusing
/// two inputs that would overwrite each other's outputs.
fn output_paths(docs: &[Document], out: &Path, to: &str) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut seen: HashMap<PathBuf, &Path> = HashMap::new();
    docs.iter()
        .map(|d| {
            let stem = d.stem();
            let csv = out.join(format!("{stem}.csv"));
            if let Some(first) = seen.insert(csv.clone(), &d.path) {
                return Err(Error::input(format!(
                    "{} and {} would both write {}; rename one or translate them in separate runs",
                    first.display(),
                    d.path.display(),
                    csv.display()
                )));
            }
            Ok((csv, out.join(format!("{stem}.{to}.txt"))))
        })
        .collect()
}

/// Reads the API key from the environment variable the user named.
fn api_key(var: Option<&str>) -> Result<Option<String>> {
    let Some(var) = var else { return Ok(None) };
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => Ok(Some(v.trim().to_string())),
        Ok(_) => Err(Error::input(format!(
            "--api-key-env {var}: the variable is empty; export the API key in it"
        ))),
        Err(_) => Err(Error::input(format!(
            "--api-key-env {var}: the variable is not set; export the API key in it"
        ))),
    }
}

fn settings(args: &TranslateArgs, api_key: Option<String>) -> Result<Settings> {
    Ok(Settings {
        endpoint: args.endpoint.as_deref().map(endpoint_url).transpose()?,
        source: args.from.clone(),
        target: args.to.clone(),
        api_key,
        ..Settings::default()
    })
}

/// What decides a translation besides its text. The key is left out on
/// purpose: another key for the same service gives the same translation.
fn scope(provider: &str, s: &Settings) -> String {
    let endpoint = s.endpoint.as_ref().map_or("default", |u| u.as_str());
    let model = s.model.as_deref().unwrap_or("");
    [provider, endpoint, &s.source, &s.target, model].join("\u{1f}")
}

fn open_cache(args: &TranslateArgs) -> Result<Option<Arc<Cache>>> {
    if args.no_cache {
        return Ok(None);
    }
    let path = match &args.cache {
        Some(p) => p.clone(),
        None => Cache::default_path().ok_or_else(|| {
            Error::input("no user cache directory is known here; give --cache FILE or --no-cache")
        })?,
    };
    Ok(Some(Arc::new(Cache::open(&path)?)))
}

/// Waits for Ctrl-C or SIGTERM and returns the exit code it asks for.
async fn interrupted() -> i32 {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("install the SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => 130,
            _ = term.recv() => 143,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        130
    }
}

fn endpoint_url(endpoint: &str) -> Result<reqwest::Url> {
    let url: reqwest::Url = endpoint.parse().map_err(|e| {
        Error::input(format!(
            "--endpoint {endpoint}: not a URL ({e}); give one like http://127.0.0.1:5000"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::input(format!(
            "--endpoint {endpoint}: use an http:// or https:// URL"
        )));
    }
    Ok(url)
}
