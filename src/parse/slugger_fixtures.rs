//! github-slugger's fixtures, read from a file the caller names: every one must agree with
//! cairn's anchors.
//!
//! The fixtures are GitHub's own anchors for 78 headings (duplicates, spaces, emoji, and up to 400
//! characters of every Unicode general category), recorded from a rendered page by
//! github-slugger's `script/generate-fixtures.js`. They are not copied here; point the test at
//! `test/fixtures.json` of a checkout of github-slugger (2.0.0 was checked) and run
//!
//! ```text
//! GITHUB_SLUGGER_FIXTURES=path/to/fixtures.json cargo test --lib slugger_fixtures -- --ignored --nocapture
//! ```

use super::anchor::{slug, Slugger};
use super::{fast_markdown, markdown};

/// One fixture: the heading's rendered text, the Markdown that gives it when that is not the
/// text itself, and GitHub's anchor.
struct Fixture {
    name: String,
    input: String,
    markdown: Option<String>,
    expected: String,
}

fn fixtures() -> Vec<Fixture> {
    let path = std::env::var_os("GITHUB_SLUGGER_FIXTURES")
        .expect("set GITHUB_SLUGGER_FIXTURES to github-slugger's test/fixtures.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.to_string_lossy()));
    let json: serde_json::Value = serde_json::from_str(&text).expect("fixtures are JSON");
    let field = |d: &serde_json::Value, k: &str| d[k].as_str().map(str::to_string);
    json.as_array()
        .expect("fixtures are an array")
        .iter()
        .map(|d| Fixture {
            name: field(d, "name").expect("name"),
            input: field(d, "input").expect("input"),
            markdown: field(d, "markdownOverwrite"),
            expected: field(d, "expected").expect("expected"),
        })
        .collect()
}

/// A level-1 heading whose rendered text is exactly `text`: ASCII punctuation escaped, and the
/// spaces at either end (which a heading's parser strips) written as `&#x20;`.
fn heading_for(text: &str) -> String {
    let mut out = String::from("# ");
    let last = text.chars().count().saturating_sub(1);
    for (i, c) in text.chars().enumerate() {
        if c == ' ' && (i == 0 || i == last) {
            out.push_str("&#x20;");
        } else {
            if c.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

#[test]
#[ignore = "needs GITHUB_SLUGGER_FIXTURES, the path of github-slugger's test/fixtures.json"]
fn every_github_slugger_fixture_agrees() {
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "no fixtures");

    // The slugger alone, fed the texts in order as github-slugger's own test does.
    let mut slugger = Slugger::new();
    let mut wrong = Vec::new();
    for f in &fixtures {
        let got = slugger.add(&f.input);
        if got != f.expected {
            wrong.push(format!(
                "{}: {:?} gives {got:?}, GitHub {:?}",
                f.name, f.input, f.expected
            ));
        }
    }

    // The same headings as one Markdown document, through pulldown-cmark (the text as GitHub
    // renders it: entities decoded, escapes taken away).
    let doc: String = fixtures
        .iter()
        .map(|f| f.markdown.clone().unwrap_or_else(|| heading_for(&f.input)) + "\n\n")
        .collect();
    let expected: Vec<&str> = fixtures.iter().map(|f| f.expected.as_str()).collect();
    let full = markdown::parse_full(&doc, 1).anchors;
    for (i, f) in fixtures.iter().enumerate() {
        if full.get(i).map(String::as_str) != Some(f.expected.as_str()) {
            wrong.push(format!(
                "{} (Markdown): {:?}, GitHub {:?}",
                f.name,
                full.get(i),
                f.expected
            ));
        }
    }
    assert_eq!(full.len(), expected.len(), "one anchor per heading");
    assert_eq!(markdown::parse(&doc, 1).anchors, full);
    assert_eq!(markdown::headings(&doc).len(), fixtures.len());

    // Each text as a plain heading: where the fast path takes it, it must agree with
    // pulldown-cmark, and with the slug of the text it read.
    let mut fast = 0;
    for f in &fixtures {
        let doc = format!("# {}\n", f.input);
        if let Some(body) = fast_markdown::parse(&doc, 1) {
            fast += 1;
            assert_eq!(body, markdown::parse_full(&doc, 1), "{}", f.name);
            assert_eq!(
                body.anchors,
                [slug(f.input.trim_matches(' '))],
                "{}",
                f.name
            );
        }
    }

    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    println!(
        "{} github-slugger fixtures agree (slugger and Markdown); the fast path took {fast}",
        fixtures.len()
    );
}
