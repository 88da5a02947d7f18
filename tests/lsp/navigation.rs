//! Definition, hover, references, completion and code actions.

use crate::client::*;
use serde_json::{json, Value};

#[test]
fn definition_hover_references_and_completion() {
    let t = plan().config(
        "sprints:\n  - { name: 2027-S1, start: 2027-01-04, end: 2027-01-15, capacity: 30 }\nfields:\n  tier: { type: string, values: [free, pro] }\n  region: { type: string }\n",
    );
    let mut c = Client::new(t.path());
    let s1 = uri(t.path(), "plan/stories/S-1.md");
    let g1 = uri(t.path(), "plan/goals/G-1.md");
    c.open(&s1, &story("G-1", "draft"));

    // `goal: G-1` (line 4) → G-1's `id:` line.
    let def = c.at("textDocument/definition", &s1, 4, 7);
    assert_eq!(def["result"]["uri"], g1, "{def}");
    assert_eq!(
        def["result"]["range"]["start"],
        json!({ "line": 1, "character": 4 })
    );
    // `depends_on: [S-2]` (line 6) → S-2.
    let def = c.at("textDocument/definition", &s1, 6, 14);
    assert!(
        def["result"]["uri"].as_str().unwrap().ends_with("S-2.md"),
        "{def}"
    );
    // The link on line 10 → the `## Why now` heading of G-1 (line 7).
    let def = c.at("textDocument/definition", &s1, 10, 12);
    assert_eq!(def["result"]["uri"], g1, "{def}");
    assert_eq!(
        def["result"]["range"]["start"],
        json!({ "line": 7, "character": 0 })
    );
    // Nothing under the cursor: null.
    let none = c.at("textDocument/definition", &s1, 8, 1);
    assert!(none["result"].is_null(), "{none}");

    let hover = c.at("textDocument/hover", &s1, 4, 7);
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(text.contains("**G-1** · Faster planning"), "{text}");
    assert!(text.contains("`active` (doing)"), "{text}");
    assert!(text.contains("progress"), "{text}");
    assert!(text.contains("score"), "{text}");

    // Find references on G-1's `id:`: the stories that name it.
    c.open(&g1, GOAL);
    let refs = c.at("textDocument/references", &g1, 1, 5);
    let mut files: Vec<String> = refs["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            l["uri"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    files.sort();
    assert_eq!(files, ["S-1.md", "S-2.md"], "{refs}");
    // On S-2's id: S-1 depends on it.
    let refs = c.at("textDocument/references", &s1, 6, 14);
    assert_eq!(refs["result"].as_array().unwrap().len(), 1, "{refs}");
    assert_eq!(refs["result"][0]["uri"], s1);

    let labels = |r: &Value| -> Vec<String> {
        r["result"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    // Statuses of a story after `status: ` (line 3, column 8).
    let r = c.at("textDocument/completion", &s1, 3, 8);
    assert_eq!(
        labels(&r),
        ["draft", "ready", "in-progress", "review", "done", "dropped"]
    );
    // Ids of goals, with their titles, after `goal: ` (line 4).
    let r = c.at("textDocument/completion", &s1, 4, 9);
    assert_eq!(labels(&r), ["G-1"]);
    assert_eq!(
        r["result"]["items"][0]["detail"],
        "Faster planning (active)"
    );
    assert_eq!(
        r["result"]["items"][0]["textEdit"]["range"],
        json!({ "start": { "line": 4, "character": 6 }, "end": { "line": 4, "character": 9 } })
    );
    // Field names on a new line: built in and configured, not those already written.
    let text = story("G-1", "draft").replace(
        "estimate: 3\n",
        "estimate: 3\nti\nsprint: \nmoscow: \ntier: \n",
    );
    c.change(&s1, 2, &text);
    let names = labels(&c.at("textDocument/completion", &s1, 6, 2));
    for name in ["region", "owner", "tags", "rice"] {
        assert!(names.contains(&name.to_string()), "{name} not in {names:?}");
    }
    for name in ["title", "tier", "horizon", "estimate"] {
        assert!(!names.contains(&name.to_string()), "{name} in {names:?}");
    }
    assert_eq!(
        labels(&c.at("textDocument/completion", &s1, 7, 8)),
        ["2027-S1"]
    );
    assert_eq!(
        labels(&c.at("textDocument/completion", &s1, 8, 8)),
        ["must", "should", "could", "wont"]
    );
    assert_eq!(
        labels(&c.at("textDocument/completion", &s1, 9, 6)),
        ["free", "pro"]
    );
    // Paths and anchors inside `](`.
    let text = "---\nid: S-1\ntitle: T\nstatus: draft\ngoal: G-1\n---\nSee [g](../goals/G-1.md#) and [s](\n";
    c.change(&s1, 3, text);
    assert_eq!(
        labels(&c.at("textDocument/completion", &s1, 6, 24)),
        ["why-now"]
    );
    let paths = labels(&c.at("textDocument/completion", &s1, 6, 34));
    assert_eq!(paths, ["../goals/G-1.md", "S-2.md"]);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn code_actions_fix_what_has_one_answer() {
    let t = plan();
    let mut c = Client::new(t.path());
    let s1 = uri(t.path(), "plan/stories/S-1.md");
    let text = story("G-1", "in-progres").replace("title: Recurring tasks\n", "");
    let text = text.replace("## Acceptance criteria\n- [x] weekly\n- [ ] monthly\n", "");
    c.open(&s1, &text);
    let d = c.diagnostics(&s1);
    let mut codes: Vec<&str> = d.iter().map(|d| d["code"].as_str().unwrap()).collect();
    codes.sort();
    assert_eq!(codes, ["invalid-value", "missing-field"], "{d:?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": s1 },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 12, "character": 0 } },
            "context": { "diagnostics": d },
        }),
    );
    let list = actions["result"].as_array().unwrap();
    let find = |title: &str| {
        list.iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("no action `{title}` in {list:?}"))
    };
    let fix = find("Replace with `in-progress`");
    assert_eq!(fix["kind"], "quickfix");
    let edit = &fix["edit"]["changes"][&s1][0];
    assert_eq!(edit["newText"], "in-progress");
    assert_eq!(
        edit["range"],
        json!({ "start": { "line": 2, "character": 8 }, "end": { "line": 2, "character": 18 } })
    );
    // No heading and no words in the file name: the placeholder of the help.
    let add = find("Add `title: Short name`");
    assert_eq!(
        add["edit"]["changes"][&s1][0]["range"]["start"],
        json!({ "line": 6, "character": 0 })
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn missing_fields_and_criteria_get_actions() {
    let t = plan();
    let mut c = Client::new(t.path());
    let s3 = uri(t.path(), "plan/stories/S-3-export-to-csv.md");
    let text =
        "---\nid: S-3\ngoal: G-1\nstatus: ready\nestimate: 2\n---\nAs a user, I can export.\n";
    c.open(&s3, text);
    let d = c.diagnostics(&s3);
    let mut codes: Vec<&str> = d.iter().map(|d| d["code"].as_str().unwrap()).collect();
    codes.sort();
    assert_eq!(codes, ["missing-field", "not-ready"], "{d:?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": s3 },
            "range": { "start": { "line": 3, "character": 0 }, "end": { "line": 5, "character": 3 } },
            "context": { "diagnostics": [] },
        }),
    );
    let list = actions["result"].as_array().unwrap();
    let titles: Vec<&str> = list.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "Add an `## Acceptance criteria` section",
            "Add `title: Export to csv`"
        ],
        "{list:?}"
    );
    let edit = &list[1]["edit"]["changes"][&s3][0];
    assert_eq!(edit["newText"], "title: Export to csv\n");
    assert_eq!(edit["range"]["start"], json!({ "line": 5, "character": 0 }));
    let edit = &list[0]["edit"]["changes"][&s3][0];
    assert_eq!(edit["newText"], "\n## Acceptance criteria\n- [ ] \n");
    assert_eq!(edit["range"]["start"], json!({ "line": 7, "character": 0 }));
}

