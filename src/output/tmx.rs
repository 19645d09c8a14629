//! `<stem>.tmx`: the rows as a TMX 1.4b translation memory, one `tu` per
//! row, for CAT tools (OmegaT, Trados, memoQ) and for training data.
//!
//! Each `tu` carries the row id as its `tuid`, the alignment score, the
//! status and the issues as `prop`s, and one `tuv` per language. The text
//! is escaped, and characters XML 1.0 forbids (control characters other
//! than tab, line feed and carriage return) are dropped: no parser rejects
//! the file.

use crate::check::Row;

/// Renders rows as a TMX 1.4b document. `from` and `to` are the language
/// codes, written as given (`id`, `en`).
pub fn to_tmx(rows: &[Row], from: &str, to: &str) -> String {
    let mut out = String::with_capacity(256 + rows.len() * 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n");
    out.push_str("<tmx version=\"1.4\">\n");
    out.push_str(&format!(
        "  <header creationtool=\"selaras\" creationtoolversion=\"{}\" segtype=\"sentence\" \
         o-tmf=\"selaras\" adminlang=\"en\" srclang=\"{}\" datatype=\"plaintext\"/>\n",
        attr(env!("CARGO_PKG_VERSION")),
        attr(from)
    ));
    out.push_str("  <body>\n");
    let (from, to) = (attr(from), attr(to));
    for row in rows {
        out.push_str(&format!("    <tu tuid=\"{}\">\n", attr(&row.id)));
        let prop = |kind: &str, value: &str| {
            format!("      <prop type=\"{kind}\">{}</prop>\n", text(value))
        };
        out.push_str(&prop("x-score", &format!("{:.2}", row.score)));
        out.push_str(&prop("x-status", row.status.as_str()));
        if !row.issues.is_empty() {
            let issues: Vec<String> = row.issues.iter().map(ToString::to_string).collect();
            out.push_str(&prop("x-issues", &issues.join("; ")));
        }
        if !row.note.is_empty() {
            out.push_str(&format!("      <note>{}</note>\n", text(&row.note)));
        }
        for (lang, seg) in [(&from, &row.source), (&to, &row.target)] {
            out.push_str(&format!(
                "      <tuv xml:lang=\"{lang}\"><seg>{}</seg></tuv>\n",
                text(seg)
            ));
        }
        out.push_str("    </tu>\n");
    }
    out.push_str("  </body>\n</tmx>\n");
    out
}

/// Whether XML 1.0 allows `c` in a document at all.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Element content: markup characters escaped, a carriage return kept as a
/// reference (a parser would turn a literal one into a line feed), forbidden
/// characters dropped.
fn text(s: &str) -> String {
    escape(s, false)
}

/// An attribute value in double quotes: as [`text`], and tab and line feed
/// as references too, since parsers normalise them to spaces.
fn attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Finding, Status};
    use quick_xml::Reader;
    use quick_xml::events::Event;

    fn row(id: &str, source: &str, target: &str) -> Row {
        Row {
            id: id.into(),
            paragraph: 1,
            link: (1, 1),
            score: 0.874,
            source: source.into(),
            target: target.into(),
            issues: Vec::new(),
            status: Status::Ok,
            note: String::new(),
            terms: None,
        }
    }

    /// Every `seg` of the document, in order, as a parser reads it.
    fn segs(xml: &str) -> Vec<String> {
        let mut reader = Reader::from_str(xml);
        let (mut out, mut inside) = (Vec::new(), None::<String>);
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) if e.name().as_ref() == "seg" => inside = Some(String::new()),
                Event::Text(t) => {
                    if let Some(s) = inside.as_mut() {
                        s.push_str(&t.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    if let Some(s) = inside.as_mut() {
                        let c = match r.resolve_char_ref().unwrap() {
                            Some(c) => c.to_string(),
                            None => quick_xml::escape::resolve_xml_entity(&r)
                                .unwrap()
                                .to_string(),
                        };
                        s.push_str(&c);
                    }
                }
                Event::End(e) if e.name().as_ref() == "seg" => out.push(inside.take().unwrap()),
                Event::Eof => break,
                _ => {}
            }
        }
        out
    }

    #[test]
    fn header_and_units() {
        let mut r = row("2.1", "Banjir di Semarang.", "Floods in Semarang.");
        r.status = Status::Review;
        r.issues = vec![Finding {
            code: "number-mismatch",
            detail: "10.000 is not in the target".into(),
        }];
        let xml = to_tmx(&[r], "id", "en");
        assert!(xml.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n<tmx version=\"1.4\">\n"
        ));
        assert!(xml.contains(&format!(
            "<header creationtool=\"selaras\" creationtoolversion=\"{}\" segtype=\"sentence\" o-tmf=\"selaras\" adminlang=\"en\" srclang=\"id\" datatype=\"plaintext\"/>",
            env!("CARGO_PKG_VERSION")
        )));
        assert!(xml.contains("<tu tuid=\"2.1\">"));
        assert!(xml.contains("<prop type=\"x-score\">0.87</prop>"));
        assert!(xml.contains("<prop type=\"x-status\">review</prop>"));
        assert!(xml.contains(
            "<prop type=\"x-issues\">number-mismatch: 10.000 is not in the target</prop>"
        ));
        assert!(xml.contains("<tuv xml:lang=\"id\"><seg>Banjir di Semarang.</seg></tuv>"));
        assert!(xml.contains("<tuv xml:lang=\"en\"><seg>Floods in Semarang.</seg></tuv>"));
        assert!(xml.ends_with("</body>\n</tmx>\n"));
    }

    #[test]
    fn no_issues_prop_without_issues_and_empty_sides_keep_their_tuv() {
        let xml = to_tmx(&[row("1.1", "Foto: Antara", "")], "id", "en");
        assert!(!xml.contains("x-issues"));
        assert!(xml.contains("<tuv xml:lang=\"en\"><seg></seg></tuv>"));
        assert_eq!(segs(&xml), ["Foto: Antara", ""]);
    }

    #[test]
    fn text_is_escaped_and_comes_back_exactly() {
        let nasty = [
            "\"Kami & mereka\" <b>tidak</b> > 5 'kali'.",
            "=SUM(A1) & -5, @x; a\tb\r\nc",
            "]]> <![CDATA[ x ]]> &amp; &#38;",
        ];
        let rows: Vec<Row> = nasty.iter().map(|s| row("1.1", s, s)).collect();
        let xml = to_tmx(&rows, "id", "en");
        let back = segs(&xml);
        let expected: Vec<&str> = nasty.iter().flat_map(|s| [*s, *s]).collect();
        assert_eq!(back, expected);
    }

    #[test]
    fn forbidden_characters_are_dropped() {
        let xml = to_tmx(
            &[row("1.1", "a\u{0}b\u{1}c\u{1b}d\u{fffe}e", "ok")],
            "id",
            "en",
        );
        assert_eq!(segs(&xml), ["abcde", "ok"]);
        assert!(!xml.chars().any(|c| !allowed(c)));
    }

    #[test]
    fn attributes_are_escaped() {
        let mut r = row("1.1", "a", "b");
        r.id = "1\"1<&>".into();
        let xml = to_tmx(&[r], "i\"d", "en");
        let mut reader = Reader::from_str(&xml);
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) if e.name().as_ref() == "tu" => {
                    let id = e.try_get_attribute("tuid").unwrap().unwrap();
                    let value = id.normalized_value(quick_xml::XmlVersion::Implicit1_0);
                    assert_eq!(value.unwrap(), "1\"1<&>");
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(xml.contains("srclang=\"i&quot;d\""));
    }
}
