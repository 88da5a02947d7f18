//! Writing items: a new file for a new record, `cairn set`'s minimal edits for one already in
//! the plan (field by field, as [`super::merge`] decides), the body replaced only when nobody
//! edited it since the last import.

use super::body;
use super::build::Field;
use super::merge::{self, Decision, KeepReason};
use super::record::Record;
use super::state::{self, ItemState, State};
use super::value::FieldValue;
use super::{Change, Created, FileWrite, Options, Outcome, Skipped, Updated};
use crate::edit::{self, FieldEdit};
use crate::parse::{front_matter, item::parse_file, yaml};
use std::collections::{BTreeMap, HashSet};

fn field_text(v: &Option<FieldValue>) -> Option<String> {
    v.as_ref().map(FieldValue::display)
}

/// The text of a new item file.
fn render(id: &str, fields: &[Field], body: &str) -> String {
    let mut text = String::with_capacity(256 + body.len());
    text.push_str("---\nid: ");
    text.push_str(id);
    text.push('\n');
    for f in fields {
        if let Some(v) = &f.value {
            text.push_str(&f.name);
            text.push_str(": ");
            text.push_str(&v.to_yaml(f.shape));
            text.push('\n');
        }
    }
    text.push_str("---\n");
    text.push_str(body);
    text
}

#[allow(clippy::too_many_arguments)]
pub(super) fn create(
    record: &Record,
    kind: usize,
    id: &str,
    fields: &[Field],
    folder: &str,
    config: &crate::config::Config,
    taken: &mut HashSet<String>,
    state: &mut State,
    out: &mut Outcome,
) {
    let body = body::tidy(&record.body);
    let text = render(id, fields, &body);
    let slug = crate::new::slug(&record.title);
    let name = if slug.is_empty() {
        format!("{id}.md")
    } else {
        format!("{id}-{slug}.md")
    };
    let file = if folder.is_empty() || folder == "." {
        name
    } else {
        format!("{folder}/{name}")
    };
    // What the import writes must read back without an error the import could have avoided.
    let parsed = parse_file(&file, text.as_bytes(), config);
    let errors: Vec<String> = parsed
        .diagnostics
        .iter()
        .filter(|d| config.level(d.rule) == crate::diagnostic::Level::Error)
        .map(|d| format!("{} ({})", d.message, d.rule.name()))
        .collect();
    if !errors.is_empty() || parsed.item.is_none() || !taken.insert(file.clone()) {
        out.skipped.push(Skipped {
            external: record.key.clone(),
            id: None,
            field: None,
            kept: None,
            source: None,
            reason: if errors.is_empty() {
                format!("{file} would not read back as {id}")
            } else {
                format!("the item would not be valid: {}", errors.join("; "))
            },
        });
        return;
    }
    state.items.insert(
        record.key.clone(),
        ItemState {
            id: id.to_string(),
            fields: fields
                .iter()
                .filter(|f| f.name != "external")
                .filter_map(|f| f.value.clone().map(|v| (f.name.clone(), v)))
                .collect(),
            body: state::hash(&body),
            kept: Vec::new(),
        },
    );
    out.created.push(Created {
        id: id.to_string(),
        kind: config.kinds[kind].name.clone(),
        file: file.clone(),
        external: record.key.clone(),
    });
    out.writes.push(FileWrite {
        path: file,
        bytes: text.into_bytes(),
        new: true,
    });
}

