//! `selaras align` on existing translations: paragraphs as anchors, one
//! long presegmented block, and sides whose sentence counts differ a lot.

mod common;

use std::path::Path;

use common::{data, read_csv, read_gold, selaras, squeeze};
use selaras::segment::{Lang, sentences};

/// The sample split into one sentence per line, a blank line between
/// paragraphs (or none when `breaks` is false).
fn presegmented(name: &str, lang: Lang, breaks: bool) -> String {
    let text = std::fs::read_to_string(data(name)).unwrap();
    let paragraphs = common::paragraphs(&text);
    let separator = if breaks { "\n\n" } else { "\n" };
    paragraphs
        .iter()
        .map(|p| sentences(p, lang).join("\n"))
        .collect::<Vec<_>>()
        .join(separator)
}

fn all_text(csv: &Path, column: &str) -> String {
    read_csv(csv).1.iter().map(|r| r[column].clone()).collect()
}

#[test]
fn sample_aligns_like_its_gold() {
    let dir = tempfile::tempdir().unwrap();
    selaras()
        .arg("align")
        .arg(data("banjir-semarang.id.txt"))
        .arg(data("banjir-semarang.en.txt"))
        .args(["--format", "csv,tmx,json", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    for made in ["tmx", "json"] {
        assert!(
            dir.path()
                .join(format!("banjir-semarang.id.{made}"))
                .exists(),
            "{made}"
        );
    }
    assert!(!dir.path().join("banjir-semarang.id.xlsx").exists());
    let (_, rows) = read_csv(&dir.path().join("banjir-semarang.id.csv"));
    let gold = read_gold("banjir-semarang.gold.tsv");
    let exact = rows
        .iter()
        .filter(|r| {
            gold.contains(&(
                r["paragraph"].parse().unwrap(),
                r["source"].clone(),
                r["target"].clone(),
            ))
        })
        .count();
    assert!(
        exact as f64 >= 0.97 * gold.len() as f64,
        "{exact} of {}",
        gold.len()
    );
    assert!(dir.path().join("banjir-semarang.id.report.json").exists());
}

#[test]
fn one_long_presegmented_block_keeps_every_sentence() {
    let dir = tempfile::tempdir().unwrap();
    // Twenty copies of the article, one sentence a line, no paragraph
    // breaks on the English side: some 1,500 sentences in one block.
    let id: String = (0..20)
        .map(|_| presegmented("banjir-semarang.id.txt", Lang::Indonesian, true))
        .collect::<Vec<_>>()
        .join("\n\n");
    let en: String = (0..20)
        .map(|_| presegmented("banjir-semarang.en.txt", Lang::English, false))
        .collect::<Vec<_>>()
        .join("\n");
    let (src, tgt) = (
        dir.path().join("long.id.txt"),
        dir.path().join("long.en.txt"),
    );
    std::fs::write(&src, &id).unwrap();
    std::fs::write(&tgt, &en).unwrap();
    selaras()
        .arg("align")
        .arg(&src)
        .arg(&tgt)
        .args(["--presegmented", "--no-glossary", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success()
        .stderr(predicates::str::contains("aligned as one block"));
    let csv = dir.path().join("out/long.id.csv");
    assert_eq!(squeeze(&all_text(&csv, "source")), squeeze(&id));
    assert_eq!(squeeze(&all_text(&csv, "target")), squeeze(&en));
    let rows = read_csv(&csv).1;
    let one_to_one = rows.iter().filter(|r| r["link"] == "1-1").count();
    assert!(
        one_to_one * 10 >= rows.len() * 7,
        "{one_to_one} of {} rows are 1-1",
        rows.len()
    );
}

#[test]
fn a_missing_stretch_becomes_one_sided_rows() {
    let dir = tempfile::tempdir().unwrap();
    let id = presegmented("banjir-semarang.id.txt", Lang::Indonesian, false);
    let en = presegmented("banjir-semarang.en.txt", Lang::English, false);
    // The translator left out twenty sentences in the middle.
    let lines: Vec<&str> = en.lines().collect();
    let cut: Vec<&str> = lines[..30].iter().chain(&lines[50..]).copied().collect();
    let (src, tgt) = (dir.path().join("a.id.txt"), dir.path().join("a.en.txt"));
    std::fs::write(&src, &id).unwrap();
    std::fs::write(&tgt, cut.join("\n")).unwrap();
    selaras()
        .arg("align")
        .arg(&src)
        .arg(&tgt)
        .args(["--presegmented", "--no-glossary", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let csv = dir.path().join("a.id.csv");
    assert_eq!(squeeze(&all_text(&csv, "source")), squeeze(&id));
    assert_eq!(squeeze(&all_text(&csv, "target")), squeeze(&cut.join(" ")));
    let rows = read_csv(&csv).1;
    let alone = rows.iter().filter(|r| r["link"].ends_with("-0")).count();
    assert!(
        alone >= 10,
        "only {alone} source sentences left without a target"
    );
    assert!(
        rows.iter()
            .filter(|r| r["link"].ends_with("-0"))
            .all(|r| r["status"] == "review")
    );
}

#[test]
fn a_bridge_translation_is_evidence_line_for_line() {
    let dir = tempfile::tempdir().unwrap();
    // One source sentence a line; the bridge gives each source sentence the
    // English its gold group holds, as a machine translation would.
    let gold = read_gold("banjir-semarang.gold.tsv");
    let (mut source, mut bridge, mut target) = (Vec::new(), Vec::new(), Vec::new());
    for (_, s, t) in &gold {
        for sentence in sentences(s, Lang::Indonesian) {
            source.push(sentence.to_string());
            bridge.push(t.clone());
        }
        target.extend(sentences(t, Lang::English).into_iter().map(String::from));
    }
    let write = |name: &str, lines: &[String]| {
        let path = dir.path().join(name);
        std::fs::write(&path, lines.join("\n")).unwrap();
        path
    };
    let (src, tgt, mt) = (
        write("s.id.txt", &source),
        write("s.en.txt", &target),
        write("s.mt.txt", &bridge),
    );
    selaras()
        .arg("align")
        .arg(&src)
        .arg(&tgt)
        .arg("--bridge")
        .arg(&mt)
        .args(["--presegmented", "--no-glossary", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let rows = read_csv(&dir.path().join("s.id.csv")).1;
    let found: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["source"].clone(), r["target"].clone()))
        .collect();
    let exact = gold
        .iter()
        .filter(|(_, s, t)| found.contains(&(s.clone(), t.clone())))
        .count();
    assert!(
        exact as f64 >= 0.97 * gold.len() as f64,
        "{exact} of {}",
        gold.len()
    );

    // A bridge that is not line for line is refused.
    std::fs::write(&mt, bridge[1..].join("\n")).unwrap();
    selaras()
        .arg("align")
        .arg(&src)
        .arg(&tgt)
        .arg("--bridge")
        .arg(&mt)
        .args(["--presegmented", "--no-glossary", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("line for line"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bridge_from_a_service_is_fetched_and_cached() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::serve_libretranslate(common::LibreTranslate::from_files(
        "banjir-semarang.id.txt",
        "banjir-semarang.en.txt",
    ))
    .await;
    let cache = dir.path().join("cache.sqlite3");
    let run = || {
        selaras()
            .arg("align")
            .arg(data("banjir-semarang.id.txt"))
            .arg(data("banjir-semarang.en.txt"))
            .args([
                "--bridge-provider",
                "libretranslate",
                "--endpoint",
                &server.uri(),
                "--cache",
            ])
            .arg(&cache)
            .arg("--out")
            .arg(dir.path())
            .assert()
            .success()
    };
    run().stderr(predicates::str::contains(
        "bridge from libretranslate: 3 requests",
    ));
    run().stderr(predicates::str::contains(
        "bridge from libretranslate: 0 requests, 42 cache hits",
    ));
    let rows = read_csv(&dir.path().join("banjir-semarang.id.csv")).1;
    let gold = read_gold("banjir-semarang.gold.tsv");
    let exact = rows
        .iter()
        .filter(|r| {
            gold.contains(&(
                r["paragraph"].parse().unwrap(),
                r["source"].clone(),
                r["target"].clone(),
            ))
        })
        .count();
    assert!(
        exact as f64 >= 0.97 * gold.len() as f64,
        "{exact} of {}",
        gold.len()
    );
}

#[test]
fn the_built_in_glossary_is_only_for_indonesian_and_english() {
    // German and French: "Nepal" is "Népal" here, which the Indonesian-
    // English glossary would call a missing name.
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("bericht.de.txt");
    let tgt = dir.path().join("bericht.fr.txt");
    std::fs::write(&src, "Die Expedition reiste im Mai nach Nepal.\n").unwrap();
    std::fs::write(&tgt, "L'expédition partit pour le Népal en mai.\n").unwrap();
    let run = |from: &str, to: &str| {
        selaras()
            .arg("align")
            .arg(&src)
            .arg(&tgt)
            .args(["--from", from, "--to", to, "--out"])
            .arg(dir.path())
            .assert()
            .success();
        read_csv(&dir.path().join("bericht.de.csv")).1[0]["issues"].clone()
    };
    assert_eq!(run("de", "fr"), "");
    // The same pair declared Indonesian-English gets the built-in names.
    assert!(run("id", "en").contains("Nepal"), "{}", run("id", "en"));
}
