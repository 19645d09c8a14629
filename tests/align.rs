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

/// `selaras align SOURCE TARGET --presegmented --no-glossary --out OUT`,
/// with `extra` arguments before the options.
fn align_presegmented(
    source: &Path,
    target: &Path,
    extra: &[&std::ffi::OsStr],
    out: &Path,
) -> assert_cmd::assert::Assert {
    selaras()
        .arg("align")
        .arg(source)
        .arg(target)
        .args(extra)
        .args(["--presegmented", "--no-glossary", "--out"])
        .arg(out)
        .assert()
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
    align_presegmented(&src, &tgt, &[], &dir.path().join("out"))
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
fn a_line_aligned_corpus_keeps_a_loosely_translated_line_one_to_one() {
    // The sample's gold groups as a corpus of one translation unit a line,
    // twenty times over, with three lines in the middle whose translator
    // moved a clause across the line between the first two. On their own
    // they read as 1-2 and 2-1; in a corpus that is otherwise one line for
    // one, the aligner keeps them line for line.
    let gold: Vec<(usize, String, String)> = read_gold("banjir-semarang.gold.tsv")
        .into_iter()
        .filter(|(_, s, t)| !s.is_empty() && !t.is_empty())
        .collect();
    let loose = [
        (
            "Penyaluran kredit sudah mulai tumbuh, meski belum secepat yang diharapkan, dan pada akhir tahun akan makin besar, kata Burhanudin.",
            "Credit growth has begun, although it is not as fast as we hoped.",
        ),
        (
            "Ia menambahkan bahwa penyaluran kredit belum optimal karena rasio pinjaman perbankan baru mencapai 60 persen.",
            "I think by the end of the year it will grow bigger, Burhanudin said.",
        ),
        (
            "Dana perbankan yang tersimpan di SBI saat ini sekitar Rp170 triliun.",
            "He added that lending was not yet optimal, with the loan ratio at 60 percent, while bank funds held in SBIs stood at around Rp170 trillion.",
        ),
    ];
    let (mut id, mut en) = (Vec::new(), Vec::new());
    for copy in 0..20 {
        if copy == 10 {
            id.extend(loose.iter().map(|(s, _)| s.to_string()));
            en.extend(loose.iter().map(|(_, t)| t.to_string()));
        }
        id.extend(gold.iter().map(|(_, s, _)| s.clone()));
        en.extend(gold.iter().map(|(_, _, t)| t.clone()));
    }
    let dir = tempfile::tempdir().unwrap();
    let (src, tgt) = (dir.path().join("c.id.txt"), dir.path().join("c.en.txt"));
    std::fs::write(&src, id.join("\n")).unwrap();
    std::fs::write(&tgt, en.join("\n")).unwrap();
    align_presegmented(&src, &tgt, &[], dir.path()).success();
    let rows = read_csv(&dir.path().join("c.id.csv")).1;
    for (s, t) in loose {
        let row = rows.iter().find(|r| r["source"] == s).expect("a row");
        assert_eq!((row["link"].as_str(), row["target"].as_str()), ("1-1", t));
    }
    let one_to_one = rows.iter().filter(|r| r["link"] == "1-1").count();
    assert!(
        one_to_one * 100 >= rows.len() * 99,
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
    align_presegmented(&src, &tgt, &[], dir.path()).success();
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
    align_presegmented(
        &src,
        &tgt,
        &["--bridge".as_ref(), mt.as_os_str()],
        dir.path(),
    )
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
    align_presegmented(
        &src,
        &tgt,
        &["--bridge".as_ref(), mt.as_os_str()],
        dir.path(),
    )
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
