//! RFC 4180 CSV, safe to open in a spreadsheet.
//!
//! Plan text is written by anyone who can push to the repository, and a spreadsheet runs a cell
//! that starts with `=`, `+`, `-` or `@` (or a tab or CR before them) as a formula: OWASP's "CSV
//! injection". So by default a **text** cell that starts with one of those characters gets a `'`
//! in front, which spreadsheets take as "this is text" and do not show. Numeric cells are never
//! changed, so `-2` stays a number. `raw` turns the neutralising off, for programs that read the
//! CSV themselves. List cells join their items with `;`, escaping `\` as `\\` and `;` as `\;`.

use std::borrow::Cow;

/// One cell of a record.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Text from the plan or the config: neutralised unless raw.
    Text(Cow<'a, str>),
    /// A number (or nothing), written as is.
    Number(String),
}

impl<'a> Cell<'a> {
    /// A text cell.
    pub fn text(s: impl Into<Cow<'a, str>>) -> Self {
        Cell::Text(s.into())
    }

    /// A list cell: the items joined with `;`, `\` and `;` escaped.
    pub fn list<S: AsRef<str>>(items: &[S]) -> Self {
        Cell::Text(Cow::Owned(join(items)))
    }
}

/// Whether text cells are neutralised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Write text cells exactly as they are (`--csv-raw`).
    pub raw: bool,
}

/// The characters that make a spreadsheet read a cell as a formula when they start it.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell made safe for a spreadsheet: `'` in front when it starts like a formula.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Items joined with `;`, with `\` written `\\` and `;` written `\;` so that every item can be
/// read back: split at each `;` not escaped, then unescape.
pub fn join<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::new();
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            out.push(';');
        }
        for c in item.as_ref().chars() {
            if matches!(c, '\\' | ';') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// The header record: column names, written as they are.
pub fn header(names: &[&str]) -> String {
    finish(names.iter().map(|n| Cow::Borrowed(*n)))
}

/// One record (with CRLF), quoting fields that need it.
pub fn record(cells: &[Cell], options: Options) -> String {
    finish(cells.iter().map(|c| match c {
        Cell::Number(n) => Cow::Borrowed(n.as_str()),
        Cell::Text(t) if options.raw => Cow::Borrowed(t.as_ref()),
        Cell::Text(t) => neutralise(t),
    }))
}

fn finish<'a>(fields: impl Iterator<Item = Cow<'a, str>>) -> String {
    let mut out = fields
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell<'_> {
        Cell::text(s)
    }

    #[test]
    fn quotes_when_needed() {
        assert_eq!(
            record(&[t("a"), t("b,c"), t("say \"hi\"")], Options::default()),
            "a,\"b,c\",\"say \"\"hi\"\"\"\r\n"
        );
        assert_eq!(header(&["id", "a,b"]), "id,\"a,b\"\r\n");
    }

    #[test]
    fn text_that_starts_like_a_formula_is_neutralised() {
        let cells = [
            t("=HYPERLINK(\"http://x\")"),
            t("+1"),
            t("-1"),
            t("@SUM(A1)"),
            t("\tx"),
            t("\r=x"),
            t("a=b"),
            t("S-1"),
            Cell::Number("-2".into()),
        ];
        assert_eq!(
            record(&cells, Options::default()),
            "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-1,'@SUM(A1),'\tx,\"'\r=x\",a=b,S-1,-2\r\n"
        );
        assert_eq!(
            record(&cells, Options { raw: true }),
            "\"=HYPERLINK(\"\"http://x\"\")\",+1,-1,@SUM(A1),\tx,\"\r=x\",a=b,S-1,-2\r\n"
        );
    }

    #[test]
    fn list_items_may_hold_the_separator() {
        assert_eq!(join(&["a", "b;c", "d\\e"]), "a;b\\;c;d\\\\e");
        assert_eq!(join::<&str>(&[]), "");
        // A list whose first item starts like a formula is one text cell like any other.
        assert_eq!(
            record(&[Cell::list(&["=x", "y"])], Options::default()),
            "'=x;y\r\n"
        );
    }
}
