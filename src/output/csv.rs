//! The parallel CSV of SPEC §4: RFC 4180, UTF-8, a header row, one row per
//! link in document order.

use std::borrow::Cow;

use crate::check::{Row, Status, two_places};
use crate::error::{Error, Result};

/// The columns, in order.
pub const CSV_HEADER: [&str; 9] = [
    "id",
    "paragraph",
    "link",
    "score",
    "source",
    "target",
    "issues",
    "status",
    "note",
];

/// Renders rows as CSV bytes. `excel` adds a UTF-8 BOM so that Excel reads
/// the file as UTF-8.
pub fn to_csv(rows: &[Row], excel: bool) -> Vec<u8> {
    let mut out = Vec::new();
    write_csv(&mut out, rows, excel).expect("write to memory");
    out
}

/// [`to_csv`], written to `out` as it is made: an archive's CSV is as
/// large as the archive, and need not be held whole in memory.
pub fn write_csv(mut out: impl std::io::Write, rows: &[Row], excel: bool) -> std::io::Result<()> {
    if excel {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    // An archive's CSV is tens of megabytes: written in large pieces, not
    // in the crate's default 8 KB ones, each a system call.
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .buffer_capacity(1 << 18)
        .from_writer(out);
    let io = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    };
    w.write_record(CSV_HEADER).map_err(io)?;
    // The made cells are written into buffers kept from row to row: an
    // archive has a hundred thousand rows.
    // Numbers are written by `itoa`, not the formatter: three cells a row.
    let [mut issues, mut link, mut score] = std::array::from_fn(|_| String::new());
    let (mut paragraph, mut number) = (itoa::Buffer::new(), itoa::Buffer::new());
    for row in rows {
        issues.clear();
        for (k, finding) in row.issues.iter().enumerate() {
            if k > 0 {
                issues.push_str("; ");
            }
            finding.write_to(&mut issues);
        }
        link.clear();
        link.push_str(number.format(row.link.0));
        link.push('-');
        link.push_str(number.format(row.link.1));
        score.clear();
        two_places(&mut score, row.score);
        let record: [&str; 9] = [
            &row.id,
            paragraph.format(row.paragraph),
            &link,
            &score,
            &guard(&row.source),
            &guard(&row.target),
            &guard(&issues),
            row.status.as_str(),
            &guard(&row.note),
        ];
        w.write_record(record).map_err(io)?;
    }
    w.flush()
}

