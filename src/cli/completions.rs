//! `cairn completions SHELL`, and the values the shell completes from the plan.
//!
//! The default script is clap_complete's dynamic ("engine") registration: at each Tab the shell
//! runs `CAIRN_COMPLETE=SHELL cairn -- WORDS…`, and cairn answers from its own command definition
//! (subcommands, flags, `--format` values, report names) plus the plan in the current folder (item
//! ids, kinds, statuses, sprints, tags). `--static` prints clap_complete's ahead-of-time script
//! instead, which never runs cairn while completing and so knows nothing of the plan.

use super::{print, Exit};
use clap::ValueEnum;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{EnvCompleter, Shells};
use std::ffi::OsString;
use std::path::PathBuf;

/// The environment variable that turns a run of cairn into a completion request. Not clap's
/// default `COMPLETE`: a variable that generic is too easily set for something else.
pub const VAR: &str = "CAIRN_COMPLETE";

#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Load the script from your shell's start-up file, so it always matches the installed cairn:
  bash        echo 'eval \"$(cairn completions bash)\"' >> ~/.bashrc
  zsh         echo 'source <(cairn completions zsh)' >> ~/.zshrc
  fish        echo 'cairn completions fish | source' >> ~/.config/fish/config.fish
  elvish      echo 'eval (cairn completions elvish | slurp)' >> ~/.config/elvish/rc.elv
  PowerShell  Add-Content $PROFILE 'cairn completions powershell | Out-String | Invoke-Expression'

Item ids, kinds, statuses, sprints and tags are read from the plan of the folder the shell is in
(or the one given with -C). See docs/install.md#shell-completion.")]
pub struct Args {
    /// The shell to write the script for.
    #[arg(value_enum)]
    shell: Shell,
    /// A script that never runs cairn while completing: subcommands, flags and fixed values
    /// only, no item ids, kinds or sprints from the plan.
    #[arg(long = "static")]
    static_: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// Appended to clap_complete's zsh registration. Sourced, the script binds its completer with
/// `compdef` and this does nothing. Installed as `_cairn` in a folder on `fpath` (the release
/// archives' `complete/_cairn`, package managers' `site-functions`), compinit instead runs the
/// file as the function `_cairn` on the first Tab, which would only bind the completer for the
/// next Tab: this completes the first one too.
const ZSH_AUTOLOAD: &str = "
# Autoloaded from fpath as _cairn: complete this Tab too, not only the next ones.
if [[ ${funcstack[1]-} == _cairn ]]; then
    _clap_dynamic_completer_cairn \"$@\"
fi
";

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let mut out = Vec::new();
    if args.static_ {
        let shell = match args.shell {
            Shell::Bash => clap_complete::Shell::Bash,
            Shell::Zsh => clap_complete::Shell::Zsh,
            Shell::Fish => clap_complete::Shell::Fish,
            Shell::Powershell => clap_complete::Shell::PowerShell,
            Shell::Elvish => clap_complete::Shell::Elvish,
        };
        clap_complete::generate(shell, &mut super::command(), "cairn", &mut out);
    } else {
        let name = args
            .shell
            .to_possible_value()
            .expect("not skipped")
            .get_name()
            .to_string();
        let shells = Shells::builtins();
        let shell: &dyn EnvCompleter = shells.completer(&name).expect("a built-in shell");
        // The script calls the `cairn` on PATH, not the path this one was started from: it is
        // written to start-up files and release archives, where a build folder means nothing.
        shell.write_registration(VAR, "cairn", "cairn", "cairn", &mut out)?;
        if let Shell::Zsh = args.shell {
            out.extend_from_slice(ZSH_AUTOLOAD.as_bytes());
        }
    }
    print(&String::from_utf8(out)?)?;
    Ok(Exit::Ok)
}

/// The plan the command line being completed would act on: `-C DIR` among its words, else the
/// folder the shell is in. `None` when it does not load (no plan there, a broken config).
fn plan() -> Option<cairn::Plan> {
    let mut cwd = std::env::current_dir().ok()?;
    if let Some(dir) = dir_option(std::env::args_os()) {
        cwd = cwd.join(dir);
    }
    let (root, _) = cairn::root::find_root(&dunce::canonicalize(&cwd).ok()?);
    cairn::Plan::load(&cairn::source::WorkTree::new(root)).ok()
}

/// The value of the last `-C DIR` (`-CDIR`, `-C=DIR`) in a completion request's words, which
/// come after the first `--`. A leading `~/` is the home folder: the shell has not expanded it.
fn dir_option(args: impl IntoIterator<Item = OsString>) -> Option<PathBuf> {
    let words: Vec<String> = args
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .skip_while(|a| a != "--")
        .skip(1)
        .collect();
    let mut dir = None;
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if w == "--" {
            break;
        }
        if w == "-C" {
            dir = words.get(i + 1).cloned();
            i += 1;
        } else if let Some(rest) = w.strip_prefix("-C") {
            dir = Some(rest.strip_prefix('=').unwrap_or(rest).to_string());
        }
        i += 1;
    }
    let dir = dir.filter(|d| !d.is_empty())?;
    match (dir.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Some(PathBuf::from(home).join(rest)),
        _ => Some(PathBuf::from(dir)),
    }
}

