//! The round trip: `translate` writes a CSV, a reviewer edits it in a
//! spreadsheet, `apply` rebuilds the English text from it.

mod common;

use std::path::Path;

use common::{LibreTranslate, data, paragraphs, selaras, serve_libretranslate, translate_via};

async fn translated(out: &Path) {
    let server = serve_libretranslate(LibreTranslate::from_files(
        "banjir-semarang.id.txt",
        "banjir-semarang.en.txt",
    ))
    .await;
    translate_via(&server.uri())
        .arg(data("banjir-semarang.id.txt"))
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

/// Rewrites the CSV as a spreadsheet would save it, with `edit` applied
/// to the target and note cells of each record.
fn edit(csv: &Path, mut edit: impl FnMut(usize, &mut Vec<String>)) {
    let mut reader = csv::Reader::from_path(csv).unwrap();
    let header = reader.headers().unwrap().clone();
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let mut writer = csv::Writer::from_path(csv).unwrap();
    writer.write_record(&header).unwrap();
    for (k, mut record) in records.into_iter().enumerate() {
        edit(k, &mut record);
        writer.write_record(&record).unwrap();
    }
    writer.flush().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unedited_csv_gives_back_the_translation() {
    let dir = tempfile::tempdir().unwrap();
    translated(dir.path()).await;
    let csv = dir.path().join("banjir-semarang.id.csv");
    selaras()
        .arg("apply")
        .arg(&csv)
        .assert()
        .success()
        .stderr(predicates::str::contains("0 of 69 rows changed"));
    let rebuilt =
        std::fs::read_to_string(dir.path().join("banjir-semarang.id.reviewed.txt")).unwrap();
    let original = std::fs::read_to_string(dir.path().join("banjir-semarang.id.en.txt")).unwrap();
    assert_eq!(paragraphs(&rebuilt), paragraphs(&original));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviewer_edits_survive_the_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    translated(dir.path()).await;
    let csv = dir.path().join("banjir-semarang.id.csv");
    let original_rows = common::read_csv(&csv).1;
    // Edits a reviewer makes: quotes and commas, a line break inside a cell,
    // text a spreadsheet would take for a formula (typed raw, or kept with
    // selaras's guard), and a sentence deleted.
    let edits = [
        (3, r#"He said, "yes, at once", and left."#),
        (5, "First line of the cell\nsecond line of the cell."),
        (7, "=SUM(A1) is how the cell began"),
        (9, "'+62 24 555 0100 is the hotline."),
        (11, ""),
    ];
    edit(&csv, |k, record| {
        if let Some((_, text)) = edits.iter().find(|(row, _)| *row == k) {
            record[5] = text.to_string();
            record[7] = "fixed".into();
            record[8] = "edited, \"see note\"".into();
        }
    });
    let out = dir.path().join("final.txt");
    selaras()
        .arg("apply")
        .arg(&csv)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains("5 of 69 rows changed"));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains(r#"He said, "yes, at once", and left."#),
        "{text}"
    );
    assert!(
        text.contains("First line of the cell\nsecond line of the cell."),
        "{text}"
    );
    assert!(text.contains("=SUM(A1) is how the cell began"), "{text}");
    assert!(
        text.contains("+62 24 555 0100 is the hotline.") && !text.contains("'+62"),
        "{text}"
    );
    let deleted = &original_rows[11]["target"];
    assert!(!text.contains(deleted.as_str()), "the emptied row is gone");
    // Paragraphs stay where they were.
    assert_eq!(paragraphs(&text).len(), 42);

    // And the edited CSV is still one `check` accepts.
    selaras().arg("check").arg(&csv).assert().code(1);
}

#[test]
fn apply_refuses_a_broken_csv_naming_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("rusak.csv");
    std::fs::write(
        &csv,
        "id,paragraph,link,score,source,target,issues,status,note\n1.1,1,1-1,0.90,Satu.,One.,,ok,\n2.2,2,1-1,0.90,Dua.,Two.,,ok,\n",
    )
    .unwrap();
    selaras()
        .arg("apply")
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("rusak.csv: line 3"));
    assert!(!dir.path().join("rusak.reviewed.txt").exists());
}
