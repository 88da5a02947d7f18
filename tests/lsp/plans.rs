//! Finding each document's plan whatever the client says about its workspace, and serving
//! several plans at once without anything leaking from one to the other.

use crate::client::*;
use crate::common::{git_in, Test};
use serde_json::{json, Value};

/// A plan marked by `cairn.yaml` whose goal `G-1` has the title `goal`; `S-3` names a goal that
/// does not exist, so the plan has one finding before anything is opened.
fn marked(goal: &str) -> Test {
    plan()
        .config("plan_dir: plan\n")
        .file("plan/goals/G-1.md", GOAL.replace("Faster planning", goal))
        .file(
            "plan/stories/S-3.md",
            "---\nid: S-3\ntitle: Lost\nstatus: draft\ngoal: G-7\n---\n",
        )
}

fn codes(d: &[Value]) -> Vec<String> {
    d.iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn hover_text(c: &mut Client, uri: &str, line: u32, character: u32) -> String {
    let h = c.at("textDocument/hover", uri, line, character);
    h["result"]["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Neovim 0.11 given a relative `root_dir` (as docs/editors.md's old snippet did) sends
/// `rootUri: "file://."`, `rootPath: "/."` and a workspace folder `file://.`; cairn took `/` as
/// the plan root and never published anything.
#[test]
fn neovim_0_11_relative_root_uri_still_publishes_diagnostics() {
    let t = marked("Faster planning");
    let elsewhere = Test::empty();
    // Started from the plan root, as `nvim plan/stories/S-1.md` there starts it, and from a
    // folder with no plan at all: the document decides.
    for cwd in [t.path(), elsewhere.path()] {
        let mut c = Client::init(
            cwd,
            json!({
                "rootUri": "file://.",
                "rootPath": "/.",
                "workspaceFolders": [{ "uri": "file://.", "name": "." }],
            }),
        );
        let s1 = uri(t.path(), "plan/stories/S-1.md");
        c.open(&s1, &story("G-9", "draft"));
        assert_eq!(codes(&c.diagnostics(&s1)), ["broken-reference"]);
        // The rest of the plan is checked too, open or not.
        let s3 = uri(t.path(), "plan/stories/S-3.md");
        assert_eq!(codes(&c.diagnostics(&s3)), ["broken-reference"]);
        assert!(
            hover_text(&mut c, &s1, 6, 14).contains("**S-2** · Task templates"),
            "from {}",
            cwd.display()
        );
        assert_eq!(c.shutdown(), 0);
    }
}

#[test]
fn a_null_root_serves_the_started_folder_and_every_opened_document() {
    let t = marked("Faster planning");
    let s3 = uri(t.path(), "plan/stories/S-3.md");
    let null = json!({ "rootUri": null, "rootPath": null, "workspaceFolders": null });
    // Started in the plan: its findings are published before anything is opened.
    let mut c = Client::init(t.path(), null.clone());
    assert_eq!(codes(&c.diagnostics(&s3)), ["broken-reference"]);
    assert_eq!(c.shutdown(), 0);
    // Started in a sub-folder of the plan: the same plan.
    let mut c = Client::init(&t.path().join("plan/stories"), null.clone());
    assert_eq!(codes(&c.diagnostics(&s3)), ["broken-reference"]);
    assert_eq!(c.shutdown(), 0);
    // Started elsewhere: nothing until a document of the plan opens.
    let elsewhere = Test::empty();
    let mut c = Client::init(elsewhere.path(), null);
    assert_eq!(c.settle(), Vec::<(String, usize)>::new());
    c.open(&s3, &t.read("plan/stories/S-3.md"));
    assert_eq!(codes(&c.diagnostics(&s3)), ["broken-reference"]);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_plan_without_cairn_yaml_is_found_by_git_or_its_plan_folder() {
    // A git work tree, no `cairn.yaml`: opened from a client that named another folder.
    let repo = plan();
    git_in(repo.path(), &["init", "-q"]);
    // No git, no `cairn.yaml`: the folder holding `plan/`.
    let loose = plan();
    let other = Test::empty();
    let mut c = Client::new(other.path());
    for t in [&repo, &loose] {
        let s1 = uri(t.path(), "plan/stories/S-1.md");
        c.open(&s1, &story("G-9", "draft"));
        assert_eq!(codes(&c.diagnostics(&s1)), ["broken-reference"]);
    }
    let logs = c.logs().join("\n");
    assert!(logs.contains("found by the git work tree"), "{logs}");
    assert!(logs.contains("found by its `plan` folder"), "{logs}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn two_plans_open_at_once_stay_apart() {
    // Same ids in both; only `b` has a goal G-2.
    let a = marked("Alpha goal");
    let b = marked("Beta goal").file(
        "plan/goals/G-2.md",
        "---\nid: G-2\ntitle: Beta only\nstatus: active\n---\n",
    );
    let mut c = Client::new(a.path());
    let (a_s1, b_s1) = (
        uri(a.path(), "plan/stories/S-1.md"),
        uri(b.path(), "plan/stories/S-1.md"),
    );
    let (a_s3, b_s3) = (
        uri(a.path(), "plan/stories/S-3.md"),
        uri(b.path(), "plan/stories/S-3.md"),
    );
    assert_eq!(codes(&c.diagnostics(&a_s3)), ["broken-reference"]);
    c.open(&a_s1, &story("G-2", "draft"));
    c.open(&b_s1, &story("G-2", "draft"));
    // G-2 exists only in `b`: a broken reference in `a`, nothing in `b`; and the same ids in
    // both plans are no duplicates.
    let published = c.settle();
    assert!(published.contains(&(a_s1.clone(), 1)), "{published:?}");
    assert!(published.contains(&(b_s3.clone(), 1)), "{published:?}");
    assert!(
        !published.iter().any(|(u, n)| *u == b_s1 && *n > 0),
        "{published:?}"
    );
    // Hover, definition, references and completion each answer from the document's plan.
    assert!(hover_text(&mut c, &a_s1, 6, 14).contains("Task templates"));
    c.change(&a_s1, 2, &story("G-1", "draft"));
    c.change(&b_s1, 2, &story("G-1", "draft"));
    assert_eq!(c.diagnostics(&a_s1), Vec::<Value>::new());
    assert!(hover_text(&mut c, &a_s1, 4, 7).contains("Alpha goal"));
    assert!(hover_text(&mut c, &b_s1, 4, 7).contains("Beta goal"));
    let def = c.at("textDocument/definition", &b_s1, 4, 7);
    assert_eq!(def["result"]["uri"], uri(b.path(), "plan/goals/G-1.md"));
    let refs = c.at("textDocument/references", &b_s1, 6, 14);
    let refs: Vec<&str> = refs["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    assert_eq!(refs, [b_s1.as_str()]);
    let goals = |c: &mut Client, uri: &str| -> Vec<String> {
        let r = c.at("textDocument/completion", uri, 4, 8);
        r["result"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(goals(&mut c, &a_s1), ["G-1"]);
    assert_eq!(goals(&mut c, &b_s1), ["G-1", "G-2"]);
    // A fix offered in `a` comes from `a`'s goals only.
    c.change(&a_s1, 3, &story("G-3", "draft"));
    let d = c.diagnostics(&a_s1);
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": a_s1 }, "context": { "diagnostics": d },
                "range": { "start": { "line": 4, "character": 0 }, "end": { "line": 4, "character": 9 } } }),
    );
    assert_eq!(
        actions["result"][0]["title"], "Replace with `G-1`",
        "{actions}"
    );
    // Closing `b`'s only document stops serving `b`: its findings are withdrawn, `a`'s stay.
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": b_s1 } }),
    );
    let published = c.settle();
    assert!(published.contains(&(b_s3.clone(), 0)), "{published:?}");
    assert!(
        !published
            .iter()
            .any(|(u, _)| u.starts_with(&uri(a.path(), ""))),
        "{published:?}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_multi_root_workspace_serves_every_folder() {
    let a = marked("Alpha goal");
    let b = marked("Beta goal");
    let folder = |t: &Test, name: &str| json!({ "uri": uri(t.path(), ""), "name": name });
    let mut c = Client::init(
        a.path(),
        json!({ "workspaceFolders": [folder(&a, "a"), folder(&b, "b")] }),
    );
    let published = c.settle();
    let expected = [
        (uri(a.path(), "plan/stories/S-3.md"), 1),
        (uri(b.path(), "plan/stories/S-3.md"), 1),
    ];
    for e in &expected {
        assert!(published.contains(e), "{e:?} not in {published:?}");
    }
    assert_eq!(published.len(), 2, "{published:?}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_workspace_folder_added_later_is_served_and_removed_again() {
    let a = marked("Alpha goal");
    let b = marked("Beta goal");
    let mut c = Client::new(a.path());
    let b_s3 = uri(b.path(), "plan/stories/S-3.md");
    c.settle();
    let folder = json!([{ "uri": uri(b.path(), ""), "name": "b" }]);
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": folder, "removed": [] } }),
    );
    assert_eq!(codes(&c.diagnostics(&b_s3)), ["broken-reference"]);
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [], "removed": folder } }),
    );
    assert_eq!(c.diagnostics(&b_s3), Vec::<Value>::new());
    // Removing a folder that was never added, or a bad URI, changes nothing.
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [{ "uri": "file://.", "name": "." }], "removed": folder } }),
    );
    assert_eq!(c.settle(), Vec::<(String, usize)>::new());
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_plan_nested_in_another_one_owns_its_files() {
    // The outer plan reads every Markdown file below it, the inner plan's too, and finds an
    // unknown sprint in S-8; but S-8 belongs to the inner plan (the nearest `cairn.yaml`), which
    // configures that sprint: only the inner plan's findings on it may reach the editor.
    let s8 = "---\nid: S-8\ntitle: Team story\nstatus: draft\ngoal: G-5\nsprint: T-1\n---\n";
    let outer = Test::empty()
        .config("plan_dir: .\n")
        .file("G-1.md", GOAL)
        .file(
            "team/cairn.yaml",
            "plan_dir: plan\nsprints:\n  - { name: T-1 }\n",
        )
        .file(
            "team/plan/G-5.md",
            "---\nid: G-5\ntitle: Team goal\nstatus: active\n---\n",
        )
        .file("team/plan/S-8.md", s8);
    let out = outer.check();
    assert!(
        out.findings()
            .contains(&("unknown-sprint".into(), "team/plan/S-8.md".into(), 6, 9)),
        "the outer plan's own view: {}",
        out.stdout
    );
    let mut c = Client::new(outer.path());
    let published = c.settle();
    assert!(
        !published.iter().any(|(u, _)| u.contains("/team/")),
        "{published:?}"
    );
    // Opened, S-8 is checked against the inner plan: clean, until it names an outer goal.
    let s8_uri = uri(outer.path(), "team/plan/S-8.md");
    c.open(&s8_uri, s8);
    assert_eq!(c.settle(), Vec::<(String, usize)>::new());
    c.change(&s8_uri, 2, &s8.replace("G-5", "G-1"));
    assert_eq!(codes(&c.diagnostics(&s8_uri)), ["broken-reference"]);
    assert!(hover_text(&mut c, &s8_uri, 4, 7).contains("no item has this id"));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_file_in_no_plan_gets_nothing_and_breaks_nothing() {
    let t = marked("Alpha goal");
    let stray = Test::empty().file("notes.md", "---\nid: S-1\n---\nS-1\n");
    let mut c = Client::new(t.path());
    c.settle();
    let notes = uri(stray.path(), "notes.md");
    c.open(&notes, "---\nid: S-1\n---\nS-1\n");
    for method in [
        "textDocument/definition",
        "textDocument/hover",
        "textDocument/references",
        "textDocument/completion",
    ] {
        let r = c.at(method, &notes, 1, 5);
        assert!(r["result"].is_null(), "{method}: {r}");
    }
    assert_eq!(c.settle(), Vec::<(String, usize)>::new());
    let logs = c.logs().join("\n");
    assert!(logs.contains("notes.md is in no plan"), "{logs}");
    assert_eq!(c.shutdown(), 0);
}
