//! What the server knows: the config, a parse of every plan file (open buffers over the work
//! tree), and the plan and findings built from them, rebuilt only when something changed.
//!
//! An edit re-parses only the edited buffer; the other files' parses are kept, and the plan's
//! indexes are rebuilt from them with [`Plan::from_parsed`] before the rules run again. The
//! parses are moved into the plan and taken back out of it on the next edit, never copied, so
//! an edit costs the same in a plan of 10 or 10,000 files but for the indexes and the rules.

use super::position::LineIndex;
use super::uri;
use crate::config::{self, Config, ConfigError};
use crate::diagnostic::{Diagnostic, Rule, Severity, Span};
use crate::parse::item::{parse_file, ParsedFile};
use crate::plan::Plan;
use crate::source::{is_markdown, Source, WorkTree};
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
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

/// Open buffers over the files on disk: what `cairn check` would read if every buffer were saved.
pub struct Overlay<'a> {
    disk: &'a WorkTree,
    docs: &'a HashMap<String, Doc>,
}

impl Source for Overlay<'_> {
    fn markdown_files(&self, dir: &str) -> io::Result<Vec<String>> {
        let mut files = self.disk.markdown_files(dir)?;
        let prefix = format!("{dir}/");
        let extra: Vec<String> = self
            .docs
            .keys()
            .filter(|p| dir == "." || p.starts_with(&prefix))
            .filter(|p| is_markdown(p) && files.binary_search(p).is_err())
            .cloned()
            .collect();
        files.extend(extra);
        files.sort();
        Ok(files)
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        match self.docs.get(path) {
            Some(doc) => Ok(doc.text.clone().into_bytes()),
            None => self.disk.read(path),
        }
    }

    fn exists(&self, path: &str) -> bool {
        self.docs.contains_key(path) || self.disk.exists(path)
    }

    fn describe(&self) -> String {
        "editor buffers".into()
    }
}

/// The server's picture of the plan.
pub struct State {
    root: PathBuf,
    disk: WorkTree,
    config: Config,
    config_file: Option<String>,
    config_text: Option<Arc<str>>,
    config_error: Option<ConfigError>,
    /// Plan files found on disk by the last listing (ignored and hidden files are not there).
    listed: HashSet<String>,
    /// A parse of every plan file, sorted by path, while `plan` is `None`; once the plan is built,
    /// the parses live in it.
    files: Vec<ParsedFile>,
    /// The id each unparseable file seems to declare (the plan keeps only one file per id).
    unread: HashMap<String, String>,
    docs: HashMap<String, Doc>,
    plan: Option<Plan>,
    findings: Option<Arc<Vec<Diagnostic>>>,
}

impl State {
    /// Reads the config and every plan file under `root`.
    pub fn new(root: &Path) -> State {
        let disk = WorkTree::new(root);
        let mut state = State {
            root: disk.root().to_path_buf(),
            disk,
            config: Config::default(),
            config_file: None,
            config_text: None,
            config_error: None,
            listed: HashSet::new(),
            files: Vec::new(),
            unread: HashMap::new(),
            docs: HashMap::new(),
            plan: None,
            findings: None,
        };
        state.reload();
        state
    }

    /// The plan root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The config in force (the last valid one when `cairn.yaml` is broken).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Re-reads the config and every file (buffers win over disk).
    pub fn reload(&mut self) {
        self.load_config();
        let listed = self
            .disk
            .markdown_files(&self.config.plan_dir)
            .unwrap_or_default();
        self.listed = listed.iter().cloned().collect();
        let mut paths = listed;
        paths.extend(
            self.docs
                .keys()
                .filter(|p| !self.listed.contains(*p) && self.is_plan_path(p))
                .cloned(),
        );
        paths.sort();
        let this = &*self;
        let files: Vec<ParsedFile> = paths.par_iter().filter_map(|p| this.parse(p)).collect();
        self.unread = files
            .iter()
            .filter_map(|f| Some((f.file.clone(), f.unread_id.clone()?)))
            .collect();
        self.plan = None;
        self.files = files;
        self.findings = None;
    }

