//! `<stem>.xlsx`: a review workbook. Sheet "rows" holds SPEC §4's columns
//! ready to work through: a bold frozen header with filters, wrapped text in
//! columns that fit it, the score as a number, rows to review in light
//! orange, and a drop-down of ok / review / fixed in the status column.
//! Sheet "report" holds the document report.
//!
//! Every cell is written as a string or a number, never as a formula, so no
//! cell needs the CSV's formula guard: the text is written as it is.

use rust_xlsxwriter::{
    ConditionalFormatFormula, DataValidation, Format, FormatAlign, FormatBorder, IgnoreError,
    Workbook, Worksheet, XlsxError,
};

use crate::check::{Report, Row};
use crate::error::{Error, Result};

use super::csv::CSV_HEADER;

/// The fill of rows to review: a light orange.
const REVIEW_FILL: u32 = 0xFCE4D6;
/// The fill of header cells: a light grey.
const HEADER_FILL: u32 = 0xD9D9D9;

/// The widest each column of sheet "rows" grows, in characters: narrow for
/// the short columns, room for a sentence or two where text wraps.
const MAX_WIDTH: [f64; 9] = [10.0, 11.0, 7.0, 7.0, 60.0, 60.0, 40.0, 9.0, 30.0];
/// Columns whose text wraps.
const WRAPS: [bool; 9] = [false, false, false, false, true, true, true, false, true];
/// The status column.
const STATUS: u16 = 7;
/// The height of one line of text in a row, in points.
const LINE_HEIGHT: f64 = 15.0;

/// Builds the workbook for one document's rows and report. `source_name`
/// (the input) names the file in errors and heads the report sheet.
pub fn to_xlsx(rows: &[Row], report: &Report, source_name: &str) -> Result<Vec<u8>> {
    let fail = |e: XlsxError| {
        Error::input(format!(
            "{source_name}: cannot build the workbook: {e}; write the CSV instead (--format csv)"
        ))
    };
    let mut workbook = Workbook::new();
    rows_sheet(workbook.add_worksheet(), rows).map_err(|(id, e)| match id {
        Some(id) => Error::input(format!(
            "{source_name}: row {id}: cannot go in the workbook: {e}; write the CSV instead (--format csv)"
        )),
        None => fail(e),
    })?;
    report_sheet(workbook.add_worksheet(), report, source_name).map_err(fail)?;
    workbook.save_to_buffer().map_err(fail)
}

/// The formats of sheet "rows": the header, text (left), short values
/// (centred), wrapped text and the score, all aligned to the top of the row.
struct Formats {
    header: Format,
    text: Format,
    short: Format,
    wrap: Format,
    score: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new().set_align(FormatAlign::Top);
        let short = cell.clone().set_align(FormatAlign::Center);
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(HEADER_FILL)
                .set_border_bottom(FormatBorder::Thin),
            text: cell.clone(),
            wrap: cell.set_text_wrap(),
            score: short.clone().set_num_format("0.00"),
            short,
        }
    }
}

