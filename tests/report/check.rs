//! Checkers for tests/report.rs: a tag-balance check of HTML, the self-containment and
//! accessibility basics of the HTML reports, an RFC 4180 CSV reader, and running a program with a
//! time limit.

use std::collections::HashSet;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Checks that every element is closed in the order it was opened (void elements and `<x/>`
/// aside), that no `<` is left unescaped in text, and that `id`s are unique.
pub fn well_formed(html: &str) -> Result<(), String> {
    const VOID: [&str; 13] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let mut stack: Vec<String> = Vec::new();
    let mut ids = HashSet::new();
    let mut pos = 0;
    while let Some(lt) = html[pos..].find('<') {
        let start = pos + lt;
        let tail = &html[start..];
        let line = html[..start].matches('\n').count() + 1;
        if tail.starts_with("<!--") {
            pos = start
                + tail
                    .find("-->")
                    .ok_or(format!("line {line}: unclosed comment"))?
                + 3;
            continue;
        }
        if tail.starts_with("<!") {
            pos = start
                + tail
                    .find('>')
                    .ok_or(format!("line {line}: unclosed doctype"))?
                + 1;
            continue;
        }
        // The tag ends at the first `>` outside quotes.
        let bytes = tail.as_bytes();
        let (mut end, mut quote) = (1, None);
        while end < bytes.len() {
            match (quote, bytes[end]) {
                (None, b'"' | b'\'') => quote = Some(bytes[end]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            end += 1;
        }
        if end == bytes.len() {
            return Err(format!("line {line}: unterminated tag"));
        }
        let inner = &tail[1..end];
        pos = start + end + 1;
        let closing = inner.starts_with('/');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            return Err(format!(
                "line {line}: a bare `<` in text: {:?}",
                &tail[..end.min(40)]
            ));
        }
        if let Some(i) = inner.find(" id=\"") {
            let id = inner[i + 5..].split('"').next().unwrap_or_default();
            if !ids.insert(id.to_string()) {
                return Err(format!("line {line}: duplicate id `{id}`"));
            }
        }
        if closing {
            match stack.pop() {
                Some(open) if open == name => {}
                open => return Err(format!("line {line}: </{name}> closes {open:?}")),
            }
        } else if inner.ends_with('/') || VOID.contains(&name.as_str()) {
        } else if name == "style" || name == "script" {
            let close = format!("</{name}>");
            pos += html[pos..]
                .find(&close)
                .ok_or(format!("line {line}: unclosed <{name}>"))?
                + close.len();
        } else {
            stack.push(name);
        }
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed elements at the end: {stack:?}"))
    }
}

#[test]
fn the_tag_balance_check_catches_mistakes() {
    assert_eq!(
        well_formed("<p>a <b>b</b><br><svg><rect/></svg></p>"),
        Ok(())
    );
    assert!(well_formed("<p><b>a</p></b>").is_err());
    assert!(well_formed("<div><p>a</div>").is_err());
    assert!(well_formed("<p>1 < 2</p>").is_err());
    assert!(well_formed("<p id=\"a\"></p><p id=\"a\"></p>").is_err());
    assert!(well_formed("<ul><li>open</ul>").is_err());
}

/// Nothing that would reach the network or run code.
pub fn assert_self_contained(what: &str, html: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in [
        "http://",
        "https://",
        "src=\"//",
        "href=\"//",
        "src='//",
        "href='//",
        "@import",
        "<script",
        "url(",
        "<link",
        "<iframe",
        "<img",
    ] {
        assert!(!lower.contains(bad), "{what} contains `{bad}`");
    }
}

/// The accessibility basics: language, viewport, one h1 and no skipped heading level, a caption
/// and scoped headers in every table, a role, name and title on every chart.
pub fn assert_accessible(what: &str, html: &str) {
    assert!(
        html.starts_with("<!doctype html>\n<html lang=\"en\">"),
        "{what}: doctype and lang"
    );
    assert!(
        html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
        "{what}: viewport"
    );
    assert!(html.contains("@media print"), "{what}: print stylesheet");
    let levels: Vec<usize> = html
        .match_indices("<h")
        .filter_map(|(i, _)| {
            html[i + 2..]
                .chars()
                .next()?
                .to_digit(10)
                .map(|d| d as usize)
        })
        .collect();
    assert_eq!(
        levels.first(),
        Some(&1),
        "{what}: the first heading is the h1"
    );
    assert_eq!(
        levels.iter().filter(|&&l| l == 1).count(),
        1,
        "{what}: one h1"
    );
    for pair in levels.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1,
            "{what}: heading levels skip: {levels:?}"
        );
    }
    for table in html.split("<table").skip(1) {
        let (_, inside) = table.split_once('>').unwrap();
        assert!(
            inside.trim_start().starts_with("<caption>"),
            "{what}: a table without a caption"
        );
    }
    for th in html
        .split("<th")
        .skip(1)
        .filter(|t| t.starts_with(' ') || t.starts_with('>'))
    {
        assert!(
            th.starts_with(" scope=\"col\"") || th.starts_with(" scope=\"row\""),
            "{what}: <th{}",
            &th[..th.len().min(40)]
        );
    }
    for svg in html.split("<svg").skip(1) {
        let (tag, body) = svg.split_once('>').unwrap();
        assert!(
            tag.contains("role=\"img\""),
            "{what}: an svg without role=img: <svg{tag}>"
        );
        assert!(
            tag.contains("aria-label=\""),
            "{what}: an svg without aria-label: <svg{tag}>"
        );
        assert!(
            body.starts_with("<title>") && body.contains("</title>"),
            "{what}: an svg without <title>: <svg{tag}>"
        );
    }
}

/// All three HTML checks; panics with what is wrong.
pub fn check_html(what: &str, html: &str) {
    if let Err(e) = well_formed(html) {
        panic!("{what} is not well formed: {e}");
    }
    assert_self_contained(what, html);
    assert_accessible(what, html);
}

/// Splits RFC 4180 CSV into records of fields.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\n') => panic!("a record ends with LF, not CRLF"),
            (false, c) => field.push(c),
        }
    }
    assert!(
        record.is_empty() && field.is_empty(),
        "the last record has no CRLF"
    );
    records
}

/// Runs `program args`, killing it after `limit`; `None` when it cannot be started.
pub fn run_with_timeout(
    program: &str,
    args: &[String],
    limit: Duration,
) -> Option<(bool, String, String)> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).ok();
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().ok()? {
            break Some(status);
        }
        if start.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (out, err) = (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    );
    Some((status.is_some_and(|s| s.success()), out, err))
}
