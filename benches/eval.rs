//! Alignment quality against gold data: strict precision, recall and F1
//! (a link counts only when both of its sides match a gold group exactly).
//!
//! ```text
//! cargo bench --bench eval -- gold SOURCE TRANSLATION GOLD.tsv [-v]
//! cargo bench --bench eval -- panl DIR [BLOCK] [--glossary] [--lines]
//! cargo bench --bench eval -- bridge DIR [--no-bridge]
//! ```
//!
//! `gold`: SOURCE and TRANSLATION are articles with the same paragraphs;
//! GOLD.tsv has the columns `paragraph`, `source`, `target` (sentences of a
//! group joined by one space). `panl`: the PANL-BPPT corpus, one translation
//! unit a line; BLOCK consecutive lines (default 10) make a paragraph and
//! each line pair is a gold group; a BLOCK larger than the corpus aligns
//! each domain as one block; `--lines` takes each line as one sentence
//! instead of splitting it. `--glossary` adds the built-in glossary's
//! names as anchors. With `EVAL_SHOW=1` in the environment, `panl` also
//! prints every stretch where it disagrees with the gold, and a count of
//! gold groups and misses by shape.

use std::collections::HashSet;
use std::path::Path;

use selaras::align::align_with;
use selaras::check::Checker;
use selaras::check::glossary::Glossary;
use selaras::cmd::translate::align_document;
use selaras::document::Document;
use selaras::segment::{Lang, sentences};

type Group = (usize, String, String);

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("gold") if args.len() >= 4 => {
            let verbose = args.iter().any(|a| a == "-v");
            gold(&args[1], &args[2], &args[3], verbose)
        }
        Some("panl") if args.len() >= 2 => {
            let block = args.get(2).and_then(|b| b.parse().ok()).unwrap_or(10);
            let glossary = args.iter().any(|a| a == "--glossary");
            let lines = args.iter().any(|a| a == "--lines");
            panl(&args[1], block, glossary, lines)
        }
        Some("bridge") if args.len() >= 2 => {
            bridge(&args[1], !args.iter().any(|a| a == "--no-bridge"))
        }
        _ => eprintln!("usage: eval gold SOURCE TRANSLATION GOLD.tsv [-v] | eval panl DIR [BLOCK]"),
    }
}

fn gold(source: &str, translation: &str, gold: &str, verbose: bool) {
    let doc = Document::read(Path::new(source)).unwrap_or_else(|e| panic!("{e}"));
    let tr = Document::read(Path::new(translation)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        doc.paragraphs.len(),
        tr.paragraphs.len(),
        "paragraph counts differ"
    );
    let texts: Vec<String> = tr.paragraphs.iter().map(|p| p.text.clone()).collect();
    let checker = Checker::new(Glossary::default(), Lang::Indonesian, Lang::English);
    let rows = align_document(&doc, &texts, &checker);
    let found: Vec<Group> = rows
        .iter()
        .map(|r| (r.paragraph, r.source.to_string(), r.target.to_string()))
        .collect();
    let scores: Vec<f32> = rows.iter().map(|r| r.score).collect();
    let text = std::fs::read_to_string(gold).expect("read gold");
    let expected: Vec<Group> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split('\t');
            let p = f.next().unwrap().parse().unwrap();
            (
                p,
                f.next().unwrap_or("").to_string(),
                f.next().unwrap_or("").to_string(),
            )
        })
        .collect();
    if verbose {
        let gold_set: HashSet<&Group> = expected.iter().collect();
        let found_set: HashSet<&Group> = found.iter().collect();
        for g in &found {
            if !gold_set.contains(g) {
                println!("extra  {} | {} | {}", g.0, g.1, g.2);
            }
        }
        for g in &expected {
            if !found_set.contains(g) {
                println!("missed {} | {} | {}", g.0, g.1, g.2);
            }
        }
    }
    report("gold", &found, &scores, &expected);
}

