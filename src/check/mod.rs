//! Per-row checks (SPEC §4): what a reviewer should look at.
//!
//! Rows are built here from the alignment and then checked; every finding is
//! a code and a detail, and any finding sets the row's status to `review`.

pub mod glossary;

use std::fmt;

use crate::align::Link;

/// Rows scoring below this are flagged `low-confidence`.
pub const MIN_SCORE: f32 = 0.5;

/// One aligned pair, as the CSV and the other formats write it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `P.N`: paragraph number and row number within it.
    pub id: String,
    pub paragraph: usize,
    /// Source and target sentence counts.
    pub link: (usize, usize),
    pub score: f32,
    pub source: String,
    pub target: String,
    pub issues: Vec<Finding>,
    pub status: Status,
    pub note: String,
}

/// A problem found in a row: `code: detail`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub detail: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.detail.is_empty() {
            f.write_str(self.code)
        } else {
            write!(f, "{}: {}", self.code, self.detail)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Review,
    /// Set by a reviewer who corrected the row.
    Fixed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Review => "review",
            Status::Fixed => "fixed",
        }
    }

    /// Reads a status cell, case-insensitively.
    pub fn parse(cell: &str) -> Option<Status> {
        match cell.to_ascii_lowercase().as_str() {
            "ok" => Some(Status::Ok),
            "review" => Some(Status::Review),
            "fixed" => Some(Status::Fixed),
            _ => None,
        }
    }
}

/// Builds the checked rows of one paragraph from its sentences and links.
pub fn rows(paragraph: usize, source: &[&str], target: &[&str], links: &[Link]) -> Vec<Row> {
    links
        .iter()
        .enumerate()
        .map(|(k, link)| {
            let mut row = Row {
                id: format!("{paragraph}.{}", k + 1),
                paragraph,
                link: (link.source.len(), link.target.len()),
                score: link.score,
                source: source[link.source.clone()].join(" "),
                target: target[link.target.clone()].join(" "),
                issues: Vec::new(),
                status: Status::Ok,
                note: String::new(),
            };
            row.issues = findings(&row);
            if !row.issues.is_empty() {
                row.status = Status::Review;
            }
            row
        })
        .collect()
}

/// The checks that need nothing but the row itself.
fn findings(row: &Row) -> Vec<Finding> {
    let mut out = Vec::new();
    let finding = |code, detail: String| Finding { code, detail };
    if row.source.trim().is_empty() {
        out.push(finding(
            "empty-source",
            "no source sentence for this target".into(),
        ));
    }
    if row.target.trim().is_empty() {
        out.push(finding(
            "empty-target",
            "no translation for this source".into(),
        ));
    }
    if !row.source.trim().is_empty() && row.source.trim() == row.target.trim() {
        out.push(finding("unchanged", "target equals source".into()));
    }
    if row.score < MIN_SCORE {
        out.push(finding("low-confidence", format!("score {:.2}", row.score)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(s: std::ops::Range<usize>, t: std::ops::Range<usize>, score: f32) -> Link {
        Link {
            source: s,
            target: t,
            score,
        }
    }

    #[test]
    fn ids_text_and_findings() {
        let src = ["Satu.", "Dua.", "Tiga."];
        let tgt = ["One. Two.", "Tiga."];
        let rows = rows(
            4,
            &src,
            &tgt,
            &[link(0..2, 0..1, 0.9), link(2..3, 1..2, 0.8)],
        );
        assert_eq!(rows[0].id, "4.1");
        assert_eq!(rows[0].source, "Satu. Dua.");
        assert_eq!(rows[0].link, (2, 1));
        assert_eq!(rows[0].status, Status::Ok);
        assert_eq!(
            rows[1].issues[0].to_string(),
            "unchanged: target equals source"
        );
        assert_eq!(rows[1].status, Status::Review);
    }

    #[test]
    fn null_and_weak_links_need_review() {
        let rows = rows(1, &["Satu."], &[], &[link(0..1, 0..0, 0.2)]);
        let codes: Vec<_> = rows[0].issues.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["empty-target", "low-confidence"]);
        assert_eq!(rows[0].status, Status::Review);
    }
}
