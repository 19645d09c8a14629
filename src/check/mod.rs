//! Per-row checks (SPEC §4, §5): what a reviewer should look at.
//!
//! Rows are built here from the alignment and then checked against the
//! glossary of proper names, the numbers of the source, and themselves;
//! every finding is a code and a detail, and any finding sets the row's
//! status to `review`.

mod dfa;
pub mod glossary;
mod numbers;
mod report;
pub(crate) mod terms;

use std::fmt;
use std::ops::Range;
use std::path::Path;

use crate::align::Link;
use crate::document::Text;
use crate::error::Result;
use crate::segment::Lang;

use self::glossary::Glossary;
pub use self::report::{Candidate, Report, TermCount, Variant};
use self::terms::{Finder, Forms, Found, Side};

/// The project's glossary of proper names, built in and used when no
/// `--glossary` is given.
pub fn default_glossary() -> Result<Glossary> {
    let entries = glossary::parse(
        include_bytes!("../../glossary/names.csv"),
        Path::new("glossary/names.csv"),
    )?;
    Glossary::from_entries(entries)
}

/// Rows scoring below this are flagged `low-confidence`.
pub const MIN_SCORE: f32 = 0.5;

/// One aligned pair, as the CSV and the other formats write it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `P.N`: paragraph number and row number within it.
    pub id: String,
    pub paragraph: usize,
    /// Source and target sentence counts.
    pub link: (usize, usize),
    pub score: f32,
    pub source: Text,
    pub target: Text,
    pub issues: Vec<Finding>,
    pub status: Status,
    pub note: String,
    /// The glossary terms the checks found in `source` and `target`, kept
    /// for the report; `None` for rows read back from a file.
    pub(crate) terms: Option<Terms>,
}

/// Glossary terms found in a source text and in a target text: source
/// forms in the source, accepted forms in the target.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Terms {
    pub source: Vec<Found>,
    pub target: Vec<Found>,
}

/// The glossary terms of every sentence of a block, found once: the
/// aligner takes its anchors from them, and each row its terms, for the
/// checks and then the report. A block of 100,000 sentences would
/// otherwise be searched three times over.
pub struct BlockTerms {
    source: SentenceTerms,
    target: SentenceTerms,
    misplaced: [SentenceTerms; 2],
}

/// The terms a target should not have: source forms left untranslated
/// (some of them accepted renderings too, "NATO"), and forbidden forms.
struct Misplaced {
    untranslated: Vec<Found>,
    forbidden: Vec<Found>,
}

/// The terms of each sentence of one side, end to end in one list: most
/// sentences have none, and a list apiece would cost more than the terms.
struct SentenceTerms {
    found: Vec<Found>,
    /// Where each sentence's terms start in `found`, and where the last's end.
    starts: Vec<usize>,
}

impl SentenceTerms {
    /// The lists as [`Finder::find_block_into`] fills them: `starts`
    /// without the last text's end, which is `found`'s.
    fn new(found: Vec<Found>, mut starts: Vec<usize>) -> SentenceTerms {
        starts.push(found.len());
        SentenceTerms { found, starts }
    }

    fn of(&self, k: usize) -> &[Found] {
        &self.found[self.starts[k]..self.starts[k + 1]]
    }
}

impl BlockTerms {
    /// The terms of a run of sentences joined with spaces, as a row joins
    /// them: each sentence's, moved along by the sentences before it.
    fn joined(found: &SentenceTerms, sentences: &[Text], run: Range<usize>) -> Vec<Found> {
        // Made at its final size: a run's sentences would each grow it.
        let mut out = Vec::with_capacity(found.starts[run.end] - found.starts[run.start]);
        let mut at = 0;
        for k in run {
            out.extend(found.of(k).iter().map(|f| Found {
                entry: f.entry,
                start: f.start + at,
                end: f.end + at,
                form_end: f.form_end + at,
            }));
            at += sentences[k].len() + 1;
        }
        out
    }
}

/// A problem found in a row: `code: detail`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub detail: String,
}

impl Finding {
    /// Appends what the `Display` form writes, `code: detail` (or the code
    /// alone), to `out` without the formatter: for an archive's rows.
    pub fn write_to(&self, out: &mut String) {
        out.push_str(self.code);
        if !self.detail.is_empty() {
            out.push_str(": ");
            out.push_str(&self.detail);
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)?;
        if !self.detail.is_empty() {
            f.write_str(": ")?;
            f.write_str(&self.detail)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Review,
    /// Set by a reviewer who corrected the row.
    Fixed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Review => "review",
            Status::Fixed => "fixed",
        }
    }

