//! `cairn set ID FIELD=VALUE…`: edit an item's front matter in place.

use super::context::{Context, EditArgs, EditFormat, SourceArgs};
use super::{print, Exit};
use anyhow::Context as _;
use cairn::edit::set::{self, SetReport};
use cairn::edit::{self, FieldEdit, Overlay};
use std::io::Write as _;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The item's id (`S-14`).
    #[arg(add = clap_complete::ArgValueCandidates::new(super::completions::ids))]
    id: String,
    /// Fields to set, as YAML (`status=done`, `rice.effort=2`, `depends_on=[S-1, S-2]`); an empty
    /// value (`owner=`) removes the field.
    #[arg(value_name = "FIELD=VALUE", required = true)]
    fields: Vec<String>,
    #[command(flatten)]
    edit: EditArgs,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let edits = args
        .fields
        .iter()
        .map(|f| FieldEdit::parse(f))
        .collect::<Result<Vec<_>, _>>()?;
    let (root, source, plan) = ctx.load(&SourceArgs::default())?;
    let prepared = set::prepare(&plan, source.as_ref(), &args.id, &edits)?;
    let file = prepared.file.clone();

    // Check the plan as it would be, not only the file: an edit must not break a reference, a
    // sprint name or the dependency graph either.
    let overlay = Overlay::new(source.as_ref(), &file, prepared.new.clone());
    let after_plan = cairn::Plan::load(&overlay).map_err(super::context::load_error)?;
    let before = cairn::rules::check(&plan, source.as_ref());
    let after = cairn::rules::check(&after_plan, &overlay);
    let fresh = edit::new_errors(&before, &after);
    let refused = !fresh.is_empty();
    let written = !refused && !args.edit.dry_run && !prepared.is_noop();
    if written {
        cairn::write::atomic_write(&root.join(&file), &prepared.new)
            .with_context(|| format!("cannot write {file}"))?;
    }
    if args.edit.format == EditFormat::Json {
        let report = SetReport::new(&prepared, args.edit.dry_run, written, &fresh);
        let mut text = serde_json::to_string_pretty(&report).expect("serializable");
        text.push('\n');
        print(&text)?;
        return Ok(if refused { Exit::Findings } else { Exit::Ok });
    }
    if refused {
        return refuse(ctx, &after_plan, &overlay, &file, fresh);
    }
    if args.edit.dry_run {
        let mut out = prepared.diff();
        if prepared.is_noop() {
            out.push_str(&format!("{file}: nothing to change\n"));
        }
        print(&out)?;
        return Ok(Exit::Ok);
    }
    print(&SetReport::new(&prepared, false, written, &[]).summary())?;
    Ok(Exit::Ok)
}

/// Prints why an edit was refused, rustc-style, and exits 1 without writing.
fn refuse(
    ctx: &Context,
    plan: &cairn::Plan,
    source: &dyn cairn::source::Source,
    file: &str,
    findings: Vec<cairn::diagnostic::Diagnostic>,
) -> anyhow::Result<Exit> {
    let n = findings.len();
    let report = cairn::CheckReport::new(plan, source, findings);
    let rendered = cairn::render::human::render(&report, ctx.color());
    // Drop the closing summary line: it counts the whole plan, not what the edit did.
    let body = rendered
        .trim_end()
        .rsplit_once('\n')
        .map_or("", |(b, _)| b)
        .trim_end();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{body}\n\n{}: {file} not written: the edit would introduce {n} error{}",
        ctx.paint("error", "\x1b[1;31m"),
        if n == 1 { "" } else { "s" }
    );
    Ok(Exit::Findings)
}
