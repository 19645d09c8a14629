//! Finding glossary terms in text (SPEC §5).
//!
//! One Aho-Corasick automaton per side and case mode holds every form of
//! every entry, and a side's two automata walk a text together (a block's
//! texts two at a time), so a glossary of ten thousand names costs one
//! pass over the text. A form
//! matches only where no letter or digit touches it, except that an
//! Indonesian form may carry a hyphenated prefix (`pro-Rusia`) or a clitic
//! (`Rusianya`); an English possessive (`China's`, `China’s`) needs
//! nothing, since an apostrophe is no letter. The longest match wins and
//! hides the shorter terms inside it ("Gedung Capitol AS" hides "AS").

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::contiguous;
use aho_corasick::{Anchored, MatchKind};

use super::dfa::{self, Dfa};
use super::glossary::Entry;

const CLITICS: &[&str] = &["nya", "lah", "kah", "pun", "ku", "mu"];

/// Which side's word-boundary rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Indonesian: hyphenated prefixes and clitics allowed.
    Source,
    /// English.
    Target,
}

/// A found term: the entry it belongs to and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub entry: usize,
    pub start: usize,
    /// The end of the match, suffix (clitic, possessive) included.
    pub end: usize,
    /// The end of the glossary form itself.
    pub form_end: usize,
}

/// Every form of one or more sets of terms, ready to be found in text.
pub struct Finder {
    sensitive: Option<CaseForms>,
    insensitive: Option<CaseForms>,
}

/// The forms of one case mode, and the entry and set of each.
struct CaseForms {
    kind: Kind,
    owners: Vec<(usize, usize)>,
}

/// A quick-to-build automaton for short texts, a fast one for long texts.
enum Kind {
    Nfa(contiguous::NFA),
    Dfa(Dfa),
}

/// The forms of an entry that make one set.
pub type Forms = fn(&Entry) -> &[String];

impl Finder {
    /// Builds a finder over the forms `forms(entry)` of every entry.
    pub fn new(entries: &[Entry], forms: Forms) -> Finder {
        Finder::for_text(entries, &[forms], 0)
    }

    /// A finder over several sets of forms (`sets[k](entry)` for set `k`),
    /// for searching about `bytes` of text in all. One pass over a text
    /// finds every set's terms; a large text beside the glossary gets the
    /// automaton that searches fastest, whatever it costs to build.
    pub fn for_text(entries: &[Entry], sets: &[Forms], bytes: usize) -> Finder {
        let mut sensitive = (Vec::new(), Vec::new());
        let mut insensitive = (Vec::new(), Vec::new());
        for (set, forms) in sets.iter().enumerate() {
            for (k, entry) in entries.iter().enumerate() {
                let bucket = if entry.case_sensitive {
                    &mut sensitive
                } else {
                    &mut insensitive
                };
                for form in forms(entry) {
                    bucket.0.push(form.as_str());
                    bucket.1.push((k, set));
                }
            }
        }
        let build = |(patterns, owners): (Vec<&str>, Vec<(usize, usize)>), fold: bool| {
            if patterns.is_empty() {
                return None;
            }
            // A contiguous NFA is quick to build and to search. A DFA
            // searches about twice as fast but takes longer to build and
            // more memory: it pays only when there is far more text than
            // forms.
            let dfa = (bytes >= DFA_BYTES_PER_FORM * patterns.len())
                .then(|| Dfa::new(&patterns, fold))
                .flatten();
            let kind = match dfa {
                Some(dfa) => Kind::Dfa(dfa),
                None => Kind::Nfa(
                    contiguous::Builder::new()
                        .match_kind(MatchKind::Standard)
                        .ascii_case_insensitive(fold)
                        .prefilter(false)
                        .build(&patterns)
                        .expect("glossary terms build an automaton"),
                ),
            };
            Some(CaseForms { kind, owners })
        };
        Finder {
            sensitive: build(sensitive, false),
            insensitive: build(insensitive, true),
        }
    }

