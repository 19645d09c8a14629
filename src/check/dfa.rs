//! The glossary's DFA for long texts: every form of a set, found where it
//! ends, overlapping matches included (Aho-Corasick's standard semantics).
//!
//! aho-corasick's own DFA fills each missing transition by walking failure
//! links through its sparse NFA, about fifty instructions a transition: 223
//! million for the project's glossary's four automata. Here each state's
//! row starts as a copy of its failure state's row, which breadth-first
//! order has already finished, so a transition costs about one copied word
//! (28 million for the same four). Bytes no form uses share one class, and match states
//! come first, so that a search tests one number a byte for a match.

/// A state of a [`Dfa`]: only the DFA makes them, so each is the start of
/// one of its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State(u32);

/// A DFA over a list of forms, matched exactly or, with `fold`, with ASCII
/// letters in either case.
pub struct Dfa {
    /// `trans[state + class]` is the next state. States are numbered by
    /// their row's first index, so that a step is one load and one add;
    /// every entry is such an index, and every class is below `stride`.
    trans: Vec<u32>,
    classes: [u8; 256],
    /// The number of classes: the length of a row.
    stride: u32,
    start: u32,
    /// States below this one are match states.
    match_limit: u32,
    /// The forms each match state ends: `forms[ends[k]..ends[k + 1]]`
    /// for the `k`th match state, its own forms first, then its failure
    /// state's, in the order given.
    ends: Vec<u32>,
    forms: Vec<u32>,
    lens: Vec<u32>,
}

impl Dfa {
    /// Builds the DFA of `forms`, or `None` for an empty form or a table
    /// too large to number with 32 bits.
    pub fn new(forms: &[&str], fold: bool) -> Option<Dfa> {
        if forms.iter().any(|f| f.is_empty()) {
            return None;
        }
        let folded = |b: u8| if fold { b.to_ascii_lowercase() } else { b };
        // Each byte that some form uses is a class of its own; every other
        // byte is class 0.
        let mut classes = [0u8; 256];
        let mut used = [false; 256];
        for form in forms {
            for &b in form.as_bytes() {
                used[folded(b) as usize] = true;
            }
        }
        let mut stride = 1usize;
        for b in 0..256 {
            if used[b] {
                classes[b] = u8::try_from(stride).ok()?;
                stride += 1;
            }
        }
        if fold {
            for b in b'A'..=b'Z' {
                classes[b as usize] = classes[b.to_ascii_lowercase() as usize];
            }
        }

        // The trie, with each state's children sorted by class.
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut own: Vec<Vec<u32>> = vec![Vec::new()];
        for (k, form) in forms.iter().enumerate() {
            let mut s = 0usize;
            for &b in form.as_bytes() {
                let c = classes[b as usize];
                s = match children[s].binary_search_by_key(&c, |&(c, _)| c) {
                    Ok(i) => children[s][i].1 as usize,
                    Err(i) => {
                        let t = children.len();
                        children[s].insert(i, (c, u32::try_from(t).ok()?));
                        children.push(Vec::new());
                        own.push(Vec::new());
                        t
                    }
                };
            }
            own[s].push(u32::try_from(k).ok()?);
        }
        let states = children.len();
        if states.checked_mul(stride)? > u32::MAX as usize {
            return None;
        }
        let child = |s: usize, c: u8| {
            let kids = &children[s];
            kids.binary_search_by_key(&c, |&(c, _)| c)
                .ok()
                .map(|i| kids[i].1 as usize)
        };

        // Failure links in breadth-first order: the longest proper suffix
        // of a state's string that is also a state.
        let mut order = Vec::with_capacity(states);
        let mut fail = vec![0usize; states];
        order.push(0);
        let mut next = 0;
        while next < order.len() {
            let s = order[next];
            next += 1;
            for &(c, t) in &children[s] {
                let t = t as usize;
                if s != 0 {
                    let mut f = fail[s];
                    fail[t] = loop {
                        if let Some(x) = child(f, c) {
                            break x;
                        }
                        if f == 0 {
                            break 0;
                        }
                        f = fail[f];
                    };
                }
                order.push(t);
            }
        }

        // Each state's forms: its own, then its failure state's.
        let mut ends_of: Vec<Vec<u32>> = vec![Vec::new(); states];
        for &s in &order {
            let mut all = std::mem::take(&mut own[s]);
            if s != 0 {
                all.extend_from_slice(&ends_of[fail[s]]);
            }
            ends_of[s] = all;
        }

        // Match states first, each group in breadth-first order.
        let is_match = |s: &usize| !ends_of[*s].is_empty();
        let mut number = vec![0u32; states];
        let (matching, others) = (order.iter().filter(|s| is_match(s)), order.iter());
        for (k, &s) in matching.chain(others.filter(|s| !is_match(s))).enumerate() {
            number[s] = (k * stride) as u32;
        }
        let match_states = order.iter().filter(|s| is_match(s)).count();

        // Rows in breadth-first order: a copy of the failure state's row,
        // finished before, with the state's own children over it.
        let mut trans = vec![0u32; states * stride];
        for &s in &order {
            let row = number[s] as usize;
            if s == 0 {
                trans[row..row + stride].fill(number[0]);
            } else {
                let from = number[fail[s]] as usize;
                trans.copy_within(from..from + stride, row);
            }
            for &(c, t) in &children[s] {
                trans[row + c as usize] = number[t as usize];
            }
        }

        // Each match state's forms, in the states' order.
        let mut ends = Vec::with_capacity(match_states + 1);
        let mut found = Vec::new();
        ends.push(0);
        for &s in order.iter().filter(|s| is_match(s)) {
            found.extend_from_slice(&ends_of[s]);
            ends.push(u32::try_from(found.len()).ok()?);
        }
        Some(Dfa {
            trans,
            classes,
            stride: stride as u32,
            start: number[0],
            match_limit: (match_states * stride) as u32,
            ends,
            forms: found,
            lens: forms.iter().map(|f| f.len() as u32).collect(),
        })
    }

