//! Jira's "Export Excel CSV (all fields)" as records.
//!
//! The export has one header row; a multi-valued field repeats its column (`Labels,Labels,Labels`,
//! `Sprint,Sprint`), so columns are looked up by name and every column of that name is read.
//! Cells may hold quoted newlines. Epics become goals; other issue types stories; sub-tasks (and
//! any issue whose `Parent` is not an epic) stories that their parent depends on. `Parent` holds
//! the parent's issue id in Jira Cloud and a key elsewhere, `Custom field (Epic Link)` an epic's
//! key or id: both are accepted. A row that cannot be read (a wrong number of cells, no key) is
//! reported with its line and skipped; the rest is imported.

use super::body::from_jira;
use super::dates::{self, Order};
use super::record::{Extracted, Origin, Problem, Record, Role, SourceStatus};
use crate::config::Category;
use std::collections::HashMap;

/// The columns this reader uses, by header name (compared without case).
struct Columns {
    key: usize,
    id: Option<usize>,
    summary: usize,
    issue_type: Option<usize>,
    status: Option<usize>,
    status_category: Option<usize>,
    priority: Option<usize>,
    resolution: Option<usize>,
    assignee: Vec<usize>,
    labels: Vec<usize>,
    description: Option<usize>,
    created: Option<usize>,
    resolved: Option<usize>,
    due: Option<usize>,
    parent: Vec<usize>,
    epic_link: Vec<usize>,
    points: Vec<usize>,
    sprint: Vec<usize>,
    blocks: Vec<usize>,
    blocked_by: Vec<usize>,
}

