//! Lexical anchors: the tokens a sentence and its translation share whatever
//! the languages. Numbers (normalised across Indonesian and English
//! conventions), capitalised names and acronyms, cognate stems
//! ("presiden"/"president"), and the punctuation that survives translation:
//! quotes, question marks, brackets, colons.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::lexicon::lexicon;
use crate::segment::Lang;

/// A sentence's anchors as sorted keys. The top byte of a key is its class.
pub type Keys = Vec<u64>;

const NUMBER: u64 = 1;
const NAME: u64 = 2;
const STEM: u64 = 3;
const PUNCT: u64 = 4;
const LEXICON: u64 = 5;
const GLOSSARY: u64 = 6;
const WORD: u64 = 7;

/// How much an anchor left without its partner costs, by class.
#[cfg(test)]
fn weight(key: u64) -> f64 {
    nats(UNITS[(key >> 56) as usize & 15])
}

/// Weights are whole twentieths of a nat, so that sums of them are exact
/// and [`matched`]'s inner loop adds integers, not floats: a float add is
/// on that loop's critical path.
const UNITS_PER_NAT: f64 = 20.0;

/// [`weight`] by class, in twentieths of a nat. PUNCT (and any unknown
/// class) weighs 0.6.
const UNITS: [u32; 16] = {
    let mut w = [12; 16];
    w[NUMBER as usize] = 20;
    w[NAME as usize] = 5;
    w[STEM as usize] = 4;
    w[LEXICON as usize] = 4;
    w[GLOSSARY as usize] = 8;
    w[WORD as usize] = 16;
    w
};

/// Extracts the anchor keys of one sentence, sorted.
pub fn keys(sentence: &str, lang: Lang) -> Keys {
    thread_local! {
        // This runs on every sentence of an archive: buffers are reused,
        // for allocations would dominate it.
        static BUFFERS: std::cell::RefCell<(Vec<char>, String)> = Default::default();
    }
    BUFFERS.with_borrow_mut(|(chars, lower)| {
        chars.clear();
        chars.extend(sentence.chars());
        keys_of(chars, lang, lower)
    })
}

fn keys_of(chars: &[char], lang: Lang, lower: &mut String) -> Keys {
    let mut out = Vec::with_capacity(chars.len() / 6);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let (value, next) = number(chars, i, lang);
            out.push(key(NUMBER, &value));
            i = next;
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            word_keys(&chars[start..i], lang, lower, &mut out);
        } else {
            match c {
                '?' => out.push(key(PUNCT, "?")),
                '“' | '”' | '"' | '«' | '»' | '„' => out.push(key(PUNCT, "\"")),
                '(' | '[' => out.push(key(PUNCT, "(")),
                ':' => out.push(key(PUNCT, ":")),
                _ => {}
            }
            i += 1;
        }
    }
    out.sort_unstable();
    out
}

fn word_keys(word: &[char], lang: Lang, lower: &mut String, out: &mut Keys) {
    lower.clear();
    for &c in word {
        if c.is_ascii() {
            lower.push(c.to_ascii_lowercase());
        } else {
            lower.extend(c.to_lowercase());
        }
    }
    let concept = match lang {
        Lang::Indonesian => lexicon().indonesian(lower),
        Lang::English => lexicon().english(lower),
        Lang::Other => None,
    };
    if let Some(c) = concept {
        out.push((LEXICON << 56) | u64::from(c));
    }
    if word.len() >= 2 && word[0].is_uppercase() {
        out.push(key_of_chars(NAME, word.iter().copied()));
    }
    if word.len() >= 5 {
        // Loanwords share their first letters once c and k are merged
        // ("konflik"/"conflict", "operasi"/"operation").
        let stem = lower
            .chars()
            .take(4)
            .map(|c| if c == 'c' { 'k' } else { c });
        out.push(key_of_chars(STEM, stem));
    }
}

/// A key for a glossary entry found in a sentence: the same entry on both
/// sides is a name and its translation.
pub fn glossary_key(entry: u64) -> u64 {
    (GLOSSARY << 56) | (entry & ((1 << 56) - 1))
}

/// Keys for the words of a text in the target language: a machine
/// translation of a source sentence (a "bridge", as Bleualign uses) and a
/// target sentence that share words are likely a pair.
pub fn bridge_keys(text: &str) -> Keys {
    let mut out: Keys = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(|w| key(WORD, &w.to_lowercase()))
        .collect();
    out.sort_unstable();
    out
}

