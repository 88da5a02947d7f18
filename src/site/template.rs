//! The site's templates: built into the binary, overridable one file at a time from
//! `.cairn/templates/site/NAME`. Pages that show a report extend that report's own template
//! (`roadmap.html`, overridable from `.cairn/templates/reports/` as for `cairn report`), with the
//! site's `base.html` in place of the report's: one design, one place to change it.

use crate::report::template as report;
use minijinja::Environment;
use serde_json::Value;

/// The folder, relative to the plan root, where a plan overrides built-in site templates.
pub const OVERRIDE_DIR: &str = ".cairn/templates/site";

/// Built-in site templates and assets, by name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/site/base.html")),
    (
        "macros.html",
        include_str!("../../templates/site/macros.html"),
    ),
    (
        "index.html",
        include_str!("../../templates/site/index.html"),
    ),
    (
        "board.html",
        include_str!("../../templates/site/board.html"),
    ),
    (
        "backlog.html",
        include_str!("../../templates/site/backlog.html"),
    ),
    (
        "sprint.html",
        include_str!("../../templates/site/sprint.html"),
    ),
    (
        "alignment.html",
        include_str!("../../templates/site/alignment.html"),
    ),
    (
        "metrics.html",
        include_str!("../../templates/site/metrics.html"),
    ),
    (
        "forecast.html",
        include_str!("../../templates/site/forecast.html"),
    ),
    (
        "graph.html",
        include_str!("../../templates/site/graph.html"),
    ),
    ("item.html", include_str!("../../templates/site/item.html")),
    ("doc.html", include_str!("../../templates/site/doc.html")),
    (
        "unavailable.html",
        include_str!("../../templates/site/unavailable.html"),
    ),
    ("site.css", include_str!("../../templates/site/site.css")),
    ("cairn.js", include_str!("../../templates/site/cairn.js")),
];

/// Assets copied as they are (never rendered as templates).
pub const ASSETS: [&str; 2] = ["site.css", "cairn.js"];

/// Why the site could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// A template failed to compile or render.
    #[error("template {name}: {message}")]
    Template {
        /// The template.
        name: String,
        /// What went wrong, with the line when known.
        message: String,
    },
    /// A file of the site could not be written.
    #[error("cannot write {path}: {error}")]
    Write {
        /// The file.
        path: String,
        /// Why (part of the message, so not a `source`).
        error: std::io::Error,
    },
    /// A report's context could not be built.
    #[error(transparent)]
    Report(Box<crate::report::ReportError>),
}

impl From<crate::report::ReportError> for SiteError {
    fn from(e: crate::report::ReportError) -> Self {
        SiteError::Report(Box::new(e))
    }
}

fn template_error(name: &str, e: &minijinja::Error) -> SiteError {
    // The error of an included or extended template names that template.
    let name = match e.name() {
        Some(n) if n.starts_with("site/") => n.to_string(),
        Some("base.html") => "site/base.html".to_string(),
        Some(n) => format!("reports/{n}"),
        None => name.to_string(),
    };
    let mut message = match e.line() {
        Some(line) => format!("line {line}: {}", e.kind()),
        None => e.kind().to_string(),
    };
    if let Some(detail) = e.detail() {
        message.push_str(": ");
        message.push_str(detail);
    }
    SiteError::Template { name, message }
}

/// Site templates, report templates and assets, each built in or overridden by the plan.
pub struct Templates {
    env: Environment<'static>,
    /// `site.css` and `cairn.js`.
    assets: Vec<(String, String)>,
    /// The report stylesheet (`style.css`) the site shares.
    report_css: String,
}

/// Looks up a plan's override of a template: `(folder, name)` → its text.
pub type Lookup<'a> = dyn Fn(&str, &str) -> Option<String> + 'a;

