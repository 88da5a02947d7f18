//! Exit codes never lie: a reader that stops early (`cairn check | head -1`) may end the output,
//! but not change what the exit code says about the run. Through the real binary, with standard
//! output a pipe closed before cairn writes, or closed after the first line of a large output.

mod common;
use common::Test;
use std::io::{BufRead, BufReader};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::process::{Command, Stdio};

/// Stories in the large plans: their findings make some 250 kB of output, four times what
/// a pipe holds (64 kB on Linux), so the write really meets the closed end.
const STORIES: usize = 2000;

/// A committed plan of `stories` stories under one sprint, each with `line` in its front matter.
fn plan(stories: usize, line: &str) -> Test {
    let mut t = Test::new()
        .config("sprints:\n  - { name: S1, start: 2027-01-04, end: 2027-01-15, capacity: 20 }\n")
        .goal("G-1");
    for n in 1..=stories {
        t = t.item(
            &format!("S-{n}"),
            &format!(
                "title: Story {n} with a long enough title\nstatus: draft\nestimate: 1\n{line}"
            ),
            "As a user, I can.\n",
        );
    }
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    t.git(&["commit", "-q", "-m", "plan"]);
    t
}

/// Every story names a goal that does not exist: thousands of errors.
fn with_errors() -> Test {
    plan(STORIES, "goal: G-404\n")
}

/// Every story is an orphan: thousands of warnings, no error.
fn with_warnings() -> Test {
    plan(STORIES, "")
}

