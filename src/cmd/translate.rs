//! `selaras translate INPUT...`: the main job. Read every input, send all
//! their paragraphs through one client and one concurrency budget, then
//! segment, align, check and write each input's outputs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::align::align_with;
use crate::check::glossary::Glossary;
use crate::check::{Checker, Report, Row, default_glossary, rows_with};
use crate::config::{self, Config, Effective, Flags};
use crate::document::{Document, Text};
use crate::error::{Error, Result};
use crate::output::{
    candidates_csv, report_json, report_summary, stage_atomic_with, to_text, write_atomic,
    write_csv,
};
use crate::segment::{Lang, sentences};
use crate::translate::{self, Cache, Options, Protector};

#[derive(Debug, Args)]
pub struct TranslateArgs {
    /// Indonesian articles: UTF-8 text, paragraphs separated by blank lines.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub service: ServiceArgs,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    /// Where the outputs go.
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// The files to write, comma-separated or repeated; the report and the glossary
    /// candidates are always written.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "csv,txt",
        value_name = "FORMAT"
    )]
    pub format: Vec<Format>,
    /// Start the CSV with a UTF-8 BOM so that Excel reads it as UTF-8.
    #[arg(long)]
    pub excel: bool,
    /// Send glossary names already in their preferred English form, inside markup the
    /// service leaves untranslated (deepl, google, azure, libretranslate; others ignore it).
    #[arg(long)]
    pub protect_names: bool,
    /// Print the paragraphs, requests and characters that would be sent, and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Exit with code 1 when any row needs review (for pipelines).
    #[arg(long)]
    pub strict: bool,
}

/// An output format of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// <stem>.csv: the parallel CSV
    Csv,
    /// <stem>.<to>.txt: the translation
    Txt,
    /// <stem>.tmx: a TMX 1.4b translation memory
    Tmx,
    /// <stem>.xlsx: a review workbook
    Xlsx,
    /// <stem>.json: the rows and the report, for scripts
    Json,
}

/// The glossaries to check names against.
#[derive(Debug, Args)]
pub struct GlossaryArgs {
    /// A glossary of proper names (CSV, TSV, DeepL CSV or TBX); repeat to merge several
    /// [default: the built-in glossary/names.csv, for Indonesian to English].
    #[arg(long = "glossary", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Check no names at all.
    #[arg(long, conflicts_with = "files")]
    pub no_glossary: bool,
}

impl GlossaryArgs {
    /// The glossaries given, else the built-in one when it fits the
    /// languages: its names are Indonesian and English.
    pub fn load(&self, from: Lang, to: Lang) -> Result<Glossary> {
        if self.no_glossary {
            Ok(Glossary::default())
        } else if self.files.is_empty() {
            if (from, to) != (Lang::Indonesian, Lang::English) {
                return Ok(Glossary::default());
            }
            default_glossary()
        } else {
            Glossary::load(&self.files)
        }
    }
}

/// The flags that choose and tune the translation service; each overrides
/// the config file.
#[derive(Debug, Args)]
pub struct ServiceArgs {
    /// The config file (default: ./selaras.toml, else the user config directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The translation service (default: mymemory, keyless).
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(translate::PROVIDERS.iter().map(|p| p.0)))]
    pub provider: Option<String>,
    /// The service's URL, e.g. http://127.0.0.1:5000 (default: the provider's public one).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The environment variable that holds the API key.
    #[arg(long, value_name = "VAR")]
    pub api_key_env: Option<String>,
    /// Source language [default: id].
    #[arg(long, value_name = "LANG")]
    pub from: Option<String>,
    /// Target language [default: en].
    #[arg(long, value_name = "LANG")]
    pub to: Option<String>,
    /// Requests in flight at once, across all inputs [default: 4].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: Option<u16>,
    /// Seconds allowed for one request [default: 60].
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Retries of a request that failed for a reason worth retrying [default: 5].
    #[arg(long, value_name = "N")]
    pub retries: Option<usize>,
    /// The translation cache file (default: in the user's cache directory).
    #[arg(long, value_name = "FILE", conflicts_with = "no_cache")]
    pub cache: Option<PathBuf>,
    /// Send every paragraph, and keep no translation for later runs.
    #[arg(long)]
    pub no_cache: bool,
}

