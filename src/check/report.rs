//! The document report (SPEC §5): how each glossary name fared across the
//! whole article, names rendered in more than one way, and the names the
//! glossary lacks, with the English found for them, ready to add.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{Checker, Row, Status};

/// What one document's rows say about its names.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Report {
    pub rows: usize,
    pub review: usize,
    /// How many findings of each code.
    pub findings: BTreeMap<String, usize>,
    /// Every glossary term met, with its counts on both sides.
    pub terms: Vec<TermCount>,
    /// Names whose English differs from row to row.
    pub variants: Vec<Variant>,
    /// Names and acronyms of the source that the glossary lacks.
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TermCount {
    /// The entry's first source form and preferred target.
    pub source: String,
    pub target: String,
    /// Occurrences of any of its source forms in the source text.
    pub in_source: usize,
    /// Occurrences of any of its accepted forms in the target text.
    pub in_target: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Variant {
    pub source: String,
    /// Each form used, with the ids of the rows that use it.
    pub renderings: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Candidate {
    pub source: String,
    /// The English found in the rows it occurs in: the same name written
    /// identically, or the capitalised names of those rows.
    pub target: String,
    pub rows: Vec<String>,
}

/// A candidate's rows and the English found for it, borrowed from the rows.
#[derive(Default)]
struct Gathered<'r> {
    ids: Vec<&'r str>,
    english: Vec<&'r str>,
}

/// Words that open Indonesian sentences with a capital without being part
/// of a name. A `match`, not a list: it is asked of most sentences' first
/// word.
fn opener(word: &str) -> bool {
    matches!(
        word,
        "Namun"
        | "Dia"
        | "Ia"
        | "Mereka"
        | "Kami"
        | "Kita"
        | "Saya"
        | "Para"
        | "Menurut"
        | "Sementara"
        | "Dalam"
        | "Di"
        | "Pada"
        | "Bagi"
        | "Jika"
        | "Ketika"
        | "Setelah"
        | "Sebelum"
        | "Selain"
        | "Sejumlah"
        | "Hal"
        | "Ini"
        | "Itu"
        | "Tetapi"
        | "Tapi"
        | "Karena"
        | "Sedangkan"
        | "Berikut"
        | "Apa"
        | "Apakah"
        | "Mengapa"
        | "Kenapa"
        | "Bagaimana"
        | "Siapa"
        | "Seberapa"
        | "Kapan"
        | "Dengan"
        | "Untuk"
        | "Dari"
        | "Sejak"
        | "Hingga"
        | "Saat"
        | "Arsip"
        | "Sumber"
        | "Foto"
        | "Kata"
        | "Beberapa"
        | "Semua"
        | "Banyak"
        | "Kedua"
        | "Tentara"
        | "Warga"
        // English, for the guesses taken from the target
        | "The"
        | "A"
        | "An"
        | "In"
        | "On"
        | "At"
        | "But"
        | "And"
        | "He"
        | "She"
        | "It"
        | "They"
        | "We"
        | "This"
        | "That"
        | "Some"
        | "Many"
        | "File"
        | "Source"
        | "According"
        | "Meanwhile"
        | "However"
        | "Why"
        | "What"
        | "How"
    )
}

/// Lowercase words that may sit inside a name ("Osama bin Laden", "Pusat
/// Studi Strategis dan Internasional"). "dan" joins only after three
/// words: after two it more often joins two people ("Bob Woodward dan
/// Robert Costa").
fn joins(word: &str, words_before: usize) -> bool {
    match word {
        "dan" => words_before >= 3,
        "bin" | "binti" | "van" | "von" | "de" | "der" | "al" | "el" => words_before >= 1,
        _ => false,
    }
}

impl Checker {
    /// Builds the report of one document's checked rows.
    pub fn report(&self, rows: &[Row]) -> Report {
        let entries = &self.glossary.entries;
        let mut report = Report {
            rows: rows.len(),
            review: rows.iter().filter(|r| r.status == Status::Review).count(),
            ..Report::default()
        };
        // Codes are few: counted by the code's own text, named once.
        let mut codes: Vec<(&str, usize)> = Vec::new();
        for f in rows.iter().flat_map(|row| &row.issues) {
            // One constant's text is mostly at one address: compared there
            // first.
            let same = |code: &str| std::ptr::eq(code, f.code) || code == f.code;
            match codes.iter_mut().find(|(code, _)| same(code)) {
                Some((_, n)) => *n += 1,
                None => codes.push((f.code, 1)),
            }
        }
        report.findings = codes.into_iter().map(|(c, n)| (c.to_string(), n)).collect();

        // Counted by entry, in arrays: a block of 100,000 rows names a few
        // entries in nearly every row.
        let mut in_source = vec![0usize; entries.len()];
        let mut in_target = vec![0usize; entries.len()];
        // By entry too, borrowed from the rows until the end: most entries
        // are rendered one way only, and only the others are kept.
        let mut renderings: Vec<BTreeMap<&str, Vec<&str>>> = vec![BTreeMap::new(); entries.len()];
        // Sorted once at the end rather than kept in order: an archive
        // meets the same few thousand names tens of thousands of times.
        // Borrowed from the rows until then, each name's rows and English
        // in a list the map points into: the map's slots stay small.
        let mut candidates: Vec<Gathered<'_>> = Vec::new();
        let mut known: HashMap<&str, usize> = HashMap::new();
        // Each row's spans of glossary names, source and target.
        let mut covered: Vec<(usize, usize)> = Vec::new();
        let mut accepted: Vec<(usize, usize)> = Vec::new();
        // Each row's names, source and target, in buffers kept from row to row.
        let (mut source_names, mut target_names) = (Vec::new(), Vec::new());
        // The words of the name being read, kept from row to row too.
        let mut run = Vec::new();
        for row in rows {
            let searched;
            let terms = match &row.terms {
                Some(terms) => terms,
                None => {
                    searched = self.terms_of(&row.source, &row.target);
                    &searched
                }
            };
            let (found_source, found_target) = (&terms.source, &terms.target);
            for f in found_source {
                in_source[f.entry] += 1;
            }
            for f in found_target {
                in_target[f.entry] += 1;
            }
            for f in found_source {
                for t in found_target.iter().filter(|t| t.entry == f.entry) {
                    let form = &row.target[t.start..t.form_end];
                    let ids = renderings[f.entry].entry(form).or_default();
                    // Rows come in order: this row is the last, if there.
                    if ids.last() != Some(&row.id.as_str()) {
                        ids.push(&row.id);
                    }
                }
            }
            covered.clear();
            covered.extend(found_source.iter().map(|f| (f.start, f.end)));
            accepted.clear();
            accepted.extend(found_target.iter().map(|f| (f.start, f.end)));
            // The target's own names, found once a row needs them.
            let mut targets_read = false;
            names(&row.source, &covered, &mut source_names, &mut run);
            for &name in &source_names {
                let k = *known.entry(name).or_insert_with(|| {
                    candidates.push(Gathered::default());
                    candidates.len() - 1
                });
                let Gathered { ids, english } = &mut candidates[k];
                ids.push(&row.id);
                let guess = if contains_word(&row.target, name) {
                    Some(name)
                } else {
                    if !targets_read {
                        names(&row.target, &accepted, &mut target_names, &mut run);
                        targets_read = true;
                    }
                    best_guess(name, &target_names)
                };
                if let Some(g) = guess.filter(|g| !english.iter().any(|e| e == g)) {
                    english.push(g);
                }
            }
        }

        report.terms = (0..entries.len())
            .filter(|&k| in_source[k] + in_target[k] > 0)
            .map(|k| TermCount {
                source: entries[k].sources[0].clone(),
                target: entries[k].targets[0].clone(),
                in_source: in_source[k],
                in_target: in_target[k],
            })
            .collect();
        report.variants = renderings
            .into_iter()
            .enumerate()
            .filter(|(_, forms)| distinct_ways(forms.keys().copied()) > 1)
            .map(|(k, renderings)| Variant {
                source: entries[k].sources[0].clone(),
                renderings: renderings
                    .into_iter()
                    .map(|(form, ids)| {
                        let ids = ids.into_iter().map(String::from).collect();
                        (form.to_string(), ids)
                    })
                    .collect(),
            })
            .collect();
        let mut names: Vec<(&str, usize)> = known.into_iter().collect();
        names.sort_unstable();
        report.candidates = names
            .into_iter()
            .map(|(source, k)| {
                let Gathered { ids, english } = &candidates[k];
                Candidate {
                    source: source.to_string(),
                    target: english.join("|"),
                    rows: ids.iter().map(|&id| id.to_string()).collect(),
                }
            })
            .collect();
        report
    }
}

/// Capitalised multiword names and acronyms in `text`, outside the
/// `covered` spans (names the glossary already knows), into `out`, which
/// is cleared first; `run` is room for the words of one name.
fn names<'t>(
    text: &'t str,
    covered: &[(usize, usize)],
    out: &mut Vec<&'t str>,
    run: &mut Vec<(usize, usize)>,
) {
    out.clear();
    let mut words = Words::new(text);
    let first = words.clone().next().map(|w| w.0);
    let free = |(s, e): (usize, usize)| !covered.iter().any(|&(a, b)| s < b && a < e);
    let capital = |w: &str| w.starts_with(char::is_uppercase);
    let roman = |w: &str| w.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'));
    // Most capitalised words go on in lowercase: the test that stops at
    // their second letter comes first.
    let acronym = |w: &str| {
        w.chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '-')
            && w.chars().filter(|c| c.is_uppercase()).count() >= 2
            && !roman(w)
    };

    run.clear();
    let flush = |run: &mut Vec<(usize, usize)>, out: &mut Vec<&'t str>| {
        while run.last().is_some_and(|&(s, e)| !capital(&text[s..e])) {
            run.pop();
        }
        if run.len() >= 2 {
            let name = &text[run[0].0..run[run.len() - 1].1];
            if !out.contains(&name) {
                out.push(name);
            }
        }
        run.clear();
    };
    loop {
        // A word that opens with no capital does nothing to an empty run.
        if run.is_empty() {
            words.skip_to_capital();
        }
        let Some((s, e)) = words.next() else {
            break;
        };
        let word = &text[s..e];
        // Only a space may separate the words of one name, or the stop
        // after an initial ("Joko W. Santoso").
        let gap_ok = run.last().is_none_or(|&(ps, pe)| {
            let gap = &text[pe..s];
            gap == " " || (gap == ". " && text[ps..pe].chars().count() == 1)
        });
        if !gap_ok {
            flush(run, out);
        }
        // Asked only of a capitalised word: most words are not. What ends
        // the text before it, past ASCII spaces, is read as a byte; only a
        // character beyond ASCII is decoded.
        let opens_sentence = || {
            if Some(s) == first {
                return true;
            }
            let before = &text.as_bytes()[..s];
            match before
                .iter()
                .rposition(|b| !matches!(b, b' ' | b'\t'..=b'\r'))
            {
                None => false,
                Some(k) if before[k].is_ascii() => {
                    matches!(before[k], b'.' | b'?' | b'!' | b'"' | b':')
                }
                Some(_) => text[..s]
                    .trim_end()
                    .ends_with(['.', '?', '!', '“', '"', ':']),
            }
        };
        if free((s, e)) && capital(word) && !(opens_sentence() && opener(word)) {
            if acronym(word) && !out.contains(&word) {
                out.push(word);
            }
            run.push((s, e));
        } else if free((s, e)) && joins(word, run.len()) {
            run.push((s, e));
        } else {
            flush(run, out);
        }
    }
    flush(run, out);
    // A headline capitalises every word, names or not. Asked only of a
    // text that has some: most rows have none.
    if !out.is_empty() && title_case(text) {
        out.clear();
    }
    // A lone acronym inside a longer name stays only as its own candidate.
}