fn candidate(value: &str, help: String) -> CompletionCandidate {
    CompletionCandidate::new(value).help((!help.is_empty()).then(|| help.into()))
}

/// Every item id, in kind order then by number, with its title.
pub fn ids() -> Vec<CompletionCandidate> {
    let Some(plan) = plan() else {
        return Vec::new();
    };
    items(&plan, |_| true)
}

/// The ids of items that others can be under (goals, and any kind some kind names as parent).
pub fn parents() -> Vec<CompletionCandidate> {
    let Some(plan) = plan() else {
        return Vec::new();
    };
    let kinds = &plan.config.kinds;
    items(&plan, |kind| {
        kinds
            .iter()
            .any(|k| k.parent.as_deref() == Some(kinds[kind].name.as_str()))
    })
}

fn items(plan: &cairn::Plan, keep: impl Fn(usize) -> bool) -> Vec<CompletionCandidate> {
    let mut items: Vec<_> = plan.items.iter().filter(|i| keep(i.kind)).collect();
    items.sort_by(|a, b| (a.kind, a.number, &a.id).cmp(&(b.kind, b.number, &b.id)));
    items.dedup_by(|a, b| a.id == b.id);
    items
        .iter()
        .map(|i| candidate(&i.id, i.title.clone()))
        .collect()
}

/// The kinds of the config, with their id prefix.
pub fn kinds() -> Vec<CompletionCandidate> {
    let Some(plan) = plan() else {
        return Vec::new();
    };
    plan.config
        .kinds
        .iter()
        .map(|k| {
            let parent = k
                .parent
                .as_ref()
                .map(|p| format!(", under a {p}"))
                .unwrap_or_default();
            candidate(&k.name, format!("{}-N{parent}", k.prefix))
        })
        .collect()
}

/// Every status of every kind, with its category and the kinds that have it.
pub fn statuses() -> Vec<CompletionCandidate> {
    let Some(plan) = plan() else {
        return Vec::new();
    };
    let mut seen: Vec<(String, String, Vec<String>)> = Vec::new();
    for kind in &plan.config.kinds {
        for (status, category) in &kind.statuses {
            match seen.iter_mut().find(|(s, _, _)| s == status) {
                Some((_, _, kinds)) => kinds.push(kind.name.clone()),
                None => seen.push((
                    status.clone(),
                    category.to_string(),
                    vec![kind.name.clone()],
                )),
            }
        }
    }
    seen.into_iter()
        .map(|(s, c, k)| candidate(&s, format!("{c} ({})", k.join(", "))))
        .collect()
}

/// The sprints of the config, with their dates.
pub fn sprints() -> Vec<CompletionCandidate> {
    let Some(plan) = plan() else {
        return Vec::new();
    };
    plan.config
        .sprints
        .iter()
        .map(|s| {
            let dates = match (&s.start, &s.end) {
                (Some(a), Some(b)) => format!("{a} to {b}"),
                (Some(a), None) => format!("from {a}"),
                (None, Some(b)) => format!("until {b}"),
                (None, None) => String::new(),
            };
            candidate(&s.name, dates)
        })
        .collect()
}

/// The tags used in the plan, most used first.
pub fn tags() -> Vec<CompletionCandidate> {
    let Some(plan) = plan() else {
        return Vec::new();
    };
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for tag in plan.items.iter().flat_map(|i| &i.tags) {
        match counts.iter_mut().find(|(t, _)| t == tag) {
            Some((_, n)) => *n += 1,
            None => counts.push((tag, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
        .into_iter()
        .map(|(t, n)| candidate(t, format!("{n} item{}", if n == 1 { "" } else { "s" })))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(words: &[&str]) -> Option<PathBuf> {
        dir_option(words.iter().map(OsString::from))
    }

    #[test]
    fn finds_the_dir_option_among_the_words() {
        assert_eq!(dir(&["cairn", "--", "cairn", "show", ""]), None);
        assert_eq!(
            dir(&["cairn", "--", "cairn", "-C", "a b", "show"]),
            Some("a b".into())
        );
        assert_eq!(
            dir(&["cairn", "--", "cairn", "-Cdocs", "show"]),
            Some("docs".into())
        );
        assert_eq!(
            dir(&["cairn", "--", "cairn", "-C=docs", "show"]),
            Some("docs".into())
        );
        // Before the request's `--`, the words are cairn's own; after a second one, positionals.
        assert_eq!(dir(&["cairn", "-C", "x", "--", "cairn", "show"]), None);
        assert_eq!(dir(&["cairn", "--", "cairn", "x", "--", "-C", "y"]), None);
        // The last one wins, as for the command itself.
        assert_eq!(
            dir(&["cairn", "--", "cairn", "-C", "a", "-C", "b", "list"]),
            Some("b".into())
        );
    }
}