impl ServiceArgs {
    /// The settings in effect: these flags over the config file.
    pub fn resolve(&self, read_key: bool) -> Result<Effective> {
        self.resolve_for(self.provider.as_deref(), read_key)
    }

    /// [`resolve`](Self::resolve) for another provider than `--provider`.
    pub fn resolve_for(&self, provider: Option<&str>, read_key: bool) -> Result<Effective> {
        let config = Config::load(self.config.as_deref())?;
        let flags = Flags {
            provider: provider.map(String::from),
            endpoint: self.endpoint.clone(),
            api_key_env: self.api_key_env.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            concurrency: self.concurrency.map(usize::from),
            timeout: self.timeout,
            retries: self.retries,
            cache: self.cache.clone(),
            no_cache: self.no_cache,
        };
        config::resolve(&config, &flags, read_key)
    }
}

pub fn run(args: &TranslateArgs) -> Result<Finished> {
    let docs = args
        .inputs
        .iter()
        .map(|p| Document::read(p))
        .collect::<Result<Vec<_>>>()?;
    let mut effective = args.service.resolve(true)?;
    effective.settings.protect_names = args.protect_names;
    let glossary = args.glossary.load(
        Lang::from_code(&effective.settings.source),
        Lang::from_code(&effective.settings.target),
    )?;
    let outputs = output_paths(&docs, &args.out, &effective.settings.target, &args.format)?;
    let provider =
        translate::provider(&effective.provider, &effective.settings).map_err(Error::input)?;
    let protect = match (args.protect_names, provider.markup()) {
        (true, Some(markup)) => Some(Arc::new(Protector::new(&glossary.entries, markup))),
        (true, None) => {
            eprintln!(
                "selaras: {} has no tag handling; --protect-names is ignored and names are translated normally",
                effective.provider
            );
            // Nothing changes, so the plain translations in the cache serve.
            effective.settings.protect_names = false;
            None
        }
        (false, _) => None,
    };
    let settings = &effective.settings;
    let cache = open_cache(&effective)?;

    let texts: Vec<String> = docs
        .iter()
        .flat_map(|d| d.paragraphs.iter().map(|p| p.text.clone()))
        .collect();
    let options = options(&effective, cache.clone(), protect);
    if args.dry_run {
        let plan = translate::plan(&*provider, &texts, &options)?;
        println!(
            "dry run: {} paragraphs from {} file{} for {} ({} -> {}); {} answered by the cache; \
             would send {} requests with {} characters; nothing was sent",
            plan.paragraphs,
            docs.len(),
            if docs.len() == 1 { "" } else { "s" },
            effective.provider,
            settings.source,
            settings.target,
            plan.cache_hits,
            plan.requests,
            plan.characters
        );
        return Ok(Finished { review: 0 });
    }
    let result = send(provider, &texts, &options);
    let (translations, stats) = result?;

    create_out(&args.out)?;
    let bytes = texts.iter().chain(&translations).map(String::len).sum();
    let checker = Checker::for_text(
        glossary,
        Lang::from_code(&settings.source),
        Lang::from_code(&settings.target),
        bytes,
    );
    let mut rest = translations.as_slice();
    let mut written = Vec::new();
    let (mut total_rows, mut review) = (0, 0);
    for (doc, paths) in docs.iter().zip(outputs) {
        let (mine, others) = rest.split_at(doc.paragraphs.len());
        rest = others;
        let rows = align_document(doc, mine, &checker);
        total_rows += rows.len();
        if paths.wants(Format::Txt) {
            write_atomic(&paths.text, to_text(mine).as_bytes())?;
            written.push(paths.text.display().to_string());
        }
        let languages = (settings.source.as_str(), settings.target.as_str());
        let (report, files) =
            write_review(&paths, &doc.path, &rows, &checker, languages, args.excel)?;
        review += report.review;
        written.extend(files);
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
    Ok(Finished { review })
}

/// How a finished run went, for `--strict`.
pub struct Finished {
    pub review: usize,
}

/// The client's options from the settings in effect.
pub fn options(
    effective: &Effective,
    cache: Option<Arc<Cache>>,
    protect: Option<Arc<Protector>>,
) -> Options {
    let settings = &effective.settings;
    Options {
        concurrency: effective.concurrency,
        timeout: effective.timeout,
        retries: effective.retries,
        secret: settings.api_key.clone(),
        scope: effective.scope(),
        source: Lang::from_code(&settings.source),
        cache,
        spacing: effective.spacing,
        max_bytes: effective.characters_per_request,
        protect,
        ..Options::default()
    }
}

/// Opens the cache the settings name, if any.
pub fn open_cache(effective: &Effective) -> Result<Option<Arc<Cache>>> {
    match &effective.cache {
        Some(path) => Ok(Some(Arc::new(Cache::open(path)?))),
        None => Ok(None),
    }
}

/// Translates `texts` with a progress bar on a terminal, stopping cleanly
/// on Ctrl-C or SIGTERM.
pub fn send(
    provider: Arc<dyn translate::Provider>,
    texts: &[String],
    options: &Options,
) -> Result<(Vec<String>, translate::Stats)> {
    let cache = options.cache.clone();
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
            r = translate::translate(provider, texts, options, &progress) => r,
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
    result
}

/// Segments, aligns and checks one document against its translations.
/// Paragraphs are independent, so they are shared out among the cores.
pub fn align_document(doc: &Document, translations: &[String], checker: &Checker) -> Vec<Row> {
    let (from, to) = checker.languages();
    let one = |p: &crate::document::Paragraph, t: &String| {
        let src = sentences(&p.text, from);
        let tgt = sentences(t, to);
        let terms = checker.block_terms(&src, &tgt);
        let links = align_with(&src, &tgt, from, to, &|k, side| {
            checker.anchors_at(&terms, k, side)
        });
        let owned = |side: Vec<&str>| side.into_iter().map(Text::from).collect();
        rows_with(p.number, owned(src), owned(tgt), &links, checker, &terms)
    };
    let pairs: Vec<_> = doc.paragraphs.iter().zip(translations).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || pairs.len() < 64 {
        return pairs.iter().flat_map(|(p, t)| one(p, t)).collect();
    }
    let chunk = pairs.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = pairs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || part.iter().flat_map(|(p, t)| one(p, t)).collect::<Vec<_>>())
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().expect("an alignment thread panicked"))
            .collect()
    })
}

