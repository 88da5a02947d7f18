//! From records to the front matter each item should have: kinds, statuses, MoSCoW classes,
//! references turned into ids, sub-tasks and "blocks" links turned into `depends_on`.

use super::mapping::Mapping;
use super::record::{Extracted, Origin, Problem, Record, Role};
use super::value::{FieldValue, Shape};
use crate::config::{Config, FieldType, Kind};
use std::collections::{BTreeMap, HashMap};

/// One front-matter field an import manages, with the value the source gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The key.
    pub name: String,
    /// How it is compared and written.
    pub shape: Shape,
    /// The value, or `None` when the source has none.
    pub value: Option<FieldValue>,
}

/// The custom fields an import may write, and their types.
pub const CUSTOM_FIELDS: &[(&str, FieldType)] = &[
    ("type", FieldType::String),
    ("ordinal", FieldType::Number),
    ("created", FieldType::Date),
    ("closed", FieldType::Date),
];

/// The two kinds records become.
#[derive(Debug, Clone, Copy)]
pub struct Kinds {
    /// Stories (tasks, issues, sub-tasks).
    pub story: usize,
    /// Goals (milestones, epics): the story kind's parent kind.
    pub goal: Option<usize>,
}

impl Kinds {
    /// The story kind and its parent kind in `config`.
    pub fn of(config: &Config) -> Kinds {
        let story = config
            .kinds
            .iter()
            .position(|k| k.name == "story")
            .unwrap_or(config.kinds.len().saturating_sub(1));
        let goal = config.kinds[story]
            .parent
            .as_deref()
            .and_then(|p| config.kinds.iter().position(|k| k.name == p));
        Kinds { story, goal }
    }

    /// The kind of a role, when there is one.
    pub fn of_role(self, role: Role) -> Option<usize> {
        match role {
            Role::Story => Some(self.story),
            Role::Goal => self.goal,
        }
    }
}

/// Counts of names no table knew, with the first place each was seen.
#[derive(Debug, Default)]
pub struct Unknowns {
    statuses: BTreeMap<String, (usize, Option<Origin>, String)>,
    priorities: BTreeMap<String, (usize, Option<Origin>)>,
}

impl Unknowns {
    /// One warning per unknown name.
    pub fn problems(&self, source: &str) -> Vec<Problem> {
        let mut out = Vec::new();
        let place = |o: &Option<Origin>| o.clone().unwrap_or_else(|| Origin::new(source, 1, 1));
        let times = |n: usize| {
            if n == 1 {
                "1 item".to_string()
            } else {
                format!("{n} items")
            }
        };
        for (name, (n, at, used)) in &self.statuses {
            out.push(
                Problem::warning(
                    place(at),
                    format!(
                        "status `{name}` ({}) is in no status map; imported as `{used}`",
                        times(*n)
                    ),
                )
                .help(format!(
                    "map it: --status-map '{name}=in-progress' (or any status or category)"
                )),
            );
        }
        for (name, (n, at)) in &self.priorities {
            out.push(
                Problem::warning(
                    place(at),
                    format!(
                        "priority `{name}` ({}) is in no priority map; imported without a MoSCoW class",
                        times(*n)
                    ),
                )
                .help(format!("map it: --priority-map '{name}=should' (must, should, could, wont or none)")),
            );
        }
        out
    }
}

/// Resolves record keys to ids: the item already in the plan, or the id minted for it.
pub type Ids = HashMap<String, String>;

