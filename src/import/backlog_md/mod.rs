//! A Backlog.md folder (`backlog/`) as records.
//!
//! Tasks (`tasks/`, `completed/`), drafts (`drafts/`) and archived ones (`archive/tasks/`,
//! `archive/drafts/`) become stories; milestones (`milestones/`, `archive/milestones/`) goals.
//! Docs and decisions are copied as Markdown documents (their front matter becomes a heading).
//! Files are read as Backlog.md reads them: an unquoted `assignee: @name` (not valid YAML) is read
//! as the name, with a warning; ids compare without regard to case or leading zeros
//! (`back-217.02` is `BACK-217.2`); a reference with the project's former prefix (`task-12` for
//! `BACK-12`) is resolved by its number when that is unambiguous; a milestone is named by its id
//! (`m-6`, `6`) or its title. Anything else that cannot be read is reported at its line and the
//! file is skipped.

mod file;
mod ids;

use file::{parse, Parsed};
use ids::{canonical, canonical_key, milestone_number, milestone_resolver};

use super::body;
use super::dates::{self, Order};
use super::record::{Document, Extracted, Origin, Problem, Record, Role, SourceStatus};
use crate::config::Category;
use crate::parse::yaml;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Where a file sits in the folder, which decides what it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Area {
    #[default]
    Task,
    Draft,
    Milestone,
    Doc,
    Decision,
}

