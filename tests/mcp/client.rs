//! A client's side of the conversation: the real binary, one JSON-RPC message per line both ways,
//! and the copy of docs/example most tests start from.

use crate::common::{cairn_cmd, Test};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a test waits for a message that must come.
pub const TIMEOUT: Duration = Duration::from_secs(20);
/// The date every server in these tests runs on (the example's sprints are in 2027).
pub const TODAY: &str = "2027-01-06";

/// A client of `cairn mcp`.
pub struct Client {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    rx: mpsc::Receiver<Value>,
    /// Notifications (and answers to other requests) not looked at yet.
    pub pending: Vec<Value>,
    next_id: i64,
    /// `_meta` added to every request of a 2026-07-28 (stateless) session.
    meta: Option<Value>,
}

impl Client {
    /// Starts `cairn mcp` in `dir`, without any handshake. Every line the server prints on
    /// standard output must be a JSON-RPC 2.0 message: the reader thread fails the test if not.
    pub fn start(dir: &Path) -> Client {
        let mut child = cairn_cmd(dir, &["mcp", "--today", TODAY])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start cairn mcp");
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                assert!(!line.contains("panicked"), "the server panicked: {line}");
            }
        });
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                let v: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("stdout carries a non-JSON line ({e}): {line:?}"));
                assert_eq!(v["jsonrpc"], "2.0", "not JSON-RPC: {line}");
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
            meta: None,
        }
    }

    /// Starts `cairn mcp` in `dir` and opens a legacy session: `initialize` with
    /// `protocolVersion`, then `notifications/initialized`. Returns the client and the
    /// `initialize` result.
    pub fn legacy(dir: &Path, protocol_version: &str) -> (Client, Value) {
        let mut c = Client::start(dir);
        let r = c.request(
            "initialize",
            json!({
                "protocolVersion": protocol_version,
                "capabilities": {},
                "clientInfo": { "name": "cairn-tests", "version": "1" },
            }),
        );
        let result = r["result"].clone();
        assert_eq!(result["serverInfo"]["name"], "cairn", "{r}");
        c.notify("notifications/initialized", json!({}));
        (c, result)
    }

    /// Starts `cairn mcp` in `dir` with the newest legacy revision, `2025-11-25`.
    pub fn new(dir: &Path) -> Client {
        Client::legacy(dir, "2025-11-25").0
    }

    /// Starts `cairn mcp` in `dir` as a 2026-07-28 client: no handshake, every request carries
    /// its protocol version and capabilities in `_meta`.
    pub fn modern(dir: &Path) -> Client {
        let mut c = Client::start(dir);
        c.meta = Some(json!({
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": { "name": "cairn-tests", "version": "1" },
        }));
        c
    }

    /// Writes one line to the server as it is.
    pub fn raw(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(line.as_bytes()).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
    }

    pub fn send(&mut self, msg: Value) {
        self.raw(&msg.to_string());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next message, or a failure after [`TIMEOUT`].
    pub fn next(&mut self) -> Value {
        self.rx
            .recv_timeout(TIMEOUT)
            .expect("a message from the server in time")
    }

    /// Sends a request and returns its response (the whole message), keeping whatever else
    /// arrives in [`Client::pending`].
    pub fn request(&mut self, method: &str, mut params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        if let Some(meta) = &self.meta {
            params["_meta"] = meta.clone();
        }
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.response(&json!(id))
    }

    /// The response with `id`.
    pub fn response(&mut self, id: &Value) -> Value {
        if let Some(i) = self
            .pending
            .iter()
            .position(|m| &m["id"] == id && m.get("method").is_none())
        {
            return self.pending.remove(i);
        }
        loop {
            let m = self.next();
            if &m["id"] == id && m.get("method").is_none() {
                return m;
            }
            self.pending.push(m);
        }
    }

    /// `tools/call`: the result (which must not be a JSON-RPC error).
    pub fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let r = self.request(
            "tools/call",
            json!({ "name": tool, "arguments": arguments }),
        );
        assert!(r.get("error").is_none(), "{tool}: {r}");
        r["result"].clone()
    }

    /// `tools/call` that must succeed: its `structuredContent`.
    pub fn ok(&mut self, tool: &str, arguments: Value) -> Value {
        let r = self.call(tool, arguments.clone());
        assert_eq!(r["isError"], false, "{tool} {arguments}: {r}");
        r["structuredContent"].clone()
    }

    /// `tools/call` that must fail as a tool: its text.
    pub fn refused(&mut self, tool: &str, arguments: Value) -> (String, Value) {
        let r = self.call(tool, arguments.clone());
        assert_eq!(r["isError"], true, "{tool} {arguments} should fail: {r}");
        (
            r["content"][0]["text"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            r["structuredContent"].clone(),
        )
    }

    /// Waits for a notification `method` (or fails after [`TIMEOUT`]) and returns it.
    pub fn notification(&mut self, method: &str) -> Value {
        if let Some(i) = self.pending.iter().position(|m| m["method"] == method) {
            return self.pending.remove(i);
        }
        loop {
            let m = self.next();
            if m["method"] == method {
                return m;
            }
            self.pending.push(m);
        }
    }

    /// Every message that arrives within `quiet`, after the last one.
    pub fn drain(&mut self, quiet: Duration) -> Vec<Value> {
        let mut out = std::mem::take(&mut self.pending);
        while let Ok(m) = self.rx.recv_timeout(quiet) {
            out.push(m);
        }
        out
    }

    /// Closes the input and waits for the server to exit; its exit code.
    pub fn finish(mut self) -> i32 {
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit after its input closed"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A copy of docs/example in a temporary folder.
pub fn example() -> Test {
    let t = Test::empty();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/example");
    copy(&from, t.path());
    t
}

/// A copy of docs/example in its own git repository (one commit).
pub fn example_repo() -> Test {
    let t = example();
    crate::common::git_in(t.path(), &["init", "-q"]);
    crate::common::git_in(t.path(), &["add", "-A"]);
    crate::common::git_in(t.path(), &["commit", "-q", "-m", "plan"]);
    t
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The JSON document `cairn ARGS --format json` prints in `dir`.
pub fn cli_json(dir: &Path, args: &[&str]) -> Value {
    let out = cairn_cmd(dir, args).output().expect("run cairn");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "cairn {args:?}: not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}
