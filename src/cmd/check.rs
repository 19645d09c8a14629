//! `selaras check CSV... [--glossary F]...`: runs every check again on
//! parallel CSVs, typically after a reviewer edited them, and prints the
//! findings by file and row id. Exit code 1 when there are findings, 0 when
//! there are none, so that a desk can enforce its names in a pipeline.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::check::{Checker, Status};
use crate::error::{Error, Result};
use crate::output::read_csv;
use crate::segment::Lang;

use super::translate::GlossaryArgs;
use crate::document::read_bytes;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Parallel CSVs written by `selaras translate` (and maybe edited since).
    #[arg(required = true)]
    pub csvs: Vec<PathBuf>,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    /// Source language.
    #[arg(long, default_value = "id", value_name = "LANG")]
    pub from: String,
    /// Target language.
    #[arg(long, default_value = "en", value_name = "LANG")]
    pub to: String,
}

/// What `check` found: how many findings in how many rows.
pub struct Outcome {
    pub findings: usize,
}

pub fn run(args: &CheckArgs) -> Result<Outcome> {
    let (from, to) = (Lang::from_code(&args.from), Lang::from_code(&args.to));
    let glossary = args.glossary.load(from, to)?;
    // Read every file first: a broken one stops the run before any output.
    let files = args
        .csvs
        .iter()
        .map(|path| Ok((path, read_csv(&read_bytes(path)?, path)?)))
        .collect::<Result<Vec<_>>>()?;
    let rows = files.iter().flat_map(|(_, rows)| rows);
    let bytes = rows.map(|r| r.source.len() + r.target.len()).sum();
    let checker = Checker::for_text(glossary, from, to, bytes);
    let mut out = String::new();
    let (mut findings, mut rows_with) = (0, 0);
    for (path, rows) in &files {
        for row in rows {
            let mut issues = checker.findings(&row.source, &row.target, row.score);
            // A reviewer who passed or fixed a row has judged its alignment.
            if matches!(row.status, Status::Ok | Status::Fixed) {
                issues.retain(|f| f.code != "low-confidence");
            }
            if issues.is_empty() {
                continue;
            }
            rows_with += 1;
            for f in issues {
                findings += 1;
                out.push_str(&format!("{}:{}: {f}\n", path.display(), row.id));
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(Error::input(format!(
                "cannot write to standard output: {e}"
            )));
        }
        _ => {}
    }
    eprintln!(
        "selaras: {findings} finding{} in {rows_with} row{} of {} file{}",
        if findings == 1 { "" } else { "s" },
        if rows_with == 1 { "" } else { "s" },
        files.len(),
        if files.len() == 1 { "" } else { "s" },
    );
    Ok(Outcome { findings })
}
