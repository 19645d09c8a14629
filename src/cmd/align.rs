//! `selaras align SOURCE TARGET`: aligns a translation that already exists,
//! with the same engine and checks as `translate` and no service at all.
//!
//! Paragraphs are anchors when both sides have as many; otherwise the whole
//! text is one block (the aligner's band keeps that linear). With
//! `--presegmented`, each line is one sentence and a blank line ends a
//! paragraph.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;

use crate::align::{align_with, bridge_keys};
use crate::check::{Checker, Report, Row, rows_with};
use crate::document::{Document, Text, Whole, decode, read_bytes};
use crate::error::{Error, Result};
use crate::segment::{Lang, sentences};

use super::translate::{
    Format, GlossaryArgs, Outputs, ServiceArgs, create_out, open_cache, options, send, write_review,
};

#[derive(Debug, Args)]
pub struct AlignArgs {
    /// The original article.
    pub source: PathBuf,
    /// Its translation.
    pub target: PathBuf,
    /// Each line is one sentence and a blank line a paragraph break; no segmentation.
    #[arg(long)]
    pub presegmented: bool,
    /// A machine translation of SOURCE into the target language, used as extra
    /// evidence (line for line with SOURCE when presegmented, else paragraph for paragraph).
    #[arg(long, value_name = "FILE", conflicts_with = "bridge_provider")]
    pub bridge: Option<PathBuf>,
    /// Get the bridge from this translation service (configured as for
    /// `translate`, and cached as usual).
    #[arg(long, value_name = "NAME",
          value_parser = clap::builder::PossibleValuesParser::new(crate::translate::PROVIDERS.iter().map(|p| p.0)))]
    pub bridge_provider: Option<String>,
    /// The languages, and the service for --bridge-provider.
    #[command(flatten)]
    pub service: ServiceArgs,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    /// Where the outputs go.
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Start the CSV with a UTF-8 BOM so that Excel reads it as UTF-8.
    #[arg(long)]
    pub excel: bool,
    /// The files to write, comma-separated or repeated: csv, tmx, xlsx, json; the
    /// report and the glossary candidates are always written.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "csv",
        value_name = "FORMAT"
    )]
    pub format: Vec<Format>,
}

/// A text as paragraphs of sentences.
type Sentences = Vec<Vec<Text>>;

/// What `align` made, once its files are written: handed back rather than
/// freed, so that a caller about to exit need not free an archive's rows
/// one by one (about 20 ms for a hundred thousand).
pub struct Aligned {
    pub rows: Vec<Row>,
    pub report: Report,
}

pub fn run(args: &AlignArgs) -> Result<Aligned> {
    let languages = args.service.resolve(false)?.settings;
    let (from, to) = (
        Lang::from_code(&languages.source),
        Lang::from_code(&languages.target),
    );
    let source = read(&args.source, args.presegmented, from)?;
    let target = read(&args.target, args.presegmented, to)?;
    let bytes = [&source, &target]
        .iter()
        .flat_map(|side| side.iter().flatten())
        .map(|s| s.len())
        .sum();
    let checker = Checker::for_text(args.glossary.load(from, to)?, from, to, bytes);
    let bridge = match (&args.bridge, &args.bridge_provider) {
        (Some(path), _) if args.presegmented => line_for_line(&args.source, path)?,
        (Some(path), _) => {
            let bridge = read(path, false, to)?;
            bridge_map(&source, &bridge, path, to)?
        }
        (None, Some(name)) => machine_bridge(args, name, &source, to)?,
        (None, None) => HashMap::new(),
    };
    let paragraphs = (source.len(), target.len());
    let count = |side: &Sentences| side.iter().map(Vec::len).sum::<usize>();
    let counts = (count(&source), count(&target));
    let (rows, blocks) = align_texts(source, target, &checker, &bridge);
    if blocks == 1 && paragraphs.0 != paragraphs.1 {
        eprintln!(
            "selaras: {} has {} paragraphs and {} has {}: aligned as one block",
            args.source.display(),
            paragraphs.0,
            args.target.display(),
            paragraphs.1
        );
    }
    let stem = Document {
        path: args.source.clone(),
        paragraphs: Vec::new(),
    }
    .stem();
    // The target already exists: no translation text to write.
    let formats: Vec<Format> = args
        .format
        .iter()
        .copied()
        .filter(|f| *f != Format::Txt)
        .collect();
    let paths = Outputs::new(&args.out, &stem, &languages.target).with_formats(&formats);
    create_out(&args.out)?;
    let languages = (languages.source.as_str(), languages.target.as_str());
    let (report, written) =
        write_review(&paths, &args.source, &rows, &checker, languages, args.excel)?;
    eprintln!(
        "selaras: {} source and {} target sentences in {} rows; {} rows to review; wrote {}",
        counts.0,
        counts.1,
        rows.len(),
        report.review,
        written.join(", ")
    );
    Ok(Aligned { rows, report })
}