/// The front matter an item of `kind` should have for `record`, in file order (without `id`).
/// Problems (references to records that do not exist) go to `problems`.
#[allow(clippy::too_many_arguments)]
pub fn fields(
    record: &Record,
    kind: &Kind,
    config: &Config,
    extracted: &Extracted,
    mapping: &Mapping,
    kinds: Kinds,
    ids: &Ids,
    goal_of: &HashMap<String, String>,
    depends: &HashMap<String, Vec<String>>,
    unknowns: &mut Unknowns,
    problems: &mut Vec<Problem>,
) -> Vec<Field> {
    let has_parent = kind.parent.is_some();
    let goal_like = !has_parent || config.has_children(&kind.name);
    let story_kind = &config.kinds[kinds.story];
    let at = || {
        record
            .origin
            .clone()
            .unwrap_or_else(|| Origin::new(extracted.source, 1, 1))
    };
    let mut out = Vec::new();
    let mut put = |name: &str, shape: Shape, value: Option<FieldValue>| {
        out.push(Field {
            name: name.to_string(),
            shape,
            value,
        })
    };
    let text = |s: &Option<String>| s.clone().filter(|s| !s.is_empty()).map(FieldValue::Text);
    let list = |v: Vec<String>| (!v.is_empty()).then_some(FieldValue::List(v));

    put(
        "title",
        Shape::Text,
        Some(FieldValue::Text(record.title.clone())),
    );
    let status = mapping.status(
        extracted.source,
        &record.status,
        &extracted.workflow,
        kind,
        story_kind,
    );
    if !status.known {
        let e = unknowns
            .statuses
            .entry(record.status.name.clone())
            .or_insert((
                0,
                record.status_at.clone().or(record.origin.clone()),
                status.status.clone(),
            ));
        e.0 += 1;
    }
    put("status", Shape::Text, Some(FieldValue::Text(status.status)));

    if let Some(parent_field) = &kind.parent {
        let goal_key = goal_of.get(&record.key);
        let parent = goal_key.and_then(|k| match ids.get(k) {
            Some(id) => Some(id.clone()),
            None => {
                problems.push(Problem::warning(
                    at(),
                    format!("{} names {k}, which is neither in the export nor in the plan; imported without a {parent_field}", record.key),
                ));
                None
            }
        });
        put(parent_field, Shape::Text, parent.map(FieldValue::Text));
    }
    put(
        "external",
        Shape::Names,
        Some(FieldValue::List(vec![record.key.clone()])),
    );
    let moscow = record
        .priority
        .as_deref()
        .and_then(|p| match mapping.priority(p) {
            Some(m) => m,
            None => {
                let e = unknowns
                    .priorities
                    .entry(p.to_string())
                    .or_insert((0, record.priority_at.clone().or(record.origin.clone())));
                e.0 += 1;
                None
            }
        });
    put(
        "moscow",
        Shape::Text,
        moscow.map(|m| FieldValue::Text(m.as_str().to_string())),
    );
    if has_parent {
        put(
            "estimate",
            Shape::Number,
            record.estimate.map(FieldValue::Num),
        );
        put("sprint", Shape::Text, text(&record.sprint));
    }
    let mut deps: Vec<String> = Vec::new();
    for key in depends.get(&record.key).into_iter().flatten() {
        match ids.get(key) {
            Some(id) if !deps.contains(id) && ids.get(&record.key) != Some(id) => {
                deps.push(id.clone())
            }
            Some(_) => {}
            None => problems.push(Problem::warning(
                at(),
                format!(
                    "{} depends on {key}, which is neither in the export nor in the plan; that dependency is left out",
                    record.key
                ),
            )),
        }
    }
    put("depends_on", Shape::List, list(deps));
    put(
        if has_parent { "assignee" } else { "owner" },
        Shape::Names,
        list(record.people.clone()),
    );
    put("tags", Shape::List, list(record.tags.clone()));
    if goal_like {
        put("horizon", Shape::Text, text(&record.horizon));
    }
    // A `type` field the team declared with its own values takes only those.
    let issue_type = text(&record.issue_type).filter(|v| {
        let allowed = config.field("type").and_then(|d| d.values.as_ref());
        let ok = match (allowed, v) {
            (Some(values), FieldValue::Text(t)) => values.contains(t),
            _ => true,
        };
        if !ok {
            problems.push(
                Problem::warning(
                    at(),
                    format!(
                        "{}: type `{}` is not one of the values cairn.yaml allows for `type`; left out",
                        record.key,
                        v.display()
                    ),
                )
                .help("add it to `fields.type.values` in cairn.yaml"),
            );
        }
        ok
    });
    put("type", Shape::Text, issue_type);
    put(
        "ordinal",
        Shape::Number,
        record.ordinal.map(FieldValue::Num),
    );
    put("created", Shape::Text, text(&record.created));
    put("closed", Shape::Text, text(&record.closed));
    out
}

/// For every record, the key of the goal record it belongs to: its own parent, or for a
/// sub-task the goal of the story it is part of (followed up any number of levels).
pub fn goals(records: &[Record]) -> HashMap<String, String> {
    let by_key: HashMap<&str, &Record> = records.iter().map(|r| (r.key.as_str(), r)).collect();
    let mut out = HashMap::new();
    for r in records {
        let mut cur = r;
        let mut seen = 0;
        loop {
            if let Some(p) = &cur.parent {
                out.insert(r.key.clone(), p.clone());
                break;
            }
            let Some(up) = cur.part_of.as_deref().and_then(|k| by_key.get(k)) else {
                break;
            };
            cur = up;
            seen += 1;
            if seen > records.len() {
                break; // a cycle of sub-tasks
            }
        }
    }
    out
}

/// Every record's dependencies as keys: its own, those of the records that say they block it,
/// and its sub-tasks (a story is not done before its parts). A sub-task that itself depends on
/// its parent (some do: "after the parent's groundwork") keeps that, and the parent does not
/// depend on it: the import never makes a cycle the source does not have.
pub fn dependencies(records: &[Record]) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    fn add(out: &mut HashMap<String, Vec<String>>, from: &str, to: &str) {
        if from == to {
            return;
        }
        let deps = out.entry(from.to_string()).or_default();
        if !deps.iter().any(|d| d == to) {
            deps.push(to.to_string());
        }
    }
    for r in records {
        for d in &r.depends_on {
            add(&mut out, &r.key, d);
        }
        for b in &r.blocks {
            add(&mut out, b, &r.key);
        }
    }
    for r in records {
        if let Some(p) = &r.part_of {
            if !reaches(&out, &r.key, p) {
                add(&mut out, p, &r.key);
            }
        }
    }
    out
}

/// True when `to` can be reached from `from` through `deps`.
fn reaches(deps: &HashMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut stack = vec![from];
    let mut seen = std::collections::HashSet::new();
    while let Some(k) = stack.pop() {
        if k == to {
            return true;
        }
        if seen.insert(k) {
            stack.extend(deps.get(k).into_iter().flatten().map(String::as_str));
        }
    }
    false
}

/// The custom fields and sprints the desired items use.
pub fn needs(items: &[Vec<Field>]) -> (Vec<super::config_edit::FieldNeed>, Vec<String>) {
    let mut fields = Vec::new();
    let mut sprints: Vec<String> = Vec::new();
    for (name, ty) in CUSTOM_FIELDS {
        if items
            .iter()
            .any(|f| f.iter().any(|f| f.name == *name && f.value.is_some()))
        {
            fields.push(super::config_edit::FieldNeed { name, ty: *ty });
        }
    }
    for f in items.iter().flatten() {
        if let (Some(FieldValue::Text(s)), "sprint") = (&f.value, f.name.as_str()) {
            if !sprints.contains(s) {
                sprints.push(s.clone());
            }
        }
    }
    (fields, sprints)
}