/// A cell a spreadsheet would run as a formula gets a leading `'`.
pub fn guard(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Reads a parallel CSV back, as a reviewer left it: the columns must be
/// SPEC §4's, ids `P.N` must run in order, paragraphs from 1 without gaps.
/// Cells guarded against formulas lose their guard. Errors name the file
/// and the row.
pub fn read(bytes: &[u8], path: &std::path::Path) -> Result<Vec<Row>> {
    let shown = path.display();
    let text = crate::document::decode(bytes).map_err(|e| Error::input(format!("{shown}: {e}")))?;
    if let Some((line, problem)) = quote_problem(&text) {
        return Err(Error::input(format!("{shown}: line {line}: {problem}")));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::input(format!("{shown}: line 1: not a CSV file: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header != CSV_HEADER {
        return Err(Error::input(format!(
            "{shown}: line 1: the columns are `{}`, not selaras's `{}`; keep the header as selaras wrote it",
            header.join(","),
            CSV_HEADER.join(",")
        )));
    }
    let mut rows: Vec<Row> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Error::input(format!(
                "{shown}: line {line}: unreadable CSV ({e}); check for an unbalanced quote"
            ))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let at = |what: String| Error::input(format!("{shown}: line {line}: {what}"));
        if record.len() != CSV_HEADER.len() {
            return Err(at(format!(
                "{} cells where there should be {}; a column was added or removed",
                record.len(),
                CSV_HEADER.len()
            )));
        }
        let cell = |k: usize| record[k].to_string();
        let id = cell(0);
        let paragraph: usize = cell(1)
            .trim()
            .parse()
            .map_err(|_| at(format!("paragraph {:?} is not a number", cell(1))))?;
        let (p, n) = id
            .split_once('.')
            .and_then(|(p, n)| Some((p.parse::<usize>().ok()?, n.parse::<usize>().ok()?)))
            .ok_or_else(|| at(format!("id {id:?} is not P.N (paragraph.row)")))?;
        let previous = rows.last().map(|r| (r.paragraph, r.id.clone()));
        let expected_n = match &previous {
            Some((last, last_id)) if *last == paragraph => {
                last_id
                    .rsplit('.')
                    .next()
                    .and_then(|x| x.parse::<usize>().ok())
                    .unwrap_or(0)
                    + 1
            }
            _ => 1,
        };
        let expected_paragraph = previous.as_ref().map_or(1, |(last, _)| *last);
        let paragraph_ok = paragraph == expected_paragraph || paragraph == expected_paragraph + 1;
        if p != paragraph
            || n != expected_n
            || !paragraph_ok
            || (previous.is_none() && paragraph != 1)
        {
            return Err(at(format!(
                "row {id} (paragraph {paragraph}) is out of place; rows must keep the ids and order selaras wrote"
            )));
        }
        let link = cell(2)
            .split_once('-')
            .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
            .ok_or_else(|| at(format!("link {:?} is not like 2-1", cell(2))))?;
        let score: f32 = cell(3)
            .trim()
            .parse()
            .ok()
            .filter(|s: &f32| (0.0..=1.0).contains(s))
            .ok_or_else(|| at(format!("score {:?} is not a number from 0 to 1", cell(3))))?;
        let status = Status::parse(cell(7).trim())
            .ok_or_else(|| at(format!("status {:?} is not ok, review or fixed", cell(7))))?;
        rows.push(Row {
            id,
            paragraph,
            link,
            score,
            source: unguard(&cell(4)).into(),
            target: unguard(&cell(5)).into(),
            issues: Vec::new(),
            status,
            note: unguard(&cell(8)),
            terms: None,
        });
    }
    Ok(rows)
}

/// Undoes [`guard`].
pub fn unguard(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if guard(rest) == cell => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// The csv crate reads an unclosed quote to the end of the file, and text
/// after a closing quote into the field; both are mistakes worth a line.
/// Returns the line and what is wrong, if either is in `text`.
pub(crate) fn quote_problem(text: &str) -> Option<(usize, &'static str)> {
    let mut line = 1;
    let mut field_start = true;
    let mut quoted = false;
    let mut just_closed = false;
    let mut opened = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                }
                '"' => {
                    quoted = false;
                    just_closed = true;
                }
                '\n' => line += 1,
                _ => {}
            }
            continue;
        }
        if just_closed {
            match c {
                ' ' | '\t' => continue,
                ',' | '\n' | '\r' => just_closed = false,
                _ => {
                    return Some((
                        line,
                        "text after the closing quote of a cell; quote the whole cell and double every quote inside it (\"Kota \"\"Lama\"\"\")",
                    ));
                }
            }
        }
        match c {
            '"' if field_start => {
                quoted = true;
                opened = line;
                field_start = false;
            }
            ',' | '\r' => field_start = true,
            '\n' => {
                line += 1;
                field_start = true;
            }
            _ => field_start = false,
        }
    }
    if quoted {
        return Some((
            opened,
            "a quote opened on this line is never closed; close the cell with \" (and write \"\" for a quote inside a cell)",
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Finding;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(guard("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(guard("+62 21"), "'+62 21");
        assert_eq!(guard("-5 derajat"), "'-5 derajat");
        assert_eq!(guard("@Budi"), "'@Budi");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("– dan"), "– dan");
        assert_eq!(guard("Biasa."), "Biasa.");
    }

    #[test]
    fn guard_and_unguard_round_trip() {
        for cell in ["=SUM(A1)", "+62", "-5", "@x", "\tx", "'quoted", "plain", ""] {
            assert_eq!(unguard(&guard(cell)), cell);
        }
    }

    #[test]
    fn reads_back_what_it_wrote() {
        let row = |id: &str, p: usize, target: &str| Row {
            id: id.into(),
            paragraph: p,
            link: (1, 1),
            score: 0.9,
            source: "Satu, \"dua\"\ntiga.".into(),
            target: target.into(),
            issues: Vec::new(),
            status: Status::Ok,
            note: String::new(),
            terms: None,
        };
        let rows = vec![
            row("1.1", 1, "=1+1"),
            row("1.2", 1, "Two."),
            row("2.1", 2, "Three."),
        ];
        let back = read(&to_csv(&rows, true), std::path::Path::new("a.csv")).unwrap();
        assert_eq!(back, rows);
    }

    #[test]
    fn refuses_rows_out_of_place() {
        let header = CSV_HEADER.join(",");
        let bad = [
            (
                format!("{header}\n1.1,1,1-1,0.9,a,b,,ok,\n1.3,1,1-1,0.9,a,b,,ok,\n"),
                "line 3",
            ),
            (format!("{header}\n2.1,2,1-1,0.9,a,b,,ok,\n"), "line 2"),
            (format!("{header}\n1.1,1,1-1,0.9,a,b,,done,\n"), "status"),
            (format!("{header}\n1.1,1,1-1,0.9,a,b,,ok\n"), "8 cells"),
            ("id,source,target\n".to_string(), "line 1"),
            (format!("{header}\n1.1,1,1-1,0.9,\"a,b,,ok,\n"), "line"),
        ];
        for (text, needle) in bad {
            let err = read(text.as_bytes(), std::path::Path::new("r.csv"))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("r.csv:") && err.contains(needle), "{err}");
        }
    }

    #[test]
    fn header_quotes_and_bom() {
        let row = Row {
            id: "1.1".into(),
            paragraph: 1,
            link: (2, 1),
            score: 0.876,
            source: "Dia berkata, \"ya\".".into(),
            target: "=1+1".into(),
            issues: vec![Finding {
                code: "low-confidence",
                detail: "score 0.40".into(),
            }],
            status: Status::Review,
            note: String::new(),
            terms: None,
        };
        let bytes = to_csv(&[row], true);
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.starts_with(
                "\u{feff}id,paragraph,link,score,source,target,issues,status,note\r\n"
            )
        );
        assert!(text.contains("1.1,1,2-1,0.88,\"Dia berkata, \"\"ya\"\".\",'=1+1,low-confidence: score 0.40,review,\r\n"));
    }
}