    /// Reads a status cell, case-insensitively.
    pub fn parse(cell: &str) -> Option<Status> {
        match cell.to_ascii_lowercase().as_str() {
            "ok" => Some(Status::Ok),
            "review" => Some(Status::Review),
            "fixed" => Some(Status::Fixed),
            _ => None,
        }
    }
}

/// Everything the checks need, built once per run: the glossary's terms in
/// automata and the languages of both sides.
pub struct Checker {
    glossary: Glossary,
    /// Source forms, to find in the source.
    sources: Finder,
    /// What to find in the target: accepted target forms, source forms
    /// (left untranslated) and forbidden target forms, in these sets, in
    /// one pass. For a short text, the source forms are left out and found
    /// with `sources` instead (`untranslated_apart`): a second automaton
    /// of them costs more to build than a second pass over the text.
    in_target: Finder,
    untranslated_apart: bool,
    from: Lang,
    to: Lang,
    /// Entries written alike in both languages ("Jakarta"): the aligner's
    /// name anchors see them already, and as glossary anchors too they
    /// would count twice.
    same_form: Vec<bool>,
}

impl Checker {
    pub fn new(glossary: Glossary, from: Lang, to: Lang) -> Checker {
        Checker::for_text(glossary, from, to, 0)
    }

    /// [`Checker::new`], for checking about `bytes` of text in all, source
    /// and target: the glossary's automata are chosen to suit (see
    /// [`Finder::for_text`]).
    pub fn for_text(glossary: Glossary, from: Lang, to: Lang, bytes: usize) -> Checker {
        let entries = &glossary.entries;
        let sources = Finder::for_text(entries, &[|e| &e.sources], bytes);
        let same_form = entries
            .iter()
            .map(|e| e.sources.iter().any(|s| e.targets.contains(s)))
            .collect();
        let source_forms: usize = entries.iter().map(|e| e.sources.len()).sum();
        let untranslated_apart = bytes < SEARCH_ONCE_BYTES_PER_FORM * source_forms;
        let untranslated: Forms = if untranslated_apart {
            |_| &[]
        } else {
            |e| &e.sources
        };
        Checker {
            same_form,
            sources,
            in_target: Finder::for_text(
                entries,
                &[|e| &e.targets, untranslated, |e| &e.forbidden],
                bytes,
            ),
            untranslated_apart,
            glossary,
            from,
            to,
        }
    }

    /// The glossary entries named in a sentence, as alignment anchors.
    pub fn anchors(&self, sentence: &str, source: bool) -> Vec<u64> {
        let found = if source {
            self.sources.find(sentence, Side::Source)
        } else {
            self.in_target.find(sentence, Side::Target)
        };
        self.anchors_of(&found)
    }

    /// [`anchors`](Self::anchors) of sentence `k` of a block, source or
    /// target, from the terms found in it already.
    pub fn anchors_at(&self, terms: &BlockTerms, k: usize, source: bool) -> Vec<u64> {
        let found = if source {
            terms.source.of(k)
        } else {
            terms.target.of(k)
        };
        self.anchors_of(found)
    }

    fn anchors_of(&self, found: &[Found]) -> Vec<u64> {
        found
            .iter()
            .filter(|f| !self.same_form[f.entry])
            .map(|f| crate::align::glossary_key(f.entry as u64))
            .collect()
    }

    /// The terms in a target text: accepted, untranslated and forbidden
    /// forms.
    fn target_terms(&self, text: &str) -> [Vec<Found>; 3] {
        let mut found = std::array::from_fn(|_| Vec::new());
        self.in_target
            .find_sets_into(text, Side::Target, &mut found);
        if self.untranslated_apart {
            let untranslated = std::array::from_mut(&mut found[1]);
            self.sources
                .find_sets_into(text, Side::Target, untranslated);
        }
        found
    }

