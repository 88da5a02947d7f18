//! `cairn lsp`: a Language Server for plan files.
//!
//! The server keeps a parse of every plan file (editor buffers over the work tree) and publishes
//! the findings of `cairn check` as the user types, for every file an edit affects. It answers
//! go-to-definition, hover and find-references on ids and links, completion of fields and values,
//! and code actions for fixes with one obvious answer. Requests are answered one at a time, in
//! order; diagnostics are recomputed once the queue of incoming messages is empty (or before the
//! next request), so a burst of keystrokes costs one check.

mod actions;
mod complete;
mod diagnostics;
mod navigate;
pub mod position;
mod state;
pub mod transport;
mod uri;

pub use state::State;
pub use transport::{connect, Transport};

use diagnostics::Published;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CompletionOptions, CompletionParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, FileChangeType, GotoDefinitionParams,
    HoverParams, HoverProviderCapability, InitializeResult, LogMessageParams, MessageType, OneOf,
    ReferenceParams, Registration, RegistrationParams, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// `exit` after `shutdown`: a clean end (exit code 0).
    Exit,
    /// `exit` without `shutdown`, or the input closed: exit code 1, as the protocol asks.
    Abandoned,
}

/// Serves one client over `conn` until `exit` or the end of input. `fallback_root` is where the
/// plan is looked for when the client names no workspace folder.
pub fn serve(conn: &Connection, fallback_root: &Path) -> Ended {
    let mut server = Server {
        conn,
        fallback_root: fallback_root.to_path_buf(),
        state: None,
        published: Published::default(),
        shutdown: false,
        dirty: false,
        watch: false,
    };
    server.run()
}

struct Server<'a> {
    conn: &'a Connection,
    fallback_root: PathBuf,
    state: Option<State>,
    published: Published,
    shutdown: bool,
    /// The findings may have changed since they were last published.
    dirty: bool,
    /// The client can watch files for us.
    watch: bool,
}

