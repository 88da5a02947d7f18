//! `cairn set ID FIELD=VALUE…`: edit an item's front matter in place.

use super::context::{Context, EditArgs, EditFormat, SourceArgs};
use super::{print, Exit};
use anyhow::{bail, Context as _};
use cairn::edit::{self, FieldEdit, Overlay};
use std::fmt::Write as _;
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
    if let Some(e) = edits.iter().find(|e| e.path[0] == "id") {
        bail!(
            "`{}` cannot be changed with `cairn set`; use `cairn renumber {} NEW`, which also rewrites every reference",
            e.field(),
            args.id
        );
    }
    let (root, source, plan) = ctx.load(&SourceArgs::default())?;
    let holders: Vec<_> = plan.items.iter().filter(|i| i.id == args.id).collect();
    let item = match holders.as_slice() {
        [] => return Err(super::context::unknown_item(&plan, &args.id)),
        [one] => *one,
        many => bail!(
            "`{}` is used by {} files ({}); give one of them a new id with `cairn renumber {} --file PATH` first",
            args.id,
            many.len(),
            many.iter().map(|i| i.file.as_str()).collect::<Vec<_>>().join(", "),
            args.id
        ),
    };
    let file = item.file.clone();
    let old = source
        .read(&file)
        .with_context(|| format!("cannot read {file}"))?;
    let text = std::str::from_utf8(&old).with_context(|| format!("{file} is not UTF-8 text"))?;
    let new = edit::set_fields(text, &edits)
        .with_context(|| format!("cannot edit {file}"))?
        .into_bytes();

    // Check the plan as it would be, not only the file: an edit must not break a reference, a
    // sprint name or the dependency graph either.
    let overlay = Overlay::new(source.as_ref(), &file, new.clone());
    let after_plan = cairn::Plan::load(&overlay).map_err(super::context::load_error)?;
    let before = cairn::rules::check(&plan, source.as_ref());
    let after = cairn::rules::check(&after_plan, &overlay);
    let fresh = edit::new_errors(&before, &after);
    let old_text = String::from_utf8_lossy(&old);
    let new_text = String::from_utf8_lossy(&new);
    let changes: Vec<(String, Option<String>, Option<String>)> = edits
        .iter()
        .map(|e| {
            (
                e.field(),
                edit::field_value(&old_text, &e.path),
                edit::field_value(&new_text, &e.path),
            )
        })
        .collect();
    if args.edit.format == EditFormat::Json {
        let refused = !fresh.is_empty();
        let written = !refused && !args.edit.dry_run && new != old;
        if written {
            cairn::write::atomic_write(&root.join(&file), &new)
                .with_context(|| format!("cannot write {file}"))?;
        }
        let doc = serde_json::json!({
            "version": 1,
            "id": item.id,
            "file": file,
            "dry_run": args.edit.dry_run,
            "written": written,
            "fields": changes.iter().map(|(field, from, to)| serde_json::json!({
                "field": field, "from": from, "to": to,
            })).collect::<Vec<_>>(),
            "diff": unified_diff(&file, &file, &old_text, &new_text),
            "errors": cairn::render::json::findings(&fresh),
        });
        let mut text = serde_json::to_string_pretty(&doc).expect("serializable");
        text.push('\n');
        print(&text)?;
        return Ok(if refused { Exit::Findings } else { Exit::Ok });
    }
    if !fresh.is_empty() {
        return refuse(ctx, &after_plan, &overlay, &file, fresh);
    }

    let mut out = String::new();
    if args.edit.dry_run {
        out.push_str(&unified_diff(&file, &file, &old_text, &new_text));
        if new == old {
            let _ = writeln!(out, "{file}: nothing to change");
        }
        print(&out)?;
        return Ok(Exit::Ok);
    }
    if new != old {
        cairn::write::atomic_write(&root.join(&file), &new)
            .with_context(|| format!("cannot write {file}"))?;
    }
    let _ = writeln!(out, "{file}");
    for (field, before, after) in &changes {
        let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        let line = match (before, after) {
            (b, a) if b == a => format!("{field}: {} (unchanged)", shown(a)),
            (Some(b), None) => format!("{field}: {b} → (removed)"),
            (b, a) => format!("{field}: {} → {}", shown(b), shown(a)),
        };
        let _ = writeln!(out, "  {line}");
    }
    print(&out)?;
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

