//! What the server writes and what it refuses: `new`, `set` and `sprint_plan --write` through the
//! CLI's engine, path and value tricks, and the plan changing on disk under a running server.

use crate::client::*;
use crate::common::{git_in, Test};
use serde_json::{json, Value};

/// The files under `dir`, relative, sorted.
fn files(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() && !p.ends_with(".git") {
                stack.push(p);
            } else if p.is_file() {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

/// The lines of `before` and `after` that differ, as (removed, added).
fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let b: Vec<&str> = before.lines().collect();
    let a: Vec<&str> = after.lines().collect();
    let removed = b
        .iter()
        .filter(|l| !a.contains(l))
        .map(|l| l.to_string())
        .collect();
    let added = a
        .iter()
        .filter(|l| !b.contains(l))
        .map(|l| l.to_string())
        .collect();
    (removed, added)
}

const S19: &str = "plan/stories/S-19-saml-single-sign-on.md";

#[test]
fn new_mints_the_next_id_and_the_plan_stays_clean() {
    let t = example();
    let mut c = Client::new(t.path());
    let before = c.ok("check", json!({}))["summary"].clone();
    let created = c.ok(
        "new",
        json!({
            "kind": "story", "title": "Export to CSV", "parent": "G-6",
            "fields": { "estimate": 3, "tags": ["export", "csv"], "moscow": "could" },
            "body": "As an analyst, I can export a report as CSV, so that I can chart it myself.\n\n## Acceptance criteria\n- [ ] Every column is exported\n",
        }),
    );
    assert_eq!(
        created,
        json!({ "version": 1, "id": "S-31", "kind": "story", "path": "plan/stories/S-31-export-to-csv.md", "uri": "cairn://item/S-31" })
    );
    let text = t.read("plan/stories/S-31-export-to-csv.md");
    assert!(
        text.starts_with("---\nid: S-31\ntitle: Export to CSV\nstatus: draft\ngoal: G-6\n"),
        "{text}"
    );
    for line in ["estimate: 3\n", "tags: [export, csv]\n", "moscow: could\n"] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    assert!(text.ends_with("---\nAs an analyst, I can export a report as CSV, so that I can chart it myself.\n\n## Acceptance criteria\n- [ ] Every column is exported\n"), "{text}");
    // Known at once, by the server and by the CLI.
    assert_eq!(c.ok("show", json!({"id": "S-31"}))["parent"], "G-6");
    assert_eq!(
        cli_json(t.path(), &["show", "S-31", "--format", "json"])["title"],
        "Export to CSV"
    );
    assert_eq!(
        c.ok("check", json!({}))["summary"],
        before,
        "no finding added"
    );
    // The next one is S-32.
    let next = c.ok("new", json!({"kind": "story", "title": "Another"}));
    assert_eq!(next["id"], "S-32");
}

#[test]
fn new_takes_an_id_above_every_branch() {
    let t = example_repo();
    git_in(t.path(), &["checkout", "-q", "-b", "elsewhere"]);
    std::fs::write(
        t.path().join("plan/stories/S-40-elsewhere.md"),
        "---\nid: S-40\ntitle: On another branch\nstatus: draft\ngoal: G-1\n---\n",
    )
    .unwrap();
    git_in(t.path(), &["add", "-A"]);
    git_in(t.path(), &["commit", "-q", "-m", "S-40"]);
    git_in(t.path(), &["checkout", "-q", "main"]);
    let mut c = Client::new(t.path());
    assert_eq!(
        c.ok("new", json!({"kind": "story", "title": "Here"}))["id"],
        "S-41"
    );
}

#[test]
fn new_is_refused_when_the_item_would_break_the_plan() {
    let t = example();
    let mut c = Client::new(t.path());
    let before = files(t.path());
    let (text, _) = c.refused(
        "new",
        json!({"kind": "story", "title": "Platinum", "fields": {"customer_tier": "platinum"}}),
    );
    assert!(text.contains("error[invalid-value]"), "{text}");
    assert!(
        text.contains("not created: plan/stories/S-31-platinum.md would add 1 error"),
        "{text}"
    );
    let (text, _) = c.refused(
        "new",
        json!({"kind": "story", "title": "Blocked", "fields": {"depends_on": ["S-999"]}}),
    );
    assert!(text.contains("error[broken-reference]"), "{text}");
    let (text, _) = c.refused(
        "new",
        json!({"kind": "story", "title": "Orphan", "parent": "G-77"}),
    );
    assert!(text.starts_with("no goal `G-77` in the plan"), "{text}");
    assert_eq!(files(t.path()), before, "nothing written");
    assert!(c.ok("show", json!({"id": "S-19"}))["id"] == "S-19");
    let (text, _) = c.refused("show", json!({"id": "S-31"}));
    assert!(
        text.starts_with("no item `S-31`"),
        "the refused item is not kept in memory: {text}"
    );
}

#[test]
fn set_changes_only_the_lines_it_must() {
    let t = example();
    let before = t.read(S19);
    let mut c = Client::new(t.path());
    let report = c.ok(
        "set",
        json!({"id": "S-19", "fields": {"status": "in-progress", "rice.effort": 3, "assignee": null}}),
    );
    assert_eq!(report["written"], true);
    assert_eq!(
        report["fields"],
        json!([
            {"field": "status", "from": "ready", "to": "in-progress"},
            {"field": "rice.effort", "from": "2", "to": "3"},
            {"field": "assignee", "from": "omar", "to": null},
        ])
    );
    let after = t.read(S19);
    assert_eq!(
        changed_lines(&before, &after),
        (
            vec![
                "status: ready".to_string(),
                "rice: { reach: 900, impact: 3, confidence: 80%, effort: 2 }".to_string(),
                "assignee: omar".to_string(),
            ],
            vec![
                "status: in-progress".to_string(),
                "rice: { reach: 900, impact: 3, confidence: 80%, effort: 3 }".to_string(),
            ],
        )
    );
    assert_eq!(after.lines().count(), before.lines().count() - 1);
    let diff = report["diff"].as_str().unwrap();
    assert!(
        diff.contains("-status: ready\n+status: in-progress\n"),
        "{diff}"
    );
    // The report is `cairn set --format json`'s: a dry run of the next edit agrees.
    let mcp = c.ok(
        "set",
        json!({"id": "S-19", "fields": {"owner": "ana"}, "dry_run": true}),
    );
    let cli = cli_json(
        t.path(),
        &["set", "S-19", "owner=ana", "--dry-run", "--format", "json"],
    );
    assert_eq!(mcp, cli);
    assert_eq!(t.read(S19), after, "a dry run writes nothing");
    assert_eq!(c.ok("show", json!({"id": "S-19"}))["status"], "in-progress");
}

#[test]
fn set_refuses_an_edit_that_adds_errors_and_says_why() {
    let t = example();
    let before = t.read(S19);
    let mut c = Client::new(t.path());
    for (fields, rule) in [
        (json!({"goal": "G-99"}), "broken-reference"),
        (json!({"status": "finished"}), "invalid-value"),
        (json!({"goal": "S-1"}), "wrong-kind"),
        (json!({"sprint": "2027-S9"}), "unknown-sprint"),
        (json!({"depends_on": ["S-19"]}), "dependency-cycle"),
        (json!({"estimate": "three"}), "invalid-value"),
    ] {
        let (text, report) = c.refused("set", json!({"id": "S-19", "fields": fields}));
        assert_eq!(report["written"], false, "{fields}");
        assert_eq!(report["errors"][0]["rule"], rule, "{fields}: {report}");
        assert!(text.contains(&format!("error[{rule}]")), "{text}");
        assert!(
            text.contains("not written: the edit would introduce"),
            "{text}"
        );
        assert_eq!(t.read(S19), before, "{fields}: nothing written");
    }
    // The plan in memory is as it was.
    assert_eq!(c.ok("show", json!({"id": "S-19"}))["parent"], "G-3");
    let cli = cli_json(t.path(), &["set", "S-19", "goal=G-99", "--format", "json"]);
    let (_, mcp) = c.refused("set", json!({"id": "S-19", "fields": {"goal": "G-99"}}));
    assert_eq!(mcp, cli, "the same report as `cairn set --format json`");
}

#[test]
fn path_tricks_cannot_leave_the_plan_folder() {
    let t = example();
    let before = files(t.path());
    let mut c = Client::new(t.path());
    let created = c.ok("new", json!({"kind": "story", "title": "../../etc/passwd"}));
    assert_eq!(created["path"], "plan/stories/S-31-etc-passwd.md");
    assert!(t
        .read("plan/stories/S-31-etc-passwd.md")
        .contains("title: ../../etc/passwd\n"));
    let (text, _) = c.refused(
        "new",
        json!({"kind": "story", "title": "x", "parent": "../../etc/passwd"}),
    );
    assert!(
        text.starts_with("no goal `../../etc/passwd` in the plan"),
        "{text}"
    );
    let (text, _) = c.refused(
        "new",
        json!({"kind": "story", "title": "x", "fields": {"id": "S-1"}}),
    );
    assert!(text.contains("the id is chosen by cairn new"), "{text}");
    let (text, _) = c.refused("set", json!({"id": "S-19", "fields": {"../../x": 1}}));
    assert!(text.contains("`../../x` is not a field name"), "{text}");
    let (text, _) = c.refused(
        "set",
        json!({"id": "../../cairn.yaml", "fields": {"title": "x"}}),
    );
    assert!(text.starts_with("no item `../../cairn.yaml`"), "{text}");
    let (text, _) = c.refused("show", json!({"id": "../cairn.yaml"}));
    assert!(text.starts_with("no item"), "{text}");
    let mut expected = before;
    expected.push("plan/stories/S-31-etc-passwd.md".into());
    expected.sort();
    assert_eq!(
        files(t.path()),
        expected,
        "one file written, where it belongs"
    );
}

#[cfg(unix)]
#[test]
fn a_plan_folder_that_leads_outside_through_a_symlink_is_not_written() {
    let t = Test::new()
        .config("kinds:\n  goal: { prefix: G }\n  story: { prefix: S, parent: goal }\n")
        .item("G-1", "title: Goal\nstatus: active\n", "");
    std::fs::create_dir(t.path().join("outside")).unwrap();
    std::os::unix::fs::symlink(t.path().join("outside"), t.path().join("plan/stories")).unwrap();
    let mut c = Client::new(t.path());
    let (text, _) = c.refused(
        "new",
        json!({"kind": "story", "title": "Escape", "parent": "G-1"}),
    );
    assert!(
        text.contains("would be written outside the plan folder"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_dir(t.path().join("outside")).unwrap().count(),
        0
    );
}

#[test]
fn values_with_line_breaks_or_fences_cannot_break_the_front_matter() {
    let t = example();
    let mut c = Client::new(t.path());
    let sneaky = "eve\n---\nid: S-99\nstatus: done";
    let report = c.ok(
        "set",
        json!({"id": "S-19", "fields": {"owner": sneaky, "tags": ["---", "a, b"]}}),
    );
    assert_eq!(report["written"], true);
    let text = t.read(S19);
    assert_eq!(
        text.matches("\n---\n").count(),
        1,
        "still one closing fence:\n{text}"
    );
    assert!(
        text.contains("owner: \"eve\\n---\\nid: S-99\\nstatus: done\"\n"),
        "{text}"
    );
    let shown = c.ok("show", json!({"id": "S-19"}));
    assert_eq!(shown["owner"], sneaky);
    assert_eq!(shown["fields"]["tags"], json!(["---", "a, b"]));
    let (why, _) = c.refused("show", json!({"id": "S-99"}));
    assert!(why.starts_with("no item `S-99`"), "{why}");
    // Titles are one line.
    let (why, _) = c.refused("set", json!({"id": "S-19", "fields": {"title": "A\nB"}}));
    assert!(why.starts_with("the title must be one line"), "{why}");
    let (why, _) = c.refused("new", json!({"kind": "story", "title": "A\n---\nid: S-98"}));
    assert!(why.starts_with("the title must be one line"), "{why}");
    // The CLI reads the file back the same way.
    assert_eq!(
        cli_json(t.path(), &["show", "S-19", "--format", "json"])["owner"],
        sneaky
    );
    assert_eq!(
        cli_json(t.path(), &["check", "--format", "json"])["summary"]["errors"],
        0
    );
}

#[test]
fn sprint_plan_writes_only_when_asked_and_only_the_sprint_line() {
    let t = example();
    let mut c = Client::new(t.path());
    let snapshot = |t: &Test| -> Vec<(String, String)> {
        files(t.path())
            .into_iter()
            .map(|f| (f.clone(), t.read(&f)))
            .collect()
    };
    let before = snapshot(&t);
    let dry = c.ok("sprint_plan", json!({"sprint": "2027-S4"}));
    let planned: Vec<String> = dry["planned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!planned.is_empty(), "{dry}");
    assert_eq!(snapshot(&t), before, "a dry run writes nothing");
    let written = c.ok("sprint_plan", json!({"sprint": "2027-S4", "write": true}));
    assert_eq!(written, dry);
    let after = snapshot(&t);
    for ((file, old), (_, new)) in before.iter().zip(&after) {
        let (removed, added) = changed_lines(old, new);
        if old != new {
            assert!(removed.is_empty(), "{file}: {removed:?}");
            assert_eq!(added, ["sprint: 2027-S4"], "{file}");
        }
    }
    let in_sprint = cli_json(
        t.path(),
        &["list", "--sprint", "2027-S4", "--format", "json"],
    );
    for id in &planned {
        assert!(
            in_sprint["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| &r["id"] == id),
            "{id}"
        );
    }
    let again = c.ok("sprint_plan", json!({"sprint": "2027-S4"}));
    assert_eq!(again["planned"], json!([]), "nothing left to plan: {again}");
}

#[test]
fn a_change_on_disk_is_seen_by_the_next_call_and_the_client_is_told() {
    let t = example();
    let mut c = Client::new(t.path());
    assert_eq!(
        c.ok("show", json!({"id": "S-19"}))["title"],
        "SAML 2.0 single sign-on"
    );
    let path = t.path().join(S19);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("title: SAML 2.0 single sign-on", "title: SAML SSO"),
    )
    .unwrap();
    c.notification("notifications/resources/list_changed");
    assert_eq!(c.ok("show", json!({"id": "S-19"}))["title"], "SAML SSO");

    // A file created and one deleted behind the server's back.
    std::fs::write(
        t.path().join("plan/stories/S-50-new-on-disk.md"),
        "---\nid: S-50\ntitle: New on disk\nstatus: draft\ngoal: G-1\n---\n",
    )
    .unwrap();
    c.notification("notifications/resources/list_changed");
    let ids = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids(&c.ok("list", json!({}))).contains(&"S-50".to_string()));
    std::fs::remove_file(t.path().join("plan/stories/S-50-new-on-disk.md")).unwrap();
    c.notification("notifications/resources/list_changed");
    assert!(!ids(&c.ok("list", json!({}))).contains(&"S-50".to_string()));

    // An edit made on disk between two calls is what the next edit starts from.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("estimate: 8", "estimate: 13")).unwrap();
    c.notification("notifications/resources/list_changed");
    let report = c.ok("set", json!({"id": "S-19", "fields": {"owner": "ana"}}));
    assert_eq!(report["written"], true);
    assert!(
        t.read(S19).contains("estimate: 13\n"),
        "the disk's edit is kept"
    );

    // A new kind in cairn.yaml changes the tools' schemas, and the client hears of it.
    let config = t.read("cairn.yaml").replace(
        "  story:                    # the PO's backlog",
        "  epic: { prefix: E, parent: goal }\n  story:                    # the PO's backlog",
    );
    std::fs::write(t.path().join("cairn.yaml"), config).unwrap();
    c.notification("notifications/tools/list_changed");
    let tools = c.request("tools/list", json!({}));
    let new = tools["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "new")
        .unwrap()
        .clone();
    let kinds = new["inputSchema"]["properties"]["kind"]["enum"].clone();
    assert!(
        kinds.as_array().unwrap().contains(&json!("epic")),
        "{kinds}"
    );
}

#[test]
fn subscribed_resources_are_told_when_their_file_changes() {
    let t = example();
    let mut c = Client::new(t.path());
    let r = c.request("resources/subscribe", json!({"uri": "cairn://item/S-19"}));
    assert!(r.get("error").is_none(), "{r}");
    let r = c.request("resources/subscribe", json!({"uri": "cairn://item/S-999"}));
    assert!(r.get("error").is_some(), "{r}");
    // Another item changes: the list changed, S-19 did not.
    let other = t.path().join("plan/stories/S-20-scim-user-provisioning.md");
    {
        let text = std::fs::read_to_string(&other).unwrap();
        std::fs::write(&other, text + "\nMore.\n").unwrap();
        c.notification("notifications/resources/list_changed");
        let extra = c.drain(std::time::Duration::from_millis(300));
        assert!(
            !extra
                .iter()
                .any(|m| m["method"] == "notifications/resources/updated"),
            "{extra:?}"
        );
    }
    // S-19 changes through the server: subscribers are told.
    c.ok("set", json!({"id": "S-19", "fields": {"owner": "ana"}}));
    let u = c.notification("notifications/resources/updated");
    assert_eq!(u["params"]["uri"], "cairn://item/S-19");
    // And on disk.
    let path = t.path().join(S19);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("owner: ana", "owner: priya")).unwrap();
    let u = c.notification("notifications/resources/updated");
    assert_eq!(u["params"]["uri"], "cairn://item/S-19");
    // Unsubscribed, it is not.
    c.request("resources/unsubscribe", json!({"uri": "cairn://item/S-19"}));
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("owner: priya", "owner: sam")).unwrap();
    c.notification("notifications/resources/list_changed");
    let extra = c.drain(std::time::Duration::from_millis(300));
    assert!(
        !extra
            .iter()
            .any(|m| m["method"] == "notifications/resources/updated"),
        "{extra:?}"
    );
}

#[test]
fn a_modern_client_hears_of_changes_on_its_listen_stream() {
    let t = example();
    let mut c = Client::modern(t.path());
    let meta = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
    });
    c.send(json!({
        "jsonrpc": "2.0", "id": 500, "method": "subscriptions/listen",
        "params": {
            "_meta": meta,
            "notifications": { "resourcesListChanged": true, "resourceSubscriptions": ["cairn://item/S-19"] },
        },
    }));
    let ack = c.notification("notifications/subscriptions/acknowledged");
    assert_eq!(
        ack["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], 500,
        "{ack}"
    );
    let path = t.path().join(S19);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("owner: priya", "owner: sam")).unwrap();
    let changed = c.notification("notifications/resources/list_changed");
    assert_eq!(
        changed["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], 500,
        "{changed}"
    );
    let updated = c.notification("notifications/resources/updated");
    assert_eq!(updated["params"]["uri"], "cairn://item/S-19");
    // Cancelled, the stream ends.
    c.notify(
        "notifications/cancelled",
        json!({ "requestId": 500, "_meta": meta }),
    );
    let _ = c.drain(std::time::Duration::from_millis(200));
    std::fs::write(&path, text).unwrap();
    let after = c.drain(std::time::Duration::from_millis(500));
    assert!(
        !after
            .iter()
            .any(|m| m["method"] == "notifications/resources/list_changed"),
        "{after:?}"
    );
}

#[test]
fn an_item_edited_on_disk_is_what_the_next_call_on_it_sees_at_once() {
    // Without waiting for the watcher: a call on one item checks that item's file first.
    let t = example();
    let mut c = Client::new(t.path());
    let path = t.path().join(S19);
    let text = std::fs::read_to_string(&path).unwrap();
    for n in 0..20 {
        let title = format!("Title number {n}");
        std::fs::write(&path, text.replace("SAML 2.0 single sign-on", &title)).unwrap();
        assert_eq!(c.ok("show", json!({"id": "S-19"}))["title"], title.as_str());
        let read = c.request("resources/read", json!({"uri": "cairn://item/S-19"}));
        assert!(read["result"]["contents"][0]["text"]
            .as_str()
            .unwrap()
            .contains(&title));
    }
    std::fs::write(&path, text.replace("estimate: 8", "estimate: 5")).unwrap();
    let report = c.ok("set", json!({"id": "S-19", "fields": {"owner": "ana"}}));
    assert_eq!(report["fields"][0]["from"], "priya");
    let after = t.read(S19);
    assert!(
        after.contains("estimate: 5\n") && after.contains("owner: ana\n"),
        "{after}"
    );
}
