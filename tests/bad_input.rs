//! The bad-input corpus: whatever a CMS exports or a spreadsheet sends
//! back ends in correct output or in one line naming the file and the place,
//! exit code 2; never a panic, a hang, or an output file left behind.

mod common;

use std::path::{Path, PathBuf};

use common::selaras;

/// What a run gave: exit code, stdout, stderr.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&std::ffi::OsStr]) -> Ran {
    let out = selaras()
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// One line on stderr, exit 2, no panic, every needle in the line.
fn refused(ran: &Ran, needles: &[&str]) {
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(!ran.stderr.contains("panicked"), "{}", ran.stderr);
    assert_eq!(ran.stderr.trim_end().lines().count(), 1, "{}", ran.stderr);
    for n in needles {
        assert!(ran.stderr.contains(n), "missing {n:?} in {}", ran.stderr);
    }
}

fn segment(file: &Path) -> Ran {
    run(&["segment".as_ref(), file.as_os_str()])
}

/// `align` of a source against a target into `out`, with more flags.
fn align(source: &Path, target: &Path, out: &Path, more: &[&str]) -> Ran {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "align".as_ref(),
        source.as_os_str(),
        target.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    args.extend(more.iter().map(std::ffi::OsStr::new));
    run(&args)
}

fn nothing_in(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn text_that_is_not_utf8_text_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8], &[&str])] = &[
        (
            "latin1.txt",
            b"Kota Bandung\n\nCaf\xe9 tutup.\n",
            &["latin1.txt", "line 3", "UTF-8"],
        ),
        (
            "binary.txt",
            b"Banjir\x00 merendam.\n",
            &["binary.txt", "line 1", "NUL"],
        ),
        (
            "spaces.txt",
            b"   \n\t\n \r\n",
            &["spaces.txt", "empty or only whitespace"],
        ),
        ("empty.txt", b"", &["empty.txt", "empty"]),
    ];
    for (name, bytes, needles) in cases {
        let file = write(dir.path(), name, bytes);
        refused(&segment(&file), needles);
        // The same through a command that writes: nothing is left.
        let out = dir.path().join(format!("out-{name}"));
        let good = write(dir.path(), "good.txt", b"Hujan turun.\n");
        refused(&align(&file, &good, &out, &["--no-glossary"]), needles);
        nothing_in(&out);
    }
}

#[test]
fn utf16_with_a_bom_is_converted() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Banjir merendam kota. Warga mengungsi.\n";
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (name, bytes) in [("le.txt", le), ("be.txt", be)] {
        let ran = segment(&write(dir.path(), name, &bytes));
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        assert_eq!(
            ran.stdout, "Banjir merendam kota.\nWarga mengungsi.\n",
            "{name}"
        );
    }
}

#[test]
fn scripts_emoji_and_combining_marks_come_through_whole() {
    let dir = tempfile::tempdir().unwrap();
    let text = "مرحبا بالعالم. هذه جملة.\n\nשלום עולם. זה משפט.\n\n\
                Emoji 🎉🇮🇩 di Jakarta. Kombinasi e\u{301} dan a\u{300} tetap utuh.\n";
    let ran = segment(&write(dir.path(), "campur.txt", text.as_bytes()));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    assert_eq!(squeeze(&ran.stdout), squeeze(text));
    assert!(ran.stdout.contains("Emoji 🎉🇮🇩 di Jakarta.\n"));
    assert!(
        ran.stdout
            .contains("Kombinasi e\u{301} dan a\u{300} tetap utuh.\n")
    );

    // Aligned against itself, every sentence keeps its bytes in the CSV.
    let out = dir.path().join("out");
    let file = dir.path().join("campur.txt");
    let ran = align(&file, &file, &out, &[]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let csv = std::fs::read_to_string(out.join("campur.csv")).unwrap();
    assert!(csv.contains("🎉🇮🇩") && csv.contains("e\u{301}") && csv.contains("זה משפט."));
}

#[test]
fn a_five_thousand_character_word_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let word = "a".repeat(5000);
    let file = write(
        dir.path(),
        "kata.txt",
        format!("Kata {word} panjang. Selesai.\n").as_bytes(),
    );
    let ran = segment(&file);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout, format!("Kata {word} panjang.\nSelesai.\n"));
    let out = dir.path().join("out");
    assert_eq!(align(&file, &file, &out, &[]).code, 0);
    assert!(
        std::fs::read_to_string(out.join("kata.csv"))
            .unwrap()
            .contains(&word)
    );
}

#[test]
fn a_hundred_thousand_one_word_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let text: Vec<String> = (0..100_000).map(|k| format!("kata{k}")).collect();
    let file = write(dir.path(), "kata.txt", text.join("\n\n").as_bytes());
    let out = dir.path().join("out");
    let ran = align(&file, &file, &out, &["--no-glossary"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let csv = std::fs::read_to_string(out.join("kata.csv")).unwrap();
    // The header and one row a paragraph.
    assert_eq!(csv.lines().count(), 100_001);
    assert!(csv.lines().last().unwrap().contains("kata99999"));
}

#[test]
fn a_single_twenty_megabyte_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let sentence = "Kalimat panjang tentang banjir yang merendam rumah warga di kota.";
    let count = 20_000_000 / (sentence.len() + 1) + 1;
    let text = vec![sentence; count].join(" ");
    assert!(text.len() >= 20_000_000);
    let ran = segment(&write(dir.path(), "besar.txt", text.as_bytes()));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout.lines().count(), count);
}

