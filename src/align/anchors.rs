//! Lexical anchors: the tokens a sentence and its translation share whatever
//! the languages. Numbers (normalised across Indonesian and English
//! conventions), capitalised names and acronyms, cognate stems
//! ("presiden"/"president"), and the punctuation that survives translation:
//! quotes, question marks, brackets, colons.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::lexicon::lexicon;
use crate::segment::Lang;

/// A sentence's anchors as keys made from its text. The top byte of a key
/// is its class.
pub type Keys = Vec<u64>;

/// A key as a block numbers it ([`Numbering`]): its class in the top three
/// bits, its number below. Half the size of the key it stands for, and a
/// number indexes an array where a key would need a hash map.
pub type Key = u32;

/// Where a numbered key's class starts.
const CLASS_SHIFT: u32 = 29;

/// A key's class, whether made from text or numbered.
pub trait Classed: Copy + Ord {
    fn class(self) -> usize;
}

impl Classed for u64 {
    fn class(self) -> usize {
        (self >> 56) as usize & 15
    }
}

impl Classed for Key {
    fn class(self) -> usize {
        (self >> CLASS_SHIFT) as usize
    }
}

/// Numbers the keys of a block's two sides as they are met, so that the
/// same key has the same number on both.
#[derive(Default)]
pub struct Numbering {
    numbers: HashMap<u64, Key, BuildHasherDefault<QuickHasher>>,
    /// The numbered key of each number.
    keys: Vec<Key>,
}

impl Numbering {
    /// The numbered key of `key`.
    pub fn number(&mut self, key: u64) -> Key {
        let Numbering { numbers, keys } = self;
        *numbers.entry(key).or_insert_with(|| {
            // A block would need gigabytes of text to run out of numbers.
            assert!(keys.len() < 1 << CLASS_SHIFT, "too many distinct anchors");
            let numbered = (key.class() as Key) << CLASS_SHIFT | keys.len() as Key;
            keys.push(numbered);
            numbered
        })
    }

    /// The numbered key of each number, in order.
    #[cfg(test)]
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// The key that `numbered` numbers.
    #[cfg(test)]
    pub fn raw(&self, numbered: Key) -> u64 {
        let found = self.numbers.iter().find(|&(_, &n)| n == numbered);
        *found.expect("a numbered key").0
    }

    /// [`keys`](Self::keys), the map from keys to numbers freed.
    pub fn into_keys(self) -> Vec<Key> {
        self.keys
    }

    /// Numbers each sentence's keys and sorts them, as a side's lists.
    #[cfg(test)]
    pub fn lists(&mut self, sentences: &[Keys]) -> KeyLists {
        let mut lists = KeyLists::default();
        for keys in sentences {
            let mut numbered: Vec<Key> = keys.iter().map(|&k| self.number(k)).collect();
            numbered.sort_unstable();
            lists.push(&numbered);
        }
        lists
    }
}

/// The numbered keys of every sentence of one side, end to end: an archive
/// has a quarter of a million sentences, and a list apiece costs memory and
/// time to allocate, touch and free. `lists[k]` is sentence `k`'s keys, in
/// the order they were found: nothing that reads them needs them sorted
/// ([`Matcher`]).
#[derive(Debug, Clone)]
pub struct KeyLists {
    keys: Vec<Key>,
    /// Where each sentence's keys start, and where the last one's end.
    starts: Vec<usize>,
}

impl Default for KeyLists {
    fn default() -> KeyLists {
        KeyLists {
            keys: Vec::new(),
            starts: vec![0],
        }
    }
}

impl KeyLists {
    /// Lists with room for `sentences` and `bytes` of their text: a key
    /// takes five or six bytes of text, and lists grown from empty copy
    /// themselves over and over.
    pub fn for_text(sentences: usize, bytes: usize) -> KeyLists {
        let mut starts = Vec::with_capacity(sentences + 1);
        starts.push(0);
        KeyLists {
            keys: Vec::with_capacity(bytes / 4),
            starts,
        }
    }

    /// Adds the next sentence's keys.
    pub fn push(&mut self, keys: &[Key]) {
        self.keys.extend_from_slice(keys);
        self.starts.push(self.keys.len());
    }

    /// How many sentences.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Each sentence's keys, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[Key]> {
        self.starts.windows(2).map(|w| &self.keys[w[0]..w[1]])
    }

    /// The keys of sentences `r`, one sentence's after another's.
    pub fn run(&self, r: std::ops::Range<usize>) -> &[Key] {
        &self.keys[self.starts[r.start]..self.starts[r.end]]
    }

    /// Keeps the keys for which `keep`, one flag a key in order, is true.
    fn retain(&mut self, keep: &[bool]) {
        // Compacted in place: a kept key moves down to the next free slot.
        let (mut x, mut kept) = (0, 0);
        for k in 1..self.starts.len() {
            while x < self.starts[k] {
                if keep[x] {
                    self.keys[kept] = self.keys[x];
                    kept += 1;
                }
                x += 1;
            }
            self.starts[k] = kept;
        }
        self.keys.truncate(kept);
    }
}