/// [`in_word`] of each ASCII character, looked up rather than worked out:
/// it is asked of every character of the words read.
const ASCII_IN_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'\'';
        b += 1;
    }
    table
};

/// Whether a character belongs to a word of [`Words`].
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '\''
}

/// The words of a text, as spans: runs of letters, digits, hyphens and
/// apostrophes. Walks bytes, decoding only what is not ASCII: this runs on
/// every row of an archive.
#[derive(Clone)]
struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Words<'a> {
        Words { text, at: 0 }
    }

    /// Whether the character at byte `i` is part of a word, and its length.
    #[inline(always)]
    fn part(&self, i: usize) -> (bool, usize) {
        match self.text.as_bytes()[i] {
            b if b.is_ascii() => (ASCII_IN_WORD[usize::from(b)], 1),
            _ => {
                let c = self.text[i..].chars().next().unwrap_or_default();
                (in_word(c), c.len_utf8())
            }
        }
    }

    /// Moves to the next word that may open with a capital, past words
    /// that open with anything else: text is mostly such words.
    fn skip_to_capital(&mut self) {
        let bytes = self.text.as_bytes();
        let mut at = self.at;
        // Eight bytes at a time: the places that may open a capital are
        // found in all eight at once, and only they are looked at.
        while let Some(eight) = bytes.get(at..at + 8) {
            let mut places = may_open_bytes(u64::from_le_bytes(eight.try_into().expect("8")));
            while places != 0 {
                let i = at + (places.trailing_zeros() / 8) as usize;
                if !self.inside(i) {
                    self.at = i;
                    return;
                }
                places &= places - 1;
            }
            at += 8;
        }
        let may_open = |b: u8| b.is_ascii_uppercase() || b >= 0xc0;
        self.at = (at..bytes.len())
            .find(|&i| may_open(bytes[i]) && !self.inside(i))
            .unwrap_or(bytes.len());
    }

    /// Whether the character before byte `i` is part of a word; read as a
    /// byte when it is ASCII.
    fn inside(&self, i: usize) -> bool {
        match i.checked_sub(1).map(|k| self.text.as_bytes()[k]) {
            None => false,
            Some(b) if b.is_ascii() => ASCII_IN_WORD[usize::from(b)],
            Some(_) => self.text[..i].chars().next_back().is_some_and(in_word),
        }
    }
}