/// Aligns two texts paragraph by paragraph when their paragraphs pair up,
/// else as one block, with the glossary's names and, for each source
/// sentence that has one, the words of its machine translation (`bridge`)
/// as anchors. Returns the checked rows and the number of blocks.
pub fn align_texts(
    source: Sentences,
    target: Sentences,
    checker: &Checker,
    bridge: &HashMap<String, String>,
) -> (Vec<Row>, usize) {
    let (from, to) = checker.languages();
    // The sentences become the rows' texts, so they are handed over whole.
    let block = |number: usize, s: Vec<Text>, t: Vec<Text>| {
        let (terms, links) = {
            let s: Vec<&str> = s.iter().map(Text::as_str).collect();
            let t: Vec<&str> = t.iter().map(Text::as_str).collect();
            let terms = checker.block_terms(&s, &t);
            let extra = |k: usize, side: bool| {
                let mut keys = checker.anchors_at(&terms, k, side);
                if !bridge.is_empty() {
                    let words = if side {
                        bridge.get(s[k]).map(String::as_str)
                    } else {
                        Some(t[k])
                    };
                    keys.extend(words.map(bridge_keys).unwrap_or_default());
                }
                keys
            };
            let links = align_with(&s, &t, from, to, &extra);
            (terms, links)
        };
        rows_with(number, s, t, &links, checker, &terms)
    };
    if source.len() == target.len() {
        let blocks = source.len();
        // The first block's rows are taken as they are: an archive in one
        // block is a hundred thousand rows, not to be copied into a new list.
        let mut rows = Vec::new();
        for (k, (s, t)) in source.into_iter().zip(target).enumerate() {
            let block = block(k + 1, s, t);
            if rows.is_empty() {
                rows = block;
            } else {
                rows.extend(block);
            }
        }
        return (rows, blocks);
    }
    let all = |side: Sentences| side.into_iter().flatten().collect();
    (block(1, all(source), all(target)), 1)
}

/// Each source sentence's machine translation from a service: every
/// sentence when presegmented, else every paragraph (then paired with the
/// source's sentences by the aligner).
fn machine_bridge(
    args: &AlignArgs,
    provider: &str,
    source: &Sentences,
    to: Lang,
) -> Result<HashMap<String, String>> {
    let effective = args.service.resolve_for(Some(provider), true)?;
    let service =
        crate::translate::provider(provider, &effective.settings).map_err(Error::input)?;
    let options = options(&effective, open_cache(&effective)?, None);
    let texts: Vec<String> = if args.presegmented {
        source.iter().flatten().map(|s| s.to_string()).collect()
    } else {
        // The paragraphs as written, not rebuilt from their sentences.
        Document::read(&args.source)?
            .paragraphs
            .into_iter()
            .map(|p| p.text)
            .collect()
    };
    let (translations, stats) = send(service, &texts, &options)?;
    eprintln!(
        "selaras: bridge from {provider}: {} requests, {} cache hits, {} characters billed",
        stats.requests, stats.cache_hits, stats.characters
    );
    if args.presegmented {
        return Ok(texts.into_iter().zip(translations).collect());
    }
    let bridge: Sentences = translations
        .iter()
        .map(|t| sentences(t, to).into_iter().map(Text::from).collect())
        .collect();
    bridge_map(source, &bridge, &args.source, to)
}

