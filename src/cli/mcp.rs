//! `cairn mcp`: the Model Context Protocol server, on standard input and output.

use super::context::Context;
use super::Exit;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Speaks MCP (2026-07-28, and 2025-11-25 back to 2024-11-05 through `initialize`) as JSON-RPC lines on standard input and output; logs go to standard error. docs/agents.md has the tools and the set-up for Claude Code, Cursor, VS Code and Zed."
)]
pub struct Args {
    /// Today's date, `YYYY-MM-DD` (default: the system date): which sprint is next or current.
    #[arg(long, value_name = "DATE", hide = true)]
    today: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let (root, _) = ctx.root()?;
    cairn::mcp::serve_stdio(&root, cairn::mcp::Options { today: args.today })?;
    Ok(Exit::Ok)
}