    fn load_config(&mut self) {
        let name = config::FILE_NAME;
        let text = match self.docs.get(name) {
            Some(doc) => Some(doc.text.clone()),
            None if self.disk.exists(name) => match self.disk.read(name) {
                Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
                Err(e) => {
                    self.config_error = Some(ConfigError {
                        file: name.into(),
                        span: Span::file_start(),
                        message: format!("cannot read the config: {e}"),
                        help: None,
                    });
                    return;
                }
            },
            None => None,
        };
        let Some(text) = text else {
            self.config = Config::default();
            self.config_file = None;
            self.config_text = None;
            self.config_error = None;
            return;
        };
        match Config::parse(&text, name) {
            Ok(c) => {
                self.config = c;
                self.config_error = None;
            }
            // Keep checking with the last good config; the error shows on cairn.yaml.
            Err(e) => self.config_error = Some(e),
        }
        self.config_file = Some(name.into());
        self.config_text = Some(Arc::from(text));
    }

    /// True when `rel` is (or would be, once saved) a file of the plan.
    fn is_plan_path(&self, rel: &str) -> bool {
        if self.listed.contains(rel) {
            return true;
        }
        let dir = &self.config.plan_dir;
        let under = dir == "." || rel.starts_with(&format!("{dir}/"));
        under
            && is_markdown(rel)
            && !rel.split('/').any(|c| c.starts_with('.'))
            && !self.disk.exists(rel)
    }

    fn parse(&self, rel: &str) -> Option<ParsedFile> {
        match self.docs.get(rel) {
            Some(doc) => Some(parse_file(rel, doc.text.as_bytes(), &self.config)),
            None => match self.disk.read(rel) {
                Ok(bytes) => Some(parse_file(rel, &bytes, &self.config)),
                Err(e) if self.disk.exists(rel) => Some(ParsedFile::unreadable(rel, &e)),
                Err(_) => None,
            },
        }
    }

    /// Parses `rel` again (from its buffer, else from disk) and drops it when it is gone.
    fn refresh(&mut self, rel: &str) {
        if rel == config::FILE_NAME {
            self.reload();
            return;
        }
        let parsed = if self.is_plan_path(rel) {
            self.parse(rel)
        } else {
            None
        };
        if parsed.is_none() && self.links(rel).is_none() {
            return; // not a plan file before or after: the plan is unchanged
        }
        match parsed.as_ref().and_then(|p| p.unread_id.clone()) {
            Some(id) => self.unread.insert(rel.to_string(), id),
            None => self.unread.remove(rel),
        };
        let files = self.files_mut();
        let at = files.binary_search_by(|f| f.file.as_str().cmp(rel));
        match (at, parsed) {
            (Ok(i), Some(p)) => files[i] = p,
            (Err(i), Some(p)) => files.insert(i, p),
            (Ok(i), None) => {
                files.remove(i);
            }
            (Err(_), None) => {}
        }
    }

    /// The parses, taken back out of the plan if it was built; the plan and findings are stale
    /// from here on.
    fn files_mut(&mut self) -> &mut Vec<ParsedFile> {
        self.findings = None;
        if let Some(plan) = self.plan.take() {
            self.files = self.take_apart(plan);
        }
        &mut self.files
    }

    /// The parses a plan was built from, moved back out of it.
    fn take_apart(&self, plan: Plan) -> Vec<ParsedFile> {
        let Plan {
            files,
            items,
            parse_diagnostics,
            ..
        } = plan;
        let mut items: Vec<Option<crate::model::Item>> = items.into_iter().map(Some).collect();
        let mut diagnostics: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        for d in parse_diagnostics {
            diagnostics.entry(d.file.clone()).or_default().push(d);
        }
        files
            .into_iter()
            .map(|f| ParsedFile {
                item: f.item.and_then(|i| items.get_mut(i)?.take()),
                has_front_matter: true,
                anchors: f.anchors,
                links: f.links,
                diagnostics: diagnostics.remove(&f.path).unwrap_or_default(),
                unread_id: self.unread.get(&f.path).cloned(),
                file: f.path,
            })
            .collect()
    }

    /// The path of a URI relative to the root, when it lies under it.
    pub fn rel_path(&self, uri: &Uri) -> Option<String> {
        let path = uri::to_path(uri)?;
        let rel = match path.strip_prefix(&self.root) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => {
                // The editor may name the file through a symlink; compare real folders.
                let parent = dunce::canonicalize(path.parent()?).ok()?;
                parent
                    .join(path.file_name()?)
                    .strip_prefix(&self.root)
                    .ok()?
                    .to_path_buf()
            }
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        (!parts.is_empty() && !parts.iter().any(|p| p == "..")).then(|| parts.join("/"))
    }

