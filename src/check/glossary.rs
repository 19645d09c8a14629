//! The glossary of proper names (SPEC §5): reading and validating it.
//!
//! A glossary is one or more files, in any mix of formats:
//!
//! - CSV (`.csv`) with a header row naming `source` and `target` (required)
//!   and `note`, `case`, `forbidden` (optional), in any order; or, when the
//!   first row names neither `source` nor `target`, DeepL's headerless
//!   `source,target` (or `source,target,source_lang,target_lang`) rows.
//!   Cells hold `|`-separated forms.
//! - TSV (`.tsv`, `.tab`, `.txt`): the same with tabs, the header optional
//!   in the same way (DeepL exports TSV without one).
//! - TBX v2 (`martif`, `termEntry/langSet/tig|ntig`) and v3 (`tbx`,
//!   `conceptEntry/langSec/termSec`), read by local element names with a
//!   streaming reader. Only XML's five predefined entities and character
//!   references are resolved; a DTD is never read, so no entity text can
//!   come from outside the file.
//!
//! Every problem is one line, `FILE:LINE: what is wrong; how to fix it`, and
//! is a usage error (exit code 2). Across all files, an Indonesian form given
//! twice with different English targets is an error naming both places; the
//! same source with the same targets is merged into the first definition.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesStart, Event};

use crate::document::decode;
use crate::error::{Error, Result};

/// One glossary entry: the Indonesian forms of a name and its English renderings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Indonesian forms, at least one, none empty.
    pub sources: Vec<String>,
    /// Accepted English forms, the first preferred; at least one.
    pub targets: Vec<String>,
    /// English forms that must not be used (TBX deprecated/superseded terms, or a CSV `forbidden` column).
    pub forbidden: Vec<String>,
    pub note: String,
    /// `case` column: "sensitive" (default, also when empty) or "insensitive".
    pub case_sensitive: bool,
    /// Where the entry was defined, for messages.
    pub file: std::path::PathBuf,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Glossary {
    pub entries: Vec<Entry>,
}

impl Glossary {
    /// Loads and merges several files (any mix of formats), then validates the whole.
    pub fn load(paths: &[std::path::PathBuf]) -> crate::error::Result<Glossary> {
        let mut entries = Vec::new();
        for path in paths {
            let bytes = read(path)?;
            entries.extend(parse(&bytes, path)?);
        }
        Glossary::from_entries(entries)
    }

    /// Validates entries that came from anywhere (used by `load`).
    pub fn from_entries(entries: Vec<Entry>) -> crate::error::Result<Glossary> {
        let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
        // Each Indonesian form and the index in `out` of the entry that owns it.
        let mut owner: HashMap<String, usize> = HashMap::new();
        for mut entry in entries {
            validate(&mut entry)?;
            let mut first = None;
            for form in &entry.sources {
                if let Some(&k) = owner.get(form) {
                    if out[k].targets != entry.targets {
                        return Err(conflict(form, &out[k], &entry));
                    }
                    first.get_or_insert(k);
                }
            }
            match first {
                // The same name with the same targets: merged into the first
                // definition, whose line, note and case are kept.
                Some(k) => {
                    for form in entry.sources {
                        if !owner.contains_key(&form) {
                            owner.insert(form.clone(), k);
                            out[k].sources.push(form);
                        }
                    }
                    for form in entry.forbidden {
                        if !out[k].forbidden.contains(&form) {
                            out[k].forbidden.push(form);
                        }
                    }
                }
                None => {
                    for form in &entry.sources {
                        owner.insert(form.clone(), out.len());
                    }
                    out.push(entry);
                }
            }
        }
        Ok(Glossary { entries: out })
    }
}

/// Parses one file's bytes; the format is chosen by extension and content.
pub fn parse(bytes: &[u8], path: &std::path::Path) -> crate::error::Result<Vec<Entry>> {
    let text = decode(bytes).map_err(|e| decode_error(path, &e))?;
    match format_of(&text, path) {
        Format::Csv => parse_table(&text, path, b','),
        Format::Tsv => parse_table(&text, path, b'\t'),
        Format::Tbx => parse_tbx(&text, path),
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    let shown = path.display();
    if path.is_dir() {
        return Err(Error::input(format!(
            "{shown}: is a directory; give the path of a glossary file (.csv, .tsv or .tbx)"
        )));
    }
    std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::input(format!("{shown}: no such glossary file; check the path"))
        }
        _ => Error::input(format!("{shown}: cannot read the glossary: {e}")),
    })
}

/// `decode` words its errors `line N: ...` and for articles; ours are
/// `FILE:N: ...` and for glossaries.
fn decode_error(path: &Path, message: &str) -> Error {
    let message = &message.replace(
        "give a plain-text article",
        "save the glossary as CSV, TSV or TBX",
    );
    if let Some(rest) = message.strip_prefix("line ")
        && let Some((line, what)) = rest.split_once(": ")
        && line.bytes().all(|b| b.is_ascii_digit())
    {
        return Error::input(format!("{}:{line}: {what}", path.display()));
    }
    Error::input(format!("{}: {message}", path.display()))
}

