//! Numbers that must survive translation (SPEC §5): every number in the
//! source must occur in the target once both are normalised. Indonesian
//! `10.000` and `2,5` are English `10,000` and `2.5`; `ke-24` is `24th`;
//! `10 ribu` may be `10,000` or `10 thousand`; small numbers may be spelled
//! out in English ("three"); dates in words count by their digits only
//! (`31 Oktober 2024` is `Oct. 31, 2024`).

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::align::anchors::number;
use crate::segment::Lang;

/// The source numbers that the target does not carry, as written in the source.
pub fn missing(source: &str, target: &str, from: Lang, to: Lang) -> Vec<String> {
    // Only English numbers come in words: without a digit, an Indonesian
    // source has none (most sentences of an archive).
    if from != Lang::English && next_digit(source.as_bytes(), 0).is_none() {
        return Vec::new();
    }
    let wanted = Mentions::of(source, from, true);
    if wanted.found.is_empty() {
        return Vec::new();
    }
    let carried = |present: &Mentions, k: usize| {
        wanted
            .values(k)
            .any(|v| (0..present.found.len()).any(|j| present.values(j).any(|p| p == v)))
    };
    // Most numbers come over as digits, found from one digit to the next:
    // the target's every word is read for number words only when its
    // digits leave a number out.
    let mut present = Mentions::of(target, to, false);
    if (0..wanted.found.len()).all(|k| carried(&present, k)) {
        return Vec::new();
    }
    if to == Lang::English {
        present = Mentions::of(target, to, true);
    }
    let mut out: Vec<String> = Vec::new();
    for k in 0..wanted.found.len() {
        let text = &wanted.found[k].0;
        if !carried(&present, k) && !out.iter().any(|o| o == text) {
            out.push(text.to_string());
        }
    }
    out
}

/// Where the first ASCII digit at or after byte `i` is. Sixteen bytes at a
/// time while none is: a test the compiler makes on all sixteen at once.
fn next_digit(bytes: &[u8], mut i: usize) -> Option<usize> {
    while let Some(sixteen) = bytes.get(i..i + 16) {
        if sixteen
            .iter()
            .fold(false, |any, b| any | b.is_ascii_digit())
        {
            break;
        }
        i += 16;
    }
    let k = bytes.get(i..)?.iter().position(u8::is_ascii_digit)?;
    Some(i + k)
}

/// The numbers in a text, with the values each may stand for. A sentence
/// has a few: their values are kept end to end in one string rather than
/// a string apiece, for this runs on both sides of every row of an archive.
struct Mentions<'t> {
    /// Each number as written (a number word lowercased), and where its
    /// value and its value scaled by a following scale word ("10 ribu")
    /// end in `values`; the two ends are equal when it has no scale word.
    found: Vec<(Cow<'t, str>, usize, usize)>,
    values: String,
}

