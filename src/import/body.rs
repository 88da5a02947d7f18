//! Bodies as cairn reads them: Backlog.md's section markers removed, its acceptance criteria as
//! a plain `## Acceptance criteria` task list; Jira's wiki headings, lists and code blocks as
//! Markdown; line endings as `\n`.

/// A Backlog.md marker line: `<!-- SECTION:DESCRIPTION:BEGIN -->`, `<!-- AC:END -->`, …
fn is_marker(line: &str) -> bool {
    let Some(inner) = line
        .trim()
        .strip_prefix("<!--")
        .and_then(|l| l.strip_suffix("-->"))
    else {
        return false;
    };
    let inner = inner.trim();
    let Some(name) = inner
        .strip_suffix(":BEGIN")
        .or_else(|| inner.strip_suffix(":END"))
    else {
        return false;
    };
    match name.strip_prefix("SECTION:") {
        Some(section) => {
            section.starts_with(|c: char| c.is_ascii_uppercase())
                && section
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        }
        None => matches!(name, "AC" | "DOD" | "COMMENTS" | "COMMENT"),
    }
}

/// A fence that opens or closes a code block (three or more backticks or tildes).
fn fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    let c = t.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let n = t.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

/// `- [ ] #3 text` → `- [ ] text` (Backlog.md numbers its criteria).
fn unnumbered(line: &str) -> String {
    let indent = line.len() - line.trim_start().len();
    let t = &line[indent..];
    for open in ["- [ ] ", "- [x] ", "- [X] ", "* [ ] ", "* [x] ", "* [X] "] {
        if let Some(rest) = t.strip_prefix(open) {
            if let Some(num) = rest.strip_prefix('#') {
                let digits = num.chars().take_while(char::is_ascii_digit).count();
                if digits > 0 && num[digits..].starts_with(' ') {
                    return format!("{}{open}{}", &line[..indent], num[digits..].trim_start());
                }
            }
        }
    }
    line.to_string()
}

/// Backlog.md's body as a cairn body.
pub fn from_backlog_md(body: &str) -> String {
    let text = body.replace("\r\n", "\n");
    let mut out: Vec<String> = Vec::new();
    let mut in_code: Option<(char, usize)> = None;
    let mut in_list_section = false;
    for line in text.lines() {
        if let Some((c, n)) = in_code {
            if fence(line).is_some_and(|(c2, n2)| c2 == c && n2 >= n) {
                in_code = None;
            }
            out.push(line.to_string());
            continue;
        }
        if let Some(f) = fence(line) {
            in_code = Some(f);
            out.push(line.to_string());
            continue;
        }
        if is_marker(line) {
            continue;
        }
        if let Some(heading) = line.strip_prefix("## ") {
            let h = heading.trim();
            in_list_section = h.eq_ignore_ascii_case("acceptance criteria")
                || h.eq_ignore_ascii_case("definition of done");
            if h.eq_ignore_ascii_case("acceptance criteria") {
                out.push("## Acceptance criteria".into());
                continue;
            }
            if h.eq_ignore_ascii_case("definition of done") {
                out.push("## Definition of done".into());
                continue;
            }
        }
        if in_list_section {
            out.push(unnumbered(line));
        } else {
            out.push(line.to_string());
        }
    }
    // The description opens the body: without its heading it is the story's statement.
    let start = out.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    if out
        .get(start)
        .is_some_and(|l| l.trim().eq_ignore_ascii_case("## description"))
    {
        out.remove(start);
    }
    tidy(&out.join("\n"))
}