fn panl(dir: &str, block: usize, glossary: bool, lines: bool) {
    let glossary = if glossary {
        selaras::check::default_glossary().expect("the built-in glossary loads")
    } else {
        Glossary::default()
    };
    let checker = Checker::new(glossary, Lang::Indonesian, Lang::English);
    for domain in ["ECO", "INT", "SCI"] {
        let find = |lang: &str| {
            std::fs::read_dir(dir)
                .expect("read corpus dir")
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .find(|p| {
                    let n = p.file_name().unwrap().to_string_lossy().to_string();
                    n.contains(&format!("-{domain}-{lang}-")) && n.ends_with(".txt")
                })
        };
        let (Some(id), Some(en)) = (find("ID"), find("EN")) else {
            continue;
        };
        let id: &'static str = std::fs::read_to_string(id).expect("read").leak();
        let en: &'static str = std::fs::read_to_string(en).expect("read").leak();
        let id: Vec<&str> = id.lines().collect();
        let en: Vec<&str> = en.lines().collect();
        assert_eq!(id.len(), en.len());
        // Each block's sentences, and its gold groups as sentence ranges.
        let mut blocks: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
        let mut golds: Vec<Vec<Span>> = Vec::new();
        for chunk in (0..id.len()).collect::<Vec<_>>().chunks(block) {
            let (mut src, mut tgt, mut gold) = (Vec::new(), Vec::new(), Vec::new());
            for &k in chunk {
                let split = |line: &'static str, lang| {
                    if lines {
                        Some(line.trim())
                            .filter(|l| !l.is_empty())
                            .into_iter()
                            .collect()
                    } else {
                        sentences(line, lang)
                    }
                };
                let s = split(id[k], Lang::Indonesian);
                let t = split(en[k], Lang::English);
                if s.is_empty() && t.is_empty() {
                    continue;
                }
                gold.push((
                    src.len()..src.len() + s.len(),
                    tgt.len()..tgt.len() + t.len(),
                ));
                src.extend(s);
                tgt.extend(t);
            }
            blocks.push((src, tgt));
            golds.push(gold);
        }
        let aligned: Vec<Vec<selaras::align::Link>> = blocks
            .iter()
            .map(|(s, t)| {
                let extra =
                    |k: usize, side: bool| checker.anchors(if side { s[k] } else { t[k] }, side);
                align_with(s, t, Lang::Indonesian, Lang::English, &extra)
            })
            .collect();
        let (mut found, mut expected, mut scores) = (Vec::new(), Vec::new(), Vec::new());
        let mut shapes: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
        for (b, ((src, tgt), (gold, links))) in
            blocks.iter().zip(golds.iter().zip(&aligned)).enumerate()
        {
            let group = |(s, t): &Span| (b, src[s.clone()].join(" "), tgt[t.clone()].join(" "));
            let spans: HashSet<Span> = links
                .iter()
                .map(|l| (l.source.clone(), l.target.clone()))
                .collect();
            for g in gold {
                expected.push(group(g));
                let e = shapes
                    .entry(format!("{}-{}", g.0.len(), g.1.len()))
                    .or_default();
                e.0 += 1;
                e.1 += usize::from(!spans.contains(g));
            }
            for l in links {
                found.push(group(&(l.source.clone(), l.target.clone())));
                scores.push(l.score);
            }
            if std::env::var_os("EVAL_SHOW").is_some() {
                show_differences(src, tgt, gold, links);
            }
        }
        if std::env::var_os("EVAL_SHOW").is_some() {
            for (shape, (all, missed)) in &shapes {
                println!("gold {shape}: {all}, {missed} missed");
            }
        }
        report(domain, &found, &scores, &expected);
    }
}

/// A group as the ranges of sentences it covers on each side.
type Span = (std::ops::Range<usize>, std::ops::Range<usize>);

/// Prints each stretch where the alignment and the gold disagree: both sets
/// of groups, then the sentences.
fn show_differences(src: &[&str], tgt: &[&str], gold: &[Span], links: &[selaras::align::Link]) {
    let found: Vec<Span> = links
        .iter()
        .map(|l| (l.source.clone(), l.target.clone()))
        .collect();
    let agreed: HashSet<&Span> = found.iter().collect();
    let mut k = 0;
    while k < gold.len() {
        if agreed.contains(&gold[k]) {
            k += 1;
            continue;
        }
        // The stretch ends where a gold group and a found one end together.
        let (s0, t0) = (gold[k].0.start, gold[k].1.start);
        while k + 1 < gold.len()
            && !found
                .iter()
                .any(|f| f.0.end == gold[k].0.end && f.1.end == gold[k].1.end)
        {
            k += 1;
        }
        let (s1, t1) = (gold[k].0.end, gold[k].1.end);
        let inside =
            |g: &&Span| g.0.start >= s0 && g.0.end <= s1 && g.1.start >= t0 && g.1.end <= t1;
        println!("=== source {s0}..{s1}, target {t0}..{t1}");
        for g in gold.iter().filter(inside) {
            println!("  gold  {:?} {:?}", g.0, g.1);
        }
        for f in found.iter().filter(inside) {
            println!("  found {:?} {:?}", f.0, f.1);
        }
        for (i, s) in src.iter().enumerate().take(s1).skip(s0) {
            println!("  S{i}: {s}");
        }
        for (j, t) in tgt.iter().enumerate().take(t1).skip(t0) {
            println!("  T{j}: {t}");
        }
        k += 1;
    }
}