    /// [`target_terms`](Self::target_terms) of each of `texts`, into empty
    /// lists, as [`Finder::find_block_into`] adds them (a unit test checks
    /// the two agree).
    fn target_block_into(
        &self,
        texts: &[&str],
        found: &mut [Vec<Found>; 3],
        starts: &mut [Vec<usize>; 3],
    ) {
        self.in_target
            .find_block_into(texts, Side::Target, found, starts);
        if !self.untranslated_apart {
            return;
        }
        // The source forms' own search: each text's terms go after the
        // untranslated forms the first search found in it.
        let (mut more, mut more_starts) = ([Vec::new()], [Vec::new()]);
        self.sources
            .find_block_into(texts, Side::Target, &mut more, &mut more_starts);
        let ([more], [more_starts]) = (more, more_starts);
        let more = SentenceTerms::new(more, more_starts);
        let first = SentenceTerms::new(
            std::mem::take(&mut found[1]),
            std::mem::take(&mut starts[1]),
        );
        for k in 0..texts.len() {
            starts[1].push(found[1].len());
            found[1].extend_from_slice(first.of(k));
            found[1].extend_from_slice(more.of(k));
        }
    }

    /// Finds the glossary terms of every sentence of a block.
    pub fn block_terms(&self, source: &[&str], target: &[&str]) -> BlockTerms {
        // Each set's terms go straight into the block's one list for it.
        fn side<const N: usize>(
            count: usize,
            find: impl FnOnce(&mut [Vec<Found>; N], &mut [Vec<usize>; N]),
        ) -> [SentenceTerms; N] {
            let mut found: [Vec<Found>; N] = std::array::from_fn(|_| Vec::new());
            let mut starts: [Vec<usize>; N] =
                std::array::from_fn(|_| Vec::with_capacity(count + 1));
            find(&mut found, &mut starts);
            std::array::from_fn(|k| {
                SentenceTerms::new(
                    std::mem::take(&mut found[k]),
                    std::mem::take(&mut starts[k]),
                )
            })
        }
        let [source] = side(source.len(), |found, starts| {
            self.sources
                .find_block_into(source, Side::Source, found, starts)
        });
        let [target, untranslated, forbidden] = side(target.len(), |found, starts| {
            self.target_block_into(target, found, starts)
        });
        BlockTerms {
            source,
            target,
            misplaced: [untranslated, forbidden],
        }
    }

    /// The terms of a row's texts, found afresh.
    fn terms_of(&self, source: &str, target: &str) -> Terms {
        Terms {
            source: self.sources.find(source, Side::Source),
            target: self.in_target.find(target, Side::Target),
        }
    }

    /// The source and target languages.
    pub fn languages(&self) -> (Lang, Lang) {
        (self.from, self.to)
    }

    /// Every finding for one pair of texts with its alignment score.
    pub fn findings(&self, source: &str, target: &str, score: f32) -> Vec<Finding> {
        let [accepted, untranslated, forbidden] = self.target_terms(target);
        let terms = Terms {
            source: self.sources.find(source, Side::Source),
            target: accepted,
        };
        let misplaced = Misplaced {
            untranslated,
            forbidden,
        };
        self.findings_with(source, target, score, &terms, &misplaced)
    }

    /// [`findings`](Self::findings), with the glossary terms of both texts
    /// found already.
    fn findings_with(
        &self,
        source: &str,
        target: &str,
        score: f32,
        terms: &Terms,
        misplaced: &Misplaced,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        let finding = |code, detail: String| Finding { code, detail };
        // The terms' places are in the texts as given.
        let whole = (source, target);
        let (source, target) = (source.trim(), target.trim());
        if !source.is_empty() && !target.is_empty() {
            out.extend(self.glossary_findings(whole.0, whole.1, terms, misplaced));
            for n in numbers::missing(source, target, self.from, self.to) {
                out.push(finding(
                    "number-mismatch",
                    format!("{n} is not in the target"),
                ));
            }
        }
        if source.is_empty() {
            out.push(finding(
                "empty-source",
                "no source sentence for this target".into(),
            ));
        }
        if target.is_empty() {
            out.push(finding(
                "empty-target",
                "no translation for this source".into(),
            ));
        }
        if !source.is_empty() && source == target && !only_names(source) {
            out.push(finding("unchanged", "target equals source".into()));
        }
        if score < MIN_SCORE {
            let mut detail = String::from("score ");
            two_places(&mut detail, score);
            out.push(finding("low-confidence", detail));
        }
        out
    }

