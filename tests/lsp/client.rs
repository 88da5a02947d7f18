//! An editor's side of the conversation, and the small plan most tests start from.

use crate::common::Test;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(20);

/// An editor's side of the conversation: the real binary, framed JSON-RPC both ways.
pub struct Client {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    pub rx: mpsc::Receiver<Value>,
    /// Notifications and requests from the server not yet looked at.
    pub pending: Vec<Value>,
    pub next_id: i64,
}

impl Client {
    /// Starts `cairn lsp` in `dir` (without initializing).
    pub fn start(dir: &Path) -> Client {
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
    pub fn new(dir: &Path) -> Client {
        Client::init(dir, json!({ "rootUri": uri(dir, "") }))
    }

    /// Starts `cairn lsp` in `cwd` and goes through `initialize` / `initialized` with `params`
    /// (the root, the workspace folders) added to the usual ones.
    pub fn init(cwd: &Path, params: Value) -> Client {
        let mut c = Client::start(cwd);
        let mut all = json!({
            "processId": null,
            "capabilities": { "textDocument": { "publishDiagnostics": {} } },
        });
        for (k, v) in params.as_object().expect("an object of parameters") {
            all[k] = v.clone();
        }
        let r = c.request("initialize", all);
        assert_eq!(r["result"]["serverInfo"]["name"], "cairn", "{r}");
        c.notify("initialized", json!({}));
        c
    }

    /// The server's log messages so far.
    pub fn logs(&mut self) -> Vec<String> {
        self.settle();
        self.pending
            .iter()
            .filter(|m| m["method"] == "window/logMessage")
            .map(|m| m["params"]["message"].as_str().unwrap_or("").to_string())
            .collect()
    }

    pub fn raw(&mut self, body: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    pub fn send(&mut self, msg: Value) {
        self.raw(&msg.to_string());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    pub fn next(&mut self) -> Value {
        self.rx
            .recv_timeout(TIMEOUT)
            .expect("a message from the server in time")
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.response(json!(id))
    }

    pub fn response(&mut self, id: Value) -> Value {
        loop {
            let msg = self.next();
            if msg.get("method").is_none() && msg["id"] == id {
                return msg;
            }
            self.pending.push(msg);
        }
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
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
    pub fn settle(&mut self) -> Vec<(String, usize)> {
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

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    pub fn at(&mut self, method: &str, uri: &str, line: u32, character: u32) -> Value {
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
    pub fn shutdown(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert!(r["result"].is_null() && r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        self.wait()
    }

    pub fn wait(&mut self) -> i32 {
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
pub fn uri(dir: &Path, rel: &str) -> String {
    let dir = dir.canonicalize().unwrap();
    let p = if rel.is_empty() { dir } else { dir.join(rel) };
    format!("file://{}", p.display())
}

pub const GOAL: &str = "---\nid: G-1\ntitle: Faster planning\nstatus: active\n---\nWhy it matters.\n\n## Why now\n\nBecause.\n";

pub fn story(goal: &str, status: &str) -> String {
    format!(
        "---\nid: S-1\ntitle: Recurring tasks\nstatus: {status}\ngoal: {goal}\nestimate: 3\ndepends_on: [S-2]\n---\nAs a lead, I can repeat tasks.\n\nSee the [goal](../goals/G-1.md#why-now).\n\n## Acceptance criteria\n- [x] weekly\n- [ ] monthly\n"
    )
}

pub const S2: &str = "---\nid: S-2\ntitle: Task templates\nstatus: done\ngoal: G-1\n---\nAs a lead, I can reuse tasks.\n";

pub fn plan() -> Test {
    Test::new()
        .file("plan/goals/G-1.md", GOAL)
        .file("plan/stories/S-1.md", story("G-1", "draft"))
        .file("plan/stories/S-2.md", S2)
}
