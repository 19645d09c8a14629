//! Loading glossaries from files in every supported format (SPEC §5), and the
//! one-line errors, naming file and line, for files that cannot be used.

use std::path::PathBuf;

use selaras::check::glossary::{Entry, Glossary};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/glossary")
        .join(name)
}

fn load(names: &[&str]) -> Glossary {
    let paths: Vec<PathBuf> = names.iter().map(|n| fixture(n)).collect();
    Glossary::load(&paths).unwrap_or_else(|e| panic!("{e}"))
}

/// The error of loading these files, checked to be one line and exit code 2.
fn load_error(names: &[&str]) -> String {
    let paths: Vec<PathBuf> = names.iter().map(|n| fixture(n)).collect();
    let err = Glossary::load(&paths).expect_err("the glossary should be refused");
    assert_eq!(err.exit_code(), 2, "{err}");
    let message = err.to_string();
    assert!(!message.contains('\n'), "{message}");
    message
}

/// `FILE:LINE: ...` as the messages write it.
fn at(name: &str, line: usize) -> String {
    format!("{}:{line}", fixture(name).display())
}

fn entry(
    sources: &[&str],
    targets: &[&str],
    forbidden: &[&str],
    note: &str,
    file: &str,
    line: usize,
) -> Entry {
    let owned = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
    Entry {
        sources: owned(sources),
        targets: owned(targets),
        forbidden: owned(forbidden),
        note: note.to_string(),
        case_sensitive: true,
        file: fixture(file),
        line,
    }
}

#[test]
fn csv_with_bom_crlf_and_capitalised_header() {
    let g = load(&["names.csv"]);
    assert_eq!(g.entries.len(), 5);
    assert_eq!(
        g.entries[0],
        entry(
            &["Korea Utara", "Korut"],
            &["North Korea", "North Korean"],
            &["DPRK"],
            "country",
            "names.csv",
            2
        )
    );
    assert_eq!(
        g.entries[1],
        entry(
            &["Pers Terkait", "Asosiasi Pers"],
            &["Associated Press"],
            &[],
            "news agency",
            "names.csv",
            3
        )
    );
    assert_eq!(
        g.entries[2],
        entry(
            &["Badan Meteorologi, Klimatologi, dan Geofisika", "BMKG"],
            &["Meteorology, Climatology and Geophysics Agency", "BMKG"],
            &[],
            "weather agency",
            "names.csv",
            4
        )
    );
    assert_eq!(g.entries[3].targets, ["Li Zuocheng"]);
    assert_eq!(g.entries[3].note, "the source misspells the name");
    let mut insensitive = entry(
        &["jawa tengah"],
        &["Central Java"],
        &[],
        "lower case in captions",
        "names.csv",
        6,
    );
    insensitive.case_sensitive = false;
    assert_eq!(g.entries[4], insensitive);
}

#[test]
fn tsv_with_header_and_a_blank_line() {
    let g = load(&["places.tsv"]);
    assert_eq!(
        g.entries,
        [
            entry(&["Semarang"], &["Semarang"], &[], "city", "places.tsv", 2),
            entry(
                &["Kali Garang", "Sungai Garang"],
                &["Garang River"],
                &[],
                "river",
                "places.tsv",
                3
            ),
            entry(
                &["Samudra Hindia"],
                &["Indian Ocean"],
                &[],
                "",
                "places.tsv",
                5
            ),
        ]
    );
}

#[test]
fn deepl_csv_without_header() {
    let g = load(&["deepl.csv"]);
    assert_eq!(
        g.entries,
        [
            entry(
                &["Badan Nasional Penanggulangan Bencana"],
                &["National Disaster Management Agency"],
                &[],
                "",
                "deepl.csv",
                1
            ),
            entry(&["BNPB"], &["BNPB"], &[], "", "deepl.csv", 2),
            // source,target,source_lang,target_lang: the languages are ignored.
            entry(&["Rusia"], &["Russia"], &[], "", "deepl.csv", 3),
        ]
    );
}