    fn glossary_findings(
        &self,
        source: &str,
        target: &str,
        terms: &Terms,
        misplaced: &Misplaced,
    ) -> Vec<Finding> {
        let entries = &self.glossary.entries;
        let mut out = Vec::new();
        let accepted = &terms.target;
        let present = |entry: usize| accepted.iter().any(|f| f.entry == entry);

        let mut reported: Vec<usize> = Vec::new();
        for f in &terms.source {
            if !present(f.entry) && !reported.contains(&f.entry) {
                reported.push(f.entry);
                let e = &entries[f.entry];
                out.push(Finding {
                    code: "glossary-missing",
                    detail: format!("{} -> {}", &source[f.start..f.form_end], e.targets[0]),
                });
            }
        }
        // A source form in the target is untranslated, unless it is itself
        // an accepted rendering there ("NATO", "China" inside "South China Sea").
        let covered =
            |start: usize, end: usize| accepted.iter().any(|a| start < a.end && a.start < end);
        for f in &misplaced.untranslated {
            let e = &entries[f.entry];
            let form = &target[f.start..f.form_end];
            if covered(f.start, f.end) || e.targets.iter().any(|t| t == form) {
                continue;
            }
            out.push(Finding {
                code: "glossary-untranslated",
                detail: format!("{form} -> {}", e.targets[0]),
            });
        }
        for f in &misplaced.forbidden {
            let e = &entries[f.entry];
            out.push(Finding {
                code: "glossary-forbidden",
                detail: format!("{} -> {}", &target[f.start..f.form_end], e.targets[0]),
            });
        }
        out
    }
}

/// How many bytes of text to check per source form of the glossary before
/// the target's one search takes the source forms in (see [`Checker`]'s
/// `in_target`): a form costs about 1 µs to build into the glossary's DFA
/// and a pass saves about 2 ns a byte, so this is twice where it breaks
/// even. The project's glossary turns at about 1.3 MB: a long text, which
/// gets a DFA anyway (see [`terms::Finder::for_text`]).
const SEARCH_ONCE_BYTES_PER_FORM: usize = 1_000;

/// A line of names only, such as a photo credit "(Andi Putra/Antara)",
/// rightly reads the same in both languages.
fn only_names(text: &str) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.len() >= 2
        && words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()))
}

/// A score with two decimals, as `{:.2}` writes it. A score from 0 to 1
/// times 100 is exact in an `f64`, and rounding that half to even is what
/// the formatter does with the exact value (the same text for every `f32`
/// from 0 to 1, all 1,065,353,217 of them, tried one by one), without the
/// float formatter's exact decimal expansion, on every row of an archive.
pub fn two_places(out: &mut String, score: f32) {
    if score.is_sign_positive() && score <= 1.0 {
        let hundredths = (f64::from(score) * 100.0).round_ties_even() as u8;
        let digit = |d: u8| char::from(b'0' + d);
        out.push(digit(hundredths / 100));
        out.push('.');
        out.push(digit(hundredths / 10 % 10));
        out.push(digit(hundredths % 10));
    } else {
        use std::fmt::Write as _;
        write!(out, "{score:.2}").expect("write to a string");
    }
}

/// A row's id, `paragraph.n`, written by `itoa`, not the formatter: an
/// archive has a hundred thousand rows.
fn row_id(paragraph: usize, n: usize) -> String {
    let (mut p, mut k) = (itoa::Buffer::new(), itoa::Buffer::new());
    let (p, k) = (p.format(paragraph), k.format(n));
    let mut id = String::with_capacity(p.len() + 1 + k.len());
    id.push_str(p);
    id.push('.');
    id.push_str(k);
    id
}

/// Builds the checked rows of one paragraph from its sentences and links.
pub fn rows(
    paragraph: usize,
    source: &[&str],
    target: &[&str],
    links: &[Link],
    checker: &Checker,
) -> Vec<Row> {
    let terms = checker.block_terms(source, target);
    let owned = |side: &[&str]| side.iter().map(|&s| Text::from(s)).collect();
    rows_with(
        paragraph,
        owned(source),
        owned(target),
        links,
        checker,
        &terms,
    )
}

