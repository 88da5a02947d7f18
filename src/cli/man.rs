//! `cairn man [COMMAND…] [-o DIR]`: manual pages from the command-line definition (clap_mangen).

use super::{print, Exit};
use anyhow::{bail, Context as _};
use clap_mangen::roff::{bold, roman, Roff};
use clap_mangen::Man;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  cairn man | man -l -            read cairn(1) without installing it
  cairn man check | man -l -      read cairn-check(1)
  cairn man -o ~/.local/share/man/man1   install every page for `man cairn-check`")]
pub struct Args {
    /// The (sub)command whose page to print (`check`, `hook install`); default: cairn(1).
    #[arg(value_name = "COMMAND")]
    command: Vec<String>,
    /// Write every page (cairn.1, cairn-check.1, …) into DIR instead, and list them.
    #[arg(long, short, value_name = "DIR", conflicts_with = "command")]
    output: Option<PathBuf>,
}

/// A page: its file name and its text.
struct Page {
    file: String,
    text: Vec<u8>,
}

pub fn run(ctx: &super::context::Context, args: Args) -> anyhow::Result<Exit> {
    let mut root = super::command().disable_help_subcommand(true);
    root.build();
    let pages = pages(&root)?;
    match &args.output {
        Some(dir) => {
            let dir = ctx.cwd()?.join(dir);
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let mut listed = String::new();
            for page in &pages {
                let path = dir.join(&page.file);
                cairn::write::atomic_write(&path, &page.text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                listed.push_str(&format!("{}\n", path.display()));
            }
            print(&listed)?;
        }
        None => {
            let file = format!("{}.1", page_name(&args.command));
            let Some(page) = pages.iter().find(|p| p.file == file) else {
                bail!(
                    "no manual page for `cairn {}`; pages: {}",
                    args.command.join(" "),
                    pages
                        .iter()
                        .map(|p| p.file.trim_end_matches(".1"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            };
            print(&String::from_utf8_lossy(&page.text))?;
        }
    }
    Ok(Exit::Ok)
}

/// `cairn-hook-install` for `["hook", "install"]`.
fn page_name(words: &[String]) -> String {
    std::iter::once("cairn")
        .chain(words.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("-")
}

/// Roff source with every non-ASCII character as a `\[uXXXX]` escape: troff reads its input as
/// Latin-1 unless a preprocessor converts it (man-db runs `preconv`, plain `groff` and some `man`
/// implementations do not), so `→` or `…` in a help text would otherwise come out as garbage.
fn ascii(roff: &str) -> String {
    let mut out = String::with_capacity(roff.len());
    for c in roff.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", c as u32));
        }
    }
    out
}

/// One page per command that is not hidden, parents before children, each with a SEE ALSO
/// section naming its parent and its subcommands.
fn pages(root: &clap::Command) -> anyhow::Result<Vec<Page>> {
    fn walk(cmd: &clap::Command, parent: Option<&str>, out: &mut Vec<Page>) -> anyhow::Result<()> {
        let name = cmd
            .get_display_name()
            .unwrap_or_else(|| cmd.get_name())
            .to_string();
        let children: Vec<&clap::Command> =
            cmd.get_subcommands().filter(|s| !s.is_hide_set()).collect();
        let man = Man::new(cmd.clone())
            .title(name.to_uppercase())
            .manual("cairn manual")
            .source(format!("cairn {}", env!("CARGO_PKG_VERSION")));
        let mut text = Vec::new();
        man.render(&mut text)?;
        let mut see_also: Vec<String> = parent.map(str::to_string).into_iter().collect();
        see_also.extend(children.iter().map(|c| {
            c.get_display_name()
                .unwrap_or_else(|| c.get_name())
                .to_string()
        }));
        if !see_also.is_empty() {
            let mut roff = Roff::new();
            roff.control("SH", ["SEE ALSO"]);
            let mut line = Vec::new();
            for (i, page) in see_also.iter().enumerate() {
                if i > 0 {
                    line.push(roman(", "));
                }
                line.push(bold(page.as_str()));
                line.push(roman("(1)"));
            }
            roff.text(line);
            text.extend(roff.to_roff().into_bytes());
        }
        out.push(Page {
            file: format!("{name}.1"),
            text: ascii(&String::from_utf8(text)?).into_bytes(),
        });
        for child in children {
            walk(child, Some(&name), out)?;
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, None, &mut out)?;
    Ok(out)
}
