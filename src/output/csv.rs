//! The parallel CSV of SPEC §4: RFC 4180, UTF-8, a header row, one row per
//! link in document order.

use crate::check::Row;

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
    if excel {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    // Writing to a Vec cannot fail.
    w.write_record(CSV_HEADER).expect("write to memory");
    for row in rows {
        let issues = row
            .issues
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        let record = [
            row.id.clone(),
            row.paragraph.to_string(),
            format!("{}-{}", row.link.0, row.link.1),
            format!("{:.2}", row.score),
            guard(&row.source),
            guard(&row.target),
            guard(&issues),
            row.status.as_str().to_string(),
            guard(&row.note),
        ];
        w.write_record(&record).expect("write to memory");
    }
    w.into_inner().expect("flush to memory")
}

/// A cell a spreadsheet would run as a formula gets a leading `'`.
pub fn guard(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Finding, Status};

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