/// A one-line input error at a place in a file.
fn at(path: &Path, line: usize, message: impl fmt::Display) -> Error {
    Error::input(format!("{}:{line}: {message}", path.display()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Tsv,
    Tbx,
}

/// XML content wins over the extension; an unknown extension is sniffed.
fn format_of(text: &str, path: &Path) -> Format {
    let head = text.trim_start();
    if ["<?xml", "<martif", "<tbx", "<!DOCTYPE"]
        .iter()
        .any(|p| head.starts_with(p))
    {
        return Format::Tbx;
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "tbx" | "xml" => Format::Tbx,
        "csv" => Format::Csv,
        "tsv" | "tab" | "txt" => Format::Tsv,
        _ => {
            let first = head.lines().next().unwrap_or("");
            if first.contains('\t') {
                Format::Tsv
            } else {
                Format::Csv
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Validation of entries from anywhere

/// Checks one entry's forms and drops repeated forms within it.
fn validate(entry: &mut Entry) -> Result<()> {
    let (file, line) = (entry.file.clone(), entry.line);
    if entry.sources.is_empty() {
        return Err(at(
            &file,
            line,
            "the entry has no Indonesian form; give at least one source form",
        ));
    }
    if entry.targets.is_empty() {
        return Err(at(
            &file,
            line,
            "the entry has no accepted English form; give at least one target form",
        ));
    }
    for (kind, forms) in [
        ("source", &mut entry.sources),
        ("target", &mut entry.targets),
        ("forbidden", &mut entry.forbidden),
    ] {
        for form in forms.iter() {
            if form.trim().is_empty() {
                return Err(at(
                    &file,
                    line,
                    format!("an empty {kind} form; fill it in or remove it"),
                ));
            }
            check_controls(&file, line, kind, form)?;
        }
        dedup(forms);
    }
    if let Some(form) = entry.forbidden.iter().find(|f| entry.targets.contains(f)) {
        return Err(at(
            &file,
            line,
            format!(
                "{form:?} is both an accepted and a forbidden English form; keep it in only one of the two"
            ),
        ));
    }
    Ok(())
}

fn check_controls(path: &Path, line: usize, kind: &str, form: &str) -> Result<()> {
    match form.chars().find(|&c| c <= '\u{1F}' || c == '\u{7F}') {
        None => Ok(()),
        Some(c) => Err(at(
            path,
            line,
            format!(
                "the {kind} form {form:?} contains a control character (U+{:04X}); remove it",
                c as u32
            ),
        )),
    }
}

/// Removes repeated forms, keeping the first of each.
fn dedup(forms: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    forms.retain(|f| seen.insert(f.clone()));
}

fn conflict(form: &str, first: &Entry, later: &Entry) -> Error {
    at(
        &later.file,
        later.line,
        format!(
            "the source form {form:?} has the target {:?} here but {:?} in {}:{}; keep one of the two entries or give them the same targets",
            later.targets.join("|"),
            first.targets.join("|"),
            first.file.display(),
            first.line
        ),
    )
}

// ---------------------------------------------------------------------------
// CSV and TSV

/// The known header columns.
const COLUMNS: [&str; 5] = ["source", "target", "note", "case", "forbidden"];

/// Where each column is in a headed table, or DeepL's fixed layout.
enum Layout {
    Header {
        width: usize,
        /// Index of each of `COLUMNS` in the row, if present.
        at: [Option<usize>; 5],
    },
    DeepL,
}

fn parse_table(text: &str, path: &Path, delimiter: u8) -> Result<Vec<Entry>> {
    let tsv = delimiter == b'\t';
    // One line end, so that blank lines are runs of LF.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if !tsv {
        check_quotes(&text, path)?;
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .quoting(!tsv)
        .from_reader(text.as_bytes());
    let mut lines = Lines::new(&text);
    let mut layout = None;
    let mut entries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line() as usize);
            at(path, line, format!("cannot read the table: {e}"))
        })?;
        // The csv crate's record position is where it began to read, before
        // the blank lines it skips; the record starts after them.
        let mut start = record.position().map_or(0, |p| p.byte() as usize);
        while text.as_bytes().get(start) == Some(&b'\n') {
            start += 1;
        }
        let line = lines.at(start);
        let fields: Vec<String> = record
            .iter()
            .map(|f| if tsv { unquote(f) } else { f.to_string() })
            .collect();
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if layout.is_none() {
            let found = header(&fields, path, line)?;
            let is_header = matches!(found, Layout::Header { .. });
            layout = Some(found);
            if is_header {
                continue;
            }
        }
        let current = layout.as_ref().expect("set from the first row");
        entries.push(row(current, &fields, path, line, tsv)?);
    }
    Ok(entries)
}

/// TSV has no quoting, but a spreadsheet may still wrap a whole cell in
/// quotes: such a cell is unwrapped, other quotes are text.
fn unquote(field: &str) -> String {
    let trimmed = field.trim();
    match trimmed
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        Some(inner) => inner.replace("\"\"", "\""),
        None => field.to_string(),
    }
}

/// Reads the first row: a header if it names `source` or `target`.
fn header(fields: &[String], path: &Path, line: usize) -> Result<Layout> {
    let names: Vec<String> = fields.iter().map(|f| f.trim().to_lowercase()).collect();
    if !names.iter().any(|n| n == "source" || n == "target") {
        return Ok(Layout::DeepL);
    }
    let mut cols = [None; 5];
    for (k, name) in names.iter().enumerate() {
        let Some(c) = COLUMNS.iter().position(|c| c == name) else {
            let what = if name.is_empty() {
                format!("column {} of the header has no name", k + 1)
            } else {
                format!("unknown column {:?} in the header", fields[k].trim())
            };
            return Err(at(
                path,
                line,
                format!("{what}; the columns are source, target, note, case and forbidden"),
            ));
        };
        if cols[c].is_some() {
            return Err(at(
                path,
                line,
                format!("the column {name:?} appears twice in the header; keep one"),
            ));
        }
        cols[c] = Some(k);
    }
    for (c, name) in COLUMNS.iter().enumerate().take(2) {
        if cols[c].is_none() {
            return Err(at(
                path,
                line,
                format!(
                    "the header has no {name:?} column; add it (source and target are required)"
                ),
            ));
        }
    }
    Ok(Layout::Header {
        width: fields.len(),
        at: cols,
    })
}

/// One data row to an entry.
fn row(layout: &Layout, fields: &[String], path: &Path, line: usize, tsv: bool) -> Result<Entry> {
    let separator = if tsv { "tabs" } else { "commas" };
    let (source, target, note, case, forbidden) = match layout {
        Layout::Header { width, at: cols } => {
            if fields.len() != *width {
                return Err(at(
                    path,
                    line,
                    format!(
                        "{}, but the header has {width}; check the {separator}{}",
                        count(fields.len()),
                        if tsv {
                            ""
                        } else {
                            ", and quote a cell that contains a comma"
                        }
                    ),
                ));
            }
            let cell = |c: usize| cols[c].map_or("", |k| fields[k].as_str());
            (cell(0), cell(1), cell(2), cell(3), cell(4))
        }
        Layout::DeepL => {
            if fields.len() == 1 && !tsv && fields[0].contains(';') {
                return Err(at(
                    path,
                    line,
                    "1 field, separated by semicolons; save the glossary with commas as separators (or as TSV)",
                ));
            }
            if fields.len() != 2 && fields.len() != 4 {
                return Err(at(
                    path,
                    line,
                    format!(
                        "{}, but a glossary without a header row has 2 (source, target) or 4 (source, target, source_lang, target_lang); check the {separator}, or add a header row naming the columns",
                        count(fields.len())
                    ),
                ));
            }
            (fields[0].as_str(), fields[1].as_str(), "", "", "")
        }
    };
    let case_sensitive = match case.trim().to_lowercase().as_str() {
        "" | "sensitive" => true,
        "insensitive" => false,
        _ => {
            return Err(at(
                path,
                line,
                format!(
                    "the case cell is {:?}; write \"sensitive\" or \"insensitive\", or leave it empty",
                    case.trim()
                ),
            ));
        }
    };
    Ok(Entry {
        sources: forms(source, "source", true, path, line)?,
        targets: forms(target, "target", true, path, line)?,
        forbidden: forms(forbidden, "forbidden", false, path, line)?,
        note: note.trim().to_string(),
        case_sensitive,
        file: path.to_path_buf(),
        line,
    })
}

fn count(fields: usize) -> String {
    if fields == 1 {
        "1 field".to_string()
    } else {
        format!("{fields} fields")
    }
}

/// Splits a cell into its `|`-separated forms, trimmed and checked.
fn forms(
    cell: &str,
    column: &str,
    required: bool,
    path: &Path,
    line: usize,
) -> Result<Vec<String>> {
    if cell.trim().is_empty() {
        if !required {
            return Ok(Vec::new());
        }
        let what = if column == "source" {
            "Indonesian"
        } else {
            "English"
        };
        return Err(at(
            path,
            line,
            format!("the {column} cell is empty; give at least one {what} form"),
        ));
    }
    let mut out = Vec::new();
    for form in cell.split('|').map(str::trim) {
        if form.is_empty() {
            return Err(at(
                path,
                line,
                format!(
                    "an empty form in the {column} cell {:?}; remove the extra \"|\"",
                    cell.trim()
                ),
            ));
        }
        check_controls(path, line, column, form)?;
        out.push(form.to_string());
    }
    Ok(out)
}

/// A quoting mistake the csv crate would read past, as one line.
fn check_quotes(text: &str, path: &Path) -> Result<()> {
    match crate::output::quote_problem(text) {
        Some((line, problem)) => Err(at(path, line, problem)),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------
// TBX

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Indonesian,
    English,
    Other,
}

fn lang_of(code: &str) -> Lang {
    let primary = code
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match primary.as_str() {
        "id" | "in" | "ind" => Lang::Indonesian,
        "en" | "eng" => Lang::English,
        _ => Lang::Other,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Preferred,
    Admitted,
    Forbidden,
}

fn status_of(value: &str) -> Status {
    let v = value.trim().to_ascii_lowercase();
    if v.starts_with("preferred") {
        Status::Preferred
    } else if v.starts_with("deprecated") || v.starts_with("superseded") {
        Status::Forbidden
    } else {
        // admitted, standardized, legal, regulated, or none at all
        Status::Admitted
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Capture {
    Term,
    Status,
    Note,
}

/// Text being collected from an element and its descendants.
struct Collecting {
    kind: Capture,
    /// The open-element depth of the element being collected.
    depth: usize,
    line: usize,
    text: String,
}

struct TbxEntry {
    line: usize,
    sources: Vec<String>,
    preferred: Vec<String>,
    admitted: Vec<String>,
    forbidden: Vec<String>,
    notes: Vec<String>,
}

/// A `tig`, `ntig` or `termSec`: one term and its status.
#[derive(Default)]
struct TermGroup {
    term: Option<String>,
    status: Option<Status>,
}

struct Tbx<'p> {
    path: &'p Path,
    /// Open elements: qualified name and line.
    open: Vec<(String, usize)>,
    root_seen: bool,
    entry: Option<TbxEntry>,
    lang: Option<Lang>,
    group: Option<TermGroup>,
    collecting: Option<Collecting>,
    entries: Vec<Entry>,
}

impl Tbx<'_> {
    fn start(&mut self, e: &BytesStart, line: usize) -> Result<()> {
        let qname = e.name().into_inner().to_string();
        let local = e.local_name().into_inner().to_string();
        if self.open.is_empty() {
            if self.root_seen {
                return Err(self.ill_formed(line, format!("a second root element <{qname}>")));
            }
            self.root_seen = true;
            if !local.eq_ignore_ascii_case("martif") && !local.eq_ignore_ascii_case("tbx") {
                return Err(at(
                    self.path,
                    line,
                    format!(
                        "the root element is <{qname}>, not <martif> (TBX v2) or <tbx> (TBX v3); give a TBX file, or a CSV or TSV table"
                    ),
                ));
            }
        }
        self.open.push((qname, line));
        let collect = match local.as_str() {
            "termEntry" | "conceptEntry" => {
                self.entry = Some(TbxEntry {
                    line,
                    sources: Vec::new(),
                    preferred: Vec::new(),
                    admitted: Vec::new(),
                    forbidden: Vec::new(),
                    notes: Vec::new(),
                });
                self.lang = None;
                self.group = None;
                None
            }
            "langSet" | "langSec" => {
                let code = self.attribute(e, "lang", line)?.unwrap_or_default();
                self.lang = Some(lang_of(&code));
                None
            }
            "tig" | "ntig" | "termSec" => {
                self.group = Some(TermGroup::default());
                None
            }
            "term" => Some(Capture::Term),
            "termNote" => {
                let kind = self.attribute(e, "type", line)?.unwrap_or_default();
                (kind == "administrativeStatus" || kind == "normativeAuthorization")
                    .then_some(Capture::Status)
            }
            // TBX v3 in the DCT style: <min:administrativeStatus>.
            "administrativeStatus" => Some(Capture::Status),
            "descrip" | "note" => {
                (self.entry.is_some() && self.lang.is_none() && self.group.is_none())
                    .then_some(Capture::Note)
            }
            _ => None,
        };
        if let Some(kind) = collect
            && self.collecting.is_none()
        {
            self.collecting = Some(Collecting {
                kind,
                depth: self.open.len(),
                line,
                text: String::new(),
            });
        }
        Ok(())
    }

    fn end(&mut self, local: &str) -> Result<()> {
        let depth = self.open.len();
        self.open.pop();
        if self.collecting.as_ref().is_some_and(|c| c.depth == depth) {
            let done = self.collecting.take().expect("checked above");
            self.collected(done)?;
        }
        match local {
            "tig" | "ntig" | "termSec" => {
                if let Some(group) = self.group.take()
                    && let Some(term) = group.term
                {
                    self.add_term(term, group.status.unwrap_or(Status::Admitted));
                }
            }
            "langSet" | "langSec" => self.lang = None,
            "termEntry" | "conceptEntry" => {
                if let Some(entry) = self.entry.take() {
                    let entry = self.finish(entry)?;
                    self.entries.push(entry);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn collected(&mut self, done: Collecting) -> Result<()> {
        let text = squeeze(&done.text);
        match done.kind {
            Capture::Term => {
                if text.is_empty() {
                    return Err(at(
                        self.path,
                        done.line,
                        "an empty <term>; fill it in or remove it",
                    ));
                }
                check_controls(self.path, done.line, "term", &text)?;
                match &mut self.group {
                    Some(group) => {
                        if group.term.is_none() {
                            group.term = Some(text);
                        }
                    }
                    None => self.add_term(text, Status::Admitted),
                }
            }
            Capture::Status => {
                if let Some(group) = &mut self.group {
                    group.status = Some(status_of(&text));
                }
            }
            Capture::Note => {
                if let Some(entry) = &mut self.entry
                    && !text.is_empty()
                {
                    entry.notes.push(text);
                }
            }
        }
        Ok(())
    }

    fn add_term(&mut self, term: String, status: Status) {
        let Some(entry) = &mut self.entry else {
            return;
        };
        match (self.lang, status) {
            (Some(Lang::Indonesian), _) => entry.sources.push(term),
            (Some(Lang::English), Status::Preferred) => entry.preferred.push(term),
            (Some(Lang::English), Status::Admitted) => entry.admitted.push(term),
            (Some(Lang::English), Status::Forbidden) => entry.forbidden.push(term),
            _ => {}
        }
    }

    fn finish(&self, entry: TbxEntry) -> Result<Entry> {
        if entry.sources.is_empty() {
            return Err(at(
                self.path,
                entry.line,
                "the entry has no Indonesian term (xml:lang \"id\"); add one or remove the entry",
            ));
        }
        let mut targets = entry.preferred;
        targets.extend(entry.admitted);
        if targets.is_empty() {
            return Err(at(
                self.path,
                entry.line,
                "the entry has no accepted English term (xml:lang \"en\", preferred or admitted); add one or remove the entry",
            ));
        }
        let mut out = Entry {
            sources: entry.sources,
            targets,
            forbidden: entry.forbidden,
            note: entry.notes.join("; "),
            case_sensitive: true,
            file: self.path.to_path_buf(),
            line: entry.line,
        };
        dedup(&mut out.sources);
        dedup(&mut out.targets);
        dedup(&mut out.forbidden);
        Ok(out)
    }

    /// Text, CDATA or a resolved reference at the current place.
    fn text(&mut self, text: &str, line: usize) -> Result<()> {
        if let Some(c) = &mut self.collecting {
            c.text.push_str(text);
        } else if self.open.is_empty() && !text.trim().is_empty() {
            return Err(self.ill_formed(line, "text outside the root element"));
        }
        Ok(())
    }

    /// The value of the attribute with this local name, with only the
    /// predefined entities and character references resolved.
    fn attribute(&self, e: &BytesStart, local: &str, line: usize) -> Result<Option<String>> {
        for attr in e.attributes() {
            let attr = attr.map_err(|err| self.ill_formed(line, err))?;
            if attr.key.local_name().into_inner() == local {
                let value = attr
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|err| self.ill_formed(line, err))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    fn ill_formed(&self, line: usize, what: impl fmt::Display) -> Error {
        at(
            self.path,
            line,
            format!("not well-formed XML: {what}; correct the file there"),
        )
    }
}

/// Collapses XML whitespace (pretty-printing) to single spaces and trims.
fn squeeze(text: &str) -> String {
    text.split([' ', '\t', '\n', '\r'])
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Line numbers of byte offsets that mostly come in increasing order.
struct Lines<'t> {
    bytes: &'t [u8],
    pos: usize,
    line: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        Lines {
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    fn at(&mut self, pos: usize) -> usize {
        let pos = pos.min(self.bytes.len());
        if pos < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += self.bytes[self.pos..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.pos = pos;
        self.line
    }
}

fn parse_tbx(text: &str, path: &Path) -> Result<Vec<Entry>> {
    if !text.trim_start().starts_with('<') {
        let skipped = text.len() - text.trim_start().len();
        let line = 1 + text[..skipped].matches('\n').count();
        return Err(at(
            path,
            line,
            "not XML (a TBX file starts with \"<\"); export the glossary as TBX again, or give a CSV or TSV table a .csv or .tsv name",
        ));
    }
    let mut reader = Reader::from_str(text);
    let mut lines = Lines::new(text);
    let mut tbx = Tbx {
        path,
        open: Vec::new(),
        root_seen: false,
        entry: None,
        lang: None,
        group: None,
        collecting: None,
        entries: Vec::new(),
    };
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let line = lines.at(reader.error_position() as usize);
                return Err(tbx.ill_formed(line, e));
            }
        };
        let line = lines.at(before);
        match event {
            Event::Start(e) => tbx.start(&e, line)?,
            Event::Empty(e) => {
                tbx.start(&e, line)?;
                tbx.end(e.local_name().into_inner())?;
            }
            Event::End(e) => tbx.end(e.local_name().into_inner())?,
            Event::Text(t) => tbx.text(&t.xml10_content(), line)?,
            Event::CData(c) => tbx.text(&c, line)?,
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => {
                            return Err(tbx.ill_formed(
                                line,
                                format!("a bad character reference \"&{};\"", &*r),
                            ));
                        }
                    }
                } else if let Some(s) = resolve_xml_entity(&r) {
                    s.to_string()
                } else {
                    return Err(at(
                        path,
                        line,
                        format!(
                            "the entity \"&{};\" is not defined (entities from a DTD are never read); write the character itself, or a character reference such as \"&#233;\"",
                            &*r
                        ),
                    ));
                };
                tbx.text(&resolved, line)?;
            }
            Event::Eof => break,
            // The declaration, comments, processing instructions and the
            // DOCTYPE (whose entities are never read) carry no terms.
            _ => {}
        }
    }
    if let Some((name, line)) = tbx.open.last() {
        return Err(tbx.ill_formed(
            *line,
            format!("<{name}> opened on this line is never closed"),
        ));
    }
    if !tbx.root_seen {
        return Err(tbx.ill_formed(1, "no element at all"));
    }
    Ok(tbx.entries)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn csv(text: &str) -> Result<Vec<Entry>> {
        parse(text.as_bytes(), Path::new("g.csv"))
    }

    fn tsv(text: &str) -> Result<Vec<Entry>> {
        parse(text.as_bytes(), Path::new("g.tsv"))
    }

    fn tbx(text: &str) -> Result<Vec<Entry>> {
        parse(text.as_bytes(), Path::new("g.tbx"))
    }

    fn err(result: Result<Vec<Entry>>) -> String {
        result.expect_err("an error").to_string()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn entry(sources: &[&str], targets: &[&str], file: &str, line: usize) -> Entry {
        Entry {
            sources: strings(sources),
            targets: strings(targets),
            forbidden: Vec::new(),
            note: String::new(),
            case_sensitive: true,
            file: PathBuf::from(file),
            line,
        }
    }

    // ---- CSV

    #[test]
    fn csv_with_header_in_any_order() {
        let got = csv(" Target ,SOURCE,note,case,Forbidden\n\
                       North Korea|North Korean , Korea Utara | Korut ,country,,DPRK\n\
                       Associated Press,Pers Terkait|Asosiasi Pers,news agency,insensitive,\n")
        .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].sources, ["Korea Utara", "Korut"]);
        assert_eq!(got[0].targets, ["North Korea", "North Korean"]);
        assert_eq!(got[0].forbidden, ["DPRK"]);
        assert_eq!(got[0].note, "country");
        assert!(got[0].case_sensitive);
        assert_eq!(got[0].line, 2);
        assert_eq!(got[0].file, PathBuf::from("g.csv"));
        assert_eq!(got[1].sources, ["Pers Terkait", "Asosiasi Pers"]);
        assert!(!got[1].case_sensitive);
        assert!(got[1].forbidden.is_empty());
        assert_eq!(got[1].line, 3);
    }

    #[test]
    fn csv_quoted_cells_bom_and_crlf() {
        let got = csv("\u{FEFF}source,target,note\r\n\
                       Li Zhucheng,Li Zuocheng,\"misspelt, in the source\"\r\n\
                       \"Kota \"\"Lama\"\"\",\"Old Town\",\r\n")
        .unwrap();
        assert_eq!(got[0].note, "misspelt, in the source");
        assert_eq!(got[1].sources, ["Kota \"Lama\""]);
        assert_eq!(got[1].targets, ["Old Town"]);
        assert_eq!(got[1].line, 3);
    }

    #[test]
    fn header_only_and_empty_files_have_no_entries() {
        assert!(csv("source,target\n").unwrap().is_empty());
        assert!(csv("").unwrap().is_empty());
        assert!(tsv("\n\n").unwrap().is_empty());
    }

    #[test]
    fn lines_count_blank_lines_crlf_and_multiline_cells() {
        let got = csv("source,target\r\n\r\n\r\nA,B\r\n\nC,D\n\n\n").unwrap();
        assert_eq!(got[0].line, 4);
        assert_eq!(got[1].line, 6);
        let e = err(csv("source,target,note\n\nA,B,\"two\nlines\"\n\nC,D,x,y\n"));
        assert!(e.starts_with("g.csv:6: 4 fields"), "{e}");
        let got = tsv("\n\nA\tB\n\nC\tD\n").unwrap();
        assert_eq!((got[0].line, got[1].line), (3, 5));
    }

    #[test]
    fn blank_rows_are_skipped() {
        let got = csv("source,target\n\n,\nKorea Utara,North Korea\n").unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].line, 4);
    }

    #[test]
    fn deepl_headerless_two_and_four_columns() {
        let got = csv("Korea Utara,North Korea\nKorut,North Korea,id,en\n").unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].sources, ["Korea Utara"]);
        assert_eq!(got[0].targets, ["North Korea"]);
        assert_eq!(got[1].sources, ["Korut"]);
        assert_eq!(got[1].line, 2);
    }

    #[test]
    fn deepl_wrong_field_count() {
        let e = err(csv("Korea Utara,North Korea\nKorut,North Korea,country\n"));
        assert!(
            e.starts_with("g.csv:2: 3 fields, but a glossary without a header row has 2"),
            "{e}"
        );
    }

    #[test]
    fn semicolon_separated_files_get_a_hint() {
        assert_eq!(
            err(csv("source;target\nKorea Utara;North Korea\n")),
            "g.csv:1: 1 field, separated by semicolons; save the glossary with commas as separators (or as TSV)"
        );
    }

    #[test]
    fn binary_files_are_refused() {
        let e = err(parse(b"PK\x03\x04\0\0", Path::new("g.csv")));
        assert_eq!(
            e,
            "g.csv:1: contains a NUL byte (at byte offset 4); this looks like a binary file, save the glossary as CSV, TSV or TBX"
        );
    }

    #[test]
    fn headed_wrong_field_count() {
        let e = err(csv("source,target\nKorea Utara,North Korea,extra\n"));
        assert_eq!(
            e,
            "g.csv:2: 3 fields, but the header has 2; check the commas, and quote a cell that contains a comma"
        );
    }

    #[test]
    fn unknown_missing_and_repeated_columns() {
        assert_eq!(
            err(csv("source,target,sumber\n")),
            "g.csv:1: unknown column \"sumber\" in the header; the columns are source, target, note, case and forbidden"
        );
        assert_eq!(
            err(csv("source,note\nA,b\n")),
            "g.csv:1: the header has no \"target\" column; add it (source and target are required)"
        );
        assert_eq!(
            err(csv("target,note\nA,b\n")),
            "g.csv:1: the header has no \"source\" column; add it (source and target are required)"
        );
        assert_eq!(
            err(csv("source,target,Target\n")),
            "g.csv:1: the column \"target\" appears twice in the header; keep one"
        );
        assert!(
            err(csv("source,target,\n")).starts_with("g.csv:1: column 3 of the header has no name")
        );
    }

    #[test]
    fn empty_forms_and_cells() {
        assert_eq!(
            err(csv("source,target\nKorea Utara||Korut,North Korea\n")),
            "g.csv:2: an empty form in the source cell \"Korea Utara||Korut\"; remove the extra \"|\""
        );
        assert_eq!(
            err(csv("source,target\nKorea Utara,North Korea|\n")),
            "g.csv:2: an empty form in the target cell \"North Korea|\"; remove the extra \"|\""
        );
        assert_eq!(
            err(csv("source,target\nKorea Utara, \n")),
            "g.csv:2: the target cell is empty; give at least one English form"
        );
        assert_eq!(
            err(csv("source,target\n,North Korea\n")),
            "g.csv:2: the source cell is empty; give at least one Indonesian form"
        );
        assert!(
            err(csv("source,target,forbidden\nA,B,C|\n"))
                .starts_with("g.csv:2: an empty form in the forbidden cell")
        );
    }

    #[test]
    fn control_characters_in_terms() {
        assert_eq!(
            err(csv("source,target\nKorea\u{7}Utara,North Korea\n")),
            "g.csv:2: the source form \"Korea\\u{7}Utara\" contains a control character (U+0007); remove it"
        );
        assert!(err(csv("source,target\nA,North\tKorea\n")).contains("(U+0009)"));
        assert!(err(csv("source,target\nA,North\u{7F}\n")).contains("(U+007F)"));
        let e = err(csv("source,target\n\"Korea\nUtara\",North Korea\n"));
        assert!(e.starts_with("g.csv:2: the source form"), "{e}");
        assert!(e.contains("(U+000A)"), "{e}");
    }

    #[test]
    fn bad_case_value() {
        assert_eq!(
            err(csv("source,target,case\nA,B,maybe\n")),
            "g.csv:2: the case cell is \"maybe\"; write \"sensitive\" or \"insensitive\", or leave it empty"
        );
        assert!(!csv("source,target,case\nA,B, Insensitive \n").unwrap()[0].case_sensitive);
    }

    #[test]
    fn unbalanced_quotes() {
        assert_eq!(
            err(csv("source,target\nA,B\n\"Korea Utara,North Korea\nC,D\n")),
            "g.csv:3: a quote opened on this line is never closed; close the cell with \" (and write \"\" for a quote inside a cell)"
        );
        let e = err(csv("source,target\n\"Kota \"Lama\",Old Town\n"));
        assert!(
            e.starts_with("g.csv:2: text after the closing quote of a cell"),
            "{e}"
        );
        // Spaces after a closing quote are fine, and so are quotes inside a cell.
        let got = csv("source,target\n\"Kota Lama\" ,Old \"Town\"\n").unwrap();
        assert_eq!(got[0].sources, ["Kota Lama"]);
        assert_eq!(got[0].targets, ["Old \"Town\""]);
    }

    // ---- TSV

    #[test]
    fn tsv_with_and_without_header() {
        let got = tsv("source\ttarget\tnote\nKorea Utara|Korut\tNorth Korea\tcountry\n").unwrap();
        assert_eq!(got[0].sources, ["Korea Utara", "Korut"]);
        assert_eq!(got[0].note, "country");
        let got = tsv("Korea Utara\tNorth Korea\r\nRusia\tRussia\r\n").unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].targets, ["Russia"]);
        assert_eq!(got[1].line, 2);
        let txt = parse(b"Rusia\tRussia\n", Path::new("g.txt")).unwrap();
        assert_eq!(txt[0].sources, ["Rusia"]);
        let tab = parse(b"Rusia\tRussia\n", Path::new("g.tab")).unwrap();
        assert_eq!(tab[0].sources, ["Rusia"]);
    }

    #[test]
    fn tsv_quotes_are_text_unless_they_wrap_a_cell() {
        let got =
            tsv("\"Istana \"\"Merdeka\"\"\"\tMerdeka Palace\n\"Merdeka\" Square\tx\n").unwrap();
        assert_eq!(got[0].sources, ["Istana \"Merdeka\""]);
        assert_eq!(got[1].sources, ["\"Merdeka\" Square"]);
    }

    #[test]
    fn tsv_wrong_field_count() {
        assert_eq!(
            err(tsv("Korea Utara\tNorth Korea\tx\n")),
            "g.tsv:1: 3 fields, but a glossary without a header row has 2 (source, target) or 4 (source, target, source_lang, target_lang); check the tabs, or add a header row naming the columns"
        );
        assert_eq!(
            err(tsv("source\ttarget\nKorea Utara, North Korea\n")),
            "g.tsv:2: 1 field, but the header has 2; check the tabs"
        );
    }

    // ---- Format choice

    #[test]
    fn format_by_extension_and_content() {
        let xml = "<?xml version=\"1.0\"?><martif/>";
        assert_eq!(format_of(xml, Path::new("g.csv")), Format::Tbx);
        assert_eq!(format_of("<tbx/>", Path::new("g")), Format::Tbx);
        assert_eq!(format_of("a,b", Path::new("g.XML")), Format::Tbx);
        assert_eq!(format_of("a\tb", Path::new("g.CSV")), Format::Csv);
        assert_eq!(format_of("a\tb", Path::new("g.glossary")), Format::Tsv);
        assert_eq!(format_of("a,b", Path::new("glossary")), Format::Csv);
    }

    #[test]
    fn decoding_errors_name_the_line() {
        let e = err(parse(b"source,target\nbur\xFFuk,x\n", Path::new("g.csv")));
        assert!(e.starts_with("g.csv:2: not UTF-8"), "{e}");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "source\ttarget\nRusia\tRussia\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let got = parse(&utf16, Path::new("g.tsv")).unwrap();
        assert_eq!(got[0].targets, ["Russia"]);
        let mut utf16 = vec![0xFE, 0xFF];
        let tbx = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<martif><text><body><termEntry>\
            <langSet xml:lang=\"id\"><tig><term>Rusia</term></tig></langSet>\
            <langSet xml:lang=\"en\"><tig><term>Russia</term></tig></langSet>\
            </termEntry></body></text></martif>";
        for u in tbx.encode_utf16() {
            utf16.extend_from_slice(&u.to_be_bytes());
        }
        let got = parse(&utf16, Path::new("g.tbx")).unwrap();
        assert_eq!(got[0].targets, ["Russia"]);
        assert_eq!(got[0].line, 2);
    }

    // ---- TBX

    const TBX2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en">
  <text>
    <body>
      <termEntry id="c1">
        <descrip type="subjectField">country</descrip>
        <langSet xml:lang="in">
          <tig><term>Korea Utara</term></tig>
          <tig>
            <term>Korut</term>
            <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
          </tig>
        </langSet>
        <langSet xml:lang="en-GB">
          <tig>
            <term>DPRK</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
          </tig>
          <tig>
            <term>North Korean</term>
            <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
          </tig>
          <ntig>
            <termGrp>
              <term>North
                Korea</term>
              <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
            </termGrp>
          </ntig>
        </langSet>
        <langSet xml:lang="de"><tig><term>Nordkorea</term></tig></langSet>
      </termEntry>
      <termEntry id="c2">
        <langSet xml:lang="id"><tig><term>AT&amp;T &#x41;S</term></tig></langSet>
        <langSet xml:lang="EN"><tig><term><![CDATA[AT&T US]]></term></tig></langSet>
      </termEntry>
    </body>
  </text>