    /// The state before any byte.
    pub fn start(&self) -> State {
        State(self.start)
    }

    /// The state after `byte`.
    #[inline]
    pub fn next(&self, state: State, byte: u8) -> State {
        let at = (state.0 + u32::from(self.classes[byte as usize])) as usize;
        debug_assert!(at < self.trans.len());
        // SAFETY: a `State` is the start of a row of this DFA (`start` and
        // `trans` hold nothing else, and only they make one), and a class
        // is below the row's length, `stride`. The bounds check this
        // spares is a seventh of the search's instructions.
        State(unsafe { *self.trans.get_unchecked(at) })
    }

    /// Whether some form ends at this state.
    #[inline]
    pub fn is_match(&self, state: State) -> bool {
        state.0 < self.match_limit
    }

    /// The forms that end at a match state, by their index in the list
    /// given, with each form's length in bytes.
    pub fn matches(&self, state: State) -> impl Iterator<Item = (usize, usize)> + '_ {
        let k = (state.0 / self.stride) as usize;
        self.forms[self.ends[k] as usize..self.ends[k + 1] as usize]
            .iter()
            .map(|&f| (f as usize, self.lens[f as usize] as usize))
    }
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasick, MatchKind};

    use super::*;

    /// Every match, overlapping ones included, as (form, end), in the
    /// order found.
    fn ours(forms: &[&str], fold: bool, text: &str) -> Vec<(usize, usize)> {
        let dfa = Dfa::new(forms, fold).unwrap();
        let mut state = dfa.start();
        let mut out = Vec::new();
        for (at, &b) in text.as_bytes().iter().enumerate() {
            state = dfa.next(state, b);
            if dfa.is_match(state) {
                for (form, len) in dfa.matches(state) {
                    assert_eq!(len, forms[form].len());
                    out.push((form, at + 1));
                }
            }
        }
        out
    }

    fn theirs(forms: &[&str], fold: bool, text: &str) -> Vec<(usize, usize)> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(fold)
            .build(forms)
            .unwrap();
        ac.find_overlapping_iter(text)
            .map(|m| (m.pattern().as_usize(), m.end()))
            .collect()
    }

    #[test]
    fn finds_what_aho_corasick_finds_in_the_same_order() {
        let forms = [
            "AS",
            "Amerika Serikat",
            "Gedung Capitol AS",
            "as",
            "AS",
            "Serikat",
            "Rusia",
            "Rusianya",
            "Korea Utara",
            "Utara",
            "Tiongkok",
            "dolar AS",
            "Perdana Menteri",
            "Menteri",
            "Sérvia",
            "Jérôme",
            "ré",
        ];
        let text = "Gedung Capitol AS di Amerika Serikat, kata Perdana Menteri \
                    Rusianya; dolar as dan DOLAR AS. Korea Utara, Sérvia, Jérôme.";
        for fold in [false, true] {
            let found = ours(&forms, fold, text);
            assert!(found.len() > 10, "{found:?}");
            assert_eq!(found, theirs(&forms, fold, text), "fold {fold}");
        }
    }

    /// Random forms over a small alphabet, so that forms share prefixes,
    /// suffixes and each other, and random texts over it and beyond it.
    #[test]
    fn random_forms_and_texts_agree_with_aho_corasick() {
        let mut rng = fastrand::Rng::with_seed(7);
        let alphabet: Vec<char> = "abAB -é.".chars().collect();
        let word = |rng: &mut fastrand::Rng, most: usize| -> String {
            (0..rng.usize(1..=most))
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect()
        };
        let mut matches = 0;
        for round in 0..300 {
            let forms: Vec<String> = (0..rng.usize(1..40)).map(|_| word(&mut rng, 6)).collect();
            let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
            let text = word(&mut rng, 200) + "xyz" + &word(&mut rng, 50);
            for fold in [false, true] {
                let found = ours(&forms, fold, &text);
                matches += found.len();
                assert_eq!(
                    found,
                    theirs(&forms, fold, &text),
                    "round {round}, fold {fold}: {forms:?} in {text:?}"
                );
            }
        }
        assert!(matches > 10_000, "{matches}");
    }

    #[test]
    fn unused_bytes_share_one_class() {
        let dfa = Dfa::new(&["ab", "ba"], false).unwrap();
        // Classes: the other bytes, 'a', 'b'; states: the root, a, b, ab, ba.
        assert_eq!(dfa.stride, 3);
        assert_eq!(dfa.trans.len(), 5 * 3);
        let folded = Dfa::new(&["ab", "AB"], true).unwrap();
        assert_eq!(folded.stride, 3);
        assert_eq!(ours(&["ab", "AB"], true, "xAbx"), [(0, 3), (1, 3)]);
    }
}
