//! `selaras segment FILE --lang id|en`: one sentence per line, a blank line
//! between paragraphs.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::document::Document;
use crate::error::{Error, Result};
use crate::segment::{Lang, sentences};

#[derive(Debug, Args)]
pub struct SegmentArgs {
    /// The text file to split.
    pub file: PathBuf,
    /// The language of the text: id (Indonesian) or en (English).
    #[arg(long, default_value = "id")]
    pub lang: String,
}

pub fn run(args: &SegmentArgs) -> Result<()> {
    let doc = Document::read(&args.file)?;
    let lang = Lang::from_code(&args.lang);
    let mut out = String::new();
    for (k, p) in doc.paragraphs.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        for s in sentences(&p.text, lang) {
            out.push_str(s);
            out.push('\n');
        }
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
    {
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::input(format!(
            "cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}
