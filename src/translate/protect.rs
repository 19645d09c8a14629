//! `--protect-names`: glossary names travel already in their preferred
//! English form, inside an element the service is told to leave alone, and
//! the markup comes off the answer again.
//!
//! The text sent is markup, so it is escaped first (`&`, `<`, `>`); then
//! every glossary source form found in it (Indonesian boundary rules, the
//! longest match first) becomes the entry's preferred English form inside a
//! no-translate element: `<span translate="no">..</span>` for services that
//! read HTML, `<x>..</x>` for DeepL's XML mode with `ignore_tags=x`. A
//! clitic stays outside the element (`Rusianya` is
//! `<span translate="no">Russia</span>nya`), for the service to translate.
//!
//! The answer loses its tags (ours and any the service added), its entities
//! are resolved, and the spaces next to the kept names are put right: a
//! space the service dropped between a name and a word comes back, a space
//! it added before punctuation or inside brackets goes, and doubled spaces
//! become one.

use std::fmt;

use crate::check::glossary::Entry;
use crate::check::terms::{Finder, Side};

/// How a provider marks text it must not translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// HTML, `<span translate="no">..</span>`: Google (`format=html`), Azure
    /// (`textType=html`), LibreTranslate (`format=html`).
    Html,
    /// XML, `<x>..</x>`: DeepL with `tag_handling=xml` and `ignore_tags=x`.
    Xml,
}

impl Markup {
    fn open(self) -> &'static str {
        match self {
            Markup::Html => "<span translate=\"no\">",
            Markup::Xml => "<x>",
        }
    }

    fn close(self) -> &'static str {
        match self {
            Markup::Html => "</span>",
            Markup::Xml => "</x>",
        }
    }

    /// The element's name.
    fn element(self) -> &'static str {
        match self {
            Markup::Html => "span",
            Markup::Xml => "x",
        }
    }
}

/// The glossary's source forms, their preferred English forms and the
/// provider's markup: everything needed to protect a text and to read the
/// answer back.
pub struct Protector {
    finder: Finder,
    /// Per entry, the preferred English form.
    names: Vec<String>,
    markup: Markup,
}

impl fmt::Debug for Protector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Protector")
            .field("names", &self.names.len())
            .field("markup", &self.markup)
            .finish()
    }
}

impl Protector {
    pub fn new(entries: &[Entry], markup: Markup) -> Protector {
        Protector {
            finder: Finder::new(entries, |e| &e.sources),
            names: entries
                .iter()
                .map(|e| e.targets.first().cloned().unwrap_or_default())
                .collect(),
            markup,
        }
    }

    pub fn markup(&self) -> Markup {
        self.markup
    }

    /// `text` as markup, every glossary name in it replaced by its preferred
    /// English form inside a no-translate element.
    pub fn protect(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        let mut at = 0;
        for found in self.finder.find(text, Side::Source) {
            // The finder keeps two entries for the same span; use the first.
            let name = &self.names[found.entry];
            if found.start < at || name.is_empty() {
                continue;
            }
            escape_into(&mut out, &text[at..found.start]);
            out.push_str(self.markup.open());
            escape_into(&mut out, name);
            out.push_str(self.markup.close());
            // A clitic (`-nya`) stays outside, for the service to translate.
            at = found.form_end;
        }
        escape_into(&mut out, &text[at..]);
        out
    }

    /// The plain text of an answer to a protected text: tags removed (the
    /// no-translate elements keep their content), entities resolved, the
    /// spaces around the kept names put right and whitespace normalised.
    pub fn unprotect(&self, answer: &str) -> String {
        let mut out = String::with_capacity(answer.len());
        // Where kept names start and end in `out`.
        let mut edges: Vec<(usize, Edge)> = Vec::new();
        // Open elements of our element's name: whether each is ours.
        let mut open: Vec<bool> = Vec::new();
        let mut rest = answer;
        while let Some(i) = rest.find(['<', '&']) {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            if rest.starts_with('&') {
                match entity(rest) {
                    Some((c, len)) => {
                        out.push(c);
                        rest = &rest[len..];
                    }
                    None => {
                        out.push('&');
                        rest = &rest[1..];
                    }
                }
                continue;
            }
            let Some(tag) = tag(rest) else {
                out.push('<');
                rest = &rest[1..];
                continue;
            };
            rest = &rest[tag.len..];
            if tag.name == self.markup.element() && !tag.self_closing {
                if tag.closing {
                    if open.pop() == Some(true) {
                        edges.push((out.len(), Edge::Close));
                    }
                } else {
                    let ours = self.markup == Markup::Xml || no_translate(tag.attributes);
                    open.push(ours);
                    if ours {
                        edges.push((out.len(), Edge::Open));
                    }
                }
            } else if BREAKS.contains(&tag.name.as_str()) {
                out.push(' ');
            }
        }
        out.push_str(rest);
        tidy(out, &edges)
    }
}