#[test]
fn glossaries_with_a_bom_and_crlf_load_and_broken_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let source = write(dir.path(), "a.id.txt", b"Korea Utara menembakkan rudal.\n");
    let target = write(dir.path(), "a.en.txt", b"Pyongyang fired a missile.\n");

    // A BOM and CRLF line ends: the entry is read, so its name is missed.
    let bom = write(
        dir.path(),
        "bom.csv",
        "\u{feff}source,target\r\nKorea Utara,North Korea\r\n".as_bytes(),
    );
    let out = dir.path().join("out-bom");
    let bom_arg = format!("--glossary={}", bom.display());
    let ran = align(&source, &target, &out, &[&bom_arg]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let csv = std::fs::read_to_string(out.join("a.id.csv")).unwrap();
    assert!(csv.contains("North Korea"), "{csv}");

    let cases: &[(&str, &[u8], &[&str])] = &[
        (
            "quote.csv",
            b"source,target\nMesir,Egypt\n\"Korea Utara,North Korea\n",
            &["quote.csv:3", "never closed"],
        ),
        (
            "column.csv",
            b"source\nKorea Utara\n",
            &["column.csv:1", "target"],
        ),
        ("notxml.tbx", b"this is not xml <martif", &["notxml.tbx:1", "XML"]),
        (
            "entity.tbx",
            b"<?xml version=\"1.0\"?>\n<!DOCTYPE martif [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<martif><text><body>&x;</body></text></martif>\n",
            &["entity.tbx"],
        ),
    ];
    for (name, bytes, needles) in cases {
        let glossary = write(dir.path(), name, bytes);
        let out = dir.path().join(format!("out-{name}"));
        let arg = format!("--glossary={}", glossary.display());
        let ran = align(&source, &target, &out, &[&arg]);
        refused(&ran, needles);
        assert!(!ran.stderr.contains("root:"), "an external entity was read");
        nothing_in(&out);
    }
}

#[test]
fn a_broken_reviewed_csv_is_refused_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let header = common::CSV_HEADER.join(",");
    let cases: &[(&str, String, &[&str])] = &[
        (
            "quote.csv",
            format!("{header}\n1.1,1,1-1,0.90,\"Hujan turun.,Rain fell.,,ok,\n"),
            &["quote.csv", "line 2", "never closed"],
        ),
        (
            "column.csv",
            "id,paragraph,link,score,source,target\n1.1,1,1-1,0.90,Hujan turun.,Rain fell.\n"
                .to_string(),
            &["column.csv", "line 1", "columns"],
        ),
    ];
    for (name, text, needles) in cases {
        let csv = write(dir.path(), name, text.as_bytes());
        refused(&run(&["check".as_ref(), csv.as_os_str()]), needles);
        let out = dir.path().join(format!("applied-{name}.txt"));
        let ran = run(&[
            "apply".as_ref(),
            csv.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ]);
        refused(&ran, needles);
        assert!(!out.exists(), "apply wrote {}", out.display());
    }
}

/// A small aligned CSV to feed `apply`.
fn reviewed(dir: &Path) -> PathBuf {
    let source = write(dir, "r.id.txt", b"Hujan turun di Semarang.\n");
    let target = write(dir, "r.en.txt", b"Rain fell in Semarang.\n");
    let out = dir.join("aligned");
    assert_eq!(align(&source, &target, &out, &["--no-glossary"]).code, 0);
    out.join("r.id.csv")
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_device_stays() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let csv = reviewed(dir.path());
    let ran = run(&[
        "apply".as_ref(),
        csv.as_os_str(),
        "--out".as_ref(),
        full.as_os_str(),
    ]);
    refused(&ran, &["/dev/full", "free some space"]);
    // Written in place, not replaced by a renamed file.
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata(full)
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn a_csv_streamed_to_a_full_disk_is_a_clear_error() {
    // The CSV is written as it is made, not built whole first: a full disk
    // met halfway still gives one line, and a link to the device stays.
    let full = Path::new("/dev/full");
    if !full.exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let source = write(dir.path(), "s.id.txt", b"Hujan turun di Semarang.\n");
    let target = write(dir.path(), "s.en.txt", b"Rain fell in Semarang.\n");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(full, out.join("s.id.csv")).unwrap();
    let ran = align(&source, &target, &out, &["--no-glossary"]);
    refused(&ran, &["s.id.csv", "free some space"]);
    let link = std::fs::symlink_metadata(out.join("s.id.csv")).unwrap();
    assert!(link.file_type().is_symlink());
}

#[test]
fn outputs_replace_files_atomically_and_keep_links() {
    let dir = tempfile::tempdir().unwrap();
    let csv = reviewed(dir.path());
    // An older file is replaced whole.
    let old = write(
        dir.path(),
        "old.txt",
        &b"an older, much longer text\n".repeat(100),
    );
    let ran = run(&[
        "apply".as_ref(),
        csv.as_os_str(),
        "--out".as_ref(),
        old.as_os_str(),
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        std::fs::read_to_string(&old).unwrap(),
        "Rain fell in Semarang.\n"
    );
    // A link stays a link; the file it points to gets the text.
    let real = write(dir.path(), "real.txt", b"");
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let ran = run(&[
        "apply".as_ref(),
        csv.as_os_str(),
        "--out".as_ref(),
        link.as_os_str(),
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        "Rain fell in Semarang.\n"
    );
    // No temporary file is left anywhere.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let name = entry.unwrap().file_name();
        assert!(!name.to_string_lossy().ends_with(".tmp"), "{name:?}");
    }
}

#[test]
fn an_output_directory_that_cannot_be_made_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let source = write(dir.path(), "s.id.txt", b"Hujan turun.\n");
    let target = write(dir.path(), "s.en.txt", b"Rain fell.\n");
    // A file where the directory should be.
    let blocker = write(dir.path(), "blocker", b"keep me\n");
    let ran = align(&source, &target, &blocker.join("out"), &["--no-glossary"]);
    refused(&ran, &["blocker"]);
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "keep me\n");
}
