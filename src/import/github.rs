//! GitHub issues as records: the output of `gh issue list --json …` (camelCase fields, states in
//! upper case) or an array of REST API issue objects (snake_case, pull requests included and
//! skipped). Each array element is read on its own, so one malformed issue is reported at its
//! line and the others are imported.
//!
//! Milestones become goals (`github:OWNER/REPO/milestone/N`), issues stories
//! (`github:OWNER/REPO#N`). The repository comes from each issue's URL, or `--repo`. A closed
//! issue's status is its close reason (`completed`, `not_planned`, `duplicate`), an open one's
//! `open`. gh's `blockedBy` and `parent` fields, when exported, become dependencies and
//! sub-issues.

use super::record::{Extracted, Origin, Problem, Record, Role, SourceStatus};
use crate::config::Category;
use serde_json::Value;

/// Reads an export; `file` names it in problems, `repo` (`OWNER/REPO`) is used for issues whose
/// URL does not say. `Err` when the file is not a JSON array of issues.
pub fn read(file: &str, bytes: &[u8], repo: Option<&str>) -> Result<Extracted, Problem> {
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
            Problem::error(
                position(bytes, e.valid_up_to(), file),
                "the file is not UTF-8 text",
            )
        })?;
    let elements = split_array(text).map_err(|(offset, message)| {
        // serde_json says exactly what is wrong, and where.
        match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Err(e) => Problem::error(
                Origin::new(file, e.line(), e.column()),
                format!("invalid JSON: {e}"),
            ),
            Ok(_) => Problem::error(position(text.as_bytes(), offset, file), message),
        }
    })?;
    let mut out = Extracted {
        source: "github",
        ..Extracted::default()
    };
    let mut milestones: Vec<(String, Record)> = Vec::new();
    let mut issues = Vec::new();
    for (start, slice) in elements {
        out.read += 1;
        let at = position(text.as_bytes(), start, file);
        let value: Value = match serde_json::from_str(slice) {
            Ok(v) => v,
            Err(e) => {
                let inner = Origin::new(
                    file,
                    at.line + e.line() - 1,
                    if e.line() == 1 {
                        at.column + e.column() - 1
                    } else {
                        e.column()
                    },
                );
                out.problems.push(Problem::error(
                    inner,
                    format!("invalid JSON in this issue: {e}; it is skipped"),
                ));
                continue;
            }
        };
        match issue(&value, repo, &at) {
            Ok(Some((record, milestone))) => {
                if let Some(m) = milestone {
                    if !milestones.iter().any(|(k, _)| *k == m.key) {
                        milestones.push((m.key.clone(), m));
                    }
                }
                issues.push(record);
            }
            Ok(None) => {}
            Err(p) => out.problems.push(p),
        }
    }
    out.records = milestones
        .into_iter()
        .map(|(_, m)| m)
        .chain(issues)
        .collect();
    Ok(out)
}

