//! The MCP handler: tools, resources and change notifications over one [`Session`].
//!
//! Both protocol eras are served. A legacy client (`initialize`, 2024-11-05 to 2025-11-25) is
//! sent `notifications/resources/list_changed`, `notifications/tools/list_changed` and, for the
//! resources it subscribed to with `resources/subscribe`, `notifications/resources/updated`. A
//! 2026-07-28 client gets the same notifications on its `subscriptions/listen` streams, as its
//! filter asks. Notifications are sent by one task, woken by the file watcher, a short while
//! after a burst of changes settles.

use super::session::{Owed, Session};
use super::tools::{self, Failure, Output};
use super::watch::{Batch, Watcher};
use super::{resources, schema};
use rmcp::model::{
    CallToolRequestParams, CallToolResult, ContentBlock, Implementation, InitializeRequestParams,
    InitializeResult, ListResourceTemplatesResult, ListResourcesResult, ListToolsResult,
    PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResult, Resource,
    ResourceContents, ResourceTemplate, ResourceUpdatedNotificationParam, ServerCapabilities,
    ServerConfig, SubscribeRequestParams, SubscriptionFilter, Tool, ToolAnnotations,
    UnsubscribeRequestParams,
};
use rmcp::service::{RequestContext, SubscriptionContext, SubscriptionSink};
use rmcp::{ErrorData as McpError, Peer, RoleServer, ServerHandler};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How long the notifier waits after the first change of a burst before it tells the client.
const SETTLE: Duration = Duration::from_millis(40);

/// State shared by the handler, the watcher's thread and the notifier task.
pub struct Shared {
    session: Mutex<Session>,
    /// Changes the watcher reported that the session has not seen yet.
    pending: Mutex<Batch>,
    wake: tokio::sync::Notify,
    watcher: Mutex<Option<Watcher>>,
    /// The client of a legacy session, once it sent `initialize`.
    legacy: Mutex<Option<Peer<RoleServer>>>,
    listeners: Mutex<Vec<Listener>>,
    next_listener: AtomicU64,
    instructions: String,
}

/// One `subscriptions/listen` stream.
struct Listener {
    key: u64,
    sink: SubscriptionSink,
    accepted: SubscriptionFilter,
    /// The resources it listens to, with the file each was last known by.
    resources: BTreeMap<String, Option<String>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    /// The state around `session`.
    pub fn new(session: Session) -> Arc<Shared> {
        let instructions = instructions(&session);
        Arc::new(Shared {
            session: Mutex::new(session),
            pending: Mutex::new(Batch::default()),
            wake: tokio::sync::Notify::new(),
            watcher: Mutex::new(None),
            legacy: Mutex::new(None),
            listeners: Mutex::new(Vec::new()),
            next_listener: AtomicU64::new(0),
            instructions,
        })
    }

    /// Starts watching the plan; changes wake the notifier. On failure the server still serves,
    /// and says on standard error that changes made outside it are not seen.
    pub fn watch(self: &Arc<Shared>) {
        let (root, plan) = {
            let s = lock(&self.session);
            (s.live.root().to_path_buf(), s.plan_dir())
        };
        let weak = Arc::downgrade(self);
        let started = Watcher::start(&root, &plan, move |batch| {
            if let Some(shared) = weak.upgrade() {
                shared.push(batch);
            }
        });
        match started {
            Ok(w) => *lock(&self.watcher) = Some(w),
            Err(e) => eprintln!(
                "cairn mcp: {e}; changes made to the plan outside this server are not seen until it restarts"
            ),
        }
    }

    /// News from the watcher (called on its thread).
    fn push(&self, batch: Batch) {
        {
            let mut p = lock(&self.pending);
            p.paths.extend(batch.paths);
            p.rescan |= batch.rescan;
        }
        self.wake.notify_one();
    }