impl std::ops::Index<usize> for KeyLists {
    type Output = [Key];

    fn index(&self, k: usize) -> &[Key] {
        &self.keys[self.starts[k]..self.starts[k + 1]]
    }
}

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
    nats(UNITS[key.class()])
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
#[cfg(test)]
pub fn keys(sentence: &str, lang: Lang) -> Keys {
    let (mut numbering, mut numbered) = (Numbering::default(), Vec::new());
    Scanner::new(lang, sentence.len()).keys(sentence, &mut numbering, &mut numbered);
    let mut out: Keys = numbered.iter().map(|&k| numbering.raw(k)).collect();
    out.sort_unstable();
    out
}

/// `FIRST_BYTES[n]` keeps the first `n` bytes of a 16-byte number: read
/// from a table, since a shift of a 128-bit number by a variable amount is
/// several instructions and a branch.
const FIRST_BYTES: [u128; 17] = {
    let mut masks = [u128::MAX; 17];
    let mut n = 0;
    while n < 16 {
        masks[n] = (1 << (8 * n)) - 1;
        n += 1;
    }
    masks
};

/// Reads the numbered anchor keys of a side's sentences, one language's.
/// A text repeats its words: the numbered keys of each short word it meets
/// are kept in a small table, and a word found there is neither worked out
/// nor numbered again.
pub struct Scanner {
    lang: Lang,
    /// Sets of two slots, indexed by a hash of a word's bytes. A word met
    /// for the first time takes over the second slot of its set, and a
    /// word found there moves to the first: a rare word then pushes out
    /// another rare word, not a common one. A text whose words all fall
    /// in one set only makes every word a miss: no input can make a
    /// lookup slower than working the keys out.
    memo: Vec<Set>,
    /// A long or non-ASCII word, lowercased.
    lower: String,
}

/// A word of up to 16 bytes and its numbered keys. The bytes are padded
/// with zeros, which no word holds: equal bytes are the same word, and a
/// slot never used is none.
#[derive(Clone, Copy, Default)]
struct Memo {
    bytes: u128,
    keys: [Key; 3],
    count: u8,
}

/// Two [`Memo`]s side by side, read from one cache line or two
/// neighbouring ones. Not aligned to a line: memory aligned beyond 16 bytes
/// comes from glibc's `memalign`, and a translation's 59,000 paragraphs,
/// each with a table of its own, then peaked at 327 MiB instead of 177.
#[derive(Clone, Copy, Default)]
struct Set([Memo; 2]);

impl Scanner {
    /// A scanner for text in `lang`, its table sized for `bytes` of it.
    pub fn new(lang: Lang, bytes: usize) -> Scanner {
        // A slot for every 32 bytes of text, 256 to 16,384: the common
        // words of a large text fit, in a table that stays in the cache.
        let slots = (bytes / 32).clamp(256, 1 << 14).next_power_of_two();
        Scanner::with_sets(lang, slots / 2)
    }

    fn with_sets(lang: Lang, sets: usize) -> Scanner {
        debug_assert!(sets.is_power_of_two());
        Scanner {
            lang,
            memo: vec![Set::default(); sets],
            lower: String::new(),
        }
    }

