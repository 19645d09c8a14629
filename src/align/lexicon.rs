//! A small Indonesian–English news lexicon, as hunalign uses a dictionary:
//! a word and its translation in two sentences are evidence that the
//! sentences translate each other.
//!
//! `lexicon.tsv` holds `indonesian<TAB>english|english|...` lines. Entries
//! that share an English word are one concept ("kata", "mengatakan" and
//! "katanya" all give "said"), so each word maps to a single concept id and
//! a sentence pair matches on shared ids.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use super::anchors::QuickHasher;

const DATA: &str = include_str!("lexicon.tsv");

/// An English word listed under more entries than this says too little.
const MAX_SENSES: usize = 6;

pub struct Lexicon {
    indonesian: Words,
    english: Words,
}

/// Words to concepts, looked up for every word of every sentence.
type Words = HashMap<&'static str, u32, BuildHasherDefault<QuickHasher>>;

/// The built-in lexicon, parsed once.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::parse(DATA))
}

impl Lexicon {
    fn parse(data: &'static str) -> Lexicon {
        // Parsed on every run: one list of (English word, entry) pairs,
        // sorted, rather than a map of lists.
        let mut entries: Vec<&str> = Vec::new();
        let mut senses: Vec<(&str, usize)> = Vec::new();
        for line in data.lines() {
            let Some((id, en)) = line.split_once('\t') else {
                continue;
            };
            let (id, before) = (id.trim(), senses.len());
            if id.is_empty() {
                continue;
            }
            let forms = en.split('|').map(str::trim).filter(|f| !f.is_empty());
            senses.extend(forms.map(|f| (f, entries.len())));
            if senses.len() > before {
                entries.push(id);
            }
        }
        senses.sort_unstable();
        let senses: Vec<&[(&str, usize)]> = senses
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|ks| ks.len() <= MAX_SENSES)
            .collect();

        // Union the entries that share an English word into concepts.
        let mut parent: Vec<usize> = (0..entries.len()).collect();
        fn root(parent: &mut [usize], mut k: usize) -> usize {
            while parent[k] != k {
                parent[k] = parent[parent[k]];
                k = parent[k];
            }
            k
        }
        for ks in &senses {
            for w in ks.windows(2) {
                let (a, b) = (root(&mut parent, w[0].1), root(&mut parent, w[1].1));
                parent[a] = b;
            }
        }
        let indonesian = entries
            .iter()
            .enumerate()
            .map(|(k, id)| (*id, root(&mut parent, k) as u32))
            .collect();
        let english = senses
            .iter()
            .map(|ks| (ks[0].0, root(&mut parent, ks[0].1) as u32))
            .collect();
        Lexicon {
            indonesian,
            english,
        }
    }

    /// The concept of an Indonesian word (lowercase), clitics allowed.
    pub fn indonesian(&self, word: &str) -> Option<u32> {
        if let Some(&c) = self.indonesian.get(word) {
            return Some(c);
        }
        ["nya", "lah", "kah", "pun", "ku", "mu"]
            .iter()
            .filter_map(|s| word.strip_suffix(s))
            .find_map(|stem| self.indonesian.get(stem).copied())
    }

    /// The concept of an English word (lowercase).
    pub fn english(&self, word: &str) -> Option<u32> {
        self.english.get(word).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_english_words_make_one_concept() {
        let lex = Lexicon::parse("kata\tsaid|say\nmengatakan\tsaid|says\nbanjir\tflood|floods\n");
        assert_eq!(lex.indonesian("kata"), lex.indonesian("mengatakan"));
        assert_eq!(lex.english("says"), lex.indonesian("kata"));
        assert_ne!(lex.indonesian("banjir"), lex.indonesian("kata"));
        assert_eq!(lex.indonesian("banjirnya"), lex.english("floods"));
        assert_eq!(lex.indonesian("hujan"), None);
    }
}
