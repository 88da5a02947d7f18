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
mod roots;
mod state;
mod token;
pub mod transport;
mod uri;
mod workspace;

pub use state::State;
pub use transport::{connect, Transport};
pub use workspace::Workspace;

use diagnostics::Published;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CompletionOptions, CompletionParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWorkspaceFoldersParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    FileChangeType, GotoDefinitionParams, HoverParams, HoverProviderCapability, InitializeResult,
    LogMessageParams, MessageType, OneOf, PublishDiagnosticsParams, ReferenceParams, Registration,
    RegistrationParams, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
    WorkspaceFolder, WorkspaceFoldersServerCapabilities, WorkspaceServerCapabilities,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// `exit` after `shutdown`: a clean end (exit code 0).
    Exit,
    /// `exit` without `shutdown`, or the input closed: exit code 1, as the protocol asks.
    Abandoned,
}

/// Serves one client over `conn` until `exit` or the end of input. `cwd` is the folder the server
/// was started in: the workspace folder when the client names none that exists.
pub fn serve(conn: &Connection, cwd: &Path) -> Ended {
    let mut server = Server {
        conn,
        cwd: cwd.to_path_buf(),
        workspace: None,
        published: HashMap::new(),
        shutdown: false,
        dirty: false,
        watch: false,
    };
    server.run()
}