    /// The session, with every change the watcher has reported so far applied, so that a call
    /// sees what is on disk.
    pub fn session(&self) -> MutexGuard<'_, Session> {
        let mut s = lock(&self.session);
        let batch = std::mem::take(&mut *lock(&self.pending));
        if batch.rescan || !batch.paths.is_empty() {
            s.disk_changed(&batch.paths, batch.rescan);
        }
        s
    }

    /// Tells clients what changed, each time the watcher wakes it; runs until the server ends.
    pub async fn notify_loop(self: Arc<Shared>) {
        loop {
            self.wake.notified().await;
            tokio::time::sleep(SETTLE).await;
            let (owed, legacy_updates, listener_updates) = {
                let mut s = self.session();
                let owed = s.take_owed();
                if let Some(w) = lock(&self.watcher).as_mut() {
                    let _ = w.follow(&s.plan_dir());
                }
                if owed.is_empty() {
                    continue;
                }
                let mut subscribed = std::mem::take(&mut s.subscribed);
                let legacy = s.updated(&owed, &mut subscribed);
                s.subscribed = subscribed;
                let mut listeners = lock(&self.listeners);
                let per: Vec<(SubscriptionSink, SubscriptionFilter, Vec<String>)> = listeners
                    .iter_mut()
                    .map(|l| {
                        let uris = s.updated(&owed, &mut l.resources);
                        (l.sink.clone(), l.accepted.clone(), uris)
                    })
                    .collect();
                (owed, legacy, per)
            };
            let legacy = lock(&self.legacy).clone();
            if let Some(peer) = legacy {
                tell_legacy(&peer, &owed, legacy_updates).await;
            }
            for (sink, accepted, uris) in listener_updates {
                tell_listener(&sink, &accepted, &owed, uris).await;
            }
        }
    }
}

async fn tell_legacy(peer: &Peer<RoleServer>, owed: &Owed, updated: Vec<String>) {
    if owed.tools {
        let _ = peer.notify_tool_list_changed().await;
    }
    if owed.resources {
        let _ = peer.notify_resource_list_changed().await;
    }
    for uri in updated {
        let _ = peer
            .notify_resource_updated(ResourceUpdatedNotificationParam::new(uri))
            .await;
    }
}

async fn tell_listener(
    sink: &SubscriptionSink,
    accepted: &SubscriptionFilter,
    owed: &Owed,
    updated: Vec<String>,
) {
    if owed.tools && accepted.tools_list_changed == Some(true) {
        let _ = sink.notify_tool_list_changed().await;
    }
    if owed.resources && accepted.resources_list_changed == Some(true) {
        let _ = sink.notify_resource_list_changed().await;
    }
    for uri in updated {
        let _ = sink.notify_resource_updated(uri).await;
    }
}

/// The instructions sent to the client for the model.
fn instructions(session: &Session) -> String {
    let kinds: Vec<String> = session
        .live
        .config()
        .kinds
        .iter()
        .map(|k| format!("{} ({}-N)", k.name, k.prefix))
        .collect();
    format!(
        "cairn serves the plan at {root}: {kinds} kept as Markdown files with YAML front matter \
         in git. Read it with `list`, `show`, `rank`, `next`, `check` and `report`; every item is \
         also the resource cairn://item/ID. Change it only through `new`, `set` and \
         `sprint_plan` (with `write: true`): they change only the lines they must, mint ids no \
         branch has used, and refuse, saying why, an edit that would add an error to the plan. \
         Call `check` after editing files by other means.",
        root = session.live.root().display(),
        kinds = kinds.join(", ")
    )
}

/// The MCP handler.
#[derive(Clone)]
pub struct Server {
    /// The shared state.
    pub shared: Arc<Shared>,
}

fn tool(t: &tools::Tool, config: &crate::config::Config) -> Tool {
    let Value::Object(input) = (t.input)(config) else {
        unreachable!("input schemas are objects")
    };
    let mut out = Tool::new(t.name, t.description, Arc::new(input))
        .with_title(t.title)
        .annotate(
            ToolAnnotations::with_title(t.title)
                .read_only(t.read_only)
                .destructive(t.destructive)
                .idempotent(t.read_only)
                .open_world(false),
        );
    if let Some(output) = t.output {
        if let Value::Object(o) = output() {
            out = out.with_raw_output_schema(Arc::new(o));
        }
    }
    out
}

fn result(outcome: Result<Output, Failure>) -> CallToolResult {
    match outcome {
        Ok(out) => {
            let mut r = if out.is_error {
                CallToolResult::error(vec![ContentBlock::text(out.text)])
            } else {
                CallToolResult::success(vec![ContentBlock::text(out.text)])
            };
            r.structured_content = out.structured;
            r
        }
        Err(Failure(message)) => CallToolResult::error(vec![ContentBlock::text(message)]),
    }
}

