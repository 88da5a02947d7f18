//! The tools: one file each, every one a [`Tool`] in [`ALL`].
//!
//! A tool is its name, its description, its input schema (built from the plan's config, so that
//! `kind` lists the configured kinds), the schema of its structured result, and a function from
//! validated arguments to a result. Results carry `structuredContent` in the shape of the CLI's
//! `--format json` (built by the same engine code) and a short text rendering, the CLI's own
//! text where it has one. Adding a tool is a file with a `pub const TOOL: Tool` and a line here.

use super::schema;
use crate::config::{Config, Method};
use crate::diagnostic::Diagnostic;
use crate::live::{LivePlan, Trial};
use crate::priority::rank::{RankOptions, Ranked};
use serde_json::{json, Map, Value};
use std::sync::Arc;

mod check;
mod list;
mod new;
mod next;
mod rank;
mod report;
mod set;
mod show;
mod sprint_plan;

/// Every tool, in the order `tools/list` gives them.
pub const ALL: &[&Tool] = &[
    &check::TOOL,
    &list::TOOL,
    &show::TOOL,
    &rank::TOOL,
    &next::TOOL,
    &new::TOOL,
    &set::TOOL,
    &sprint_plan::TOOL,
    &report::TOOL,
];

/// The tool called `name`.
pub fn find(name: &str) -> Option<&'static Tool> {
    ALL.iter().copied().find(|t| t.name == name)
}

/// One tool.
pub struct Tool {
    /// Its name in `tools/call`.
    pub name: &'static str,
    /// A title for people.
    pub title: &'static str,
    /// What it does, for the model that decides to call it.
    pub description: &'static str,
    /// True when it never writes.
    pub read_only: bool,
    /// True when it may overwrite what the user wrote (a field's value).
    pub destructive: bool,
    /// The JSON Schema of its arguments under `config`.
    pub input: fn(&Config) -> Value,
    /// The JSON Schema of its `structuredContent`, when it is always the same shape.
    pub output: Option<fn() -> Value>,
    /// Runs it on validated arguments.
    pub call: fn(&mut Ctx<'_>, &Map<String, Value>) -> Result<Output, Failure>,
}

/// Rankings made from the plan, kept while it is unchanged: agents ask `rank` and `next` again
/// and again between edits, and a ranking of 10,000 items takes tens of milliseconds.
#[derive(Default)]
pub struct Rankings {
    generation: u64,
    made: Vec<(RankKey, Arc<Vec<Ranked>>)>,
}

type RankKey = (Method, Option<String>, Option<String>, bool);

impl Rankings {
    /// Most rankings kept at once.
    const KEPT: usize = 8;

    /// The ranking of `live`'s plan under `method` and `options`, made now or kept from before.
    pub fn get(
        &mut self,
        live: &mut LivePlan,
        method: Method,
        options: &RankOptions,
    ) -> Arc<Vec<Ranked>> {
        if self.generation != live.generation() {
            self.made.clear();
            self.generation = live.generation();
        }
        let key = (
            method,
            options.kind.clone(),
            options.under.clone(),
            options.all,
        );
        if let Some((_, r)) = self.made.iter().find(|(k, _)| *k == key) {
            return Arc::clone(r);
        }
        let ranked = Arc::new(crate::priority::rank::rank(live.plan(), method, options));
        if self.made.len() == Self::KEPT {
            self.made.remove(0);
        }
        self.made.push((key, Arc::clone(&ranked)));
        ranked
    }
}

/// What a tool works on.
pub struct Ctx<'a> {
    /// The plan in memory.
    pub live: &'a mut LivePlan,
    /// Rankings of it.
    pub rankings: &'a mut Rankings,
    /// Today, `YYYY-MM-DD` (which sprint is next or current).
    pub today: &'a str,
    /// Files this call wrote, with their bytes, so that the watcher's news of them is known.
    pub written: Vec<(String, Vec<u8>)>,
}

/// A tool's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// `structuredContent`.
    pub structured: Option<Value>,
    /// The text content.
    pub text: String,
    /// True for a refused edit: the result explains why (`isError: true`).
    pub is_error: bool,
}

impl Output {
    /// A successful result.
    pub fn ok(structured: Value, text: String) -> Output {
        Output {
            structured: Some(structured),
            text,
            is_error: false,
        }
    }
}

/// Why a tool did nothing: an error result (`isError: true`) with this message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(e.to_string())
    }
}

