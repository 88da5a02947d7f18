//! `cairn show ID`.

use super::context::{Context, SourceArgs};
use super::{print, Exit};
use cairn::model::fmt_num;
use cairn::query::{self, progress_bar};
use clap::ValueEnum;
use std::fmt::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The item's id (`S-14`).
    #[arg(add = clap_complete::ArgValueCandidates::new(super::completions::ids))]
    id: String,
    #[command(flatten)]
    from: SourceArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let (_, _, plan) = ctx.load(&args.from)?;
    let Some(detail) = query::show(&plan, &args.id) else {
        return Err(super::context::unknown_item(&plan, &args.id));
    };
    if let Format::Json = args.format {
        let mut doc = serde_json::to_value(&detail)?;
        doc.as_object_mut()
            .expect("object")
            .insert("version".into(), 1.into());
        print(&(serde_json::to_string_pretty(&doc)? + "\n"))?;
        return Ok(Exit::Ok);
    }
    let title = |id: &String| {
        plan.get(id).map_or_else(
            || format!("{id}  (missing)"),
            |i| {
                format!(
                    "{id}  {}  ({})",
                    i.title,
                    i.status.as_deref().unwrap_or("?")
                )
            },
        )
    };
    let mut out = String::new();
    let r = &detail.row;
    let _ = writeln!(
        out,
        "{}  {}",
        ctx.paint(&r.id, "\x1b[1m"),
        ctx.paint(&r.title, "\x1b[1m")
    );
    let _ = writeln!(
        out,
        "{} · {} ({}) · {}",
        r.kind,
        r.status.as_deref().unwrap_or("no status"),
        r.category.map_or("?".into(), |c| c.to_string()),
        r.file
    );
    out.push('\n');
    let mut field = |name: &str, value: String| {
        let _ = writeln!(out, "  {name:<12}{value}");
    };
    if let Some(p) = &r.parent {
        let kind = plan.get(p).map_or("parent", |i| plan.kind_name(i));
        field(kind, title(p));
    }
    for (name, value) in [
        ("owner", &detail.owner),
        ("assignee", &detail.assignee),
        ("horizon", &detail.horizon),
    ] {
        if let Some(v) = value {
            field(name, v.clone());
        }
    }
    if let Some(e) = r.estimate {
        field("estimate", fmt_num(e));
    }
    if let Some(s) = &r.sprint {
        field("sprint", s.clone());
    }
    if let Some(m) = &r.moscow {
        field("moscow", m.clone());
    }
    field(
        "score",
        detail.score.map_or_else(
            || format!("– ({} inputs missing)", detail.score_method),
            |s| format!("{} ({})", fmt_num(s), detail.score_method),
        ),
    );
    if !r.tags.is_empty() {
        field("tags", r.tags.join(", "));
    }
    if let Some(p) = &detail.progress_detail {
        field("progress", progress_bar(p));
    }
    for (name, ids) in [
        ("depends on", &detail.depends_on),
        ("dependents", &detail.dependents),
        ("children", &detail.children),
    ] {
        for (n, id) in ids.iter().enumerate() {
            field(if n == 0 { name } else { "" }, title(id));
        }
    }
    if let Some(s) = &detail.statement {
        let _ = write!(out, "\n{s}\n");
    }
    print(&out)?;
    Ok(Exit::Ok)
}