/// Eight bytes read as one number, so that a test of each is made of all
/// eight at once: one in each byte.
const EACH: u64 = u64::MAX / 0xff;
/// The high bit of each byte.
const HIGH: u64 = 0x80 * EACH;

/// The high bit of each byte of `low` in `lo..=hi`: `low`'s bytes are all
/// below 0x80, so that no sum carries into the next byte.
fn within(low: u64, lo: u8, hi: u8) -> u64 {
    (low + (0x80 - u64::from(lo)) * EACH) & !(low + (0x7f - u64::from(hi)) * EACH) & HIGH
}

/// The high bit of each byte of `x` that is an ASCII character of a word
/// ([`in_word`]); bytes beyond ASCII are clear.
fn ascii_word_bytes(x: u64) -> u64 {
    let low = x & !HIGH;
    let letters = within(low | (0x20 * EACH), b'a', b'z');
    let others = within(low, b'0', b'9') | within(low, b'-', b'-') | within(low, b'\'', b'\'');
    (letters | others) & !x
}

/// The high bit of each byte of `x` that may open a capitalised word: an
/// ASCII capital, or the first byte of a character beyond ASCII.
fn may_open_bytes(x: u64) -> u64 {
    (within(x & !HIGH, b'A', b'Z') & !x) | (x & (x << 1) & HIGH)
}