struct Run {
    code: i32,
    stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Run {
        Run {
            code: out.status.code().expect("exited, not killed by a signal"),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Runs `cmd` with standard output connected to an end whose reader is already gone: the first
/// write fails with `EPIPE`, whatever its size. (A socket pair: the same error as a pipe, and
/// no wait on a reader to close.)
fn closed_stdout(mut cmd: Command) -> Run {
    let (ours, theirs) = UnixStream::pair().unwrap();
    drop(ours);
    cmd.stdout(Stdio::from(OwnedFd::from(theirs)))
        .stderr(Stdio::piped())
        .output()
        .unwrap()
        .into()
}

/// Runs `cmd` with standard output a pipe, reads its first line, then closes the pipe.
fn reader_stops_after_one_line(mut cmd: Command) -> Run {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty(), "cairn printed nothing");
    child.wait_with_output().unwrap().into()
}

/// Runs `cmd` with standard output read to the end.
fn read_to_the_end(mut cmd: Command) -> Run {
    cmd.output().unwrap().into()
}

#[test]
fn check_with_errors_exits_1_when_the_reader_stops_early() {
    let t = with_errors();
    for run in [
        read_to_the_end(t.command(&["check"])),
        closed_stdout(t.command(&["check"])),
        reader_stops_after_one_line(t.command(&["check"])),
    ] {
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(run.stderr, "", "no noise on a broken pipe");
    }
}

#[test]
fn check_without_errors_exits_0_when_the_reader_stops_early() {
    let t = with_warnings();
    for args in [&["check"][..], &["check", "--format", "json"]] {
        for run in [
            closed_stdout(t.command(args)),
            reader_stops_after_one_line(t.command(args)),
        ] {
            assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
            assert_eq!(run.stderr, "");
        }
    }
    // Warnings are errors under `--deny warnings`, closed pipe or not.
    let deny = &["check", "--deny", "warnings"];
    assert_eq!(closed_stdout(t.command(deny)).code, 1);
    assert_eq!(reader_stops_after_one_line(t.command(deny)).code, 1);
}

/// The issue's own words: `cairn check | head -1` under `pipefail`.
#[test]
fn check_piped_into_head_under_pipefail_fails_with_errors() {
    for (t, code) in [(with_errors(), 1), (with_warnings(), 0)] {
        let mut shell = Command::new("bash");
        common::machine::isolate(&mut shell)
            .args(["-c", "set -o pipefail; \"$0\" check | head -1 >/dev/null"])
            .arg(env!("CARGO_BIN_EXE_cairn"))
            .current_dir(t.path());
        let run = read_to_the_end(shell);
        assert_eq!(run.code, code, "{}", run.stderr);
        assert_eq!(run.stderr, "");
    }
}

/// Every command with a meaningful exit code says the same with its output cut off as with it read
/// to the end, and says nothing more on standard error.
#[test]
fn every_command_exits_the_same_with_a_closed_pipe() {
    // Small: with the reader gone before cairn starts, its first write fails, whatever its size.
    let t = plan(50, "goal: G-404\n");
    // A change in the work tree, so `diff` has something to say.
    let t = t.item(
        "S-1",
        "title: Story 1, renamed\nstatus: ready\nestimate: 2\ngoal: G-404\n",
        "",
    );
    let cases: &[(&[&str], i32)] = &[
        (&["check"], 1),
        (&["check", "--format", "json"], 1),
        (&["check", "--format", "github"], 1),
        (&["check", "--format", "sarif"], 1),
        (&["check", "--format", "gitlab"], 1),
        (&["check", "--staged"], 1),
        (&["check", "--rev", "HEAD"], 1),
        (&["list"], 0),
        (&["list", "--format", "json"], 0),
        (&["show", "G-1"], 0),
        (&["rank", "--explain"], 0),
        (&["rank", "--format", "json"], 0),
        (&["graph"], 0),
        (&["diff"], 0),
        (&["diff", "--format", "json"], 0),
        (&["stale"], 0),
        (&["schema"], 0),
        (&["sprint", "plan", "S1"], 0),
        (&["report", "backlog"], 0),
        (&["report", "roadmap", "--format", "json"], 0),
        (&["report", "alignment", "--format", "csv"], 0),
        (&["report", "sprint", "S1", "--format", "html"], 0),
        (&["report", "metrics", "--format", "json"], 0),
        (&["set", "S-2", "status=ready", "--dry-run"], 0),
        (
            &[
                "set",
                "S-2",
                "status=ready",
                "--dry-run",
                "--format",
                "json",
            ],
            0,
        ),
        // The edit would add a broken reference: refused, exit 1.
        (
            &[
                "set",
                "S-2",
                "depends_on=[S-99999]",
                "--dry-run",
                "--format",
                "json",
            ],
            1,
        ),
        (&["set", "S-2", "depends_on=[S-99999]", "--dry-run"], 1),
        (&["renumber", "S-2", "--dry-run"], 0),
        // A failed run still exits 2.
        (&["show", "S-99999"], 2),
        (&["report", "sprint", "S9"], 2),
    ];
    for &(args, code) in cases {
        let full = read_to_the_end(t.command(args));
        assert_eq!(full.code, code, "{args:?} read to the end: {}", full.stderr);
        let cut = closed_stdout(t.command(args));
        assert_eq!(
            cut.code, code,
            "{args:?} with a closed pipe: {}",
            cut.stderr
        );
        assert_eq!(cut.stderr, full.stderr, "{args:?}: the same on stderr");
    }
}

/// A command that writes goes on when nobody reads what it prints: the file is written.
#[test]
fn new_writes_its_file_when_nobody_reads_the_path() {
    let t = common::plans::clean();
    let run = closed_stdout(t.command(&["new", "story", "Nobody reads this"]));
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let list = t.run(&["list", "--format", "json"]).json();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["title"] == "Nobody reads this"),
        "{list}"
    );
}

/// A client that goes away without `exit` (its end of the pipe closed while the server answers)
/// ends the server with exit code 1, as the protocol says, and not with a broken-pipe error.
#[test]
fn lsp_whose_client_went_away_exits_1_quietly() {
    use std::io::Write;
    let t = common::plans::clean();
    let (ours, theirs) = UnixStream::pair().unwrap();
    drop(ours);
    let mut child = t
        .command(&["lsp"])
        .stdin(Stdio::piped())
        .stdout(Stdio::from(OwnedFd::from(theirs)))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
    let mut stdin = child.stdin.take().unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    drop(stdin);
    let run = Run::from(child.wait_with_output().unwrap());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "");
}