/// Where one input's outputs go, and which of them to write.
pub struct Outputs {
    pub csv: PathBuf,
    pub text: PathBuf,
    pub report: PathBuf,
    pub candidates: PathBuf,
    pub tmx: PathBuf,
    pub xlsx: PathBuf,
    pub json: PathBuf,
    /// The formats asked for; the report and the candidates are always
    /// written.
    pub formats: Vec<Format>,
}

impl Outputs {
    /// `<out>/<stem>.csv`, `.<to>.txt`, `.report.json`,
    /// `.glossary-candidates.csv`, `.tmx`, `.xlsx` and `.json`; the CSV and
    /// the text to be written.
    pub fn new(out: &Path, stem: &str, to: &str) -> Outputs {
        Outputs {
            csv: out.join(format!("{stem}.csv")),
            text: out.join(format!("{stem}.{to}.txt")),
            report: out.join(format!("{stem}.report.json")),
            candidates: out.join(format!("{stem}.glossary-candidates.csv")),
            tmx: out.join(format!("{stem}.tmx")),
            xlsx: out.join(format!("{stem}.xlsx")),
            json: out.join(format!("{stem}.json")),
            formats: vec![Format::Csv, Format::Txt],
        }
    }

    /// These paths, writing the `formats` given.
    pub fn with_formats(mut self, formats: &[Format]) -> Outputs {
        self.formats = formats.to_vec();
        self
    }

