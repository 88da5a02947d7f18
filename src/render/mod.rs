//! Renderers: findings and item data turned into text. None of them reads files or prints.

pub mod csv;
pub mod diff_md;
pub mod forecast;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod items;
pub mod json;
pub mod ranking;
pub mod rule_docs;
pub mod sarif;
pub mod sprint_plan;
pub mod table;

/// Escapes nothing, but joins a path prefix (the plan root inside the repository) and a path.
pub fn prefixed(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        path.to_string()
    } else {
        format!("{}/{path}", prefix.trim_end_matches('/'))
    }
}
