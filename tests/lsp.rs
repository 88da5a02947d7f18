//! `cairn lsp` driven over stdio with JSON-RPC, as an editor drives it; and `cairn schema`.

mod common;

use common::Test;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(20);

/// An editor's side of the conversation: the real binary, framed JSON-RPC both ways.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: mpsc::Receiver<Value>,
    /// Notifications and requests from the server not yet looked at.
    pending: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `cairn lsp` in `dir` (without initializing).
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("cairn"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start cairn lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("Content-Length from the server")];
                r.read_exact(&mut body).unwrap();
                let v: Value = serde_json::from_slice(&body).expect("the server sends JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            rx,
            pending: Vec::new(),
            next_id: 1,
        }
    }

    /// Starts `cairn lsp` and goes through `initialize` / `initialized` with `dir` as the root.
    fn new(dir: &Path) -> Client {
        let mut c = Client::start(dir);
        let root = uri(dir, "");
        let caps = json!({ "textDocument": { "publishDiagnostics": {} } });
        let r = c.request(
            "initialize",
            json!({ "processId": null, "rootUri": root, "capabilities": caps }),
        );
        assert_eq!(r["result"]["serverInfo"]["name"], "cairn", "{r}");
        c.notify("initialized", json!({}));
        c
    }

    fn raw(&mut self, body: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, msg: Value) {
        self.raw(&msg.to_string());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn next(&mut self) -> Value {
        self.rx
            .recv_timeout(TIMEOUT)
            .expect("a message from the server in time")
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.response(json!(id))
    }

    fn response(&mut self, id: Value) -> Value {
        loop {
            let msg = self.next();
            if msg.get("method").is_none() && msg["id"] == id {
                return msg;
            }
            self.pending.push(msg);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_for = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.pending.iter().position(is_for) {
            let m = self.pending.remove(i);
            return m["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let m = self.next();
            if is_for(&m) {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.pending.push(m);
        }
    }

    /// Waits until the server has handled everything sent so far, then returns the diagnostics it
    /// published meanwhile, by URI.
    fn settle(&mut self) -> Vec<(String, usize)> {
        // The server publishes pending diagnostics before it answers a request.
        self.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": "file:///nowhere.md" }, "position": { "line": 0, "character": 0 } }),
        );
        let out = self
            .pending
            .iter()
            .filter(|m| m["method"] == "textDocument/publishDiagnostics")
            .map(|m| {
                let uri = m["params"]["uri"].as_str().unwrap().to_string();
                (uri, m["params"]["diagnostics"].as_array().unwrap().len())
            })
            .collect();
        self.pending
            .retain(|m| m["method"] != "textDocument/publishDiagnostics");
        out
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    fn at(&mut self, method: &str, uri: &str, line: u32, character: u32) -> Value {
        let mut params = json!({
            "textDocument": { "uri": uri },
            "position": { "line": line, "character": character },
        });
        if method == "textDocument/references" {
            params["context"] = json!({ "includeDeclaration": false });
        }
        self.request(method, params)
    }

    /// `shutdown` then `exit`; the exit code of the server.
    fn shutdown(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert!(r["result"].is_null() && r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        self.wait()
    }

    fn wait(&mut self) -> i32 {
        drop(self.stdin.take());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(start.elapsed() < TIMEOUT, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `file://` URI of `rel` under `dir`.
fn uri(dir: &Path, rel: &str) -> String {
    let dir = dir.canonicalize().unwrap();
    let p = if rel.is_empty() { dir } else { dir.join(rel) };
    format!("file://{}", p.display())
}

const GOAL: &str = "---\nid: G-1\ntitle: Faster planning\nstatus: active\n---\nWhy it matters.\n\n## Why now\n\nBecause.\n";

fn story(goal: &str, status: &str) -> String {
    format!(
        "---\nid: S-1\ntitle: Recurring tasks\nstatus: {status}\ngoal: {goal}\nestimate: 3\ndepends_on: [S-2]\n---\nAs a lead, I can repeat tasks.\n\nSee the [goal](../goals/G-1.md#why-now).\n\n## Acceptance criteria\n- [x] weekly\n- [ ] monthly\n"
    )
}

const S2: &str = "---\nid: S-2\ntitle: Task templates\nstatus: done\ngoal: G-1\n---\nAs a lead, I can reuse tasks.\n";

fn plan() -> Test {
    Test::new()
        .file("plan/goals/G-1.md", GOAL)
        .file("plan/stories/S-1.md", story("G-1", "draft"))
        .file("plan/stories/S-2.md", S2)
}

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

/// `scripts/bench` section `lsp`: edit → diagnostics latency and memory over a generated plan.
/// Run with `cargo test --release --test lsp -- --ignored --nocapture lsp_bench`; the plan
/// comes from `CAIRN_BENCH_PLAN` or is generated with `scripts/gen_plan.py` (10,000 items).
#[test]
#[ignore]
fn lsp_bench() {
    let edits: usize = std::env::var("CAIRN_BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let tmp;
    let dir = match std::env::var_os("CAIRN_BENCH_PLAN") {
        Some(d) => std::path::PathBuf::from(d),
        None => {
            tmp = tempfile::tempdir().unwrap();
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen_plan.py");
            let ok = Command::new("python3")
                .arg(script)
                .arg(tmp.path().join("p"))
                .args(["10000", "--seed", "42"])
                .stdout(Stdio::null())
                .status()
                .expect("python3");
            assert!(ok.success());
            tmp.path().join("p")
        }
    };
    let story = std::fs::read_dir(dir.join("plan/stories"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("a story");
    let rel = story
        .strip_prefix(&dir)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let text = std::fs::read_to_string(&story).unwrap();
    let goal_line = text
        .lines()
        .find(|l| l.starts_with("goal: "))
        .expect("goal line")
        .to_string();
    let broken = text.replace(&goal_line, "goal: G-999999");
    let items = walk_count(&dir.join("plan"));

    let started = Instant::now();
    let mut c = Client::new(&dir);
    let startup = started.elapsed();
    let s = uri(&dir, &rel);
    c.open(&s, &text);
    let _ = c.settle();
    let pid = c.child.id();
    let mut times = Vec::with_capacity(edits);
    let mut rss_early = 0;
    let mut rss_half = 0;
    for i in 0..edits {
        let next = if i % 2 == 0 { &broken } else { &text };
        let t0 = Instant::now();
        c.change(&s, i as i64 + 2, next);
        let d = c.diagnostics(&s);
        times.push(t0.elapsed());
        assert_eq!(d.len(), usize::from(i % 2 == 0), "edit {i}: {d:?}");
        if i + 1 == edits / 10 {
            rss_early = rss_kb(pid);
        }
        if i + 1 == edits / 2 {
            rss_half = rss_kb(pid);
        }
    }
    let rss_late = rss_kb(pid);
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: f64| ms(times[((times.len() as f64 * q) as usize).min(times.len() - 1)]);
    println!(
        "lsp-bench items={items} edits={edits} startup_ms={:.1} median_ms={:.2} p95_ms={:.2} max_ms={:.2} rss_kb_after_{}={rss_early} rss_kb_after_{}={rss_half} rss_kb_after_{edits}={rss_late}",
        ms(startup),
        p(0.5),
        p(0.95),
        ms(*times.last().unwrap()),
        edits / 10,
        edits / 2,
    );
    assert_eq!(c.shutdown(), 0);
}

fn walk_count(dir: &Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            n += walk_count(&p);
        } else if std::fs::read_to_string(&p).is_ok_and(|t| t.starts_with("---\nid:")) {
            n += 1;
        }
    }
    n
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
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