/// Reads a number starting at `i` and returns its normalised form and the
/// index after it. Indonesian writes `10.000` and `2,5`, English `10,000`
/// and `2.5`; a separator before exactly three digits groups thousands,
/// any other is the decimal point. `10.30` and `10:30` both give `10.30`.
pub(crate) fn number(chars: &[char], mut i: usize, lang: Lang) -> (String, usize) {
    let (group, decimal) = match lang {
        Lang::Indonesian => ('.', ','),
        _ => (',', '.'),
    };
    let mut value = String::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            value.push(c);
            i += 1;
            continue;
        }
        let followed_by_digit = chars.get(i + 1).is_some_and(|d| d.is_ascii_digit());
        if !followed_by_digit || !matches!(c, '.' | ',' | ':') {
            break;
        }
        let digits_after = chars[i + 1..]
            .iter()
            .take_while(|d| d.is_ascii_digit())
            .count();
        if c == group && digits_after == 3 {
            // thousands separator: dropped
        } else if c == decimal || c == ':' || c == '.' {
            value.push('.');
        } else {
            break; // "1,2,3" in English is a list, not one number
        }
        i += 1;
    }
    (value, i)
}

fn key(class: u64, text: &str) -> u64 {
    key_of_bytes(class, text.bytes())
}

/// [`key`] of the text the characters spell, without building it.
fn key_of_chars(class: u64, chars: impl Iterator<Item = char>) -> u64 {
    let mut hash = FNV_START;
    for c in chars {
        hash = if c.is_ascii() {
            fnv1a(hash, [c as u8])
        } else {
            let mut buf = [0; 4];
            fnv1a(hash, c.encode_utf8(&mut buf).bytes())
        };
    }
    (class << 56) | (hash & ((1 << 56) - 1))
}

fn key_of_bytes(class: u64, bytes: impl Iterator<Item = u8>) -> u64 {
    // Folded to 56 bits under the class byte.
    (class << 56) | (fnv1a(FNV_START, bytes) & ((1 << 56) - 1))
}

