//! Diagnostics as the user types: unsaved edits, renamed ids, UTF-16 columns, the config.

use crate::client::*;
use serde_json::{json, Value};

#[test]
fn diagnostics_follow_unsaved_edits_across_files() {
    let t = plan();
    assert_eq!(
        t.check().rules(),
        Vec::<String>::new(),
        "the plan starts clean"
    );
    let mut c = Client::new(t.path());
    let s1 = uri(t.path(), "plan/stories/S-1.md");

    // A broken reference in the buffer: exactly that finding, where it is written.
    c.open(&s1, &story("G-9", "draft"));
    let d = c.diagnostics(&s1);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "broken-reference");
    assert_eq!(d[0]["severity"], 1);
    assert_eq!(d[0]["source"], "cairn");
    assert_eq!(
        d[0]["range"],
        json!({ "start": { "line": 4, "character": 6 }, "end": { "line": 4, "character": 9 } })
    );
    assert!(d[0]["message"].as_str().unwrap().contains("`G-9`"), "{d:?}");
    // Done while its dependency S-2 is reopened in another buffer: a warning on S-1, which that
    // edit did not touch (and S-2, in review, is not ready: no estimate, no criteria).
    c.change(&s1, 2, &story("G-1", "done"));
    assert_eq!(c.diagnostics(&s1), Vec::<Value>::new());
    let s2 = uri(t.path(), "plan/stories/S-2.md");
    c.open(&s2, &S2.replace("status: done", "status: review"));
    let d = c.diagnostics(&s1);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "status-conflict");
    assert_eq!(d[0]["severity"], 2);
    assert_eq!(d[0]["relatedInformation"][0]["location"]["uri"], s2);
    let d = c.diagnostics(&s2);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "not-ready");

    // Fixed in the buffers: both files are cleared, nothing was saved.
    c.change(&s2, 2, S2);
    assert_eq!(c.diagnostics(&s1), Vec::<Value>::new());
    assert_eq!(c.diagnostics(&s2), Vec::<Value>::new());
    assert_eq!(c.settle(), Vec::<(String, usize)>::new());
    assert_eq!(t.read("plan/stories/S-1.md"), story("G-1", "draft"));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn renaming_an_id_lights_up_its_dependents() {
    let t = plan();
    let mut c = Client::new(t.path());
    let s1 = uri(t.path(), "plan/stories/S-1.md");
    let s2 = uri(t.path(), "plan/stories/S-2.md");
    c.open(&s2, S2);
    // An incremental edit: `S-2` becomes `S-7` on line 1.
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": s2, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 1, "character": 6 }, "end": { "line": 1, "character": 7 } }, "text": "7" }],
        }),
    );
    let d = c.diagnostics(&s1);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "broken-reference");
    assert!(d[0]["message"].as_str().unwrap().contains("`S-2`"));
    // Closing the buffer without saving: the file on disk counts again.
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": s2 } }),
    );
    assert_eq!(c.diagnostics(&s1), Vec::<Value>::new());
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn non_ascii_text_gets_utf16_columns() {
    let t = plan();
    let mut c = Client::new(t.path());
    let s1 = uri(t.path(), "plan/stories/S-1.md");
    // `🚀` is one character for cairn and two UTF-16 units for the editor.
    let text = story("G-1", "draft").replace("depends_on: [S-2]", "depends_on: [\"🚀\", S-9, S-2]");
    c.open(&s1, &text);
    let d = c.diagnostics(&s1);
    let broken: Vec<&Value> = d
        .iter()
        .filter(|d| d["code"] == "broken-reference")
        .collect();
    assert_eq!(broken.len(), 1, "{d:?}");
    assert_eq!(
        broken[0]["range"],
        json!({ "start": { "line": 6, "character": 19 }, "end": { "line": 6, "character": 22 } })
    );
    // The same finding in the same character column, but one UTF-16 unit to the left once the
    // emoji becomes a plain letter: it is sent again with the new range.
    c.change(&s1, 2, &text.replace('🚀', "a"));
    let d = c.diagnostics(&s1);
    let broken: Vec<&Value> = d
        .iter()
        .filter(|d| d["code"] == "broken-reference")
        .collect();
    assert_eq!(
        broken[0]["range"]["start"],
        json!({ "line": 6, "character": 18 })
    );
    c.change(&s1, 3, &text);
    c.diagnostics(&s1);
    // `S-2` starts at UTF-16 column 24 (character 23).
    let def = c.at("textDocument/definition", &s1, 6, 24);
    assert!(
        def["result"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("plan/stories/S-2.md"),
        "{def}"
    );
}

#[test]
fn a_broken_config_is_a_diagnostic_on_cairn_yaml() {
    let t = plan().config("kinds:\n  story: { prefix: s }\nsprintz: []\n");
    let mut c = Client::new(t.path());
    let published = c.settle();
    let config = uri(t.path(), "cairn.yaml");
    assert_eq!(published, [(config, 1)], "{published:?}");
}

#[test]
fn existing_findings_are_published_at_start() {
    let t = plan().file(
        "plan/stories/S-4.md",
        "---\nid: S-4\ntitle: x\nstatus: draft\ngoal: G-7\n---\n",
    );
    let mut c = Client::new(t.path());
    let s4 = uri(t.path(), "plan/stories/S-4.md");
    let d = c.diagnostics(&s4);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["code"], "broken-reference");
    // Nothing else changes: nothing more is published.
    assert_eq!(c.settle(), Vec::<(String, usize)>::new());
}
