//! A plan kept in memory by a long-running server (`cairn lsp`, `cairn mcp`): the config, a parse
//! of every plan file (in-memory buffers over the work tree), and the plan and findings built
//! from them, rebuilt only when something changed.
//!
//! A change re-parses only the changed file; the other files' parses are kept, and the plan's
//! indexes are rebuilt from them with [`Plan::from_parsed`] before the rules run again. The
//! parses are moved into the plan and taken back out of it on the next change, never copied, so
//! a change costs the same in a plan of 10 or 10,000 files but for the indexes and the rules.
//!
//! Buffers are texts that win over the file on disk: the editor's unsaved documents for the
//! language server, an edit being checked before it is written for the MCP server.

use crate::config::{self, Config, ConfigError};
use crate::diagnostic::{Diagnostic, Rule, Severity, Span};
use crate::parse::item::{parse_file, ParsedFile};
use crate::plan::Plan;
use crate::source::{is_markdown, Source, WorkTree};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A text held in memory in place of a file.
pub trait Buffer: Send + Sync {
    /// The text.
    fn text(&self) -> &str;
}

impl Buffer for String {
    fn text(&self) -> &str {
        self
    }
}

/// Buffers over the files on disk: what `cairn check` would read if every buffer were saved.
pub struct Overlay<'a, B> {
    disk: &'a WorkTree,
    buffers: &'a HashMap<String, B>,
}

impl<B: Buffer> Source for Overlay<'_, B> {
    fn markdown_files(&self, dir: &str) -> io::Result<Vec<String>> {
        let mut files = self.disk.markdown_files(dir)?;
        let prefix = format!("{dir}/");
        let extra: Vec<String> = self
            .buffers
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
        match self.buffers.get(path) {
            Some(b) => Ok(b.text().as_bytes().to_vec()),
            None => self.disk.read(path),
        }
    }

    fn exists(&self, path: &str) -> bool {
        self.buffers.contains_key(path) || self.disk.exists(path)
    }

    fn describe(&self) -> String {
        "buffers over the work tree".into()
    }
}

/// A file's size and modification time: when either differs, the file changed.
type Stamp = (u64, Option<std::time::SystemTime>);

/// What [`LivePlan::trial`] changed, to put back with [`LivePlan::undo`].
#[must_use = "a trial is undone or its buffers adopted"]
pub struct Trial {
    /// Each file tried: its parse and unread id before the trial.
    saved: Vec<(String, Option<ParsedFile>, Option<String>)>,
    /// The findings before the trial, when they were computed.
    findings: Option<Arc<Vec<Diagnostic>>>,
    /// The generation before the trial.
    generation: u64,
}

/// One plan in memory.
pub struct LivePlan<B = String> {
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
    /// Size and modification time of each file as it was when last read from disk.
    stamps: HashMap<String, Stamp>,
    buffers: HashMap<String, B>,
    plan: Option<Plan>,
    findings: Option<Arc<Vec<Diagnostic>>>,
    /// Names the plan's current state, so that callers can cache what they derive from it: a
    /// change gives a number never used before; undoing a trial gives back the old one.
    generation: u64,
    /// The last number given.
    minted: u64,
}

impl<B: Buffer> LivePlan<B> {
    /// Reads the config and every plan file under `root`.
    pub fn new(root: &Path) -> LivePlan<B> {
        let disk = WorkTree::new(root);
        let mut live = LivePlan {
            root: disk.root().to_path_buf(),
            disk,
            config: Config::default(),
            config_file: None,
            config_text: None,
            config_error: None,
            listed: HashSet::new(),
            files: Vec::new(),
            unread: HashMap::new(),
            stamps: HashMap::new(),
            buffers: HashMap::new(),
            plan: None,
            findings: None,
            generation: 0,
            minted: 0,
        };
        live.reload();
        live
    }

