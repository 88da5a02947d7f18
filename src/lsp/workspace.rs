//! Which plan each document belongs to, and the plans served at once.
//!
//! A document's plan is found from the document's own path, as `cairn check` finds it
//! ([`plan_root_of`]: the nearest `cairn.yaml` above the file, else its git work tree, else the
//! nearest folder holding `plan/`). What the client says about its workspace (`rootUri`,
//! `rootPath`, `workspaceFolders`) is a hint: it only decides which plans are read before any
//! document opens, so that their findings show at once. Each plan is a [`State`] of its own;
//! a document is checked and answered against its plan only.

use super::state::State;
use super::uri;
use crate::root::{plan_root_of, RootKind};
use lsp_types::{FileChangeType, TextDocumentContentChangeEvent, Uri};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

/// The plans being served and the documents open in them.
#[derive(Default)]
pub struct Workspace {
    /// The workspace folders: those the client named that exist, else the server's own folder.
    folders: Vec<PathBuf>,
    /// The plans served, by root (canonical).
    plans: BTreeMap<PathBuf, State>,
    /// Open documents, by URI, and the root of their plan.
    open: HashMap<String, PathBuf>,
    /// Folder → its plan's root and how it was found, as last looked up (`None`: no plan).
    owners: HashMap<PathBuf, Option<(PathBuf, RootKind)>>,
    /// What happened since the server last asked, for its log.
    log: Vec<String>,
    /// A plan was read since the server last asked: its findings are not published yet.
    loaded: bool,
}

impl Workspace {
    /// Serves the plans of `folders` (absolute paths; the others are ignored).
    pub fn new(folders: Vec<PathBuf>) -> Workspace {
        let mut ws = Workspace::default();
        ws.add_folders(folders);
        ws
    }

    /// The workspace folders.
    pub fn folders(&self) -> &[PathBuf] {
        &self.folders
    }

    /// Adds and removes workspace folders. Returns the plans no longer served (no folder and no
    /// open document is in them any more), so that their findings can be withdrawn.
    pub fn change_folders(&mut self, added: Vec<PathBuf>, removed: &[PathBuf]) -> Vec<State> {
        let removed: Vec<PathBuf> = removed.iter().map(|p| normalize(p)).collect();
        self.folders.retain(|f| !removed.contains(f));
        self.add_folders(added);
        self.prune()
    }

    fn add_folders(&mut self, folders: Vec<PathBuf>) {
        for folder in folders {
            let folder = normalize(&folder);
            if !folder.is_absolute() || self.folders.contains(&folder) {
                continue;
            }
            match self.owner(&folder) {
                Some((root, kind)) => {
                    self.load(&root, kind);
                }
                None => self.log.push(format!(
                    "no plan in the workspace folder {}: no `cairn.yaml`, git work tree or \
                     `plan` folder there or above it; each file you open is checked against \
                     its own plan",
                    folder.display()
                )),
            }
            self.folders.push(folder);
        }
    }

    /// The plan root of the folder `dir`, and how it was found.
    fn owner(&mut self, dir: &Path) -> Option<(PathBuf, RootKind)> {
        if let Some(found) = self.owners.get(dir) {
            return found.clone();
        }
        // A folder not created yet belongs where its nearest existing ancestor does.
        let found = dir.ancestors().find(|d| d.is_dir()).and_then(plan_root_of);
        self.owners.insert(dir.to_path_buf(), found.clone());
        found
    }

    /// The root of the plan the document `uri` belongs to: the one it was opened in, else the
    /// one found from its path. `None` for documents in no plan and for non-file URIs.
    pub fn root_of(&mut self, uri: &Uri) -> Option<PathBuf> {
        if let Some(root) = self.open.get(uri.as_str()) {
            return Some(root.clone());
        }
        let path = uri::to_path(uri).filter(|p| p.is_absolute())?;
        self.owner(&normalize(path.parent()?)).map(|(root, _)| root)
    }

    /// The plan of the document `uri`, read now if it is not served yet.
    pub fn plan(&mut self, uri: &Uri) -> Option<&mut State> {
        if let Some(root) = self.open.get(uri.as_str()) {
            return self.plans.get_mut(root);
        }
        let path = uri::to_path(uri).filter(|p| p.is_absolute())?;
        let (root, kind) = self.owner(&normalize(path.parent()?))?;
        Some(self.load(&root, kind))
    }

    /// The plan at `root`, read now if it is not served yet.
    fn load(&mut self, root: &Path, kind: RootKind) -> &mut State {
        let log = &mut self.log;
        let loaded = &mut self.loaded;
        self.plans.entry(root.to_path_buf()).or_insert_with(|| {
            let how = match kind {
                RootKind::Config => "its `cairn.yaml`",
                RootKind::Git => "the git work tree, no `cairn.yaml`",
                RootKind::PlanDir | RootKind::Cwd => "its `plan` folder, no `cairn.yaml` or git",
            };
            log.push(format!(
                "serving the plan at {} (found by {how})",
                root.display()
            ));
            *loaded = true;
            State::new(root)
        })
    }

