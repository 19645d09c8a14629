//! `selaras translate --format`: the review workbook, the TMX and the JSON
//! end to end through the binary, each read back with an independent reader
//! (calamine, quick-xml, serde_json) and compared cell by cell with the CSV.

mod common;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader as _, Xlsx};
use common::{LibreTranslate, data, read_csv, selaras};
use quick_xml::Reader;
use quick_xml::events::Event;
use selaras::output::unguard;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

const HEADER: [&str; 9] = [
    "id",
    "paragraph",
    "link",
    "score",
    "source",
    "target",
    "issues",
    "status",
    "note",
];

/// Paragraphs whose cells a spreadsheet would run as formulas, with quotes,
/// commas, `&`, `<` and `>`, and one of two sentences.
const SOURCE: &str = "\
=SUM(A1) adalah rumus, kata \"Budi\" & <Ani>.

+62 24 adalah kode telepon Semarang, ujar @bpbd_jateng.

-5 derajat tercatat di Dieng, \u{201c}dingin sekali,\u{201d} katanya.

@BMKG melaporkan hujan 10.000 mm & angin < 5 km/jam > biasanya.

Banjir merendam 1.200 rumah di Semarang. Warga mengungsi ke masjid.
";

const TARGET: &str = "\
=SUM(A1) is a formula, said \"Budi\" & <Ani>.

+62 24 is Semarang's phone code, said @bpbd_jateng.

-5 degrees was recorded in Dieng, \u{201c}very cold,\u{201d} he said.

@BMKG reported 10,000 mm of rain & wind < 5 km/h > usual.

Floods submerged 1,200 houses in Semarang. Residents fled to the mosque.
";

const ALL: &str = "csv,txt,tmx,xlsx,json";

async fn serve(double: LibreTranslate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/translate"))
        .respond_with(double)
        .mount(&server)
        .await;
    server
}

/// Runs `translate` on `input` through `server` into `out` with `extra`
/// flags and returns its stderr.
fn translate(server: &MockServer, input: &Path, out: &Path, extra: &[&str]) -> String {
    let assert = selaras()
        .arg("translate")
        .arg(input)
        .args([
            "--provider",
            "libretranslate",
            "--endpoint",
            &server.uri(),
            "--out",
        ])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// The tricky article written to `dir` and a double that translates it.
async fn tricky(dir: &Path) -> (PathBuf, MockServer) {
    let input = dir.join("rumus.id.txt");
    std::fs::write(&input, SOURCE).unwrap();
    (input, serve(LibreTranslate::new(SOURCE, TARGET)).await)
}

/// The CSV's rows with the formula guard undone: the text as it is.
fn csv_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let (header, rows) = read_csv(path);
    assert_eq!(header, HEADER);
    rows.into_iter()
        .map(|r| r.into_iter().map(|(k, v)| (k, unguard(&v))).collect())
        .collect()
}

/// One `tu` of a TMX: its id, its props and its `(xml:lang, seg)` pairs.
#[derive(Debug, Default)]
struct Tu {
    id: String,
    props: HashMap<String, String>,
    segs: Vec<(String, String)>,
}

/// The header's attributes and every `tu`, read with quick-xml, which
/// refuses ill-formed XML.
fn read_tmx(path: &Path) -> (HashMap<String, String>, Vec<Tu>) {
    let xml = std::fs::read_to_string(path).unwrap();
    let mut reader = Reader::from_str(&xml);
    reader.config_mut().check_end_names = true;
    let attrs = |e: &quick_xml::events::BytesStart| -> HashMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.unwrap();
                let value = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .unwrap();
                (a.key.as_ref().to_string(), value.into_owned())
            })
            .collect()
    };
    let (mut header, mut units) = (HashMap::new(), Vec::new());
    let mut tu = Tu::default();
    let (mut text, mut lang, mut prop) = (None::<String>, String::new(), None::<String>);
    loop {
        match reader.read_event().unwrap() {
            Event::Empty(e) | Event::Start(e) if e.name().as_ref() == "header" => {
                header = attrs(&e)
            }
            Event::Start(e) => match e.name().as_ref() {
                "tu" => {
                    tu = Tu {
                        id: attrs(&e)["tuid"].clone(),
                        ..Tu::default()
                    }
                }
                "tuv" => lang = attrs(&e)["xml:lang"].clone(),
                "prop" => {
                    prop = Some(attrs(&e)["type"].clone());
                    text = Some(String::new());
                }
                "seg" => text = Some(String::new()),
                _ => {}
            },
            Event::Empty(e) if e.name().as_ref() == "seg" => {
                tu.segs.push((lang.clone(), String::new()))
            }
            Event::Text(t) => {
                if let Some(s) = text.as_mut() {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(s) = text.as_mut() {
                    match r.resolve_char_ref().unwrap() {
                        Some(c) => s.push(c),
                        None => s.push_str(quick_xml::escape::resolve_xml_entity(&r).unwrap()),
                    }
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "seg" => tu.segs.push((lang.clone(), text.take().unwrap())),
                "prop" => {
                    tu.props.insert(prop.take().unwrap(), text.take().unwrap());
                }
                "tu" => units.push(std::mem::take(&mut tu)),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (header, units)
}

/// Sheet `name` of a workbook as text, the way the CSV writes it: numbers
/// with the CSV's decimals (two for the score), empty cells empty.
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    assert_eq!(range.start(), Some((0, 0)));
    range
        .rows()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(col, cell)| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Float(f) if col == 3 => format!("{f:.2}"),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    other => panic!("unexpected cell {other:?} in column {col}"),
                })
                .collect()
        })
        .collect()
}

