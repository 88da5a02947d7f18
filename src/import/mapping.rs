//! Status and priority maps: a default table per source, overridden by a mapping file and by
//! `--status-map 'To Do=draft,Done=done'` / `--priority-map 'high=must'`.
//!
//! Source names are matched without regard to case, spacing, `_` or `-` (`In Progress`,
//! `in_progress` and `IN-PROGRESS` are one status). A status maps to a status of the story kind
//! or to a category (`todo`, `doing`, `done`, `dropped`); other kinds (goals) take the first of
//! their statuses in the same category.

use super::record::SourceStatus;
use crate::config::{Category, Config, Kind};
use crate::model::Moscow;
use crate::parse::yaml::{self, Node, Value};
use crate::suggest;

/// A map from source names to cairn values, in the order given (later entries win).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    status: Vec<(String, Target)>,
    priority: Vec<(String, Option<Moscow>)>,
}

/// Where a source status goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// A status of the story kind (or of any kind, by name).
    Status(String),
    /// A category.
    Category(Category),
}

/// A mapping that cannot be used, with where it was written when it came from a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}{}", .at.as_ref().map(|(f, l, c)| format!("{f}:{l}:{c}: ")).unwrap_or_default(), .help.as_ref().map(|h| format!("\n  help: {h}")).unwrap_or_default())]
pub struct MappingError {
    /// File, line and column, for a mapping file.
    pub at: Option<(String, usize, usize)>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// The form source names are compared in: lower case, `_`/`-` as spaces, spaces collapsed.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase().replace('’', "'"));
    }
    out
}

/// The built-in status table of a source.
fn default_statuses(source: &str) -> &'static [(&'static str, &'static str)] {
    match source {
        "backlog-md" => &[
            ("to do", "draft"),
            ("todo", "draft"),
            ("draft", "draft"),
            ("in progress", "in-progress"),
            ("in review", "review"),
            ("review", "review"),
            ("done", "done"),
            ("won't do", "dropped"),
            ("wont do", "dropped"),
            ("cancelled", "dropped"),
            ("canceled", "dropped"),
        ],
        "github" => &[
            ("open", "draft"),
            ("reopened", "draft"),
            ("completed", "done"),
            ("closed", "done"),
            ("not planned", "dropped"),
            ("duplicate", "dropped"),
        ],
        _ => &[
            ("to do", "draft"),
            ("open", "draft"),
            ("backlog", "draft"),
            ("new", "draft"),
            ("selected for development", "ready"),
            ("ready", "ready"),
            ("ready for development", "ready"),
            ("in progress", "in-progress"),
            ("in development", "in-progress"),
            ("in review", "review"),
            ("code review", "review"),
            ("review", "review"),
            ("in qa", "review"),
            ("qa", "review"),
            ("testing", "review"),
            ("done", "done"),
            ("closed", "done"),
            ("resolved", "done"),
            ("won't do", "dropped"),
            ("won't fix", "dropped"),
            ("cancelled", "dropped"),
            ("canceled", "dropped"),
            ("rejected", "dropped"),
            ("declined", "dropped"),
        ],
    }
}

/// The built-in priority table (every source).
const DEFAULT_PRIORITIES: &[(&str, Option<Moscow>)] = &[
    ("highest", Some(Moscow::Must)),
    ("blocker", Some(Moscow::Must)),
    ("critical", Some(Moscow::Must)),
    ("urgent", Some(Moscow::Must)),
    ("high", Some(Moscow::Must)),
    ("medium", Some(Moscow::Should)),
    ("normal", Some(Moscow::Should)),
    ("major", Some(Moscow::Should)),
    ("low", Some(Moscow::Could)),
    ("minor", Some(Moscow::Could)),
    ("lowest", Some(Moscow::Could)),
    ("trivial", Some(Moscow::Could)),
];

/// Jira resolutions that mean the work was not done.
const DROPPED_RESOLUTIONS: &[&str] = &[
    "won't do",
    "won't fix",
    "wont do",
    "wont fix",
    "duplicate",
    "cannot reproduce",
    "declined",
    "rejected",
    "cancelled",
    "canceled",
    "incomplete",
];

/// A status as it resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The cairn status.
    pub status: String,
    /// False when no table knew the name and the kind's first status was used.
    pub known: bool,
}

impl Mapping {
    /// Adds `FROM=TO` pairs given on the command line (`To Do=draft,Done=done`).
    pub fn add_status_pairs(&mut self, text: &str, config: &Config) -> Result<(), MappingError> {
        for (from, to) in pairs(text, "--status-map")? {
            let target = status_target(&to, config).map_err(|(message, help)| MappingError {
                at: None,
                message: format!("--status-map `{from}={to}`: {message}"),
                help,
            })?;
            self.status.push((normalize(&from), target));
        }
        Ok(())
    }