#[allow(clippy::too_many_arguments)]
pub(super) fn update(
    record: &Record,
    item: &crate::model::Item,
    bytes: &[u8],
    fields: &[Field],
    config: &crate::config::Config,
    options: &Options,
    state: &mut State,
    out: &mut Outcome,
) {
    let skip_item = |out: &mut Outcome, reason: String| {
        out.skipped.push(Skipped {
            external: record.key.clone(),
            id: Some(item.id.clone()),
            field: None,
            kept: None,
            source: None,
            reason,
        })
    };
    let current = match current_fields(bytes) {
        Ok(c) => c,
        Err(why) => return skip_item(out, format!("{}: {why}", item.file)),
    };
    let previous = state.items.get(&record.key).cloned();
    let mut entry = previous.clone().unwrap_or_else(|| ItemState {
        id: item.id.clone(),
        ..ItemState::default()
    });
    entry.id = item.id.clone();
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    for f in fields.iter().filter(|f| f.name != "external") {
        let cur = current
            .1
            .get(&f.name)
            .and_then(|n| FieldValue::from_node(n, f.shape));
        let last = match &previous {
            Some(p) if !p.kept.contains(&f.name) => Some(p.fields.get(&f.name)),
            _ => None,
        };
        match merge::decide(f.value.as_ref(), cur.as_ref(), last, options.overwrite) {
            Decision::Same => {
                set_baseline(&mut entry, &f.name, f.value.clone());
            }
            Decision::Write(v) => {
                let yaml = v.as_ref().map(|v| v.to_yaml(f.shape));
                match FieldEdit::new(&f.name, yaml) {
                    Ok(e) => edits.push(e),
                    Err(e) => return skip_item(out, e.to_string()),
                }
                changes.push(Change {
                    field: f.name.clone(),
                    from: field_text(&cur),
                    to: field_text(&v),
                });
                set_baseline(&mut entry, &f.name, v);
            }
            Decision::Keep(why) => {
                if why == KeepReason::NotOwned && !entry.kept.contains(&f.name) {
                    entry.kept.push(f.name.clone());
                    entry.fields.remove(&f.name);
                }
                out.skipped.push(Skipped {
                    external: record.key.clone(),
                    id: Some(item.id.clone()),
                    field: Some(f.name.clone()),
                    kept: field_text(&cur),
                    source: field_text(&f.value),
                    reason: why.text().to_string(),
                });
            }
        }
    }
    let new_body = body::tidy(&record.body);
    let cur_body = body::tidy(current.0);
    let new_hash = state::hash(&new_body);
    let cur_hash = state::hash(&cur_body);
    let last_body = previous
        .as_ref()
        .map(|p| p.body.clone())
        .filter(|b| !b.is_empty());
    let mut replace_body = false;
    if new_hash == cur_hash {
        entry.body = new_hash;
    } else if options.overwrite
        || last_body.as_deref() == Some(cur_hash.as_str())
        || (last_body.is_none() && cur_body.is_empty())
    {
        replace_body = true;
        entry.body = new_hash;
        changes.push(Change {
            field: "body".into(),
            from: None,
            to: None,
        });
    } else {
        out.skipped.push(Skipped {
            external: record.key.clone(),
            id: Some(item.id.clone()),
            field: Some("body".into()),
            kept: None,
            source: None,
            reason: if last_body.is_some() {
                KeepReason::EditedSince.text().into()
            } else {
                KeepReason::NotOwned.text().into()
            },
        });
    }
    if changes.is_empty() {
        state.items.insert(record.key.clone(), entry);
        out.unchanged.push(item.id.clone());
        return;
    }
    let edited = if edits.is_empty() {
        Ok(bytes.to_vec())
    } else {
        edit::edit_file(&item.file, bytes, &edits, config)
    };
    let mut new_bytes = match edited {
        Ok(b) => b,
        Err(edit::EditError::Refused { findings }) => {
            let why: Vec<String> = findings.iter().map(|d| d.message.clone()).collect();
            return skip_item(
                out,
                format!("the edit would introduce errors: {}", why.join("; ")),
            );
        }
        Err(e) => return skip_item(out, format!("cannot edit {}: {e}", item.file)),
    };
    if replace_body {
        let text = String::from_utf8_lossy(&new_bytes).into_owned();
        let keep = body_start(&text);
        let eol = if text[..keep].ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let mut t = text[..keep].to_string();
        t.push_str(&new_body.replace('\n', eol));
        new_bytes = t.into_bytes();
    }
    state.items.insert(record.key.clone(), entry);
    out.updated.push(Updated {
        id: item.id.clone(),
        file: item.file.clone(),
        external: record.key.clone(),
        fields: changes,
    });
    out.writes.push(FileWrite {
        path: item.file.clone(),
        bytes: new_bytes,
        new: false,
    });
}

fn set_baseline(entry: &mut ItemState, name: &str, v: Option<FieldValue>) {
    entry.kept.retain(|k| k != name);
    match v {
        Some(v) => {
            entry.fields.insert(name.to_string(), v);
        }
        None => {
            entry.fields.remove(name);
        }
    }
}

/// The body and top-level front-matter fields of a plan file.
fn current_fields(bytes: &[u8]) -> Result<(&str, BTreeMap<String, yaml::Node>), String> {
    let text = front_matter::decode(bytes).map_err(|_| "it is not readable text".to_string())?;
    let split = front_matter::split(text).map_err(|e| match e {
        front_matter::SplitError::Conflict(_) => "it has unresolved merge conflicts".to_string(),
        front_matter::SplitError::Parse { message, .. } => message,
    })?;
    let fm = split.front_matter.ok_or("it has no front matter")?;
    let root = yaml::parse(
        fm,
        yaml::Origin {
            first_line: split.yaml_first_line,
        },
    )
    .map_err(|e| format!("line {}: {}", e.span.line, e.message))?;
    let mut fields = BTreeMap::new();
    for (k, v) in root.as_map().unwrap_or_default() {
        if let Some(name) = k.as_str() {
            fields.entry(name.to_string()).or_insert_with(|| v.clone());
        }
    }
    Ok((split.body, fields))
}

/// The byte offset where a plan file's body starts (after the closing fence).
fn body_start(text: &str) -> usize {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - body.len();
    match front_matter::split(body) {
        Ok(s) => bom + body.len() - s.body.len(),
        Err(_) => text.len(),
    }
}
