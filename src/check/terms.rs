//! Finding glossary terms in text (SPEC §5).
//!
//! One Aho-Corasick automaton per side and case mode holds every form of
//! every entry, and a side's two automata walk a text together (a block's
//! texts as two streams side by side), so a glossary of ten thousand names
//! costs one pass over the text. A form
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
        settle(out, &mut folded, ends);
    }

    /// [`find_sets_into`](Self::find_sets_into) for each of `texts` in
    /// turn: each text's terms follow the text before's in `out`, and
    /// `starts[k]` gets where each text's terms start in `out[k]`.
    ///
    /// A DFA's step waits for the one before it, so a walk of one text by
    /// two DFAs keeps only two steps under way. The texts are walked as two
    /// streams side by side instead, the first half of their bytes and the
    /// second, each going on to its next text where one ends: four steps
    /// under way from the first byte to nearly the last, whatever the
    /// texts' lengths.
    pub fn find_block_into<const N: usize>(
        &self,
        texts: &[&str],
        side: Side,
        out: &mut [Vec<Found>; N],
        starts: &mut [Vec<usize>; N],
    ) {
        use Kind::Dfa;
        if texts.len() >= 2 {
            match (&self.sensitive, &self.insensitive) {
                (Some(a), Some(b)) => {
                    if let (Dfa(p), Dfa(q)) = (&a.kind, &b.kind) {
                        return in_streams(texts, side, out, starts, |both| {
                            walk(
                                both,
                                (p.begin(), q.begin()),
                                |(s, t), byte| (p.step(s, byte), q.step(t, byte)),
                                |(s, t)| p.matching(s) | q.matching(t),
                                |stream, (s, t), end| {
                                    if p.matching(s) {
                                        stream.search.take(p, &a.owners, s, end, stream.out);
                                    }
                                    if q.matching(t) {
                                        let folded = &mut stream.folded;
                                        stream.search.take(q, &b.owners, t, end, folded);
                                    }
                                },
                            )
                        });
                    }
                }
                // Into the case-sensitive lists: they take no other matches.
                (Some(a), None) | (None, Some(a)) => {
                    if let Dfa(p) = &a.kind {
                        return in_streams(texts, side, out, starts, |both| {
                            walk(
                                both,
                                p.begin(),
                                |s, byte| p.step(s, byte),
                                |s| p.matching(s),
                                |stream, s, end| {
                                    stream.search.take(p, &a.owners, s, end, stream.out)
                                },
                            )
                        });
                    }
                }
                (None, None) => {}
            }
        }
        // One text after the other: a short text's NFAs gain nothing side
        // by side.
        for text in texts {
            for (starts, out) in starts.iter_mut().zip(out.iter()) {
                starts.push(out.len());
            }
            self.find_sets_into(text, side, out);
        }
    }
}

/// Splits `texts` into two streams where half their bytes are behind,
/// lets `walk` walk them, and adds the second stream's terms after the
/// first's.
fn in_streams<const N: usize>(
    texts: &[&str],
    side: Side,
    out: &mut [Vec<Found>; N],
    starts: &mut [Vec<usize>; N],
    walk: impl FnOnce(&mut [Stream<'_, '_, N>; 2]),
) {
    // The second stream starts with the text that takes the first past
    // half the bytes, and has one text at least.
    let total: usize = texts.iter().map(|t| t.len()).sum();
    let mut behind = 0;
    let half = texts
        .iter()
        .position(|t| {
            behind += t.len();
            2 * behind >= total
        })
        .map_or(texts.len(), |k| k + 1)
        .min(texts.len() - 1);
    let mut second: [Vec<Found>; N] = std::array::from_fn(|_| Vec::new());
    let mut second_starts: [Vec<usize>; N] = std::array::from_fn(|_| Vec::new());
    walk(&mut [
        Stream::new(&texts[..half], side, out, starts),
        Stream::new(&texts[half..], side, &mut second, &mut second_starts),
    ]);
    for k in 0..N {
        let moved = out[k].len();
        starts[k].extend(second_starts[k].iter().map(|&s| s + moved));
        out[k].append(&mut second[k]);
    }
}

/// One of the two streams of texts that [`Finder::find_block_into`] walks
/// side by side, and where its terms go.
struct Stream<'a, 't, const N: usize> {
    texts: &'a [&'t str],
    /// The next text to open.
    next: usize,
    /// The open text, and how far the walk is into it.
    search: Search<'t>,
    at: usize,
    out: &'a mut [Vec<Found>; N],
    /// The case-insensitive forms' matches of the open text, which go
    /// after the case-sensitive ones' when it closes.
    folded: [Vec<Found>; N],
    starts: &'a mut [Vec<usize>; N],
}

impl<'a, 't, const N: usize> Stream<'a, 't, N> {
    fn new(
        texts: &'a [&'t str],
        side: Side,
        out: &'a mut [Vec<Found>; N],
        starts: &'a mut [Vec<usize>; N],
    ) -> Self {
        let mut stream = Stream {
            texts,
            next: 0,
            search: Search { text: "", side },
            at: 0,
            out,
            folded: std::array::from_fn(|_| Vec::new()),
            starts,
        };
        stream.open();
        stream
    }

    /// Whether every text has been walked.
    fn done(&self) -> bool {
        self.next > self.texts.len()
    }

    /// The bytes of the open text not walked yet.
    fn rest(&self) -> &'t [u8] {
        &self.search.text.as_bytes()[self.at..]
    }

    /// Opens the next text, if any: its terms start here.
    fn open(&mut self) {
        if let Some(&text) = self.texts.get(self.next) {
            self.search.text = text;
            self.at = 0;
            for (starts, out) in self.starts.iter_mut().zip(self.out.iter()) {
                starts.push(out.len());
            }
        }
        self.next += 1;
    }

    /// Closes the open text, choosing among its terms as
    /// [`Finder::find_sets_into`] does, and opens the next.
    fn close(&mut self) {
        let ends = self
            .starts
            .each_ref()
            .map(|starts| starts[starts.len() - 1]);
        settle(self.out, &mut self.folded, ends);
        self.open();
    }
}

