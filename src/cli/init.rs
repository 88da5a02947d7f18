//! `cairn init`.

use super::context::Context;
use super::{print, Exit};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> anyhow::Result<Exit> {
    let dir = ctx.cwd()?;
    let written = cairn::init::init(&dir)?;
    let mut out = String::new();
    for path in written {
        let rel = path.strip_prefix(&dir).unwrap_or(&path);
        out.push_str(&format!("created {}\n", rel.display()));
    }
    out.push_str("next: edit the example goal and story, then run `cairn check`\n");
    print(&out)?;
    Ok(Exit::Ok)
}
