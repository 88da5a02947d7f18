//! `cairn new KIND "Title"`.

use super::context::{Context, SourceArgs};
use super::{print, Exit};
use cairn::new::NewItem;
use std::path::{Component, Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Prints only the new file's path, so `$EDITOR \"$(cairn new story 'Export to CSV')\"` opens it.\n\
Templates: .cairn/templates/items/KIND.md under the plan root overrides the built-in one."
)]
pub struct Args {
    /// The kind of item: `goal`, `story`, or a kind from cairn.yaml.
    #[arg(value_name = "KIND", add = clap_complete::ArgValueCandidates::new(super::completions::kinds))]
    kind: String,
    /// The title (several words are joined with spaces).
    #[arg(value_name = "TITLE", required = true, num_args = 1..)]
    title: Vec<String>,
    /// The parent item's id (a story's goal), which must exist.
    #[arg(long, value_name = "ID", add = clap_complete::ArgValueCandidates::new(super::completions::parents))]
    parent: Option<String>,
    /// Set another front-matter field; VALUE is YAML (`estimate=3`, `tags=[ux, api]`). Repeatable.
    #[arg(long = "set", value_name = "FIELD=VALUE", value_parser = parse_field)]
    set: Vec<(String, String)>,
}

fn parse_field(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((f, v)) if !f.trim().is_empty() => Ok((f.trim().to_string(), v.to_string())),
        _ => Err(format!("expected FIELD=VALUE, found `{s}`")),
    }
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let (root, _, plan) = ctx.load(&SourceArgs::default())?;
    let req = NewItem {
        kind: args.kind,
        title: args.title.join(" "),
        parent: args.parent,
        fields: args.set,
        body: None,
    };
    let created = cairn::new::create(&root, &plan, &req)?;
    // Relative to where the shell is (not `-C`), so `$EDITOR "$(cairn new …)"` opens it.
    let cwd = std::env::current_dir().unwrap_or_else(|_| root.clone());
    print(&format!("{}\n", relative_to(&cwd, &created.path).display()))?;
    Ok(Exit::Ok)
}

/// `path` relative to `base` (with `..` where needed); `path` itself when they share nothing.
pub fn relative_to(base: &Path, path: &Path) -> PathBuf {
    let base = dunce::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
    let path = match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => dunce::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    };
    let b: Vec<Component> = base.components().collect();
    let p: Vec<Component> = path.components().collect();
    let common = b.iter().zip(&p).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path;
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    out
}