    /// The terms of the first set in `text`, left to right, the longest
    /// where they overlap.
    pub fn find(&self, text: &str, side: Side) -> Vec<Found> {
        let [found] = self.find_sets(text, side);
        found
    }

    /// [`find`](Self::find) for each of the first `N` sets: each set's
    /// terms are chosen among its own, as if it were searched alone.
    pub fn find_sets<const N: usize>(&self, text: &str, side: Side) -> [Vec<Found>; N] {
        let mut found = std::array::from_fn(|_| Vec::new());
        self.find_sets_into(text, side, &mut found);
        found
    }

    /// [`find_sets`](Self::find_sets), each set's terms added to the end of
    /// its list in `out`: a block's sentences fill one list a set, with no
    /// list of their own to make and free.
    pub fn find_sets_into<const N: usize>(
        &self,
        text: &str,
        side: Side,
        out: &mut [Vec<Found>; N],
    ) {
        let ends: [usize; N] = std::array::from_fn(|k| out[k].len());
        // Few sentences name a case-insensitive entry: these lists are
        // mostly never allocated.
        let mut folded: [Vec<Found>; N] = std::array::from_fn(|_| Vec::new());
        let sensitive = self.sensitive.as_ref().map(|a| (a, &mut *out));
        let insensitive = self.insensitive.as_ref().map(|a| (a, &mut folded));
        let search = Search { text, side };
        use Kind::{Dfa, Nfa};
        match (sensitive, insensitive) {
            (Some((a, x)), Some((b, y))) => match (&a.kind, &b.kind) {
                (Dfa(p), Dfa(q)) => search.two((p, &a.owners, x), (q, &b.owners, y)),
                (Nfa(p), Nfa(q)) => search.two((p, &a.owners, x), (q, &b.owners, y)),
                (Dfa(p), Nfa(q)) => search.two((p, &a.owners, x), (q, &b.owners, y)),
                (Nfa(p), Dfa(q)) => search.two((p, &a.owners, x), (q, &b.owners, y)),
            },
            (Some((a, found)), None) | (None, Some((a, found))) => match &a.kind {
                Dfa(p) => search.one(p, &a.owners, found),
                Nfa(p) => search.one(p, &a.owners, found),
            },
            (None, None) => {}
        }
        // The case-sensitive forms' matches first, as if the automata had
        // searched one after the other.
        for ((list, folded), end) in out.iter_mut().zip(&mut folded).zip(ends) {
            list.append(folded);
            longest(list, end);
        }
    }

    /// [`find_sets_into`](Self::find_sets_into) for two texts, the first's
    /// terms added to `out[0]`, the second's to `out[1]`. A DFA's step
    /// waits for the one before it, and a search of one text by two DFAs
    /// keeps only two steps under way: two texts searched side by side keep
    /// twice as many.
    pub fn find_pair_into<const N: usize>(
        &self,
        texts: [&str; 2],
        side: Side,
        mut out: [&mut [Vec<Found>; N]; 2],
    ) {
        use Kind::Dfa;
        let ends = out
            .each_ref()
            .map(|o| -> [usize; N] { std::array::from_fn(|k| o[k].len()) });
        let mut folded: [[Vec<Found>; N]; 2] =
            std::array::from_fn(|_| std::array::from_fn(|_| Vec::new()));
        let searches = texts.map(|text| Search { text, side });
        let bytes = texts.map(str::as_bytes);
        match (&self.sensitive, &self.insensitive) {
            (Some(a), Some(b)) => match (&a.kind, &b.kind) {
                (Dfa(p), Dfa(q)) => {
                    side_by_side(bytes, (p.begin(), q.begin()), |k, (s, t), byte, end| {
                        let (s, t) = (p.step(s, byte), q.step(t, byte));
                        if p.matching(s) {
                            searches[k].take(p, &a.owners, s, end, out[k]);
                        }
                        if q.matching(t) {
                            searches[k].take(q, &b.owners, t, end, &mut folded[k]);
                        }
                        (s, t)
                    })
                }
                _ => return self.find_each_into(texts, side, out),
            },
            // Into the case-sensitive lists: they take no other matches.
            (Some(a), None) | (None, Some(a)) => match &a.kind {
                Dfa(p) => side_by_side(bytes, p.begin(), |k, s, byte, end| {
                    let s = p.step(s, byte);
                    if p.matching(s) {
                        searches[k].take(p, &a.owners, s, end, out[k]);
                    }
                    s
                }),
                _ => return self.find_each_into(texts, side, out),
            },
            (None, None) => return,
        }
        // As in `find_sets_into`: the case-sensitive forms' matches first.
        for ((out, folded), ends) in out.into_iter().zip(&mut folded).zip(ends) {
            for ((list, folded), end) in out.iter_mut().zip(folded).zip(ends) {
                list.append(folded);
                longest(list, end);
            }
        }
    }

