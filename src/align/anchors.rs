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
pub fn weight(key: u64) -> f64 {
    WEIGHTS[(key >> 56) as usize & 15]
}

/// [`weight`] by class, as a table: the inner loop of [`matched`] looks it
/// up without a branch. PUNCT (and any unknown class) weighs 0.6.
const WEIGHTS: [f64; 16] = {
    let mut w = [0.6; 16];
    w[NUMBER as usize] = 1.0;
    w[NAME as usize] = 0.25;
    w[STEM as usize] = 0.2;
    w[LEXICON as usize] = 0.2;
    w[GLOSSARY as usize] = 0.4;
    w[WORD as usize] = 0.8;
    w
};

/// Extracts the anchor keys of one sentence, sorted.
pub fn keys(sentence: &str, lang: Lang) -> Keys {
    let mut out = Vec::new();
    let chars: Vec<char> = sentence.chars().collect();
    // One buffer for every word's lowercase form: this runs on every
    // sentence of an archive, and allocations would dominate it.
    let mut lower = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let (value, next) = number(&chars, i, lang);
            out.push(key(NUMBER, &value));
            i = next;
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            word_keys(&chars[start..i], lang, &mut lower, &mut out);
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
    lower.extend(word.iter().flat_map(|c| c.to_lowercase()));
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
    let mut buf = [0; 4];
    key_of_bytes(
        class,
        chars.flat_map(|c| {
            let n = c.encode_utf8(&mut buf).len();
            buf.into_iter().take(n)
        }),
    )
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

/// A map from keys, which are hashes already: hashing them again would only
/// cost time.
pub type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// The [`Hasher`] of a [`KeyMap`]: the key itself, its class byte folded in.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed; any other input still hashes soundly.
        self.0 = fnv1a(self.0, bytes.iter().copied());
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key ^ (key >> 56).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Keeps, in every sentence, only the keys that occur on the other side
/// within `window` sentences of where `centre` (the target position for
/// each source position `0..=n`) puts it: an anchor without a partner
/// nearby says nothing about where the boundaries go.
pub fn keep_shared(source: &mut [Keys], target: &mut [Keys], centre: &[usize], window: usize) {
    let positions = |side: &[Keys]| {
        let mut at: KeyMap<Vec<usize>> = KeyMap::default();
        for (k, keys) in side.iter().enumerate() {
            for &key in keys {
                at.entry(key).or_default().push(k);
            }
        }
        at
    };
    let near = |at: &KeyMap<Vec<usize>>, key: u64, centre: usize| {
        at.get(&key).is_some_and(|list| {
            let from = centre.saturating_sub(window);
            let first = list.partition_point(|&p| p < from);
            list.get(first).is_some_and(|&p| p <= centre + window)
        })
    };
    let (in_source, in_target) = (positions(source), positions(target));
    for (i, keys) in source.iter_mut().enumerate() {
        keys.retain(|&k| near(&in_target, k, centre[i]));
    }
    // The source position whose centre reaches each target position.
    let mut i = 0;
    for (j, keys) in target.iter_mut().enumerate() {
        while i + 1 < centre.len() && centre[i + 1] <= j {
            i += 1;
        }
        keys.retain(|&k| near(&in_source, k, i));
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

/// Two sorted runs of keys as one sorted run, duplicates kept.
pub fn merge(a: &[u64], b: &[u64]) -> Keys {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The summed weight of a sorted run of keys.
pub fn total(keys: &[u64]) -> f64 {
    keys.iter().map(|&k| weight(k)).sum()
}

/// The weight of the keys `a` and `b` share (each pair counted once).
pub fn matched(a: &[u64], b: &[u64]) -> f64 {
    // Written without branches on the comparison: which side advances is
    // unpredictable, and a mispredicted branch costs more than the work.
    let (mut i, mut j) = (0, 0);
    let mut shared = 0.0;
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        shared += if x == y { weight(x) } else { 0.0 };
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    shared
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