/// A unified diff (3 lines of context) of two versions of a file; empty when they are equal.
pub fn unified_diff(old_path: &str, new_path: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = diff_lines(&a, &b);
    if ops.iter().all(|op| matches!(op, Op::Same(..))) {
        return String::new();
    }
    let mut out = format!("--- a/{old_path}\n+++ b/{new_path}\n");
    const CONTEXT: usize = 3;
    let changed: Vec<usize> = (0..ops.len())
        .filter(|&i| !matches!(ops[i], Op::Same(..)))
        .collect();
    let mut i = 0;
    while i < changed.len() {
        let first = changed[i];
        let mut last = first;
        while i + 1 < changed.len() && changed[i + 1] <= last + 2 * CONTEXT + 1 {
            i += 1;
            last = changed[i];
        }
        i += 1;
        let from = first.saturating_sub(CONTEXT);
        let to = (last + CONTEXT + 1).min(ops.len());
        let (mut a_start, mut b_start) = (None, None);
        let (mut a_len, mut b_len) = (0, 0);
        let mut lines = String::new();
        for op in &ops[from..to] {
            match *op {
                Op::Same(x, y) => {
                    a_start.get_or_insert(x);
                    b_start.get_or_insert(y);
                    a_len += 1;
                    b_len += 1;
                    let _ = writeln!(lines, " {}", a[x]);
                }
                Op::Del(x, y) => {
                    a_start.get_or_insert(x);
                    b_start.get_or_insert(y);
                    a_len += 1;
                    let _ = writeln!(lines, "-{}", a[x]);
                }
                Op::Add(x, y) => {
                    a_start.get_or_insert(x);
                    b_start.get_or_insert(y);
                    b_len += 1;
                    let _ = writeln!(lines, "+{}", b[y]);
                }
            }
        }
        let start = |s: Option<usize>, len: usize| s.map_or(0, |s| s + usize::from(len > 0));
        let _ = writeln!(
            out,
            "@@ -{},{a_len} +{},{b_len} @@",
            start(a_start, a_len),
            start(b_start, b_len)
        );
        out.push_str(&lines);
    }
    out
}

/// One line of a diff: kept, deleted or added, with its (old, new) positions.
#[derive(Debug, Clone, Copy)]
enum Op {
    Same(usize, usize),
    Del(usize, usize),
    Add(usize, usize),
}

/// A longest-common-subsequence diff, after trimming the common head and tail.
fn diff_lines(a: &[&str], b: &[&str]) -> Vec<Op> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut ops: Vec<Op> = (0..head).map(|i| Op::Same(i, i)).collect();
    if ma.len().saturating_mul(mb.len()) > 4_000_000 {
        // Too large for an LCS table: pair the lines up by position (still a correct diff).
        let common = ma.len().min(mb.len());
        for k in 0..common {
            if ma[k] == mb[k] {
                ops.push(Op::Same(head + k, head + k));
            } else {
                ops.push(Op::Del(head + k, head + k));
                ops.push(Op::Add(head + k + 1, head + k));
            }
        }
        ops.extend((common..ma.len()).map(|k| Op::Del(head + k, head + common)));
        ops.extend((common..mb.len()).map(|k| Op::Add(head + ma.len(), head + k)));
        ops.extend((0..tail).map(|k| Op::Same(a.len() - tail + k, b.len() - tail + k)));
        return ops;
    }
    // lcs[i][j]: length of the LCS of ma[i..] and mb[j..].
    let mut lcs = vec![vec![0u32; mb.len() + 1]; ma.len() + 1];
    for i in (0..ma.len()).rev() {
        for j in (0..mb.len()).rev() {
            lcs[i][j] = if ma[i] == mb[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < ma.len() || j < mb.len() {
        if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
            ops.push(Op::Same(head + i, head + j));
            i += 1;
            j += 1;
        } else if i < ma.len() && (j == mb.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(Op::Del(head + i, head + j));
            i += 1;
        } else {
            ops.push(Op::Add(head + i, head + j));
            j += 1;
        }
    }
    ops.extend((0..tail).map(|k| Op::Same(a.len() - tail + k, b.len() - tail + k)));
    ops
}
