//! What the protocol asks of a server: errors answered, never a crash; how a session ends; `cairn schema`.

use crate::client::*;
use crate::common::Test;
use serde_json::{json, Value};

#[test]
fn protocol_errors_never_crash_the_server() {
    let t = plan();
    let mut c = Client::start(t.path());
    // Before `initialize`: ServerNotInitialized.
    let r = c.at("textDocument/hover", "file:///x.md", 0, 0);
    assert_eq!(r["error"]["code"], -32002, "{r}");
    c.request("initialize", json!({ "capabilities": {} }));
    c.notify("initialized", json!({}));
    // Not JSON: a parse error with a null id.
    c.raw("{this is not json");
    let r = c.response(Value::Null);
    assert_eq!(r["error"]["code"], -32700, "{r}");
    // JSON, but no method: an invalid request with its id.
    c.send(json!({ "jsonrpc": "2.0", "id": 99 }));
    let r = c.response(json!(99));
    assert_eq!(r["error"]["code"], -32600, "{r}");
    // Unknown method, bad parameters, a second initialize.
    let r = c.request("textDocument/frobnicate", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let r = c.request("textDocument/definition", json!({ "textDocument": 5 }));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = c.request("initialize", json!({ "capabilities": {} }));
    assert_eq!(r["error"]["code"], -32600, "{r}");
    // Notifications with bad parameters and unknown notifications are ignored.
    c.notify("textDocument/didOpen", json!({ "textDocument": "nope" }));
    c.notify("$/unknown", json!(null));
    // A file outside the plan root, and positions past the end of a file.
    let r = c.at("textDocument/definition", "file:///etc/passwd", 9999, 9999);
    assert!(r["result"].is_null(), "{r}");
    let s1 = uri(t.path(), "plan/stories/S-1.md");
    c.open(&s1, &story("G-1", "draft"));
    for method in [
        "textDocument/definition",
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/references",
    ] {
        let r = c.at(method, &s1, 9999, 9999);
        assert!(r.get("error").is_none(), "{method}: {r}");
    }
    // Still serving.
    let hover = c.at("textDocument/hover", &s1, 4, 7);
    assert!(hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("G-1"));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_and_end_of_input() {
    let t = plan();
    let mut c = Client::new(t.path());
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), 1);
    // Requests after `shutdown` are refused; the input closing ends the server too.
    let mut c = Client::new(t.path());
    c.request("shutdown", Value::Null);
    let r = c.at("textDocument/hover", "file:///x.md", 0, 0);
    assert_eq!(r["error"]["code"], -32600, "{r}");
    assert_eq!(c.wait(), 1);
}

#[test]
fn schema_prints_json_schema_for_the_config() {
    let t = Test::new().config(
        "sprints:\n  - { name: 2027-S1 }\nfields:\n  tier: { type: string, values: [free, pro] }\n",
    );
    let out = t.run(&["schema"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let s = out.json();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(
        s["$defs"]["story"]["properties"]["sprint"]["enum"],
        json!(["2027-S1"])
    );
    assert_eq!(
        s["$defs"]["goal"]["properties"]["tier"]["enum"],
        json!(["free", "pro"])
    );
    let story = t.run(&["schema", "--kind", "story"]).json();
    assert_eq!(story["properties"]["id"]["pattern"], "^S-[1-9][0-9]*$");
    assert_eq!(story["properties"]["goal"]["pattern"], "^G-[1-9][0-9]*$");
    let bad = t.run(&["schema", "--kind", "storey"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("no kind `storey` is configured (kinds: goal, story)"),
        "{}",
        bad.stderr
    );
}
