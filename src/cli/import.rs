//! `cairn import backlog-md|github|jira`: bring an existing backlog into the plan.

use super::context::Context;
use super::{print, Exit};
use anyhow::Context as _;
use cairn::import::{self, Level, Mapping, Options, Outcome, Problem};
use cairn::source::WorkTree;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Re-running an import updates the items it made (matched by `external:`), adds new ones, and keeps\n\
every value edited in the plan since. Mappings and examples: docs/import.md."
)]
pub struct Args {
    #[command(subcommand)]
    source: Source,
}

#[derive(Debug, clap::Subcommand)]
enum Source {
    /// A Backlog.md folder: tasks, drafts, completed, archive and milestones; docs and decisions
    /// are copied as documents.
    #[command(name = "backlog-md")]
    BacklogMd {
        /// The `backlog/` folder (or the project holding it).
        #[arg(value_name = "DIR", default_value = "backlog")]
        folder: String,
        #[command(flatten)]
        common: Common,
    },
    /// GitHub issues: the JSON of `gh issue list --state all --json FIELDS` (docs/import.md gives
    /// the command with its fields), or an array of REST API issue objects.
    Github {
        /// The JSON file.
        #[arg(value_name = "FILE")]
        file: String,
        /// OWNER/REPO, for issues whose `url` does not say.
        #[arg(long, value_name = "OWNER/REPO")]
        repo: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Jira's "Export Excel CSV (all fields)".
    Jira {
        /// The CSV file.
        #[arg(value_name = "FILE")]
        file: String,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Debug, clap::Args)]
struct Common {
    /// List what would be written, and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Map source statuses to cairn statuses or categories: `'To Do=draft,In Progress=in-progress'`.
    /// Repeatable; later entries win.
    #[arg(long, value_name = "MAP")]
    status_map: Vec<String>,
    /// Map source priorities to MoSCoW classes (or `none`): `'high=must,low=could'`. Repeatable.
    #[arg(long, value_name = "MAP")]
    priority_map: Vec<String>,
    /// A YAML file with `status:` and `priority:` mappings (flags given too win over it).
    #[arg(long, value_name = "FILE")]
    mapping: Option<String>,
    /// Let the source win over values edited in the plan since the last import.
    #[arg(long)]
    overwrite: bool,
    /// List every file written, however many (by default only up to 50 are listed).
    #[arg(short, long)]
    verbose: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let (root, _) = ctx.root()?;
    let plan = cairn::Plan::load(&WorkTree::new(&root)).map_err(super::context::load_error)?;
    let common = match &args.source {
        Source::BacklogMd { common, .. }
        | Source::Github { common, .. }
        | Source::Jira { common, .. } => common,
    };
    let mut options = Options {
        mapping: Mapping::default(),
        overwrite: common.overwrite,
    };
    if let Some(file) = &common.mapping {
        let text = String::from_utf8(read_file(ctx, file)?)
            .with_context(|| format!("{file} is not UTF-8 text"))?;
        options.mapping.add_file(&text, file, &plan.config)?;
    }
    for m in &common.status_map {
        options.mapping.add_status_pairs(m, &plan.config)?;
    }
    for m in &common.priority_map {
        options.mapping.add_priority_pairs(m)?;
    }
    let extracted = match extract(ctx, &args.source)? {
        Ok(e) => e,
        Err(p) => {
            eprint!("{}", problem(ctx, &p));
            return Ok(Exit::Failure);
        }
    };
    let outcome = import::prepare(&root, &plan, extracted, &options)?;
    if !common.dry_run {
        import::write(&root, &outcome)?;
    }
    match common.format {
        Format::Json => print(&json(&outcome, common.dry_run))?,
        Format::Human => {
            let mut err = String::new();
            for p in &outcome.problems {
                err.push_str(&problem(ctx, p));
            }
            eprint!("{err}");
            // A short list is worth reading; ten thousand new files are not (unless asked).
            let written = outcome.created.len() + outcome.documents.len();
            let list = common.dry_run || common.verbose || written <= 50;
            print(&human(ctx, &outcome, list, common.dry_run))?;
        }
    }
    Ok(if outcome.errors() > 0 {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

/// Reads the source named on the command line: `Err` when a file cannot be read at all,
/// `Ok(Err(problem))` when it is not an export of that tracker.
fn extract(ctx: &Context, source: &Source) -> anyhow::Result<Result<import::Extracted, Problem>> {
    Ok(match source {
        Source::BacklogMd { folder, .. } => {
            import::backlog_md::read(&ctx_dir(ctx).join(folder), folder)
        }
        Source::Github { file, repo, .. } => {
            import::github::read(file, &read_file(ctx, file)?, repo.as_deref())
        }
        Source::Jira { file, .. } => import::jira::read(file, &read_file(ctx, file)?),
    })
}

/// `-C DIR`, for paths typed on the command line (which are relative to where cairn acts).
fn ctx_dir(ctx: &Context) -> std::path::PathBuf {
    ctx.cwd().unwrap_or_default()
}

fn read_file(ctx: &Context, file: &str) -> anyhow::Result<Vec<u8>> {
    let path = ctx_dir(ctx).join(file);
    std::fs::read(&path).with_context(|| format!("cannot read {}", Path::new(file).display()))
}

/// A located problem, rustc-style.
fn problem(ctx: &Context, p: &Problem) -> String {
    let (word, style) = match p.level {
        Level::Error => ("error", "\x1b[1;31m"),
        Level::Warning => ("warning", "\x1b[1;33m"),
    };
    let mut s = format!("{}: {}\n", ctx.paint(word, style), p.message);
    let _ = writeln!(
        s,
        "  {} {}:{}:{}",
        ctx.paint("-->", "\x1b[1;34m"),
        p.at.file,
        p.at.line,
        p.at.column
    );
    if let Some(h) = &p.help {
        let _ = writeln!(s, "  = {}: {h}", ctx.paint("help", "\x1b[1m"));
    }
    s
}

fn human(ctx: &Context, o: &Outcome, list: bool, dry: bool) -> String {
    let mut s = String::new();
    // Padded so the file names line up: `created`, `copied `; `would create`, `would copy  `.
    let verb = |done: &str, would: &str| {
        if dry {
            format!("{would:<12}")
        } else {
            format!("{done:<7}")
        }
    };
    if list {
        for c in &o.created {
            let _ = writeln!(
                s,
                "{} {}  {}  {}",
                verb("created", "would create"),
                c.file,
                c.id,
                c.external
            );
        }
        for d in o
            .documents
            .iter()
            .filter(|d| matches!(d.action, "created" | "updated"))
        {
            let _ = writeln!(
                s,
                "{} {}  {}",
                if d.action == "created" {
                    verb("copied", "would copy")
                } else {
                    verb("updated", "would update")
                },
                d.file,
                d.external
            );
        }
    }
    for u in &o.updated {
        let fields: Vec<String> = u
            .fields
            .iter()
            .map(|c| match (&c.from, &c.to) {
                _ if c.field == "body" => "body".to_string(),
                (Some(a), Some(b)) => format!("{}: {a} → {b}", c.field),
                (None, Some(b)) => format!("{}: {b}", c.field),
                (Some(a), None) => format!("{}: {a} → (removed)", c.field),
                (None, None) => c.field.clone(),
            })
            .collect();
        let _ = writeln!(
            s,
            "{} {}  {}  {}",
            verb("updated", "would update"),
            u.file,
            u.id,
            fields.join(", ")
        );
    }
    for k in &o.skipped {
        let who = k.id.clone().unwrap_or_else(|| k.external.clone());
        match &k.field {
            Some(f) => {
                let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
                let detail = if f == "body" {
                    String::new()
                } else {
                    format!(
                        " `{}` (the source says `{}`)",
                        shown(&k.kept),
                        shown(&k.source)
                    )
                };
                let _ = writeln!(s, "kept    {who} {f}{detail}: {}", k.reason);
            }
            None => {
                let _ = writeln!(s, "skipped {who} ({}): {}", k.external, k.reason);
            }
        }
    }
    for d in o.documents.iter().filter(|d| d.action == "skipped") {
        let _ = writeln!(
            s,
            "kept    {}: {}",
            d.file,
            d.reason.as_deref().unwrap_or("")
        );
    }
    if !o.config.is_empty() {
        let _ = writeln!(
            s,
            "{} cairn.yaml: {}",
            verb("added to", "would add to").trim_end(),
            o.config.join(", ")
        );
    }
    let goals = o.created.iter().filter(|c| c.kind != "story").count();
    let kinds = if goals > 0 && goals < o.created.len() {
        let stories = o.created.len() - goals;
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            " ({}, {})",
            plural(goals, "goal", "goals"),
            plural(stories, "story", "stories")
        )
    } else {
        String::new()
    };
    let docs = o
        .documents
        .iter()
        .filter(|d| matches!(d.action, "created" | "updated"))
        .count();
    let kept_fields = o.skipped.iter().filter(|k| k.field.is_some()).count();
    let skipped_items = o.skipped.len() - kept_fields;
    let warnings = o.problems.len() - o.errors();
    let unit = if o.source == "jira" {
        "rows"
    } else if o.source == "github" {
        "issues"
    } else {
        "files"
    };
    let _ = writeln!(
        s,
        "{}{}: read {} {unit}; {} {} item{}{kinds}, {} updated, {} unchanged, {} skipped{}{}; {} error{}, {} warning{}",
        if dry { "dry run, nothing written: " } else { "" },
        o.source,
        o.read,
        verb("created", "would create").trim_end(),
        o.created.len(),
        if o.created.len() == 1 { "" } else { "s" },
        o.updated.len(),
        o.unchanged.len(),
        skipped_items,
        if kept_fields > 0 { format!(", {kept_fields} edited fields kept") } else { String::new() },
        if docs > 0 { format!("; {docs} documents") } else { String::new() },
        o.errors(),
        if o.errors() == 1 { "" } else { "s" },
        warnings,
        if warnings == 1 { "" } else { "s" },
    );
    let _ = ctx;
    s
}

fn json(o: &Outcome, dry: bool) -> String {
    let mut v = serde_json::to_value(o).expect("serializable");
    if let Some(m) = v.as_object_mut() {
        m.shift_insert(0, "version".into(), serde_json::json!(1));
        m.insert("dry_run".into(), serde_json::json!(dry));
        m.insert(
            "summary".into(),
            serde_json::json!({
                "created": o.created.len(),
                "updated": o.updated.len(),
                "unchanged": o.unchanged.len(),
                "skipped": o.skipped.iter().filter(|k| k.field.is_none()).count(),
                "kept_fields": o.skipped.iter().filter(|k| k.field.is_some()).count(),
                "documents": o.documents.iter().filter(|d| matches!(d.action, "created" | "updated")).count(),
                "errors": o.errors(),
                "warnings": o.problems.len() - o.errors(),
            }),
        );
    }
    let mut text = serde_json::to_string_pretty(&v).expect("serializable");
    text.push('\n');
    text
}