    /// Adds `FROM=TO` priority pairs (`high=must,low=none`).
    pub fn add_priority_pairs(&mut self, text: &str) -> Result<(), MappingError> {
        for (from, to) in pairs(text, "--priority-map")? {
            let class = moscow_target(&to).map_err(|(message, help)| MappingError {
                at: None,
                message: format!("--priority-map `{from}={to}`: {message}"),
                help,
            })?;
            self.priority.push((normalize(&from), class));
        }
        Ok(())
    }

    /// Reads a mapping file: `status:` and `priority:` mappings of source names to cairn values.
    pub fn add_file(
        &mut self,
        text: &str,
        file: &str,
        config: &Config,
    ) -> Result<(), MappingError> {
        let located = |n: &Node, message: String, help: Option<String>| MappingError {
            at: Some((file.to_string(), n.span.line, n.span.column)),
            message,
            help,
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let root = yaml::parse(text, yaml::Origin { first_line: 1 }).map_err(|e| MappingError {
            at: Some((file.to_string(), e.span.line, e.span.column)),
            message: format!("invalid YAML: {}", e.message),
            help: None,
        })?;
        let entries = match &root.value {
            Value::Map(m) => m.as_slice(),
            Value::Null => &[],
            _ => {
                return Err(located(
                    &root,
                    "a mapping file is a mapping with `status:` and `priority:`".into(),
                    None,
                ))
            }
        };
        for (k, v) in entries {
            let section = k.as_str().unwrap_or_default();
            if !matches!(section, "status" | "priority") {
                return Err(located(
                    k,
                    format!("unknown key `{section}`"),
                    Some(
                        suggest::help(section, ["status", "priority"]).unwrap_or_else(|| {
                            "a mapping file has `status:` and `priority:`".into()
                        }),
                    ),
                ));
            }
            let Some(map) = v.as_map() else {
                if matches!(v.value, Value::Null) {
                    continue;
                }
                return Err(located(
                    v,
                    format!("`{section}` must map source names to cairn values"),
                    Some(format!(
                        "write `{section}:` then lines like `  To Do: draft`"
                    )),
                ));
            };
            for (from, to) in map {
                let (Some(from_s), Some(to_s)) = (from.scalar_text(), to.scalar_text()) else {
                    return Err(located(
                        to,
                        format!("`{section}` values must be text"),
                        None,
                    ));
                };
                if section == "status" {
                    let t = status_target(&to_s, config)
                        .map_err(|(m, h)| located(to, format!("`{from_s}: {to_s}`: {m}"), h))?;
                    self.status.push((normalize(&from_s), t));
                } else {
                    let c = moscow_target(&to_s)
                        .map_err(|(m, h)| located(to, format!("`{from_s}: {to_s}`: {m}"), h))?;
                    self.priority.push((normalize(&from_s), c));
                }
            }
        }
        Ok(())
    }

    /// The status a record gets in `kind`: the user's map, then the source's defaults, then the
    /// tracker's own category or workflow position, then the kind's first status (`known: false`).
    pub fn status(
        &self,
        source: &str,
        status: &SourceStatus,
        workflow: &[(String, Category)],
        kind: &Kind,
        story: &Kind,
    ) -> Resolved {
        let name = normalize(&status.name);
        let user = self.status.iter().rev().find(|(k, _)| *k == name);
        let default = || {
            default_statuses(source)
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| Target::Status(v.to_string()))
        };
        let in_workflow = || {
            workflow
                .iter()
                .find(|(s, _)| normalize(s) == name)
                .map(|(_, c)| Target::Category(*c))
        };
        let target = user
            .map(|(_, t)| t.clone())
            .or_else(default)
            .or_else(|| status.category.map(Target::Category))
            .or_else(in_workflow);
        let mut category = target.as_ref().map(|t| match t {
            Target::Category(c) => *c,
            Target::Status(s) => story
                .category(s)
                .or_else(|| kind.category(s))
                .unwrap_or(Category::Todo),
        });
        if user.is_none() && category == Some(Category::Done) {
            if let Some(r) = &status.dropped_reason {
                if DROPPED_RESOLUTIONS.contains(&normalize(r).as_str()) {
                    category = Some(Category::Dropped);
                }
            }
        }
        if status.archived && !category.is_some_and(Category::is_closed) {
            category = Some(Category::Dropped);
        }
        let known = category.is_some();
        let category = category.unwrap_or(Category::Todo);
        // A status named in the map wins when the kind has it and its category still holds.
        if let Some(Target::Status(s)) = &target {
            if kind.category(s) == Some(category) {
                return Resolved {
                    status: s.clone(),
                    known,
                };
            }
        }
        let status = kind
            .statuses
            .iter()
            .find(|(_, c)| *c == category)
            .or(kind.statuses.first())
            .map(|(s, _)| s.clone())
            .unwrap_or_default();
        Resolved { status, known }
    }

