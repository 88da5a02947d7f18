//! Resources: every item as `cairn://item/ID` (its Markdown file as written), the config as
//! `cairn://config`, and the template `cairn://item/{id}`.

use crate::live::LivePlan;
use crate::query::{self, Filter};

/// The scheme and host of item URIs.
pub const ITEM_PREFIX: &str = "cairn://item/";
/// The config's URI.
pub const CONFIG_URI: &str = "cairn://config";
/// The template of item URIs (RFC 6570).
pub const ITEM_TEMPLATE: &str = "cairn://item/{id}";
/// Items per page of `resources/list`.
pub const PAGE: usize = 1000;

/// The URI of item `id`.
pub fn item_uri(id: &str) -> String {
    format!("{ITEM_PREFIX}{id}")
}

/// One entry of `resources/list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its URI.
    pub uri: String,
    /// The programmatic name (the id, or `cairn.yaml`).
    pub name: String,
    /// The title.
    pub title: String,
    /// `story · ready · plan/stories/S-14-x.md`.
    pub description: String,
    /// `text/markdown` or `application/yaml`.
    pub mime_type: &'static str,
}

/// A page of resources from `offset` (the config first, then every item by kind and number),
/// and the offset of the next page.
pub fn list(live: &mut LivePlan, offset: usize) -> (Vec<Entry>, Option<usize>) {
    let plan = live.plan();
    let config = Entry {
        uri: CONFIG_URI.into(),
        name: crate::config::FILE_NAME.into(),
        title: "The plan's configuration".into(),
        description: match &plan.config_file {
            Some(_) => "cairn.yaml: kinds, statuses, sprints, scoring, rules".into(),
            None => "no cairn.yaml: every setting has its default".into(),
        },
        mime_type: "application/yaml",
    };
    let rows = query::list(plan, &Filter::default());
    let mut seen = std::collections::HashSet::new();
    let items = rows
        .into_iter()
        // One resource per id: the file the plan knows the id by.
        .filter(|r| seen.insert(r.id.clone()) && plan.get(&r.id).is_some_and(|i| i.file == r.file))
        .map(|r| Entry {
            uri: item_uri(&r.id),
            name: r.id.clone(),
            description: format!(
                "{} · {} · {}",
                r.kind,
                r.status.as_deref().unwrap_or("no status"),
                r.file
            ),
            title: r.title,
            mime_type: "text/markdown",
        });
    let all: Vec<Entry> = std::iter::once(config).chain(items).collect();
    let end = (offset + PAGE).min(all.len());
    let next = (end < all.len()).then_some(end);
    let page = all.into_iter().skip(offset).take(PAGE).collect();
    (page, next)
}

/// What `resources/read` returns: the text and its MIME type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    /// The text.
    pub text: String,
    /// `text/markdown` or `application/yaml`.
    pub mime_type: &'static str,
}

/// The contents at `uri`, or why there are none.
pub fn read(live: &mut LivePlan, uri: &str) -> Result<Contents, String> {
    if uri == CONFIG_URI {
        let text = match live.text(crate::config::FILE_NAME) {
            Some(t) if live.exists(crate::config::FILE_NAME) => t.into_owned(),
            _ => "# This plan has no cairn.yaml: every setting has its default (see docs/config.md).\n".into(),
        };
        return Ok(Contents {
            text,
            mime_type: "application/yaml",
        });
    }
    let Some(id) = uri.strip_prefix(ITEM_PREFIX) else {
        return Err(format!(
            "no resource `{uri}`: cairn serves {CONFIG_URI} and {ITEM_TEMPLATE}"
        ));
    };
    crate::mcp::tools::freshen_item(live, id);
    let plan = live.plan();
    let Some(item) = plan.get(id) else {
        return Err(format!("no resource `{uri}`: {}", plan.unknown_item(id)));
    };
    let file = item.file.clone();
    match live.text(&file) {
        Some(text) => Ok(Contents {
            text: text.into_owned(),
            mime_type: "text/markdown",
        }),
        None => Err(format!("cannot read {file}")),
    }
}

/// The file behind `uri`, when it names an item of the plan.
pub fn file_of(live: &mut LivePlan, uri: &str) -> Option<String> {
    if uri == CONFIG_URI {
        return Some(crate::config::FILE_NAME.into());
    }
    let id = uri.strip_prefix(ITEM_PREFIX)?;
    live.plan().get(id).map(|i| i.file.clone())
}