/// Sheet "rows". An error names the row it arose in, if any.
fn rows_sheet(sheet: &mut Worksheet, rows: &[Row]) -> Result<(), (Option<String>, XlsxError)> {
    let whole = at(None);
    sheet.set_name("rows").map_err(whole)?;
    let formats = Formats::new();
    for (col, name) in (0u16..).zip(CSV_HEADER) {
        sheet
            .write_string_with_format(0, col, name, &formats.header)
            .map_err(whole)?;
    }
    let table: Vec<[String; 9]> = rows.iter().map(cells).collect();
    // Each column as wide as its longest line (the header with room for
    // its filter button), up to its limit.
    let mut widths = [0.0; 9];
    for (k, width) in widths.iter_mut().enumerate() {
        let longest = table
            .iter()
            .flat_map(|cells| cells[k].lines())
            .map(|l| l.chars().count() + 1)
            .max()
            .unwrap_or(0)
            .max(CSV_HEADER[k].chars().count() + 3);
        *width = (longest as f64).min(MAX_WIDTH[k]);
        sheet.set_column_width(k as u16, *width).map_err(whole)?;
    }
    for ((r, row), cells) in (1u32..).zip(rows).zip(&table) {
        let err = at(Some(&row.id));
        for (col, cell) in (0u16..).zip(cells) {
            let k = usize::from(col);
            match col {
                1 => sheet
                    .write_number_with_format(r, col, row.paragraph as f64, &formats.short)
                    .map_err(err)?,
                3 => sheet
                    .write_number_with_format(r, col, super::json::score(row.score), &formats.score)
                    .map_err(err)?,
                _ => {
                    let format = match k {
                        0 => &formats.text,
                        _ if WRAPS[k] => &formats.wrap,
                        _ => &formats.short,
                    };
                    sheet
                        .write_string_with_format(r, col, cell, format)
                        .map_err(err)?
                }
            };
        }
        // Spreadsheets do not grow a row to its wrapped text when they open
        // a file, so each row is given the height its text needs.
        let needed = (0..9)
            .filter(|&k| WRAPS[k])
            .map(|k| wrapped_lines(&cells[k], widths[k]))
            .max()
            .unwrap_or(1);
        if needed > 1 {
            sheet
                .set_row_height(r, LINE_HEIGHT * needed as f64)
                .map_err(err)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(whole)?;
    // Printed: landscape, one page wide, the header on every page.
    sheet.set_landscape().set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0).map_err(whole)?;
    let last = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    sheet.autofilter(0, 0, last, 8).map_err(whole)?;
    if last > 0 {
        // Rows to review in light orange, following the status column as a
        // reviewer changes it.
        let review = ConditionalFormatFormula::new()
            .set_rule("=$H2=\"review\"")
            .set_format(Format::new().set_background_color(REVIEW_FILL));
        sheet
            .add_conditional_format(1, 0, last, 8, &review)
            .map_err(whole)?;
        let statuses = DataValidation::new()
            .allow_list_strings(&["ok", "review", "fixed"])
            .and_then(|v| v.set_error_title("status"))
            .and_then(|v| v.set_error_message("The status is ok, review or fixed."))
            .map_err(whole)?;
        sheet
            .add_data_validation(1, STATUS, last, STATUS, &statuses)
            .map_err(whole)?;
        // Ids like `4.2` are text on purpose: no green "number stored as
        // text" triangles.
        sheet
            .ignore_error_range(1, 0, last, 0, IgnoreError::NumberStoredAsText)
            .map_err(whole)?;
    }
    Ok(())
}

/// A row's cells as the CSV writes them, without the formula guard.
fn cells(row: &Row) -> [String; 9] {
    let issues = row
        .issues
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    [
        row.id.clone(),
        row.paragraph.to_string(),
        format!("{}-{}", row.link.0, row.link.1),
        format!("{:.2}", row.score),
        row.source.to_string(),
        row.target.to_string(),
        issues,
        row.status.as_str().to_string(),
        row.note.clone(),
    ]
}

/// How many lines `text` takes wrapped at word boundaries in a column
/// `width` characters wide. A column's width counts digits; a line of
/// text holds about as many characters, more in Calibri and about that in
/// the wider fonts that stand in for it elsewhere.
fn wrapped_lines(text: &str, width: f64) -> usize {
    let fits = width.max(1.0) as usize;
    text.split('\n')
        .map(|line| {
            let (mut lines, mut used) = (1, 0);
            for word in line.split(' ') {
                let w = word.chars().count();
                if used == 0 {
                    used = w;
                } else if used + 1 + w <= fits {
                    used += 1 + w;
                } else {
                    lines += 1;
                    used = w;
                }
                while used > fits {
                    lines += 1;
                    used -= fits;
                }
            }
            lines
        })
        .sum()
}

/// An error of sheet "rows", with the id of the row it arose in, if any.
fn at(id: Option<&str>) -> impl Fn(XlsxError) -> (Option<String>, XlsxError) + Copy + '_ {
    move |e| (id.map(String::from), e)
}

