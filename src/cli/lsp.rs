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
    match transport.join() {
        // The client closed its end without `exit`: `ended` says so, and the exit code with it.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        result => result?,
    }
    Ok(match ended {
        cairn::lsp::Ended::Exit => Exit::Ok,
        cairn::lsp::Ended::Abandoned => Exit::Findings,
    })
}