/// Most findings, rows or items a text rendering shows before it says how many more there are
/// (the structured result always has them all).
pub const TEXT_LIMIT: usize = 100;

// ---- argument readers (the arguments were validated against the tool's schema) ----

/// A string argument.
pub fn string(args: &Map<String, Value>, key: &str) -> Option<String> {
    args.get(key).and_then(Value::as_str).map(str::to_string)
}

/// A list-of-strings argument (empty when absent).
pub fn strings(args: &Map<String, Value>, key: &str) -> Vec<String> {
    args.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// A boolean argument (false when absent).
pub fn flag(args: &Map<String, Value>, key: &str) -> bool {
    args.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// A whole-number argument.
pub fn count(args: &Map<String, Value>, key: &str) -> Option<usize> {
    args.get(key).and_then(Value::as_f64).map(|n| n as usize)
}

/// A number argument.
pub fn number(args: &Map<String, Value>, key: &str) -> Option<f64> {
    args.get(key).and_then(Value::as_f64)
}

// ---- schema pieces shared by several tools ----

/// `kind`: one of the configured kinds.
pub fn kind_schema(config: &Config, description: &str) -> Value {
    let kinds: Vec<&str> = config.kinds.iter().map(|k| k.name.as_str()).collect();
    schema::one_of(&kinds, description)
}

/// The configured kinds, for list filters.
pub fn kind_names(config: &Config) -> Vec<&str> {
    config.kinds.iter().map(|k| k.name.as_str()).collect()
}

/// `method`: a scoring method.
pub fn method_schema() -> Value {
    schema::one_of(
        &["rice", "ice", "wsjf", "moscow", "formula"],
        "Scoring method (default: `scoring.method` in cairn.yaml).",
    )
}

/// A non-empty string.
pub fn text_schema(description: &str) -> Value {
    json!({ "type": "string", "minLength": 1, "description": description })
}

/// A value of type `t` or null, for output schemas: `anyOf` with one type per branch, which
/// clients that map schemas onto a single-`type` dialect (Gemini's) read too.
pub fn nullable(t: &str) -> Value {
    or_null(json!({ "type": t }))
}

/// `schema` or null.
pub fn or_null(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "null" }] })
}

/// The output schema of one finding (`check --format json`'s `diagnostics[]`).
pub fn finding_schema() -> Value {
    json!({
        "type": "object",
        "required": ["rule", "severity", "file", "line", "column", "message", "help"],
        "properties": {
            "rule": { "type": "string" },
            "severity": { "type": "string", "enum": ["error", "warning"] },
            "file": { "type": "string" },
            "line": { "type": "integer" },
            "column": { "type": "integer" },
            "message": { "type": "string" },
            "help": nullable("string"),
        },
    })
}

/// Findings as rustc-style text (no colour), at most [`TEXT_LIMIT`] of them, without the
/// summary line (which would count only those).
pub fn findings_text(ctx: &mut Ctx<'_>, findings: Vec<Diagnostic>) -> String {
    let total = findings.len();
    let shown: Vec<Diagnostic> = findings.into_iter().take(TEXT_LIMIT).collect();
    let (plan, source) = ctx.live.snapshot();
    let report = crate::CheckReport::new(plan, &source, shown);
    let rendered = crate::render::human::render(&report, false);
    let mut text = match rendered.trim_end().rsplit_once('\n') {
        Some((body, _summary)) => format!("{}\n", body.trim_end()),
        None => String::new(),
    };
    if total > TEXT_LIMIT {
        text.push_str(&format!(
            "\n… {} more findings in the structured result\n",
            total - TEXT_LIMIT
        ));
    }
    text
}

/// Reads the files of item `id` again if they changed on disk and the watcher has not said so
/// yet: a tool about to read or edit one item sees that item as it is on disk now.
pub fn freshen_item(live: &mut LivePlan, id: &str) {
    let files: Vec<String> = live
        .plan()
        .items
        .iter()
        .filter(|i| i.id == id)
        .map(|i| i.file.clone())
        .collect();
    live.freshen(&files);
}

/// The message for a write while the plan cannot be written safely, or `None` when it can.
pub fn unwritable(ctx: &mut Ctx<'_>) -> Option<Failure> {
    if let Some(e) = ctx.live.config_error() {
        return Some(Failure(format!(
            "cairn.yaml is invalid ({}:{}:{}: {}); fix it before changing the plan",
            e.file, e.span.line, e.span.column, e.message
        )));
    }
    None
}

