//! `cairn lsp`: the language server, on standard input and output.

use super::context::Context;
use super::Exit;
use std::io::BufReader;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Talk over standard input and output (the only transport; accepted for clients that pass it).
    #[arg(long)]
    stdio: bool,
}

pub fn run(ctx: &Context, _args: Args) -> anyhow::Result<Exit> {
    let cwd = ctx.cwd()?;
    let (conn, transport) =
        cairn::lsp::connect(BufReader::new(std::io::stdin()), std::io::stdout());
    let ended = cairn::lsp::serve(&conn, &cwd);
    drop(conn);
    transport.join()?;
    Ok(match ended {
        cairn::lsp::Ended::Exit => Exit::Ok,
        cairn::lsp::Ended::Abandoned => Exit::Findings,
    })
}