/// One issue and its milestone; `None` for a pull request.
fn issue(
    v: &Value,
    repo: Option<&str>,
    at: &Origin,
) -> Result<Option<(Record, Option<Record>)>, Problem> {
    let obj = v.as_object().ok_or_else(|| {
        Problem::error(
            at.clone(),
            format!("an issue must be a JSON object, found {}", kind(v)),
        )
    })?;
    let get = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| obj.get(*n))
            .filter(|v| !v.is_null())
    };
    let str_of = |names: &[&str]| get(names).and_then(Value::as_str).map(str::to_string);
    if get(&["pull_request"]).is_some() {
        return Ok(None);
    }
    let number = get(&["number"]).and_then(Value::as_u64).ok_or_else(|| {
        Problem::error(
            at.clone(),
            "this issue's `number` is missing or not a number; it is skipped",
        )
        .help("export with `gh issue list --json number,title,…`")
    })?;
    let url = str_of(&["html_url", "url"]);
    let repo_of_issue = url
        .as_deref()
        .and_then(repo_from_url)
        .or_else(|| {
            str_of(&["repository_url"])
                .as_deref()
                .and_then(repo_from_url)
        })
        .or_else(|| repo.map(str::to_string))
        .ok_or_else(|| {
            Problem::error(
                at.clone(),
                format!("issue #{number} does not say its repository; it is skipped"),
            )
            .help("export the `url` field too, or pass --repo OWNER/REPO")
        })?;
    let repo_name = repo_of_issue;
    let key = format!("github:{repo_name}#{number}");
    let title = str_of(&["title"])
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| format!("Issue #{number}"));
    let state = str_of(&["state"])
        .unwrap_or_else(|| "open".into())
        .to_lowercase();
    let reason = str_of(&["stateReason", "state_reason"])
        .unwrap_or_default()
        .to_lowercase();
    let status = match (state.as_str(), reason.as_str()) {
        ("closed", "") => "closed".to_string(),
        ("closed", r) => r.to_string(),
        _ => "open".to_string(),
    };
    let names = |field: &[&str], inner: &str| -> Vec<String> {
        let list = match get(field) {
            Some(Value::Array(a)) => a.clone(),
            Some(Value::Object(o)) => o
                .get("nodes")
                .or_else(|| o.get("Nodes"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut out: Vec<String> = Vec::new();
        for x in list {
            let name = match &x {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => o.get(inner).and_then(Value::as_str).map(str::to_string),
                _ => None,
            };
            if let Some(n) = name.filter(|n| !n.is_empty() && !out.contains(n)) {
                out.push(n);
            }
        }
        out
    };
    let mut people = names(&["assignees"], "login");
    if people.is_empty() {
        if let Some(login) = get(&["assignee"])
            .and_then(|a| a.get("login"))
            .and_then(Value::as_str)
        {
            people.push(login.to_string());
        }
    }
    let date = |names: &[&str]| {
        str_of(names).and_then(|s| super::dates::parse(&s, super::dates::Order::MonthFirst))
    };
    let milestone = get(&["milestone"]).and_then(|m| {
        let mnum = m.get("number").and_then(Value::as_u64)?;
        let mtitle = m
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or("Milestone")
            .to_string();
        let due = m
            .get("dueOn")
            .or_else(|| m.get("due_on"))
            .and_then(Value::as_str)
            .and_then(|d| super::dates::parse(d, super::dates::Order::MonthFirst));
        let closed = m
            .get("state")
            .and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("closed"));
        // A milestone has its own state (the REST API's `state`; gh exports none): open is under
        // way, closed is reached.
        Some(Record {
            key: format!("github:{repo_name}/milestone/{mnum}"),
            role: Some(Role::Goal),
            title: mtitle,
            status: SourceStatus {
                category: Some(if closed {
                    Category::Done
                } else {
                    Category::Doing
                }),
                ..SourceStatus::default()
            },
            horizon: due.map(|d| d[..7].to_string()),
            body: m
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            origin: Some(at.clone()),
            ..Record::default()
        })
    });
    // gh's `blockedBy` and `parent` (newer versions): issues by number and repository.
    let linked = |v: &Value| -> Option<String> {
        let n = v.get("number").and_then(Value::as_u64)?;
        let r = v
            .get("repository")
            .and_then(|r| r.get("nameWithOwner"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| v.get("url").and_then(Value::as_str).and_then(repo_from_url))
            .unwrap_or_else(|| repo_name.clone());
        Some(format!("github:{r}#{n}"))
    };
    let depends_on: Vec<String> = match get(&["blockedBy", "blocked_by"]) {
        Some(Value::Array(a)) => a.iter().filter_map(linked).collect(),
        Some(Value::Object(o)) => o
            .get("nodes")
            .or_else(|| o.get("Nodes"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(linked).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let part_of = get(&["parent"]).and_then(linked);
    let record = Record {
        key,
        role: Some(Role::Story),
        title,
        status: SourceStatus {
            name: status,
            ..SourceStatus::default()
        },
        tags: names(&["labels"], "name"),
        people,
        parent: milestone.as_ref().map(|m| m.key.clone()),
        part_of,
        depends_on,
        created: date(&["createdAt", "created_at"]),
        closed: date(&["closedAt", "closed_at"]),
        issue_type: get(&["issueType", "type"])
            .and_then(|t| t.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string),
        body: str_of(&["body"]).unwrap_or_default(),
        origin: Some(at.clone()),
        ..Record::default()
    };
    Ok(Some((record, milestone)))
}

/// `OWNER/REPO` from `https://github.com/OWNER/REPO/issues/3` or
/// `https://api.github.com/repos/OWNER/REPO[/issues/3]`.
fn repo_from_url(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let mut parts = rest.split('/').skip(1);
    let first = parts.next()?;
    let (owner, name) = if first == "repos" {
        (parts.next()?, parts.next()?)
    } else {
        (first, parts.next()?)
    };
    (!owner.is_empty() && !name.is_empty()).then(|| format!("{owner}/{name}"))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(..) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The 1-based line and column of byte `offset`.
fn position(bytes: &[u8], offset: usize, file: &str) -> Origin {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    Origin::new(file, line, column)
}

/// The elements of a top-level JSON array (or of a stream of top-level objects, as
/// `gh issue view --json` appends them), each with its byte offset. Strings and nesting are
/// followed so that a bracket in a body does not end an element.
fn split_array(text: &str) -> Result<Vec<(usize, &str)>, (usize, String)> {
    let b = text.as_bytes();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    let in_array = b.get(i) == Some(&b'[');
    if !in_array && b.get(i) != Some(&b'{') {
        return Err((i, "expected a JSON array of issues (`[{…}, …]`)".into()));
    }
    if in_array {
        i += 1;
    }
    let mut out = Vec::new();
    loop {
        skip_ws(&mut i);
        match b.get(i) {
            None if in_array => return Err((i, "the array never closes".into())),
            None => break,
            Some(b']') if in_array => {
                i += 1;
                skip_ws(&mut i);
                if i < b.len() {
                    return Err((i, "text after the array".into()));
                }
                break;
            }
            _ => {}
        }
        let start = i;
        let mut depth = 0usize;
        loop {
            match b.get(i) {
                None => return Err((start, "this element never ends".into())),
                Some(b'"') => {
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        if b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                }
                Some(b'{' | b'[') => depth += 1,
                Some(b'}' | b']') => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                Some(b',') if depth == 0 => break,
                _ => {}
            }
            i += 1;
        }
        out.push((start, text[start..i].trim_end()));
        skip_ws(&mut i);
        if b.get(i) == Some(&b',') {
            i += 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_from_urls() {
        assert_eq!(
            repo_from_url("https://github.com/o/r/issues/3").as_deref(),
            Some("o/r")
        );
        assert_eq!(
            repo_from_url("https://api.github.com/repos/o/r/issues/3").as_deref(),
            Some("o/r")
        );
        assert_eq!(
            repo_from_url("https://api.github.com/repos/o/r").as_deref(),
            Some("o/r")
        );
        assert_eq!(repo_from_url("nonsense"), None);
    }

    #[test]
    fn elements_are_found_whatever_their_strings_hold() {
        let text = "[\n {\"a\": \"] } [\\\" ,\"},\n {\"b\": [1, {\"c\": 2}]}\n]\n";
        let els = split_array(text).unwrap();
        assert_eq!(els.len(), 2);
        assert_eq!(els[1].1, "{\"b\": [1, {\"c\": 2}]}");
        assert_eq!(position(text.as_bytes(), els[1].0, "f").line, 3);
        assert_eq!(split_array("[]").unwrap().len(), 0);
        assert_eq!(split_array("{\"a\":1}\n{\"a\":2}\n").unwrap().len(), 2);
        assert!(split_array("[{\"a\":1}").is_err());
        assert!(split_array("\"x\"").is_err());
    }
}
