//! Regression tests of issue 11: YAML has one reading, the one the user wrote, whichever of
//! the two paths (the fast subset reader or saphyr-parser) reads it.

use super::fast_yaml;
use super::yaml::{parse_full, Node, Origin, Value, YamlError};
use crate::diagnostic::Span;

fn p(s: &str) -> Result<Node, YamlError> {
    super::yaml::parse(s, Origin { first_line: 2 })
}

/// Both readings of `text`: the full parser's, and the fast path's when it answers.
fn both(text: &str) -> (Result<Node, YamlError>, Option<Node>) {
    let origin = Origin { first_line: 2 };
    (parse_full(text, origin), fast_yaml::parse(text, origin))
}

/// The error of the full parser on `text`, after checking that the fast path declined.
fn error_of(text: &str) -> YamlError {
    let (full, fast) = both(text);
    assert_eq!(fast, None, "the fast path read invalid YAML:\n{text:?}");
    full.expect_err(text)
}

fn title(text: &str) -> Value {
    let (full, fast) = both(text);
    let full = full.unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
    if let Some(fast) = fast {
        assert_eq!(fast, full, "the two readings differ on {text:?}");
    }
    full.get("title").expect("a title").value.clone()
}

#[test]
fn lone_cr_in_a_value_is_a_line_break_on_both_paths() {
    // YAML 1.2 reads CR as a line break (5.4), so a lone CR reads as LF does: in
    // `title: Foo\rBar`, `Bar` is a second line at indentation 0 that cannot continue the
    // scalar, a key without `:`.
    for text in [
        "title: Foo\rBar\n",
        "title: Foo\rBar: x\n",
        "id: S-1\rtitle: x\r",
        "title: a\r  b\n",
        "tags:\r  - a\r  - b\r",
    ] {
        let lf = text.replace('\r', "\n");
        let (full, fast) = both(text);
        assert_eq!(fast, None, "a lone CR must go to the full parser: {text:?}");
        assert_eq!(full, parse_full(&lf, Origin { first_line: 2 }), "{text:?}");
    }
    assert_eq!(error_of("title: Foo\rBar\n").span.line, 4);
    let n = p("id: S-1\rtitle: x\r").unwrap();
    assert_eq!(n.get("title").unwrap().span, Span::new(3, 8, 1));
}

#[test]
fn cr_before_crlf_ends_the_value_on_both_paths() {
    assert_eq!(title("title: Foo\r\r\n"), Value::Str("Foo".into()));
    assert_eq!(
        title("title: Foo\r\r\nid: S-1\r\n"),
        Value::Str("Foo".into())
    );
    let (_, fast) = both("title: Foo\r\r\n");
    assert_eq!(
        fast, None,
        "a lone CR must send the text to the full parser"
    );
}

#[test]
fn dash_inside_a_flow_plain_scalar_is_text() {
    // `-` may not start a plain scalar before `,]}` (`[-]`), but inside one it is text.
    let n = p("tags: [wip -]\n").unwrap();
    let tags = n.get("tags").unwrap().as_seq().unwrap();
    assert_eq!(tags[0].value, Value::Str("wip -".into()));
    let n = p("tags: [a -, b - -, {k: v -}]\n").unwrap();
    let tags = n.get("tags").unwrap().as_seq().unwrap();
    assert_eq!(tags[1].value, Value::Str("b - -".into()));
    assert_eq!(tags[2].get("k").unwrap().value, Value::Str("v -".into()));
    assert!(p("tags: [-]\n").is_err());
    assert!(p("tags: [a, -]\n").is_err());
}

#[test]
fn tab_after_colon_is_separation() {
    let n = p("estimate:\t5\ntitle:\tX\nrice: {reach:\t10}\n").unwrap();
    assert_eq!(n.get("estimate").unwrap().value, Value::Int(5, "5".into()));
    assert_eq!(n.get("estimate").unwrap().span, Span::new(2, 11, 1));
    assert_eq!(n.get("title").unwrap().value, Value::Str("X".into()));
    let rice = n.get("rice").unwrap();
    assert_eq!(rice.get("reach").unwrap().as_f64(), Some(10.0));
    // Tabs are still not indentation: no block collection after one.
    assert!(p("? a\n:\t- b\n").is_err());
    assert!(p("a:\n\t- b\n").is_err());
}