impl<'t> Mentions<'t> {
    /// Walks bytes, decoding only what is not ASCII. Number words count
    /// with `words` and in English; without them, it goes from one digit
    /// to the next.
    fn of(text: &'t str, lang: Lang, words: bool) -> Mentions<'t> {
        let words = words && lang == Lang::English;
        let bytes = text.as_bytes();
        // The character at byte `i`, a boundary.
        let char_at = |i: usize| text[i..].chars().next().unwrap_or_default();
        // Room for a sentence's few numbers, made once.
        let mut out = Mentions {
            found: Vec::with_capacity(4),
            values: String::with_capacity(32),
        };
        let mut i = 0;
        while i < bytes.len() {
            if !words {
                match next_digit(bytes, i) {
                    Some(digit) => i = digit,
                    None => break,
                }
            }
            let b = bytes[i];
            if b.is_ascii_digit() {
                let glued = text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphabetic)
                    && !is_ordinal_prefix(bytes, i);
                let start = out.values.len();
                let next = number(bytes, i, lang, &mut out.values);
                // A digit glued to letters ("G20", "Su-27" aside) is still a
                // number, but takes no scale word.
                let scaled = if glued {
                    None
                } else {
                    scale(text, next).and_then(|factor| {
                        let v = out.values[start..].parse::<f64>().ok()?;
                        Some(v * factor)
                    })
                };
                canonical(&mut out.values, start);
                let end = out.values.len();
                if let Some(scaled) = scaled {
                    write!(out.values, "{scaled}").expect("write to a string");
                    canonical(&mut out.values, end);
                }
                out.found
                    .push((Cow::Borrowed(&text[i..next]), end, out.values.len()));
                i = next;
            } else if b.is_ascii_alphabetic() || !b.is_ascii() && char_at(i).is_alphabetic() {
                let (start, mut ascii) = (i, true);
                while i < bytes.len() {
                    if bytes[i].is_ascii_alphabetic() {
                        i += 1;
                    } else if !bytes[i].is_ascii() && char_at(i).is_alphabetic() {
                        i += char_at(i).len_utf8();
                        ascii = false;
                    } else {
                        break;
                    }
                }
                // Number words are short and plain ASCII: lowercased on the
                // stack, for this runs on every word of the target.
                let word = &bytes[start..i];
                let mut lower = [0u8; 9];
                if words && ascii && (3..=lower.len()).contains(&word.len()) {
                    for (l, b) in lower.iter_mut().zip(word) {
                        *l = b.to_ascii_lowercase();
                    }
                    let word = &lower[..word.len()];
                    if let Some(v) = english_word(word) {
                        write!(out.values, "{v}").expect("write to a string");
                        let text = String::from_utf8_lossy(word).into_owned();
                        let end = out.values.len();
                        out.found.push((Cow::Owned(text), end, end));
                    }
                }
            } else {
                i += char_at(i).len_utf8();
            }
        }
        out
    }

    /// The values of number `k`: one, or two with a scale word.
    fn values(&self, k: usize) -> impl Iterator<Item = &str> {
        let start = if k == 0 { 0 } else { self.found[k - 1].2 };
        let (_, end, scaled) = self.found[k];
        [&self.values[start..end], &self.values[end..scaled]]
            .into_iter()
            .filter(|v| !v.is_empty())
    }
}

/// `ke-24`: the digits at byte `i` follow Indonesian's ordinal prefix.
fn is_ordinal_prefix(bytes: &[u8], i: usize) -> bool {
    i >= 3 && bytes[i - 1] == b'-' && bytes[i - 3..i - 1].eq_ignore_ascii_case(b"ke")
}

/// The factor of a scale word after a number ending at byte `i` ("10
/// ribu", "1,2 triliun", "2.5 million").
fn scale(text: &str, mut i: usize) -> Option<f64> {
    let bytes = text.as_bytes();
    while i < bytes.len() && bytes[i] == b' ' {
        i += 1;
    }
    let start = i;
    while let Some(c) = text[i..].chars().next().filter(|c| c.is_alphabetic()) {
        i += c.len_utf8();
    }
    // The scale words are plain ASCII, and the one letter beyond ASCII that
    // lowercases into it (the Kelvin sign, to k) is in none of them: they
    // are compared in place, with no lowercase copy per number.
    let word = &text[start..i];
    [
        ("ribu", 1e3),
        ("thousand", 1e3),
        ("juta", 1e6),
        ("million", 1e6),
        ("miliar", 1e9),
        ("milyar", 1e9),
        ("billion", 1e9),
        ("triliun", 1e12),
        ("trillion", 1e12),
    ]
    .into_iter()
    .find(|(scale, _)| word.eq_ignore_ascii_case(scale))
    .map(|(_, factor)| factor)
}

/// One canonical spelling per value: `2.50`, `02.5` and `2.5` are one.
/// The value is what `values` holds from `start` on, and is rewritten there.
fn canonical(values: &mut String, start: usize) {
    // Most numbers are whole, with no leading zero and few enough digits
    // that a float holds them exactly: already canonical.
    let value = &values[start..];
    // So are decimals written as a float prints them: a point between
    // digits, no leading zero but a lone one, no trailing zero, and at
    // most 15 digits, which an f64 always gives back as they were.
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (int, fraction) = value.split_once('.').unwrap_or((value, "1"));
    let printed = digits(int)
        && digits(fraction)
        && (int == "0" || !int.starts_with('0'))
        && !fraction.ends_with('0')
        && int.len() + fraction.len() <= 15;
    if printed {
        return;
    }
    if let Ok(v) = value.parse::<f64>()
        && v.is_finite()
    {
        values.truncate(start);
        write!(values, "{v}").expect("write to a string");
    }
}