/// Reads the Backlog.md folder `dir`; `label` is how problems name it (as the user typed it).
/// `Err` when `dir` holds no Backlog.md folder.
pub fn read(dir: &Path, label: &str) -> Result<Extracted, Problem> {
    let (dir, label) = find_folder(dir, label)?;
    let mut out = Extracted {
        source: "backlog-md",
        ..Extracted::default()
    };
    let config = read_config(&dir, &label, &mut out);
    let areas: [(&str, Area, bool, bool); 9] = [
        ("milestones", Area::Milestone, false, false),
        ("archive/milestones", Area::Milestone, true, false),
        ("tasks", Area::Task, false, false),
        ("completed", Area::Task, false, false),
        ("archive/tasks", Area::Task, true, false),
        ("drafts", Area::Draft, false, false),
        ("archive/drafts", Area::Draft, true, false),
        ("docs", Area::Doc, false, true),
        ("decisions", Area::Decision, false, true),
    ];
    let mut parsed: Vec<Parsed> = Vec::new();
    let mut unknown: BTreeMap<String, (usize, Origin)> = BTreeMap::new();
    for (sub, area, archived, deep) in areas {
        for (rel, path) in markdown_files(&dir.join(sub), deep) {
            out.read += 1;
            let shown = format!("{label}/{sub}/{rel}");
            if let Some(p) = parse(&path, &shown, area, archived, &mut out.problems) {
                for (k, line) in &p.unknown {
                    let e = unknown
                        .entry(k.clone())
                        .or_insert((0, Origin::new(&shown, *line, 1)));
                    e.0 += 1;
                }
                parsed.push(Parsed {
                    rel: format!("{sub}/{rel}"),
                    ..p
                });
            }
        }
    }
    for (k, (n, at)) in unknown {
        let files = if n == 1 {
            "1 file".into()
        } else {
            format!("{n} files")
        };
        out.problems.push(Problem::warning(
            at,
            format!("field `{k}` ({files}) has no cairn counterpart and is not imported"),
        ));
    }

    // Documents.
    for p in parsed
        .iter()
        .filter(|p| matches!(p.area, Area::Doc | Area::Decision))
    {
        out.documents.push(document(p));
    }

    // Tasks and milestones by id, then the references between them.
    let mut tasks: Vec<&Parsed> = parsed
        .iter()
        .filter(|p| matches!(p.area, Area::Task | Area::Draft))
        .collect();
    tasks.sort_by_key(|t| canonical_key(&t.id));
    let mut milestones: Vec<&Parsed> = parsed
        .iter()
        .filter(|p| p.area == Area::Milestone)
        .collect();
    milestones.sort_by_key(|m| (m.archived, milestone_number(&m.id), m.id.clone()));
    let mut by_id: HashMap<String, &Parsed> = HashMap::new();
    let mut by_number: HashMap<String, Vec<&Parsed>> = HashMap::new();
    let mut kept_tasks: Vec<&Parsed> = Vec::new();
    for t in tasks {
        let canon = canonical(&t.id);
        if let Some(first) = by_id.get(&canon) {
            out.problems.push(
                Problem::error(
                    t.at(1),
                    format!(
                        "{canon} is also the id of {}; this file is skipped",
                        first.shown
                    ),
                )
                .help("give one of them a new id (`backlog doctor` offers a repair)"),
            );
            continue;
        }
        by_id.insert(canon.clone(), t);
        if t.area == Area::Task {
            if let Some((_, body)) = canon.split_once('-') {
                by_number.entry(body.to_string()).or_default().push(t);
            }
        }
        kept_tasks.push(t);
    }
    // References with a former prefix, counted per prefix: (count, first place, an example).
    let legacy: std::cell::RefCell<BTreeMap<String, (usize, Origin, String)>> = Default::default();
    let resolve_task = |reference: &str,
                        at: Origin,
                        what: &str,
                        of: &str,
                        problems: &mut Vec<Problem>|
     -> Option<String> {
        let canon = canonical(reference);
        if by_id.contains_key(&canon) {
            return Some(canon);
        }
        // `task-12` after the project moved to `back-12`: the number alone, when it is unique.
        let number = canon.split_once('-').map_or(canon.as_str(), |(_, n)| n);
        match by_number.get(number).map(Vec::as_slice) {
            Some([one]) => {
                let id = canonical(&one.id);
                // A bare number is an id to Backlog.md too; another prefix is worth a word.
                let Some((former, _)) = canon.split_once('-') else {
                    return Some(id);
                };
                let former = former.to_string();
                let mut counts = legacy.borrow_mut();
                let entry =
                    counts
                        .entry(former)
                        .or_insert((0, at, format!("`{reference}` as {id}")));
                entry.0 += 1;
                Some(id)
            }
            _ => {
                problems.push(Problem::warning(
                    at,
                    format!("{of}: {what} `{reference}` is no task of this folder; left out"),
                ));
                None
            }
        }
    };
    let milestone_of = milestone_resolver(&milestones);

    for m in &milestones {
        out.records.push(Record {
            key: format!("backlog-md:{}", m.id.trim().to_lowercase()),
            role: Some(Role::Goal),
            title: m.title.clone(),
            status: SourceStatus {
                name: String::new(),
                category: Some(if m.archived {
                    Category::Done
                } else {
                    Category::Doing
                }),
                ..SourceStatus::default()
            },
            horizon: m
                .due
                .as_deref()
                .and_then(|d| dates::parse(d, Order::DayFirst))
                .map(|d| d[..7].to_string()),
            body: body::from_backlog_md(&m.body),
            origin: Some(m.at(1)),
            ..Record::default()
        });
    }
    for t in kept_tasks {
        let id = canonical(&t.id);
        let mut problems = Vec::new();
        let mut depends_on = Vec::new();
        for (d, line) in &t.dependencies {
            if let Some(dep) = resolve_task(d, t.at(*line), "dependency", &id, &mut problems) {
                if dep != id && !depends_on.contains(&format!("backlog-md:{dep}")) {
                    depends_on.push(format!("backlog-md:{dep}"));
                }
            }
        }
        let part_of = t.parent.as_ref().and_then(|(p, line)| {
            resolve_task(p, t.at(*line), "parent task", &id, &mut problems)
                .map(|k| format!("backlog-md:{k}"))
        });
        let parent = t.milestone.as_ref().and_then(|(m, line)| match milestone_of(m) {
            Some(key) => Some(key),
            None => {
                problems.push(
                    Problem::warning(t.at(*line), format!("{id}: milestone `{m}` matches no milestone file by id or title; imported without a goal"))
                        .help("write the milestone's id (`m-3`) or its exact title"),
                );
                None
            }
        });
        out.problems.extend(problems);
        let status = if t.area == Area::Draft {
            "Draft".to_string()
        } else {
            t.status.clone().unwrap_or_else(|| {
                config
                    .statuses
                    .first()
                    .map_or("To Do".into(), |(s, _)| s.clone())
            })
        };
        let mut body = body::from_backlog_md(&t.body);
        for (heading, list) in [
            ("References", &t.references),
            ("Documentation", &t.documentation),
        ] {
            if !list.is_empty() {
                if !body.is_empty() {
                    body.push('\n');
                }
                body.push_str(&format!("## {heading}\n"));
                for r in list {
                    body.push_str(&format!("- {r}\n"));
                }
            }
        }
        out.records.push(Record {
            key: format!("backlog-md:{id}"),
            role: Some(Role::Story),
            title: t.title.clone(),
            status: SourceStatus {
                name: status,
                archived: t.archived,
                ..SourceStatus::default()
            },
            priority: t.priority.clone(),
            tags: t.labels.clone(),
            people: t.assignees.clone(),
            parent,
            part_of,
            depends_on,
            created: t
                .created
                .as_deref()
                .and_then(|d| dates::parse(d, Order::DayFirst)),
            closed: t
                .completed
                .as_deref()
                .and_then(|d| dates::parse(d, Order::DayFirst)),
            ordinal: t.ordinal,
            issue_type: t.issue_type.clone(),
            body,
            origin: Some(t.at(1)),
            status_at: (t.status_line > 0).then(|| t.at(t.status_line)),
            priority_at: (t.priority_line > 0).then(|| t.at(t.priority_line)),
            ..Record::default()
        });
    }
    for (former, (n, at, example)) in legacy.into_inner() {
        let refs = if n == 1 {
            "1 reference uses".to_string()
        } else {
            format!("{n} references use")
        };
        out.problems.push(
            Problem::warning(at, format!("{refs} the prefix `{former}`, which no task has; each was read by its number ({example})"))
                .help("Backlog.md's ids once had another prefix; rewrite them with the current one to silence this"),
        );
    }
    out.workflow = config.statuses;
    Ok(out)
}

