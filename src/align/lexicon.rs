//! A small Indonesian–English news lexicon, as hunalign uses a dictionary:
//! a word and its translation in two sentences are evidence that the
//! sentences translate each other.
//!
//! `lexicon.tsv` holds `indonesian<TAB>english|english|...` lines. Entries
//! that share an English word are one concept ("kata", "mengatakan" and
//! "katanya" all give "said"), so each word maps to a single concept id and
//! a sentence pair matches on shared ids.

use std::sync::OnceLock;

const DATA: &str = include_str!("lexicon.tsv");

/// An English word listed under more entries than this says too little.
const MAX_SENSES: usize = 6;

pub struct Lexicon {
    indonesian: Words,
    english: Words,
}

/// Words to concepts, looked up for every word of every sentence, most of
/// which are in no entry: an open-addressed table of a few thousand slots,
/// where a miss is usually one empty slot or one whose tag differs.
struct Words {
    /// Each word with its hash and concept.
    entries: Vec<(u64, &'static str, u32)>,
    /// For the word in each slot, its hash's top 16 bits (its tag) above
    /// one more than its index into `entries`; 0 for none. A power of two,
    /// at most half full. The tag spares a miss a read of `entries`.
    slots: Vec<u32>,
}

/// A slot for entry `k` of the word hashed to `hash`.
fn slot(hash: u64, k: usize) -> u32 {
    assert!(k < 0xffff, "the lexicon fits 16-bit slots");
    ((hash >> 48) as u32) << 16 | (k as u32 + 1)
}

/// A word's hash for [`Words`], eight bytes at a time rather than FNV's
/// one. The table's words are built in, so no input can crowd its slots.
fn hash(word: &[u8]) -> u64 {
    let mut hash = word.len() as u64;
    for chunk in word.chunks(8) {
        // Shifted in rather than copied: a copy into a buffer stalls the
        // load that reads it back.
        let eight = chunk
            .iter()
            .rev()
            .fold(0, |eight, &b| (eight << 8) | u64::from(b));
        hash = (hash ^ eight).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        hash ^= hash >> 32;
    }
    hash
}

impl Words {
    /// A later word replaces an earlier equal one.
    fn new(words: impl Iterator<Item = (&'static str, u32)>) -> Words {
        let mut table = Words {
            entries: Vec::new(),
            slots: vec![0; 64],
        };
        for (word, concept) in words {
            if table.entries.len() * 2 >= table.slots.len() {
                // Rehashed in full: the table is built once.
                table.slots = vec![0; table.slots.len() * 2];
                for k in 0..table.entries.len() {
                    let (hash, word, _) = table.entries[k];
                    let at = table.find(word.as_bytes(), hash).unwrap_err();
                    table.slots[at] = slot(hash, k);
                }
            }
            let hash = hash(word.as_bytes());
            match table.find(word.as_bytes(), hash) {
                Ok(k) => table.entries[k].2 = concept,
                Err(at) => {
                    table.slots[at] = slot(hash, table.entries.len());
                    table.entries.push((hash, word, concept));
                }
            }
        }
        table
    }

    fn get(&self, word: &[u8]) -> Option<u32> {
        let k = self.find(word, hash(word)).ok()?;
        Some(self.entries[k].2)
    }

    /// The entry of `word`, or the free slot where it would go.
    fn find(&self, word: &[u8], hash: u64) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let tag = (hash >> 48) as u32;
        let mut at = hash as usize & mask;
        loop {
            match self.slots[at] {
                0 => return Err(at),
                s if s >> 16 == tag => {
                    let k = (s & 0xffff) as usize - 1;
                    let (h, w, _) = self.entries[k];
                    if h == hash && w.as_bytes() == word {
                        return Ok(k);
                    }
                }
                _ => {}
            }
            at = (at + 1) & mask;
        }
    }
}

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
        let roots: Vec<u32> = (0..entries.len())
            .map(|k| root(&mut parent, k) as u32)
            .collect();
        let indonesian = Words::new(entries.iter().copied().zip(roots.iter().copied()));
        let english = Words::new(senses.iter().map(|ks| (ks[0].0, roots[ks[0].1])));
        Lexicon {
            indonesian,
            english,
        }
    }

    /// The concept of an Indonesian word (lowercase, as bytes), clitics
    /// allowed.
    pub fn indonesian(&self, word: &[u8]) -> Option<u32> {
        if let Some(c) = self.indonesian.get(word) {
            return Some(c);
        }
        // No word ends in two of the clitics: the last letters tell which
        // one to try, if any.
        let clitic: &[u8] = match word {
            [.., b'n', b'y', b'a'] => b"nya",
            [.., b'l', b'a', b'h'] => b"lah",
            [.., b'k', b'a', b'h'] => b"kah",
            [.., b'p', b'u', b'n'] => b"pun",
            [.., b'k', b'u'] => b"ku",
            [.., b'm', b'u'] => b"mu",
            _ => return None,
        };
        self.indonesian.get(&word[..word.len() - clitic.len()])
    }

    /// The concept of an English word (lowercase, as bytes).
    pub fn english(&self, word: &[u8]) -> Option<u32> {
        self.english.get(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_english_words_make_one_concept() {
        let lex = Lexicon::parse("kata\tsaid|say\nmengatakan\tsaid|says\nbanjir\tflood|floods\n");
        assert_eq!(lex.indonesian(b"kata"), lex.indonesian(b"mengatakan"));
        assert_eq!(lex.english(b"says"), lex.indonesian(b"kata"));
        assert_ne!(lex.indonesian(b"banjir"), lex.indonesian(b"kata"));
        assert_eq!(lex.indonesian(b"banjirnya"), lex.english(b"floods"));
        assert_eq!(lex.indonesian(b"hujan"), None);
    }

    #[test]
    fn each_clitic_comes_off_and_later_entries_win() {
        let lex = Lexicon::parse("buku\tbook\nrumah\thouse\nkata\tword\nkata\tsaid\n");
        let book = lex.english(b"book");
        for word in [
            "bukunya", "bukulah", "bukukah", "bukupun", "bukuku", "bukumu",
        ] {
            assert_eq!(lex.indonesian(word.as_bytes()), book, "{word}");
        }
        assert_eq!(lex.indonesian(b"rumahnya"), lex.english(b"house"));
        assert_eq!(lex.indonesian(b"bukunyaku"), None);
        assert_eq!(lex.indonesian(b"nya"), None);
        assert_eq!(lex.indonesian(b"kata"), lex.english(b"said"));
        assert_ne!(lex.indonesian(b"kata"), lex.english(b"word"));
    }
}