impl Iterator for Words<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        // A local position, kept in a register, not the field in memory.
        let (bytes, len, mut at) = (self.text.as_bytes(), self.text.len(), self.at);
        // Past ASCII bytes that are no part of a word, eight at a time; the
        // rest a character at a time.
        while let Some(eight) = bytes.get(at..at + 8) {
            let x = u64::from_le_bytes(eight.try_into().expect("8"));
            let stop = ascii_word_bytes(x) | (x & HIGH);
            if stop != 0 {
                at += (stop.trailing_zeros() / 8) as usize;
                break;
            }
            at += 8;
        }
        loop {
            if at >= len {
                self.at = at;
                return None;
            }
            let (is, n) = self.part(at);
            if is {
                break;
            }
            at += n;
        }
        let start = at;
        // Through the word's ASCII characters, eight at a time.
        while let Some(eight) = bytes.get(at..at + 8) {
            let stop = !ascii_word_bytes(u64::from_le_bytes(eight.try_into().expect("8"))) & HIGH;
            if stop != 0 {
                at += (stop.trailing_zeros() / 8) as usize;
                break;
            }
            at += 8;
        }
        while at < len {
            let (is, n) = self.part(at);
            if !is {
                break;
            }
            at += n;
        }
        self.at = at;
        Some((start, at))
    }
}

