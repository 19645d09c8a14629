//! `<stem>.json`: the rows and the document report in one file, for
//! scripts. The text is as the rows hold it, with no formula guard: JSON is
//! not opened by a spreadsheet.

use std::path::Path;

use serde::Serialize;

use crate::check::{Report, Row};

#[derive(Serialize)]
struct Document<'a> {
    input: String,
    rows: Vec<JsonRow<'a>>,
    report: &'a Report,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    id: &'a str,
    paragraph: usize,
    /// `2-1`, as in the CSV.
    link: String,
    /// Rounded to two decimals, as in the CSV.
    score: f64,
    source: &'a str,
    target: &'a str,
    issues: Vec<Issue<'a>>,
    status: &'static str,
    note: &'a str,
}

#[derive(Serialize)]
struct Issue<'a> {
    code: &'static str,
    detail: &'a str,
}

/// The rows and the report as pretty JSON, naming the input they are about.
pub fn to_json(input: &Path, rows: &[Row], report: &Report) -> Vec<u8> {
    let doc = Document {
        input: input.display().to_string(),
        rows: rows
            .iter()
            .map(|r| JsonRow {
                id: &r.id,
                paragraph: r.paragraph,
                link: format!("{}-{}", r.link.0, r.link.1),
                score: score(r.score),
                source: &r.source,
                target: &r.target,
                issues: r
                    .issues
                    .iter()
                    .map(|f| Issue {
                        code: f.code,
                        detail: &f.detail,
                    })
                    .collect(),
                status: r.status.as_str(),
                note: &r.note,
            })
            .collect(),
        report,
    };
    let mut out = serde_json::to_vec_pretty(&doc).expect("rows and a report serialise");
    out.push(b'\n');
    out
}

/// A score as the CSV shows it (`0.87`), as a number.
pub(crate) fn score(score: f32) -> f64 {
    let shown = format!("{score:.2}");
    shown.parse().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Finding, Status};

    #[test]
    fn rows_and_report() {
        let rows = vec![
            Row {
                id: "1.1".into(),
                paragraph: 1,
                link: (2, 1),
                score: 0.876,
                source: "=\"Kami\" & <mereka>.".into(),
                target: "=\"We\" & <they>.".into(),
                issues: vec![Finding {
                    code: "low-confidence",
                    detail: "score 0.40".into(),
                }],
                status: Status::Review,
                note: String::new(),
                terms: None,
            },
            Row {
                id: "1.2".into(),
                paragraph: 1,
                link: (1, 0),
                score: 1.0,
                source: "Foto: Antara".into(),
                target: Default::default(),
                issues: Vec::new(),
                status: Status::Ok,
                note: "checked".into(),
                terms: None,
            },
        ];
        let report = Report {
            rows: 2,
            review: 1,
            ..Report::default()
        };
        let json: serde_json::Value =
            serde_json::from_slice(&to_json(Path::new("a.id.txt"), &rows, &report)).unwrap();
        assert_eq!(json["input"], "a.id.txt");
        let first = &json["rows"][0];
        assert_eq!(first["id"], "1.1");
        assert_eq!(first["paragraph"], 1);
        assert_eq!(first["link"], "2-1");
        assert_eq!(first["score"].as_f64(), Some(0.88));
        assert_eq!(first["source"], "=\"Kami\" & <mereka>.");
        assert_eq!(first["target"], "=\"We\" & <they>.");
        assert_eq!(first["issues"][0]["code"], "low-confidence");
        assert_eq!(first["issues"][0]["detail"], "score 0.40");
        assert_eq!(first["status"], "review");
        assert_eq!(first["note"], "");
        assert_eq!(json["rows"][1]["score"].as_f64(), Some(1.0));
        assert_eq!(json["rows"][1]["issues"], serde_json::json!([]));
        assert_eq!(json["rows"][1]["note"], "checked");
        assert_eq!(json["report"]["rows"], 2);
        assert_eq!(json["report"]["review"], 1);
        assert!(json["report"]["terms"].is_array());
    }

    #[test]
    fn scores_as_the_csv_shows_them() {
        assert_eq!(score(0.874), 0.87);
        assert_eq!(score(0.875_1), 0.88);
        assert_eq!(score(0.0), 0.0);
        assert_eq!(score(1.0), 1.0);
    }
}