#[test]
fn tbx_v2_statuses_and_legacy_language_code() {
    let g = load(&["terms-v2.tbx"]);
    assert_eq!(
        g.entries,
        [
            // `in` is Indonesian; a deprecated Indonesian term is still a
            // source; preferred English first, then admitted; deprecated
            // English is forbidden.
            entry(
                &["Tiongkok", "Cina"],
                &["China", "PRC"],
                &["Red China"],
                "country; the article's spelling varies",
                "terms-v2.tbx",
                9
            ),
            // ntig/termGrp, en-GB, a superseded term; Malay is ignored.
            entry(
                &["Siti Nuraini"],
                &["Siti Nuraini"],
                &["Siti Nurani"],
                "",
                "terms-v2.tbx",
                36
            ),
        ]
    );
}

#[test]
fn tbx_v3_with_namespace_and_three_letter_codes() {
    let g = load(&["terms-v3.tbx"]);
    assert_eq!(
        g.entries,
        [
            entry(
                &["Gedung Capitol AS", "Gedung Kongres AS"],
                &["U.S. Capitol", "Capitol Building"],
                &["Congress House"],
                "building",
                "terms-v3.tbx",
                9
            ),
            // No status at all: an accepted target.
            entry(&["Kaligawe"], &["Kaligawe"], &[], "", "terms-v3.tbx", 36),
        ]
    );
}

#[test]
fn all_formats_load_together() {
    let g = load(&[
        "names.csv",
        "places.tsv",
        "deepl.csv",
        "terms-v2.tbx",
        "terms-v3.tbx",
    ]);
    assert_eq!(g.entries.len(), 15);
    let files: Vec<String> = g
        .entries
        .iter()
        .map(|e| e.file.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.first().map(String::as_str), Some("names.csv"));
    assert_eq!(files.last().map(String::as_str), Some("terms-v3.tbx"));
}

#[test]
fn the_same_name_twice_with_the_same_target_is_merged() {
    // Semarang is in both files with the same target: the first is kept.
    let g = load(&["places.tsv", "conflict-a.csv"]);
    let semarang: Vec<&Entry> = g
        .entries
        .iter()
        .filter(|e| e.sources.iter().any(|s| s == "Semarang"))
        .collect();
    assert_eq!(semarang.len(), 1);
    assert_eq!(semarang[0].file, fixture("places.tsv"));
    assert_eq!(semarang[0].line, 2);
    assert_eq!(g.entries.len(), 3 + 2);
}

#[test]
fn a_conflicting_duplicate_across_files_names_both_places() {
    assert_eq!(
        load_error(&["conflict-a.csv", "conflict-b.tsv"]),
        format!(
            "{}: the source form \"Banjir Kanal Timur\" has the target \"East Banjir Kanal\" here but \"East Flood Canal\" in {}; keep one of the two entries or give them the same targets",
            at("conflict-b.tsv", 4),
            at("conflict-a.csv", 4)
        )
    );
    // Either file alone is fine.
    assert_eq!(load(&["conflict-a.csv"]).entries.len(), 3);
    assert_eq!(load(&["conflict-b.tsv"]).entries.len(), 4);
}

#[test]
fn unbalanced_quotes_name_the_line_of_the_quote() {
    assert_eq!(
        load_error(&["bad-quotes.csv"]),
        format!(
            "{}: a quote opened on this line is never closed; close the cell with \" (and write \"\" for a quote inside a cell)",
            at("bad-quotes.csv", 3)
        )
    );
}

#[test]
fn a_missing_column_is_named() {
    assert_eq!(
        load_error(&["bad-missing-column.csv"]),
        format!(
            "{}: the header has no \"target\" column; add it (source and target are required)",
            at("bad-missing-column.csv", 1)
        )
    );
}

#[test]
fn a_tbx_that_is_not_xml() {
    assert_eq!(
        load_error(&["bad-not-xml.tbx"]),
        format!(
            "{}: not XML (a TBX file starts with \"<\"); export the glossary as TBX again, or give a CSV or TSV table a .csv or .tsv name",
            at("bad-not-xml.tbx", 1)
        )
    );
}

#[test]
fn a_bad_file_among_good_ones_stops_the_load() {
    let message = load_error(&["names.csv", "bad-missing-column.csv", "terms-v2.tbx"]);
    assert!(
        message.starts_with(&at("bad-missing-column.csv", 1)),
        "{message}"
    );
}

#[test]
fn a_missing_file_is_named() {
    assert_eq!(
        load_error(&["no-such-glossary.csv"]),
        format!(
            "{}: no such glossary file; check the path",
            fixture("no-such-glossary.csv").display()
        )
    );
}
