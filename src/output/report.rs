//! The document report as files: `<stem>.report.json` for scripts, and
//! `<stem>.glossary-candidates.csv`, a glossary in SPEC §5's format holding
//! the names the glossary lacks, ready to edit and add.

use serde::Serialize;

use crate::check::Report;

use super::csv::guard;

#[derive(Serialize)]
struct Document<'a> {
    input: String,
    #[serde(flatten)]
    report: &'a Report,
}

/// The report as pretty JSON, naming the input it is about.
pub fn to_json(input: &std::path::Path, report: &Report) -> Vec<u8> {
    let doc = Document {
        input: input.display().to_string(),
        report,
    };
    let mut out = serde_json::to_vec_pretty(&doc).expect("a report serialises");
    out.push(b'\n');
    out
}

/// The candidates as a glossary CSV: `source,target,note`.
pub fn candidates_csv(report: &Report) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["source", "target", "note"])
        .expect("write to memory");
    for c in &report.candidates {
        let note = format!(
            "found in rows {}; check the target before adding",
            c.rows.join(", ")
        );
        w.write_record([&*guard(&c.source), &*guard(&c.target), note.as_str()])
            .expect("write to memory");
    }
    w.into_inner().expect("flush to memory")
}

/// A few lines for stderr: the terms that came out fewer times than they
/// went in, and the names rendered in more than one way.
pub fn summary(report: &Report) -> String {
    let mut out = String::new();
    let short: Vec<_> = report
        .terms
        .iter()
        .filter(|t| t.in_target < t.in_source)
        .take(10)
        .collect();
    if !short.is_empty() {
        out.push_str(&format!(
            "  {:<32} {:>6} {:>6}\n",
            "name (fewer in the target)", "source", "target"
        ));
        for t in short {
            out.push_str(&format!(
                "  {:<32} {:>6} {:>6}\n",
                clip(&t.source, 32),
                t.in_source,
                t.in_target
            ));
        }
    }
    for v in report.variants.iter().take(10) {
        let ways: Vec<String> = v
            .renderings
            .iter()
            .map(|(form, rows)| {
                let shown: Vec<&str> = rows.iter().take(3).map(String::as_str).collect();
                let more = if rows.len() > 3 { ", …" } else { "" };
                format!("{form} ({}{more})", shown.join(", "))
            })
            .collect();
        out.push_str(&format!(
            "  {} is written as {}\n",
            v.source,
            ways.join(" and ")
        ));
    }
    out
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Candidate, TermCount, Variant};

    fn report() -> Report {
        Report {
            rows: 3,
            review: 1,
            terms: vec![TermCount {
                source: "Pers Terkait".into(),
                target: "Associated Press".into(),
                in_source: 2,
                in_target: 1,
            }],
            variants: vec![Variant {
                source: "Volodymyr Zelensky".into(),
                renderings: [
                    ("Zelensky".to_string(), vec!["1.1".to_string()]),
                    ("Zelenskyy".to_string(), vec!["4.2".to_string()]),
                ]
                .into(),
            }],
            candidates: vec![Candidate {
                source: "Chatham House".into(),
                target: "Chatham House".into(),
                rows: vec!["20.1".into(), "31.1".into()],
            }],
            ..Report::default()
        }
    }

    #[test]
    fn candidates_load_as_a_glossary() {
        let bytes = candidates_csv(&report());
        let entries = crate::check::glossary::parse(&bytes, std::path::Path::new("c.csv")).unwrap();
        assert_eq!(entries[0].sources, ["Chatham House"]);
        assert_eq!(entries[0].targets, ["Chatham House"]);
    }

    #[test]
    fn json_and_summary() {
        let json: serde_json::Value =
            serde_json::from_slice(&to_json(std::path::Path::new("a.txt"), &report())).unwrap();
        assert_eq!(json["input"], "a.txt");
        assert_eq!(json["terms"][0]["in_target"], 1);
        let text = summary(&report());
        assert!(text.contains("Pers Terkait"), "{text}");
        assert!(
            text.contains("Zelensky (1.1) and Zelenskyy (4.2)"),
            "{text}"
        );
    }
}
