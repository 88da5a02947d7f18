//! `cairn man`: one page per (sub)command, each rendering with `man -l` and groff without a
//! warning. The rendering tests skip, saying so, without man or groff (.ci/run installs both).

mod common;

use common::{ok, Test};
use std::path::Path;
use std::process::Command;

/// The pages `cairn man -o DIR` writes, by file name.
fn written(t: &Test) -> Vec<String> {
    let out = t.run(&["man", "-o", "pages"]);
    ok(&out);
    let mut names: Vec<String> = std::fs::read_dir(t.path().join("pages"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // It lists what it wrote, one path a line.
    assert_eq!(out.stdout.lines().count(), names.len(), "{}", out.stdout);
    names
}

#[test]
fn one_page_per_subcommand() {
    let t = Test::empty();
    let names = written(&t);
    for page in [
        "cairn.1",
        "cairn-check.1",
        "cairn-hook.1",
        "cairn-hook-install.1",
        "cairn-sprint-plan.1",
        "cairn-report.1",
        "cairn-completions.1",
        "cairn-man.1",
    ] {
        assert!(
            names.contains(&page.to_string()),
            "{page} missing: {names:?}"
        );
    }
    // Every subcommand of `cairn --help` has its page, and `help` (clap's) has none.
    let help = t.run(&["--help"]).stdout;
    let commands: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap()
        .lines()
        // A command at two spaces; its description's wrapped lines are indented further.
        .filter_map(|l| l.strip_prefix("  ").filter(|l| !l.starts_with(' ')))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() > 15, "{commands:?}");
    for c in commands {
        assert!(names.contains(&format!("cairn-{c}.1")), "no page for {c}");
    }
    assert!(!names.iter().any(|n| n.contains("help")), "{names:?}");
}

#[test]
fn a_page_is_printed_by_command_name() {
    let t = Test::empty();
    let out = t.run(&["man", "hook", "install"]);
    ok(&out);
    assert!(
        out.stdout.contains(".TH CAIRN-HOOK-INSTALL 1"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("\\-\\-chain"), "{}", out.stdout);
    // SEE ALSO names the parent page.
    assert!(
        out.stdout.contains("\\fBcairn\\-hook\\fR(1)"),
        "{}",
        out.stdout
    );
    let out = t.run(&["man"]);
    ok(&out);
    assert!(out.stdout.contains(".TH CAIRN 1"), "{}", out.stdout);
    let out = t.run(&["man", "chek"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no manual page for `cairn chek`"),
        "{}",
        out.stderr
    );
}

#[test]
fn pages_are_ascii_roff() {
    // Help texts have `→` and `…`; troff without preconv reads Latin-1, so they are escapes.
    let t = Test::empty();
    let out = t.run(&["man", "graph"]);
    ok(&out);
    assert!(out.stdout.is_ascii());
    assert!(out.stdout.contains("\\[u2192]"), "{}", out.stdout);
}

fn tool(program: &str, args: &[&str], dir: &Path) -> Option<std::process::Output> {
    if !cfg!(target_os = "linux") {
        // macOS has mandoc's man (other flags, other messages) and no groff; Windows has neither.
        eprintln!("skipped: rendering with {program} is tested on Linux only");
        return None;
    }
    match Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("MANWIDTH", "80")
        .env("LC_ALL", "C.UTF-8")
        .env("MAN_KEEP_FORMATTING", "")
        .env_remove("MANPAGER")
        .env_remove("PAGER")
        .output()
    {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("skipped: `{program}` is not installed (apt-get install man-db groff-base)");
            None
        }
        Err(e) => panic!("cannot run {program}: {e}"),
    }
}

#[test]
fn every_page_renders_without_warnings() {
    let t = Test::empty();
    let names = written(&t);
    let dir = t.path().join("pages");
    for name in &names {
        // groff at its strictest (-ww: every warning), as man would run it.
        let Some(out) = tool("groff", &["-ww", "-man", "-Tutf8", "-z", name], &dir) else {
            return;
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.is_empty(),
            "{name}: {stderr}"
        );
    }
    for name in &names {
        let Some(out) = tool("man", &["-l", name], &dir) else {
            return;
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stderr.is_empty(),
            "{name}: {stderr}"
        );
        assert!(stdout.contains("NAME"), "{name}: {stdout}");
        let title = name.trim_end_matches(".1").to_uppercase();
        assert!(
            stdout.starts_with(&format!("{title}(1)")),
            "{name}: {stdout}"
        );
    }
}

#[test]
fn man_renders_the_arrow_in_graph_page() {
    let t = Test::empty();
    written(&t);
    let Some(out) = tool("man", &["-l", "cairn-graph.1"], &t.path().join("pages")) else {
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("goal → story"), "{text}");
}