/// The English name most like `name`: the one sharing most word stems with
/// it, the longest on a tie; the only one when there is just one.
fn best_guess<'g>(name: &str, guesses: &[&'g str]) -> Option<&'g str> {
    if guesses.len() == 1 {
        return guesses.first().copied();
    }
    // A word's stem, written into `out`: a guess's words are stemmed into
    // one buffer, for a row may weigh many guesses.
    let stem = |w: &str, out: &mut String| {
        out.clear();
        let k = |c: char| if c == 'c' { 'k' } else { c };
        // Four ASCII bytes are the first four characters, lowered the same.
        let head = &w.as_bytes()[..w.len().min(4)];
        if head.is_ascii() {
            out.extend(head.iter().map(|&b| k(char::from(b.to_ascii_lowercase()))));
        } else {
            out.extend(w.chars().take(4).flat_map(char::to_lowercase).map(k));
        }
    };
    // The name's stems, each ended by a NUL, which no input text holds
    // (reading rejects it): one string for them all.
    let mut mine = String::new();
    let mut buffer = String::new();
    for w in alphanumeric_words(name) {
        stem(w, &mut buffer);
        mine.push_str(&buffer);
        mine.push('\0');
    }
    let mut shared = |g: &str| {
        alphanumeric_words(g)
            .filter(|w| {
                stem(w, &mut buffer);
                mine.split_terminator('\0').any(|m| m == buffer)
            })
            .count()
    };
    guesses
        .iter()
        .map(|g| (shared(g), g))
        .filter(|&(shared, _)| shared > 0)
        .max_by_key(|(shared, g)| (*shared, g.len()))
        .map(|(_, &g)| g)
}

/// "Mengapa Semarang Kembali Tenggelam?": every word but the short ones
/// capitalised.
fn title_case(text: &str) -> bool {
    // The words of `alphanumeric_words`, read from the bytes and decoded
    // only beyond ASCII: this is asked of every row.
    let bytes = text.as_bytes();
    let at = |i: usize| match bytes[i] {
        b if b.is_ascii() => (char::from(b), 1),
        _ => {
            let c = text[i..].chars().next().unwrap_or_default();
            (c, c.len_utf8())
        }
    };
    let (mut words, mut i) = (0, 0);
    while i < bytes.len() {
        let (first, n) = at(i);
        i += n;
        if !first.is_alphanumeric() {
            continue;
        }
        let mut chars = 1;
        while i < bytes.len() {
            let (c, n) = at(i);
            if !c.is_alphanumeric() {
                break;
            }
            chars += 1;
            i += n;
        }
        if chars >= 4 && first.is_lowercase() {
            return false;
        }
        words += 1;
    }
    words >= 4
}