/// Text+Berg's development document: German and French, one sentence a
/// line, a Google translation of the German into French as the bridge, and
/// gold groups `[0, 1]:[2]`.
fn bridge(dir: &str, use_bridge: bool) {
    let lines = |name: &str| -> Vec<String> {
        std::fs::read_to_string(Path::new(dir).join(name))
            .expect("read")
            .lines()
            .map(|l| l.trim().to_string())
            .collect()
    };
    let (de, fr, mt) = (
        lines("eval1957.de"),
        lines("eval1957.fr"),
        lines("eval1957.google.fr"),
    );
    let by_source: std::collections::HashMap<&str, &str> = de
        .iter()
        .map(String::as_str)
        .zip(mt.iter().map(String::as_str))
        .collect();
    let src: Vec<&str> = de.iter().map(String::as_str).collect();
    let tgt: Vec<&str> = fr.iter().map(String::as_str).collect();
    let extra = |k: usize, source: bool| {
        if !use_bridge {
            return Vec::new();
        }
        let text = if source {
            by_source.get(src[k]).copied().unwrap_or("")
        } else {
            tgt[k]
        };
        selaras::align::bridge_keys(text)
    };
    let links = align_with(&src, &tgt, Lang::Other, Lang::Other, &extra);
    let group = |s: std::ops::Range<usize>, t: std::ops::Range<usize>| {
        (0, indices(s.collect()), indices(t.collect()))
    };
    let found: Vec<Group> = links
        .iter()
        .map(|l| group(l.source.clone(), l.target.clone()))
        .collect();
    let scores: Vec<f32> = links.iter().map(|l| l.score).collect();
    let parse = |side: &str| -> Vec<usize> {
        side.trim_matches(|c| c == '[' || c == ']')
            .split(',')
            .filter_map(|n| n.trim().parse().ok())
            .collect()
    };
    let expected: Vec<Group> = lines("eval1957.gold")
        .iter()
        .filter_map(|l| l.split_once(':'))
        .map(|(a, b)| (0, indices(parse(a)), indices(parse(b))))
        .filter(|g| !(g.1.is_empty() && g.2.is_empty()))
        .collect();
    if let Some(path) = std::env::var_os("EVAL_DUMP") {
        let text: String = found.iter().map(|g| format!("{}:{}\n", g.1, g.2)).collect();
        std::fs::write(path, text).expect("write the dump");
    }
    if std::env::var_os("EVAL_SHOW").is_some() {
        let span = |v: Vec<usize>, fallback: usize| match (v.first(), v.last()) {
            (Some(&a), Some(&b)) => a..b + 1,
            _ => fallback..fallback,
        };
        let (mut s_at, mut t_at) = (0, 0);
        let mut spans: Vec<Span> = Vec::new();
        for (a, b) in lines("eval1957.gold")
            .iter()
            .filter_map(|l| l.split_once(':'))
        {
            let (s, t) = (span(parse(a), s_at), span(parse(b), t_at));
            (s_at, t_at) = (s.end.max(s_at), t.end.max(t_at));
            if !(s.is_empty() && t.is_empty()) {
                spans.push((s, t));
            }
        }
        show_differences(&src, &tgt, &spans, &links);
    }
    report(
        if use_bridge {
            "de-fr with bridge"
        } else {
            "de-fr without bridge"
        },
        &found,
        &scores,
        &expected,
    );
}

/// A side of a Text+Berg group as text: "6 7", or "" when it is empty, as
/// the report expects of an empty side.
fn indices(v: Vec<usize>) -> String {
    v.iter().map(usize::to_string).collect::<Vec<_>>().join(" ")
}

fn report(name: &str, found: &[Group], scores: &[f32], expected: &[Group]) {
    // Groups empty on both sides are ignored; recall is over gold groups
    // with both sides non-empty (Sennrich & Volk 2011).
    let gold: HashSet<&Group> = expected.iter().collect();
    let hits = found.iter().filter(|g| gold.contains(g)).count();
    let gold_full = expected
        .iter()
        .filter(|g| !g.1.is_empty() && !g.2.is_empty())
        .count();
    let hits_full = found
        .iter()
        .filter(|g| !g.1.is_empty() && !g.2.is_empty() && gold.contains(g))
        .count();
    let p = hits as f64 / found.len().max(1) as f64;
    let r = hits_full as f64 / gold_full.max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    println!(
        "{name}: {} gold links, {} found, {hits} exact; strict P {p:.4} R {r:.4} F1 {f:.4}",
        expected.len(),
        found.len()
    );
    // How well the score separates right links from wrong ones.
    let flagged = |right: bool| {
        let picked: Vec<f32> = found
            .iter()
            .zip(scores)
            .filter(|(g, _)| gold.contains(g) == right)
            .map(|(_, &s)| s)
            .collect();
        let low = picked
            .iter()
            .filter(|&&s| s < selaras::check::MIN_SCORE)
            .count();
        format!(
            "{low} of {} below {}",
            picked.len(),
            selaras::check::MIN_SCORE
        )
    };
    println!(
        "  scores: right links {}; wrong links {}",
        flagged(true),
        flagged(false)
    );
}
