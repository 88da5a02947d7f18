//! Stale stories: the goal above changed in substance after the story was last touched, so the
//! product owner should re-check the story against the goal the product manager now describes.

use crate::config::Category;
use crate::diagnostic::{Diagnostic, Rule};
use crate::history::History;
use crate::plan::Plan;
use crate::timefmt::rfc3339;
use serde::Serialize;

/// One stale item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stale {
    /// The story.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its parent (the goal).
    pub parent: String,
    /// The parent's title.
    pub parent_title: String,
    /// The commit that changed the parent.
    pub commit: String,
    /// When (RFC 3339).
    pub changed_at: String,
    /// What changed: title, body, moscow, horizon, key_results.
    pub changed: Vec<&'static str>,
    /// When the story itself last changed (RFC 3339).
    pub story_changed_at: String,
    #[serde(skip)]
    index: usize,
}

/// Open items whose parent changed in substance after their own last change, by id.
pub fn stale(plan: &Plan, history: &History) -> Vec<Stale> {
    let mut out = Vec::new();
    for (i, item) in plan.items.iter().enumerate() {
        if item.category.is_some_and(Category::is_closed) {
            continue;
        }
        let (Some(parent), Some(own)) = (item.parent.as_ref(), history.items.get(&item.id)) else {
            continue;
        };
        let Some(ph) = history.items.get(&parent.id) else {
            continue;
        };
        let Some((time, commit, changed)) = &ph.substance_change else {
            continue;
        };
        if *time > own.last_change {
            out.push(Stale {
                id: item.id.clone(),
                title: item.title.clone(),
                parent: parent.id.clone(),
                parent_title: plan
                    .get(&parent.id)
                    .map(|p| p.title.clone())
                    .unwrap_or_default(),
                commit: commit.clone(),
                changed_at: rfc3339(*time),
                changed: changed.clone(),
                story_changed_at: rfc3339(own.last_change),
                index: i,
            });
        }
    }
    out.sort_by_key(|s| (plan.items[s.index].kind, plan.items[s.index].number));
    out
}

/// `stale-parent` findings, at each stale item's parent field.
pub fn diagnostics(plan: &Plan, history: &History) -> Vec<Diagnostic> {
    stale(plan, history)
        .into_iter()
        .map(|s| {
            let item = &plan.items[s.index];
            let span = item.parent.as_ref().map_or(item.id_span, |p| p.span);
            Diagnostic::new(
                Rule::StaleParent,
                &item.file,
                span,
                format!(
                    "{} changed ({}) in {} after {} was last touched",
                    s.parent,
                    s.changed.join(", "),
                    &s.commit[..s.commit.len().min(10)],
                    s.id
                ),
            )
            .with_help(format!(
                "re-read {} and update {} (any commit to the story clears this); `git show {}` shows the change",
                s.parent,
                s.id,
                &s.commit[..s.commit.len().min(10)]
            ))
        })
        .collect()
}