    /// One text after the other, for automata that gain nothing side by
    /// side (a short text's NFAs).
    fn find_each_into<const N: usize>(
        &self,
        texts: [&str; 2],
        side: Side,
        [first, second]: [&mut [Vec<Found>; N]; 2],
    ) {
        self.find_sets_into(texts[0], side, first);
        self.find_sets_into(texts[1], side, second);
    }
}

/// Walks two texts side by side: their common length together, then the
/// rest of the longer one. `step(k, state, byte, end)` moves text `k`'s
/// walk from `state` over its byte that ends at `end`.
fn side_by_side<S: Copy>(
    texts: [&[u8]; 2],
    start: S,
    mut step: impl FnMut(usize, S, u8, usize) -> S,
) {
    let [x, y] = texts;
    let (mut s0, mut s1) = (start, start);
    let both = x.len().min(y.len());
    for at in 0..both {
        s0 = step(0, s0, x[at], at + 1);
        s1 = step(1, s1, y[at], at + 1);
    }
    let (k, rest, mut state) = if x.len() > both {
        (0, x, s0)
    } else {
        (1, y, s1)
    };
    for (at, &byte) in rest.iter().enumerate().skip(both) {
        state = step(k, state, byte, at + 1);
    }
}

/// One automaton's part in a search: the automaton, the entry and set of
/// each of its patterns, and where each set's matches go.
type Part<'a, A, const N: usize> = (&'a A, &'a [(usize, usize)], &'a mut [Vec<Found>; N]);

/// What a search asks of an automaton: a state a byte, and the patterns
/// (index and length) that end at a match state.
trait Walk {
    type State: Copy;
    fn begin(&self) -> Self::State;
    fn step(&self, state: Self::State, byte: u8) -> Self::State;
    fn matching(&self, state: Self::State) -> bool;
    fn each_match(&self, state: Self::State, f: impl FnMut(usize, usize));
}

impl Walk for contiguous::NFA {
    type State = StateID;

    fn begin(&self) -> StateID {
        self.start_state(Anchored::No).expect("unanchored")
    }

    #[inline]
    fn step(&self, state: StateID, byte: u8) -> StateID {
        self.next_state(Anchored::No, state, byte)
    }

    #[inline]
    fn matching(&self, state: StateID) -> bool {
        self.is_special(state) && self.is_match(state)
    }

    fn each_match(&self, state: StateID, mut f: impl FnMut(usize, usize)) {
        for k in 0..self.match_len(state) {
            let pattern = self.match_pattern(state, k);
            f(pattern.as_usize(), self.pattern_len(pattern));
        }
    }
}

impl Walk for Dfa {
    type State = dfa::State;

    fn begin(&self) -> dfa::State {
        self.start()
    }

    #[inline]
    fn step(&self, state: dfa::State, byte: u8) -> dfa::State {
        self.next(state, byte)
    }

    #[inline]
    fn matching(&self, state: dfa::State) -> bool {
        self.is_match(state)
    }

    fn each_match(&self, state: dfa::State, mut f: impl FnMut(usize, usize)) {
        for (pattern, len) in self.matches(state) {
            f(pattern, len);
        }
    }
}

/// A search of one text for every match of some automata, overlapping ones
/// included, in the order they end.
struct Search<'t> {
    text: &'t str,
    side: Side,
}

