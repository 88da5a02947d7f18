//! Where each page of the site lives, and links between pages written relative to the page that
//! holds them, so the site works from `file://`, from any web server and under any sub-path.

use crate::plan::Plan;
use std::collections::HashMap;

/// The site's pages by what they show.
#[derive(Debug, Clone)]
pub struct Paths {
    /// Plan file (relative to the plan root) → its page (`items/S-14.html`, `docs/README.html`).
    pub files: HashMap<String, String>,
    /// Sprint name → its page (`sprints/2027-S1.html`).
    pub sprints: HashMap<String, String>,
}

impl Paths {
    /// Every page of the plan's items, documents and sprints.
    pub fn of(plan: &Plan) -> Paths {
        let mut files = HashMap::new();
        for f in &plan.files {
            let page = match f.item {
                // The first file of a duplicated id has the page; the others have none.
                Some(i) if plan.by_id.get(&plan.items[i].id) == Some(&i) => {
                    item_page(&plan.items[i].id)
                }
                Some(_) => continue,
                None => doc_page(&plan.config.plan_dir, &f.path),
            };
            files.insert(f.path.clone(), page);
        }
        let mut sprints = HashMap::new();
        let mut taken = std::collections::HashSet::new();
        for s in &plan.config.sprints {
            let base = file_stem(&s.name);
            let mut name = base.clone();
            let mut n = 1;
            while !taken.insert(name.to_ascii_lowercase()) {
                n += 1;
                name = format!("{base}-{n}");
            }
            sprints.insert(s.name.clone(), format!("sprints/{name}.html"));
        }
        Paths { files, sprints }
    }

    /// The page of the item with `id`, if the plan has it.
    pub fn item(&self, plan: &Plan, id: &str) -> Option<String> {
        let &i = plan.by_id.get(id)?;
        self.files.get(&plan.items[i].file).cloned()
    }
}

/// The page of an item.
pub fn item_page(id: &str) -> String {
    format!("items/{}.html", file_stem(id))
}

/// The page of a document (a plan file without front matter): its path under the plan folder,
/// under `docs/`, with `.html` for `.md`.
pub fn doc_page(plan_dir: &str, path: &str) -> String {
    let rel = match plan_dir {
        "." | "" => path,
        dir => path
            .strip_prefix(dir)
            .and_then(|p| p.strip_prefix('/'))
            .unwrap_or(path),
    };
    let stem = rel
        .strip_suffix(".md")
        .or_else(|| rel.strip_suffix(".markdown"))
        .unwrap_or(rel);
    let parts: Vec<String> = stem.split('/').map(file_stem).collect();
    format!("docs/{}.html", parts.join("/"))
}

/// A name usable as a file name on every system: letters, digits, `.`, `_` and `-` kept (any
/// script), everything else `-`; never empty, never `.` or `..`.
pub fn file_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() || s.chars().all(|c| c == '.') {
        "_".to_string()
    } else {
        s
    }
}

/// `../` once per folder of `page` (`items/S-1.html` → `../`): the way back to the site's root.
pub fn root_of(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// `path` percent-encoded for an `href`: every byte but unreserved characters and `/`.
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_keep_their_folders_under_docs() {
        assert_eq!(doc_page("plan", "plan/README.md"), "docs/README.html");
        assert_eq!(
            doc_page("plan", "plan/notes/2027 kick-off.md"),
            "docs/notes/2027-kick-off.html"
        );
        assert_eq!(doc_page(".", "README.md"), "docs/README.html");
    }

    #[test]
    fn file_stems_are_safe_everywhere() {
        assert_eq!(file_stem("2027-S1"), "2027-S1");
        assert_eq!(file_stem("Q1 / week 3"), "Q1---week-3");
        assert_eq!(file_stem(".."), "_");
        assert_eq!(file_stem("Sprint ä"), "Sprint-ä");
    }

    #[test]
    fn root_climbs_one_folder_per_slash() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("items/S-1.html"), "../");
        assert_eq!(root_of("docs/a/b.html"), "../../");
    }

    #[test]
    fn hrefs_are_percent_encoded() {
        assert_eq!(encode("docs/ä b.html"), "docs/%C3%A4%20b.html");
    }
}
