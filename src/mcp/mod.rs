//! `cairn mcp`: a Model Context Protocol server over stdio, so that AI agents read and edit the
//! plan through cairn's own rules.
//!
//! The tools ([`tools`]) are the CLI's commands, answered from a plan kept in memory
//! ([`crate::live::LivePlan`], shared with the language server), and every write goes through the
//! engine the CLI uses: `new`'s id minting, `set`'s minimal edits, `sprint plan --write`, atomic
//! writes, and a check of the plan as it would be, which refuses an edit that adds an error.
//! Items are resources (`cairn://item/ID`); a file watcher keeps the plan in step with the disk
//! and tells clients what changed. docs/agents.md is the user's guide.

mod paths;
pub mod resources;
pub mod schema;
mod server;
mod session;
pub mod tools;
mod transport;
pub mod values;
mod watch;

use std::path::Path;

/// How the server runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Today's date, `YYYY-MM-DD` (default: the system date at each call), for tests.
    pub today: Option<String>,
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The async runtime could not start.
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
    /// The session ended before it began (the client did not open it as MCP asks).
    #[error("the MCP session did not start: {0}")]
    Start(String),
}

/// Serves the plan at `root` on standard input and output until the input closes.
pub fn serve_stdio(root: &Path, options: Options) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(serve(
        root,
        options,
        tokio::io::stdin(),
        Box::new(std::io::stdout()),
    ))
}

/// Serves the plan at `root` on `input` and `output`.
pub async fn serve(
    root: &Path,
    options: Options,
    input: impl tokio::io::AsyncRead + Unpin + Send + 'static,
    output: Box<dyn std::io::Write + Send>,
) -> Result<(), ServeError> {
    let mut session = session::Session::new(root, options.today);
    let items = session.live.plan().items.len();
    eprintln!(
        "cairn mcp {}: serving the plan at {} ({items} item{})",
        env!("CARGO_PKG_VERSION"),
        session.live.root().display(),
        if items == 1 { "" } else { "s" }
    );
    if !session.plan_dir().is_dir() {
        eprintln!(
            "cairn mcp: no plan directory `{}` there yet; tools fail until there is one (`cairn init`)",
            session.live.config().plan_dir
        );
    }
    let shared = server::Shared::new(session);
    shared.watch();
    let notifier = tokio::spawn(std::sync::Arc::clone(&shared).notify_loop());
    let handler = server::Server { shared };
    let transport = transport::LineTransport::new(input, output);
    let outcome = match rmcp::serve_server(handler, transport).await {
        Ok(running) => {
            let _ = running.waiting().await;
            Ok(())
        }
        Err(rmcp::service::ServerInitializeError::ConnectionClosed(_)) => Ok(()),
        Err(e) => Err(ServeError::Start(e.to_string())),
    };
    notifier.abort();
    outcome
}