impl Server<'_> {
    fn run(&mut self) -> Ended {
        while let Ok(msg) = self.conn.receiver.recv() {
            match msg {
                Message::Request(req) => self.request(req),
                Message::Notification(n) if n.method == "exit" => {
                    return if self.shutdown {
                        Ended::Exit
                    } else {
                        Ended::Abandoned
                    };
                }
                Message::Notification(n) => {
                    let method = n.method.clone();
                    if catch_unwind(AssertUnwindSafe(|| self.notification(n))).is_err() {
                        self.log(MessageType::ERROR, &format!("cairn failed on `{method}`"));
                    }
                }
                Message::Response(_) => {}
            }
            if self.dirty && self.conn.receiver.is_empty() {
                self.publish();
            }
        }
        Ended::Abandoned
    }

    fn send(&self, msg: impl Into<Message>) {
        // The writer only goes away when the client is gone; nothing is left to tell then.
        let _ = self.conn.sender.send(msg.into());
    }

    fn log(&self, typ: MessageType, message: &str) {
        let params = LogMessageParams {
            typ,
            message: message.to_string(),
        };
        self.send(Notification::new("window/logMessage".into(), params));
    }

    fn publish(&mut self) {
        self.dirty = false;
        let Some(state) = self.state.as_mut() else {
            return;
        };
        for params in self.published.update(state) {
            self.send(Notification::new(
                "textDocument/publishDiagnostics".into(),
                params,
            ));
        }
    }

    fn request(&mut self, req: Request) {
        // Answers reflect every earlier edit, and so do the diagnostics the client has when the
        // answer arrives.
        if self.dirty {
            self.publish();
        }
        let id = req.id.clone();
        let error =
            |code: ErrorCode, message: String| Response::new_err(id.clone(), code as i32, message);
        let response = if self.state.is_none() {
            if req.method == "initialize" {
                self.initialize(req)
            } else {
                error(
                    ErrorCode::ServerNotInitialized,
                    format!("`{}` before `initialize`", req.method),
                )
            }
        } else if self.shutdown {
            error(
                ErrorCode::InvalidRequest,
                format!("`{}` after `shutdown`", req.method),
            )
        } else {
            match req.method.as_str() {
                "initialize" => error(ErrorCode::InvalidRequest, "already initialized".into()),
                "shutdown" => {
                    self.shutdown = true;
                    Response::new_ok(id.clone(), ())
                }
                _ => {
                    let method = req.method.clone();
                    match catch_unwind(AssertUnwindSafe(|| self.handle(req))) {
                        Ok(r) => r,
                        Err(_) => error(
                            ErrorCode::InternalError,
                            format!("cairn failed on `{method}`"),
                        ),
                    }
                }
            }
        };
        self.send(response);
    }

    fn initialize(&mut self, req: Request) -> Response {
        let params = req.params;
        if !params.is_object() {
            return Response::new_err(
                req.id,
                ErrorCode::InvalidParams as i32,
                "`initialize` takes an object of parameters".into(),
            );
        }
        let folder = params
            .pointer("/workspaceFolders/0/uri")
            .or_else(|| params.get("rootUri"))
            .and_then(Value::as_str)
            .and_then(|s| Uri::from_str(s).ok())
            .and_then(|u| uri::to_path(&u))
            .or_else(|| {
                params
                    .get("rootPath")
                    .and_then(Value::as_str)
                    .map(PathBuf::from)
            })
            .filter(|p| p.is_dir());
        let start = folder.unwrap_or_else(|| self.fallback_root.clone());
        let (root, _) = crate::root::find_root(&start);
        self.watch = params
            .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let result = InitializeResult {
            capabilities: capabilities(),
            server_info: Some(ServerInfo {
                name: "cairn".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        self.state = Some(State::new(&root));
        self.dirty = true;
        Response::new_ok(req.id, result)
    }

    fn notification(&mut self, n: Notification) {
        if self.state.is_none() {
            return; // before `initialize`, notifications are dropped
        }
        match n.method.as_str() {
            "initialized" if self.watch => self.register_watchers(),
            "textDocument/didOpen" => {
                if let Some(p) = self.params::<DidOpenTextDocumentParams>(&n) {
                    let d = p.text_document;
                    let state = self.state.as_mut().expect("initialized");
                    self.dirty |= state.open(d.uri, d.version, d.text).is_some();
                }
            }
            "textDocument/didChange" => {
                if let Some(p) = self.params::<DidChangeTextDocumentParams>(&n) {
                    let d = p.text_document;
                    let state = self.state.as_mut().expect("initialized");
                    self.dirty |= state.change(&d.uri, d.version, p.content_changes).is_some();
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = self.params::<DidCloseTextDocumentParams>(&n) {
                    let state = self.state.as_mut().expect("initialized");
                    self.dirty |= state.close(&p.text_document.uri).is_some();
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Some(p) = self.params::<DidChangeWatchedFilesParams>(&n) {
                    let created_or_deleted =
                        p.changes.iter().any(|c| c.typ != FileChangeType::CHANGED);
                    let uris: Vec<Uri> = p.changes.into_iter().map(|c| c.uri).collect();
                    let state = self.state.as_mut().expect("initialized");
                    state.disk_changed(&uris, created_or_deleted);
                    self.dirty = true;
                }
            }
            _ => {} // saves, settings, `$/` notifications: nothing to do
        }
    }

    fn params<P: DeserializeOwned>(&self, n: &Notification) -> Option<P> {
        match serde_json::from_value(n.params.clone()) {
            Ok(p) => Some(p),
            Err(e) => {
                self.log(
                    MessageType::WARNING,
                    &format!("ignored `{}` with invalid parameters: {e}", n.method),
                );
                None
            }
        }
    }

    fn register_watchers(&self) {
        let options = serde_json::json!({
            "watchers": [
                { "globPattern": "**/*.md" },
                { "globPattern": "**/*.markdown" },
                { "globPattern": "**/cairn.yaml" },
            ]
        });
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "cairn-watch-plan".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: Some(options),
            }],
        };
        self.send(Request::new(
            RequestId::from("cairn-register-watchers".to_string()),
            "client/registerCapability".into(),
            params,
        ));
    }

    fn handle(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let state = self.state.as_mut().expect("initialized");
        fn parse<P: DeserializeOwned>(req: &Request) -> Result<P, String> {
            serde_json::from_value(req.params.clone())
                .map_err(|e| format!("invalid parameters for `{}`: {e}", req.method))
        }
        let result = match req.method.as_str() {
            "textDocument/definition" => parse::<GotoDefinitionParams>(&req).map(|p| {
                let p = p.text_document_position_params;
                ok(
                    &id,
                    navigate::definition(state, &p.text_document.uri, p.position),
                )
            }),
            "textDocument/hover" => parse::<HoverParams>(&req).map(|p| {
                let p = p.text_document_position_params;
                ok(
                    &id,
                    navigate::hover(state, &p.text_document.uri, p.position),
                )
            }),
            "textDocument/references" => parse::<ReferenceParams>(&req).map(|p| {
                let declaration = p.context.include_declaration;
                let p = p.text_document_position;
                let found =
                    navigate::references(state, &p.text_document.uri, p.position, declaration);
                ok(&id, found)
            }),
            "textDocument/completion" => parse::<CompletionParams>(&req).map(|p| {
                let p = p.text_document_position;
                ok(
                    &id,
                    complete::completion(state, &p.text_document.uri, p.position),
                )
            }),
            "textDocument/codeAction" => parse::<CodeActionParams>(&req).map(|p| {
                ok(
                    &id,
                    actions::code_actions(state, &p.text_document.uri, p.range),
                )
            }),
            other => Ok(Response::new_err(
                id.clone(),
                ErrorCode::MethodNotFound as i32,
                format!("cairn does not handle `{other}`"),
            )),
        };
        result.unwrap_or_else(|message| {
            Response::new_err(id.clone(), ErrorCode::InvalidParams as i32, message)
        })
    }
}

fn ok<T: serde::Serialize>(id: &RequestId, result: T) -> Response {
    match serde_json::to_value(result) {
        Ok(v) => Response::new_ok(id.clone(), v),
        Err(e) => Response::new_err(id.clone(), ErrorCode::InternalError as i32, e.to_string()),
    }
}

/// What the server offers.
fn capabilities() -> ServerCapabilities {
    let triggers = [":", " ", "[", ",", "(", "/", "#"];
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        definition_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(triggers.iter().map(|s| s.to_string()).collect()),
            resolve_provider: Some(false),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}
