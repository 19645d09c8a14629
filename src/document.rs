//! Reading an input article: bytes to paragraphs (SPEC §1).
//!
//! UTF-8 with or without a BOM (UTF-16 with a BOM is converted), LF, CRLF or
//! CR line ends. Paragraphs are separated by one or more blank lines; a single
//! line break inside a paragraph is a soft wrap and becomes one space.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, Result};

/// A row's text: its own string, or a stretch of a file's text that many
/// rows share. An archive of a hundred thousand lines is then read into
/// one string, not copied line by line into as many, and freed at once.
#[derive(Clone)]
pub enum Text {
    Owned(String),
    Shared {
        whole: Arc<Whole>,
        range: std::ops::Range<usize>,
    },
}

/// A whole text that rows share: a string, or a large file's UTF-8 mapped
/// from the system's cache of the file. Mapped, a file of tens of megabytes
/// is neither copied nor given fresh memory that must first be cleared,
/// which is most of what reading it costs.
pub struct Whole(Held);

enum Held {
    Read(String),
    /// Checked as UTF-8 (after `start`, past a BOM) when mapped.
    Mapped {
        map: memmap2::Mmap,
        start: usize,
    },
}

impl Whole {
    /// Reads a file with [`read_bytes`] and [`decode`], or maps it if it
    /// is a large UTF-8 file, with the same one-line errors either way.
    pub fn read(path: &Path) -> Result<Whole> {
        let shown = path.display();
        let bad = |e: String| Error::input(format!("{shown}: {e}"));
        // UTF-16 is converted, so read.
        if let Some(map) = map_large(path).filter(|m| !utf16_bom(m)) {
            let start = utf8_bom(&map);
            let text = std::str::from_utf8(&map[start..])
                .map_err(|e| bad(not_utf8(&map[start..], e.valid_up_to(), start)))?;
            find_nul(text).map_err(bad)?;
            return Ok(Whole(Held::Mapped { map, start }));
        }
        Ok(Whole(Held::Read(decode(read_bytes(path)?).map_err(bad)?)))
    }
}

/// Files from this size are mapped rather than read: below it a read is as
/// quick as the system calls a mapping takes.
const MAP_FROM: u64 = 1 << 20;

/// A regular file of at least [`MAP_FROM`] bytes, mapped read-only with its
/// pages filled at once, or `None` (too small, a pipe, or a failed map:
/// then it is read).
fn map_large(path: &Path) -> Option<memmap2::Mmap> {
    // Asked of the path first, so that a small file is opened only once.
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() < MAP_FROM {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: the map is read-only and private, and its bytes are checked
    // as UTF-8 before any is read as text. Like every program that maps
    // its input, a run whose file is cut short or rewritten by another
    // program while it runs can fail or read the new bytes.
    unsafe { memmap2::MmapOptions::new().populate().map(&file) }.ok()
}

impl std::ops::Deref for Whole {
    type Target = str;

    fn deref(&self) -> &str {
        match &self.0 {
            Held::Read(s) => s,
            // SAFETY: checked as UTF-8 in `Whole::read`.
            Held::Mapped { map, start } => unsafe { std::str::from_utf8_unchecked(&map[*start..]) },
        }
    }
}

impl From<String> for Whole {
    fn from(s: String) -> Whole {
        Whole(Held::Read(s))
    }
}

impl Text {
    /// `part`, a slice of `whole`, as a stretch of it; any other string
    /// is copied.
    pub fn within(whole: &Arc<Whole>, part: &str) -> Text {
        let start = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
        let range = start..start.wrapping_add(part.len());
        match whole.get(range.clone()) {
            Some(s) if s.as_ptr() == part.as_ptr() => Text::Shared {
                whole: Arc::clone(whole),
                range,
            },
            _ => Text::from(part),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Text::Owned(s) => s,
            Text::Shared { whole, range } => &whole[range.clone()],
        }
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::Owned(String::new())
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Owned(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Owned(s.to_string())
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        match t {
            Text::Owned(s) => s,
            Text::Shared { .. } => t.as_str().to_string(),
        }
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// An input article split into paragraphs.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    pub paragraphs: Vec<Paragraph>,
}

/// One paragraph, numbered from 1 in input order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub number: usize,
    /// The line in the file where the paragraph starts, from 1, for messages.
    pub line: usize,
    /// The paragraph's text with soft wraps joined by single spaces.
    pub text: String,
}

impl Document {
    /// Reads and splits a file, with a one-line error naming the file for
    /// every way it can be unusable.
    pub fn read(path: &Path) -> Result<Document> {
        let shown = path.display();
        let text = Whole::read(path)?;
        let paragraphs = paragraphs(&text);
        if paragraphs.is_empty() {
            return Err(Error::input(format!(
                "{shown}: the file is empty or only whitespace; nothing to translate"
            )));
        }
        Ok(Document {
            path: path.to_path_buf(),
            paragraphs,
        })
    }

    /// The output file stem: the file name without its last extension.
    pub fn stem(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".to_string())
    }
}

/// Reads a whole file, with a one-line error for a missing file, a
/// directory or an unreadable one.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let shown = path.display();
    if path.is_dir() {
        return Err(Error::input(format!(
            "{shown}: is a directory; give the path of a file"
        )));
    }
    std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::input(format!("{shown}: no such file; check the path"))
        }
        _ => Error::input(format!("{shown}: cannot read: {e}")),
    })
}

