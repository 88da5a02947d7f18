//! Report templates: built-in ones embedded in the binary, overridable one file at a time from
//! `.cairn/templates/reports/NAME.FORMAT`, or replaced with `--template FILE`.

use super::ReportError;
use crate::model::fmt_num;
use minijinja::Environment;

/// Markdown output is kept under GitHub's job-summary limit (1 MiB).
pub const MARKDOWN_LIMIT: usize = 1_000_000;

/// Built-in templates, by `NAME.FORMAT`.
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "roadmap.md",
        include_str!("../../templates/reports/roadmap.md"),
    ),
    (
        "backlog.md",
        include_str!("../../templates/reports/backlog.md"),
    ),
    (
        "sprint.md",
        include_str!("../../templates/reports/sprint.md"),
    ),
    (
        "alignment.md",
        include_str!("../../templates/reports/alignment.md"),
    ),
    (
        "metrics.md",
        include_str!("../../templates/reports/metrics.md"),
    ),
    (
        "roadmap.html",
        include_str!("../../templates/reports/roadmap.html"),
    ),
    (
        "backlog.html",
        include_str!("../../templates/reports/backlog.html"),
    ),
    (
        "sprint.html",
        include_str!("../../templates/reports/sprint.html"),
    ),
    (
        "alignment.html",
        include_str!("../../templates/reports/alignment.html"),
    ),
    (
        "metrics.html",
        include_str!("../../templates/reports/metrics.html"),
    ),
    (
        "forecast.md",
        include_str!("../../templates/reports/forecast.md"),
    ),
    (
        "forecast.html",
        include_str!("../../templates/reports/forecast.html"),
    ),
    (
        "base.html",
        include_str!("../../templates/reports/base.html"),
    ),
    (
        "macros.html",
        include_str!("../../templates/reports/macros.html"),
    ),
    (
        "style.css",
        include_str!("../../templates/reports/style.css"),
    ),
];

/// The folder, relative to the plan root, where a plan overrides built-in report templates.
pub const OVERRIDE_DIR: &str = ".cairn/templates/reports";

/// The filters every report and site template can use (`num`, `pct`, `slug`, …).
pub fn filters(env: &mut Environment<'_>) {
    env.add_filter("num", |v: f64| fmt_num(v));
    // `{{ kind | plural }}`: `stories`, `epics`.
    env.add_filter("plural", |s: String| {
        crate::history::forecast::plural_of(&s)
    });
    // `{{ 10000 | thousands }}`: `10,000`.
    env.add_filter("thousands", |n: i64| {
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if n < 0 {
            format!("-{out}")
        } else {
            out
        }
    });
    // Half up, like `progress.percent` (formatting with `{:.0}` would round half to even).
    env.add_filter("pct", |v: f64| format!("{}%", (v * 100.0).round() + 0.0));
    env.add_filter("md_cell", |s: String| {
        s.replace('|', "\\|").replace(['\n', '\r'], " ")
    });
    env.add_filter("mermaid_text", |s: String| {
        s.chars()
            .map(|c| {
                if matches!(
                    c,
                    ':' | ';' | '#' | '"' | '`' | '<' | '>' | '{' | '}' | '[' | ']'
                ) {
                    ' '
                } else {
                    c
                }
            })
            .collect::<String>()
    });
    env.add_filter("bar", |ratio: f64, width: Option<usize>| {
        let width = width.unwrap_or(10);
        let filled = ((ratio.clamp(0.0, 1.0)) * width as f64).round() as usize;
        format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
    });
    env.add_filter("truncate", |s: String, n: Option<usize>| {
        let n = n.unwrap_or(60);
        if s.chars().count() <= n {
            s
        } else {
            format!(
                "{}…",
                s.chars()
                    .take(n.saturating_sub(1))
                    .collect::<String>()
                    .trim_end()
            )
        }
    });
    env.add_filter("slug", |s: String| crate::parse::anchor::slug(&s));
}

