//! `cairn completions SHELL`: the scripts load in real shells and complete through each shell's
//! own machinery: subcommands, flags and values from the command line, and item ids, kinds and
//! sprints from the plan. Each test skips, saying so, when its shell is not installed (.ci/run
//! installs bash, zsh and fish, so CI runs them all).

mod common;

use common::{ok, Test};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A plan with a custom kind, two sprints and items whose ids sort differently as text.
fn plan() -> Test {
    Test::new()
        .config(
            "kinds:\n  epic:\n    prefix: E\n    parent: goal\n  story:\n    prefix: S\n    parent: epic\n\
             sprints:\n  - { name: 2027-S1, start: 2027-01-04, end: 2027-01-15, capacity: 10 }\n\
             \x20 - { name: 2027-S2, start: 2027-01-18, end: 2027-01-29, capacity: 10 }\n",
        )
        .item("G-1", "title: Onboarding\nstatus: active\n", "")
        .item("G-2", "title: Billing\nstatus: active\n", "")
        .item("G-10", "title: Reporting\nstatus: proposed\n", "")
        .item("E-1", "title: Sign-up flow\nstatus: active\ngoal: G-1\n", "")
        .item("S-1", "title: Email sign-up\nstatus: draft\nepic: E-1\n", "")
}

/// The folder holding the cairn under test, first on PATH: the scripts call `cairn`.
fn path_env() -> String {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_cairn"));
    let dir = bin.parent().unwrap().to_path_buf();
    let system = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![dir];
    paths.extend(std::env::split_paths(&system));
    std::env::join_paths(paths)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// `program ARGS` in `dir` with nothing from the machine's environment but PATH: HOME is an
/// empty folder, so no start-up file of the person running the tests is read.
fn shell(program: &str, args: &[&str], dir: &Path) -> Option<(i32, String, String)> {
    if cfg!(windows) {
        // `bash` there may be WSL's launcher in System32, which Command finds before PATH.
        eprintln!("skipped: {program} completion tests run on Unix only");
        return None;
    }
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", path_env())
        .env("HOME", home.path())
        .env("TERM", "xterm")
        .env("LC_ALL", "C.UTF-8")
        .output();
    match out {
        Ok(out) => Some((
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("skipped: `{program}` is not installed (apt-get install {program})");
            None
        }
        Err(e) => panic!("cannot run {program}: {e}"),
    }
}

/// Runs a bash script after `eval "$(cairn completions bash [--static])"`, the set-up that
/// docs/install.md and `cairn completions --help` give; `complete_line` is
/// a function that fills COMP_* for a command line and prints what the completion function
/// put in COMPREPLY, one per line.
fn bash(dir: &Path, flags: &str, body: &str) -> Option<String> {
    // `eval`, not `source <(…)`, which reads nothing in the bash 3.2 of macOS.
    let load = format!(
        "script=$(cairn completions bash {flags}) || exit 3\n\
         eval \"$script\" || exit 3"
    );
    bash_with(dir, &load, body)
}

/// Like [`bash`], with `load` as the set-up that registers the completion.
fn bash_with(dir: &Path, load: &str, body: &str) -> Option<String> {
    let script = format!(
        r#"set -u
{load}
complete_line() {{
    local line="$1"
    COMP_LINE="$line"; COMP_POINT=${{#line}}; COMP_TYPE=9; COMP_KEY=9
    read -r -a COMP_WORDS <<< "$line"
    if [[ "$line" == *" " ]]; then COMP_WORDS+=(""); fi
    COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
    local spec fn
    spec=$(complete -p cairn) || exit 4
    fn=$(sed -E 's/.* -F ([^ ]+) .*/\1/' <<< "$spec")
    COMPREPLY=()
    "$fn" cairn "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
    printf '%s\n' "${{COMPREPLY[@]}}"
}}
{body}
"#
    );
    let (code, stdout, stderr) = shell("bash", &["--norc", "--noprofile", "-c", &script], dir)?;
    assert_eq!(code, 0, "bash failed:\n{stdout}\n{stderr}");
    Some(stdout)
}

fn lines(s: &str) -> Vec<&str> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
}

#[test]
fn bash_completes_subcommands_flags_and_values() {
    let t = plan();
    let Some(out) = bash(t.path(), "", "complete -p cairn; echo ==; complete_line 'cairn rep'; echo ==; complete_line 'cairn check --format g'; echo ==; complete_line 'cairn report a'")
    else {
        return;
    };
    let parts: Vec<&str> = out.split("==\n").collect();
    assert!(parts[0].contains("-F _clap_complete_cairn cairn"), "{out}");
    assert_eq!(lines(parts[1]), ["report"], "{out}");
    assert_eq!(lines(parts[2]), ["github", "gitlab"], "{out}");
    assert_eq!(lines(parts[3]), ["alignment"], "{out}");
}

#[test]
fn bash_completes_ids_kinds_and_sprints_from_the_plan() {
    let t = plan();
    let Some(out) = bash(
        t.path(),
        "",
        "complete_line 'cairn show G-'; echo ==; complete_line 'cairn new '; echo ==; \
         complete_line 'cairn sprint plan 2027'; echo ==; complete_line 'cairn list --kind epic,s'; \
         echo ==; complete_line 'cairn list --status prop'",
    ) else {
        return;
    };
    let parts: Vec<&str> = out.split("==\n").collect();
    // By number, not as text: G-10 after G-2.
    assert_eq!(lines(parts[0]), ["G-1", "G-2", "G-10"], "{out}");
    let kinds = lines(parts[1]);
    for kind in ["goal", "epic", "story"] {
        assert!(kinds.contains(&kind), "{kind} missing: {out}");
    }
    assert_eq!(lines(parts[2]), ["2027-S1", "2027-S2"], "{out}");
    assert_eq!(lines(parts[3]), ["epic,story"], "{out}");
    assert_eq!(lines(parts[4]), ["proposed"], "{out}");
}

#[test]
fn bash_completes_the_plan_named_with_dash_c() {
    let t = plan();
    std::fs::create_dir(t.path().join("elsewhere")).unwrap();
    let outside = t.path().join("elsewhere");
    let root = t.path().display().to_string();
    let Some(out) = bash(
        &outside,
        "",
        &format!("complete_line 'cairn -C {root} set E'; echo ==; complete_line 'cairn show G'"),
    ) else {
        return;
    };
    let parts: Vec<&str> = out.split("==\n").collect();
    assert_eq!(lines(parts[0]), ["E-1"], "{out}");
    // `elsewhere` is inside the plan's folder, so its plan is found by walking up.
    assert_eq!(lines(parts[1]), ["G-1", "G-2", "G-10"], "{out}");
}

#[test]
fn bash_completes_nothing_from_outside_a_plan_without_an_error() {
    let t = Test::empty().config("kinds: [not a mapping\n");
    let Some(out) = bash(
        t.path(),
        "",
        "complete_line 'cairn show '; echo ==; complete_line 'cairn sh'",
    ) else {
        return;
    };
    let parts: Vec<&str> = out.split("==\n").collect();
    assert!(
        lines(parts[0]).iter().all(|l| l.starts_with('-')),
        "only flags without a plan: {out}"
    );
    assert_eq!(lines(parts[1]), ["show"], "{out}");
}

#[test]
fn bash_static_script_loads_and_completes_subcommands() {
    let t = plan();
    let Some(out) = bash(
        t.path(),
        "--static",
        "complete -p cairn; echo ==; complete_line 'cairn rep'; echo ==; complete_line 'cairn report ro'",
    ) else {
        return;
    };
    let parts: Vec<&str> = out.split("==\n").collect();
    assert!(parts[0].contains(" -F _cairn cairn"), "{out}");
    assert_eq!(lines(parts[1]), ["report"], "{out}");
    assert_eq!(lines(parts[2]), ["roadmap"], "{out}");
}

/// bash-completion, where most bash users get their completions from. Debian's package puts it
/// here; Homebrew's and MSYS2's elsewhere, which these tests do not look for.
const BASH_COMPLETION: &str = "/usr/share/bash-completion/bash_completion";

/// The release archives ship `complete/cairn.bash` for bash-completion's folder of completions
/// (`~/.local/share/bash-completion/completions`, `/usr/share/bash-completion/completions`),
/// which it loads the first time `cairn` is completed.
#[test]
fn bash_completion_loads_the_script_from_its_folder_on_demand() {
    if !Path::new(BASH_COMPLETION).exists() {
        eprintln!("skipped: no {BASH_COMPLETION} (apt-get install bash-completion)");
        return;
    }
    let t = plan();
    let data = tempfile::tempdir().unwrap();
    let completions = data.path().join("completions");
    std::fs::create_dir(&completions).unwrap();
    let script = t.run(&["completions", "bash"]);
    ok(&script);
    std::fs::write(completions.join("cairn.bash"), &script.stdout).unwrap();
    let load = format!(
        "export BASH_COMPLETION_USER_DIR={}\n\
         source {BASH_COMPLETION} || exit 3\n\
         complete -p cairn >/dev/null 2>&1 && {{ echo 'registered too early'; exit 5; }}\n\
         # What bash does on the first Tab after a command without a completion: the default\n\
         # completion, bash-completion's loader, which asks for a retry (124) once it found one.\n\
         _completion_loader cairn; [ $? -eq 124 ] || exit 6",
        shell_quote(&data.path().display().to_string())
    );
    let Some(out) = bash_with(
        t.path(),
        &load,
        "complete_line 'cairn rep'; echo ==; complete_line 'cairn show G-'",
    ) else {
        return;
    };
    let parts: Vec<&str> = out.split("==\n").collect();
    assert_eq!(lines(parts[0]), ["report"], "{out}");
    assert_eq!(lines(parts[1]), ["G-1", "G-2", "G-10"], "{out}");
}

/// Types `line` and a Tab into an interactive zsh (under `zpty`, with `compinit` and the
/// script loaded), and returns the screen output once `expect` shows up (or after 10 seconds).
fn zsh(dir: &Path, flags: &str, line: &str, expect: &str) -> Option<String> {
    let load =
        format!("autoload -U compinit; compinit -u -D; source <(cairn completions zsh {flags})");
    zsh_with(dir, &load, line, expect)
}

/// Like [`zsh`], with `load` as the shell's set-up (what a user's `.zshrc` would hold).
fn zsh_with(dir: &Path, load: &str, line: &str, expect: &str) -> Option<String> {
    let script = format!(
        r#"zmodload zsh/zpty || exit 3
setopt extended_glob
zpty z 'zsh -f -i'
zpty -w z {setup}
zpty -w -n z {line}$'\t'
out=""
for i in {{1..100}}; do
  if zpty -r -t z chunk; then out+=$chunk; else sleep 0.1; fi
  # The line editor's escapes (a bold space after the completed word) out of the way.
  plain=${{${{out//$'\e'\[[0-9;?]#[A-Za-z]/}}//[$'\r\b']/}}
  [[ $plain == *{expect}* ]] && break
done
zpty -d z
print -r -- "$out"
"#,
        setup = shell_quote(&format!(
            r#"PS1="> "; {load}; print loaded-$+_comps[cairn]"#
        )),
        line = shell_quote(line),
        expect = shell_quote(expect),
    );
    let (code, stdout, stderr) = shell("zsh", &["-f", "-c", &script], dir)?;
    assert_eq!(code, 0, "zsh failed:\n{stdout}\n{stderr}");
    // The terminal's escapes and carriage returns out of the way.
    let ansi = regex::Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]|[\r\x07\x08]").unwrap();
    Some(ansi.replace_all(&stdout, "").into_owned())
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[test]
fn zsh_completes_a_subcommand() {
    let t = plan();
    let Some(out) = zsh(t.path(), "", "cairn rep", "cairn report ") else {
        return;
    };
    assert!(
        out.contains("loaded-1"),
        "not registered with compdef:\n{out}"
    );
    assert!(out.contains("cairn report "), "{out}");
}

#[test]
fn zsh_lists_item_ids_with_their_titles() {
    let t = plan();
    let Some(out) = zsh(t.path(), "", "cairn show G-", "Reporting") else {
        return;
    };
    for (id, title) in [
        ("G-1", "Onboarding"),
        ("G-2", "Billing"),
        ("G-10", "Reporting"),
    ] {
        let shown = regex::Regex::new(&format!(r"{id}\s+--\s+{title}")).unwrap();
        assert!(shown.is_match(&out), "{id} -- {title} not listed:\n{out}");
    }
}

/// The release archives ship the zsh script as `complete/_cairn`, for a folder on `fpath`, where
/// compinit autoloads it as the function `_cairn` on the first Tab. clap_complete's script only
/// registers its completer when run, so without the bridge cairn appends, that first Tab
/// completed nothing and only the second one worked.
#[test]
fn zsh_completes_on_the_first_tab_when_autoloaded_from_fpath() {
    let t = plan();
    for flags in [&[][..], &["--static"][..]] {
        let functions = tempfile::tempdir().unwrap();
        let mut args = vec!["completions", "zsh"];
        args.extend(flags);
        let script = t.run(&args);
        ok(&script);
        std::fs::write(functions.path().join("_cairn"), &script.stdout).unwrap();
        let load = format!(
            "fpath=({} $fpath); autoload -U compinit; compinit -u -D",
            shell_quote(&functions.path().display().to_string())
        );
        let Some(out) = zsh_with(t.path(), &load, "cairn rep", "cairn report ") else {
            return;
        };
        assert!(
            out.contains("loaded-1"),
            "{flags:?}: compinit did not find _cairn:\n{out}"
        );
        assert!(out.contains("cairn report "), "{flags:?}: {out}");
    }
}

#[test]
fn zsh_static_script_completes_a_subcommand() {
    let t = plan();
    let Some(out) = zsh(t.path(), "--static", "cairn rep", "cairn report ") else {
        return;
    };
    assert!(
        out.contains("loaded-1"),
        "not registered with compdef:\n{out}"
    );
    assert!(out.contains("cairn report "), "{out}");
}

/// `complete -C LINE` in fish after loading the script: each candidate and its description.
fn fish(dir: &Path, flags: &str, line: &str) -> Option<String> {
    let script = format!(
        "cairn completions fish {flags} | source; or exit 3; complete -C {}",
        shell_quote(line)
    );
    let (code, stdout, stderr) = shell("fish", &["--no-config", "-c", &script], dir)?;
    assert_eq!(code, 0, "fish failed:\n{stdout}\n{stderr}");
    Some(stdout)
}

#[test]
fn fish_completes_a_subcommand_and_ids() {
    let t = plan();
    let Some(out) = fish(t.path(), "", "cairn rep") else {
        return;
    };
    assert_eq!(lines(&out)[0].split('\t').next(), Some("report"), "{out}");
    let out = fish(t.path(), "", "cairn show G-").unwrap();
    assert_eq!(
        lines(&out),
        ["G-1\tOnboarding", "G-2\tBilling", "G-10\tReporting"],
        "{out}"
    );
    let out = fish(t.path(), "", "cairn report sprint 2027-S").unwrap();
    assert_eq!(
        lines(&out),
        [
            "2027-S1\t2027-01-04 to 2027-01-15",
            "2027-S2\t2027-01-18 to 2027-01-29"
        ],
        "{out}"
    );
}

/// The release archives ship `complete/cairn.fish` for a folder of fish's `fish_complete_path`
/// (`~/.config/fish/completions`), which fish loads the first time `cairn` is completed.
#[test]
fn fish_loads_the_script_from_its_completions_folder() {
    let t = plan();
    let folder = tempfile::tempdir().unwrap();
    let script = t.run(&["completions", "fish"]);
    ok(&script);
    std::fs::write(folder.path().join("cairn.fish"), &script.stdout).unwrap();
    let script = format!(
        "set -g fish_complete_path {} $fish_complete_path; complete -C 'cairn show G-'",
        shell_quote(&folder.path().display().to_string())
    );
    let Some((code, out, err)) = shell("fish", &["--no-config", "-c", &script], t.path()) else {
        return;
    };
    assert_eq!(code, 0, "fish failed:\n{out}\n{err}");
    assert_eq!(
        lines(&out),
        ["G-1\tOnboarding", "G-2\tBilling", "G-10\tReporting"],
        "{out}"
    );
}

#[test]
fn fish_static_script_completes_a_subcommand() {
    let t = plan();
    let Some(out) = fish(t.path(), "--static", "cairn rep") else {
        return;
    };
    assert!(
        lines(&out).iter().any(|l| l.starts_with("report\t")),
        "{out}"
    );
}

/// What elvish's editor does on a Tab after `cairn …`: calls the arg-completer the script set,
/// in an interactive elvish (the `edit:` module exists only there) under a pseudo-terminal from
/// util-linux's `script`. Each candidate (a string, or the stem of a complex candidate from the
/// static script) on its own line.
fn elvish(dir: &Path, flags: &str, words: &str) -> Option<String> {
    match shell("script", &["-V"], dir) {
        None => return None,
        Some((0, out, _)) if out.contains("util-linux") => {}
        Some(_) => {
            eprintln!("skipped: the elvish test needs util-linux's `script`");
            return None;
        }
    }
    let input = format!(
        "eval (cairn completions elvish {flags} | slurp)\n\
         $edit:completion:arg-completer[cairn] {words} | each {{|c| \
         if (eq (kind-of $c) string) {{ echo CANDIDATE:$c }} else {{ echo CANDIDATE:$c[stem] }} }}\n\
         exit\n"
    );
    let input_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(input_file.path(), input).unwrap();
    let command = format!(
        "script -qec 'elvish -norc' /dev/null < {}",
        shell_quote(&input_file.path().display().to_string())
    );
    shell("elvish", &["-version"], dir)?;
    let (code, out, err) = shell("sh", &["-c", &command], dir)?;
    assert_eq!(code, 0, "elvish failed:\n{out}\n{err}");
    let candidates: Vec<String> = out
        .lines()
        .filter_map(|l| {
            l.split_once("CANDIDATE:")
                .map(|(_, c)| c.trim_end().to_string())
        })
        .filter(|c| !c.starts_with('$'))
        .collect();
    Some(candidates.join("\n"))
}

#[test]
fn elvish_completes_a_subcommand_and_ids() {
    let t = plan();
    let Some(out) = elvish(t.path(), "", "cairn rep") else {
        return;
    };
    assert_eq!(lines(&out), ["report"], "{out}");
    let out = elvish(t.path(), "", "cairn show G-").unwrap();
    assert_eq!(lines(&out), ["G-1", "G-2", "G-10"], "{out}");
    let out = elvish(t.path(), "--static", "cairn rep").unwrap();
    assert!(lines(&out).contains(&"report"), "{out}");
}

/// What PowerShell's Tab does, through `TabExpansion2` after loading the script as
/// docs/install.md says. PowerShell is in none of the registries the machine that runs .ci/run
/// reaches, so this runs only where `pwsh` is installed (GitHub's Linux and Windows runners);
/// elsewhere it skips. The environment is kept (PowerShell on Windows needs its variables), but
/// HOME is an empty folder and `-NoProfile` keeps the user's profile out; no telemetry, no
/// update check.
fn pwsh(dir: &Path, line: &str) -> Option<Vec<String>> {
    let script = format!(
        "$ErrorActionPreference = 'Stop'\n\
         cairn completions powershell | Out-String | Invoke-Expression\n\
         $line = {line}\n\
         (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches |\n\
         \x20 ForEach-Object {{ 'CANDIDATE:' + $_.CompletionText }}\n",
        line = shell_quote(line)
    );
    let home = tempfile::tempdir().unwrap();
    let out = Command::new("pwsh")
        .args(["-NoProfile", "-NonInteractive", "-Command", &script])
        .current_dir(dir)
        .env("PATH", path_env())
        .env("HOME", home.path())
        .env("POWERSHELL_TELEMETRY_OPTOUT", "1")
        .env("POWERSHELL_UPDATECHECK", "Off")
        .output();
    let out = match out {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("skipped: `pwsh` (PowerShell) is not installed");
            return None;
        }
        Err(e) => panic!("cannot run pwsh: {e}"),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pwsh failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        stdout
            .lines()
            .filter_map(|l| l.trim().strip_prefix("CANDIDATE:").map(str::to_string))
            .collect(),
    )
}

#[test]
fn powershell_completes_a_subcommand_and_ids() {
    let t = plan();
    let Some(out) = pwsh(t.path(), "cairn rep") else {
        return;
    };
    assert_eq!(out, ["report"]);
    let mut ids = pwsh(t.path(), "cairn show G-").unwrap();
    ids.sort();
    assert_eq!(ids, ["G-1", "G-10", "G-2"]);
}

#[test]
fn every_shell_gets_a_script() {
    let t = plan();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        for flags in [&[][..], &["--static"][..]] {
            let mut args = vec!["completions", shell];
            args.extend(flags);
            let out = t.run(&args);
            ok(&out);
            assert!(out.stdout.contains("cairn"), "{shell} {flags:?}");
            if flags.is_empty() {
                // The dynamic script calls back into cairn through its own variable.
                assert!(out.stdout.contains("CAIRN_COMPLETE"), "{shell}");
            } else {
                assert!(!out.stdout.contains("CAIRN_COMPLETE"), "{shell}");
            }
        }
    }
    let out = t.run(&["completions", "tcsh"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("possible values"), "{}", out.stderr);
}
