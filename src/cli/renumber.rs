//! `cairn renumber OLD [NEW]`: give an item a new id and rewrite every reference to it.

use super::context::{Context, EditArgs, EditFormat, SourceArgs};
use super::{print, Exit};
use anyhow::{bail, Context as _};
use cairn::renumber::{self, Request};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The id to change (`S-5`).
    #[arg(add = clap_complete::ArgValueCandidates::new(super::completions::ids))]
    old: String,
    /// The new id (`S-9`, or just `9`); by default the next free number of the kind, above every
    /// id in the work tree, the index and all local and remote-tracking branches.
    new: Option<String>,
    /// When two files use OLD (two branches minted the same id), the file to renumber; references
    /// to OLD elsewhere are then left alone and listed.
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    #[command(flatten)]
    edit: EditArgs,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let (root, source, plan) = ctx.load(&SourceArgs::default())?;
    let file = match &args.file {
        Some(p) => Some(relative_to_root(&ctx.cwd()?, &root, p)?),
        None => None,
    };
    let req = Request {
        old: args.old.clone(),
        new: args.new.clone(),
        file,
    };
    let r = renumber::plan(&root, &plan, source.as_ref(), &req)?;

    let mut out = String::new();
    if args.edit.format == EditFormat::Json {
        if !args.edit.dry_run {
            renumber::apply(&root, &r).context("renumbering stopped part way")?;
        }
        let refs = |list: &[renumber::Reference]| {
            list.iter()
                .map(|f| serde_json::json!({ "file": f.file, "line": f.line, "field": f.field }))
                .collect::<Vec<_>>()
        };
        let doc = serde_json::json!({
            "version": 1,
            "old": r.old,
            "new": r.new,
            "file": r.file,
            "dry_run": args.edit.dry_run,
            "files": r.writes.iter().map(|w| serde_json::json!({
                "path": w.path,
                "new_path": w.new_path,
                "changes": w.changes.iter().map(|c| serde_json::json!({
                    "line": c.line, "field": c.field, "from": c.from, "to": c.to,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "left_alone": refs(&r.left_alone),
            "not_rewritten": refs(&r.not_rewritten),
        });
        let mut text = serde_json::to_string_pretty(&doc).expect("serializable");
        text.push('\n');
        print(&text)?;
        return Ok(Exit::Ok);
    }
    if args.edit.dry_run {
        for w in &r.writes {
            let old = source
                .read(&w.path)
                .with_context(|| format!("cannot read {}", w.path))?;
            out.push_str(&cairn::edit::line_diff::unified(
                &w.path,
                &w.new_path,
                &String::from_utf8_lossy(&old),
                &String::from_utf8_lossy(&w.bytes),
            ));
        }
    } else {
        renumber::apply(&root, &r).context("renumbering stopped part way")?;
    }
    let verb = if args.edit.dry_run {
        "would renumber"
    } else {
        "renumbered"
    };
    let _ = writeln!(out, "{verb} {} → {} ({})", r.old, r.new, r.file);
    for w in &r.writes {
        if w.new_path != w.path {
            let _ = writeln!(out, "  {} → {} (renamed)", w.path, w.new_path);
        }
        for c in &w.changes {
            let _ = writeln!(
                out,
                "  {}:{}: {} {} → {}",
                w.new_path, c.line, c.field, c.from, c.to
            );
        }
    }
    if !r.left_alone.is_empty() {
        let _ = writeln!(
            out,
            "\n`{}` was used by more than one file, so these references were left as they are; \
             they now name the other `{}`. Change any that meant {} with `cairn set`:",
            r.old, r.old, r.file
        );
        for f in &r.left_alone {
            let _ = writeln!(out, "  {}:{}: {} {}", f.file, f.line, f.field, r.old);
        }
    }
    for l in &r.not_rewritten {
        let _ = writeln!(
            out,
            "  warning: {}:{}: could not rewrite this {} to {}; fix it by hand",
            l.file, l.line, l.field, r.new
        );
    }
    print(&out)?;
    Ok(Exit::Ok)
}

/// `path` as typed (relative to the current folder) made relative to the plan root, with `/`.
fn relative_to_root(
    cwd: &std::path::Path,
    root: &std::path::Path,
    path: &std::path::Path,
) -> anyhow::Result<String> {
    let abs = cwd.join(path);
    let abs = dunce::canonicalize(&abs).unwrap_or(abs);
    let Ok(rel) = abs.strip_prefix(root) else {
        bail!(
            "{} is outside the plan root {}",
            path.display(),
            root.display()
        );
    };
    Ok(rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
}