/// What `config.yml` says that matters here.
#[derive(Debug, Default)]
struct BacklogConfig {
    statuses: Vec<(String, Category)>,
}

fn read_config(dir: &Path, label: &str, out: &mut Extracted) -> BacklogConfig {
    let mut config = BacklogConfig::default();
    let Ok(bytes) = std::fs::read(dir.join("config.yml")) else {
        return config;
    };
    let shown = format!("{label}/config.yml");
    let text = String::from_utf8_lossy(&bytes);
    let root = match yaml::parse(
        text.trim_start_matches('\u{feff}'),
        yaml::Origin { first_line: 1 },
    ) {
        Ok(r) => r,
        Err(e) => {
            out.problems.push(Problem::warning(
                Origin::new(&shown, e.span.line, e.span.column),
                format!("invalid YAML: {}; its statuses are not used", e.message),
            ));
            return config;
        }
    };
    let names: Vec<String> = root
        .get("statuses")
        .and_then(|n| n.as_seq())
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.scalar_text())
        .collect();
    let n = names.len();
    config.statuses = names
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let c = if i == 0 {
                Category::Todo
            } else if i + 1 == n {
                Category::Done
            } else {
                Category::Doing
            };
            (s, c)
        })
        .collect();
    config
}

fn find_folder(dir: &Path, label: &str) -> Result<(PathBuf, String), Problem> {
    let looks = |d: &Path| d.join("tasks").is_dir() || d.join("config.yml").is_file();
    if looks(dir) {
        return Ok((dir.to_path_buf(), label.trim_end_matches('/').to_string()));
    }
    for sub in ["backlog", ".backlog"] {
        if looks(&dir.join(sub)) {
            return Ok((
                dir.join(sub),
                format!("{}/{sub}", label.trim_end_matches('/')),
            ));
        }
    }
    Err(Problem::error(
        Origin::new(label, 1, 1),
        format!("{label} is not a Backlog.md folder (no `tasks/` or `config.yml` in it or in `{label}/backlog`)"),
    )
    .help("name the `backlog/` folder: cairn import backlog-md path/to/backlog"))
}

/// The Markdown files of a folder, by name (and below it when `deep`), without Backlog.md's
/// `readme.md` placeholders.
fn markdown_files(dir: &Path, deep: bool) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if deep {
                for (rel, p) in markdown_files(&path, true) {
                    out.push((format!("{name}/{rel}"), p));
                }
            }
            continue;
        }
        if name.to_lowercase().ends_with(".md") && !name.eq_ignore_ascii_case("readme.md") {
            out.push((name, path));
        }
    }
    out
}

/// A doc or decision as a plain Markdown document: its title as the first heading.
fn document(p: &Parsed) -> Document {
    let body = body::tidy(&p.body);
    let mut text = String::new();
    if !body.starts_with("# ") {
        text.push_str(&format!("# {}\n\n", p.title));
    }
    if p.area == Area::Decision {
        let mut meta = Vec::new();
        if let Some(s) = &p.status {
            meta.push(format!("status: {s}"));
        }
        if let Some(d) = &p.date {
            meta.push(format!("date: {d}"));
        }
        if !meta.is_empty() {
            text.push_str(&format!("_Decision {} · {}_\n\n", p.id, meta.join(" · ")));
        }
    }
    text.push_str(&body);
    let key = if p.id.is_empty() {
        p.rel.clone()
    } else {
        p.id.to_lowercase()
    };
    Document {
        key: format!("backlog-md:{key}"),
        path: p.rel.clone(),
        text,
    }
}
