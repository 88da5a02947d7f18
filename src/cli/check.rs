//! `cairn check`.

use super::context::{repo_prefix, Context, SourceArgs};
use super::{print, Exit};
use anyhow::bail;
use cairn::render;
use clap::ValueEnum;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Report only findings in these files or folders (the whole plan is still read).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors (exit code 1): `--deny warnings`.
    #[arg(long, value_enum, value_name = "LEVEL")]
    deny: Option<Deny>,
    #[command(flatten)]
    from: SourceArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
    Sarif,
    Gitlab,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let cwd = ctx.cwd()?;
    let (root, source, plan) = ctx.load(&args.from)?;
    let mut diagnostics = cairn::rules::check(&plan, source.as_ref());
    // `stale-parent` reads git history, so it runs only when the config turns it on.
    if plan.config.level(cairn::diagnostic::Rule::StaleParent) != cairn::diagnostic::Level::Off {
        if let Ok(history) = super::stale::history(ctx, &args.from, &plan.config, false) {
            let level = plan.config.level(cairn::diagnostic::Rule::StaleParent);
            diagnostics.extend(
                cairn::history::stale::diagnostics(&plan, &history)
                    .into_iter()
                    .map(|mut d| {
                        if level == cairn::diagnostic::Level::Error {
                            d.severity = cairn::diagnostic::Severity::Error;
                        }
                        d
                    }),
            );
            diagnostics.sort_by(|a, b| {
                (&a.file, a.span.line, a.span.column, a.rule).cmp(&(
                    &b.file,
                    b.span.line,
                    b.span.column,
                    b.rule,
                ))
            });
        }
    }
    let mut report = cairn::CheckReport::new(&plan, source.as_ref(), diagnostics);

    if !args.paths.is_empty() {
        let mut wanted = Vec::new();
        for p in &args.paths {
            let abs = cwd.join(p);
            let abs = dunce::canonicalize(&abs).unwrap_or(abs);
            let Ok(rel) = abs.strip_prefix(&root) else {
                bail!(
                    "{} is outside the plan root {}",
                    p.display(),
                    root.display()
                );
            };
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            wanted.push(rel.join("/"));
        }
        report.retain_paths(&wanted);
    }

    let text = match args.format {
        Format::Human => render::human::render(&report, ctx.color()),
        Format::Json => render::json::render(&report),
        Format::Github => render::github::render(&report, &repo_prefix(&root)),
        Format::Sarif => render::sarif::render(&report, &repo_prefix(&root)),
        Format::Gitlab => render::gitlab::render(&report, &repo_prefix(&root)),
    };
    print(&text)?;
    let summary = report.summary();
    let failed =
        summary.errors > 0 || (matches!(args.deny, Some(Deny::Warnings)) && summary.warnings > 0);
    Ok(if failed { Exit::Findings } else { Exit::Ok })
}
