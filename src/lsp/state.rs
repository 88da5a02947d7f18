//! What the server knows about one plan: a [`LivePlan`] whose buffers are the editor's open
//! documents, addressed by URI.

use super::position::LineIndex;
use super::uri;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::live::{Buffer, LivePlan, Overlay};
use crate::plan::Plan;
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

/// A buffer the editor has open.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The URI the editor uses for it.
    pub uri: Uri,
    /// The editor's version number of the text.
    pub version: i32,
    /// The text as the editor has it, saved or not.
    pub text: String,
    /// Its lines.
    pub lines: LineIndex,
}

impl Buffer for Doc {
    fn text(&self) -> &str {
        &self.text
    }
}

/// The server's picture of the plan.
pub struct State {
    live: LivePlan<Doc>,
}

impl State {
    /// Reads the config and every plan file under `root`.
    pub fn new(root: &Path) -> State {
        State {
            live: LivePlan::new(root),
        }
    }

    /// The plan root.
    pub fn root(&self) -> &Path {
        self.live.root()
    }

    /// The config in force (the last valid one when `cairn.yaml` is broken).
    pub fn config(&self) -> &Config {
        self.live.config()
    }

    /// The path of a URI relative to the root, when it lies under it.
    pub fn rel_path(&self, uri: &Uri) -> Option<String> {
        self.live.rel_path(&uri::to_path(uri)?)
    }

    /// The URI of a file relative to the root: the editor's own when the file is open.
    pub fn uri_of(&self, rel: &str) -> Option<Uri> {
        match self.live.buffer(rel) {
            Some(doc) => Some(doc.uri.clone()),
            None => uri::from_path(&self.root().join(rel)),
        }
    }

    /// The open buffer at `rel`.
    pub fn doc(&self, rel: &str) -> Option<&Doc> {
        self.live.buffer(rel)
    }

    /// The text of a file: its buffer when open, else the file on disk.
    pub fn text(&self, rel: &str) -> Option<Cow<'_, str>> {
        self.live.text(rel)
    }

    /// True when a file or folder exists at `rel`, in a buffer or on disk.
    pub fn exists(&self, rel: &str) -> bool {
        self.live.exists(rel)
    }

    /// Buffers over the work tree, as a [`crate::source::Source`].
    pub fn source(&self) -> Overlay<'_, Doc> {
        self.live.source()
    }

    /// The relative links of a plan file, from its cached parse.
    pub fn links(&self, rel: &str) -> Option<&[crate::parse::markdown::Link]> {
        self.live.links(rel)
    }

    /// The editor opened a buffer.
    pub fn open(&mut self, uri: Uri, version: i32, text: String) -> Option<String> {
        let rel = self.rel_path(&uri)?;
        let lines = LineIndex::new(&text);
        let doc = Doc {
            uri,
            version,
            text,
            lines,
        };
        self.live.set_buffer(&rel, doc);
        Some(rel)
    }

    /// The editor changed a buffer: whole-text or ranged changes, applied in order.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Option<String> {
        let rel = self.rel_path(uri)?;
        self.live.edit_buffer(&rel, |doc| {
            for change in changes {
                match change.range {
                    None => doc.text = change.text,
                    Some(range) => {
                        let start = doc.lines.offset(&doc.text, range.start);
                        let end = doc.lines.offset(&doc.text, range.end).max(start);
                        doc.text.replace_range(start..end, &change.text);
                    }
                }
                doc.lines = LineIndex::new(&doc.text);
            }
            doc.version = version;
        })?;
        Some(rel)
    }

    /// The editor closed a buffer: the file on disk counts again.
    pub fn close(&mut self, uri: &Uri) -> Option<String> {
        let rel = self.rel_path(uri)?;
        self.live.remove_buffer(&rel)?;
        Some(rel)
    }

    /// Files changed on disk (not through an open buffer).
    pub fn disk_changed(&mut self, uris: &[Uri], created_or_deleted: bool) {
        let rels: Vec<String> = uris.iter().filter_map(|u| self.rel_path(u)).collect();
        self.live.disk_changed(&rels, created_or_deleted);
    }

    /// The plan as the buffers and the disk have it now.
    pub fn plan(&mut self) -> &Plan {
        self.live.plan()
    }

    /// Every finding of `cairn check` over the current buffers, plus a broken config's error.
    pub fn findings(&mut self) -> Arc<Vec<Diagnostic>> {
        self.live.findings()
    }
}
