//! Sentence segmentation for Indonesian and English (SPEC §3).
//!
//! A sentence ends at `.`, `!`, `?` or `…` (or a run of them), together with
//! the closing quotes and brackets right after it, when what follows is the
//! end of the paragraph or a space and then something that is not a
//! lowercase letter. Abbreviations, initials and numbers hold a sentence
//! together; stray punctuation (". .", ".Di") sticks to the sentence before
//! it. Sentences are trimmed slices of the paragraph, so nothing is lost.

mod abbrev;

/// The language of a text, as far as segmentation cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Indonesian,
    English,
    /// Any other language: the English rules without its abbreviation list.
    Other,
}

impl Lang {
    /// Maps an ISO 639 code (`id`, `ind`, `in`, `en`, `eng`, ...) to a
    /// language. Malay shares Indonesian's rules closely enough.
    pub fn from_code(code: &str) -> Lang {
        match code.to_ascii_lowercase().as_str() {
            "id" | "ind" | "in" | "ms" | "msa" | "zlm" | "may" => Lang::Indonesian,
            c if c == "en" || c == "eng" || c.starts_with("en-") => Lang::English,
            _ => Lang::Other,
        }
    }

    fn abbreviations(self) -> &'static [&'static str] {
        match self {
            Lang::Indonesian => abbrev::INDONESIAN,
            Lang::English => abbrev::ENGLISH,
            Lang::Other => &[],
        }
    }
}

/// Splits a paragraph into sentences. Every piece is a trimmed slice of
/// `text`; together, in order, they hold every non-space character of it.
pub fn sentences(text: &str, lang: Lang) -> Vec<&str> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    for cut in cuts(text, &chars, lang) {
        let piece = text[start..cut].trim();
        if !piece.is_empty() {
            pieces.push(piece);
        }
        start = cut;
    }
    let last = text[start..].trim();
    if !last.is_empty() {
        pieces.push(last);
    }
    merge_punctuation_only(text, pieces)
}

/// Byte offsets where sentences end, in order.
fn cuts(text: &str, chars: &[(usize, char)], lang: Lang) -> Vec<usize> {
    let at = |i: usize| {
        if i < chars.len() {
            chars[i].0
        } else {
            text.len()
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_terminal(chars[i].1) {
            i += 1;
            continue;
        }
        let run_start = i;
        let run_end = skip(chars, i, is_terminal);
        let single_dot = run_end == run_start + 1 && chars[run_start].1 == '.';
        let mut end = skip(chars, run_end, is_closer);
        i = end;
        if end >= chars.len() {
            break; // the paragraph's end closes its last sentence anyway
        }
        if !chars[end].1.is_whitespace() {
            if glued_boundary(chars, run_start, end) {
                out.push(at(end));
            }
            continue;
        }
        // Whitespace follows. Absorb stray dots (". .", ". .Di") into this sentence.
        let mut stray = false;
        let mut next = skip(chars, end, char::is_whitespace);
        while next < chars.len() && chars[next].1 == '.' {
            end = skip(chars, skip(chars, next, |c| c == '.'), is_closer);
            stray = true;
            next = skip(chars, end, char::is_whitespace);
        }
        i = end.max(i);
        if next >= chars.len() {
            break;
        }
        let c = chars[next].1;
        if c.is_lowercase() {
            continue;
        }
        if stray {
            out.push(at(end));
            continue;
        }
        if single_dot && holds_together(text, chars, run_start, next, lang) {
            continue;
        }
        out.push(at(end));
    }
    out
}

fn skip(chars: &[(usize, char)], mut i: usize, f: impl Fn(char) -> bool) -> usize {
    while i < chars.len() && f(chars[i].1) {
        i += 1;
    }
    i
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‽')
}

fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '"' | '\'' | ')' | ']' | '»' | '›' | '}')
}

/// "depan.Dalam": a stop glued to a capitalised word after a lowercase word is
/// a boundary a CMS lost its space at; "U.S.A", "10.000" and "Ph.D" are not.
fn glued_boundary(chars: &[(usize, char)], run_start: usize, end: usize) -> bool {
    let next_upper = chars[end].1.is_uppercase();
    let then_lower = chars.get(end + 1).is_some_and(|&(_, c)| c.is_lowercase());
    if !(next_upper && then_lower) {
        return false;
    }
    let mut k = run_start;
    let mut letters = 0;
    while k > 0 && chars[k - 1].1.is_alphabetic() {
        if !chars[k - 1].1.is_lowercase() {
            return false;
        }
        letters += 1;
        k -= 1;
    }
    letters >= 2 && (k == 0 || !matches!(chars[k - 1].1, '.' | '@' | '/'))
}

