//! `selaras apply CSV [--out FILE]`: the English text rebuilt from a
//! reviewed CSV. Each paragraph is its rows' `target` cells in order (rows
//! with an empty target are skipped), paragraphs in order with a blank line
//! between them. When the translation the CSV came from lies beside it
//! (`<stem>.<lang>.txt`), the run says how many rows the reviewer changed.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::check::Row;
use crate::document::paragraphs;
use crate::error::Result;
use crate::output::{read_csv, to_text, write_atomic};

use crate::document::read_bytes;

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A parallel CSV written by `selaras translate` and edited by a reviewer.
    pub csv: PathBuf,
    /// Where the text goes [default: <stem>.reviewed.txt beside the CSV; - for stdout].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(args: &ApplyArgs) -> Result<()> {
    let rows = read_csv(&read_bytes(&args.csv)?, &args.csv)?;
    let text = to_text(&rebuild(&rows));

    let changed = match original(&args.csv) {
        Some(path) => {
            let original = String::from_utf8_lossy(&read_bytes(&path)?).into_owned();
            let n = changed_rows(
                &rows,
                &paragraphs(&original)
                    .into_iter()
                    .map(|p| p.text)
                    .collect::<Vec<_>>(),
            );
            format!(
                "{n} of {} rows changed against {}",
                rows.len(),
                path.display()
            )
        }
        None => "no original translation beside the CSV to compare with".to_string(),
    };
    let out = args.out.clone().unwrap_or_else(|| default_out(&args.csv));
    if out.as_os_str() == "-" {
        print!("{text}");
        eprintln!("selaras: {changed}");
    } else {
        write_atomic(&out, text.as_bytes())?;
        eprintln!("selaras: {changed}; wrote {}", out.display());
    }
    Ok(())
}

/// The paragraphs' text: each paragraph's non-empty targets joined by a space.
pub fn rebuild(rows: &[Row]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = 0;
    for row in rows {
        if row.paragraph != current {
            out.push(String::new());
            current = row.paragraph;
        }
        let target = row.target.trim();
        if target.is_empty() {
            continue;
        }
        let paragraph = out.last_mut().expect("a paragraph was started");
        if !paragraph.is_empty() {
            paragraph.push(' ');
        }
        paragraph.push_str(target);
    }
    out.retain(|p| !p.is_empty());
    out
}

/// Rows whose target is no longer the original translation's text: each
/// original row's target is a stretch of its paragraph, in order.
fn changed_rows(rows: &[Row], original: &[String]) -> usize {
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut changed = 0;
    let mut at = (0usize, 0usize); // paragraph number and position in it
    for row in rows {
        if row.paragraph != at.0 {
            at = (row.paragraph, 0);
        }
        let target = squeeze(&row.target);
        if target.is_empty() {
            // A target the reviewer emptied is a change; a 1-0 row had none.
            changed += usize::from(row.link.1 > 0);
            continue;
        }
        let paragraph = original
            .get(row.paragraph - 1)
            .map(|p| squeeze(p))
            .unwrap_or_default();
        match paragraph.get(at.1..).and_then(|rest| rest.find(&target)) {
            Some(found) => at.1 += found + target.len(),
            None => changed += 1,
        }
    }
    changed
}

/// `<stem>.<lang>.txt` beside `<stem>.csv`, as `translate` writes them.
fn original(csv: &Path) -> Option<PathBuf> {
    let stem = csv.file_stem()?.to_string_lossy().into_owned();
    let dir = match csv.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // `<stem>.<lang>.txt`, the language a code without dots.
            name.strip_prefix(&format!("{stem}."))
                .and_then(|rest| rest.strip_suffix(".txt"))
                .is_some_and(|lang| !lang.is_empty() && lang.len() <= 8 && !lang.contains('.'))
                && !name.ends_with(".reviewed.txt")
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

fn default_out(csv: &Path) -> PathBuf {
    let stem = csv
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "reviewed".into());
    csv.with_file_name(format!("{stem}.reviewed.txt"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Status;

    fn row(id: &str, paragraph: usize, target: &str) -> Row {
        Row {
            id: id.into(),
            paragraph,
            link: (1, 1),
            score: 1.0,
            source: "x".into(),
            target: target.into(),
            issues: Vec::new(),
            status: Status::Ok,
            note: String::new(),
            terms: None,
        }
    }

    #[test]
    fn paragraphs_in_order_and_empty_targets_skipped() {
        let rows = [
            row("1.1", 1, "One."),
            row("1.2", 1, ""),
            row("1.3", 1, "Two."),
            row("2.1", 2, "Three."),
        ];
        assert_eq!(rebuild(&rows), ["One. Two.", "Three."]);
    }

    #[test]
    fn counts_rows_that_differ_from_the_original() {
        let original = ["One. Two.".to_string(), "Three.".to_string()];
        let rows = [
            row("1.1", 1, "One."),
            row("1.2", 1, "Two!"),
            row("2.1", 2, "Three."),
        ];
        assert_eq!(changed_rows(&rows, &original), 1);
        let same = [
            row("1.1", 1, "One."),
            row("1.2", 1, "Two."),
            row("2.1", 2, "Three."),
        ];
        assert_eq!(changed_rows(&same, &original), 0);
    }
}
