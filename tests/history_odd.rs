//! History survives odd repositories: a plan folder that was a file once (Backlog.md's
//! repository had a binary called `backlog` before its `backlog/` folder), partial clones that
//! lack file versions or trees, and objects lost from a repository. History skips what git cannot
//! read, says once how much and why, and reports on the rest.

mod common;
use common::{git_cmd, Test};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn story(id: &str, status: &str) -> String {
    format!("---\nid: {id}\ntitle: Story {id}\nstatus: {status}\ngoal: G-1\nestimate: 3\n---\nAs a user, I can.\n")
}

const GOAL: &str = "---\nid: G-1\ntitle: The goal\nstatus: active\n---\nWhy.\n";

/// Six commits. 01-04: `plan` is a binary file; 01-05: `plan` is a symbolic link; 01-06: `plan/`
/// is a folder with G-1, S-1 and S-2 (drafts); 01-07: S-1 in progress; 01-08: S-1 done;
/// 01-11: S-2 in progress. Six versions of plan files, three of them at HEAD.
fn repo() -> Test {
    let t = Test::empty().file("plan", b"\x7fELF\x02\x01\x01\0binary\0\xff");
    let d = t.path();
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    common::commit_at(d, "2027-01-04", "a binary called plan");
    std::fs::remove_file(d.join("plan")).unwrap();
    std::os::unix::fs::symlink("elsewhere", d.join("plan")).unwrap();
    t.git(&["add", "-A"]);
    common::commit_at(d, "2027-01-05", "plan is a link");
    std::fs::remove_file(d.join("plan")).unwrap();
    let t = t
        .file("plan/G-1.md", GOAL)
        .file("plan/S-1.md", story("S-1", "draft"))
        .file("plan/S-2.md", story("S-2", "draft"));
    t.git(&["add", "-A"]);
    common::commit_at(t.path(), "2027-01-06", "plan is a folder");
    let t = t.file("plan/S-1.md", story("S-1", "in-progress"));
    commit_all(&t, "2027-01-07", "start S-1");
    let t = t.file("plan/S-1.md", story("S-1", "done"));
    commit_all(&t, "2027-01-08", "finish S-1");
    let t = t.file("plan/S-2.md", story("S-2", "in-progress"));
    commit_all(&t, "2027-01-11", "start S-2");
    t
}

fn commit_all(t: &Test, date: &str, message: &str) {
    t.git(&["add", "-A"]);
    common::commit_at(t.path(), date, message);
}