/// Whether the single "." at `dot` belongs to an abbreviation, an initial or
/// a list number rather than ending the sentence. `next` is the first
/// character of what follows.
fn holds_together(
    text: &str,
    chars: &[(usize, char)],
    dot: usize,
    next: usize,
    lang: Lang,
) -> bool {
    let mut k = dot;
    while k > 0 && (chars[k - 1].1.is_alphanumeric() || chars[k - 1].1 == '.') {
        k -= 1;
    }
    let word = &text[chars[k].0..chars[dot].0];
    if word.is_empty() {
        return false;
    }
    let next_word = word_at(text, chars, next);
    let next_is_digit = chars[next].1.is_ascii_digit();
    if abbrev::COMPANY_SUFFIXES.contains(&next_word) {
        return true;
    }

    // Numbers end sentences ("pada 2021. Milley"), except a list number
    // opening the paragraph ("1. Pertama").
    if word.chars().any(|c| c.is_ascii_digit()) {
        return k == 0 && word.len() <= 2 && word.bytes().all(|b| b.is_ascii_digit());
    }
    // Initials: "W.", "N. Korea".
    let mut letters = word.chars();
    if let (Some(c), None) = (letters.next(), letters.next())
        && c.is_uppercase()
    {
        return true;
    }
    // Dotted abbreviations: "U.S.", "a.m.", "Ph.D." end a sentence only
    // before a word that usually opens one.
    if (word.contains('.') && !word.ends_with('.')) || abbrev::BEFORE_NAME.contains(&word) {
        return !abbrev::SENTENCE_STARTERS.contains(&next_word);
    }
    if lang.abbreviations().contains(&word) {
        return true;
    }
    abbrev::BEFORE_NUMBER.contains(&word) && next_is_digit
}

/// The word (letters only) starting at char index `i`.
fn word_at<'a>(text: &'a str, chars: &[(usize, char)], i: usize) -> &'a str {
    let end = skip(chars, i, char::is_alphabetic);
    let to = if end < chars.len() {
        chars[end].0
    } else {
        text.len()
    };
    &text[chars[i].0..to]
}

/// A piece with no letter or digit (". .", "”", "…") joins the sentence before
/// it, or the one after it when it comes first.
fn merge_punctuation_only<'a>(text: &'a str, pieces: Vec<&'a str>) -> Vec<&'a str> {
    let has_content = |s: &str| s.chars().any(char::is_alphanumeric);
    let offset = |s: &str| s.as_ptr() as usize - text.as_ptr() as usize;
    let span = |a: &str, b: &str| &text[offset(a)..offset(b) + b.len()];
    let mut out: Vec<&'a str> = Vec::with_capacity(pieces.len());
    let mut pending: Option<&'a str> = None;
    for piece in pieces {
        if has_content(piece) {
            let piece = match pending.take() {
                Some(first) => span(first, piece),
                None => piece,
            };
            out.push(piece);
        } else if let Some(prev) = out.last_mut() {
            *prev = span(prev, piece);
        } else {
            pending = Some(match pending {
                Some(first) => span(first, piece),
                None => piece,
            });
        }
    }
    if let Some(only) = pending {
        out.push(only); // a paragraph of nothing but punctuation stays whole
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        assert_eq!(Lang::from_code("id"), Lang::Indonesian);
        assert_eq!(Lang::from_code("IND"), Lang::Indonesian);
        assert_eq!(Lang::from_code("en-US"), Lang::English);
        assert_eq!(Lang::from_code("de"), Lang::Other);
    }

    #[test]
    fn pieces_are_slices_that_keep_every_character() {
        let text = "Satu. .Dua?  “Tiga.” (Empat)";
        let got = sentences(text, Lang::Indonesian);
        let joined: String = got.concat().split_whitespace().collect();
        let original: String = text.split_whitespace().collect();
        assert_eq!(joined, original);
    }

    #[test]
    fn punctuation_only_paragraph_stays_whole() {
        assert_eq!(sentences("* * *", Lang::English), ["* * *"]);
        assert_eq!(sentences(". .", Lang::English), [". ."]);
    }
}