#[allow(deprecated)] // resources/subscribe is legacy, and served for legacy clients
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder()
            .enable_tools()
            .enable_tool_list_changed()
            .enable_resources()
            .enable_resources_subscribe()
            .enable_resources_list_changed()
            .build();
        ServerConfig::new(capabilities)
            .with_server_info(
                Implementation::new("cairn", env!("CARGO_PKG_VERSION"))
                    .with_title("cairn")
                    .with_description(
                        "A Git-native, plain-text planner: goals and stories as Markdown",
                    ),
            )
            .with_instructions(self.shared.instructions.clone())
    }

    async fn initialize(
        &self,
        request: InitializeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<InitializeResult, McpError> {
        context.peer.set_peer_info(request.clone());
        *lock(&self.shared.legacy) = Some(context.peer.clone());
        self.negotiate_initialize(&request)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        let config = self.shared.session().live.config().clone();
        Ok(ListToolsResult::with_all_items(
            tools::ALL.iter().map(|t| tool(t, &config)).collect(),
        ))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<rmcp::model::CallToolResponse, McpError> {
        let Some(t) = tools::find(&request.name) else {
            let names: Vec<&str> = tools::ALL.iter().map(|t| t.name).collect();
            let hint = crate::suggest::did_you_mean(&request.name, names.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(McpError::invalid_params(
                format!(
                    "unknown tool `{}`{hint} (tools: {})",
                    request.name,
                    names.join(", ")
                ),
                None,
            ));
        };
        let args = request.arguments.unwrap_or_default();
        let outcome = {
            let mut s = self.shared.session();
            let input = (t.input)(s.live.config());
            match schema::validate(&input, &Value::Object(args.clone())) {
                Err(why) => Err(Failure(format!(
                    "invalid arguments for `{}`: {why}",
                    t.name
                ))),
                Ok(()) => s.call(t, &args),
            }
        };
        Ok(result(outcome).into())
    }

    async fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        let offset = match request.and_then(|r| r.cursor) {
            None => 0,
            Some(c) => c.parse::<usize>().map_err(|_| {
                McpError::invalid_params(format!("`{c}` is not a cursor this server gave"), None)
            })?,
        };
        let (entries, next) = resources::list(&mut self.shared.session().live, offset);
        let mut out = ListResourcesResult::with_all_items(
            entries
                .into_iter()
                .map(|e| {
                    Resource::new(e.uri, e.name)
                        .with_title(e.title)
                        .with_description(e.description)
                        .with_mime_type(e.mime_type)
                })
                .collect(),
        );
        out.next_cursor = next.map(|n| n.to_string());
        Ok(out)
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, McpError> {
        Ok(ListResourceTemplatesResult::with_all_items(vec![
            ResourceTemplate::new(resources::ITEM_TEMPLATE, "item")
                .with_title("A plan item")
                .with_description("An item's Markdown file, front matter and body, by id (`S-14`)")
                .with_mime_type("text/markdown"),
        ]))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<rmcp::model::ReadResourceResponse, McpError> {
        let uri = request.uri;
        let read = resources::read(&mut self.shared.session().live, &uri);
        match read {
            Ok(c) => Ok(ReadResourceResult::new(vec![
                ResourceContents::text(c.text, uri).with_mime_type(c.mime_type)
            ])
            .into()),
            Err(why) => Err(McpError::resource_not_found(why, None)),
        }
    }

    async fn subscribe(
        &self,
        request: SubscribeRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        let mut s = self.shared.session();
        match resources::file_of(&mut s.live, &request.uri) {
            Some(file) => {
                s.subscribed.insert(request.uri, Some(file));
                Ok(())
            }
            None => Err(McpError::resource_not_found(
                format!("no resource `{}` to subscribe to", request.uri),
                None,
            )),
        }
    }

    async fn unsubscribe(
        &self,
        request: UnsubscribeRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.shared.session().subscribed.remove(&request.uri);
        Ok(())
    }

    fn accepted_subscription_filter(
        &self,
        requested: &SubscriptionFilter,
    ) -> Option<SubscriptionFilter> {
        Some(requested.clone())
    }

    async fn listen(&self, context: SubscriptionContext) -> Result<(), McpError> {
        let key = self.shared.next_listener.fetch_add(1, Ordering::Relaxed);
        let accepted = context.accepted().clone();
        let resources = {
            let mut s = self.shared.session();
            accepted
                .resource_subscriptions
                .iter()
                .flatten()
                .map(|uri| (uri.clone(), resources::file_of(&mut s.live, uri)))
                .collect()
        };
        lock(&self.shared.listeners).push(Listener {
            key,
            sink: context.sink().clone(),
            accepted,
            resources,
        });
        context.cancelled().await;
        lock(&self.shared.listeners).retain(|l| l.key != key);
        Ok(())
    }
}