/// The runs of letters and digits of a text.
fn alphanumeric_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn contains_word(text: &str, name: &str) -> bool {
    // Each place that starts with the name's first byte, mostly a capital
    // and rare: a substring searcher costs more to set up than a sentence
    // takes to search, and a row asks for each of its names.
    let Some(&first) = name.as_bytes().first() else {
        return false;
    };
    let (text_bytes, name_bytes) = (text.as_bytes(), name.as_bytes());
    memchr::memchr_iter(first, text_bytes)
        .filter(|&i| text_bytes[i..].starts_with(name_bytes))
        .any(|i| {
            let before = text[..i].chars().next_back();
            let after = text[i + name.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
}

/// How many genuinely different ways a set of forms is: "Russia" and
/// "Russian", "South Korea" and "South Korean" (a noun and its adjective),
/// or "Putin" and "Vladimir Putin" (a surname and the full name) are one
/// way; "Zelensky" and "Zelenskyy", or "U.S." and "United States", are two.
fn distinct_ways<'a>(forms: impl Iterator<Item = &'a str>) -> usize {
    let mut ways: Vec<&str> = Vec::new();
    for form in forms {
        if !ways.iter().any(|w| one_way(w, form)) {
            ways.push(form);
        }
    }
    ways.len()
}

fn one_way(a: &str, b: &str) -> bool {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let (short, long) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    if short.len() < long.len() {
        return long.ends_with(short);
    }
    let last = short.len() - 1;
    short[..last] == long[..last] && same_family(short[last], long[last])
}

/// A word and its adjective or plural: "Korea"/"Korean", "China"/"Chinese".
fn same_family(a: &str, b: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "", "a", "e", "n", "an", "ian", "ese", "s", "ns", "ans", "ians", "i", "is",
    ];
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let rest = |s: &str| s.chars().skip(common).collect::<String>();
    common >= 3 && ENDINGS.contains(&rest(a).as_str()) && ENDINGS.contains(&rest(b).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `title_case` reads bytes; it must say what the words of
    /// `alphanumeric_words` say.
    #[test]
    fn title_case_reads_the_words_the_splitter_reads() {
        let by_words = |text: &str| {
            let mut words = 0;
            for w in alphanumeric_words(text) {
                if w.chars().nth(3).is_some() && w.starts_with(char::is_lowercase) {
                    return false;
                }
                words += 1;
            }
            words >= 4
        };
        let fixed = [
            "Mengapa Semarang Kembali Tenggelam?",
            "Mengapa Semarang kembali Tenggelam?",
            "Jokowi di Solo dan Yogya",
            "Ekspor Naik 12,5 Persen pada Época Ini",
            "Éxodo Warga Gaza ke Rafah Terus Berlanjut",
            "ékspor Warga Gaza Terus",
            "Dua Tiga",
            "",
            "... —— !!",
        ];
        for text in fixed {
            assert_eq!(title_case(text), by_words(text), "{text}");
        }
        assert!(title_case(fixed[0]) && !title_case(fixed[1]) && title_case(fixed[4]));
        let pieces = [
            "Kota", "kota", "AS", "di", "Élan", "élan", "2024", "ñu", "-", " ", ", ", "…", "’s",
            "ABCD", "abcd",
        ];
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..5_000 {
            let text: String = (0..rng.usize(0..12))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            assert_eq!(title_case(&text), by_words(&text), "{text:?}");
        }
    }

    #[test]
    fn the_ascii_table_agrees_with_in_word() {
        for b in 0..128u8 {
            assert_eq!(ASCII_IN_WORD[usize::from(b)], in_word(char::from(b)), "{b}");
        }
    }

    #[test]
    fn eight_byte_tests_agree_with_one_byte_tests() {
        // Every byte in every place, among neighbours that could carry
        // into it if a sum overflowed: 0x7f below, 0xff above.
        for b in 0..=255u8 {
            for place in 0..8 {
                for fill in [0x7f_u8, 0xff, b'a', b' '] {
                    let mut bytes = [fill; 8];
                    bytes[place] = b;
                    let x = u64::from_le_bytes(bytes);
                    let bit = |mask: u64| mask >> (8 * place + 7) & 1 == 1;
                    let word = b.is_ascii() && ASCII_IN_WORD[usize::from(b)];
                    assert_eq!(bit(ascii_word_bytes(x)), word, "{b:#x} at {place}");
                    let may_open = b.is_ascii_uppercase() || b >= 0xc0;
                    assert_eq!(bit(may_open_bytes(x)), may_open, "{b:#x} at {place}");
                }
            }
        }
    }

    fn n(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        names(text, &[], &mut out, &mut Vec::new());
        out
    }

    #[test]
    fn names_and_acronyms() {
        assert_eq!(
            n("Kata Orisya Lutsevich, kepala Forum Ukraina di Chatham House."),
            ["Orisya Lutsevich", "Forum Ukraina", "Chatham House"]
        );
        assert_eq!(
            n("Namun Pusat Studi Strategis dan Internasional menyebut BNPB lamban."),
            ["Pusat Studi Strategis dan Internasional", "BNPB"]
        );
        // A sentence opener is no part of a name; a lone capital is no name.
        assert_eq!(
            n("Menurut Edward Howell, Pyongyang menang."),
            ["Edward Howell"]
        );
        assert_eq!(n("kata Joko W. Santoso kemarin"), ["Joko W. Santoso"]);
        assert!(n("Mengapa Semarang Kembali Tenggelam dan Mampukah Dunia Membantu?").is_empty());
        assert!(n("Beberapa analis setuju.").is_empty());
        assert_eq!(
            n("buku oleh jurnalis Bob Woodward dan Robert Costa sejak Perang Dunia II"),
            ["Bob Woodward", "Robert Costa", "Perang Dunia II"]
        );
        // Capitals inside words, after hyphens and beyond ASCII.
        assert_eq!(
            n(
                "pernyataan “Gedung Putih” dan Žižek Müller di iPhone McDonald Corp, pro-Rusia Partai Komunis"
            ),
            [
                "Gedung Putih",
                "Žižek Müller",
                "McDonald Corp",
                "Partai Komunis"
            ]
        );
        assert_eq!(
            n("ÉCOLE Normale menurut BNPB"),
            ["ÉCOLE", "ÉCOLE Normale", "BNPB"]
        );
        // Long stretches without a capital, passed over sixteen bytes at a
        // time, end at one wherever it falls, after ASCII or beyond it.
        assert_eq!(
            n("sejak awal tahun ini para pejabat tinggi dari kementerian bertemu Joko Widodo"),
            ["Joko Widodo"]
        );
        assert_eq!(
            n("kata para pejabat tinggi itu—dengan nada pelan—kepada Édouard Philippe."),
            ["Édouard Philippe"]
        );
        assert_eq!(
            n(
                "para pejabat tinggi itu berkata bahwa sekitar seratus orang hadir di sanaiPhone Apple Store"
            ),
            ["Apple Store"]
        );
    }

    #[test]
    fn known_names_are_left_out() {
        let text = "Presiden Ukraina Volodymyr Zelensky tiba.";
        let span = |name: &str| {
            let at = text.find(name).unwrap();
            (at, at + name.len())
        };
        let covered = [span("Ukraina"), span("Volodymyr Zelensky")];
        // The buffer is cleared: nothing from the call before stays.
        let mut out = vec!["stale"];
        names(text, &covered, &mut out, &mut Vec::new());
        assert!(out.is_empty());
        names(text, &covered[1..], &mut out, &mut Vec::new());
        assert_eq!(out, ["Presiden Ukraina"]);
    }

    #[test]
    fn ways_of_writing_a_name() {
        assert_eq!(distinct_ways(["Russia", "Russian"].into_iter()), 1);
        assert_eq!(distinct_ways(["China", "Chinese"].into_iter()), 1);
        assert_eq!(distinct_ways(["Ukraine", "Ukrainian"].into_iter()), 1);
        assert_eq!(distinct_ways(["Zelensky", "Zelenskyy"].into_iter()), 2);
        assert_eq!(distinct_ways(["U.S.", "United States"].into_iter()), 2);
        assert_eq!(
            distinct_ways(["South Korea", "South Korean"].into_iter()),
            1
        );
        assert_eq!(distinct_ways(["Putin", "Vladimir Putin"].into_iter()), 1);
        assert_eq!(distinct_ways(["N. Korea", "North Korea"].into_iter()), 2);
    }
}
