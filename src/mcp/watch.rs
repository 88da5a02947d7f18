//! Watching the plan folder (inotify, FSEvents, ReadDirectoryChangesW through `notify`): the
//! root itself (for `cairn.yaml`), and the plan folder with everything below it.
//!
//! Events go to `on_change` as they come, from the watcher's own thread; reads (`open`,
//! `close` without writing) are dropped, so the server reading its own files wakes nobody.

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};

/// What the watcher saw.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// Paths created, changed, renamed or removed.
    pub paths: Vec<PathBuf>,
    /// Events were lost: read everything again.
    pub rescan: bool,
}

/// A running watcher; dropping it stops it.
pub struct Watcher {
    inner: RecommendedWatcher,
    root: PathBuf,
    /// The plan folder watched recursively, when it exists.
    plan: Option<PathBuf>,
}

impl Watcher {
    /// Watches `root` and the plan folder `plan` below it.
    pub fn start(
        root: &Path,
        plan: &Path,
        on_change: impl Fn(Batch) + Send + 'static,
    ) -> Result<Watcher, String> {
        let inner = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let batch = match event {
                Ok(e) if e.need_rescan() => Batch {
                    paths: Vec::new(),
                    rescan: true,
                },
                Ok(e) if matters(&e.kind) => Batch {
                    paths: e.paths,
                    rescan: false,
                },
                Ok(_) => return,
                Err(_) => Batch {
                    paths: Vec::new(),
                    rescan: true,
                },
            };
            on_change(batch);
        })
        .map_err(|e| e.to_string())?;
        let mut watcher = Watcher {
            inner,
            root: root.to_path_buf(),
            plan: None,
        };
        let same = plan == root;
        watcher
            .inner
            .watch(
                root,
                if same {
                    RecursiveMode::Recursive
                } else {
                    RecursiveMode::NonRecursive
                },
            )
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        if same {
            watcher.plan = Some(plan.to_path_buf());
        } else {
            watcher.follow(plan)?;
        }
        Ok(watcher)
    }

    /// Watches `plan` (recursively) instead of the plan folder watched so far, if it exists:
    /// after `cairn.yaml` named another one, or once the folder was created.
    pub fn follow(&mut self, plan: &Path) -> Result<(), String> {
        if self.plan.as_deref() == Some(plan) || plan == self.root {
            return Ok(());
        }
        if let Some(old) = self.plan.take() {
            let _ = self.inner.unwatch(&old);
        }
        if !plan.is_dir() {
            return Ok(());
        }
        self.inner
            .watch(plan, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", plan.display()))?;
        self.plan = Some(plan.to_path_buf());
        Ok(())
    }
}

/// True for events that may change what a file holds or which files there are.
fn matters(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Other => false,
        _ => true,
    }
}