/// Appends `text` with `&`, `<` and `>` escaped.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// The character an entity at the start of `s` stands for, and the
/// entity's length; `None` for anything else (a bare `&`).
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.char_indices().take(12).find(|&(_, c)| c == ';')?.0;
    let body = &s[1..end];
    let c = match body {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let number = body.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

/// A tag at the start of `s`.
struct Tag<'a> {
    /// Lower case; empty for comments and declarations.
    name: String,
    attributes: &'a str,
    closing: bool,
    self_closing: bool,
    len: usize,
}

/// Reads the tag at the start of `s` (which starts with `<`), or `None`
/// when it is no tag: a `<` not followed by a name, `/`, `!` or `?`, or
/// never closed.
fn tag(s: &str) -> Option<Tag<'_>> {
    let after = s[1..].chars().next()?;
    if !(after.is_ascii_alphabetic() || matches!(after, '/' | '!' | '?')) {
        return None;
    }
    if let Some(comment) = s.strip_prefix("<!--") {
        let end = comment.find("-->")?;
        return Some(Tag {
            name: String::new(),
            attributes: "",
            closing: false,
            self_closing: true,
            len: 4 + end + 3,
        });
    }
    // The closing `>`, outside quoted attribute values.
    let mut quote = None;
    let mut end = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                end = Some(i);
                break;
            }
            (None, '<') => return None,
            _ => {}
        }
    }
    let end = end?;
    let inner = &s[1..end];
    let closing = inner.starts_with('/');
    let inner = inner.trim_start_matches('/');
    let self_closing = inner.ends_with('/') || inner.starts_with(['!', '?']);
    let name_len = inner
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(inner.len());
    let name = if inner.starts_with(['!', '?']) {
        String::new()
    } else {
        inner[..name_len].to_ascii_lowercase()
    };
    Some(Tag {
        name,
        attributes: inner[name_len..].trim_end_matches('/'),
        closing,
        self_closing,
        len: end + 1,
    })
}

/// Whether an HTML element's attributes say "do not translate":
/// `translate="no"` (quoted either way or not at all) or the class
/// `notranslate`.
fn no_translate(attributes: &str) -> bool {
    let squeezed: String = attributes
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    ["translate=\"no\"", "translate='no'"]
        .iter()
        .any(|a| squeezed.contains(a))
        || squeezed.split(['"', '\'']).any(|v| v == "translate=no")
        || attributes.to_ascii_lowercase().contains("notranslate")
}

/// Tags that stand between words: their removal leaves a space.
const BREAKS: &[&str] = &["br", "p", "div", "li", "tr", "td", "h1", "h2", "h3", "hr"];

/// Where a kept name starts or ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Open,
    Close,
}

/// Punctuation that closes onto the word before it.
const CLOSERS: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '}', '”', '%'];
/// Punctuation that opens onto the word after it.
const OPENERS: &[char] = &['(', '[', '{', '“', '‘'];
/// Punctuation after which a word needs a space.
const AFTER_SPACE: &[char] = &[',', ';', ':', '!', '?', ')', ']', '}', '”'];