    /// Appends the anchor keys of one sentence to `out` in the order
    /// found, numbered by `numbering`.
    pub fn keys(&mut self, sentence: &str, numbering: &mut Numbering, out: &mut Vec<Key>) {
        let bytes = sentence.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_digit() {
                let mut hash = FNV_START;
                i = scan_number(bytes, i, self.lang, |b| hash = fnv1a(hash, [b]));
                out.push(numbering.number(fold(NUMBER, hash)));
            } else if b.is_ascii_alphabetic() || !b.is_ascii() && starts_word(sentence, i) {
                i = self.word(sentence, i, numbering, out);
            } else if b.is_ascii() {
                match b {
                    b'?' => out.push(numbering.number(key(PUNCT, "?"))),
                    b'"' => out.push(numbering.number(key(PUNCT, "\""))),
                    b'(' | b'[' => out.push(numbering.number(key(PUNCT, "("))),
                    b':' => out.push(numbering.number(key(PUNCT, ":"))),
                    _ => {}
                }
                i += 1;
            } else {
                let c = char_at(sentence, i);
                if matches!(c, '“' | '”' | '«' | '»' | '„') {
                    out.push(numbering.number(key(PUNCT, "\"")));
                }
                i += c.len_utf8();
            }
        }
    }

    /// Adds the numbered keys of the word (a run of letters) that starts
    /// at byte `start` and returns the byte after it.
    fn word(
        &mut self,
        text: &str,
        start: usize,
        numbering: &mut Numbering,
        out: &mut Vec<Key>,
    ) -> usize {
        let bytes = text.as_bytes();
        // The 16 bytes that start at the word as one number, zero beyond
        // the text's end, read from the 16 bytes that start at it, or that
        // end the text: copying a word of any length would call out to
        // `memcpy`.
        let all = match bytes.get(start..start + 16) {
            Some(sixteen) => u128::from_le_bytes(sixteen.try_into().expect("16 bytes")),
            None if bytes.len() >= 16 => {
                let last = bytes.len() - 16;
                let tail: [u8; 16] = bytes[last..].try_into().expect("16 bytes");
                u128::from_le_bytes(tail) >> (8 * (start - last))
            }
            None => {
                let mut padded = [0u8; 16];
                for (p, &b) in padded.iter_mut().zip(&bytes[start..]) {
                    *p = b;
                }
                u128::from_le_bytes(padded)
            }
        };
        // Where the word's ASCII letters end, found in all 16 bytes at once
        // rather than by a loop whose end, a word's length, is a branch no
        // predictor guesses. Past a byte beyond ASCII, or past 16 letters,
        // the word may go on: it is then read a character at a time.
        let ascii_letters = ascii_letters(all);
        let mut len = ((!ascii_letters & HIGH).trailing_zeros() / 8) as usize;
        let beyond_ascii = all.to_le_bytes().get(len).is_some_and(|&b| b >= 0x80);
        if len == 16 || beyond_ascii {
            let mut end = start + len;
            while end < bytes.len() {
                let b = bytes[end];
                if b.is_ascii_alphabetic() {
                    end += 1;
                } else if !b.is_ascii() && starts_word(text, end) {
                    end += char_at(text, end).len_utf8();
                } else {
                    break;
                }
            }
            len = end - start;
        }
        let end = start + len;
        if len > 16 {
            let mut keys = [0; 3];
            let count = word_keys(&text[start..end], self.lang, &mut self.lower, &mut keys);
            out.extend(keys[..count].iter().map(|&key| numbering.number(key)));
            return end;
        }
        let word = all & FIRST_BYTES[len];
        let hash = ((word as u64) ^ ((word >> 64) as u64).rotate_left(29) ^ len as u64)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mask = self.memo.len() - 1;
        let Set(set) = &mut self.memo[(hash >> 32) as usize & mask];
        // Numbered already: all three slots are added and the unused ones
        // dropped, so that no loop's end, the word's count of keys, has to
        // be guessed.
        let add = |out: &mut Vec<Key>, memo: &Memo| {
            let len = out.len();
            out.extend_from_slice(&memo.keys);
            out.truncate(len + usize::from(memo.count));
        };
        if set[0].bytes == word {
            add(out, &set[0]);
            return end;
        }
        if set[1].bytes == word {
            add(out, &set[1]);
            set.swap(0, 1);
            return end;
        }
        let mut keys = [0; 3];
        let count = word_keys(&text[start..end], self.lang, &mut self.lower, &mut keys);
        let mut numbered = [0; 3];
        for (numbered, &key) in numbered.iter_mut().zip(&keys[..count]) {
            *numbered = numbering.number(key);
            out.push(*numbered);
        }
        set[1] = Memo {
            bytes: word,
            keys: numbered,
            count: count as u8,
        };
        end
    }
}

/// The high bit of each of 16 bytes.
const HIGH: u128 = 0x8080_8080_8080_8080_8080_8080_8080_8080;

/// The high bit of each byte of `bytes` that is an ASCII letter, the others
/// clear. No byte's sum carries into the next: each is below 0x80 + 0x1F.
fn ascii_letters(bytes: u128) -> u128 {
    const EACH: u128 = u128::MAX / 0xFF;
    // Lowercase: 'A'..='Z' become 'a'..='z'; no other byte lands there.
    let folded = (bytes | (0x20 * EACH)) & !HIGH;
    let from_a = folded + (0x80 - u128::from(b'a')) * EACH;
    let past_z = folded + (0x80 - u128::from(b'z') - 1) * EACH;
    from_a & !past_z & !bytes & HIGH
}

/// The character that starts at byte `i`.
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or_default()
}

fn starts_word(text: &str, i: usize) -> bool {
    char_at(text, i).is_alphabetic()
}

