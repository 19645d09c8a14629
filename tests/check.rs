//! Names and numbers, end to end: the project's sample through `translate`
//! with planted errors, and `selaras check` on the CSVs it wrote, before
//! and after a reviewer's edits.

mod common;

use std::path::{Path, PathBuf};

use common::{LibreTranslate, data, read_csv, selaras, serve_libretranslate, translate_via};

/// Translates the sample through a double answering with `rendering`,
/// checking names with `glossaries` (none: the built-in one). Returns the CSV.
async fn translate(rendering: &str, glossaries: &[PathBuf], out: &Path) -> PathBuf {
    let server = serve_libretranslate(LibreTranslate::from_files(
        "banjir-semarang.id.txt",
        rendering,
    ))
    .await;
    let mut cmd = translate_via(&server.uri());
    cmd.arg(data("banjir-semarang.id.txt"))
        .arg("--out")
        .arg(out);
    for g in glossaries {
        cmd.arg("--glossary").arg(g);
    }
    cmd.assert().success();
    out.join("banjir-semarang.id.csv")
}

fn both_glossaries() -> Vec<PathBuf> {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("glossary/names.csv");
    vec![project, data("banjir-semarang.glossary.csv")]
}

/// (row id, issues) of every row that needs review.
fn flagged(csv: &Path) -> Vec<(String, String)> {
    let (_, rows) = read_csv(csv);
    rows.into_iter()
        .filter(|r| r["status"] == "review")
        .map(|r| (r["id"].clone(), r["issues"].clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clean_translation_raises_no_alarm() {
    let dir = tempfile::tempdir().unwrap();
    let csv = translate(
        "banjir-semarang.en.txt",
        &both_glossaries(),
        &dir.path().join("a"),
    )
    .await;
    assert_eq!(flagged(&csv), Vec::<(String, String)>::new());
    // The built-in glossary alone is just as quiet.
    let csv = translate("banjir-semarang.en.txt", &[], &dir.path().join("b")).await;
    assert_eq!(flagged(&csv), Vec::<(String, String)>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exactly_the_planted_errors_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let csv = translate(
        "banjir-semarang.planted.en.txt",
        &both_glossaries(),
        dir.path(),
    )
    .await;
    let found = flagged(&csv);
    let (_, rows) = read_csv(&csv);
    let row_of = |needle: &str| {
        rows.iter()
            .find(|r| r["target"].contains(needle))
            .map(|r| r["id"].clone())
            .unwrap_or_else(|| panic!("no row holds {needle:?}"))
    };
    let expected = vec![
        (
            row_of("More than 1,000"),
            "number-mismatch: 10.000 is not in the target".to_string(),
        ),
        (
            row_of("Siti Nurani"),
            "glossary-missing: Siti Nuraini -> Siti Nuraini".to_string(),
        ),
        (
            row_of("Related Press"),
            "glossary-missing: Pers Terkait -> Associated Press".to_string(),
        ),
        (
            row_of("Tiongkok, through"),
            "glossary-missing: Tiongkok -> China; glossary-untranslated: Tiongkok -> China"
                .to_string(),
        ),
    ];
    assert_eq!(found, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_reports_findings_until_a_reviewer_fixes_them() {
    let dir = tempfile::tempdir().unwrap();
    let glossaries = both_glossaries();
    let planted = translate(
        "banjir-semarang.planted.en.txt",
        &glossaries,
        &dir.path().join("p"),
    )
    .await;
    let clean = translate("banjir-semarang.en.txt", &glossaries, &dir.path().join("c")).await;
    let check = |csv: &Path| {
        let mut cmd = selaras();
        cmd.arg("check").arg(csv);
        for g in &glossaries {
            cmd.arg("--glossary").arg(g);
        }
        cmd.assert()
    };

    let report = check(&planted).code(1);
    let stdout = String::from_utf8_lossy(&report.get_output().stdout).to_string();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    let shown = planted.display().to_string();
    assert!(
        lines.iter().all(|l| l.starts_with(&format!("{shown}:"))),
        "{stdout}"
    );
    assert!(
        stdout.contains(": glossary-missing: Pers Terkait -> Associated Press"),
        "{stdout}"
    );
    check(&clean).code(0).stdout("");

    // A reviewer corrects two rows in a spreadsheet and saves the CSV.
    let mut reader = csv::Reader::from_path(&planted).unwrap();
    let header = reader.headers().unwrap().clone();
    let mut records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for record in &mut records {
        let target = record[5]
            .replace("Siti Nurani", "Siti Nuraini")
            .replace("Related Press", "Associated Press");
        if target != record[5] {
            let mut fixed: Vec<String> = record.iter().map(String::from).collect();
            fixed[5] = target;
            fixed[7] = "fixed".into();
            fixed[8] = "name corrected, \"as agreed\"".into();
            *record = csv::StringRecord::from(fixed);
        }
    }
    let reviewed = dir.path().join("reviewed.csv");
    let mut writer = csv::Writer::from_path(&reviewed).unwrap();
    writer.write_record(&header).unwrap();
    for r in &records {
        writer.write_record(r).unwrap();
    }
    writer.flush().unwrap();
    let report = check(&reviewed).code(1);
    let stdout = String::from_utf8_lossy(&report.get_output().stdout).to_string();
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(
        !stdout.contains("Siti") && !stdout.contains("Pers Terkait"),
        "{stdout}"
    );
}

#[test]
fn check_refuses_a_csv_that_no_longer_fits() {
    let dir = tempfile::tempdir().unwrap();
    let header = "id,paragraph,link,score,source,target,issues,status,note";
    let cases = [
        (
            "missing-column.csv",
            "id,paragraph,link,score,source,target,issues,status\n1.1,1,1-1,0.90,a,b,,ok\n"
                .to_string(),
            "line 1",
        ),
        (
            "gap.csv",
            format!("{header}\n1.1,1,1-1,0.90,Satu.,One.,,ok,\n1.3,1,1-1,0.90,Dua.,Two.,,ok,\n"),
            "line 3",
        ),
        (
            "quote.csv",
            format!("{header}\n1.1,1,1-1,0.90,\"Satu.,One.,,ok,\n"),
            "line 2",
        ),
    ];
    for (name, text, place) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let assert = selaras().arg("check").arg(&file).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(stderr.contains(name) && stderr.contains(place), "{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn document_report_and_glossary_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let glossaries = both_glossaries();
    let csv = translate("banjir-semarang.planted.en.txt", &glossaries, dir.path()).await;
    let (_, rows) = read_csv(&csv);

    let report: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("banjir-semarang.id.report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report["rows"], rows.len());
    assert_eq!(
        report["review"],
        rows.iter().filter(|r| r["status"] == "review").count()
    );
    let mut counted = std::collections::BTreeMap::<String, usize>::new();
    for r in &rows {
        for issue in r["issues"].split("; ").filter(|i| !i.is_empty()) {
            *counted
                .entry(issue.split(':').next().unwrap().to_string())
                .or_default() += 1;
        }
    }
    let reported: std::collections::BTreeMap<String, usize> =
        serde_json::from_value(report["findings"].clone()).unwrap();
    assert_eq!(reported, counted);
    // The agency's name went in three times and came out twice.
    let agency = report["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"] == "Associated Press")
        .expect("the agency is counted");
    assert_eq!(
        (agency["in_source"].as_u64(), agency["in_target"].as_u64()),
        (Some(2), Some(1))
    );

    // Candidates: names of the article that no glossary holds, as a glossary CSV.
    let mut reader = csv::Reader::from_path(
        dir.path()
            .join("banjir-semarang.id.glossary-candidates.csv"),
    )
    .unwrap();
    assert_eq!(reader.headers().unwrap(), vec!["source", "target", "note"]);
    let candidates: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let sources: Vec<&str> = candidates.iter().map(|c| c.get(0).unwrap()).collect();
    assert!(sources.contains(&"Joko W. Santoso"), "{sources:?}");
    for known in ["Siti Nuraini", "Bambang Sutrisno", "BNPB", "Pers Terkait"] {
        assert!(
            !sources.iter().any(|s| s.contains(known)),
            "{known} is in the glossary: {sources:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_translate_fails_a_pipeline_on_rows_to_review() {
    let dir = tempfile::tempdir().unwrap();
    for (rendering, code) in [
        ("banjir-semarang.planted.en.txt", 1),
        ("banjir-semarang.en.txt", 0),
    ] {
        let server = common::serve_libretranslate(LibreTranslate::from_files(
            "banjir-semarang.id.txt",
            rendering,
        ))
        .await;
        selaras()
            .arg("translate")
            .arg(data("banjir-semarang.id.txt"))
            .args([
                "--provider",
                "libretranslate",
                "--endpoint",
                &server.uri(),
                "--strict",
                "--out",
            ])
            .arg(dir.path().join(rendering))
            .assert()
            .code(code);
    }
}