/// Jira wiki markup's block structure as Markdown: `h2. X` → `## X`, `# item` → `1. item`,
/// `** item` → a nested `*` item, `{code}` / `{noformat}` → fences. Inline markup is kept.
pub fn from_jira(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out: Vec<String> = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        let t = line.trim();
        let is_code_tag =
            t == "{noformat}" || t == "{code}" || (t.starts_with("{code:") && t.ends_with('}'));
        if is_code_tag {
            let lang = t
                .strip_prefix("{code:")
                .and_then(|l| l.strip_suffix('}'))
                .and_then(|l| l.split('|').next())
                .filter(|l| !l.contains('='))
                .unwrap_or("");
            out.push(if in_code {
                "```".to_string()
            } else {
                format!("```{lang}")
            });
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push(line.to_string());
            continue;
        }
        let b = t.as_bytes();
        if b.len() > 3
            && b[0] == b'h'
            && (b'1'..=b'6').contains(&b[1])
            && b[2] == b'.'
            && b[3] == b' '
        {
            let level = (b[1] - b'0') as usize;
            out.push(format!("{} {}", "#".repeat(level), t[4..].trim()));
            continue;
        }
        let marks = t.chars().take_while(|&c| c == '#' || c == '*').count();
        if marks > 0 && t[marks..].starts_with(' ') && (t.starts_with('#') || marks > 1) {
            let last = t[..marks].chars().last().unwrap_or('*');
            let bullet = if last == '#' { "1." } else { "*" };
            out.push(format!(
                "{}{bullet} {}",
                "  ".repeat(marks - 1),
                t[marks..].trim()
            ));
            continue;
        }
        out.push(line.to_string());
    }
    if in_code {
        out.push("```".into());
    }
    tidy(&out.join("\n"))
}

/// Line endings as `\n`, no blank lines at either end or more than one in a row outside code,
/// and a final newline when there is text.
pub fn tidy(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len() + 1);
    let mut blank = 0;
    let mut in_code: Option<(char, usize)> = None;
    for line in text.lines() {
        let line = line.trim_end();
        match in_code {
            Some((c, n)) if fence(line).is_some_and(|(c2, n2)| c2 == c && n2 >= n) => {
                in_code = None
            }
            Some(_) => {}
            None => in_code = fence(line),
        }
        if line.is_empty() && in_code.is_none() {
            blank += 1;
            continue;
        }
        if !out.is_empty() && blank > 0 {
            out.push('\n');
        }
        blank = 0;
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_go_and_criteria_stay() {
        let body = "## Description\r\n\r\n<!-- SECTION:DESCRIPTION:BEGIN -->\r\nShow the tree.\r\n<!-- SECTION:DESCRIPTION:END -->\r\n\r\n## Acceptance Criteria\r\n<!-- AC:BEGIN -->\r\n- [x] #1 Parent shown\r\n- [ ] #12 Children shown\r\n<!-- AC:END -->\r\n\r\n## Definition of Done\r\n<!-- DOD:BEGIN -->\r\n- [ ] #1 tests pass\r\n<!-- DOD:END -->\r\n";
        assert_eq!(
            from_backlog_md(body),
            "Show the tree.\n\n## Acceptance criteria\n- [x] Parent shown\n- [ ] Children shown\n\n## Definition of done\n- [ ] tests pass\n"
        );
    }

    #[test]
    fn code_blocks_are_left_alone() {
        let body = "Example:\n\n```md\n<!-- AC:BEGIN -->\n- [ ] #1 x\n```\n";
        assert_eq!(from_backlog_md(body), body);
    }

    #[test]
    fn jira_blocks_become_markdown() {
        let wiki = "h2. Steps\r\n# Open the cart\r\n## Empty it\r\n* a\r\n** b\r\n{code:java}\r\n# not a list\r\n{code}\r\n*bold* stays";
        assert_eq!(
            from_jira(wiki),
            "## Steps\n1. Open the cart\n  1. Empty it\n* a\n  * b\n```java\n# not a list\n```\n*bold* stays\n"
        );
    }

    #[test]
    fn tidy_keeps_blank_lines_in_code() {
        assert_eq!(tidy("\n\na\n\n\n\nb  \n\n"), "a\n\nb\n");
        assert_eq!(tidy("```\n\n\nx\n```\n"), "```\n\n\nx\n```\n");
        assert_eq!(tidy(""), "");
    }
}