    /// Whether `format` is to be written.
    pub fn wants(&self, format: Format) -> bool {
        self.formats.contains(&format)
    }

    /// Every file to be written.
    pub fn files(&self) -> Vec<&Path> {
        let optional = [
            (Format::Csv, &self.csv),
            (Format::Txt, &self.text),
            (Format::Tmx, &self.tmx),
            (Format::Xlsx, &self.xlsx),
            (Format::Json, &self.json),
        ];
        optional
            .into_iter()
            .filter(|(f, _)| self.wants(*f))
            .map(|(_, p)| p.as_path())
            .chain([self.report.as_path(), self.candidates.as_path()])
            .collect()
    }
}

/// The outputs of each input, refusing two inputs that would overwrite
/// each other's.
fn output_paths(
    docs: &[Document],
    out: &Path,
    to: &str,
    formats: &[Format],
) -> Result<Vec<Outputs>> {
    let mut seen: HashMap<PathBuf, &Path> = HashMap::new();
    docs.iter()
        .map(|d| {
            let paths = Outputs::new(out, &d.stem(), to).with_formats(formats);
            for file in paths.files() {
                if let Some(first) = seen.insert(file.to_path_buf(), &d.path) {
                    return Err(Error::input(format!(
                        "{} and {} would both write {}; rename one or translate them in separate runs",
                        first.display(),
                        d.path.display(),
                        file.display()
                    )));
                }
            }
            Ok(paths)
        })
        .collect()
}

/// Writes what a reviewer works from: the formats `paths` asks for (CSV,
/// TMX, workbook, JSON), the document report and the glossary candidates,
/// with the report's short table on stderr. The translation text is the
/// caller's. Returns the report (its `review` counts the rows to review)
/// and the files written.
pub fn write_review(
    paths: &Outputs,
    input: &Path,
    rows: &[Row],
    checker: &Checker,
    languages: (&str, &str),
    excel: bool,
) -> Result<(Report, Vec<String>)> {
    let mut files = Vec::new();
    let report = if paths.wants(Format::Csv) {
        // Streamed: an archive's CSV is as large as the archive. It goes
        // first, and the wait for the disk to take it (tens of
        // milliseconds for an archive) overlaps the making of the report.
        let staged = stage_atomic_with(&paths.csv, |out| write_csv(out, rows, excel))?;
        let report = std::thread::scope(|scope| {
            let committed = scope.spawn(|| staged.commit());
            let report = checker.report(rows);
            committed
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                .map(|()| report)
        })?;
        files.push(paths.csv.display().to_string());
        report
    } else {
        checker.report(rows)
    };
    let mut write = |path: &Path, bytes: &[u8]| -> Result<()> {
        write_atomic(path, bytes)?;
        files.push(path.display().to_string());
        Ok(())
    };
    if paths.wants(Format::Tmx) {
        write(
            &paths.tmx,
            crate::output::to_tmx(rows, languages.0, languages.1).as_bytes(),
        )?;
    }
    if paths.wants(Format::Xlsx) {
        let name = input.display().to_string();
        write(&paths.xlsx, &crate::output::to_xlsx(rows, &report, &name)?)?;
    }
    if paths.wants(Format::Json) {
        write(&paths.json, &crate::output::to_json(input, rows, &report))?;
    }
    write(&paths.report, &report_json(input, &report))?;
    write(&paths.candidates, &candidates_csv(&report))?;
    let names = report_summary(&report);
    if !names.is_empty() {
        eprint!("names in {}:\n{names}", input.display());
    }
    Ok((report, files))
}

/// Creates the output directory, or says which and why not.
pub fn create_out(out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).map_err(|e| {
        Error::input(format!(
            "{}: cannot create the output directory: {e}; choose another --out",
            out.display()
        ))
    })
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