/// Each source line's machine translation, line for line: line k of the
/// bridge translates line k of the source (a blank line may stand for a
/// sentence the machine left empty).
fn line_for_line(source: &Path, bridge: &Path) -> Result<HashMap<String, String>> {
    let lines = |path: &Path| -> Result<Vec<String>> {
        let text = decode(read_bytes(path)?)
            .map_err(|e| Error::input(format!("{}: {e}", path.display())))?;
        let mut lines: Vec<String> = text.lines().map(|l| l.trim().to_string()).collect();
        while lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        Ok(lines)
    };
    let (s, b) = (lines(source)?, lines(bridge)?);
    if s.len() != b.len() {
        return Err(Error::input(format!(
            "{}: {} lines for {} in {}; a presegmented bridge must be line for line with the source",
            bridge.display(),
            b.len(),
            s.len(),
            source.display()
        )));
    }
    Ok(s.into_iter()
        .zip(b)
        .filter(|(s, _)| !s.is_empty())
        .collect())
}

/// Each source sentence's machine translation, paragraph for paragraph:
/// each paragraph's sentences are paired with the bridge's by the aligner.
fn bridge_map(
    source: &Sentences,
    bridge: &Sentences,
    path: &Path,
    to: Lang,
) -> Result<HashMap<String, String>> {
    if source.len() != bridge.len() {
        return Err(Error::input(format!(
            "{}: {} paragraphs for {} in the source; the bridge must be paragraph for paragraph",
            path.display(),
            bridge.len(),
            source.len()
        )));
    }
    let mut map = HashMap::new();
    for (s, b) in source.iter().zip(bridge) {
        let s: Vec<&str> = s.iter().map(Text::as_str).collect();
        let b: Vec<&str> = b.iter().map(Text::as_str).collect();
        for link in crate::align::align(&s, &b, Lang::Other, to) {
            let text = b[link.target.clone()].join(" ");
            for sentence in &s[link.source.clone()] {
                map.insert(sentence.to_string(), text.clone());
            }
        }
    }
    Ok(map)
}

/// Reads a text as paragraphs of sentences.
fn read(path: &Path, presegmented: bool, lang: Lang) -> Result<Sentences> {
    // Each sentence is a stretch of its paragraph's text, or with
    // `presegmented` of the file's, shared and not copied.
    if !presegmented {
        let doc = Document::read(path)?;
        return Ok(doc
            .paragraphs
            .into_iter()
            .map(|p| {
                let whole = Arc::new(Whole::from(p.text));
                let sentences = sentences(&whole, lang);
                sentences.iter().map(|s| Text::within(&whole, s)).collect()
            })
            .collect());
    }
    let whole = Arc::new(Whole::read(path)?);
    // The lines in one list made to measure, then cut into paragraphs: an
    // archive is a hundred thousand lines in one.
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', whole.as_bytes()).count() + 1);
    let mut breaks = Vec::new();
    // Lines end at each '\n' (a '\r' before it goes with the trim), found
    // by memchr many bytes at a time.
    let ends = memchr::memchr_iter(b'\n', whole.as_bytes()).chain([whole.len()]);
    let mut start = 0;
    for end in ends {
        let line = whole[start..end].trim();
        start = end + 1;
        if line.is_empty() {
            breaks.push(lines.len());
        } else {
            lines.push(Text::within(&whole, line));
        }
    }
    let mut out: Sentences = Vec::with_capacity(breaks.len() + 1);
    for &at in breaks.iter().rev() {
        let paragraph = lines.split_off(at);
        if !paragraph.is_empty() {
            out.push(paragraph);
        }
    }
    if !lines.is_empty() {
        lines.shrink_to_fit();
        out.push(lines);
    }
    out.reverse();
    if out.is_empty() {
        return Err(Error::input(format!(
            "{}: the file is empty or only whitespace; nothing to align",
            path.display()
        )));
    }
    Ok(out)
}