/// Renders `name` (`roadmap.md`) with `ctx`. `lookup` returns an override's text for a template
/// name, if the plan has one; `explicit` is the text of `--template FILE`, which wins.
pub fn render(
    name: &str,
    ctx: &serde_json::Value,
    lookup: &dyn Fn(&str) -> Option<String>,
    explicit: Option<(&str, String)>,
) -> Result<String, ReportError> {
    let mut env = Environment::new();
    filters(&mut env);
    let err = |n: &str, e: minijinja::Error| ReportError::Template {
        name: n.to_string(),
        message: match e.line() {
            Some(line) => format!("line {line}: {e}"),
            None => e.to_string(),
        },
    };
    for (n, builtin) in BUILT_IN {
        let text = lookup(n).unwrap_or_else(|| builtin.to_string());
        env.add_template_owned(n.to_string(), text)
            .map_err(|e| err(n, e))?;
    }
    let (main, label) = match explicit {
        Some((file, text)) => {
            // Keep the extension so HTML is escaped in HTML templates.
            let ext = name.rsplit('.').next().unwrap_or("md");
            let n = format!("--template.{ext}");
            env.add_template_owned(n.clone(), text)
                .map_err(|e| err(file, e))?;
            (n, file.to_string())
        }
        None => {
            if env.get_template(name).is_err() {
                return Err(ReportError::Format {
                    report: name.split('.').next().unwrap_or(name).to_string(),
                    format: name.rsplit('.').next().unwrap_or("").to_string(),
                });
            }
            (name.to_string(), name.to_string())
        }
    };
    let template = env.get_template(&main).map_err(|e| err(&label, e))?;
    let mut out = template
        .render(minijinja::value::Serde(ctx))
        .map_err(|e| err(&label, e))?;
    if !out.ends_with('\n') {
        out.push('\n');
    }
    if name.ends_with(".md") && out.len() > MARKDOWN_LIMIT {
        out = truncate_markdown(&out);
    }
    Ok(out)
}

/// Cuts Markdown at a line boundary under the limit and says so.
fn truncate_markdown(text: &str) -> String {
    let mut budget = (MARKDOWN_LIMIT - 200).min(text.len());
    while !text.is_char_boundary(budget) {
        budget -= 1;
    }
    let mut cut = text[..budget].rfind('\n').map_or(0, |i| i + 1);
    // Never leave a code fence (a Mermaid block) open.
    if text[..cut].matches("```").count() % 2 == 1 {
        cut = text[..cut].rfind("```").unwrap_or(cut);
    }
    format!(
        "{}\n> **Report truncated**: {} more bytes did not fit GitHub's 1 MiB summary limit. Use `--format html` or `--format json` for the whole report.\n",
        &text[..cut],
        text.len() - cut
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_cuts_at_a_line_and_never_inside_a_character_or_a_fence() {
        // Multi-byte characters straddle the budget on every alignment.
        for pad in 0..4 {
            let mut text = "x".repeat(pad);
            while text.len() < MARKDOWN_LIMIT + 10 {
                text.push_str("- Ünïcode ✓ title\n");
            }
            let out = truncate_markdown(&text);
            assert!(out.len() < MARKDOWN_LIMIT, "{}", out.len());
            assert!(out.contains("> **Report truncated**"));
        }
        let mut text = "line\n".repeat(MARKDOWN_LIMIT / 5 - 100);
        text.push_str("```mermaid\n");
        text.push_str(&"a --> b\n".repeat(1000));
        text.push_str("```\n");
        let out = truncate_markdown(&text);
        assert!(!out.contains("```"), "an open fence was kept");
    }

    #[test]
    fn pct_rounds_half_up_like_progress_percent() {
        let mut env = Environment::new();
        filters(&mut env);
        let render = |v: f64| {
            env.render_str("{{ v | pct }}", minijinja::context! { v => v })
                .unwrap()
        };
        assert_eq!(render(0.125), "13%");
        assert_eq!(render(0.005), "1%");
        assert_eq!(render(0.0), "0%");
        assert_eq!(render(-0.0), "0%");
        assert_eq!(render(1.0), "100%");
    }
}
