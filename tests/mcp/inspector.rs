//! The official MCP Inspector (`@modelcontextprotocol/inspector`) in CLI mode, as a real client:
//! it lists and calls tools, checks the schemas' portability, and reads resources, in both
//! protocol eras. Skipped, with a message, when Node or the Inspector is missing; `.ci/run`
//! installs it with `npm install --prefix target/mcp-inspector @modelcontextprotocol/inspector`.

use crate::client::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Inspector's entry point: `CAIRN_MCP_INSPECTOR`, else the copy installed under
/// `target/mcp-inspector`.
fn inspector() -> Option<PathBuf> {
    let path = match std::env::var_os("CAIRN_MCP_INSPECTOR") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target/mcp-inspector/node_modules/.bin/mcp-inspector"),
    };
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    (node && path.exists()).then_some(path)
}

/// Runs the Inspector's CLI against `cairn mcp` in `dir`; its exit code, stdout and stderr.
fn run(dir: &Path, era: &str, args: &[&str]) -> (i32, String, String) {
    let bin = inspector().expect("checked by the caller");
    let out = crate::common::machine::isolate(&mut Command::new(bin))
        .args(["--cli", "--protocol-era", era, "--format", "json"])
        .arg(env!("CARGO_BIN_EXE_cairn"))
        .args(["-C", dir.to_str().unwrap(), "mcp", "--today", TODAY])
        .args(args)
        .output()
        .expect("run the inspector");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_of(era: &str, args: &[&str], (code, stdout, stderr): (i32, String, String)) -> Value {
    assert_eq!(
        code, 0,
        "inspector {era} {args:?} exited {code}:\n{stdout}\n{stderr}"
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("inspector {era} {args:?}: not JSON ({e}):\n{stdout}\n{stderr}"))
}

/// Says why the Inspector's tests do nothing here, and returns true, when it is missing.
fn missing() -> bool {
    if inspector().is_some() {
        return false;
    }
    eprintln!(
        "skipped: no MCP Inspector (install it with `npm install --prefix target/mcp-inspector @modelcontextprotocol/inspector`, or set CAIRN_MCP_INSPECTOR)"
    );
    true
}

/// Lists and calls every read tool, sees a refused edit as a tool error, and reads resources,
/// as the Inspector does in protocol era `era`.
fn reads_in(era: &str) {
    let t = example();
    let d = t.path();
    let call = |args: &[&str]| json_of(era, args, run(d, era, args));
    let tools = call(&["--method", "tools/list"]);
    let names: Vec<&str> = tools["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "check",
            "list",
            "show",
            "rank",
            "next",
            "new",
            "set",
            "sprint_plan",
            "report"
        ],
        "{era}"
    );
    // The client checks results against the output schemas: these pass.
    let show = call(&[
        "--method",
        "tools/call",
        "--tool-name",
        "show",
        "--tool-arg",
        "id=S-1",
    ]);
    assert_eq!(
        show["result"]["structuredContent"]["id"], "S-1",
        "{era}: {show}"
    );
    let next = call(&["--method", "tools/call", "--tool-name", "next"]);
    assert_eq!(
        next["result"]["structuredContent"]["item"]["id"], "S-19",
        "{era}: {next}"
    );
    let rank = call(&[
        "--method",
        "tools/call",
        "--tool-name",
        "rank",
        "--tool-args-json",
        r#"{"top": 3, "explain": true}"#,
    ]);
    assert_eq!(
        rank["result"]["structuredContent"]["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let check = call(&["--method", "tools/call", "--tool-name", "check"]);
    assert_eq!(
        check["result"]["structuredContent"],
        cli_json(d, &["check", "--format", "json"])
    );
    let list = call(&[
        "--method",
        "tools/call",
        "--tool-name",
        "list",
        "--tool-args-json",
        r#"{"kind": ["goal"]}"#,
    ]);
    assert_eq!(
        list["result"]["structuredContent"]["items"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    let plan = call(&[
        "--method",
        "tools/call",
        "--tool-name",
        "sprint_plan",
        "--tool-args-json",
        r#"{"sprint": "2027-S4"}"#,
    ]);
    assert_eq!(plan["result"]["structuredContent"]["sprint"], "2027-S4");
    let report = call(&[
        "--method",
        "tools/call",
        "--tool-name",
        "report",
        "--tool-arg",
        "name=roadmap",
    ]);
    assert!(
        report["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Roadmap"),
        "{report}"
    );

    // A refused edit is a tool error: exit 5, its payload still printed.
    let (code, stdout, _) = run(
        d,
        era,
        &[
            "--method",
            "tools/call",
            "--tool-name",
            "set",
            "--tool-args-json",
            r#"{"id": "S-19", "fields": {"goal": "G-99"}}"#,
        ],
    );
    assert_eq!(code, 5, "{era}: {stdout}");
    let refused: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(refused["result"]["isError"], true);
    assert_eq!(
        refused["result"]["structuredContent"]["errors"][0]["rule"],
        "broken-reference"
    );

    let resources = call(&["--method", "resources/list"]);
    assert_eq!(
        resources["result"]["resources"].as_array().unwrap().len(),
        37,
        "{era}"
    );
    let read = call(&["--method", "resources/read", "--uri", "cairn://item/S-1"]);
    assert_eq!(
        read["result"]["contents"][0]["text"],
        t.read("plan/stories/S-1-guided-first-project-setup.md")
    );
    let templates = call(&["--method", "resources/templates/list"]);
    assert_eq!(
        templates["result"]["resourceTemplates"][0]["uriTemplate"],
        "cairn://item/{id}"
    );
}

#[test]
fn the_official_inspector_lists_and_calls_tools_legacy_era() {
    if !missing() {
        reads_in("legacy");
    }
}

#[test]
fn the_official_inspector_lists_and_calls_tools_modern_era() {
    if !missing() {
        reads_in("modern");
    }
}

#[test]
fn the_official_inspector_creates_and_edits_an_item() {
    if missing() {
        return;
    }
    let t = example();
    let d = t.path();
    let created = json_of(
        "legacy",
        &[],
        run(
            d,
            "legacy",
            &[
                "--method",
                "tools/call",
                "--tool-name",
                "new",
                "--tool-args-json",
                r#"{"kind": "story", "title": "From the inspector", "parent": "G-1"}"#,
            ],
        ),
    );
    assert_eq!(
        created["result"]["structuredContent"]["id"], "S-31",
        "{created}"
    );
    let set = json_of(
        "modern",
        &[],
        run(
            d,
            "modern",
            &[
                "--method",
                "tools/call",
                "--tool-name",
                "set",
                "--tool-args-json",
                r#"{"id": "S-31", "fields": {"estimate": 2}}"#,
            ],
        ),
    );
    assert_eq!(set["result"]["structuredContent"]["written"], true, "{set}");
    assert!(t
        .read("plan/stories/S-31-from-the-inspector.md")
        .contains("\nestimate: 2\n"));
}

#[test]
fn the_inspector_finds_no_portability_problem_in_the_schemas() {
    if missing() {
        return;
    }
    let t = example();
    let (code, stdout, stderr) = run(t.path(), "legacy", &["--method", "tools/list", "--strict"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        !stderr.contains("Warning:") && !stderr.contains("Error:"),
        "{stderr}"
    );
}