impl Templates {
    /// The templates, overrides first. Report templates come from `.cairn/templates/reports/` as
    /// for `cairn report`, except `base.html`, which is the site's.
    pub fn new(lookup: &Lookup) -> Result<Templates, SiteError> {
        let mut env = Environment::new();
        report::filters(&mut env);
        // HTML-escape `&<>"'` only: minijinja also escapes `/`, which turns every link of the
        // site into `..&#x2f;items&#x2f;S-1.html` (valid, but unreadable in the page source).
        env.set_formatter(|out, state, value| {
            if *state.auto_escape() == minijinja::AutoEscape::Html
                && !value.is_safe()
                && !value.is_none()
                && !value.is_undefined()
            {
                if let Some(s) = value.as_str() {
                    return out
                        .write_str(&escape_html(s))
                        .map_err(minijinja::Error::from);
                }
            }
            minijinja::escape_formatter(out, state, value)
        });
        env.add_filter("urlencode", |s: String| super::paths::encode(&s));
        env.add_filter("plural", |word: String, n: Option<f64>| {
            plural(&word, n.unwrap_or(2.0))
        });
        let mut report_css = String::new();
        for (name, text) in report::BUILT_IN {
            let text = lookup(report::OVERRIDE_DIR, name).unwrap_or_else(|| text.to_string());
            if *name == "style.css" {
                report_css = text.clone();
            }
            if *name == "base.html" {
                continue;
            }
            env.add_template_owned(name.to_string(), text)
                .map_err(|e| template_error(&format!("reports/{name}"), &e))?;
        }
        let mut assets = Vec::new();
        for (name, text) in BUILT_IN {
            let text = lookup(OVERRIDE_DIR, name).unwrap_or_else(|| text.to_string());
            if ASSETS.contains(name) {
                assets.push((name.to_string(), text));
                continue;
            }
            // The site's base is the base every report page extends.
            let registered = if *name == "base.html" {
                "base.html".to_string()
            } else {
                format!("site/{name}")
            };
            env.add_template_owned(registered.clone(), text)
                .map_err(|e| template_error(&registered, &e))?;
        }
        Ok(Templates {
            env,
            assets,
            report_css,
        })
    }

    /// Renders the site template `name` (`item.html`) with `ctx` and the frame's data as `site`.
    pub fn render(
        &self,
        name: &str,
        ctx: &Value,
        site: minijinja::Value,
    ) -> Result<String, SiteError> {
        let full = format!("site/{name}");
        let t = self
            .env
            .get_template(&full)
            .map_err(|e| template_error(&full, &e))?;
        let mut out = t
            .render(minijinja::context! { site => site, ..minijinja::Value::from(minijinja::value::Serde(ctx)) })
            .map_err(|e| template_error(&full, &e))?;
        if !out.ends_with('\n') {
            out.push('\n');
        }
        Ok(out)
    }

    /// The site's stylesheet: the reports' and the site's own.
    pub fn stylesheet(&self) -> String {
        let site = self.asset("site.css");
        format!("{}\n{site}", self.report_css.trim_end())
    }

    /// An asset's text (`cairn.js`).
    pub fn asset(&self, name: &str) -> &str {
        self.assets
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, t)| t.as_str())
    }
}

/// `s` with `&`, `<`, `>`, `"` and `'` escaped for HTML text and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `word` for `n` of them: `story` → `stories`, `goal` → `goals`; unchanged for one.
pub fn plural(word: &str, n: f64) -> String {
    if n == 1.0 {
        return word.to_string();
    }
    let consonant_y = word.len() > 1
        && word.ends_with('y')
        && !word[..word.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if consonant_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if word.ends_with(['s', 'x']) || word.ends_with("ch") || word.ends_with("sh") {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// Turns every `<span class="id">ID</span>` a report template wrote for an item with a page
/// into a link to that page (`<a class="id" href="…">`), so every id on the site leads to its
/// item. `page_of` gives the page of an id, relative to the page being written.
pub fn link_ids(html: &str, page_of: &dyn Fn(&str) -> Option<String>) -> String {
    const OPEN: &str = "<span class=\"id\">";
    const CLOSE: &str = "</span>";
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        match after.find(CLOSE) {
            Some(end) if !after[..end].contains('<') => {
                let id = &after[..end];
                match page_of(id) {
                    Some(href) => {
                        out.push_str("<a class=\"id\" href=\"");
                        out.push_str(&href);
                        out.push_str("\">");
                        out.push_str(id);
                        out.push_str("</a>");
                    }
                    None => {
                        out.push_str(OPEN);
                        out.push_str(id);
                        out.push_str(CLOSE);
                    }
                }
                rest = &after[end + CLOSE.len()..];
            }
            _ => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_of_kind_names() {
        assert_eq!(plural("story", 2.0), "stories");
        assert_eq!(plural("story", 1.0), "story");
        assert_eq!(plural("epic", 0.0), "epics");
        assert_eq!(plural("key", 3.0), "keys");
        assert_eq!(plural("box", 3.0), "boxes");
    }

    #[test]
    fn ids_become_links_only_for_items_with_a_page() {
        let page = |id: &str| (id == "S-1").then(|| "../items/S-1.html".to_string());
        assert_eq!(
            link_ids(
                "<p><span class=\"id\">S-1</span> <span class=\"id\">S-9</span> <span class=\"id\"><b>x</b></span></p>",
                &page
            ),
            "<p><a class=\"id\" href=\"../items/S-1.html\">S-1</a> <span class=\"id\">S-9</span> <span class=\"id\"><b>x</b></span></p>"
        );
    }
}