/// Puts right the spaces next to the kept names, then normalises
/// whitespace: a service may drop the space next to a tag, or add one.
fn tidy(mut out: String, edges: &[(usize, Edge)]) -> String {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    // Backwards, so that an edit never moves an edge still to come.
    for &(pos, edge) in edges.iter().rev() {
        let start = out[..pos].trim_end().len();
        let end = out.len() - out[pos..].trim_start().len();
        let prev = out[..start].chars().next_back();
        let next = out[end..].chars().next();
        let spaced = start != end;
        match edge {
            Edge::Open => {
                let before_prev = out[..start].chars().rev().nth(1);
                if spaced && prev.is_some_and(|c| OPENERS.contains(&c)) {
                    // "( China" is "(China".
                    out.replace_range(start..end, "");
                } else if !spaced
                    && word(next)
                    && (word(prev)
                        || prev.is_some_and(|c| AFTER_SPACE.contains(&c))
                        || (prev == Some('.') && before_prev.is_some_and(char::is_alphabetic)))
                {
                    // "said<span>China" is "said China".
                    out.insert(pos, ' ');
                }
            }
            Edge::Close => {
                let possessive = {
                    let tail = &out[end..];
                    ["'s", "’s"].iter().any(|p| {
                        tail.starts_with(p)
                            && !tail[p.len()..]
                                .chars()
                                .next()
                                .is_some_and(char::is_alphanumeric)
                    })
                };
                if spaced && (next.is_some_and(|c| CLOSERS.contains(&c)) || possessive) {
                    // "China ." is "China.", "China 's" is "China's".
                    out.replace_range(start..end, "");
                } else if !spaced
                    && (word(prev) || prev == Some('.'))
                    && (word(next) || next.is_some_and(|c| OPENERS.contains(&c)))
                {
                    // "China</span>and" is "China and".
                    out.insert(pos, ' ');
                }
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(sources: &[&str], targets: &[&str]) -> Entry {
        Entry {
            sources: sources.iter().map(|s| s.to_string()).collect(),
            targets: targets.iter().map(|s| s.to_string()).collect(),
            forbidden: Vec::new(),
            note: String::new(),
            case_sensitive: true,
            file: "t.csv".into(),
            line: 1,
        }
    }

    fn protector(markup: Markup) -> Protector {
        Protector::new(
            &[
                entry(
                    &["Pers Terkait", "Asosiasi Pers"],
                    &["Associated Press", "AP"],
                ),
                entry(&["Tiongkok"], &["China", "Chinese"]),
                entry(&["Rusia"], &["Russia", "Russian"]),
                entry(&["AT&T"], &["AT&T"]),
                entry(&["Korea Utara"], &["North Korea"]),
            ],
            markup,
        )
    }

    const NO: &str = "<span translate=\"no\">";

    #[test]
    fn names_go_in_no_translate_elements() {
        let p = protector(Markup::Html);
        assert_eq!(
            p.protect("Kata Pers Terkait, Tiongkok menolak."),
            format!("Kata {NO}Associated Press</span>, {NO}China</span> menolak.")
        );
        let x = protector(Markup::Xml);
        assert_eq!(
            x.protect("Kata Pers Terkait, Tiongkok menolak."),
            "Kata <x>Associated Press</x>, <x>China</x> menolak."
        );
        // Nothing to protect: the text as it was, escaped.
        assert_eq!(p.protect("Hujan turun."), "Hujan turun.");
        assert_eq!(p.protect(""), "");
    }

    #[test]
    fn text_is_escaped_and_names_too() {
        let p = protector(Markup::Html);
        assert_eq!(
            p.protect("Saham AT&T naik 3% <tanpa> Tiongkok & Rusia > 2"),
            format!(
                "Saham {NO}AT&amp;T</span> naik 3% &lt;tanpa&gt; {NO}China</span> &amp; {NO}Russia</span> &gt; 2"
            )
        );
        let x = protector(Markup::Xml);
        assert_eq!(x.protect("a<b & c"), "a&lt;b &amp; c");
        // And back: the entities are text again, not tags.
        assert_eq!(
            p.unprotect(&p.protect("Saham AT&T naik <tanpa> x & y > 2")),
            "Saham AT&T naik <tanpa> x & y > 2"
        );
    }

    #[test]
    fn clitics_and_prefixes_stay_outside() {
        let p = protector(Markup::Html);
        assert_eq!(
            p.protect("Rusianya kalah, kata kelompok pro-Rusia."),
            format!("{NO}Russia</span>nya kalah, kata kelompok pro-{NO}Russia</span>.")
        );
        // Inside another word, no name.
        assert_eq!(p.protect("Rusiawan"), "Rusiawan");
        assert_eq!(
            p.unprotect(&format!(
                "{NO}Russia</span>'s defeat, pro-{NO}Russia</span>."
            )),
            "Russia's defeat, pro-Russia."
        );
    }

    #[test]
    fn adjacent_names() {
        let p = protector(Markup::Html);
        assert_eq!(
            p.protect("Tiongkok Korea Utara"),
            format!("{NO}China</span> {NO}North Korea</span>")
        );
        assert_eq!(
            p.protect("Tiongkok-Korea Utara"),
            format!("{NO}China</span>-{NO}North Korea</span>")
        );
        // A service that drops the space between them.
        assert_eq!(
            p.unprotect(&format!("{NO}China</span>{NO}North Korea</span> met")),
            "China North Korea met"
        );
        assert_eq!(
            p.unprotect(&format!("{NO}China</span>-{NO}North Korea</span> ties")),
            "China-North Korea ties"
        );
    }

    #[test]
    fn dropped_and_doubled_spaces_next_to_tags() {
        let p = protector(Markup::Html);
        // Dropped.
        assert_eq!(
            p.unprotect(&format!("said{NO}China</span>and{NO}Russia</span>,then")),
            "said China and Russia,then"
        );
        assert_eq!(
            p.unprotect(&format!("Earlier,{NO}China</span>(AP) said")),
            "Earlier, China (AP) said"
        );
        // Doubled, or moved inside the element.
        assert_eq!(
            p.unprotect(&format!(
                "said  {NO} China </span>  and {NO}Russia</span> ."
            )),
            "said China and Russia."
        );
        assert_eq!(
            p.unprotect(&format!(
                "( {NO}Associated Press</span> ) “ {NO}China</span> ”"
            )),
            "(Associated Press) “China”"
        );
        assert_eq!(
            p.unprotect(&format!("{NO}China</span> 's army")),
            "China's army"
        );
        // Spaces the answer had before punctuation elsewhere stay.
        assert_eq!(p.unprotect("a . b"), "a . b");
        // No space is made before punctuation.
        assert_eq!(p.unprotect(&format!("{NO}China</span>.")), "China.");
        assert_eq!(p.unprotect(&format!("“{NO}China</span>”")), "“China”");
    }

    #[test]
    fn entities_and_other_tags() {
        let p = protector(Markup::Html);
        assert_eq!(
            p.unprotect(
                "&quot;It&#39;s&quot; &#x201C;new&#x201d; &amp; &lt;ok&gt; &apos;x&apos; &nbsp;y &bogus; & z"
            ),
            "\"It's\" “new” & <ok> 'x' y &bogus; & z"
        );
        // Tags the service added around ours, and spans that are not ours.
        assert_eq!(
            p.unprotect(&format!(
                "<b>{NO}China</span></b> <span class=\"x\">said</span><br/>more<!-- c -->."
            )),
            "China said more."
        );
        // Another way to write "do not translate".
        assert_eq!(
            p.unprotect("the<span class=\"notranslate\">China</span>army"),
            "the China army"
        );
        // A `<` that is no tag is text.
        assert_eq!(p.unprotect("1 < 2 and 3<4"), "1 < 2 and 3<4");
        let x = protector(Markup::Xml);
        assert_eq!(
            x.unprotect("Trade with<x>China</x>rose &amp; <x>Russia</x> ."),
            "Trade with China rose & Russia."
        );
        assert_eq!(
            x.unprotect(&x.protect("Tiongkok & Rusia")),
            "China & Russia"
        );
    }

    #[test]
    fn round_trip_without_names() {
        let p = protector(Markup::Html);
        for text in [
            "Banjir merendam 1.200 rumah.",
            "“Kami mengungsi,” kata Siti (45) — <b> & </b>.",
            "a&b;c &#39; &amp;",
        ] {
            assert_eq!(p.unprotect(&p.protect(text)), text);
        }
    }
}