impl Columns {
    fn find(headers: &csv::StringRecord) -> Result<Columns, String> {
        let names: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
        let all = |wanted: &[&str]| -> Vec<usize> {
            names
                .iter()
                .enumerate()
                .filter(|(_, n)| wanted.contains(&n.as_str()))
                .map(|(i, _)| i)
                .collect()
        };
        let one = |wanted: &[&str]| all(wanted).first().copied();
        let required = |name: &str| {
            one(&[name]).ok_or_else(|| {
                format!(
                    "no `{}` column; this reads Jira's \"Export Excel CSV (all fields)\" (or \"current fields\" with {} shown)",
                    title_case(name),
                    title_case(name)
                )
            })
        };
        Ok(Columns {
            key: required("issue key")?,
            summary: required("summary")?,
            id: one(&["issue id"]),
            issue_type: one(&["issue type"]),
            status: one(&["status"]),
            status_category: one(&["status category"]),
            priority: one(&["priority"]),
            resolution: one(&["resolution"]),
            assignee: all(&["assignee"]),
            labels: all(&["labels"]),
            description: one(&["description"]),
            created: one(&["created"]),
            resolved: one(&["resolved"]),
            due: one(&["due date"]),
            parent: all(&["parent", "parent id", "parent key"]),
            epic_link: all(&["custom field (epic link)", "epic link"]),
            points: all(&[
                "custom field (story points)",
                "custom field (story point estimate)",
                "story points",
                "story point estimate",
            ]),
            sprint: all(&["sprint"]),
            blocks: all(&["outward issue link (blocks)"]),
            blocked_by: all(&["inward issue link (blocks)"]),
        })
    }
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// One row, read.
struct Row {
    line: usize,
    key: String,
    id: Option<String>,
    issue_type: String,
    record: Record,
    parent_refs: Vec<String>,
    epic_refs: Vec<String>,
    blocks: Vec<String>,
    blocked_by: Vec<String>,
    created: Option<String>,
    resolved: Option<String>,
    due: Option<String>,
}

/// Reads an export; `file` names it in problems. `Err` when it is not a Jira export at all.
pub fn read(file: &str, bytes: &[u8]) -> Result<Extracted, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut out = Extracted {
        source: "jira",
        ..Extracted::default()
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| located(file, &e, "cannot read the header row"))?
        .clone();
    let cols = Columns::find(&headers).map_err(|m| Problem::error(Origin::new(file, 1, 1), m))?;
    let mut rows: Vec<Row> = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = Lines::new(bytes);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                out.read += 1;
                let line = record.position().map_or(0, |p| lines.of(p.byte()));
                match row(&cols, &record, file, line) {
                    Ok(r) => rows.push(r),
                    Err(p) => out.problems.push(p),
                }
            }
            Err(e) => {
                out.read += 1;
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!(
                        "this row has {len} cells where the header has {expected_len}; the row is skipped"
                    ),
                    csv::ErrorKind::Utf8 { .. } => "this row is not valid UTF-8; the row is skipped".into(),
                    _ => format!("malformed CSV ({e}); the row is skipped"),
                };
                let line = e.position().map_or(0, |p| lines.of(p.byte()));
                out.problems.push(
                    Problem::error(Origin::new(file, line, 1), message)
                        .help("a cell holding commas, quotes or line breaks must be in double quotes, with `\"\"` for a quote"),
                );
                if !matches!(
                    e.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                ) {
                    break;
                }
            }
        }
    }
    // Dates: one order per column, from the values themselves.
    let order = Order::guess(
        rows.iter()
            .flat_map(|r| [&r.created, &r.resolved, &r.due])
            .filter_map(|v| v.as_deref()),
        Order::DayFirst,
    );
    let mut by_ref: HashMap<String, usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        by_ref.entry(r.key.to_uppercase()).or_insert(i);
        if let Some(id) = &r.id {
            by_ref.entry(id.clone()).or_insert(i);
        }
    }
    let epic = |t: &str| t.eq_ignore_ascii_case("epic");
    let resolve = |reference: &str| -> Option<usize> {
        by_ref.get(&reference.trim().to_uppercase()).copied()
    };
    let mut sprints: Vec<String> = Vec::new();
    let records: Vec<Record> = rows
        .iter()
        .map(|r| {
            let mut rec = r.record.clone();
            let at = Origin::new(file, r.line, 1);
            let date = |v: &Option<String>, what: &str, problems: &mut Vec<Problem>| {
                let v = v.as_deref()?;
                let d = dates::parse(v, order);
                if d.is_none() {
                    problems.push(Problem::warning(at.clone(), format!("{}: `{v}` in `{what}` is not a date this import reads; left out", r.key)));
                }
                d
            };
            let mut problems = Vec::new();
            rec.created = date(&r.created, "Created", &mut problems);
            rec.closed = date(&r.resolved, "Resolved", &mut problems);
            if epic(&r.issue_type) {
                rec.horizon = date(&r.due, "Due Date", &mut problems).map(|d| d[..7].to_string());
            }
            let sub_task = is_sub_task(&r.issue_type);
            for reference in r.epic_refs.iter().chain(&r.parent_refs) {
                match resolve(reference) {
                    Some(p) if epic(&rows[p].issue_type) && !epic(&r.issue_type) => {
                        rec.parent.get_or_insert_with(|| format!("jira:{}", rows[p].key));
                    }
                    Some(p) if !epic(&r.issue_type) && p != by_ref[&r.key.to_uppercase()] => {
                        rec.part_of.get_or_insert_with(|| format!("jira:{}", rows[p].key));
                    }
                    Some(_) => {}
                    None if looks_like_key(reference) => {
                        // Not in this export: perhaps imported before. An epic link names an epic.
                        let key = format!("jira:{}", reference.trim());
                        if sub_task && !r.epic_refs.contains(reference) {
                            rec.part_of.get_or_insert(key);
                        } else {
                            rec.parent.get_or_insert(key);
                        }
                    }
                    None => problems.push(
                        Problem::warning(at.clone(), format!("{}: parent `{reference}` is not in the export; imported without it", r.key))
                            .help("Jira Cloud's `Parent` column holds the parent's issue id: export the parent too"),
                    ),
                }
            }
            let refs = |list: &[String], into: &mut Vec<String>, what: &str, problems: &mut Vec<Problem>| {
                for reference in list {
                    match resolve(reference) {
                        Some(p) => into.push(format!("jira:{}", rows[p].key)),
                        None if looks_like_key(reference) => into.push(format!("jira:{}", reference.trim())),
                        None => problems.push(Problem::warning(at.clone(), format!("{}: `{reference}` in `{what}` is not an issue of the export; left out", r.key))),
                    }
                }
            };
            refs(&r.blocks, &mut rec.blocks, "Outward issue link (Blocks)", &mut problems);
            refs(&r.blocked_by, &mut rec.depends_on, "Inward issue link (Blocks)", &mut problems);
            if let Some(s) = &rec.sprint {
                if !sprints.contains(s) {
                    sprints.push(s.clone());
                }
            }
            out.problems.extend(problems);
            rec
        })
        .collect();
    sprints.sort_by_key(|s| natural(s));
    out.sprints = sprints;
    // Epics first, so goals get their ids before the stories that name them.
    let (goals, stories): (Vec<Record>, Vec<Record>) = records
        .into_iter()
        .partition(|r| r.role == Some(Role::Goal));
    out.records = goals.into_iter().chain(stories).collect();
    Ok(out)
}