/// `cairn report metrics --format json` in `dir`: its document and its standard error.
fn metrics_in(t: &Test, dir: &Path) -> (Value, String) {
    let out = t.run_in(
        dir,
        &[
            "report",
            "metrics",
            "--format",
            "json",
            "--today",
            "2027-01-20",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    (out.json(), out.stderr)
}

fn item<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {doc}"))
}

/// A clone of `t` over `file://` with `--filter=FILTER`, which git fills in as it needs objects.
fn partial_clone(t: &Test, filter: &str) -> (tempfile::TempDir, PathBuf) {
    t.git(&["config", "uploadpack.allowFilter", "true"]);
    let place = tempfile::tempdir().unwrap();
    let target = place.path().join("clone");
    let url = format!("file://{}", t.path().display());
    let out = git_cmd(
        place.path(),
        &[
            "clone",
            "-q",
            &format!("--filter={filter}"),
            &url,
            target.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{out:?}");
    (place, target)
}

/// The lines of `stderr` that are warnings.
fn warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect()
}

#[test]
fn a_plan_folder_that_was_a_file_in_older_commits_is_absent_there() {
    let t = repo();
    let (doc, stderr) = metrics_in(&t, t.path());
    assert_eq!(
        stderr, "",
        "nothing is skipped: the older commits have no plan"
    );
    assert_eq!(doc["history"]["commits"], 6);
    assert_eq!(doc["history"]["blobs"], 6);
    assert_eq!(doc["history"]["skipped"]["commits"], 0);
    assert_eq!(doc["history"]["skipped"]["blobs"], 0);
    assert_eq!(doc["history"]["note"], Value::Null);
    let s1 = item(&doc, "S-1");
    assert_eq!(s1["entered"]["todo"], "2027-01-06T10:00:00Z");
    assert_eq!(s1["entered"]["doing"], "2027-01-07T10:00:00Z");
    assert_eq!(s1["entered"]["done"], "2027-01-08T10:00:00Z");
    let stale = t.run(&["stale", "--format", "json"]);
    assert_eq!((stale.code, stale.stderr.as_str()), (0, ""));
    assert_eq!(stale.json()["items"], serde_json::json!([]));
}

#[test]
fn a_partial_clone_without_old_file_versions_reports_on_the_rest() {
    let t = repo();
    let (_place, clone) = partial_clone(&t, "blob:none");
    let (doc, stderr) = metrics_in(&t, &clone);
    // S-1 draft, S-1 in progress and S-2 draft were never fetched.
    let line = "warning: history skipped 3 of 6 plan file versions, missing from this partial \
                clone; the rest is reported (`git log -p -- plan >/dev/null` fetches what is missing)";
    assert_eq!(warnings(&stderr), [line], "said once:\n{stderr}");
    assert_eq!(stderr, format!("{line}\n"));
    let h = &doc["history"];
    assert_eq!(
        h["skipped"],
        serde_json::json!({"commits": 0, "blobs": 3, "reason": h["skipped"]["reason"], "partial_clone": true})
    );
    assert!(h["skipped"]["reason"]
        .as_str()
        .unwrap()
        .contains("object not found"));
    assert_eq!(h["note"], line.strip_prefix("warning: ").unwrap());
    // The rest: S-1's first readable version is the done one, S-2's the one in progress.
    let s1 = item(&doc, "S-1");
    assert_eq!(s1["entered"]["done"], "2027-01-08T10:00:00Z");
    assert_eq!(s1["entered"]["doing"], Value::Null);
    assert_eq!(
        item(&doc, "S-2")["entered"]["doing"],
        "2027-01-11T10:00:00Z"
    );
    // The Markdown report carries the same note; `stale` says it once too.
    let md = t.run_in(&clone, &["report", "metrics", "--today", "2027-01-20"]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(
        md.stdout
            .contains(&format!("> **Note:** {}", &line["warning: ".len()..])),
        "{}",
        md.stdout
    );
    assert_eq!(warnings(&md.stderr), [line]);
    let stale = t.run_in(&clone, &["stale", "--format", "json"]);
    assert_eq!(stale.code, 0, "{}", stale.stderr);
    assert_eq!(warnings(&stale.stderr), [line]);
    assert_eq!(stale.json()["history"]["skipped"]["blobs"], 3);

    // What the warning says to run fetches them; the cache kept nothing of the gap, so the
    // report is then the one of the full repository.
    common::git_in(&clone, &["log", "-p", "--", "plan"]);
    let (fetched, stderr) = metrics_in(&t, &clone);
    assert_eq!(stderr, "");
    let (full, _) = metrics_in(&t, t.path());
    assert_eq!(fetched, full);
}

#[test]
fn a_partial_clone_without_old_trees_dates_changes_by_the_commits_it_can_read() {
    let t = repo();
    let (_place, clone) = partial_clone(&t, "tree:0");
    let (doc, stderr) = metrics_in(&t, &clone);
    // Only HEAD's trees came with the checkout: the five commits before it cannot be read.
    let line =
        "warning: history skipped plan/ in 5 of 6 commits, missing from this partial clone; \
                the rest is reported (`git log -p -- plan >/dev/null` fetches what is missing)";
    assert_eq!(warnings(&stderr), [line], "{stderr}");
    assert_eq!(doc["history"]["commits"], 6);
    assert_eq!(doc["history"]["skipped"]["commits"], 5);
    assert_eq!(doc["history"]["skipped"]["blobs"], 0);
    assert_eq!(item(&doc, "S-1")["entered"]["done"], "2027-01-11T10:00:00Z");
}

#[test]
fn an_object_lost_from_a_full_repository_is_skipped_with_a_hint() {
    let t = repo();
    // S-1's draft, a loose object (nothing was packed).
    let blob = t.git(&["rev-parse", "HEAD~3:plan/S-1.md"]);
    let blob = blob.trim();
    std::fs::remove_file(
        t.path()
            .join(".git/objects")
            .join(&blob[..2])
            .join(&blob[2..]),
    )
    .unwrap();
    let (doc, stderr) = metrics_in(&t, t.path());
    let warned = warnings(&stderr);
    assert_eq!(warned.len(), 1, "{stderr}");
    assert!(
        warned[0].starts_with(
            "warning: history skipped 1 of 6 plan file versions that git cannot read (object not found"
        ),
        "{stderr}"
    );
    assert!(warned[0].contains(blob), "names the object: {stderr}");
    assert!(
        warned[0].ends_with("the rest is reported (`git fsck` lists what is missing)"),
        "{stderr}"
    );
    assert_eq!(doc["history"]["skipped"]["partial_clone"], false);
    let s1 = item(&doc, "S-1");
    assert_eq!(s1["entered"]["todo"], Value::Null);
    assert_eq!(s1["entered"]["doing"], "2027-01-07T10:00:00Z");
}

/// Regression: libgit2's message was printed twice on one line (`git: …; class=Odb (9); code=…:
/// …; class=…`), because the error quoted its cause and also returned it as its source.
#[test]
fn a_lost_commit_is_one_clear_error_said_once() {
    let t = repo();
    let commit = t.git(&["rev-parse", "HEAD~2"]);
    let commit = commit.trim();
    std::fs::remove_file(
        t.path()
            .join(".git/objects")
            .join(&commit[..2])
            .join(&commit[2..]),
    )
    .unwrap();
    for args in [&["report", "metrics"][..], &["stale"]] {
        let out = t.run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            format!(
                "error: cannot read the plan's history: git: object not found - no match for id \
                 ({commit}) (`git fsck` lists what is missing)\n"
            ),
            "{args:?}"
        );
    }
}