#[test]
fn numbers_keep_the_text_they_were_written_as() {
    let n = p("a: 1.0\nb: [1.10, 2.0, 007]\nc: True\n").unwrap();
    assert_eq!(n.get("a").unwrap().text(), Some("1.0"));
    let b: Vec<_> = n
        .get("b")
        .unwrap()
        .as_seq()
        .unwrap()
        .iter()
        .map(|n| n.text())
        .collect();
    assert_eq!(b, [Some("1.10"), Some("2.0"), Some("007")]);
    assert_eq!(n.get("c").unwrap().scalar_text().as_deref(), Some("True"));
    assert_eq!(n.get("b").unwrap().as_seq().unwrap()[0].as_f64(), Some(1.1));
}

#[test]
fn non_printable_characters_are_errors_with_their_position() {
    // Outside quoted scalars, YAML allows only c-printable (5.1): no C0 control but tab, LF
    // and CR, no DEL, no C1 control but NEL, no U+FFFE or U+FFFF; a BOM only at the start.
    let forbidden = [
        '\u{1}', '\u{7}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}', '\u{7f}', '\u{80}',
        '\u{9f}', '\u{feff}', '\u{fffe}', '\u{ffff}',
    ];
    // `@` marks where the character goes; the error must point at it (line 3 of the file).
    let contexts = [
        "title: a@b\n",
        "title: @b\n",
        "title: a @\n",
        "ti@tle: x\n",
        "title: x # a@b\n",
        "tags: [a@b, c]\n",
        "tags: [a, @]\n",
        "tags:\n  - a@\n",
        "rice: {reach: 1@}\n",
        "title: |\n  a@b\n",
        "title: >-\n  a\n  b@\n",
        "title: &x@ a\n",
        "title: !t@g a\n",
        "title: a\n  b@\n",
    ];
    for c in forbidden {
        for ctx in contexts {
            let text = format!("id: S-1\n{}", ctx.replace('@', &c.to_string()));
            let (line, col) = text
                .lines()
                .enumerate()
                .find_map(|(i, l)| l.chars().position(|x| x == c).map(|p| (i + 2, p + 1)))
                .unwrap();
            let err = error_of(&text);
            assert_eq!(
                (err.span.line, err.span.column),
                (line, col),
                "{text:?}: {}",
                err.message
            );
            if !ctx.contains('!') && c != '\u{feff}' {
                assert!(
                    err.message.contains("unprintable"),
                    "{text:?}: {}",
                    err.message
                );
            }
        }
    }
    // Quoted scalars take any non-C0 character (nb-json, for JSON compatibility), and
    // escapes may name any character at all.
    for c in [
        '\u{7f}', '\u{80}', '\u{85}', '\u{9f}', '\u{feff}', '\u{fffe}', '\u{ffff}',
    ] {
        for q in ['"', '\''] {
            let text = format!("title: {q}a{c}b{q}\n");
            assert_eq!(title(&text), Value::Str(format!("a{c}b")), "{text:?}");
        }
    }
    assert_eq!(title("title: \"a\\ab\"\n"), Value::Str("a\u{7}b".into()));
    for q in ['"', '\''] {
        let err = error_of(&format!("title: {q}a\u{7}b{q}\n"));
        assert_eq!((err.span.line, err.span.column), (2, 10), "{}", err.message);
    }
    // NEL and the Unicode line separators are printable: text, not breaks, in YAML 1.2.
    for c in ['\u{85}', '\u{2028}', '\u{2029}', '\u{a0}'] {
        assert_eq!(
            title(&format!("title: a{c}b\n")),
            Value::Str(format!("a{c}b"))
        );
    }
}

#[test]
fn hex_with_a_sign_is_a_string_on_both_paths() {
    assert_eq!(title("title: 0x-1\n"), Value::Str("0x-1".into()));
}

#[test]
fn quoted_scalar_span_ends_at_its_closing_quote() {
    // saphyr-parser stretched it over the blanks after the quote, so carets and edits ran on.
    for text in [
        "title: \"x\"   \n",
        "title: 'x'  \n",
        "t: [\"x\"  , 'y' ]\ntitle: 'x'\n",
    ] {
        let (full, fast) = both(text);
        let full = full.unwrap();
        assert_eq!(full.get("title").unwrap().span.len, 3, "{text:?}");
        if let Some(fast) = fast {
            assert_eq!(fast, full, "{text:?}");
        }
    }
    let n = p("t: [\"x\"  , 'y' ]\n").unwrap();
    let spans: Vec<_> = n
        .get("t")
        .unwrap()
        .as_seq()
        .unwrap()
        .iter()
        .map(|n| n.span)
        .collect();
    assert_eq!(spans, [Span::new(2, 5, 3), Span::new(2, 12, 3)]);
}
