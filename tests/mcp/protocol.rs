//! The handshake of each protocol era, and what the server does with malformed input.

use crate::client::*;
use serde_json::{json, Value};

#[test]
fn initialize_answers_the_version_asked_for_or_the_newest_with_a_handshake() {
    let t = example();
    for (asked, answered) in [
        ("2025-11-25", "2025-11-25"),
        ("2025-06-18", "2025-06-18"),
        ("2025-03-26", "2025-03-26"),
        ("2024-11-05", "2024-11-05"),
        // A version from the future, or the stateless 2026-07-28 (which has no `initialize`):
        // the newest revision that has a handshake.
        ("2099-01-01", "2025-11-25"),
        ("2026-07-28", "2025-11-25"),
    ] {
        let (c, result) = Client::legacy(t.path(), asked);
        assert_eq!(
            result["protocolVersion"], answered,
            "asked {asked}: {result}"
        );
        assert_eq!(result["capabilities"]["tools"]["listChanged"], true);
        assert_eq!(result["capabilities"]["resources"]["subscribe"], true);
        assert_eq!(result["capabilities"]["resources"]["listChanged"], true);
        assert!(
            result["instructions"].as_str().unwrap().contains("refuse"),
            "{result}"
        );
        assert_eq!(c.finish(), 0);
    }
}

#[test]
fn an_older_client_gets_the_same_tools_without_the_newer_fields() {
    let t = example();
    let (mut c, _) = Client::legacy(t.path(), "2024-11-05");
    let r = c.request("tools/list", json!({}));
    let tools = r["result"]["tools"].as_array().unwrap();
    assert_eq!(tools.len(), 9, "{r}");
    let next = c.call("next", json!({}));
    assert_eq!(next["structuredContent"]["item"]["id"], "S-19");
    assert!(next.get("resultType").is_none(), "2026-07-28 only: {next}");
}

#[test]
fn a_modern_client_discovers_and_calls_without_a_handshake() {
    let t = example();
    let mut c = Client::modern(t.path());
    let d = c.request("server/discover", json!({}));
    let versions = d["result"]["supportedVersions"].as_array().unwrap();
    for v in [
        "2026-07-28",
        "2025-11-25",
        "2025-06-18",
        "2025-03-26",
        "2024-11-05",
    ] {
        assert!(versions.contains(&json!(v)), "{v} in {d}");
    }
    assert_eq!(d["result"]["capabilities"]["tools"]["listChanged"], true);
    let tools = c.request("tools/list", json!({}));
    assert_eq!(tools["result"]["resultType"], "complete", "{tools}");
    assert_eq!(tools["result"]["tools"].as_array().unwrap().len(), 9);
    assert!(
        tools["result"].get("ttlMs").is_some(),
        "caching hints: {tools}"
    );
    let next = c.call("next", json!({}));
    assert_eq!(next["structuredContent"]["item"]["id"], "S-19", "{next}");

    // A request without the metadata the stateless protocol needs is refused, and the server
    // goes on.
    c.send(json!({"jsonrpc": "2.0", "id": 99, "method": "tools/list", "params": {}}));
    let r = c.response(&json!(99));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    assert_eq!(
        c.request("tools/list", json!({}))["result"]["tools"]
            .as_array()
            .unwrap()
            .len(),
        9
    );
}

#[test]
fn an_unsupported_modern_version_is_refused_with_the_supported_ones() {
    let t = example();
    let mut c = Client::start(t.path());
    c.send(json!({
        "jsonrpc": "2.0", "id": 1, "method": "tools/list",
        "params": { "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2099-01-01",
            "io.modelcontextprotocol/clientCapabilities": {},
        }},
    }));
    let r = c.response(&json!(1));
    assert_eq!(r["error"]["code"], -32022, "{r}");
    let supported = r["error"]["data"]["supported"]
        .as_array()
        .expect("supported versions");
    assert!(supported.contains(&json!("2026-07-28")), "{r}");
}