/// One part of the workbook's zip, as text.
fn xlsx_part(path: &Path, part: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(part)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Every format agrees with the CSV about every row of `stem` in `out`.
fn assert_formats_agree(out: &Path, stem: &str, input: &Path) {
    let rows = csv_rows(&out.join(format!("{stem}.csv")));
    assert!(!rows.is_empty());

    // TMX: one tu per row, in order, giving back the text exactly.
    let (header, units) = read_tmx(&out.join(format!("{stem}.tmx")));
    assert_eq!(header["srclang"], "id");
    assert_eq!(header["segtype"], "sentence");
    assert_eq!(header["datatype"], "plaintext");
    assert_eq!(header["creationtool"], "selaras");
    assert_eq!(header["creationtoolversion"], env!("CARGO_PKG_VERSION"));
    assert_eq!(header["o-tmf"], "selaras");
    assert_eq!(header["adminlang"], "en");
    assert_eq!(units.len(), rows.len());
    for (row, tu) in rows.iter().zip(&units) {
        assert_eq!(tu.id, row["id"]);
        assert_eq!(
            tu.segs,
            [
                ("id".to_string(), row["source"].clone()),
                ("en".to_string(), row["target"].clone())
            ],
            "row {}",
            row["id"]
        );
        assert_eq!(tu.props["x-score"], row["score"]);
        assert_eq!(tu.props["x-status"], row["status"]);
        assert_eq!(
            tu.props.get("x-issues").map_or("", String::as_str),
            row["issues"],
            "row {}",
            row["id"]
        );
    }

    // JSON: the same rows, and the report.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(format!("{stem}.json"))).unwrap()).unwrap();
    assert_eq!(json["input"], input.display().to_string());
    let items = json["rows"].as_array().unwrap();
    assert_eq!(items.len(), rows.len());
    for (row, item) in rows.iter().zip(items) {
        for col in ["id", "link", "source", "target", "status", "note"] {
            assert_eq!(item[col], row[col].as_str(), "{col} of row {}", row["id"]);
        }
        assert_eq!(item["paragraph"].to_string(), row["paragraph"]);
        assert_eq!(
            format!("{:.2}", item["score"].as_f64().unwrap()),
            row["score"]
        );
        let issues: Vec<String> = item["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "{}: {}",
                    i["code"].as_str().unwrap(),
                    i["detail"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(issues.join("; "), row["issues"], "row {}", row["id"]);
    }
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(format!("{stem}.report.json"))).unwrap())
            .unwrap();
    for key in [
        "rows",
        "review",
        "findings",
        "terms",
        "variants",
        "candidates",
    ] {
        assert_eq!(json["report"][key], report[key], "report {key}");
    }

    // The workbook: the CSV's cells in sheet "rows", a "report" sheet.
    let xlsx = out.join(format!("{stem}.xlsx"));
    let cells = sheet(&xlsx, "rows");
    assert_eq!(cells[0], HEADER);
    assert_eq!(cells.len(), rows.len() + 1);
    for (row, got) in rows.iter().zip(&cells[1..]) {
        let want: Vec<&str> = HEADER.iter().map(|h| row[*h].as_str()).collect();
        assert_eq!(got, &want, "row {}", row["id"]);
    }
    let report_sheet = sheet(&xlsx, "report");
    assert!(report_sheet.iter().flatten().any(|c| c == "findings"));
    assert!(report_sheet.iter().flatten().any(|c| c == "glossary names"));
    let rows_xml = xlsx_part(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(rows_xml.contains("state=\"frozen\""), "no frozen header");
    assert!(
        rows_xml.contains(&format!("<autoFilter ref=\"A1:I{}\"/>", rows.len() + 1)),
        "no autofilter over the rows"
    );
    assert!(
        rows_xml.contains(&format!("sqref=\"H2:H{}\"", rows.len() + 1))
            && rows_xml.contains("\"ok,review,fixed\""),
        "no status drop-down"
    );
    assert!(!rows_xml.contains("<f>"), "a cell became a formula");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn formula_like_and_markup_text_survives_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let (input, server) = tricky(dir.path()).await;
    let out = dir.path().join("out");
    let stderr = translate(&server, &input, &out, &["--format", ALL]);
    for ext in [
        "csv",
        "en.txt",
        "tmx",
        "xlsx",
        "json",
        "report.json",
        "glossary-candidates.csv",
    ] {
        let file = out.join(format!("rumus.id.{ext}"));
        assert!(file.is_file(), "{} missing", file.display());
        assert!(
            stderr.contains(&file.display().to_string()),
            "{ext} not in the summary: {stderr}"
        );
    }
    assert_formats_agree(&out, "rumus.id", &input);

    // The CSV guards the cells a spreadsheet would run; the others hold
    // the text as it is, and the markup characters come through.
    let (_, raw) = read_csv(&out.join("rumus.id.csv"));
    let guarded: Vec<&str> = raw
        .iter()
        .map(|r| r["source"].as_str())
        .filter(|s| s.starts_with('\''))
        .collect();
    assert_eq!(guarded.len(), 4, "{guarded:?}");
    let (_, units) = read_tmx(&out.join("rumus.id.tmx"));
    assert_eq!(
        units[0].segs[0].1,
        "=SUM(A1) adalah rumus, kata \"Budi\" & <Ani>."
    );
    assert_eq!(
        units[3].segs[1].1,
        "@BMKG reported 10,000 mm of rain & wind < 5 km/h > usual."
    );
    let tmx = std::fs::read_to_string(out.join("rumus.id.tmx")).unwrap();
    assert!(tmx.contains("&quot;Budi&quot; &amp; &lt;Ani&gt;"), "{tmx}");
    let cells = sheet(&out.join("rumus.id.xlsx"), "rows");
    assert_eq!(
        cells[2][4],
        "+62 24 adalah kode telepon Semarang, ujar @bpbd_jateng."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sample_article_in_every_format() {
    let double = LibreTranslate::from_files("banjir-semarang.id.txt", "banjir-semarang.en.txt");
    let server = serve(double).await;
    let out = tempfile::tempdir().unwrap();
    let input = data("banjir-semarang.id.txt");
    translate(&server, &input, out.path(), &["--format", ALL]);
    assert_formats_agree(out.path(), "banjir-semarang.id", &input);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_formats_asked_for_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let (input, server) = tricky(dir.path()).await;
    let exists = |out: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let cases: [(&[&str], &[&str]); 4] = [
        (&[], &["csv", "en.txt"]),
        (&["--format", "xlsx"], &["xlsx"]),
        (&["--format", "tmx", "--format", "csv"], &["csv", "tmx"]),
        (&["--format", "json,txt"], &["en.txt", "json"]),
    ];
    for (k, (flags, files)) in cases.iter().enumerate() {
        let out = dir.path().join(format!("out{k}"));
        let stderr = translate(&server, &input, &out, flags);
        let mut want: Vec<String> = files
            .iter()
            .chain(&["report.json", "glossary-candidates.csv"])
            .map(|ext| format!("rumus.id.{ext}"))
            .collect();
        want.sort();
        assert_eq!(exists(&out), want, "{flags:?}");
        let listed = stderr.matches(&out.display().to_string()).count();
        assert_eq!(listed, want.len(), "{flags:?}: {stderr}");
    }
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    selaras()
        .args(["translate", "x.txt", "--format", "csv,pdf"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("pdf"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_inputs_writing_one_file_are_refused() {
    // The report of `a.txt` is `a.report.json`, and so is the JSON of
    // `a.report.txt`.
    let dir = tempfile::tempdir().unwrap();
    let (input, server) = tricky(dir.path()).await;
    let a = dir.path().join("a.txt");
    let b = dir.path().join("a.report.txt");
    std::fs::copy(&input, &a).unwrap();
    std::fs::copy(&input, &b).unwrap();
    let out = dir.path().join("out");
    selaras()
        .arg("translate")
        .args([&a, &b])
        .args(["--provider", "libretranslate", "--endpoint", &server.uri()])
        .arg("--out")
        .arg(&out)
        .args(["--format", "json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("would both write"))
        .stderr(predicates::str::contains("a.report.json"));
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
}

/// The workbook as LibreOffice reads it: `soffice --convert-to csv` gives
/// the CSV's cells. `.ci/setup` installs LibreOffice for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libreoffice_reads_the_workbook_as_the_csv() {
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        // CI installs LibreOffice; anywhere else the test says why it did nothing.
        assert!(
            std::env::var_os("CI").is_none(),
            "LibreOffice is not installed: run .ci/setup"
        );
        eprintln!("LibreOffice is not installed; skipping the conversion check (run .ci/setup)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (input, server) = tricky(dir.path()).await;
    let out = dir.path().join("out");
    translate(&server, &input, &out, &["--format", "csv,xlsx"]);
    let converted = dir.path().join("converted");
    let status = std::process::Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profile").display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
        ])
        .arg(&converted)
        .arg(out.join("rumus.id.xlsx"))
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let (header, from_office) = read_csv(&converted.join("rumus.id.csv"));
    assert_eq!(header, HEADER);
    let rows = csv_rows(&out.join("rumus.id.csv"));
    assert_eq!(from_office.len(), rows.len());
    for (want, got) in rows.iter().zip(&from_office) {
        for col in HEADER {
            assert_eq!(got[col], want[col], "{col} of row {}", want["id"]);
        }
    }
}