impl Search<'_> {
    fn one<A: Walk, const N: usize>(
        &self,
        automaton: &A,
        owners: &[(usize, usize)],
        found: &mut [Vec<Found>; N],
    ) {
        let mut state = automaton.begin();
        for (at, &byte) in self.text.as_bytes().iter().enumerate() {
            state = automaton.step(state, byte);
            if automaton.matching(state) {
                self.take(automaton, owners, state, at + 1, found);
            }
        }
    }

    /// [`one`](Self::one) for two automata in one pass: each step of one
    /// waits for the step before it, and the other's step fills that wait.
    fn two<A: Walk, B: Walk, const N: usize>(
        &self,
        (a, a_owners, a_found): Part<A, N>,
        (b, b_owners, b_found): Part<B, N>,
    ) {
        let (mut s, mut t) = (a.begin(), b.begin());
        for (at, &byte) in self.text.as_bytes().iter().enumerate() {
            s = a.step(s, byte);
            t = b.step(t, byte);
            if a.matching(s) {
                self.take(a, a_owners, s, at + 1, a_found);
            }
            if b.matching(t) {
                self.take(b, b_owners, t, at + 1, b_found);
            }
        }
    }

    /// Keeps every form of the first `N` sets that ends at `end` in the
    /// match state `state` and stands on its own.
    fn take<A: Walk, const N: usize>(
        &self,
        automaton: &A,
        owners: &[(usize, usize)],
        state: A::State,
        end: usize,
        found: &mut [Vec<Found>; N],
    ) {
        automaton.each_match(state, |pattern, len| {
            let (entry, set) = owners[pattern];
            if set >= N {
                return;
            }
            let start = end - len;
            if let Some(with_suffix) = bounded(self.text, start, end, self.side) {
                found[set].push(Found {
                    entry,
                    start,
                    end: with_suffix,
                    form_end: end,
                });
            }
        });
    }
}

/// Leftmost first, then longest; then drops whatever overlaps a kept one,
/// except the same span found for another entry. Works on `list[from..]`,
/// in place.
fn longest(list: &mut Vec<Found>, from: usize) {
    let all = &mut list[from..];
    if all.len() < 2 {
        return;
    }
    all.sort_by(|a, b| a.start.cmp(&b.start).then(b.form_end.cmp(&a.form_end)));
    // `list[from..kept]` are kept: each found term moves down to the next
    // free place if it is kept.
    let mut kept = from;
    for k in from..list.len() {
        let f = list[k];
        let fits = match list[from..kept].last() {
            None => true,
            Some(last) => {
                f.start >= last.end || (f.start == last.start && f.form_end == last.form_end)
            }
        };
        if fits && !list[from..kept].contains(&f) {
            list[kept] = f;
            kept += 1;
        }
    }
    list.truncate(kept);
}

/// How many bytes of text to search per glossary form before a finder's
/// automaton is a DFA: three to five times where it breaks even. The target
/// side's forms of the project's glossary (some 3,000) build as a DFA in
/// 3.1-4.3 ms and as a contiguous NFA in 2.6-3.4 ms, and the DFA searches
/// about 8 ns a byte faster; so the project's glossary, some 1,300 source
/// forms, turns at about 130 KB: a long article, not a short one.
const DFA_BYTES_PER_FORM: usize = 100;