/// [`rows`], with the terms of the block's sentences found already. The
/// sentences are the rows' to keep: a sentence that is a row's whole text
/// on its side becomes that text without a copy, for in an archive nearly
/// every row is one sentence for one.
pub fn rows_with(
    paragraph: usize,
    mut source: Vec<Text>,
    mut target: Vec<Text>,
    links: &[Link],
    checker: &Checker,
    terms: &BlockTerms,
) -> Vec<Row> {
    // Each sentence is in one link: taken out, it is never needed again.
    let text = |side: &mut [Text], run: Range<usize>| match run.len() {
        1 => std::mem::take(&mut side[run.start]),
        _ => {
            let parts: Vec<&str> = side[run].iter().map(Text::as_str).collect();
            Text::from(parts.join(" "))
        }
    };
    links
        .iter()
        .enumerate()
        .map(|(k, link)| {
            let (s, t) = (link.source.clone(), link.target.clone());
            let found = Terms {
                source: BlockTerms::joined(&terms.source, &source, s.clone()),
                target: BlockTerms::joined(&terms.target, &target, t.clone()),
            };
            let [untranslated, forbidden] = &terms.misplaced;
            let misplaced = Misplaced {
                untranslated: BlockTerms::joined(untranslated, &target, t.clone()),
                forbidden: BlockTerms::joined(forbidden, &target, t.clone()),
            };
            let mut row = Row {
                id: row_id(paragraph, k + 1),
                paragraph,
                link: (s.len(), t.len()),
                score: link.score,
                source: text(&mut source, s),
                target: text(&mut target, t),
                issues: Vec::new(),
                status: Status::Ok,
                note: String::new(),
                terms: None,
            };
            row.issues =
                checker.findings_with(&row.source, &row.target, row.score, &found, &misplaced);
            if !row.issues.is_empty() {
                row.status = Status::Review;
            }
            row.terms = Some(found);
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_places_writes_what_the_formatter_writes() {
        let formatted = |x: f32| {
            let mut out = String::new();
            two_places(&mut out, x);
            (out, format!("{x:.2}"))
        };
        // Ties rounded to even, the edges, and what falls back.
        let edges = [
            0.0, -0.0, 1.0, 0.005, 0.015, 0.125, 0.375, 0.625, 0.875, 0.995,
        ];
        let others = [
            0.994_999_9,
            1e-40,
            1.000_000_1,
            1.5,
            -0.3,
            f32::NAN,
            f32::INFINITY,
        ];
        for x in edges.into_iter().chain(others) {
            let (ours, theirs) = formatted(x);
            assert_eq!(ours, theirs, "{x:e}");
        }
        // A sweep through every f32 from 0 to 1, a step of 9,973 bits.
        for bits in (0..=1f32.to_bits()).step_by(9_973) {
            let (ours, theirs) = formatted(f32::from_bits(bits));
            assert_eq!(ours, theirs, "{bits:#x}");
        }
    }

    fn plain() -> Checker {
        Checker::new(Glossary::default(), Lang::Indonesian, Lang::English)
    }

    fn link(s: std::ops::Range<usize>, t: std::ops::Range<usize>, score: f32) -> Link {
        Link {
            source: s,
            target: t,
            score,
        }
    }

    #[test]
    fn ids_text_and_findings() {
        let src = ["Satu.", "Dua.", "Tiga kali."];
        let tgt = ["One. Two.", "Tiga kali."];
        let rows = rows(
            4,
            &src,
            &tgt,
            &[link(0..2, 0..1, 0.9), link(2..3, 1..2, 0.8)],
            &plain(),
        );
        assert_eq!(rows[0].id, "4.1");
        assert_eq!(rows[0].source, "Satu. Dua.");
        assert!(!only_names("Tiga kali."));
        assert!(only_names("(Andi Putra/Antara)"));
        assert!(!only_names("Sumber"));
        assert_eq!(rows[0].link, (2, 1));
        assert_eq!(rows[0].status, Status::Ok);
        assert_eq!(
            rows[1].issues[0].to_string(),
            "unchanged: target equals source"
        );
        assert_eq!(rows[1].status, Status::Review);
    }

    #[test]
    fn only_names_translated_differently_are_glossary_anchors() {
        let entry = |source: &str, target: &str| glossary::Entry {
            sources: vec![source.into()],
            targets: vec![target.into()],
            forbidden: Vec::new(),
            note: String::new(),
            case_sensitive: true,
            file: "names.csv".into(),
            line: 2,
        };
        let glossary = Glossary::from_entries(vec![
            entry("Jakarta", "Jakarta"),
            entry("Amerika Serikat", "United States"),
        ])
        .unwrap();
        let checker = Checker::new(glossary, Lang::Indonesian, Lang::English);
        let source = checker.anchors("Dari Jakarta ke Amerika Serikat.", true);
        let target = checker.anchors("From Jakarta to the United States.", false);
        // "Jakarta" is a name anchor already; the translated name is the
        // glossary's own evidence.
        assert_eq!(source.len(), 1);
        assert_eq!(source, target);
    }

    #[test]
    fn one_search_of_the_target_finds_what_two_do() {
        let entry = |sources: &[&str], targets: &[&str], forbidden: &[&str]| glossary::Entry {
            sources: sources.iter().map(|s| s.to_string()).collect(),
            targets: targets.iter().map(|s| s.to_string()).collect(),
            forbidden: forbidden.iter().map(|s| s.to_string()).collect(),
            note: String::new(),
            case_sensitive: true,
            file: "names.csv".into(),
            line: 2,
        };
        let glossary = || {
            Glossary::from_entries(vec![
                entry(&["Tiongkok"], &["China", "Chinese"], &["Tiongkok"]),
                entry(&["Laut Cina Selatan"], &["South China Sea"], &[]),
                entry(&["NATO"], &["NATO"], &[]),
                entry(&["Korea Utara"], &["North Korea"], &["Korea Utara"]),
            ])
            .unwrap()
        };
        // A short text searches the target twice; an archive once.
        let twice = Checker::for_text(glossary(), Lang::Indonesian, Lang::English, 0);
        let once = Checker::for_text(glossary(), Lang::Indonesian, Lang::English, usize::MAX / 2);
        assert!(twice.untranslated_apart && !once.untranslated_apart);
        let pairs = [
            ("Tiongkok dan NATO.", "Tiongkok and NATO."),
            (
                "Kapal Tiongkok di Laut Cina Selatan.",
                "A Chinese ship in the South China Sea.",
            ),
            ("Korea Utara menembak.", "Korea Utara fired, said China."),
            ("Rusia.", "Russia."),
        ];
        let mut found = 0;
        for (source, target) in pairs {
            let expected = twice.findings(source, target, 1.0);
            found += expected.len();
            assert_eq!(once.findings(source, target, 1.0), expected, "{target}");
        }
        assert!(
            found >= 3,
            "the texts hold untranslated and forbidden forms"
        );
        let (source, target): (Vec<&str>, Vec<&str>) = pairs.iter().copied().unzip();
        let links: Vec<Link> = (0..4).map(|k| link(k..k + 1, k..k + 1, 0.9)).collect();
        assert_eq!(
            rows(1, &source, &target, &links, &once),
            rows(1, &source, &target, &links, &twice)
        );
    }

    /// A block's sentences, searched as two streams, get the terms each
    /// finds alone, for any count, one search of the target or two.
    #[test]
    fn a_block_finds_each_sentences_terms() {
        let source = [
            "Presiden Joko Widodo bertemu Vladimir Putin di Moskow.",
            "Korea Utara dan Rusia menandatangani pakta.",
            "Harga minyak naik 2 persen.",
            "",
            "Amerika Serikat menanggapi pernyataan Tiongkok.",
        ];
        let target = [
            "President Joko Widodo met Vladimir Putin in Moscow, Russia.",
            "North Korea and Rusia signed a pact.",
            "Oil rose 2 percent, the U.S. said.",
            "Tiongkok",
            "",
            "The United States answered China's statement.",
        ];
        let mut found = 0;
        for bytes in [0, usize::MAX / 2] {
            let checker = Checker::for_text(
                default_glossary().unwrap(),
                Lang::Indonesian,
                Lang::English,
                bytes,
            );
            for n in 0..=source.len() {
                for m in 0..=target.len() {
                    let terms = checker.block_terms(&source[..n], &target[..m]);
                    for (k, s) in source[..n].iter().enumerate() {
                        let alone = checker.sources.find(s, Side::Source);
                        found += alone.len();
                        assert_eq!(terms.source.of(k), alone, "{s}");
                    }
                    for (k, t) in target[..m].iter().enumerate() {
                        let [accepted, untranslated, forbidden] = checker.target_terms(t);
                        found += accepted.len() + untranslated.len();
                        assert_eq!(terms.target.of(k), accepted, "{t}");
                        assert_eq!(terms.misplaced[0].of(k), untranslated, "{t}");
                        assert_eq!(terms.misplaced[1].of(k), forbidden, "{t}");
                    }
                }
            }
        }
        assert!(found > 200, "{found}");
    }

    #[test]
    fn null_and_weak_links_need_review() {
        let rows = rows(1, &["Satu."], &[], &[link(0..1, 0..0, 0.2)], &plain());
        let codes: Vec<_> = rows[0].issues.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["empty-target", "low-confidence"]);
        assert_eq!(rows[0].status, Status::Review);
    }
}