/// Sheet "report": counts, findings per code, the glossary terms, the names
/// written in more than one way and the candidates for the glossary, one
/// table after the other.
fn report_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    source_name: &str,
) -> Result<(), XlsxError> {
    sheet.set_name("report")?;
    let title = Format::new().set_bold().set_font_size(13);
    let header = Format::new()
        .set_bold()
        .set_background_color(HEADER_FILL)
        .set_border_bottom(FormatBorder::Thin);
    let text = Format::new().set_align(FormatAlign::Top).set_text_wrap();
    let number = Format::new().set_align(FormatAlign::Top);
    const WIDTHS: [f64; 4] = [36.0, 36.0, 12.0, 12.0];
    for (col, width) in (0u16..).zip(WIDTHS) {
        sheet.set_column_width(col, width)?;
    }
    sheet.set_print_fit_to_pages(1, 0);
    let mut r = 0u32;
    sheet.write_string_with_format(r, 0, format!("report: {source_name}"), &title)?;
    r += 1;
    sheet.write_string(r, 0, "rows")?;
    sheet.write_number(r, 1, report.rows as f64)?;
    r += 1;
    sheet.write_string(r, 0, "to review")?;
    sheet.write_number(r, 1, report.review as f64)?;
    r += 2;

    let table = |sheet: &mut Worksheet,
                 r: &mut u32,
                 name: &str,
                 columns: &[&str],
                 rows: Vec<Vec<Cell>>|
     -> Result<(), XlsxError> {
        sheet.write_string_with_format(*r, 0, name, &title)?;
        *r += 1;
        for (col, c) in (0u16..).zip(columns) {
            sheet.write_string_with_format(*r, col, *c, &header)?;
        }
        *r += 1;
        if rows.is_empty() {
            sheet.write_string(*r, 0, "none")?;
            *r += 1;
        }
        for cells in rows {
            let mut needed = 1;
            for ((col, cell), width) in (0u16..).zip(cells).zip(WIDTHS) {
                match cell {
                    Cell::Text(s) => {
                        needed = needed.max(wrapped_lines(&s, width));
                        sheet.write_string_with_format(*r, col, s, &text)?
                    }
                    Cell::Number(n) => {
                        sheet.write_number_with_format(*r, col, n as f64, &number)?
                    }
                };
            }
            if needed > 1 {
                sheet.set_row_height(*r, LINE_HEIGHT * needed as f64)?;
            }
            *r += 1;
        }
        *r += 1;
        Ok(())
    };

    table(
        sheet,
        &mut r,
        "findings",
        &["code", "findings"],
        report
            .findings
            .iter()
            .map(|(code, n)| vec![Cell::Text(code.clone()), Cell::Number(*n)])
            .collect(),
    )?;
    table(
        sheet,
        &mut r,
        "glossary names",
        &["source", "target", "in source", "in target"],
        report
            .terms
            .iter()
            .map(|t| {
                vec![
                    Cell::Text(t.source.clone()),
                    Cell::Text(t.target.clone()),
                    Cell::Number(t.in_source),
                    Cell::Number(t.in_target),
                ]
            })
            .collect(),
    )?;
    table(
        sheet,
        &mut r,
        "names written in more than one way",
        &["source", "written as", "rows"],
        report
            .variants
            .iter()
            .flat_map(|v| {
                v.renderings.iter().map(|(form, rows)| {
                    vec![
                        Cell::Text(v.source.clone()),
                        Cell::Text(form.clone()),
                        Cell::Text(rows.join(", ")),
                    ]
                })
            })
            .collect(),
    )?;
    table(
        sheet,
        &mut r,
        "names the glossary lacks",
        &["source", "target", "rows"],
        report
            .candidates
            .iter()
            .map(|c| {
                vec![
                    Cell::Text(c.source.clone()),
                    Cell::Text(c.target.clone()),
                    Cell::Text(c.rows.join(", ")),
                ]
            })
            .collect(),
    )?;
    Ok(())
}

