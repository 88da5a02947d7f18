//! The stdio transport: one JSON-RPC message per line, in and out.
//!
//! Unlike the SDK's own line transport, which drops a line that is not JSON without a word, a
//! malformed line is answered with a JSON-RPC error and the server goes on reading: `-32700`
//! (parse error) for text that is not JSON, `-32600` (invalid request) for JSON that is no
//! JSON-RPC message (with the request's `id` when one can be read), a batch, or a line over
//! [`MAX_LINE`]. As MCP asks, an error whose request id cannot be read carries no `id`. Stray
//! notifications and responses before the first request are dropped (said on standard
//! error), so that they cannot end the session before it starts. Nothing but protocol is
//! written to the output.

use rmcp::service::{RoleServer, RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::Transport;
use serde_json::{json, Value};
use std::io::Write;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};

/// The longest line read (16 MiB); a longer one is answered with an error and skipped.
pub const MAX_LINE: usize = 16 * 1024 * 1024;

/// Messages over a reader and a writer (the process's stdin and stdout).
pub struct LineTransport<R> {
    reader: BufReader<R>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    line: Vec<u8>,
    started: bool,
}

impl<R: AsyncRead + Unpin + Send> LineTransport<R> {
    /// Reads messages from `reader` and writes them to `writer`.
    pub fn new(reader: R, writer: Box<dyn Write + Send>) -> Self {
        LineTransport {
            reader: BufReader::new(reader),
            writer: Arc::new(Mutex::new(writer)),
            line: Vec::new(),
            started: false,
        }
    }

    fn reply(&self, message: &Value) -> std::io::Result<()> {
        write_line(&self.writer, message)
    }
}

fn write_line(
    writer: &Mutex<Box<dyn Write + Send>>,
    message: &impl serde::Serialize,
) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(message).map_err(std::io::Error::other)?;
    line.push(b'\n');
    let mut w = writer.lock().unwrap_or_else(|e| e.into_inner());
    w.write_all(&line)?;
    w.flush()
}

/// A JSON-RPC error response, with `id` when it is known.
fn error(code: i64, message: String, id: Option<Value>) -> Value {
    let mut e = json!({ "jsonrpc": "2.0", "error": { "code": code, "message": message } });
    if let Some(id) = id {
        e["id"] = id;
    }
    e
}

/// What a line is.
enum Line {
    Message(Box<RxJsonRpcMessage<RoleServer>>),
    /// Answer with this error and read on.
    Reply(Value),
    /// Nothing to do (a blank line).
    Skip,
}

fn classify(bytes: &[u8]) -> Line {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.iter().all(u8::is_ascii_whitespace) {
        return Line::Skip;
    }
    let value: Value = match serde_json::from_slice(text) {
        Ok(v) => v,
        Err(e) => return Line::Reply(error(-32700, format!("Parse error: {e}"), None)),
    };
    if value.is_array() {
        return Line::Reply(error(
            -32600,
            "Invalid Request: batches are not supported; send one message per line".into(),
            None,
        ));
    }
    let id = value
        .get("id")
        .filter(|id| id.is_string() || id.is_i64() || id.is_u64())
        .cloned();
    if value.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Line::Reply(error(
            -32600,
            "Invalid Request: not a JSON-RPC 2.0 message (`\"jsonrpc\": \"2.0\"` is missing)"
                .into(),
            id,
        ));
    }
    match serde_json::from_value::<RxJsonRpcMessage<RoleServer>>(value) {
        Ok(m) => Line::Message(Box::new(m)),
        Err(e) => Line::Reply(error(-32600, format!("Invalid Request: {e}"), id)),
    }
}

impl<R: AsyncRead + Unpin + Send + 'static> Transport<RoleServer> for LineTransport<R> {
    type Error = std::io::Error;

    fn send(
        &mut self,
        item: TxJsonRpcMessage<RoleServer>,
    ) -> impl std::future::Future<Output = Result<(), Self::Error>> + Send + 'static {
        let writer = Arc::clone(&self.writer);
        async move { write_line(&writer, &item) }
    }

    async fn receive(&mut self) -> Option<RxJsonRpcMessage<RoleServer>> {
        loop {
            // A read cancelled half-way (the service polls this in a `select!`) keeps its bytes
            // in `self.line`, and the next call goes on with the same line.
            let mut limited = (&mut self.reader).take((MAX_LINE + 1 - self.line.len()) as u64);
            let read = limited.read_until(b'\n', &mut self.line).await;
            match read {
                Err(e) => {
                    eprintln!("cairn mcp: cannot read the input: {e}");
                    return None;
                }
                Ok(0) if self.line.is_empty() => return None,
                Ok(_) => {}
            }
            if !self.line.ends_with(b"\n") && self.line.len() <= MAX_LINE {
                // The end of input in the middle of a line: read it as the last one.
                let last = std::mem::take(&mut self.line);
                return match classify(&last) {
                    Line::Message(m) => Some(*m),
                    Line::Reply(e) => {
                        let _ = self.reply(&e);
                        None
                    }
                    Line::Skip => None,
                };
            }
            if self.line.len() > MAX_LINE {
                // Too long: answer once, then skip to the end of the line.
                let _ = self.reply(&error(
                    -32600,
                    format!("Invalid Request: a message longer than {MAX_LINE} bytes"),
                    None,
                ));
                self.line.clear();
                let mut rest = Vec::new();
                if self.reader.read_until(b'\n', &mut rest).await.is_err() {
                    return None;
                }
                continue;
            }
            let line = std::mem::take(&mut self.line);
            match classify(&line) {
                Line::Skip => {}
                Line::Reply(e) => {
                    if self.reply(&e).is_err() {
                        return None;
                    }
                }
                Line::Message(m) => {
                    let is_request = matches!(*m, rmcp::model::JsonRpcMessage::Request(_));
                    if !self.started && !is_request {
                        eprintln!(
                            "cairn mcp: dropped a notification or response sent before the first request"
                        );
                        continue;
                    }
                    self.started |= is_request;
                    return Some(*m);
                }
            }
        }
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(line: &str) -> Value {
        match classify(line.as_bytes()) {
            Line::Reply(v) => v,
            Line::Message(m) => panic!("a message: {:?}", serde_json::to_string(&*m)),
            Line::Skip => panic!("skipped"),
        }
    }

    #[test]
    fn malformed_lines_get_json_rpc_errors() {
        let e = reply("{not json");
        assert_eq!(e["error"]["code"], -32700);
        assert!(e.get("id").is_none(), "no id to give: {e}");
        assert_eq!(reply("[1, 2]")["error"]["code"], -32600);
        let e = reply(r#"{"id": 7, "method": "tools/list"}"#);
        assert_eq!(
            (e["error"]["code"].as_i64(), &e["id"]),
            (Some(-32600), &json!(7))
        );
        let e = reply(r#"{"jsonrpc": "2.0", "id": "a", "method": 5}"#);
        assert_eq!(
            (e["error"]["code"].as_i64(), &e["id"]),
            (Some(-32600), &json!("a"))
        );
        assert!(matches!(classify(b"   \r\n"), Line::Skip));
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#),
            Line::Message(_)
        ));
    }
}