fn row(cols: &Columns, rec: &csv::StringRecord, file: &str, line: usize) -> Result<Row, Problem> {
    let cell = |i: usize| rec.get(i).map(str::trim).filter(|s| !s.is_empty());
    let first = |i: Option<usize>| i.and_then(cell).map(str::to_string);
    let every = |list: &[usize]| -> Vec<String> {
        list.iter()
            .filter_map(|&i| cell(i))
            .map(str::to_string)
            .collect()
    };
    let at = Origin::new(file, line, 1);
    let key = cell(cols.key)
        .ok_or_else(|| Problem::error(at.clone(), "this row has no `Issue key`; it is skipped"))?;
    let issue_type = first(cols.issue_type).unwrap_or_else(|| "Story".into());
    let role = if issue_type.eq_ignore_ascii_case("epic") {
        Role::Goal
    } else {
        Role::Story
    };
    let title = match first(Some(cols.summary)) {
        Some(t) => t.replace(['\r', '\n'], " "),
        None => key.to_string(),
    };
    let category =
        first(cols.status_category).and_then(|c| match super::mapping::normalize(&c).as_str() {
            "to do" | "new" => Some(Category::Todo),
            "in progress" | "indeterminate" => Some(Category::Doing),
            "done" | "complete" => Some(Category::Done),
            _ => None,
        });
    let estimate = every(&cols.points)
        .first()
        .and_then(|p| p.replace(',', ".").parse::<f64>().ok())
        .filter(|n| n.is_finite() && *n >= 0.0);
    let mut tags: Vec<String> = Vec::new();
    for l in every(&cols.labels) {
        if !tags.contains(&l) {
            tags.push(l);
        }
    }
    let record = Record {
        key: format!("jira:{key}"),
        role: Some(role),
        title,
        status: SourceStatus {
            name: first(cols.status).unwrap_or_else(|| "To Do".into()),
            category,
            archived: false,
            dropped_reason: first(cols.resolution),
        },
        priority: first(cols.priority),
        tags,
        people: every(&cols.assignee),
        sprint: every(&cols.sprint).pop(),
        estimate,
        issue_type: (role == Role::Story).then(|| issue_type.clone()),
        body: first(cols.description)
            .map(|d| from_jira(&d))
            .unwrap_or_default(),
        origin: Some(at),
        ..Record::default()
    };
    Ok(Row {
        line,
        key: key.to_string(),
        id: first(cols.id),
        issue_type,
        record,
        parent_refs: every(&cols.parent),
        epic_refs: every(&cols.epic_link),
        blocks: every(&cols.blocks),
        blocked_by: every(&cols.blocked_by),
        created: first(cols.created),
        resolved: first(cols.resolved),
        due: first(cols.due),
    })
}

fn is_sub_task(t: &str) -> bool {
    matches!(
        super::mapping::normalize(t).as_str(),
        "sub task" | "subtask"
    )
}

/// `PROJ-12`: letters (and digits) of a project, a dash, a number.
fn looks_like_key(s: &str) -> bool {
    let s = s.trim();
    s.split_once('-').is_some_and(|(p, n)| {
        p.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit())
    })
}

/// Sorts `Sprint 2` before `Sprint 10`.
fn natural(s: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
        } else {
            if !num.is_empty() {
                out.push((std::mem::take(&mut text), num.parse().unwrap_or(u64::MAX)));
                num.clear();
            }
            text.push(c);
        }
    }
    out.push((text, num.parse().unwrap_or(0)));
    out
}

/// Lines of the export, counted once from the start however many rows ask.
struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Lines {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line where the record at byte `offset` starts. The csv crate places a record
    /// at the end of the previous line's terminator and counts lines from there, so its own
    /// count is one short with CRLF; counting to the first byte of the record itself is exact.
    /// Rows come in order, so each call counts only from where the last one stopped.
    fn of(&mut self, offset: u64) -> usize {
        let b = self.bytes;
        let mut start = (offset as usize).min(b.len());
        while start < b.len() && matches!(b[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += memchr::memchr_iter(b'\n', &b[self.offset..start]).count();
        self.offset = start;
        self.line
    }
}

fn located(file: &str, e: &csv::Error, what: &str) -> Problem {
    let line = e.position().map_or(1, |p| p.line() as usize);
    Problem::error(Origin::new(file, line, 1), format!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_located_at_their_first_line() {
        let data = b"a,b\r\n1,\"x\r\ny\"\r\n2,3\r\nbad\r\n";
        let mut r = csv::ReaderBuilder::new().from_reader(&data[..]);
        let mut rec = csv::StringRecord::new();
        let mut lines = Vec::new();
        let mut count = Lines::new(data);
        loop {
            match r.read_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => lines.push(count.of(rec.position().unwrap().byte())),
                Err(e) => lines.push(count.of(e.position().unwrap().byte())),
            }
        }
        assert_eq!(lines, [2, 4, 5]);
        let lf = b"a,b\n1,2\n3,4\n";
        assert_eq!(Lines::new(lf).of(4), 2);
    }

    #[test]
    fn keys_and_natural_order() {
        assert!(looks_like_key("PROJ-12"));
        assert!(looks_like_key("A1-3"));
        assert!(!looks_like_key("10023"));
        assert!(!looks_like_key("PROJ-"));
        let mut s = vec!["S 10", "S 2", "S 1"];
        s.sort_by_key(|x| natural(x));
        assert_eq!(s, ["S 1", "S 2", "S 10"]);
    }
}