/// The value of an English number word. One `match`: it runs on every
/// word of a target whose source has a number, and compiles to a switch on
/// the word's length before any comparison.
fn english_word(word: &[u8]) -> Option<u32> {
    Some(match word {
        b"zero" | b"zeroth" => 0,
        b"one" | b"first" => 1,
        b"two" | b"second" => 2,
        b"three" | b"third" => 3,
        b"four" | b"fourth" => 4,
        b"five" | b"fifth" => 5,
        b"six" | b"sixth" => 6,
        b"seven" | b"seventh" => 7,
        b"eight" | b"eighth" => 8,
        b"nine" | b"ninth" => 9,
        b"ten" | b"tenth" => 10,
        b"eleven" => 11,
        b"twelve" | b"dozen" => 12,
        b"thirteen" => 13,
        b"fourteen" => 14,
        b"fifteen" => 15,
        b"sixteen" => 16,
        b"seventeen" => 17,
        b"eighteen" => 18,
        b"nineteen" => 19,
        b"twenty" => 20,
        b"thirty" => 30,
        b"forty" => 40,
        b"fifty" => 50,
        b"hundred" => 100,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gaps(id: &str, en: &str) -> Vec<String> {
        missing(id, en, Lang::Indonesian, Lang::English)
    }

    #[test]
    fn number_words_and_ordinals() {
        let words = [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ];
        let ordinals = [
            "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth",
        ];
        for list in [&words[..], &ordinals[..]] {
            for (value, word) in list.iter().enumerate() {
                assert_eq!(english_word(word.as_bytes()), Some(value as u32), "{word}");
            }
        }
        assert_eq!(english_word(b"dozen"), Some(12));
        assert_eq!(english_word(b"fifty"), Some(50));
        assert_eq!(english_word(b"hundred"), Some(100));
        for word in ["the", "none", "tens", "eleventh", "Three", "sixty"] {
            assert_eq!(english_word(word.as_bytes()), None, "{word}");
        }
    }

    fn canonical(value: &str) -> String {
        // After another value, as in a text with several numbers.
        let mut values = String::from("12");
        values.push_str(value);
        super::canonical(&mut values, 2);
        values.split_off(2)
    }

    /// The spellings kept as they are must be what the float prints.
    #[test]
    fn spellings_kept_as_written_are_the_floats_own() {
        let mut rng = fastrand::Rng::with_seed(11);
        let digits = |rng: &mut fastrand::Rng, n: usize| -> String {
            (0..n).map(|_| char::from(b'0' + rng.u8(0..10))).collect()
        };
        for _ in 0..200_000 {
            let (n, m) = (rng.usize(1..9), rng.usize(1..9));
            let int = digits(&mut rng, n);
            let value = match rng.u8(0..3) {
                0 => int,
                _ => format!("{int}.{}", digits(&mut rng, m)),
            };
            let parsed = format!("{}", value.parse::<f64>().unwrap());
            assert_eq!(canonical(&value), parsed, "{value}");
        }
        for v in [
            "0.1",
            "0.000001",
            "123456789.012345",
            "99999999999999.9",
            "0.30000000000000004",
        ] {
            assert_eq!(
                canonical(v),
                format!("{}", v.parse::<f64>().unwrap()),
                "{v}"
            );
        }
    }

    #[test]
    fn whole_numbers_keep_their_spelling_and_the_rest_are_parsed() {
        let parsed = |v: &str| format!("{}", v.parse::<f64>().unwrap());
        for v in ["0", "7", "24", "2024", "10000", "123456789012345"] {
            assert_eq!(canonical(v), parsed(v), "{v}");
        }
        assert_eq!(canonical("007"), "7");
        assert_eq!(canonical("00"), "0");
        assert_eq!(canonical("2.50"), "2.5");
        assert_eq!(canonical("10.30"), "10.3");
        assert_eq!(
            canonical("12345678901234567890"),
            parsed("12345678901234567890")
        );
        // Scale words in any case, and only whole words.
        assert_eq!(scale("10 RIBU", 2), Some(1e3));
        assert_eq!(scale("2 Million people", 1), Some(1e6));
        assert_eq!(scale("2 millions", 1), None);
        assert_eq!(scale("2 ribuan", 1), None);
        assert_eq!(scale("2 élan", 1), None);
    }

    #[test]
    fn from_digit_to_digit_finds_what_the_walk_over_words_finds() {
        let texts = [
            "sekitar 10.000 tentara, 2,5 meter, ke-24, G20 dan Su-27 pada 2024",
            "about ten thousand troops, 10 ribu, 3 juta, five of 12 and the 1990s",
            "Müller’s 7 Ünal 8,5 «9» — 1.250.000 x1.5y 0",
            "Digits at the very end 123456789012345678",
            "sixteen bytes ok7 then 8",
            "tiga puluh, no digits at all here, none",
            "",
        ];
        let digits = |m: &Mentions| -> Vec<(String, Vec<String>)> {
            (0..m.found.len())
                .filter(|&k| m.found[k].0.starts_with(|c: char| c.is_ascii_digit()))
                .map(|k| {
                    (
                        m.found[k].0.to_string(),
                        m.values(k).map(String::from).collect(),
                    )
                })
                .collect()
        };
        for text in texts {
            for lang in [Lang::Indonesian, Lang::English] {
                let walked = Mentions::of(text, lang, true);
                let jumped = Mentions::of(text, lang, false);
                assert_eq!(digits(&jumped), digits(&walked), "{text}");
                assert_eq!(jumped.found.len(), digits(&jumped).len(), "{text}");
            }
            assert_eq!(
                next_digit(text.as_bytes(), 0),
                text.bytes().position(|b| b.is_ascii_digit()),
                "{text}"
            );
        }
        assert!(gaps("naik 3 meter", "rose three meters").is_empty());
        assert_eq!(gaps("naik 3 meter", "rose four meters"), ["3"]);
    }

    #[test]
    fn conventions_cross_over() {
        assert!(gaps("sekitar 10.000 tentara", "about 10,000 troops").is_empty());
        assert!(gaps("naik 2,5 meter", "rose 2.5 meters").is_empty());
        assert!(gaps("Brigade ke-24", "the 24th Brigade").is_empty());
        assert!(gaps("pukul 10.30 WIB", "at 10:30 a.m.").is_empty());
        assert!(gaps("12,5 persen", "12.5%").is_empty());
        assert!(gaps("Rp 1,2 triliun", "1.2 trillion rupiah").is_empty());
        assert!(gaps("10 ribu warga", "10,000 residents").is_empty());
        assert!(gaps("10 ribu warga", "10 thousand residents").is_empty());
        assert!(
            gaps(
                "tiga jenderal dan 3 kolonel",
                "three generals and three colonels"
            )
            .is_empty()
        );
    }

    #[test]
    fn english_number_words_count_on_either_side() {
        // An English source's words are numbers even without a digit.
        let missing_en = missing(
            "Three colonels",
            "Para kolonel",
            Lang::English,
            Lang::Indonesian,
        );
        assert_eq!(missing_en, ["three"]);
        assert!(
            missing(
                "Three colonels",
                "3 kolonel",
                Lang::English,
                Lang::Indonesian
            )
            .is_empty()
        );
        // Words too long or not ASCII are no number words.
        assert_eq!(gaps("7 orang", "Seventeenth people"), ["7"]);
        assert_eq!(gaps("7 orang", "séven people"), ["7"]);
    }

    #[test]
    fn dates_count_by_their_digits() {
        assert!(gaps("Kamis, 31 Oktober 2024.", "Thursday, Oct. 31, 2024.").is_empty());
        assert!(gaps("pada 6 Januari", "on Jan. 6").is_empty());
        assert_eq!(gaps("pada 6 Januari 2021", "on Jan. 6"), ["2021"]);
    }

    #[test]
    fn a_wrong_number_is_named_as_written() {
        assert_eq!(
            gaps("sekitar 10.000 tentara", "about 1,000 troops"),
            ["10.000"]
        );
        assert_eq!(gaps("5.000 mil", "5,000 kilometers"), Vec::<String>::new());
        assert_eq!(gaps("32 negara", "23 countries"), ["32"]);
        assert_eq!(
            gaps("jet Su-27 dan G20", "Su-27 jets and the G20"),
            Vec::<String>::new()
        );
    }
}