/// Decodes input bytes to text: UTF-8 (a BOM is dropped) or UTF-16 with a BOM.
/// The error names the first bad byte by offset and line. Given the bytes
/// themselves rather than a slice, UTF-8 becomes the text without a copy.
pub fn decode(bytes: impl AsRef<[u8]> + Into<Vec<u8>>) -> std::result::Result<String, String> {
    let b = bytes.as_ref();
    if utf16_bom(b) {
        return utf16(b);
    }
    let mut bytes: Vec<u8> = bytes.into();
    let skipped = utf8_bom(&bytes);
    bytes.drain(..skipped);
    match String::from_utf8(bytes) {
        Ok(s) => reject_nul(s),
        Err(e) => Err(not_utf8(
            e.as_bytes(),
            e.utf8_error().valid_up_to(),
            skipped,
        )),
    }
}

/// Whether the bytes open with a UTF-16 byte order mark, either way round.
fn utf16_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// The length of the UTF-8 byte order mark the bytes open with, if any.
fn utf8_bom(bytes: &[u8]) -> usize {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    }
}

/// The error for `bytes` that stop being UTF-8 at `at`, `skipped` bytes
/// into the file.
fn not_utf8(bytes: &[u8], at: usize, skipped: usize) -> String {
    let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
    format!(
        "line {line}: not UTF-8 (invalid byte 0x{:02X} at byte offset {}); \
         save the file as UTF-8 and try again",
        bytes[at],
        at + skipped
    )
}

fn utf16(bytes: &[u8]) -> std::result::Result<String, String> {
    let little = bytes[0] == 0xFF;
    let body = &bytes[2..];
    if !body.len().is_multiple_of(2) {
        return Err("UTF-16 text with an odd number of bytes; save the file as UTF-8".into());
    }
    let units = body.chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let text: std::result::Result<String, _> = char::decode_utf16(units).collect();
    match text {
        Ok(s) => reject_nul(s),
        Err(_) => Err("invalid UTF-16 (an unpaired surrogate); save the file as UTF-8".into()),
    }
}

/// A NUL byte means a binary file or a wrong encoding, never an article.
fn reject_nul(s: String) -> std::result::Result<String, String> {
    find_nul(&s)?;
    Ok(s)
}

fn find_nul(s: &str) -> std::result::Result<(), String> {
    match memchr::memchr(0, s.as_bytes()) {
        None => Ok(()),
        Some(at) => {
            let line = 1 + s[..at].matches('\n').count();
            Err(format!(
                "line {line}: contains a NUL byte (at byte offset {at}); \
                 this looks like a binary file, give a plain-text article"
            ))
        }
    }
}

/// Splits text into paragraphs on blank lines and joins soft wraps.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut start_line = 0;
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    for (index, line) in normalised.split('\n').enumerate() {
        let line = line.trim();
        if line.is_empty() {
            flush(&mut out, &mut current, start_line);
        } else {
            if current.is_empty() {
                start_line = index + 1;
            }
            current.push(line);
        }
    }
    flush(&mut out, &mut current, start_line);
    out
}