    /// The URI of a file relative to the root: the editor's own when the file is open.
    pub fn uri_of(&self, rel: &str) -> Option<Uri> {
        match self.docs.get(rel) {
            Some(doc) => Some(doc.uri.clone()),
            None => uri::from_path(&self.root.join(rel)),
        }
    }

    /// The open buffer at `rel`.
    pub fn doc(&self, rel: &str) -> Option<&Doc> {
        self.docs.get(rel)
    }

    /// The text of a file: its buffer when open, else the file on disk.
    pub fn text(&self, rel: &str) -> Option<Cow<'_, str>> {
        match self.docs.get(rel) {
            Some(doc) => Some(Cow::Borrowed(doc.text.as_str())),
            None => {
                let bytes = self.disk.read(rel).ok()?;
                Some(Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()))
            }
        }
    }

    /// True when a file or folder exists at `rel`, in a buffer or on disk.
    pub fn exists(&self, rel: &str) -> bool {
        self.source().exists(rel)
    }

    /// Buffers over the work tree, as a [`Source`].
    pub fn source(&self) -> Overlay<'_> {
        Overlay {
            disk: &self.disk,
            docs: &self.docs,
        }
    }

    /// The relative links of a plan file, from its cached parse.
    pub fn links(&self, rel: &str) -> Option<&[crate::parse::markdown::Link]> {
        match &self.plan {
            Some(plan) => plan
                .files
                .binary_search_by(|f| f.path.as_str().cmp(rel))
                .ok()
                .map(|i| plan.files[i].links.as_slice()),
            None => self
                .files
                .binary_search_by(|f| f.file.as_str().cmp(rel))
                .ok()
                .map(|i| self.files[i].links.as_slice()),
        }
    }

    /// The editor opened a buffer.
    pub fn open(&mut self, uri: Uri, version: i32, text: String) -> Option<String> {
        let rel = self.rel_path(&uri)?;
        let lines = LineIndex::new(&text);
        self.docs.insert(
            rel.clone(),
            Doc {
                uri,
                version,
                text,
                lines,
            },
        );
        self.refresh(&rel);
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
        let doc = self.docs.get_mut(&rel)?;
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
        self.refresh(&rel);
        Some(rel)
    }

    /// The editor closed a buffer: the file on disk counts again.
    pub fn close(&mut self, uri: &Uri) -> Option<String> {
        let rel = self.rel_path(uri)?;
        self.docs.remove(&rel)?;
        self.refresh(&rel);
        Some(rel)
    }

    /// Files changed on disk (not through an open buffer).
    pub fn disk_changed(&mut self, uris: &[Uri], created_or_deleted: bool) {
        let rels: Vec<String> = uris.iter().filter_map(|u| self.rel_path(u)).collect();
        if rels.iter().any(|r| r == config::FILE_NAME) {
            self.reload();
            return;
        }
        if created_or_deleted {
            let listed = self
                .disk
                .markdown_files(&self.config.plan_dir)
                .unwrap_or_default();
            self.listed = listed.into_iter().collect();
        }
        for rel in rels {
            if !self.docs.contains_key(&rel) {
                self.refresh(&rel);
            }
        }
    }

    /// The plan as the buffers and the disk have it now.
    pub fn plan(&mut self) -> &Plan {
        if self.plan.is_none() {
            self.plan = Some(Plan::from_parsed(
                self.config.clone(),
                self.config_file.clone(),
                self.config_text.clone(),
                std::mem::take(&mut self.files),
            ));
        }
        self.plan.as_ref().expect("just built")
    }

    /// Every finding of `cairn check` over the current buffers, plus a broken config's error.
    pub fn findings(&mut self) -> Arc<Vec<Diagnostic>> {
        if let Some(f) = &self.findings {
            return Arc::clone(f);
        }
        self.plan();
        let plan = self.plan.as_ref().expect("built above");
        let mut found = crate::rules::check(plan, &self.source());
        if let Some(e) = &self.config_error {
            let mut d = Diagnostic::new(
                Rule::ParseError,
                &e.file,
                e.span,
                format!("invalid config: {}", e.message),
            )
            .with_help_opt(e.help.clone());
            d.severity = Severity::Error;
            found.insert(0, d);
        }
        let found = Arc::new(found);
        self.findings = Some(Arc::clone(&found));
        found
    }
}
