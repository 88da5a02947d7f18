//! JSON-RPC over a byte stream with `Content-Length` framing, tolerant of bad input.
//!
//! `lsp_server::Connection::stdio` stops reading at the first malformed message, which ends the
//! session. Here a message that is not JSON gets a `-32700` parse error, one that is JSON but not
//! a request, response or notification gets `-32600`, and reading goes on with the next frame.

use lsp_server::{Connection, ErrorCode, Message};
use serde_json::{json, Value};
use std::io::{self, BufRead, Read, Write};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

/// The largest message body accepted; larger ones are skipped with an error reply.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;
/// The longest header line accepted.
const MAX_HEADER_BYTES: u64 = 8 * 1024;

/// The reader and writer threads of a connection.
pub struct Transport {
    reader: JoinHandle<()>,
    writer: JoinHandle<io::Result<()>>,
}

impl Transport {
    /// Waits for both threads: the reader ends at end of input or after `exit`, the writer when
    /// every sender of the connection is dropped.
    pub fn join(self) -> io::Result<()> {
        let _ = self.reader.join();
        self.writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")))
    }
}

/// A connection whose messages are read from `input` and written to `output`, each on its own
/// thread.
pub fn connect<R, W>(input: R, output: W) -> (Connection, Transport)
where
    R: BufRead + Send + 'static,
    W: Write + Send + 'static,
{
    let out = Arc::new(Mutex::new(output));
    let (to_writer, from_server) = crossbeam_channel::unbounded::<Message>();
    let (to_server, from_reader) = crossbeam_channel::unbounded::<Message>();
    let writer_out = Arc::clone(&out);
    let writer = thread::Builder::new()
        .name("cairn-lsp-writer".into())
        .spawn(move || {
            for msg in from_server {
                let mut w = writer_out
                    .lock()
                    .map_err(|_| io::Error::other("poisoned"))?;
                msg.write(&mut *w)?;
            }
            Ok(())
        })
        .expect("spawn the writer thread");
    let reader = thread::Builder::new()
        .name("cairn-lsp-reader".into())
        .spawn(move || read_loop(input, &to_server, &out))
        .expect("spawn the reader thread");
    (
        Connection {
            sender: to_writer,
            receiver: from_reader,
        },
        Transport { reader, writer },
    )
}

fn read_loop<R: BufRead, W: Write>(
    mut input: R,
    to_server: &crossbeam_channel::Sender<Message>,
    out: &Mutex<W>,
) {
    loop {
        let body = match read_frame(&mut input) {
            Ok(Some(body)) => body,
            Ok(None) => return,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return,
            Err(e) => {
                reply_error(out, Value::Null, ErrorCode::ParseError, &e.to_string());
                continue;
            }
        };
        let value: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                let msg = format!("the message is not JSON: {e}");
                reply_error(out, Value::Null, ErrorCode::ParseError, &msg);
                continue;
            }
        };
        let id = value.get("id").cloned().unwrap_or(Value::Null);
        let msg = match serde_json::from_value::<Message>(value) {
            Ok(m) => m,
            Err(_) => {
                // A notification (no id) gets no reply, even a malformed one.
                let msg = "not a JSON-RPC request, response or notification (an id that is a \
                           string or a 32-bit integer, a string `method`)";
                if !id.is_null() {
                    let id = if id.is_string() || id.is_number() {
                        id
                    } else {
                        Value::Null
                    };
                    reply_error(out, id, ErrorCode::InvalidRequest, msg);
                }
                continue;
            }
        };
        let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
        if to_server.send(msg).is_err() || exit {
            return;
        }
    }
}

fn reply_error<W: Write>(out: &Mutex<W>, id: Value, code: ErrorCode, message: &str) {
    let body = json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code as i32, "message": message },
    })
    .to_string();
    if let Ok(mut w) = out.lock() {
        let _ = write!(w, "Content-Length: {}\r\n\r\n{body}", body.len());
        let _ = w.flush();
    }
}

/// Reads one framed message body; `None` at end of input before any header.
pub fn read_frame<R: BufRead>(input: &mut R) -> io::Result<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut headers = 0;
    let mut bad_length = None;
    loop {
        let mut line = Vec::new();
        let n = input
            .by_ref()
            .take(MAX_HEADER_BYTES)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            if headers == 0 {
                return Ok(None);
            }
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        if line.last() != Some(&b'\n') && n as u64 == MAX_HEADER_BYTES {
            // An endless header line: skip the rest of it.
            let mut sink = Vec::new();
            input.read_until(b'\n', &mut sink)?;
            return Err(invalid("a header line is too long"));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if headers == 0 {
                continue; // stray blank line between messages
            }
            break;
        }
        headers += 1;
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_length = Some(value.trim().to_string()),
                }
            }
        }
    }
    let Some(length) = length else {
        return Err(invalid(&match bad_length {
            Some(v) => format!("`Content-Length: {v}` is not a length"),
            None => "a message without a `Content-Length` header".to_string(),
        }));
    };
    if length > MAX_MESSAGE_BYTES {
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return Err(invalid(&format!(
            "a message of {length} bytes, more than the {MAX_MESSAGE_BYTES} accepted"
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn frames_are_read_leniently() {
        let input = format!("\r\n{}content-length:2\n\n{{}}", frame("[1]"));
        let mut r = Cursor::new(input.into_bytes());
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"[1]");
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"{}");
        assert!(read_frame(&mut r).unwrap().is_none());
    }

    #[test]
    fn bad_messages_get_errors_and_reading_goes_on() {
        let input = [
            frame("{not json"),
            "Content-Length: lots\r\n\r\n".to_string(),
            frame(r#"{"jsonrpc":"2.0","id":7}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ]
        .concat();
        let out = Shared::default();
        let (conn, transport) = connect(Cursor::new(input.into_bytes()), out.clone());
        let msg = conn.receiver.recv().unwrap();
        assert!(matches!(msg, Message::Notification(n) if n.method == "exit"));
        drop(conn);
        transport.join().unwrap();
        let written = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert_eq!(written.matches("-32700").count(), 2, "{written}");
        assert!(written.contains(r#""id":7"#), "{written}");
        assert!(written.contains("-32600"), "{written}");
    }
}