#[test]
fn files_outside_the_plan_get_no_findings_but_links_still_lead() {
    let t = plan().file(
        "README.md",
        "# Project\n\nThe [roadmap goal](plan/goals/G-1.md#why-now).\n",
    );
    let mut c = Client::new(t.path());
    let readme = uri(t.path(), "README.md");
    c.open(
        &readme,
        "# Project\n\nThe [roadmap goal](plan/goals/G-1.md#why-now) and [x](nope.md).\n",
    );
    assert_eq!(c.settle(), Vec::<(String, usize)>::new());
    let def = c.at("textDocument/definition", &readme, 2, 8);
    assert!(
        def["result"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("plan/goals/G-1.md"),
        "{def}"
    );
    assert_eq!(def["result"]["range"]["start"]["line"], 7);
    assert_eq!(c.shutdown(), 0);
}

/// Backlog.md numbers sub-tasks `BACK-222.1`. Hover on that `id:` showed BACK-222 (the id
/// characters around the cursor, up to the `.`), and go-to-definition jumped to it.
#[test]
fn hover_on_id_back_222_1_is_not_back_222() {
    let t = crate::common::Test::new()
        .config("kinds:\n  task: { prefix: BACK, statuses: { todo: todo, done: done } }\n")
        .file(
            "plan/back-222.md",
            "---\nid: BACK-222\ntitle: Parent task\nstatus: todo\n---\n",
        )
        .file(
            "plan/back-222.1.md",
            "---\nid: BACK-222.1\ntitle: Sub-task\nstatus: todo\ndepends_on: [BACK-222.1, BACK-222]\n---\nSee BACK-222. And BACK-222.1.\n",
        );
    let mut c = Client::new(t.path());
    let sub = uri(t.path(), "plan/back-222.1.md");
    c.open(&sub, &t.read("plan/back-222.1.md"));
    // Every column of the token, on `id:` and in `depends_on`: the whole token, not an id.
    for (line, columns) in [(1, 4..=14), (4, 13..=23)] {
        for col in columns {
            let h = c.at("textDocument/hover", &sub, line, col);
            let text = h["result"]["contents"]["value"].as_str().unwrap_or("");
            assert!(
                text.starts_with("**`BACK-222.1` is not an id**"),
                "{line}:{col}: {h}"
            );
            assert!(
                text.contains(
                    "`PREFIX-N` with N a positive integer: `222.1` is not a positive integer"
                ),
                "{text}"
            );
            assert!(!text.contains("Parent task"), "{text}");
            let first = if line == 1 { 4 } else { 13 };
            assert_eq!(
                h["result"]["range"],
                json!({ "start": { "line": line, "character": first },
                        "end": { "line": line, "character": first + 10 } })
            );
            let def = c.at("textDocument/definition", &sub, line, col);
            assert!(def["result"].is_null(), "{line}:{col}: {def}");
            let refs = c.at("textDocument/references", &sub, line, col);
            assert!(refs["result"].is_null(), "{line}:{col}: {refs}");
        }
    }
    // The real BACK-222 next to it still resolves, and a sentence's full stop is not part of an id.
    assert!(hover_text(&mut c, &sub, 4, 27).contains("**BACK-222** · Parent task"));
    assert!(hover_text(&mut c, &sub, 6, 8).contains("**BACK-222** · Parent task"));
    // In the text, a token that is no id is just a word.
    let h = c.at("textDocument/hover", &sub, 6, 22);
    assert!(h["result"].is_null(), "{h}");
    // A well-formed id of another prefix, or of no item, says so in an id field.
    let text = t
        .read("plan/back-222.1.md")
        .replace("[BACK-222.1, BACK-222]", "[X-1, BACK-9]");
    c.change(&sub, 2, &text);
    let x = hover_text(&mut c, &sub, 4, 14);
    assert!(
        x.contains(
            "No kind has the prefix `X`; ids here are `G-N` (goal), `S-N` (story), `BACK-N` (task)"
        ),
        "{x}"
    );
    assert!(hover_text(&mut c, &sub, 4, 19).contains("**`BACK-9`**: no item has this id."));
    assert_eq!(c.shutdown(), 0);
}

fn hover_text(c: &mut Client, uri: &str, line: u32, character: u32) -> String {
    let h = c.at("textDocument/hover", uri, line, character);
    h["result"]["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string()
}