fn flush(out: &mut Vec<Paragraph>, current: &mut Vec<&str>, line: usize) {
    if current.is_empty() {
        return;
    }
    out.push(Paragraph {
        number: out.len() + 1,
        line,
        text: current.join(" "),
    });
    current.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large file is mapped, a small one read: both give the same text
    /// and the same errors, a BOM dropped and UTF-16 converted.
    #[test]
    fn a_large_file_is_mapped_and_read_alike() {
        let dir = tempfile::tempdir().unwrap();
        let line = "Kapal itu berlabuh di Vladivostok pada 12 September.\n";
        let body = line.repeat((MAP_FROM as usize) / line.len() + 1);
        let both = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let read = decode(bytes.to_vec()).map_err(|e| format!("{}: {e}", path.display()));
            let whole = Whole::read(&path);
            let mapped = matches!(&whole, Ok(Whole(Held::Mapped { .. })));
            let whole = whole.map(|w| w.to_string()).map_err(|e| e.to_string());
            assert_eq!(whole, read, "{name}");
            mapped
        };
        assert!(both("plain.txt", body.as_bytes()));
        assert!(both(
            "bom.txt",
            &[b"\xEF\xBB\xBF", body.as_bytes()].concat()
        ));
        assert!(!both("small.txt", line.as_bytes()));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(body.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert!(!both("utf16.txt", &utf16));
        // The errors name the same line and byte, a BOM counted.
        let mut bad = [b"\xEF\xBB\xBF", body.as_bytes()].concat();
        bad[3 + line.len() * 7 + 5] = 0xFF;
        assert!(!both("bad.txt", &bad));
        let mut nul = body.clone().into_bytes();
        nul[line.len() * 9 + 2] = 0;
        assert!(!both("nul.txt", &nul));
    }

    #[test]
    fn a_text_shares_its_file_and_copies_anything_else() {
        let whole = Arc::new(Whole::from("Satu.\nDua tiga.\n".to_string()));
        let line = whole.lines().nth(1).unwrap();
        let shared = Text::within(&whole, line);
        assert!(matches!(&shared, Text::Shared { range, .. } if *range == (6..15)));
        assert_eq!(shared, "Dua tiga.");
        // Two other strings of the same bytes: neither is a stretch of it.
        let elsewhere = "Dua tiga.".to_string();
        let copied = Text::within(&whole, &elsewhere);
        assert!(matches!(copied, Text::Owned(_)));
        assert_eq!(copied, shared);
        assert_eq!(String::from(shared.clone()), "Dua tiga.");
    }

    fn texts(s: &str) -> Vec<String> {
        paragraphs(s).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn blank_lines_split_and_soft_wraps_join() {
        let got = texts("Judul?\n\nBaris satu\nbaris dua.\n\n\n  \nAkhir");
        assert_eq!(got, ["Judul?", "Baris satu baris dua.", "Akhir"]);
    }

    #[test]
    fn crlf_and_cr_are_line_ends() {
        assert_eq!(texts("a\r\nb\r\n\r\nc"), ["a b", "c"]);
        assert_eq!(texts("a\rb\r\rc"), ["a b", "c"]);
    }

    #[test]
    fn paragraph_numbers_and_lines() {
        let got = paragraphs("\n\nSatu.\n\nDua\ntiga.\n");
        assert_eq!(got[0].number, 1);
        assert_eq!(got[0].line, 3);
        assert_eq!(got[1].number, 2);
        assert_eq!(got[1].line, 5);
    }

    #[test]
    fn bom_is_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFHalo").unwrap(), "Halo");
    }

    #[test]
    fn utf16_with_bom_is_converted() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Apa?".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(le).unwrap(), "Apa?");
        let mut be = vec![0xFE, 0xFF];
        for u in "Apa?".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(be).unwrap(), "Apa?");
    }

    #[test]
    fn invalid_utf8_names_offset_and_line() {
        let err = decode(b"baik\nbur\xFFuk").unwrap_err();
        assert!(err.contains("byte offset 8"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn nul_is_refused() {
        let err = decode(b"ab\0c").unwrap_err();
        assert!(err.contains("NUL"), "{err}");
    }
}
