//! Where a link written in a plan file goes on the site: another page (anchors included), the
//! repository, or nowhere (plain text).

use super::paths::{encode, Paths};
use crate::parse::markdown::is_relative;
use crate::plan::Plan;
use crate::source::{percent_decode, resolve_link, Source};

/// Addresses of files in the repository's web interface (`site.repo_url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repo {
    /// `https://github.com/acme/app`, without a trailing `/`.
    pub url: String,
    /// The revision file links show: the commit the site was built from, else the branch.
    pub rev: String,
    /// The branch "edit this page" opens.
    pub branch: String,
    /// The plan root inside the repository (`""`, or `planning/`).
    pub prefix: String,
}

impl Repo {
    /// GitLab puts its routes under `/-/`; GitHub, Gitea, Forgejo and others take them at the top.
    fn route(&self, what: &str) -> String {
        let gitlab = self
            .url
            .split("://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .is_some_and(|host| host.contains("gitlab"));
        if gitlab {
            format!("{}/-/{what}", self.url)
        } else {
            format!("{}/{what}", self.url)
        }
    }

    /// The file at `path` (relative to the plan root) at the built revision.
    pub fn file(&self, path: &str) -> String {
        format!(
            "{}/{}",
            self.route(&format!("blob/{}", encode(&self.rev))),
            encode(&format!("{}{path}", self.prefix))
        )
    }

    /// The editor of the file at `path` on the branch.
    pub fn edit(&self, path: &str) -> String {
        format!(
            "{}/{}",
            self.route(&format!("edit/{}", encode(&self.branch))),
            encode(&format!("{}{path}", self.prefix))
        )
    }
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A link to this address (relative for pages of the site).
    Href(String),
    /// No link: the text is shown as it is.
    Text,
}

/// What link resolution needs to know about the site being built.
pub struct Resolver<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// The site's pages.
    pub paths: &'a Paths,
    /// Where the files are read from (to tell a repository file from a broken link).
    pub source: &'a dyn Source,
    /// The repository's web interface, when configured.
    pub repo: Option<&'a Repo>,
}

/// Schemes a link may keep: anything else (`javascript:`, `data:`, `file:`) is shown as text.
const SAFE_SCHEMES: [&str; 4] = ["http:", "https:", "mailto:", "tel:"];

impl Resolver<'_> {
    /// The target of `dest`, written in the plan file `from`, on the page whose way back to the
    /// site's root is `root` (`../`).
    pub fn link(&self, from: &str, dest: &str, root: &str) -> Target {
        let dest = dest.trim();
        if dest.is_empty() {
            return Target::Text;
        }
        if let Some(fragment) = dest.strip_prefix('#') {
            return if fragment.is_empty() {
                Target::Text
            } else {
                Target::Href(dest.to_string())
            };
        }
        if !is_relative(dest) {
            let lower = dest.to_ascii_lowercase();
            return if dest.starts_with("//") || SAFE_SCHEMES.iter().any(|s| lower.starts_with(s)) {
                Target::Href(dest.to_string())
            } else {
                Target::Text
            };
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let Some(resolved) = resolve_link(from, &percent_decode(path)) else {
            return Target::Text;
        };
        if let Some(page) = self.paths.files.get(&resolved) {
            let mut href = format!("{root}{}", encode(page));
            if let Some(f) = fragment.filter(|f| self.has_anchor(&resolved, f)) {
                href.push('#');
                href.push_str(f);
            }
            return Target::Href(href);
        }
        match self.repo {
            Some(repo) if resolved.is_empty() || self.source.exists(&resolved) => {
                let mut href = repo.file(&resolved);
                if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                    href.push('#');
                    href.push_str(f);
                }
                Target::Href(href)
            }
            _ => Target::Text,
        }
    }

    /// True when the plan file at `path` has a heading whose anchor is `fragment`.
    fn has_anchor(&self, path: &str, fragment: &str) -> bool {
        let fragment = percent_decode(fragment);
        self.plan
            .files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .is_some_and(|i| self.plan.files[i].anchors.contains(&fragment))
    }

    /// The repository file an image written in `from` shows, when it is one the site can carry.
    pub fn image(&self, from: &str, dest: &str) -> Option<String> {
        let dest = dest.trim();
        if !is_relative(dest) || dest.starts_with('#') {
            return None;
        }
        let path = dest.split(['#', '?']).next().unwrap_or(dest);
        let resolved = resolve_link(from, &percent_decode(path))?;
        let ext = resolved.rsplit('.').next()?.to_ascii_lowercase();
        (IMAGE_TYPES.contains(&ext.as_str()) && self.source.exists(&resolved)).then_some(resolved)
    }
}

/// Image files a page may show, copied next to the pages under `files/`.
pub const IMAGE_TYPES: [&str; 8] = ["png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico"];

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(url: &str) -> Repo {
        Repo {
            url: url.into(),
            rev: "abc123".into(),
            branch: "main".into(),
            prefix: "planning/".into(),
        }
    }

    #[test]
    fn github_and_gitlab_routes() {
        let gh = repo("https://github.com/acme/app");
        assert_eq!(
            gh.file("cairn.yaml"),
            "https://github.com/acme/app/blob/abc123/planning/cairn.yaml"
        );
        assert_eq!(
            gh.edit("plan/a b.md"),
            "https://github.com/acme/app/edit/main/planning/plan/a%20b.md"
        );
        let gl = repo("https://gitlab.example.com/group/app");
        assert_eq!(
            gl.file("x.md"),
            "https://gitlab.example.com/group/app/-/blob/abc123/planning/x.md"
        );
        assert_eq!(
            gl.edit("x.md"),
            "https://gitlab.example.com/group/app/-/edit/main/planning/x.md"
        );
    }
}