/// Where an FNV-1a hash starts.
pub(crate) const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over `bytes`, from `hash`: fast on the short texts hashed here
/// (words, keys, sentences), and all of them our own or the user's.
pub(crate) fn fnv1a(hash: u64, bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(hash, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Keeps, in every sentence, only the keys that occur on the other side
/// within `window` sentences of where `centre` (the target position for
/// each source position `0..=n`) puts it: an anchor without a partner
/// nearby says nothing about where the boundaries go.
pub fn keep_shared(source: &mut [Keys], target: &mut [Keys], centre: &[usize], window: usize) {
    // The source position whose centre reaches each target position.
    let mut reached = Vec::with_capacity(target.len());
    let mut i = 0;
    for j in 0..target.len() {
        while i + 1 < centre.len() && centre[i + 1] <= j {
            i += 1;
        }
        reached.push(i);
    }
    // Both sides are judged by the other's keys as they are.
    let keep_source = near(source, target, |i| centre[i], window);
    let keep_target = near(target, source, |j| reached[j], window);
    let retain = |side: &mut [Keys], keep: &[bool]| {
        let mut index = 0;
        for keys in side {
            keys.retain(|_| {
                index += 1;
                keep[index - 1]
            });
        }
    };
    retain(source, &keep_source);
    retain(target, &keep_target);
}

/// For every key of `here` in order, whether `there` has it within
/// `window` sentences of `at(k)` for its sentence `k`; `at` never falls.
/// The keys of that window are counted in a map that slides with it, small
/// enough to stay in the processor's cache.
fn near(here: &[Keys], there: &[Keys], at: impl Fn(usize) -> usize, window: usize) -> Vec<bool> {
    let mut counts: HashMap<u64, u32, BuildHasherDefault<QuickHasher>> = HashMap::default();
    let mut keep = Vec::with_capacity(here.iter().map(Vec::len).sum());
    let (mut lo, mut hi) = (0, 0);
    for (k, keys) in here.iter().enumerate() {
        let c = at(k);
        let from = c.saturating_sub(window).min(there.len());
        let to = c.saturating_add(window).saturating_add(1).min(there.len());
        while hi < to {
            for &key in &there[hi] {
                *counts.entry(key).or_default() += 1;
            }
            hi += 1;
        }
        while lo < from {
            for key in &there[lo] {
                if let Some(n) = counts.get_mut(key) {
                    *n -= 1;
                    if *n == 0 {
                        counts.remove(key);
                    }
                }
            }
            lo += 1;
        }
        keep.extend(keys.iter().map(|key| counts.contains_key(key)));
    }
    keep
}

/// The hasher of this module's maps: keyed by anchor keys, which are hashes
/// already and need one multiply to spread, or by words, hashed with FNV-1a,
/// several times faster than the default on short keys. Every key is our
/// own or comes from a built-in table, so none can be chosen against it.
#[derive(Default)]
pub(crate) struct QuickHasher(u64);

impl Hasher for QuickHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let start = if self.0 == 0 { FNV_START } else { self.0 };
        self.0 = fnv1a(start, bytes.iter().copied());
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = (key ^ (key >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// The weight of the keys of `a` and `b` (both sorted) that find no partner.
pub fn unmatched(a: &[u64], b: &[u64]) -> f64 {
    total(a) + total(b) - 2.0 * matched(a, b)
}

/// Whether a key is a number, a name, a glossary entry or a bridge word:
/// rare enough that sharing it says two sentences belong together.
pub fn is_strong(key: u64) -> bool {
    matches!(key >> 56, NUMBER | NAME | GLOSSARY | WORD)
}

/// Whether two sorted runs of keys have a strong one in common: a number,
/// a name, a glossary entry or a bridge word, not a stem, a lexicon concept
/// or punctuation, which unrelated sentences share too.
#[cfg(test)]
pub fn shares(a: &[u64], b: &[u64]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal if is_strong(a[i]) => {
                return true;
            }
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    false
}

/// The summed weight of a sorted run of keys.
pub fn total(keys: &[u64]) -> f64 {
    f64::from(units(keys)) / UNITS_PER_NAT
}

/// [`total`] in twentieths of a nat, exact: running sums of it subtract
/// without rounding.
pub fn units(keys: &[u64]) -> u32 {
    keys.iter().map(|&k| UNITS[(k >> 56) as usize & 15]).sum()
}

/// Twentieths of a nat, as [`units`] counts them, in nats.
pub fn nats(units: u32) -> f64 {
    f64::from(units) / UNITS_PER_NAT
}

/// The weight of the keys `a` and `b` share (each pair counted once).
pub fn matched(a: &[u64], b: &[u64]) -> f64 {
    // Written without branches on the comparison: which side advances is
    // unpredictable, and a mispredicted branch costs more than the work.
    let (mut i, mut j) = (0, 0);
    let mut shared = 0u32;
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        shared += u32::from(x == y) * UNITS[(x >> 56) as usize & 15];
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    nats(shared)
}

/// [`unmatched`], leaving out the words of a bridge translation.
pub fn unmatched_without_words(a: &[u64], b: &[u64]) -> f64 {
    let not_word = |k: &&u64| *k >> 56 != WORD;
    let a: Vec<u64> = a.iter().filter(not_word).copied().collect();
    let b: Vec<u64> = b.iter().filter(not_word).copied().collect();
    unmatched(&a, &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(s: &str, lang: Lang) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_ascii_digit() {
                let (v, next) = number(&chars, i, lang);
                out.push(v);
                i = next;
            } else {
                i += 1;
            }
        }
        out
    }

    #[test]
    fn numbers_normalise_across_conventions() {
        let id = numbers(
            "10.000 tentara, 2,5 meter, pukul 10.30, ke-24, 2024.",
            Lang::Indonesian,
        );
        let en = numbers(
            "10,000 troops, 2.5 meters, at 10:30, 24th, 2024.",
            Lang::English,
        );
        assert_eq!(id, ["10000", "2.5", "10.30", "24", "2024"]);
        assert_eq!(id, en);
        assert_eq!(numbers("Rp 1.250.000", Lang::Indonesian), ["1250000"]);
        assert_eq!(numbers("$1,250,000.50", Lang::English), ["1250000.50"]);
    }

    #[test]
    fn shared_names_and_stems_match() {
        let a = keys(
            "Presiden Rusia Vladimir Putin bertemu NATO?",
            Lang::Indonesian,
        );
        let b = keys("Russian President Vladimir Putin met NATO?", Lang::English);
        let mut src = vec![a];
        let mut tgt = vec![b];
        keep_shared(&mut src, &mut tgt, &[0, 1], usize::MAX / 2);
        // Vladimir, Putin, NATO, "?", and the stems of Presiden/President and Vladimir.
        assert_eq!(unmatched(&src[0], &tgt[0]), 0.0);
        assert!(src[0].len() >= 5, "{:?}", src[0]);
    }

    #[test]
    fn unmatched_counts_both_sides() {
        let a = keys("Putin 10.000", Lang::Indonesian);
        let b = keys("Putin", Lang::English);
        // Both share the name and its stem; only the number is left alone.
        assert!((unmatched(&a, &b) - weight(key(NUMBER, "10000"))).abs() < 1e-9);
    }
}