/// Walks two streams of texts side by side, each text from `start`:
/// `step` moves a walk over a byte, and where a state is `matching`,
/// `take(stream, state, end)` takes the matches that end at byte `end` of
/// the stream's open text. The steps run out of line, in [`to_match`].
fn walk<S: Copy, const N: usize>(
    streams: &mut [Stream<'_, '_, N>; 2],
    start: S,
    step: impl Fn(S, u8) -> S,
    matching: impl Fn(S) -> bool,
    mut take: impl FnMut(&mut Stream<'_, '_, N>, S, usize),
) {
    let [x, y] = streams;
    let (mut s0, mut s1) = (start, start);
    // Both together, as far as the shorter rest of their open texts; then
    // whichever ended goes on to its next text.
    while !x.done() && !y.done() {
        let (a, b) = (x.rest(), y.rest());
        let both = a.len().min(b.len());
        let (a, b) = (&a[..both], &b[..both]);
        let mut k = 0;
        while k < both {
            (k, [s0, s1]) = to_match([a, b], k, [s0, s1], &step, &matching);
            if matching(s0) {
                take(x, s0, x.at + k);
            }
            if matching(s1) {
                take(y, s1, y.at + k);
            }
        }
        x.at += both;
        y.at += both;
        if x.rest().is_empty() {
            x.close();
            s0 = start;
        }
        if y.rest().is_empty() {
            y.close();
            s1 = start;
        }
    }
    // The rest of the other stream alone.
    for (stream, mut state) in [(x, s0), (y, s1)] {
        while !stream.done() {
            let rest = stream.rest();
            let mut k = 0;
            while k < rest.len() {
                (k, state) = to_match_alone(rest, k, state, &step, &matching);
                if matching(state) {
                    take(stream, state, stream.at + k);
                }
            }
            stream.at += rest.len();
            stream.close();
            state = start;
        }
    }
}

/// Steps two walks over their texts (of one length) from byte `k`, up to
/// and including the first byte where either matches, or to the end;
/// returns where they stopped and their states. Out of line, so that no
/// call in the caller's loop takes the registers the states need: each
/// step waits for the one before it, and a state kept in memory would add
/// a store and a load to that wait.
#[inline(never)]
fn to_match<S: Copy>(
    [a, b]: [&[u8]; 2],
    k: usize,
    [mut s, mut t]: [S; 2],
    step: &impl Fn(S, u8) -> S,
    matching: &impl Fn(S) -> bool,
) -> (usize, [S; 2]) {
    for (i, (&x, &y)) in a[k..].iter().zip(&b[k..]).enumerate() {
        s = step(s, x);
        t = step(t, y);
        if matching(s) | matching(t) {
            return (k + i + 1, [s, t]);
        }
    }
    (a.len().min(b.len()), [s, t])
}

/// [`to_match`] for one walk.
#[inline(never)]
fn to_match_alone<S: Copy>(
    text: &[u8],
    k: usize,
    mut s: S,
    step: &impl Fn(S, u8) -> S,
    matching: &impl Fn(S) -> bool,
) -> (usize, S) {
    for (i, &x) in text[k..].iter().enumerate() {
        s = step(s, x);
        if matching(s) {
            return (k + i + 1, s);
        }
    }
    (text.len(), s)
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

/// Chooses among one text's terms, which start in each set's list at
/// `ends`: the case-sensitive forms' matches first, as if the automata had
/// searched one after the other, then the [`longest`].
fn settle<const N: usize>(
    out: &mut [Vec<Found>; N],
    folded: &mut [Vec<Found>; N],
    ends: [usize; N],
) {
    for ((list, folded), end) in out.iter_mut().zip(folded).zip(ends) {
        list.append(folded);
        longest(list, end);
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

    /// A block of texts, searched as two streams side by side, finds what
    /// each text finds alone, with DFAs and NFAs, one case mode or both,
    /// any count of texts of any lengths, into lists that hold terms
    /// already.
    #[test]
    fn a_block_of_texts_finds_what_each_finds_alone() {
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
        // A term found before the block stays first.
        let before = Found {
            entry: 9,
            start: 0,
            end: 1,
            form_end: 1,
        };
        let mut found = 0;
        for g in &glossaries {
            for bytes in [0, usize::MAX / 2] {
                for side in [Side::Source, Side::Target] {
                    let sets: [Forms; 2] = [|e| &e.sources, |e| &e.targets];
                    let finder = Finder::for_text(g, &sets, bytes);
                    for _ in 0..100 {
                        let texts: Vec<String> =
                            (0..rng.usize(0..7)).map(|_| text(&mut rng)).collect();
                        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                        let mut block = [vec![before], vec![]];
                        let mut starts = [vec![], vec![]];
                        finder.find_block_into(&texts, side, &mut block, &mut starts);
                        for set in 0..2 {
                            assert_eq!(starts[set].len(), texts.len(), "{texts:?}");
                            let mut expected: Vec<Found> =
                                (set == 0).then_some(before).into_iter().collect();
                            for (k, t) in texts.iter().enumerate() {
                                assert_eq!(starts[set][k], expected.len(), "{texts:?}");
                                let alone = finder.find_sets::<2>(t, side);
                                found += alone[set].len();
                                expected.extend(alone[set].iter().copied());
                            }
                            assert_eq!(block[set], expected, "{texts:?}");
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
