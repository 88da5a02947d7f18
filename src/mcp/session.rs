//! What the server holds between calls: the plan in memory, what changed on disk since the
//! client was last told, and the subscriptions of a legacy (`initialize`) session.

use super::tools::{Ctx, Failure, Output, Rankings, Tool};
use crate::config;
use crate::live::LivePlan;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Notifications owed to the client.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Owed {
    /// The list of resources changed (an item was added, removed, renamed or edited).
    pub resources: bool,
    /// The list of tools changed (the configured kinds, which their schemas name).
    pub tools: bool,
    /// Plan files that changed, relative to the root.
    pub files: BTreeSet<String>,
}

impl Owed {
    /// True when nothing is owed.
    pub fn is_empty(&self) -> bool {
        !self.resources && !self.tools && self.files.is_empty()
    }
}

/// The server's state.
pub struct Session {
    /// The plan in memory.
    pub live: LivePlan,
    today: Option<String>,
    owed: Owed,
    /// Files this server wrote, with their bytes: news of them from the watcher needs no
    /// re-reading while they still hold those bytes.
    own: HashMap<String, Vec<u8>>,
    /// Resources a legacy client subscribed to (`resources/subscribe`), with the file each one
    /// was last known by.
    pub subscribed: BTreeMap<String, Option<String>>,
    rankings: Rankings,
}

impl Session {
    /// Reads the plan at `root`. `today` fixes the date (`YYYY-MM-DD`) for tests; by default it
    /// is the system date at each call.
    pub fn new(root: &Path, today: Option<String>) -> Session {
        Session {
            live: LivePlan::new(root),
            today,
            owed: Owed::default(),
            own: HashMap::new(),
            subscribed: BTreeMap::new(),
            rankings: Rankings::default(),
        }
    }

    /// The plan folder, absolute.
    pub fn plan_dir(&self) -> PathBuf {
        match self.live.config().plan_dir.as_str() {
            "." | "" => self.live.root().to_path_buf(),
            dir => self.live.root().join(dir),
        }
    }

    /// Files changed on disk (absolute paths, as the watcher reports them); `rescan` when the
    /// watcher lost track and everything must be read again.
    pub fn disk_changed(&mut self, paths: &[PathBuf], rescan: bool) {
        if rescan {
            let kinds = self.kinds();
            self.live.reload();
            self.owed.resources = true;
            self.owed.tools |= kinds != self.kinds();
            self.owed.files.insert(config::FILE_NAME.into());
            return;
        }
        let plan_dir = self.live.config().plan_dir.clone();
        let mut rels: Vec<String> = paths
            .iter()
            .filter_map(|p| self.live.rel_path(p))
            .filter(|rel| relevant(rel, &plan_dir))
            .collect();
        rels.sort();
        rels.dedup();
        if rels.is_empty() {
            return;
        }
        if rels.iter().any(|r| r == config::FILE_NAME) {
            let kinds = self.kinds();
            self.live.reload();
            self.owed.tools |= kinds != self.kinds();
            self.owed.resources = true;
            self.owed.files.extend(rels);
            return;
        }
        self.owed.resources = true;
        self.owed.files.extend(rels.iter().cloned());
        // What this server just wrote is parsed already.
        let root = self.live.root().to_path_buf();
        rels.retain(|rel| match self.own.get(rel) {
            Some(bytes) if std::fs::read(root.join(rel)).is_ok_and(|now| &now == bytes) => false,
            Some(_) => {
                self.own.remove(rel);
                true
            }
            None => true,
        });
        if rels.is_empty() {
            return;
        }
        let relist = self.live.needs_relist(&rels);
        self.live.disk_changed(&rels, relist);
    }

    /// Takes the notifications owed since the last call.
    pub fn take_owed(&mut self) -> Owed {
        std::mem::take(&mut self.owed)
    }

    /// The URIs among `uris` whose resource changed in `owed`: its file changed, or the item
    /// moved to another file or went away. `known` holds the file each was last known by.
    pub fn updated(
        &mut self,
        owed: &Owed,
        known: &mut BTreeMap<String, Option<String>>,
    ) -> Vec<String> {
        if owed.files.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (uri, last) in known.iter_mut() {
            let now = super::resources::file_of(&mut self.live, uri);
            let touched = |f: &Option<String>| f.as_ref().is_some_and(|f| owed.files.contains(f));
            if touched(&now) || touched(last) || now != *last {
                out.push(uri.clone());
            }
            *last = now;
        }
        out
    }

    /// The configured kinds, which the tools' schemas list.
    pub fn kinds(&self) -> Vec<String> {
        self.live
            .config()
            .kinds
            .iter()
            .map(|k| k.name.clone())
            .collect()
    }

    /// Runs `tool` on `args` (already validated). A panic is a bug: the plan is read again from
    /// disk and the call fails with a message instead of taking the server down.
    pub fn call(&mut self, tool: &Tool, args: &Map<String, Value>) -> Result<Output, Failure> {
        let dir = self.plan_dir();
        if !dir.is_dir() {
            return Err(Failure(format!(
                "no plan directory `{}` in {} (run `cairn init` there to create one, or set `plan_dir` in cairn.yaml)",
                self.live.config().plan_dir,
                self.live.root().display()
            )));
        }
        let today = self.today.clone().unwrap_or_else(system_today);
        let mut ctx = Ctx {
            live: &mut self.live,
            rankings: &mut self.rankings,
            today: &today,
            written: Vec::new(),
        };
        let result = catch_unwind(AssertUnwindSafe(|| (tool.call)(&mut ctx, args)));
        let written = std::mem::take(&mut ctx.written);
        self.own.extend(written);
        match result {
            Ok(result) => result,
            Err(panic) => {
                self.live.reload();
                let why = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Err(Failure(format!(
                    "internal error in `{}` (a bug in cairn; please report it): {why}",
                    tool.name
                )))
            }
        }
    }
}

/// True for the changes that matter: plan files, `cairn.yaml`, `.gitignore` files on the way;
/// not hidden files (editors' swap files, cairn's own temporary files) or other files at the root.
fn relevant(rel: &str, plan_dir: &str) -> bool {
    if rel == config::FILE_NAME || rel == ".gitignore" {
        return true;
    }
    let under = plan_dir == "."
        || plan_dir.is_empty()
        || rel == plan_dir
        || rel.starts_with(&format!("{plan_dir}/"));
    under
        && !rel
            .split('/')
            .any(|c| c.starts_with('.') && c != ".gitignore")
}

/// Today in UTC, `YYYY-MM-DD`, from the system clock.
fn system_today() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    crate::timefmt::date(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plan_files_and_the_config_matter() {
        assert!(relevant("cairn.yaml", "plan"));
        assert!(relevant("plan/stories/S-1.md", "plan"));
        assert!(relevant("plan", "plan"));
        assert!(relevant("plan/.gitignore", "plan"));
        assert!(!relevant("plan/stories/.S-1.md.cairn-7.tmp", "plan"));
        assert!(!relevant("plan/.obsidian/x.md", "plan"));
        assert!(!relevant("README.md", "plan"));
        assert!(!relevant("planner/x.md", "plan"));
        assert!(relevant("README.md", "."));
        assert!(!relevant(".git/index", "."));
    }
}
