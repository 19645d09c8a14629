//! Glossary and number matching, as a table of cases run through
//! `selaras check`: each case is one row of a parallel CSV, and the
//! expected findings are exactly what `check` prints for that row.

mod common;

use common::{CSV_HEADER, selaras};

const GLOSSARY: &str = "\
source,target,note,case,forbidden
Rusia,Russia|Russian,country,,
Tiongkok|Cina,China|Chinese,country,,
Amerika Serikat|AS,United States|U.S.|US|American,country,,
Gedung Capitol AS,U.S. Capitol|Capitol,building,,
Korea Utara|Korut,North Korea|North Korean,country,,
Pers Terkait|Asosiasi Pers,Associated Press|AP,news agency,,Related Press
Volodymyr Zelensky,Volodymyr Zelensky|Zelensky,president,,Zelenskiy
webinar,webinar,word,insensitive,
dolar AS,U.S. dollar|dollars|$,currency,,
";

/// (source, target, expected findings for the row, `; `-joined).
const CASES: &[(&str, &str, &str)] = &[
    // a name and its accepted forms
    ("Rusia menyerang.", "Russia attacked.", ""),
    ("Pasukan Rusia maju.", "Russian troops advanced.", ""),
    (
        "Rusia menyerang.",
        "Moscow attacked.",
        "glossary-missing: Rusia -> Russia",
    ),
    // clitics and hyphenated prefixes on the Indonesian side
    (
        "Tentara Rusianya mundur.",
        "Its Russian troops withdrew.",
        "",
    ),
    (
        "Kelompok pro-Rusia menang.",
        "The pro-Russian group won.",
        "",
    ),
    ("Apakah Rusiakah itu?", "Was it Russia?", ""),
    ("Rusiawan datang.", "Rusiawan came.", ""),
    // possessives on the English side, straight and curly
    ("Tentara Tiongkok siaga.", "China's army is on alert.", ""),
    ("Tentara Tiongkok siaga.", "China’s army is on alert.", ""),
    // a source form left in the English
    (
        "Tiongkok marah.",
        "Tiongkok is angry.",
        "glossary-missing: Tiongkok -> China; glossary-untranslated: Tiongkok -> China",
    ),
    (
        "Tiongkok marah.",
        "China is angry, Tiongkok's envoy said.",
        "glossary-untranslated: Tiongkok -> China",
    ),
    // case-sensitive by default: AS is not "as", nor part of ASEAN
    (
        "Mereka bertemu sebagai sahabat.",
        "They met as friends.",
        "",
    ),
    ("ASEAN bertemu.", "ASEAN met.", ""),
    (
        "Kesiapan AS tetap.",
        "Readiness stays.",
        "glossary-missing: AS -> United States",
    ),
    // case-insensitive entries
    ("Webinar itu ramai.", "The WEBINAR was busy.", ""),
    // the longest match wins and hides the shorter inside it
    (
        "Serangan ke Gedung Capitol AS terjadi.",
        "The attack on the Capitol happened.",
        "",
    ),
    (
        "Serangan ke Gedung Capitol AS terjadi.",
        "The attack on the building happened.",
        "glossary-missing: Gedung Capitol AS -> U.S. Capitol",
    ),
    // two names in one row, one missing
    (
        "Korut dan Rusia bersekutu.",
        "North Korea and Moscow are allies.",
        "glossary-missing: Rusia -> Russia",
    ),
    // forbidden forms, literal translations of an agency
    (
        "(Budi/Pers Terkait)",
        "(Budi/Related Press)",
        "glossary-missing: Pers Terkait -> Associated Press; glossary-forbidden: Related Press -> Associated Press",
    ),
    (
        "Volodymyr Zelensky tiba.",
        "Volodymyr Zelenskiy arrived.",
        "glossary-missing: Volodymyr Zelensky -> Volodymyr Zelensky; glossary-forbidden: Zelenskiy -> Volodymyr Zelensky",
    ),
    // symbols need no word boundary
    ("Bantuan 2 juta dolar AS.", "Aid of $2 million.", ""),
    // numbers across conventions
    ("Sekitar 10.000 tentara.", "About 10,000 troops.", ""),
    ("Naik 2,5 meter.", "Rose 2.5 meters.", ""),
    ("Brigade ke-24 maju.", "The 24th Brigade advanced.", ""),
    ("Pukul 10.30 WIB.", "At 10:30 a.m. local time.", ""),
    ("Sebanyak 10 ribu warga.", "Some 10,000 residents.", ""),
    (
        "Tiga jenderal dan 3 kolonel.",
        "Three generals and three colonels.",
        "",
    ),
    (
        "Sekitar 10.000 tentara.",
        "About 1,000 troops.",
        "number-mismatch: 10.000 is not in the target",
    ),
    (
        "Ada 32 negara.",
        "There are 23 countries.",
        "number-mismatch: 32 is not in the target",
    ),
    // dates in words count by their digits
    ("Kamis, 31 Oktober 2024.", "Thursday, Oct. 31, 2024.", ""),
    (
        "Pada 6 Januari 2021.",
        "On Jan. 6.",
        "number-mismatch: 2021 is not in the target",
    ),
];

#[test]
fn table_of_matching_cases() {
    let dir = tempfile::tempdir().unwrap();
    let glossary = dir.path().join("g.csv");
    std::fs::write(&glossary, GLOSSARY).unwrap();
    let mut writer = csv::Writer::from_path(dir.path().join("cases.csv")).unwrap();
    writer.write_record(CSV_HEADER).unwrap();
    for (k, (source, target, _)) in CASES.iter().enumerate() {
        let p = (k + 1).to_string();
        writer
            .write_record([
                &format!("{p}.1"),
                &p,
                "1-1",
                "1.00",
                source,
                target,
                "",
                "ok",
                "",
            ])
            .unwrap();
    }
    writer.flush().unwrap();
    let output = selaras()
        .arg("check")
        .arg(dir.path().join("cases.csv"))
        .arg("--glossary")
        .arg(&glossary)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut failures = Vec::new();
    for (k, (source, target, expected)) in CASES.iter().enumerate() {
        let prefix = format!("cases.csv:{}.1: ", k + 1);
        let got: Vec<&str> = stdout
            .lines()
            .filter_map(|l| l.split_once(&prefix).map(|(_, f)| f))
            .collect();
        if got.join("; ") != *expected {
            failures.push(format!(
                "{source} | {target}\n  expected: {expected}\n  got:      {}",
                got.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    let any = CASES.iter().any(|c| !c.2.is_empty());
    assert_eq!(output.status.code(), Some(if any { 1 } else { 0 }));
}
