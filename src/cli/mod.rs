//! Command-line definitions and the glue from arguments to engine calls and renderers.

mod check;
mod context;
mod diff;
mod graph;
mod hook;
mod import;
mod init;
mod list;
mod lsp;
mod new;
mod rank;
mod renumber;
mod report;
mod schema;
mod set;
mod show;
mod sprint;
mod stale;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// A Git-native, plain-text planner: roadmap goals and user stories as Markdown, validated,
/// prioritised and reported.
#[derive(Debug, Parser)]
#[command(name = "cairn", version, about, max_term_width = 100)]
struct Cli {
    /// Run as if cairn was started in DIR.
    #[arg(short = 'C', value_name = "DIR", global = true)]
    dir: Option<PathBuf>,
    /// When to use colour (`auto` honours NO_COLOR and whether output is a terminal).
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create cairn.yaml and a first goal and story.
    Init(init::Args),
    /// Validate the plan: every item, reference and link.
    Check(check::Args),
    /// List items, with filters.
    List(list::Args),
    /// Show one item with its parent, children, dependencies and progress.
    Show(show::Args),
    /// Create an item from its kind's template with the next free id; prints its path.
    New(new::Args),
    /// Install or remove the git pre-commit hook that runs `cairn check --staged`.
    Hook(hook::Args),
    /// Compare the plan between two revisions, a revision and the work tree, or HEAD and the index.
    Diff(diff::Args),
    /// Edit front-matter fields in place (`status=done`), changing only those lines.
    Set(set::Args),
    /// Give an item a new id and rewrite every reference to it across the plan.
    Renumber(renumber::Args),
    /// Bring an existing backlog in: a Backlog.md folder, a GitHub issue export, a Jira CSV.
    Import(import::Args),
    /// Rank items by MoSCoW class and score, dependencies first; `--explain` shows the arithmetic.
    Rank(rank::Args),
    /// Plan sprints: `cairn sprint plan [SPRINT]` fills one in rank order up to capacity.
    Sprint(sprint::Args),
    /// Render a report (roadmap, backlog, sprint, alignment, metrics) as Markdown, HTML, JSON, CSV.
    Report(report::Args),
    /// Draw the goal → story tree and dependency edges as Mermaid, Graphviz dot or JSON.
    Graph(graph::Args),
    /// List open items whose parent goal changed in substance after they were last touched.
    Stale(stale::Args),
    /// Run the language server (stdio): diagnostics as you type, go to definition, completion.
    Lsp(lsp::Args),
    /// Print a JSON Schema of the front matter under the current config.
    Schema(schema::Args),
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success, no findings at error level.
    Ok = 0,
    /// Findings at error level.
    Findings = 1,
    /// The run itself failed.
    Failure = 2,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                Exit::Failure as u8
            } else {
                0
            });
        }
    };
    let ctx = context::Context::new(cli.dir.clone(), cli.color);
    let result = match cli.command {
        Command::Init(args) => init::run(&ctx, args),
        Command::Check(args) => check::run(&ctx, args),
        Command::List(args) => list::run(&ctx, args),
        Command::Show(args) => show::run(&ctx, args),
        Command::New(args) => new::run(&ctx, args),
        Command::Hook(args) => hook::run(&ctx, args),
        Command::Diff(args) => diff::run(&ctx, args),
        Command::Set(args) => set::run(&ctx, args),
        Command::Renumber(args) => renumber::run(&ctx, args),
        Command::Import(args) => import::run(&ctx, args),
        Command::Rank(args) => rank::run(&ctx, args),
        Command::Sprint(args) => sprint::run(&ctx, args),
        Command::Report(args) => report::run(&ctx, args),
        Command::Graph(args) => graph::run(&ctx, args),
        Command::Stale(args) => stale::run(&ctx, args),
        Command::Lsp(args) => lsp::run(&ctx, args),
        Command::Schema(args) => schema::run(&ctx, args),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "{}: {e:#}",
                ctx.paint("error", "\x1b[1;31m")
            );
            ExitCode::from(Exit::Failure as u8)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes `text` to standard output.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}