#[test]
fn malformed_json_rpc_gets_an_error_and_the_server_keeps_serving() {
    let t = example();
    let mut c = Client::new(t.path());
    let error_of = |m: &Value| m["error"]["code"].as_i64();
    // Not JSON: a parse error, with no id to give.
    c.raw("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": ");
    let m = c.next();
    assert_eq!(error_of(&m), Some(-32700), "{m}");
    assert!(m.get("id").is_none(), "{m}");
    // JSON, but not JSON-RPC: invalid request, with the id when there is one.
    c.raw(r#"{"id": 8, "method": "tools/list"}"#);
    let m = c.next();
    assert_eq!((error_of(&m), &m["id"]), (Some(-32600), &json!(8)), "{m}");
    c.raw(r#"[{"jsonrpc": "2.0", "id": 9, "method": "tools/list"}]"#);
    assert_eq!(error_of(&c.next()), Some(-32600));
    c.raw(r#"{"jsonrpc": "2.0", "id": 10, "method": 42}"#);
    let m = c.next();
    assert_eq!((error_of(&m), &m["id"]), (Some(-32600), &json!(10)), "{m}");
    c.raw("\"just a string\"");
    assert_eq!(error_of(&c.next()), Some(-32600));
    // Blank lines are nothing.
    c.raw("");
    c.raw("   ");
    // An unknown method and an unknown tool are JSON-RPC errors too.
    let r = c.request("tools/frobnicate", json!({}));
    assert_eq!(error_of(&r), Some(-32601), "{r}");
    let r = c.request("tools/call", json!({ "name": "shwo", "arguments": {} }));
    assert_eq!(error_of(&r), Some(-32602), "{r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `show`?"),
        "{r}"
    );
    // And the server still answers.
    let s = c.ok("show", json!({ "id": "S-1" }));
    assert_eq!(s["id"], "S-1");
    assert_eq!(c.finish(), 0);
}

#[test]
fn stray_notifications_before_initialize_do_not_end_the_session() {
    let t = example();
    let mut c = Client::start(t.path());
    c.notify("notifications/initialized", json!({}));
    c.raw("not json at all");
    assert_eq!(c.next()["error"]["code"], -32700);
    let r = c.request(
        "initialize",
        json!({ "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": { "name": "x", "version": "1" } }),
    );
    assert_eq!(r["result"]["protocolVersion"], "2025-06-18", "{r}");
    c.notify("notifications/initialized", json!({}));
    assert_eq!(
        c.ok("list", json!({ "kind": ["goal"] }))["items"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
}

#[test]
fn the_end_of_input_ends_the_server_cleanly() {
    let t = example();
    let c = Client::new(t.path());
    assert_eq!(c.finish(), 0);
    // Before any handshake, too.
    let c = Client::start(t.path());
    assert_eq!(c.finish(), 0);
}

#[test]
fn standard_output_carries_nothing_but_protocol() {
    // The client's reader fails the test on any line that is not a JSON-RPC message; here every
    // tool runs, a refused one included, and what the server logs goes to standard error.
    let t = example();
    let mut child = crate::common::cairn_cmd(t.path(), &["mcp", "--today", TODAY])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    let mut input = child.stdin.take().unwrap();
    let lines = [
        json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}),
        json!({"jsonrpc":"2.0","method":"notifications/initialized"}),
        json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"check","arguments":{}}}),
        json!({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"report","arguments":{"name":"roadmap"}}}),
        json!({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"set","arguments":{"id":"S-1","fields":{"goal":"G-99"}}}}),
        json!({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"sprint_plan","arguments":{}}}),
    ];
    for l in &lines {
        writeln!(input, "{l}").unwrap();
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.lines().count(),
        5,
        "one response per request:\n{stdout}"
    );
    for line in stdout.lines() {
        let v: Value = serde_json::from_str(line).expect("JSON");
        assert_eq!(v["jsonrpc"], "2.0");
        assert!(v.get("result").is_some(), "{v}");
    }
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("cairn mcp ")
            && stderr.contains("serving the plan at")
            && stderr.contains("(36 items)"),
        "{stderr}"
    );
}
