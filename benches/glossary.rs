//! The cost of the name and number checks: a 10,000-entry glossary over
//! 1,000 paragraphs (the project's sample article repeated), aligned and
//! checked row by row.
//!
//! ```text
//! cargo bench --bench glossary
//! ```

use std::path::Path;
use std::time::Instant;

use selaras::check::Checker;
use selaras::check::glossary::{Entry, Glossary};
use selaras::cmd::translate::align_document;
use selaras::document::{Document, paragraphs};
use selaras::segment::Lang;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(root.join("tests/data/banjir-semarang.id.txt")).unwrap();
    let english = std::fs::read_to_string(root.join("tests/data/banjir-semarang.en.txt")).unwrap();
    let (id, en) = (paragraphs(&source), paragraphs(&english));
    let copies = 1000usize.div_ceil(id.len());
    let doc = Document {
        path: "bench.txt".into(),
        paragraphs: (0..copies)
            .flat_map(|_| id.iter().cloned())
            .enumerate()
            .map(|(k, mut p)| {
                p.number = k + 1;
                p
            })
            .collect(),
    };
    let translations: Vec<String> = (0..copies)
        .flat_map(|_| en.iter().map(|p| p.text.clone()))
        .collect();

    // The project's glossary plus synthetic names up to 10,000 entries.
    let mut entries = selaras::check::default_glossary().unwrap().entries;
    let mut k = 0;
    while entries.len() < 10_000 {
        entries.push(Entry {
            sources: vec![format!("Nama Lembaga {k}"), format!("NL{k}X")],
            targets: vec![format!("Institution Name {k}")],
            forbidden: vec![],
            note: String::new(),
            case_sensitive: k % 10 != 0,
            file: "synthetic".into(),
            line: k,
        });
        k += 1;
    }
    let runs = 5;
    let mut build = Vec::new();
    let mut check = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        let glossary = Glossary::from_entries(entries.clone()).unwrap();
        let started = Instant::now();
        let checker = Checker::new(glossary, Lang::Indonesian, Lang::English);
        build.push(started.elapsed());
        let started = Instant::now();
        let checked = align_document(&doc, &translations, &checker);
        check.push(started.elapsed());
        rows = checked.len();
    }
    build.sort();
    check.sort();
    println!(
        "glossary of {} entries, {} paragraphs, {rows} rows: build {:.1} ms, segment+align+check {:.1} ms (medians of {runs})",
        entries.len(),
        doc.paragraphs.len(),
        build[runs / 2].as_secs_f64() * 1e3,
        check[runs / 2].as_secs_f64() * 1e3,
    );

    // The checks alone, without alignment.
    let checker = Checker::new(
        Glossary::from_entries(entries.clone()).unwrap(),
        Lang::Indonesian,
        Lang::English,
    );
    let pairs: Vec<(String, String)> = align_document(&doc, &translations, &checker)
        .into_iter()
        .map(|r| (r.source, r.target))
        .collect();
    let mut alone = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let findings: usize = pairs
            .iter()
            .map(|(s, t)| checker.findings(s, t, 1.0).len())
            .sum();
        alone.push(started.elapsed());
        std::hint::black_box(findings);
    }
    alone.sort();
    println!(
        "checks alone: {:.1} ms for {} rows",
        alone[runs / 2].as_secs_f64() * 1e3,
        pairs.len()
    );
}