struct Server<'a> {
    conn: &'a Connection,
    cwd: PathBuf,
    /// The plans served; `None` until `initialize`.
    workspace: Option<Workspace>,
    /// What was last published for each plan, by root.
    published: HashMap<PathBuf, Published>,
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
            self.after();
            if self.dirty && self.conn.receiver.is_empty() {
                self.publish();
            }
        }
        Ended::Abandoned
    }

    /// Passes on what the workspace has to say, and notes plans read but not published yet.
    fn after(&mut self) {
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        self.dirty |= ws.take_loaded();
        for line in ws.take_log() {
            self.log(MessageType::INFO, &line);
        }
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

    fn notify_diagnostics(&self, params: PublishDiagnosticsParams) {
        self.send(Notification::new(
            "textDocument/publishDiagnostics".into(),
            params,
        ));
    }

    fn publish(&mut self) {
        self.dirty = false;
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        // Cleared files first: a file that moved to another plan is cleared by the one and set
        // by the other, and must end up set.
        let (mut clear, mut set) = (Vec::new(), Vec::new());
        for root in ws.roots() {
            let files: HashSet<String> = match ws.get_mut(&root) {
                Some(state) => state.findings().iter().map(|d| d.file.clone()).collect(),
                None => continue,
            };
            let foreign: HashSet<String> =
                files.into_iter().filter(|f| !ws.owns(&root, f)).collect();
            let state = ws.get_mut(&root).expect("served");
            let published = self.published.entry(root).or_default();
            for p in published.update(state, |f| !foreign.contains(f)) {
                if p.diagnostics.is_empty() {
                    clear.push(p);
                } else {
                    set.push(p);
                }
            }
        }
        for p in clear.into_iter().chain(set) {
            self.notify_diagnostics(p);
        }
    }

    /// Clears the findings of plans no longer served.
    fn withdraw(&mut self, dropped: Vec<State>) {
        for state in dropped {
            if let Some(published) = self.published.remove(state.root()) {
                for p in published.withdraw(&state) {
                    self.notify_diagnostics(p);
                }
            }
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
        let response = if self.workspace.is_none() {
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
        let mut folders = roots::named(&params);
        if folders.is_empty() {
            folders.push(self.cwd.clone());
        }
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
        self.workspace = Some(Workspace::new(folders));
        self.dirty = true;
        Response::new_ok(req.id, result)
    }

    fn notification(&mut self, n: Notification) {
        if self.workspace.is_none() {
            return; // before `initialize`, notifications are dropped
        }
        if n.method == "initialized" {
            if self.watch {
                self.register_watchers();
            }
            return;
        }
        if let Err(e) = self.apply(&n) {
            self.log(
                MessageType::WARNING,
                &format!("ignored `{}` with invalid parameters: {e}", n.method),
            );
        }
    }

    /// Applies a notification that changes what the server knows.
    fn apply(&mut self, n: &Notification) -> Result<(), serde_json::Error> {
        let ws = self.workspace.as_mut().expect("initialized");
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let d = params::<DidOpenTextDocumentParams>(n)?.text_document;
                self.dirty |= ws.open(d.uri, d.version, d.text);
            }
            "textDocument/didChange" => {
                let p = params::<DidChangeTextDocumentParams>(n)?;
                let d = p.text_document;
                self.dirty |= ws.change(&d.uri, d.version, p.content_changes);
            }
            "textDocument/didClose" => {
                let p = params::<DidCloseTextDocumentParams>(n)?;
                let (changed, dropped) = ws.close(&p.text_document.uri);
                self.dirty |= changed;
                self.withdraw(dropped);
            }
            "workspace/didChangeWatchedFiles" => {
                let p = params::<DidChangeWatchedFilesParams>(n)?;
                let changes: Vec<(Uri, FileChangeType)> =
                    p.changes.into_iter().map(|c| (c.uri, c.typ)).collect();
                let dropped = ws.disk_changed(&changes);
                self.dirty = true;
                self.withdraw(dropped);
            }
            "workspace/didChangeWorkspaceFolders" => {
                let p = params::<DidChangeWorkspaceFoldersParams>(n)?;
                let paths = |folders: &[WorkspaceFolder]| -> Vec<PathBuf> {
                    folders
                        .iter()
                        .filter_map(|f| roots::folder_path(f.uri.as_str()))
                        .collect()
                };
                let (added, removed) = (paths(&p.event.added), paths(&p.event.removed));
                let dropped = ws.change_folders(added, &removed);
                self.dirty = true;
                self.withdraw(dropped);
            }
            _ => {} // saves, settings, `$/` notifications: nothing to do
        }
        Ok(())
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

    /// Answers a request on a document from that document's plan; `null` for a document in no
    /// plan.
    fn handle(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let ws = self.workspace.as_mut().expect("initialized");
        fn parse<P: DeserializeOwned>(req: &Request) -> Result<P, String> {
            serde_json::from_value(req.params.clone())
                .map_err(|e| format!("invalid parameters for `{}`: {e}", req.method))
        }
        let result = match req.method.as_str() {
            "textDocument/definition" => parse::<GotoDefinitionParams>(&req).map(|p| {
                let p = p.text_document_position_params;
                let uri = p.text_document.uri;
                let found = ws
                    .plan(&uri)
                    .and_then(|state| navigate::definition(state, &uri, p.position));
                ok(&id, found)
            }),
            "textDocument/hover" => parse::<HoverParams>(&req).map(|p| {
                let p = p.text_document_position_params;
                let uri = p.text_document.uri;
                let found = ws
                    .plan(&uri)
                    .and_then(|state| navigate::hover(state, &uri, p.position));
                ok(&id, found)
            }),
            "textDocument/references" => parse::<ReferenceParams>(&req).map(|p| {
                let declaration = p.context.include_declaration;
                let p = p.text_document_position;
                let uri = p.text_document.uri;
                let found = ws
                    .plan(&uri)
                    .and_then(|state| navigate::references(state, &uri, p.position, declaration));
                ok(&id, found)
            }),
            "textDocument/completion" => parse::<CompletionParams>(&req).map(|p| {
                let p = p.text_document_position;
                let uri = p.text_document.uri;
                let found = ws
                    .plan(&uri)
                    .and_then(|state| complete::completion(state, &uri, p.position));
                ok(&id, found)
            }),
            "textDocument/codeAction" => parse::<CodeActionParams>(&req).map(|p| {
                let uri = p.text_document.uri;
                let found = ws
                    .plan(&uri)
                    .and_then(|state| actions::code_actions(state, &uri, p.range));
                ok(&id, found)
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

fn params<P: DeserializeOwned>(n: &Notification) -> Result<P, serde_json::Error> {
    serde_json::from_value(n.params.clone())
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
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}