</martif>
"#;

    #[test]
    fn tbx_v2() {
        let got = tbx(TBX2).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].sources, ["Korea Utara", "Korut"]);
        assert_eq!(got[0].targets, ["North Korea", "North Korean"]);
        assert_eq!(got[0].forbidden, ["DPRK"]);
        assert_eq!(got[0].note, "country");
        assert!(got[0].case_sensitive);
        assert_eq!(got[0].line, 6);
        assert_eq!(got[1].sources, ["AT&T AS"]);
        assert_eq!(got[1].targets, ["AT&T US"]);
        assert_eq!(got[1].line, 34);
    }

    const TBX3: &str = r#"<?xml version="1.0"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader/>
  <text>
    <body>
      <conceptEntry id="c1">
        <note>news agency</note>
        <langSec xml:lang="ind">
          <termSec><term>Pers Terkait</term></termSec>
          <termSec>
            <term>Asosiasi Pers</term>
            <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote>
          </termSec>
        </langSec>
        <langSec xml:lang="eng">
          <termSec>
            <term>AP</term>
            <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
          </termSec>
          <termSec>
            <term>Associated Press</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </termSec>
          <termSec>
            <term>Associate Press</term>
            <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote>
          </termSec>
        </langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
"#;

    #[test]
    fn tbx_v3() {
        let got = tbx(TBX3).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].sources, ["Pers Terkait", "Asosiasi Pers"]);
        assert_eq!(got[0].targets, ["Associated Press", "AP"]);
        assert_eq!(got[0].forbidden, ["Associate Press"]);
        assert_eq!(got[0].note, "news agency");
        assert_eq!(got[0].line, 6);
    }

    #[test]
    fn tbx_prefixes_and_dct_status_elements() {
        let text = r#"<t:tbx xmlns:t="urn:iso:std:iso:30042:ed-2" xmlns:min="http://www.tbxinfo.net/ns/min">
<t:text><t:body>
<t:conceptEntry>
<t:langSec xml:lang="id-ID"><t:termSec><t:term>Rusia</t:term></t:termSec></t:langSec>
<t:langSec xml:lang="en-US"><t:termSec><t:term>Russian Federation</t:term><min:administrativeStatus>admittedTerm-admn-sts</min:administrativeStatus></t:termSec>
<t:termSec><t:term>Russia</t:term><min:administrativeStatus>preferredTerm-admn-sts</min:administrativeStatus></t:termSec></t:langSec>
</t:conceptEntry>
</t:body></t:text></t:tbx>"#;
        let got = parse(text.as_bytes(), Path::new("g.xml")).unwrap();
        assert_eq!(got[0].sources, ["Rusia"]);
        assert_eq!(got[0].targets, ["Russia", "Russian Federation"]);
    }

    #[test]
    fn tbx_entry_without_indonesian_or_accepted_english() {
        let no_id = "<martif><text><body>\n<termEntry>\n<langSet xml:lang=\"en\"><tig><term>Russia</term></tig></langSet>\n</termEntry></body></text></martif>";
        assert_eq!(
            err(tbx(no_id)),
            "g.tbx:2: the entry has no Indonesian term (xml:lang \"id\"); add one or remove the entry"
        );
        let only_deprecated = "<martif><text><body>\n\n<termEntry>\
            <langSet xml:lang=\"id\"><tig><term>Rusia</term></tig></langSet>\
            <langSet xml:lang=\"en\"><tig><term>Rusia</term>\
            <termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote></tig></langSet>\
            </termEntry></body></text></martif>";
        assert_eq!(
            err(tbx(only_deprecated)),
            "g.tbx:3: the entry has no accepted English term (xml:lang \"en\", preferred or admitted); add one or remove the entry"
        );
    }

    #[test]
    fn tbx_empty_term_and_control_character() {
        let empty = "<martif><text><body><termEntry>\n<langSet xml:lang=\"id\"><tig><term> </term></tig></langSet></termEntry></body></text></martif>";
        assert_eq!(
            err(tbx(empty)),
            "g.tbx:2: an empty <term>; fill it in or remove it"
        );
        let control = "<martif><text><body><termEntry>\n\n<langSet xml:lang=\"id\"><tig><term>Ru&#x1B;sia</term></tig></langSet></termEntry></body></text></martif>";
        assert_eq!(
            err(tbx(control)),
            "g.tbx:3: the term form \"Ru\\u{1b}sia\" contains a control character (U+001B); remove it"
        );
    }

    #[test]
    fn not_xml_and_not_well_formed() {
        assert_eq!(
            err(tbx("source,target\nRusia,Russia\n")),
            "g.tbx:1: not XML (a TBX file starts with \"<\"); export the glossary as TBX again, or give a CSV or TSV table a .csv or .tsv name"
        );
        let mismatched = "<martif>\n<text>\n<body>\n</text>\n</martif>";
        let e = err(tbx(mismatched));
        assert!(e.starts_with("g.tbx:4: not well-formed XML: "), "{e}");
        assert!(e.ends_with("; correct the file there"), "{e}");
        let unclosed = "<martif>\n<text>\n<body>\n";
        assert_eq!(
            err(tbx(unclosed)),
            "g.tbx:3: not well-formed XML: <body> opened on this line is never closed; correct the file there"
        );
        let broken_tag = "<martif>\n<text>\n<body\n";
        assert!(err(tbx(broken_tag)).starts_with("g.tbx:3: not well-formed XML: "));
        let trailing = "<martif/>\nsource,target\n";
        assert_eq!(
            err(tbx(trailing)),
            "g.tbx:1: not well-formed XML: text outside the root element; correct the file there"
        );
        assert!(err(tbx("<martif/><martif/>")).contains("a second root element <martif>"));
        assert!(err(tbx("<?xml version=\"1.0\"?>\n")).contains("no element at all"));
        assert_eq!(
            err(tbx("<?xml version=\"1.0\"?>\n<glossary/>")),
            "g.tbx:2: the root element is <glossary>, not <martif> (TBX v2) or <tbx> (TBX v3); give a TBX file, or a CSV or TSV table"
        );
    }

    #[test]
    fn entities_are_never_expanded_from_a_dtd() {
        let text = r#"<?xml version="1.0"?>
<!DOCTYPE martif [
  <!ENTITY secret SYSTEM "file:///etc/passwd">
  <!ENTITY name "Korea Utara">
]>
<martif><text><body><termEntry>
<langSet xml:lang="id"><tig><term>&secret;</term></tig></langSet>
</termEntry></body></text></martif>"#;
        assert_eq!(
            err(tbx(text)),
            "g.tbx:7: the entity \"&secret;\" is not defined (entities from a DTD are never read); write the character itself, or a character reference such as \"&#233;\""
        );
        assert!(
            err(tbx(&text.replace("&secret;", "&name;"))).contains("\"&name;\" is not defined")
        );
    }

    #[test]
    fn tbx_entries_with_empty_glossary() {
        let got = tbx("<martif><text><body/></text></martif>").unwrap();
        assert!(got.is_empty());
    }

    // ---- Merging and validation

    #[test]
    fn conflicting_sources_name_both_places() {
        let e = Glossary::from_entries(vec![
            entry(&["Korea Utara"], &["North Korea"], "a.csv", 4),
            entry(&["Korea Selatan"], &["South Korea"], "a.csv", 5),
            entry(&["Korut", "Korea Utara"], &["DPRK"], "b.tsv", 9),
        ])
        .unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert_eq!(
            e.to_string(),
            "b.tsv:9: the source form \"Korea Utara\" has the target \"DPRK\" here but \"North Korea\" in a.csv:4; keep one of the two entries or give them the same targets"
        );
    }

    #[test]
    fn same_source_same_targets_merge_into_the_first() {
        let mut second = entry(&["Korea Utara", "Korut"], &["North Korea"], "b.tsv", 2);
        second.forbidden = strings(&["DPRK"]);
        second.note = "later".into();
        let mut first = entry(&["Korea Utara"], &["North Korea"], "a.csv", 4);
        first.note = "first".into();
        let g = Glossary::from_entries(vec![first, second]).unwrap();
        assert_eq!(g.entries.len(), 1);
        assert_eq!(g.entries[0].sources, ["Korea Utara", "Korut"]);
        assert_eq!(g.entries[0].forbidden, ["DPRK"]);
        assert_eq!(g.entries[0].note, "first");
        assert_eq!(g.entries[0].line, 4);
    }

    #[test]
    fn different_order_of_targets_is_a_conflict() {
        let e = Glossary::from_entries(vec![
            entry(&["Korea Utara"], &["North Korea", "DPRK"], "a.csv", 2),
            entry(&["Korea Utara"], &["DPRK", "North Korea"], "a.csv", 3),
        ])
        .unwrap_err();
        assert!(e.to_string().starts_with("a.csv:3: "), "{e}");
        assert!(e.to_string().contains("in a.csv:2"), "{e}");
    }

    #[test]
    fn entries_from_anywhere_are_validated() {
        let no_target = entry(&["A"], &[], "x.csv", 1);
        assert!(
            Glossary::from_entries(vec![no_target])
                .unwrap_err()
                .to_string()
                .starts_with("x.csv:1: the entry has no accepted English form")
        );
        let empty = entry(&["A", " "], &["B"], "x.csv", 2);
        assert_eq!(
            Glossary::from_entries(vec![empty]).unwrap_err().to_string(),
            "x.csv:2: an empty source form; fill it in or remove it"
        );
        let mut both = entry(&["A"], &["B"], "x.csv", 3);
        both.forbidden = strings(&["B"]);
        assert_eq!(
            Glossary::from_entries(vec![both]).unwrap_err().to_string(),
            "x.csv:3: \"B\" is both an accepted and a forbidden English form; keep it in only one of the two"
        );
        let repeated = entry(&["A", "A"], &["B", "C", "B"], "x.csv", 4);
        let g = Glossary::from_entries(vec![repeated]).unwrap();
        assert_eq!(g.entries[0].sources, ["A"]);
        assert_eq!(g.entries[0].targets, ["B", "C"]);
        assert!(
            Glossary::from_entries(Vec::new())
                .unwrap()
                .entries
                .is_empty()
        );
    }

    #[test]
    fn load_names_a_missing_file() {
        let e = Glossary::load(&[PathBuf::from("no/such/glossary.csv")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no/such/glossary.csv: no such glossary file; check the path"
        );
        assert_eq!(e.exit_code(), 2);
        assert!(Glossary::load(&[]).unwrap().entries.is_empty());
    }
}