    /// The editor opened a document. True when a plan changed.
    pub fn open(&mut self, uri: Uri, version: i32, text: String) -> bool {
        let key = uri.as_str().to_string();
        let Some(state) = self.plan(&uri) else {
            self.log.push(format!(
                "{key} is in no plan: no `cairn.yaml`, git work tree or `plan` folder above it"
            ));
            return false;
        };
        let root = state.root().to_path_buf();
        let opened = state.open(uri, version, text).is_some();
        if opened {
            self.open.insert(key, root);
        }
        opened
    }

    /// The editor changed a document. True when a plan changed.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> bool {
        let Some(root) = self.open.get(uri.as_str()) else {
            return false;
        };
        self.plans
            .get_mut(root)
            .and_then(|s| s.change(uri, version, changes))
            .is_some()
    }

    /// The editor closed a document: the file on disk counts again. True when a plan changed;
    /// the plans no longer served.
    pub fn close(&mut self, uri: &Uri) -> (bool, Vec<State>) {
        let Some(root) = self.open.remove(uri.as_str()) else {
            return (false, Vec::new());
        };
        let changed = self
            .plans
            .get_mut(&root)
            .and_then(|s| s.close(uri))
            .is_some();
        (changed, self.prune())
    }

    /// Files changed on disk. Each plan whose folder holds a file hears of it (a plan may hold
    /// another one's folder). A `cairn.yaml` created or deleted can move documents to another
    /// plan. Returns the plans no longer served.
    pub fn disk_changed(&mut self, changes: &[(Uri, FileChangeType)]) -> Vec<State> {
        let moved_config = changes.iter().any(|(u, t)| {
            *t != FileChangeType::CHANGED && u.as_str().ends_with(crate::config::FILE_NAME)
        });
        if moved_config {
            self.owners.clear();
            self.rehome();
        }
        let created_or_deleted = changes.iter().any(|(_, t)| *t != FileChangeType::CHANGED);
        for state in self.plans.values_mut() {
            let mine: Vec<Uri> = changes
                .iter()
                .filter(|(u, _)| state.rel_path(u).is_some())
                .map(|(u, _)| u.clone())
                .collect();
            if !mine.is_empty() {
                state.disk_changed(&mine, created_or_deleted);
            }
        }
        self.prune()
    }

    /// Moves each open document whose plan is no longer the one it was opened in.
    fn rehome(&mut self) {
        let open: Vec<(String, PathBuf)> = self
            .open
            .iter()
            .map(|(u, r)| (u.clone(), r.clone()))
            .collect();
        for (key, old) in open {
            let Ok(uri) = Uri::from_str(&key) else {
                continue;
            };
            self.open.remove(&key);
            if self.root_of(&uri).as_ref() == Some(&old) {
                self.open.insert(key, old);
                continue;
            }
            let doc = self.plans.get_mut(&old).and_then(|s| {
                let doc = s.doc(&s.rel_path(&uri)?)?.clone();
                s.close(&uri);
                Some(doc)
            });
            if let Some(doc) = doc {
                self.open(doc.uri, doc.version, doc.text);
            }
        }
    }

    /// Drops the plans that no workspace folder and no open document is in.
    fn prune(&mut self) -> Vec<State> {
        let mut wanted: HashSet<PathBuf> = self.open.values().cloned().collect();
        for folder in self.folders.clone() {
            if let Some((root, _)) = self.owner(&folder) {
                wanted.insert(root);
            }
        }
        let gone: Vec<PathBuf> = self
            .plans
            .keys()
            .filter(|r| !wanted.contains(*r))
            .cloned()
            .collect();
        gone.into_iter()
            .filter_map(|r| {
                self.log
                    .push(format!("no longer serving the plan at {}", r.display()));
                self.plans.remove(&r)
            })
            .collect()
    }

    /// The roots of the plans served.
    pub fn roots(&self) -> Vec<PathBuf> {
        self.plans.keys().cloned().collect()
    }

    /// The plan at `root`, when it is served.
    pub fn get_mut(&mut self, root: &Path) -> Option<&mut State> {
        self.plans.get_mut(root)
    }

    /// True when the file `rel` of the plan at `root` belongs to that plan, not to another plan
    /// nested in its folder (whose findings on it are the ones that count).
    pub fn owns(&mut self, root: &Path, rel: &str) -> bool {
        let path = root.join(rel);
        let dir = path.parent().unwrap_or(root);
        self.owner(dir).is_some_and(|(r, _)| r == root)
    }

    /// What happened since the last call, for the server's log.
    pub fn take_log(&mut self) -> Vec<String> {
        std::mem::take(&mut self.log)
    }

    /// True once after a plan was read.
    pub fn take_loaded(&mut self) -> bool {
        std::mem::take(&mut self.loaded)
    }
}

/// `path` without `.` components and trailing slashes (`/.` is `/`), and `..` taken back where
/// it can be; the file system is not asked.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_without_the_file_system() {
        assert_eq!(normalize(Path::new("/.")), Path::new("/"));
        assert_eq!(normalize(Path::new("/a/./b/../c/")), Path::new("/a/c"));
        assert_eq!(normalize(Path::new(".")), Path::new("."));
    }
}