    /// The plan root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The config in force (the last valid one when `cairn.yaml` is broken).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Why `cairn.yaml` cannot be used, when it cannot.
    pub fn config_error(&self) -> Option<&ConfigError> {
        self.config_error.as_ref()
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
            self.buffers
                .keys()
                .filter(|p| !self.listed.contains(*p) && self.is_plan_path(p))
                .cloned(),
        );
        paths.sort();
        let this = &*self;
        let parsed: Vec<(Option<ParsedFile>, Option<Stamp>)> =
            paths.par_iter().map(|p| this.parse(p)).collect();
        self.stamps = paths
            .iter()
            .zip(&parsed)
            .filter_map(|(p, (_, stamp))| Some((p.clone(), (*stamp)?)))
            .collect();
        let files: Vec<ParsedFile> = parsed.into_iter().filter_map(|(f, _)| f).collect();
        self.unread = files
            .iter()
            .filter_map(|f| Some((f.file.clone(), f.unread_id.clone()?)))
            .collect();
        self.plan = None;
        self.files = files;
        self.findings = None;
        self.bump();
    }

    fn bump(&mut self) {
        self.minted += 1;
        self.generation = self.minted;
    }

    /// A number that changes whenever the plan may have: what is derived from the plan (a
    /// ranking) stays valid while it is the same.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    fn load_config(&mut self) {
        let name = config::FILE_NAME;
        let text = match self.buffers.get(name) {
            Some(b) => Some(b.text().to_string()),
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
    pub fn is_plan_path(&self, rel: &str) -> bool {
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

    /// True when the last listing of the disk found `rel`.
    pub fn is_listed(&self, rel: &str) -> bool {
        self.listed.contains(rel)
    }

    /// The parse of `rel` (its buffer, else the file on disk) and, for a file read from disk, its
    /// stamp, taken before reading (a change while it is read makes the stamp old, never new).
    fn parse(&self, rel: &str) -> (Option<ParsedFile>, Option<Stamp>) {
        if let Some(b) = self.buffers.get(rel) {
            return (
                Some(parse_file(rel, b.text().as_bytes(), &self.config)),
                None,
            );
        }
        let stamp = self.stamp(rel);
        let parsed = match self.disk.read(rel) {
            Ok(bytes) => Some(parse_file(rel, &bytes, &self.config)),
            Err(e) if self.disk.exists(rel) => Some(ParsedFile::unreadable(rel, &e)),
            Err(_) => None,
        };
        (parsed, stamp)
    }

    fn stamp(&self, rel: &str) -> Option<Stamp> {
        let meta = std::fs::metadata(self.root.join(rel)).ok()?;
        Some((meta.len(), meta.modified().ok()))
    }

    /// Reads again those of `rels` whose file changed on disk since it was last read (its size or
    /// modification time differs, or it appeared or went away): for a caller about to use those
    /// files that cannot wait for news of them. Returns how many changed.
    pub fn freshen(&mut self, rels: &[String]) -> usize {
        let changed: Vec<String> = rels
            .iter()
            .filter(|rel| !self.buffers.contains_key(*rel))
            .filter(|rel| self.stamp(rel) != self.stamps.get(*rel).copied())
            .cloned()
            .collect();
        if !changed.is_empty() {
            let relist = self.needs_relist(&changed);
            self.disk_changed(&changed, relist);
        }
        changed.len()
    }

    /// Parses `rel` again (from its buffer, else from disk) and drops it when it is gone.
    pub fn refresh(&mut self, rel: &str) {
        if rel == config::FILE_NAME {
            self.reload();
            return;
        }
        let (parsed, stamp) = if self.is_plan_path(rel) {
            self.parse(rel)
        } else {
            (None, None)
        };
        match stamp {
            Some(stamp) => self.stamps.insert(rel.to_string(), stamp),
            None => self.stamps.remove(rel),
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
        self.bump();
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

    /// The path of a file relative to the root (`/`-separated), when it lies under it.
    pub fn rel_path(&self, path: &Path) -> Option<String> {
        let rel = match path.strip_prefix(&self.root) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => {
                // The file may be named through a symlink; compare real folders.
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

    /// The buffer at `rel`.
    pub fn buffer(&self, rel: &str) -> Option<&B> {
        self.buffers.get(rel)
    }

    /// Holds `buffer` in place of the file `rel` (relative to the root).
    pub fn set_buffer(&mut self, rel: &str, buffer: B) {
        self.buffers.insert(rel.to_string(), buffer);
        self.refresh(rel);
    }

    /// Changes the buffer at `rel` in place; the plan is brought up to date afterwards.
    pub fn edit_buffer<T>(&mut self, rel: &str, edit: impl FnOnce(&mut B) -> T) -> Option<T> {
        let out = edit(self.buffers.get_mut(rel)?);
        self.refresh(rel);
        Some(out)
    }

    /// Drops the buffer at `rel`: the file on disk counts again.
    pub fn remove_buffer(&mut self, rel: &str) -> Option<B> {
        let buffer = self.buffers.remove(rel)?;
        self.refresh(rel);
        Some(buffer)
    }

    /// Holds `buffers` in place of their files to see what the plan would be, remembering what
    /// it is now: [`Self::undo`] puts it back without parsing or checking anything again, and
    /// [`Self::adopt_buffer`] keeps a buffer once its text is written.
    pub fn trial(&mut self, buffers: Vec<(String, B)>) -> Trial {
        let findings = self.findings.clone();
        let generation = self.generation;
        self.files_mut();
        let saved = buffers
            .iter()
            .map(|(rel, _)| {
                let parse = self
                    .files
                    .binary_search_by(|f| f.file.as_str().cmp(rel))
                    .ok()
                    .map(|i| self.files[i].clone());
                (rel.clone(), parse, self.unread.get(rel).cloned())
            })
            .collect();
        for (rel, buffer) in buffers {
            self.set_buffer(&rel, buffer);
        }
        Trial {
            saved,
            findings,
            generation,
        }
    }

    /// Drops the buffers of `trial`: the plan and its findings are what they were before it.
    pub fn undo(&mut self, trial: Trial) {
        for (rel, _, _) in &trial.saved {
            self.buffers.remove(rel);
        }
        let files = self.files_mut();
        for (rel, parse, _) in &trial.saved {
            let at = files.binary_search_by(|f| f.file.as_str().cmp(rel));
            match (at, parse) {
                (Ok(i), Some(p)) => files[i] = p.clone(),
                (Err(i), Some(p)) => files.insert(i, p.clone()),
                (Ok(i), None) => {
                    files.remove(i);
                }
                (Err(_), None) => {}
            }
        }
        for (rel, _, unread) in trial.saved {
            match unread {
                Some(id) => self.unread.insert(rel, id),
                None => self.unread.remove(&rel),
            };
        }
        self.findings = trial.findings;
        self.generation = trial.generation;
    }

    /// Drops the buffer at `rel` once the file on disk holds the same text (it was just written):
    /// its parse is kept, nothing is read again.
    pub fn adopt_buffer(&mut self, rel: &str) -> Option<B> {
        let buffer = self.buffers.remove(rel)?;
        if self.disk.exists(rel) {
            self.listed.insert(rel.to_string());
        }
        match self.stamp(rel) {
            Some(stamp) => self.stamps.insert(rel.to_string(), stamp),
            None => self.stamps.remove(rel),
        };
        Some(buffer)
    }

    /// The text of a file: its buffer when there is one, else the file on disk.
    pub fn text(&self, rel: &str) -> Option<Cow<'_, str>> {
        match self.buffers.get(rel) {
            Some(b) => Some(Cow::Borrowed(b.text())),
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
    pub fn source(&self) -> Overlay<'_, B> {
        Overlay {
            disk: &self.disk,
            buffers: &self.buffers,
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

    /// Files changed on disk (`rels`, relative to the root). With `relist`, files were created or
    /// deleted, so the plan folder is listed again first.
    pub fn disk_changed(&mut self, rels: &[String], relist: bool) {
        if rels.iter().any(|r| r == config::FILE_NAME) {
            self.reload();
            return;
        }
        if relist {
            let listed = self
                .disk
                .markdown_files(&self.config.plan_dir)
                .unwrap_or_default();
            self.listed = listed.into_iter().collect();
        }
        for rel in rels {
            if self.listed.contains(rel) && !self.disk.exists(rel) {
                self.listed.remove(rel);
            }
            if !self.buffers.contains_key(rel) {
                self.refresh(rel);
            }
        }
    }

    /// True when the changes at `rels` may have added or removed plan files, so that the plan
    /// folder must be listed again: a Markdown file the last listing did not find is there now, a
    /// folder appeared or went away, or a `.gitignore` changed. Hidden files (editors' and
    /// cairn's own temporary files) never count.
    pub fn needs_relist(&self, rels: &[String]) -> bool {
        rels.iter().any(|rel| {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            let hidden = rel
                .split('/')
                .any(|c| c.starts_with('.') && c != ".gitignore");
            if hidden || self.listed.contains(rel) {
                return false;
            }
            match std::fs::symlink_metadata(self.root.join(rel)) {
                Ok(m) if m.is_dir() => true,
                Ok(_) => is_markdown(name) || name == ".gitignore",
                Err(_) => !is_markdown(name),
            }
        })
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

    /// The plan with the source it was read from, to use both at once.
    pub fn snapshot(&mut self) -> (&Plan, Overlay<'_, B>) {
        self.plan();
        (self.plan.as_ref().expect("just built"), self.source())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(id: &str, status: &str) -> String {
        format!("---\nid: {id}\ntitle: Story {id}\nstatus: {status}\n---\nBody.\n")
    }

    fn plan_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("plan/stories")).unwrap();
        for id in ["S-1", "S-2"] {
            std::fs::write(
                dir.path().join(format!("plan/stories/{id}.md")),
                story(id, "draft"),
            )
            .unwrap();
        }
        dir
    }

    #[test]
    fn a_changed_file_is_read_again_and_the_others_are_kept() {
        let dir = plan_dir();
        let mut live: LivePlan = LivePlan::new(dir.path());
        assert_eq!(live.plan().items.len(), 2);
        let file = "plan/stories/S-2.md";
        std::fs::write(dir.path().join(file), story("S-2", "done")).unwrap();
        assert_eq!(
            live.plan().get("S-2").unwrap().status.as_deref(),
            Some("draft")
        );
        live.disk_changed(&[file.to_string()], false);
        assert_eq!(
            live.plan().get("S-2").unwrap().status.as_deref(),
            Some("done")
        );
        assert_eq!(live.plan().items.len(), 2);
    }

    #[test]
    fn freshen_reads_again_only_what_changed_on_disk() {
        let dir = plan_dir();
        let mut live: LivePlan = LivePlan::new(dir.path());
        let files = [
            "plan/stories/S-1.md".to_string(),
            "plan/stories/S-2.md".to_string(),
        ];
        assert_eq!(live.freshen(&files), 0);
        let generation = live.generation();
        std::fs::write(dir.path().join(&files[1]), story("S-2", "in-progress")).unwrap();
        assert_eq!(live.freshen(&files), 1);
        assert_ne!(live.generation(), generation);
        assert_eq!(
            live.plan().get("S-2").unwrap().status.as_deref(),
            Some("in-progress")
        );
        assert_eq!(live.freshen(&files), 0, "read once");
        std::fs::remove_file(dir.path().join(&files[0])).unwrap();
        assert_eq!(live.freshen(&files), 1);
        assert!(live.plan().get("S-1").is_none());
    }

    #[test]
    fn new_and_deleted_files_are_found() {
        let dir = plan_dir();
        let mut live: LivePlan = LivePlan::new(dir.path());
        let new = "plan/stories/S-3.md".to_string();
        std::fs::write(dir.path().join(&new), story("S-3", "draft")).unwrap();
        assert!(live.needs_relist(std::slice::from_ref(&new)));
        live.disk_changed(std::slice::from_ref(&new), true);
        assert!(live.plan().get("S-3").is_some());

        let gone = "plan/stories/S-1.md".to_string();
        std::fs::remove_file(dir.path().join(&gone)).unwrap();
        assert!(
            !live.needs_relist(std::slice::from_ref(&gone)),
            "a known file"
        );
        live.disk_changed(std::slice::from_ref(&gone), false);
        assert!(live.plan().get("S-1").is_none());
        assert_eq!(live.plan().items.len(), 2);

        // Temporary files of atomic writes are hidden and never cause a new listing.
        let tmp = "plan/stories/.S-2.md.cairn-1.tmp".to_string();
        assert!(!live.needs_relist(&[tmp]));
        std::fs::create_dir(dir.path().join("plan/epics")).unwrap();
        assert!(live.needs_relist(&["plan/epics".to_string()]));
    }

    #[test]
    fn a_trial_is_undone_without_reading_or_checking_again() {
        let dir = plan_dir();
        let mut live: LivePlan = LivePlan::new(dir.path());
        let before = live.findings();
        let generation = live.generation();
        let file = "plan/stories/S-1.md";
        let trial = live.trial(vec![(
            file.into(),
            "---\nid: S-1\ntitle: x\nstatus: nope\n---\n".into(),
        )]);
        assert!(live.findings().len() > before.len());
        // The file changes on disk meanwhile: undoing does not read it.
        std::fs::write(dir.path().join(file), story("S-1", "done")).unwrap();
        live.undo(trial);
        assert!(
            Arc::ptr_eq(&live.findings(), &before),
            "the findings from before, not checked again"
        );
        assert_eq!(live.generation(), generation, "the same plan as before");
        assert_eq!(
            live.plan().get("S-1").unwrap().status.as_deref(),
            Some("draft")
        );
        // A trial of a new file is undone too.
        let trial = live.trial(vec![("plan/stories/S-7.md".into(), story("S-7", "draft"))]);
        assert!(live.plan().get("S-7").is_some());
        live.undo(trial);
        assert!(live.plan().get("S-7").is_none());
        assert!(live.buffer("plan/stories/S-7.md").is_none());
    }

    #[test]
    fn a_buffer_is_checked_then_adopted_once_written() {
        let dir = plan_dir();
        let mut live: LivePlan = LivePlan::new(dir.path());
        let before = live.findings().len();
        let file = "plan/stories/S-1.md";
        live.set_buffer(
            file,
            "---\nid: S-1\ntitle: x\nstatus: nope\n---\n".to_string(),
        );
        assert!(
            live.findings().len() > before,
            "an invalid status is found in the buffer"
        );
        live.remove_buffer(file);
        assert_eq!(live.findings().len(), before, "the disk counts again");

        let text = story("S-1", "ready");
        live.set_buffer(file, text.clone());
        std::fs::write(dir.path().join(file), &text).unwrap();
        live.adopt_buffer(file);
        assert!(live.buffer(file).is_none());
        assert_eq!(
            live.plan().get("S-1").unwrap().status.as_deref(),
            Some("ready")
        );

        // A new file written from a buffer stays in the plan after a later change to it.
        let new = "plan/stories/S-9.md";
        live.set_buffer(new, story("S-9", "draft"));
        std::fs::write(dir.path().join(new), story("S-9", "draft")).unwrap();
        live.adopt_buffer(new);
        live.disk_changed(&[new.to_string()], false);
        assert!(live.plan().get("S-9").is_some());
    }
}