    /// The MoSCoW class of a source priority: `Some(None)` for a priority mapped to `none`,
    /// `None` when no table knows it.
    pub fn priority(&self, name: &str) -> Option<Option<Moscow>> {
        let n = normalize(name);
        self.priority
            .iter()
            .rev()
            .find(|(k, _)| *k == n)
            .map(|(_, m)| *m)
            .or_else(|| {
                DEFAULT_PRIORITIES
                    .iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, m)| *m)
            })
    }
}

fn pairs(text: &str, flag: &str) -> Result<Vec<(String, String)>, MappingError> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.rsplit_once('=') {
            Some((from, to)) if !from.trim().is_empty() && !to.trim().is_empty() => {
                out.push((from.trim().to_string(), to.trim().to_string()))
            }
            _ => {
                return Err(MappingError {
                    at: None,
                    message: format!("{flag}: expected FROM=TO, found `{part}`"),
                    help: Some(format!("{flag} 'To Do=draft,In Progress=in-progress'")),
                })
            }
        }
    }
    Ok(out)
}

fn status_target(to: &str, config: &Config) -> Result<Target, (String, Option<String>)> {
    if let Some(c) = Category::from_name(to) {
        return Ok(Target::Category(c));
    }
    if config.kinds.iter().any(|k| k.category(to).is_some()) {
        return Ok(Target::Status(to.to_string()));
    }
    let mut names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    for k in &config.kinds {
        for (s, _) in &k.statuses {
            if !names.contains(&s.as_str()) {
                names.push(s);
            }
        }
    }
    Err((
        format!("`{to}` is neither a status nor a category"),
        Some(
            suggest::help(to, names.iter().copied())
                .unwrap_or_else(|| format!("use one of {}", names.join(", "))),
        ),
    ))
}

fn moscow_target(to: &str) -> Result<Option<Moscow>, (String, Option<String>)> {
    if to.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    Moscow::parse(to).map(Some).ok_or_else(|| {
        (
            format!("`{to}` is not a MoSCoW class"),
            Some(
                suggest::help(to, ["must", "should", "could", "wont", "none"])
                    .unwrap_or_else(|| "use must, should, could, wont or none".into()),
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(name: &str) -> SourceStatus {
        SourceStatus {
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn names_match_loosely_and_later_entries_win() {
        let config = Config::default();
        let story = config.kind("story").unwrap();
        let goal = config.kind("goal").unwrap();
        let mut m = Mapping::default();
        m.add_status_pairs("To Do=ready, to_do=in-progress", &config)
            .unwrap();
        let r = m.status("jira", &st("TO-DO"), &[], story, story);
        assert_eq!(r.status, "in-progress");
        // A goal takes the first goal status of the category.
        assert_eq!(
            m.status("jira", &st("to do"), &[], goal, story).status,
            "active"
        );
        assert_eq!(
            m.status("jira", &st("Done"), &[], goal, story).status,
            "achieved"
        );
        let unknown = m.status("jira", &st("Blocked"), &[], story, story);
        assert_eq!((unknown.status.as_str(), unknown.known), ("draft", false));
    }

    #[test]
    fn archived_and_wont_do_are_dropped() {
        let config = Config::default();
        let story = config.kind("story").unwrap();
        let m = Mapping::default();
        let mut s = st("To Do");
        s.archived = true;
        assert_eq!(
            m.status("backlog-md", &s, &[], story, story).status,
            "dropped"
        );
        let mut s = st("Closed");
        s.dropped_reason = Some("Won't Do".into());
        assert_eq!(m.status("jira", &s, &[], story, story).status, "dropped");
        let mut s = st("Custom");
        s.category = Some(Category::Doing);
        assert_eq!(
            m.status("jira", &s, &[], story, story).status,
            "in-progress"
        );
    }

    #[test]
    fn bad_values_say_what_would_do() {
        let config = Config::default();
        let mut m = Mapping::default();
        let e = m.add_status_pairs("Done=finished", &config).unwrap_err();
        assert!(e.message.contains("`finished` is neither"), "{e}");
        assert!(m.add_status_pairs("Done", &config).is_err());
        let e = m.add_priority_pairs("high=mus").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `must`?"));
        m.add_priority_pairs("high=none").unwrap();
        assert_eq!(m.priority("High"), Some(None));
        assert_eq!(m.priority("Lowest"), Some(Some(Moscow::Could)));
        assert_eq!(m.priority("P2"), None);
        let e = m
            .add_file("status:\n  To Do: drafted\n", "map.yaml", &config)
            .unwrap_err();
        assert_eq!(e.at, Some(("map.yaml".into(), 2, 10)));
    }
}