/// The plan as it would be with `files` (relative paths, new text) in place of what is on disk:
/// the error-level findings it would add, computed in memory. The files stay in memory until
/// [`keep`] writes them or [`discard`] puts the plan back as it was.
pub fn preview(ctx: &mut Ctx<'_>, files: &[(String, Vec<u8>)]) -> (Vec<Diagnostic>, Trial) {
    let before = ctx.live.findings();
    let buffers = files
        .iter()
        .map(|(file, bytes)| (file.clone(), String::from_utf8_lossy(bytes).into_owned()))
        .collect();
    let trial = ctx.live.trial(buffers);
    let after = ctx.live.findings();
    (crate::edit::new_errors(&before, &after), trial)
}

/// Puts the plan back as it was before [`preview`].
pub fn discard(ctx: &mut Ctx<'_>, trial: Trial) {
    ctx.live.undo(trial);
}

/// Writes the previewed `files` atomically and keeps their parses.
pub fn keep(ctx: &mut Ctx<'_>, files: Vec<(String, Vec<u8>)>, trial: Trial) -> Result<(), Failure> {
    let root = ctx.live.root().to_path_buf();
    let plan_dir = ctx.live.config().plan_dir.clone();
    for (file, bytes) in &files {
        let written = super::paths::inside(&root, &plan_dir, file)
            .and_then(|path| crate::write::atomic_write(&path, bytes).map_err(|e| e.to_string()));
        if let Err(e) = written {
            // What was written before stays written; the plan is read again from disk.
            discard(ctx, trial);
            ctx.live.reload();
            return Err(Failure(format!("cannot write {file}: {e}")));
        }
    }
    adopt(ctx, files);
    Ok(())
}

/// The previewed `files` are on disk now: their parses are kept, nothing is read again.
pub fn adopt(ctx: &mut Ctx<'_>, files: Vec<(String, Vec<u8>)>) {
    for (file, _) in &files {
        ctx.live.adopt_buffer(file);
    }
    ctx.written.extend(files);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ranking_is_kept_until_the_plan_changes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("plan")).unwrap();
        let file = dir.path().join("plan/S-1.md");
        std::fs::write(&file, "---\nid: S-1\ntitle: A\nstatus: draft\n---\n").unwrap();
        let mut live: LivePlan = LivePlan::new(dir.path());
        let mut rankings = Rankings::default();
        let options = RankOptions {
            kind: Some("story".into()),
            ..Default::default()
        };
        let first = rankings.get(&mut live, Method::Rice, &options);
        assert!(Arc::ptr_eq(
            &first,
            &rankings.get(&mut live, Method::Rice, &options)
        ));
        assert!(!Arc::ptr_eq(
            &first,
            &rankings.get(&mut live, Method::Ice, &options)
        ));
        // A trial that is undone leaves the plan, and so the ranking, as it was.
        let trial = live.trial(vec![(
            "plan/S-1.md".into(),
            "---\nid: S-1\ntitle: B\nstatus: draft\n---\n".into(),
        )]);
        live.undo(trial);
        assert!(Arc::ptr_eq(
            &first,
            &rankings.get(&mut live, Method::Rice, &options)
        ));
        std::fs::write(&file, "---\nid: S-1\ntitle: C\nstatus: draft\n---\n").unwrap();
        live.disk_changed(&["plan/S-1.md".to_string()], false);
        let again = rankings.get(&mut live, Method::Rice, &options);
        assert!(!Arc::ptr_eq(&first, &again), "made again after a change");
    }

    #[test]
    fn names_are_unique_and_schemas_are_strict_objects() {
        let config = Config::default();
        let mut names: Vec<&str> = ALL.iter().map(|t| t.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        for t in ALL {
            let input = (t.input)(&config);
            assert_eq!(input["type"], "object", "{}", t.name);
            assert_eq!(input["additionalProperties"], false, "{}", t.name);
            let props = input["properties"].as_object().unwrap();
            for r in input["required"].as_array().unwrap() {
                assert!(props.contains_key(r.as_str().unwrap()), "{}: {r}", t.name);
            }
            for (name, p) in props {
                assert!(
                    p.get("description").is_some(),
                    "{}.{name} has no description",
                    t.name
                );
            }
            if let Some(output) = t.output {
                assert_eq!(output()["type"], "object", "{}", t.name);
            }
        }
    }
}