/// Works out the keys of one word (a run of letters) into `keys` and
/// returns how many.
fn word_keys(word: &str, lang: Lang, lower: &mut String, keys: &mut [u64; 3]) -> usize {
    let mut count = 0;
    let mut push = |key| {
        keys[count] = key;
        count += 1;
    };
    // Most words are short and plain ASCII: lowercased on the stack.
    let mut stack = [0u8; 24];
    let ascii = word.is_ascii();
    let folded: &[u8] = if ascii && word.len() <= stack.len() {
        for (lowered, b) in stack.iter_mut().zip(word.bytes()) {
            *lowered = b | 0x20;
        }
        &stack[..word.len()]
    } else {
        lower.clear();
        for c in word.chars() {
            if c.is_ascii() {
                lower.push(c.to_ascii_lowercase());
            } else {
                lower.extend(c.to_lowercase());
            }
        }
        lower.as_bytes()
    };
    let concept = match lang {
        Lang::Indonesian => lexicon().indonesian(folded),
        Lang::English => lexicon().english(folded),
        Lang::Other => None,
    };
    if let Some(c) = concept {
        push((LEXICON << 56) | u64::from(c));
    }
    let letters = if ascii {
        word.len()
    } else {
        word.chars().count()
    };
    let capital = match word.as_bytes()[0] {
        b if b.is_ascii() => b.is_ascii_uppercase(),
        _ => char_at(word, 0).is_uppercase(),
    };
    if letters >= 2 && capital {
        push(key(NAME, word));
    }
    if letters >= 5 {
        // Loanwords share their first letters once c and k are merged
        // ("konflik"/"conflict", "operasi"/"operation").
        let hash = if ascii {
            let stem = folded.iter().take(4);
            fnv1a(FNV_START, stem.map(|&b| if b == b'c' { b'k' } else { b }))
        } else {
            let stem = lower.chars().take(4);
            let mut buf = [0; 4];
            stem.map(|c| if c == 'c' { 'k' } else { c })
                .fold(FNV_START, |hash, c| {
                    fnv1a(hash, c.encode_utf8(&mut buf).bytes())
                })
        };
        push(fold(STEM, hash));
    }
    count
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
/// `text` is the characters or the bytes of a text, and `i` an index into
/// it. The normalised form is added to `out`.
pub(crate) fn number<T: Copy + Into<u32>>(
    text: &[T],
    i: usize,
    lang: Lang,
    out: &mut String,
) -> usize {
    scan_number(text, i, lang, |b| out.push(char::from(b)))
}

/// [`number`] over characters or bytes, handing the normalised form to
/// `push` a character at a time: the digits and separators it reads are
/// all ASCII, so the bytes of a text read the same as its characters.
fn scan_number<T: Copy + Into<u32>>(
    text: &[T],
    mut i: usize,
    lang: Lang,
    mut push: impl FnMut(u8),
) -> usize {
    let (group, decimal) = match lang {
        Lang::Indonesian => (b'.', b','),
        _ => (b',', b'.'),
    };
    // A character beyond a byte, or the end, reads as NUL: neither a digit
    // nor a separator.
    let at = |i: usize| {
        text.get(i)
            .and_then(|&c| u8::try_from(c.into()).ok())
            .unwrap_or(0)
    };
    while i < text.len() {
        let c = at(i);
        if c.is_ascii_digit() {
            push(c);
            i += 1;
            continue;
        }
        if !at(i + 1).is_ascii_digit() || !matches!(c, b'.' | b',' | b':') {
            break;
        }
        let digits_after = (i + 1..text.len())
            .take_while(|&k| at(k).is_ascii_digit())
            .count();
        if c == group && digits_after == 3 {
            // thousands separator: dropped
        } else if c == decimal || c == b':' || c == b'.' {
            push(b'.');
        } else {
            break; // "1,2,3" in English is a list, not one number
        }
        i += 1;
    }
    i
}

fn key(class: u64, text: &str) -> u64 {
    fold(class, fnv1a(FNV_START, text.bytes()))
}

/// A key of `class` from a hash, folded to 56 bits under the class byte.
fn fold(class: u64, hash: u64) -> u64 {
    (class << 56) | (hash & ((1 << 56) - 1))
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
/// nearby says nothing about where the boundaries go. The keys are
/// numbered, `ranks` of them.
pub fn keep_shared(
    source: &mut KeyLists,
    target: &mut KeyLists,
    centre: &[usize],
    window: usize,
    ranks: usize,
) {
    // The source position whose centre reaches each target position.
    let mut reached = Vec::with_capacity(target.len());
    let mut i = 0;
    for j in 0..target.len() {
        while i + 1 < centre.len() && centre[i + 1] <= j {
            i += 1;
        }
        reached.push(i);
    }
    // Both sides are judged by the other's keys as they are: the source's
    // verdicts wait until the target has been judged against it, and the
    // target's keys are kept as they are judged.
    let mut counts = vec![0; ranks];
    let keep_source = near(source, target, |i| centre[i], window, &mut counts);
    keep_near(target, source, |j| reached[j], window, &mut counts);
    source.retain(&keep_source);
}

/// A numbered key's number.
pub fn rank(key: Key) -> usize {
    (key & ((1 << CLASS_SHIFT) - 1)) as usize
}

/// The sentences of `there` within `window` of a position, their keys
/// counted by rank, as the position moves along (it never falls back).
#[derive(Default)]
struct Window {
    lo: usize,
    hi: usize,
}

impl Window {
    /// Moves to the sentences of `there` within `window` of `c`; `counts`
    /// (all 0 at first) counts their keys.
    fn around(&mut self, there: &KeyLists, c: usize, window: usize, counts: &mut [u32]) {
        let from = c.saturating_sub(window).min(there.len());
        let to = c.saturating_add(window).saturating_add(1).min(there.len());
        self.span(there, from, to, counts);
    }

    /// Leaves `counts` all 0 again.
    fn close(mut self, there: &KeyLists, counts: &mut [u32]) {
        self.span(there, self.hi, self.hi, counts);
    }

    fn span(&mut self, there: &KeyLists, from: usize, to: usize, counts: &mut [u32]) {
        while self.hi < to {
            for &x in &there[self.hi] {
                counts[rank(x)] += 1;
            }
            self.hi += 1;
        }
        while self.lo < from {
            for &x in &there[self.lo] {
                counts[rank(x)] -= 1;
            }
            self.lo += 1;
        }
    }
}

/// For every key of `here` in order, whether `there` has it within
/// `window` sentences of `at(k)` for its sentence `k`; `at` never falls.
/// `counts` is all 0, and left so.
fn near(
    here: &KeyLists,
    there: &KeyLists,
    at: impl Fn(usize) -> usize,
    window: usize,
    counts: &mut [u32],
) -> Vec<bool> {
    let mut keep = Vec::with_capacity(here.keys.len());
    let mut near = Window::default();
    for k in 0..here.len() {
        near.around(there, at(k), window, counts);
        keep.extend(here[k].iter().map(|&x| counts[rank(x)] > 0));
    }
    near.close(there, counts);
    keep
}

/// [`near`], keeping in `here` only the keys it would keep, in one pass.
fn keep_near(
    here: &mut KeyLists,
    there: &KeyLists,
    at: impl Fn(usize) -> usize,
    window: usize,
    counts: &mut [u32],
) {
    let mut near = Window::default();
    // Each key is written down to the next free place and kept by moving
    // that place on only if `there` has it: no branch that goes either way.
    let (mut x, mut kept) = (0, 0);
    for k in 0..here.len() {
        near.around(there, at(k), window, counts);
        let end = here.starts[k + 1];
        while x < end {
            let key = here.keys[x];
            here.keys[kept] = key;
            kept += usize::from(counts[rank(key)] > 0);
            x += 1;
        }
        here.starts[k + 1] = kept;
    }
    here.keys.truncate(kept);
    near.close(there, counts);
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

/// The weight the numbered keys of two runs share, their order aside: each
/// key of one run is counted by its number, and each of the other takes
/// one count. No sort, as a merge of sorted runs would need: every
/// sentence's keys would be sorted for the one link each is in.
pub struct Matcher {
    /// A count for each number, all 0 between uses.
    counts: RefCell<Vec<u32>>,
}

impl Matcher {
    /// A matcher for keys numbered by a [`Numbering`] of `ranks` numbers.
    pub fn new(ranks: usize) -> Matcher {
        Matcher {
            counts: RefCell::new(vec![0; ranks]),
        }
    }

    /// The weight of the keys `a` and `b` share, each pair counted once, in
    /// twentieths of a nat ([`units`]); the keys of class WORD aside if
    /// `words` is false.
    pub fn matched(&self, a: &[Key], b: &[Key], words: bool) -> u32 {
        self.tally(a, b, words).shared
    }

    /// The weight of the keys of `a` and `b` that find no partner, leaving
    /// out the words of a bridge translation: a machine translation shares
    /// only some words with a human one.
    pub fn unmatched_without_words(&self, a: &[Key], b: &[Key]) -> f64 {
        let t = self.tally(a, b, false);
        nats(t.a) + nats(t.b) - 2.0 * nats(t.shared)
    }

    /// Both sides' weights and what they share, in one pass over each.
    fn tally(&self, a: &[Key], b: &[Key], words: bool) -> Tally {
        let counted = |x: Key| words || x.class() != WORD as usize;
        let counts = &mut *self.counts.borrow_mut();
        let mut tally = Tally::default();
        for &x in a.iter().filter(|&&x| counted(x)) {
            counts[rank(x)] += 1;
            tally.a += UNITS[x.class()];
        }
        for &y in b.iter().filter(|&&y| counted(y)) {
            // Without a branch on whether the key is left: it goes either
            // way at random.
            let count = &mut counts[rank(y)];
            let hit = u32::from(*count > 0);
            *count -= hit;
            tally.b += UNITS[y.class()];
            tally.shared += hit * UNITS[y.class()];
        }
        for &x in a {
            counts[rank(x)] = 0;
        }
        tally
    }
}

/// What [`Matcher::tally`] counts, in twentieths of a nat.
#[derive(Default)]
struct Tally {
    a: u32,
    b: u32,
    shared: u32,
}

/// The weight of the keys of `a` and `b` (both sorted) that find no partner:
/// the merge [`Matcher`] is checked against, as are the functions below.
#[cfg(test)]
pub fn unmatched<K: Classed>(a: &[K], b: &[K]) -> f64 {
    total(a) + total(b) - 2.0 * matched(a, b)
}

/// Whether a key is a number, a name, a glossary entry or a bridge word:
/// rare enough that sharing it says two sentences belong together.
pub fn is_strong<K: Classed>(key: K) -> bool {
    matches!(key.class() as u64, NUMBER | NAME | GLOSSARY | WORD)
}

/// Whether two sorted runs of keys have a strong one in common: a number,
/// a name, a glossary entry or a bridge word, not a stem, a lexicon concept
/// or punctuation, which unrelated sentences share too.
#[cfg(test)]
pub fn shares<K: Classed>(a: &[K], b: &[K]) -> bool {
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

/// The summed weight of a run of keys.
#[cfg(test)]
pub fn total<K: Classed>(keys: &[K]) -> f64 {
    f64::from(units(keys)) / UNITS_PER_NAT
}

/// The summed weight of a run of keys in twentieths of a nat, exact:
/// running sums of it subtract without rounding.
pub fn units<K: Classed>(keys: &[K]) -> u32 {
    keys.iter().map(|&k| UNITS[k.class()]).sum()
}

/// Twentieths of a nat, as [`units`] counts them, in nats.
pub fn nats(units: u32) -> f64 {
    f64::from(units) / UNITS_PER_NAT
}

/// The weight of the keys `a` and `b` (both sorted) share, each pair
/// counted once.
#[cfg(test)]
pub fn matched<K: Classed>(a: &[K], b: &[K]) -> f64 {
    // Written without branches on the comparison: which side advances is
    // unpredictable, and a mispredicted branch costs more than the work.
    let (mut i, mut j) = (0, 0);
    let mut shared = 0u32;
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        shared += u32::from(x == y) * UNITS[x.class()];
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    nats(shared)
}

/// [`unmatched`], leaving out the words of a bridge translation. WORD is
/// the last class, so in sorted keys the words are a tail to cut off.
#[cfg(test)]
pub fn unmatched_without_words<K: Classed>(a: &[K], b: &[K]) -> f64 {
    let before_words = |keys: &[K]| keys.partition_point(|k| k.class() < WORD as usize);
    unmatched(&a[..before_words(a)], &b[..before_words(b)])
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
                let mut v = String::new();
                let next = number(&chars, i, lang, &mut v);
                out.push(v);
                i = next;
            } else {
                i += 1;
            }
        }
        out
    }

    /// The keys as they were found before the walk over bytes: every
    /// character decoded, the word's keys from its characters.
    fn keys_by_chars(sentence: &str, lang: Lang) -> Keys {
        let chars: Vec<char> = sentence.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_ascii_digit() {
                let mut value = String::new();
                let next = number(&chars, i, lang, &mut value);
                out.push(key(NUMBER, &value));
                i = next;
            } else if c.is_alphabetic() {
                let start = i;
                while i < chars.len() && chars[i].is_alphabetic() {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let lower: String = word.chars().flat_map(char::to_lowercase).collect();
                let concept = match lang {
                    Lang::Indonesian => lexicon().indonesian(lower.as_bytes()),
                    Lang::English => lexicon().english(lower.as_bytes()),
                    Lang::Other => None,
                };
                if let Some(c) = concept {
                    out.push((LEXICON << 56) | u64::from(c));
                }
                if i - start >= 2 && chars[start].is_uppercase() {
                    out.push(key(NAME, &word));
                }
                if i - start >= 5 {
                    let stem: String = lower
                        .chars()
                        .take(4)
                        .map(|c| if c == 'c' { 'k' } else { c })
                        .collect();
                    out.push(key(STEM, &stem));
                }
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

    #[test]
    fn bytes_give_the_keys_characters_give() {
        let sentences = [
            "Presiden Prabowo Subianto tiba di Jakarta pada Senin.",
            "Müller dan Žižek berdebat: “apa itu ideologi?”",
            "10.000 tentara, 2,5 meter, pukul 10:30, ke-24, Rp 1.250.000.",
            "$1,250,000.50 and 1,2,3 (or [4]) «Ελλάδα» „Öl” ÉCOLE Ünal",
            "İstanbul’da ÇOCUK cœur straße ǅemal 2024ÅÄÖ x1.5y",
            "kebijakannya, bukanlah, apakah, meskipun, bukuku, rumahmu",
            "CONFLICT Konflik concerned operasi OPERATION said mengatakan",
            "12.\u{a0}3,4567 9:3 ١٢٣ ½ ² 7\u{300}x",
            "",
        ];
        for s in sentences {
            for lang in [Lang::Indonesian, Lang::English, Lang::Other] {
                assert_eq!(keys(s, lang), keys_by_chars(s, lang), "{s}");
            }
        }
    }

    #[test]
    fn a_table_of_one_set_gives_the_keys_a_large_one_does() {
        // With one set of two slots every new word takes one over, and a
        // word met again moves to the other; with many, words settle.
        // Words that share their first 8 or 16 bytes, of 8, 16 and 17
        // bytes, beyond ASCII, and at the end of a text longer or shorter
        // than 16 bytes, each keep their own keys.
        let sentences = [
            "Presiden Prabowo Subianto tiba di Jakarta pada Senin.",
            "pemerintah pemerintahan pemerintahannya PEMERINTAH Pemerintah",
            "bank banks bankir Bank BANK banking bankruptcy bankrupt",
            "Abcdefgh Abcdefghi Abcdefghij Abcdefghik Abcdefghijklmnop Abcdefghijklmnoq",
            "Abcdefghijklmnopq Abcdefghijklmnopr pemerintahan pemerintahku",
            "Mereka tiba di Jakarta",
            "Mereka tiba di Makarta",
            "Ya, Bu Ani.",
            "Ya, Bu Ana.",
            "Müller dan Žižek berdebat: “apa itu ideologi?” Müllers Žižek",
            "kebijakannya, bukanlah, apakah, meskipun, bukuku, rumahmu",
            "CONFLICT Konflik concerned operasi OPERATION said mengatakan",
            "İstanbul’da ÇOCUK cœur straße ǅemal 2024ÅÄÖ x1.5y",
            "x@y Z[z z{Z `a~ Abcdefghijklmnoé abcdefghijklmnopé Abcdefghijklmnop",
        ];
        for lang in [Lang::Indonesian, Lang::English, Lang::Other] {
            let mut numbering = Numbering::default();
            let mut one = Scanner::with_sets(lang, 1);
            let mut many = Scanner::new(lang, 1 << 20);
            for s in sentences.iter().cycle().take(3 * sentences.len()) {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                one.keys(s, &mut numbering, &mut a);
                many.keys(s, &mut numbering, &mut b);
                assert_eq!(a, b, "{s}");
                let mut raw: Keys = a.iter().map(|&k| numbering.raw(k)).collect();
                raw.sort_unstable();
                assert_eq!(raw, keys_by_chars(s, lang), "{s}");
            }
        }
    }

    #[test]
    fn the_first_bytes_masks_keep_the_first_bytes() {
        let all = u128::from_le_bytes(*b"abcdefghijklmnop");
        for n in 0..=16 {
            let mut kept = [0u8; 16];
            kept[..n].copy_from_slice(&b"abcdefghijklmnop"[..n]);
            assert_eq!(all & FIRST_BYTES[n], u128::from_le_bytes(kept), "{n}");
        }
    }

    #[test]
    fn sixteen_bytes_at_once_find_the_ascii_letters() {
        // Every byte value, beside letters and beside other bytes, at
        // every place: no sum carries into a neighbour.
        for byte in 0..=255u8 {
            for fill in [b'a', b'Z', b'@', b'{', 0x80, 0xFF] {
                for at in 0..16 {
                    let mut bytes = [fill; 16];
                    bytes[at] = byte;
                    let found = ascii_letters(u128::from_le_bytes(bytes)).to_le_bytes();
                    for (b, f) in bytes.iter().zip(found) {
                        assert_eq!(f == 0x80, b.is_ascii_alphabetic(), "{bytes:?}");
                    }
                }
            }
        }
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
        let mut numbering = Numbering::default();
        let mut src = numbering.lists(&[a]);
        let mut tgt = numbering.lists(&[b]);
        let vocabulary = numbering.keys();
        keep_shared(
            &mut src,
            &mut tgt,
            &[0, 1],
            usize::MAX / 2,
            vocabulary.len(),
        );
        // Vladimir, Putin, NATO, "?", and the stems of Presiden/President and Vladimir.
        assert_eq!(unmatched(&src[0], &tgt[0]), 0.0);
        assert!(src[0].len() >= 5, "{:?}", &src[0]);
    }

    /// Keeping as it judges keeps what judging first and keeping after does.
    #[test]
    fn keeping_while_judging_keeps_what_the_verdicts_keep() {
        let mut rng = fastrand::Rng::with_seed(5);
        let list = |rng: &mut fastrand::Rng, n: usize, ranks: u32| {
            let mut lists = KeyLists::default();
            for _ in 0..n {
                let keys: Vec<Key> = (0..rng.usize(0..6)).map(|_| rng.u32(..ranks)).collect();
                lists.push(&keys);
            }
            lists
        };
        let (mut dropped, mut held) = (0, 0);
        for _ in 0..200 {
            let ranks = rng.usize(1..40);
            let (n, m) = (rng.usize(1..30), rng.usize(1..30));
            let here = list(&mut rng, n, ranks as u32);
            let there = list(&mut rng, m, ranks as u32);
            let window = rng.usize(0..5);
            let at = |k: usize| k * m / n;
            let mut counts = vec![0; ranks];
            let mut judged = here.clone();
            judged.retain(&near(&here, &there, at, window, &mut counts));
            let mut kept = here.clone();
            keep_near(&mut kept, &there, at, window, &mut counts);
            assert_eq!((&kept.keys, &kept.starts), (&judged.keys, &judged.starts));
            assert!(counts.iter().all(|&c| c == 0));
            (dropped, held) = (
                dropped + here.keys.len() - kept.keys.len(),
                held + kept.keys.len(),
            );
        }
        // Both verdicts were given, many times.
        assert!(dropped > 100 && held > 100, "{dropped} {held}");
    }

    #[test]
    fn keeping_shared_keys_keeps_each_sentence_its_own() {
        let mut numbering = Numbering::default();
        let mut side = |texts: &[&str], lang| {
            let keys: Vec<Keys> = texts.iter().map(|t| keys(t, lang)).collect();
            (numbering.lists(&keys), keys)
        };
        let id = ["Putin 2024", "Hujan turun deras", "Zelensky dan Putin"];
        let en = ["Putin 2024", "It rained", "Zelensky and Putin"];
        let (mut src, before) = side(&id, Lang::Indonesian);
        let (mut tgt, _) = side(&en, Lang::English);
        let ranks = numbering.keys().len();
        keep_shared(&mut src, &mut tgt, &[0, 1, 2, 3], 1, ranks);
        assert_eq!(src.len(), 3);
        // The keys are numbered: each number stands for its key, in the
        // same class.
        let mut key_of = vec![0; ranks];
        for (key, &number) in &numbering.numbers {
            key_of[rank(number)] = *key;
        }
        let kept: Vec<Vec<u64>> = src
            .iter()
            .map(|keys| keys.iter().map(|&x| key_of[rank(x)]).collect())
            .collect();
        for (k, keys) in src.iter().enumerate() {
            for (&x, &key) in keys.iter().zip(&kept[k]) {
                assert_eq!(x.class(), key.class());
            }
        }
        // What is left of each sentence is its own keys, sorted by number.
        for (k, kept) in kept.iter().enumerate() {
            assert!(kept.iter().all(|key| before[k].contains(key)), "{k}");
            assert!(src[k].is_sorted());
        }
        assert_eq!(src[0], tgt[0], "both sentences keep the name and the year");
        assert!(kept[2].contains(&key(NAME, "Zelensky")));
        // "Hujan" has no partner in the English: its stem goes.
        assert!(before[1].contains(&key(STEM, "huja")));
        assert!(!kept[1].contains(&key(STEM, "huja")));
    }

    #[test]
    fn the_matcher_agrees_with_the_merge_of_sorted_keys() {
        let mut rng = fastrand::Rng::with_seed(11);
        let matcher = Matcher::new(8);
        for _ in 0..500 {
            // Few numbers in few classes, so that keys repeat and match.
            let mut run = || -> Vec<Key> {
                (0..rng.usize(..12))
                    .map(|_| {
                        // Number 7 is of class WORD.
                        let rank = rng.u32(..8);
                        (rank % 8) << CLASS_SHIFT | rank
                    })
                    .collect()
            };
            let (a, b) = (run(), run());
            let sorted = |keys: &[Key]| {
                let mut keys = keys.to_vec();
                keys.sort_unstable();
                keys
            };
            let (sa, sb) = (sorted(&a), sorted(&b));
            assert_eq!(nats(matcher.matched(&a, &b, true)), matched(&sa, &sb));
            assert_eq!(
                matcher.unmatched_without_words(&a, &b),
                unmatched_without_words(&sa, &sb)
            );
        }
    }

    #[test]
    fn bridge_words_are_left_out_of_the_score() {
        let mut a = keys("Putin 10.000 Moskow", Lang::Indonesian);
        a.extend(bridge_keys("Putin visited Moscow"));
        a.sort_unstable();
        let mut b = keys("Putin visited Moscow", Lang::English);
        b.extend(bridge_keys("Putin visited Moscow"));
        b.sort_unstable();
        let no_words = |keys: &[u64]| -> Vec<u64> {
            keys.iter().copied().filter(|k| k >> 56 != WORD).collect()
        };
        assert!(a.iter().any(|k| k >> 56 == WORD));
        let expected = unmatched(&no_words(&a), &no_words(&b));
        assert_eq!(unmatched_without_words(&a, &b), expected);
        assert!(expected > 0.0, "the number is left alone");
    }

    #[test]
    fn unmatched_counts_both_sides() {
        let a = keys("Putin 10.000", Lang::Indonesian);
        let b = keys("Putin", Lang::English);
        // Both share the name and its stem; only the number is left alone.
        assert!((unmatched(&a, &b) - weight(key(NUMBER, "10000"))).abs() < 1e-9);
    }
}