/// Whether the form at `start..end` stands on its own in `text`, and where
/// the match ends once an allowed suffix is taken in.
fn bounded(text: &str, start: usize, end: usize, side: Side) -> Option<usize> {
    // Only a letter or digit at the form's own edge needs a boundary: "$"
    // stands right before "2 million", "(AP)" needs nothing around it.
    let form = &text[start..end];
    let edge = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let (open_start, open_end) = (!edge(form.chars().next()), !edge(form.chars().next_back()));
    let before = if open_start {
        None
    } else {
        text[..start].chars().next_back()
    };
    let joined_before = before.is_some_and(char::is_alphanumeric);
    let hyphen_prefix = side == Side::Source
        && before == Some('-')
        && text[..start - 1]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic);
    if joined_before && !hyphen_prefix {
        return None;
    }
    let stands_alone = |at: usize| !text[at..].chars().next().is_some_and(char::is_alphanumeric);
    if open_end || stands_alone(end) {
        return Some(end);
    }
    if side == Side::Target {
        return None;
    }
    CLITICS
        .iter()
        .filter(|s| text[end..].starts_with(*s))
        .map(|s| end + s.len())
        .find(|&at| stands_alone(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(sources: &[&str], targets: &[&str], sensitive: bool) -> Entry {
        Entry {
            sources: sources.iter().map(|s| s.to_string()).collect(),
            targets: targets.iter().map(|s| s.to_string()).collect(),
            forbidden: Vec::new(),
            note: String::new(),
            case_sensitive: sensitive,
            file: "t.csv".into(),
            line: 1,
        }
    }

    fn found(entries: &[Entry], side: Side, text: &str) -> Vec<(usize, String)> {
        let finder = match side {
            Side::Source => Finder::new(entries, |e| &e.sources),
            Side::Target => Finder::new(entries, |e| &e.targets),
        };
        finder
            .find(text, side)
            .into_iter()
            .map(|f| (f.entry, text[f.start..f.end].to_string()))
            .collect()
    }

    /// A country, its abbreviation, and a longer name holding the
    /// abbreviation.
    fn names() -> [Entry; 3] {
        [
            entry(&["Rusia"], &["Russia", "Russian"], true),
            entry(&["AS", "Amerika Serikat"], &["U.S.", "United States"], true),
            entry(&["Gedung Capitol AS"], &["U.S. Capitol"], true),
        ]
    }

    #[test]
    fn boundaries_clitics_and_prefixes() {
        let g = names();
        let f = |t| found(&g, Side::Source, t);
        assert_eq!(f("Rusia menyerang"), [(0, "Rusia".into())]);
        assert_eq!(f("Rusianya kalah"), [(0, "Rusianya".into())]);
        assert_eq!(f("kelompok pro-Rusia"), [(0, "Rusia".into())]);
        assert!(f("Rusiawan").is_empty());
        assert!(f("ProRusia").is_empty());
        // Case-sensitive: "AS" is not "as", nor inside "ASEAN".
        assert!(f("sebagai as ASEAN").is_empty());
        assert_eq!(f("kesiapan AS."), [(1, "AS".into())]);
        // The longest wins and hides the shorter inside it.
        assert_eq!(
            f("serangan ke Gedung Capitol AS pada"),
            [(2, "Gedung Capitol AS".into())]
        );
        assert_eq!(f("Amerika Serikat"), [(1, "Amerika Serikat".into())]);
    }

    #[test]
    fn possessives_on_the_english_side() {
        let g = [entry(&["Tiongkok"], &["China", "Chinese"], true)];
        let f = |t| found(&g, Side::Target, t);
        assert_eq!(f("China's army"), [(0, "China".into())]);
        assert_eq!(f("China’s army"), [(0, "China".into())]);
        assert_eq!(f("the Chinese’ view"), [(0, "Chinese".into())]);
        assert!(f("Chinatown").is_empty());
        // Clitics are Indonesian only.
        assert!(f("Chinanya").is_empty());
    }

    #[test]
    fn symbols_need_no_boundary() {
        let g = [entry(&["dolar AS"], &["U.S. dollar", "$"], true)];
        assert_eq!(
            found(&g, Side::Target, "aid worth $2 million"),
            [(0, "$".into())]
        );
        assert_eq!(found(&g, Side::Target, "worth US$2"), [(0, "$".into())]);
    }

    #[test]
    fn both_automata_find_the_same() {
        let mut g = names().to_vec();
        g.push(entry(&["webinar"], &["webinar"], false));
        let nfa = Finder::new(&g, |e| &e.sources);
        let dfa = Finder::for_text(&g, &[|e| &e.sources], usize::MAX / 2);
        for text in [
            "kelompok pro-Rusianya menyerang Gedung Capitol AS, kata Webinar",
            "sebagai as ASEAN di Amerika Serikat.",
        ] {
            let found = nfa.find(text, Side::Source);
            assert!(!found.is_empty());
            assert_eq!(found, dfa.find(text, Side::Source), "{text}");
        }
    }

    /// Two texts searched side by side find what each finds alone, with
    /// DFAs and NFAs, one case mode or both, texts of any two lengths.
    #[test]
    fn a_pair_of_texts_finds_what_each_finds_alone() {
        let mut rng = fastrand::Rng::with_seed(11);
        let words = [
            "AS", "as", "Amerika", "Serikat", "Rusia", "nya", "pro-", "Bank", "bank", "Dunia", "$",
            "2", "é", "Sérvia", " ", " ", " ", ", ", ". ", "’s",
        ];
        let text = |rng: &mut fastrand::Rng| -> String {
            (0..rng.usize(0..30))
                .map(|_| words[rng.usize(..words.len())])
                .collect()
        };
        let glossaries: [Vec<Entry>; 3] = [
            vec![
                entry(&["AS", "Amerika Serikat"], &["Bank Dunia"], true),
                entry(&["Rusia", "$"], &["AS"], true),
            ],
            vec![entry(&["bank", "Dunia", "as"], &["bank dunia", "é"], false)],
            vec![
                entry(&["AS", "Amerika Serikat", "Sérvia"], &["Bank Dunia"], true),
                entry(&["bank", "as"], &["bank dunia"], false),
                entry(&["Bank Dunia"], &["as"], true),
            ],
        ];
        let mut found = 0;
        for g in &glossaries {
            for bytes in [0, usize::MAX / 2] {
                for side in [Side::Source, Side::Target] {
                    let sets: [Forms; 2] = [|e| &e.sources, |e| &e.targets];
                    let finder = Finder::for_text(g, &sets, bytes);
                    for _ in 0..200 {
                        let texts = [text(&mut rng), text(&mut rng)];
                        let alone = texts.clone().map(|t| finder.find_sets::<2>(&t, side));
                        // Lists that hold a term already keep it first.
                        let before = Found {
                            entry: 9,
                            start: 0,
                            end: 1,
                            form_end: 1,
                        };
                        let mut pair = [[vec![before], vec![]], [vec![], vec![before]]];
                        let [p0, p1] = &mut pair;
                        finder.find_pair_into([&texts[0], &texts[1]], side, [p0, p1]);
                        for k in 0..2 {
                            found += alone[k][0].len() + alone[k][1].len();
                            let with_before = |set: usize| {
                                let first = (k == set).then_some(before);
                                first
                                    .into_iter()
                                    .chain(alone[k][set].clone())
                                    .collect::<Vec<_>>()
                            };
                            assert_eq!(pair[k], [with_before(0), with_before(1)], "{texts:?}");
                        }
                    }
                }
            }
        }
        assert!(found > 3_000, "{found}");
    }

    #[test]
    fn both_case_modes_in_one_pass() {
        // A case-insensitive name around a case-sensitive one, and the
        // other way round: the longest wins whichever automaton found it.
        let g = [
            entry(&["AS"], &["U.S."], true),
            entry(&["dolar as"], &["dollar"], false),
            entry(&["Bank Dunia"], &["World Bank"], true),
            entry(&["bank"], &["bank"], false),
        ];
        let f = |t| found(&g, Side::Source, t);
        assert_eq!(
            f("AS dan Dolar AS, BANK dan Bank Dunia"),
            [
                (0, "AS".into()),
                (1, "Dolar AS".into()),
                (3, "BANK".into()),
                (2, "Bank Dunia".into()),
            ]
        );
    }

    #[test]
    fn case_insensitive_entries() {
        let g = [entry(&["webinar"], &["webinar"], false)];
        assert_eq!(
            found(&g, Side::Source, "Webinar itu"),
            [(0, "Webinar".into())]
        );
        assert_eq!(
            found(&g, Side::Target, "a WEBINAR on"),
            [(0, "WEBINAR".into())]
        );
    }
}
