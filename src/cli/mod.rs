//! Command-line definitions and the glue from arguments to engine calls and renderers.

mod check;
mod completions;
mod context;
mod diff;
mod forecast;
mod graph;
mod hook;
mod import;
mod init;
mod list;
mod lsp;
mod man;
mod mcp;
mod new;
mod rank;
mod renumber;
mod report;
mod schema;
mod set;
mod show;
mod site;
mod sprint;
mod stale;

use anyhow::Context as _;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
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
    /// Forecast from git history when open goals and stories will be done (Monte Carlo).
    Forecast(forecast::Args),
    /// Write the plan as a static website: roadmap, board, backlog, sprints, graph, a page per item.
    Site(site::Args),
    /// Draw the goal → story tree and dependency edges as Mermaid, Graphviz dot or JSON.
    Graph(graph::Args),
    /// List open items whose parent goal changed in substance after they were last touched.
    Stale(stale::Args),
    /// Run the language server (stdio): diagnostics as you type, go to definition, completion.
    Lsp(lsp::Args),
    /// Run the MCP server (stdio) for AI agents: tools that read and edit the plan by its rules.
    Mcp(mcp::Args),
    /// Print a JSON Schema of the front matter under the current config.
    Schema(schema::Args),
    /// Print a shell completion script (bash, zsh, fish, PowerShell, elvish).
    Completions(completions::Args),
    /// Print a manual page, or write them all with `-o DIR`.
    Man(man::Args),
}

/// The whole command-line definition, for completions and manual pages.
fn command() -> clap::Command {
    Cli::command()
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
    // Read the git config files git itself would (`GIT_CONFIG_GLOBAL`, `GIT_CONFIG_SYSTEM`,
    // `GIT_CONFIG_NOSYSTEM`). Should libgit2 refuse, its defaults stay: nothing to stop for.
    let search = cairn::git::config_env::ConfigSearch::from_env(|k| std::env::var_os(k));
    // SAFETY: nothing else runs yet, so no other thread is using git2.
    let _ = unsafe { search.apply() };
    // A shell asking for completions (`CAIRN_COMPLETE=bash cairn -- …`) is answered and exits here.
    clap_complete::CompleteEnv::with_factory(command)
        .var(completions::VAR)
        .complete();
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
        Command::Forecast(args) => forecast::run(&ctx, args),
        Command::Graph(args) => graph::run(&ctx, args),
        Command::Site(args) => site::run(&ctx, args),
        Command::Stale(args) => stale::run(&ctx, args),
        Command::Lsp(args) => lsp::run(&ctx, args),
        Command::Mcp(args) => mcp::run(&ctx, args),
        Command::Schema(args) => schema::run(&ctx, args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(&ctx, args),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            // `{:#}` prints the chain; no engine error both quotes its cause and returns it as
            // `source()`, so each cause is said once (see the tests below).
            let _ = writeln!(
                std::io::stderr(),
                "{}: {e:#}",
                ctx.paint("error", "\x1b[1;31m")
            );
            ExitCode::from(Exit::Failure as u8)
        }
    }
}

/// Writes `text` to standard output.
///
/// A reader that stops early (`cairn check | head -1`) closes the pipe: the rest of the output is
/// dropped quietly and the command goes on, so its exit code still says what the run found.
/// (Rust ignores `SIGPIPE`, so the write fails with `EPIPE` instead of killing the process.)
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.context("cannot write to standard output"),
    }
}

#[cfg(test)]
mod tests {
    use cairn::git::GitError;
    use std::path::PathBuf;

    /// What `main` prints for `e`: the message and its chain, as `{:#}` renders it.
    fn printed(e: impl std::error::Error + Send + Sync + 'static) -> String {
        format!("{:#}", anyhow::Error::new(e))
    }

    fn io() -> std::io::Error {
        std::io::Error::other("Not a directory (os error 20)")
    }

    fn git() -> git2::Error {
        git2::Error::new(
            git2::ErrorCode::NotFound,
            git2::ErrorClass::Odb,
            "object not found - no match for id (0becdd3f)",
        )
    }

    /// Regression: `report metrics` printed libgit2's message twice on one line, because
    /// `GitError::Git` quoted its cause and also returned it as `source()`. Every engine error
    /// with a cause is listed here: the cause is said exactly once.
    #[test]
    fn every_cause_is_printed_once() {
        let path = || PathBuf::from("plan/S-1.md");
        let io_cases = [
            printed(cairn::init::InitError::Io {
                path: path(),
                error: io(),
            }),
            printed(cairn::new::NewError::Io {
                action: "write",
                path: path(),
                error: io(),
            }),
            printed(cairn::renumber::RenumberError::Read {
                file: "plan/S-1.md".into(),
                error: io(),
            }),
            printed(cairn::renumber::RenumberError::Ids(
                cairn::ids::IdsError::Io {
                    dir: "plan".into(),
                    error: io(),
                },
            )),
            printed(cairn::hook::HookError::Io {
                path: path(),
                error: io(),
            }),
            printed(cairn::LoadError::Io {
                what: "plan/S-1.md".into(),
                error: io(),
            }),
            printed(cairn::diff::DiffError::Load {
                place: "at HEAD".into(),
                error: cairn::LoadError::Io {
                    what: "plan/S-1.md".into(),
                    error: io(),
                },
            }),
            printed(cairn::ids::IdsError::Io {
                dir: "plan".into(),
                error: io(),
            }),
        ];
        for text in io_cases {
            assert_eq!(text.matches("Not a directory").count(), 1, "{text}");
        }
        let git_cases = [
            printed(GitError::from(git())),
            printed(cairn::hook::HookError::from(git())),
            printed(cairn::diff::DiffError::Git(GitError::from(git()))),
            printed(cairn::ids::IdsError::Git(GitError::from(git()))),
        ];
        for text in git_cases {
            assert_eq!(text.matches("object not found").count(), 1, "{text}");
            // libgit2's class and code mean nothing to a user.
            assert!(!text.contains("class="), "{text}");
        }
    }

    #[test]
    fn context_and_cause_are_both_printed() {
        let e = anyhow::Error::new(std::io::Error::other("disk full")).context("cannot write x.md");
        assert_eq!(format!("{e:#}"), "cannot write x.md: disk full");
    }
}
