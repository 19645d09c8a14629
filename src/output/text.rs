//! `<stem>.<to>.txt`: the translation, one paragraph per line with a blank
//! line between paragraphs, in the same order as the input.

/// Joins translated paragraphs into the text file's content.
pub fn to_text<S: AsRef<str>>(paragraphs: &[S]) -> String {
    let mut out = String::new();
    for (k, p) in paragraphs.iter().enumerate() {
        if k > 0 {
            out.push_str("\n\n");
        }
        out.push_str(p.as_ref());
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn blank_line_between_paragraphs() {
        assert_eq!(super::to_text(&["One.", "Two."]), "One.\n\nTwo.\n");
    }
}
