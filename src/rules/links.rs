//! `broken-link` and `broken-anchor`: relative Markdown links must reach a file, and their
//! `#anchor` a heading of it (GitHub's slug rules).

use crate::diagnostic::{Diagnostic, Rule};
use crate::parse::markdown;
use crate::plan::Plan;
use crate::source::{is_markdown, percent_decode, relative_path, resolve_link, Source};
use crate::suggest;
use std::collections::HashMap;

pub(super) fn check(plan: &Plan, source: &dyn Source, out: &mut Vec<Diagnostic>) {
    let mut outside: HashMap<String, Option<Vec<String>>> = HashMap::new();
    for file in &plan.files {
        for link in &file.links {
            let (path, anchor) = match link.dest.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (link.dest.as_str(), None),
            };
            let path = percent_decode(path.split('?').next().unwrap_or(""));
            let target = if path.is_empty() {
                file.path.clone()
            } else {
                match resolve_link(&file.path, &path) {
                    Some(t) => t,
                    None => continue, // leaves the plan root: cairn does not look there
                }
            };
            let in_plan = plan
                .files
                .binary_search_by(|f| f.path.as_str().cmp(&target))
                .ok();
            if in_plan.is_none() && !source.exists(&target) {
                let help =
                    suggest::did_you_mean(&target, plan.files.iter().map(|f| f.path.as_str()))
                        .map(|p| format!("did you mean `{}`?", relative_path(&file.path, p)));
                out.push(
                    Diagnostic::new(
                        Rule::BrokenLink,
                        &file.path,
                        link.span,
                        format!("link to `{path}`, which does not exist"),
                    )
                    .with_help_opt(help),
                );
                continue;
            }
            let Some(anchor) = anchor.filter(|a| !a.is_empty()) else {
                continue;
            };
            if !is_markdown(&target) {
                continue;
            }
            let anchors: &[String] = match in_plan {
                Some(i) => &plan.files[i].anchors,
                None => {
                    let entry = outside.entry(target.clone()).or_insert_with(|| {
                        source.read(&target).ok().map(|bytes| {
                            let text = String::from_utf8_lossy(&bytes);
                            markdown::parse(&text, 1).anchors
                        })
                    });
                    match entry {
                        Some(a) => a,
                        None => continue,
                    }
                }
            };
            let anchor = percent_decode(anchor);
            if !anchors.iter().any(|a| a.eq_ignore_ascii_case(&anchor)) {
                let help =
                    suggest::help(&anchor, anchors.iter().map(String::as_str)).or_else(|| {
                        if anchors.is_empty() {
                            Some(format!("`{target}` has no headings"))
                        } else {
                            Some(format!("headings of `{target}`: #{}", anchors.join(", #")))
                        }
                    });
                out.push(
                    Diagnostic::new(
                        Rule::BrokenAnchor,
                        &file.path,
                        link.span,
                        format!("`#{anchor}` matches no heading in `{target}`"),
                    )
                    .with_help_opt(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_relates_paths() {
        assert_eq!(
            relative_path("plan/stories/S-1.md", "plan/goals/G-1.md"),
            "../goals/G-1.md"
        );
    }
}