/// A cell of the report sheet.
enum Cell {
    Text(String),
    Number(usize),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Candidate, Finding, Status, TermCount, Variant};
    use std::io::Read;

    fn rows() -> Vec<Row> {
        vec![
            Row {
                id: "1.1".into(),
                paragraph: 1,
                link: (2, 1),
                score: 0.876,
                source: "=\"Kami\" & <mereka>, katanya.".into(),
                target: "-5 degrees & \"cold\".".into(),
                issues: vec![Finding {
                    code: "low-confidence",
                    detail: "score 0.40".into(),
                }],
                status: Status::Review,
                note: String::new(),
                terms: None,
            },
            Row {
                id: "1.2".into(),
                paragraph: 1,
                link: (1, 0),
                score: 1.0,
                source: "Foto: Antara".into(),
                target: Default::default(),
                issues: Vec::new(),
                status: Status::Ok,
                note: String::new(),
                terms: None,
            },
        ]
    }

    fn report() -> Report {
        let mut findings = std::collections::BTreeMap::new();
        findings.insert("low-confidence".to_string(), 1);
        Report {
            rows: 2,
            review: 1,
            findings,
            terms: vec![TermCount {
                source: "Pers Terkait".into(),
                target: "Associated Press".into(),
                in_source: 2,
                in_target: 1,
            }],
            variants: vec![Variant {
                source: "Volodymyr Zelensky".into(),
                renderings: [
                    ("Zelensky".to_string(), vec!["1.1".to_string()]),
                    ("Zelenskyy".to_string(), vec!["4.2".to_string()]),
                ]
                .into(),
            }],
            candidates: vec![Candidate {
                source: "Chatham House".into(),
                target: "Chatham House".into(),
                rows: vec!["20.1".into()],
            }],
        }
    }

    /// One part of the workbook's zip, as text.
    fn part(xlsx: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn rows_sheet_is_ready_for_review() {
        let xlsx = to_xlsx(&rows(), &report(), "a.id.txt").unwrap();
        let workbook = part(&xlsx, "xl/workbook.xml");
        assert!(
            workbook.contains("name=\"rows\"") && workbook.contains("name=\"report\""),
            "{workbook}"
        );
        let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
        // The header row frozen, filters over the data.
        assert!(
            sheet.contains(
                "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            ),
            "{sheet}"
        );
        assert!(sheet.contains("<autoFilter ref=\"A1:I3\"/>"), "{sheet}");
        // The status drop-down over every data row.
        assert!(sheet.contains("type=\"list\""), "{sheet}");
        assert!(sheet.contains("sqref=\"H2:H3\""), "{sheet}");
        assert!(
            sheet.contains("<formula1>\"ok,review,fixed\"</formula1>"),
            "{sheet}"
        );
        // Rows to review highlighted.
        assert!(
            sheet.contains("<conditionalFormatting sqref=\"A2:I3\">"),
            "{sheet}"
        );
        assert!(sheet.contains("$H2=\"review\""), "{sheet}");
        // No formulas anywhere: text starting with = or - is a string.
        assert!(!sheet.contains("<f>"), "{sheet}");
        // Narrow and wide columns.
        assert!(sheet.contains("<col min=\"5\" max=\"5\""), "{sheet}");
        let strings = part(&xlsx, "xl/sharedStrings.xml");
        assert!(
            strings.contains("=\"Kami\" &amp; &lt;mereka&gt;, katanya."),
            "{strings}"
        );
        assert!(strings.contains("-5 degrees"), "{strings}");
        let styles = part(&xlsx, "xl/styles.xml");
        assert!(styles.contains("FFFCE4D6"), "{styles}");
        assert!(styles.contains("wrapText=\"1\""), "{styles}");
        assert!(styles.contains("formatCode=\"0.00\""), "{styles}");
    }

    #[test]
    fn cells_read_back() {
        use calamine::{Data, Reader, Xlsx};
        let xlsx = to_xlsx(&rows(), &report(), "a.id.txt").unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
        let range = book.worksheet_range("rows").unwrap();
        let cells: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(
            cells[0],
            CSV_HEADER.map(|h| Data::String(h.to_string())).to_vec()
        );
        assert_eq!(cells[1][0], Data::String("1.1".into()));
        assert_eq!(cells[1][1], Data::Float(1.0));
        assert_eq!(cells[1][2], Data::String("2-1".into()));
        assert_eq!(cells[1][3], Data::Float(0.88));
        assert_eq!(
            cells[1][4],
            Data::String("=\"Kami\" & <mereka>, katanya.".into())
        );
        assert_eq!(cells[1][5], Data::String("-5 degrees & \"cold\".".into()));
        assert_eq!(
            cells[1][6],
            Data::String("low-confidence: score 0.40".into())
        );
        assert_eq!(cells[1][7], Data::String("review".into()));
        assert_eq!(cells[2][5], Data::Empty);
        assert_eq!(cells[2][7], Data::String("ok".into()));

        let report = book.worksheet_range("report").unwrap();
        let text: Vec<String> = report
            .rows()
            .flat_map(|r| r.iter().map(ToString::to_string))
            .collect();
        for needle in [
            "report: a.id.txt",
            "low-confidence",
            "Pers Terkait",
            "Associated Press",
            "Zelenskyy",
            "4.2",
            "Chatham House",
        ] {
            assert!(text.iter().any(|t| t == needle), "{needle}: {text:?}");
        }
    }

    #[test]
    fn rows_are_as_tall_as_their_wrapped_text() {
        assert_eq!(wrapped_lines("", 60.0), 1);
        assert_eq!(wrapped_lines("Banjir di Semarang.", 60.0), 1);
        assert_eq!(wrapped_lines(&"kata ".repeat(40), 60.0), 4);
        assert_eq!(wrapped_lines(&"x".repeat(120), 11.0), 11);
        assert_eq!(wrapped_lines("a\nb", 60.0), 2);
        let mut rows = rows();
        rows[0].source = "kata ".repeat(40).into();
        let xlsx = to_xlsx(&rows, &report(), "a.id.txt").unwrap();
        let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
        assert!(
            sheet.contains("<row r=\"2\" spans=\"1:9\" ht=\"60\" customHeight=\"1\">"),
            "{sheet}"
        );
        assert!(sheet.contains("<row r=\"3\" spans=\"1:9\">"), "{sheet}");
    }

    #[test]
    fn no_rows_still_makes_a_workbook() {
        let xlsx = to_xlsx(&[], &Report::default(), "empty.txt").unwrap();
        let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<autoFilter ref=\"A1:I1\"/>"), "{sheet}");
        assert!(!sheet.contains("dataValidation"), "{sheet}");
    }

    #[test]
    fn a_cell_over_excels_limit_names_its_row() {
        let mut rows = rows();
        rows[1].source = "a".repeat(40_000).into();
        let err = to_xlsx(&rows, &report(), "a.id.txt")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("a.id.txt: row 1.2: cannot go in the workbook"),
            "{err}"
        );
    }
}
