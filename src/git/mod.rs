//! Plan files read straight from git: the index (`--staged`) or any commit (`--rev`), through git2,
//! without a checkout. Both are a [`Source`] like the work tree, so every command works on them.

use crate::source::{is_markdown, Source};
use git2::{ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

/// Why a git source could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The plan root is not inside a git repository.
    #[error("{} is not inside a git repository", .0.display())]
    NotARepository(PathBuf),
    /// A bare repository has no work tree to place the plan root in.
    #[error("the repository at {} has no work tree", .0.display())]
    Bare(PathBuf),
    /// The revision does not name a commit.
    #[error("unknown revision `{rev}`{}", .suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownRevision {
        /// What the user typed.
        rev: String,
        /// The closest branch or tag name.
        suggestion: Option<String>,
    },
    /// The repository has no commits yet.
    #[error("the repository has no commits yet, so `{0}` names nothing")]
    NoCommits(String),
    /// Anything else git2 reported.
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

/// A repository opened for a plan root, with the root's path inside the work tree.
pub struct Repo {
    /// The repository.
    pub repo: Repository,
    /// The plan root relative to the work tree (`""` at the top, else `a/b/`).
    pub prefix: String,
}

impl Repo {
    /// Opens the repository holding `root`.
    pub fn discover(root: &Path) -> Result<Repo, GitError> {
        // Re-hashing every blob on read costs a fifth of `check --staged`; git itself does not
        // verify on read either (fsck does), and a corrupt object still fails to inflate.
        git2::opts::strict_hash_verification(false);
        let repo =
            Repository::discover(root).map_err(|_| GitError::NotARepository(root.to_path_buf()))?;
        let workdir = repo
            .workdir()
            .ok_or_else(|| GitError::Bare(repo.path().to_path_buf()))?;
        let workdir = workdir
            .canonicalize()
            .unwrap_or_else(|_| workdir.to_path_buf());
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let rel = root.strip_prefix(&workdir).unwrap_or(Path::new(""));
        let mut prefix = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if !prefix.is_empty() {
            prefix.push('/');
        }
        Ok(Repo { repo, prefix })
    }

    /// The commit a revision names (`HEAD~2`, a branch, a tag, an id).
    pub fn commit(&self, rev: &str) -> Result<git2::Commit<'_>, GitError> {
        match self
            .repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
        {
            Ok(c) => Ok(c),
            Err(_) if self.unborn() => Err(GitError::NoCommits(rev.to_string())),
            Err(_) => Err(GitError::UnknownRevision {
                rev: rev.to_string(),
                suggestion: self.suggest_rev(rev),
            }),
        }
    }

    /// True when HEAD names a branch that has no commit yet (a fresh repository).
    fn unborn(&self) -> bool {
        matches!(self.repo.head(), Err(e) if e.code() == git2::ErrorCode::UnbornBranch)
    }

    fn suggest_rev(&self, rev: &str) -> Option<String> {
        let names: Vec<String> = self
            .repo
            .references()
            .ok()?
            .flatten()
            .filter_map(|r| r.shorthand().map(str::to_string))
            .collect();
        crate::suggest::did_you_mean(rev, names.iter().map(String::as_str)).map(str::to_string)
    }

    /// The files of a commit under the plan root.
    pub fn tree_source(&self, rev: &str) -> Result<GitSource, GitError> {
        let commit = self.commit(rev)?;
        let tree = commit.tree()?;
        let mut files = BTreeMap::new();
        let prefix = &self.prefix;
        tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() != Some(ObjectType::Blob) || entry.filemode() == 0o120000 {
                return TreeWalkResult::Ok;
            }
            let Some(name) = entry.name() else {
                return TreeWalkResult::Ok;
            };
            let full = format!("{dir}{name}");
            if let Some(rel) = full.strip_prefix(prefix.as_str()) {
                files.insert(rel.to_string(), entry.id());
            }
            TreeWalkResult::Ok
        })?;
        Ok(GitSource::new(self.repo.path(), files, rev.to_string()))
    }

    /// The work-tree folder of the plan root, when the repository has a work tree.
    fn plan_root_on_disk(&self) -> Option<PathBuf> {
        self.repo.workdir().map(|w| w.join(&self.prefix))
    }

    /// The files staged in the index under the plan root.
    ///
    /// Like git itself, an entry whose work-tree file still has the size, modification time and
    /// inode recorded in the index is read from disk: its content is the staged content, and
    /// reading a file is much cheaper than inflating a (possibly deltified) blob. Entries touched
    /// in the same second as the index was written are "racy" and always read from the blob.
    pub fn index_source(&self) -> Result<GitSource, GitError> {
        let index = self.repo.index()?;
        let index_mtime = std::fs::metadata(self.repo.path().join("index"))
            .and_then(|m| m.modified())
            .ok();
        let disk_root = self.plan_root_on_disk();
        let mut files = BTreeMap::new();
        let mut stats = HashMap::new();
        for entry in index.iter() {
            // Skip symlinks and submodules; conflicted entries (stage > 0) keep stage 1–3, use ours.
            let mode = entry.mode;
            if mode == 0o120000 || mode == 0o160000 {
                continue;
            }
            let stage = (entry.flags >> 12) & 0x3;
            let Ok(path) = std::str::from_utf8(&entry.path) else {
                continue;
            };
            let Some(rel) = path.strip_prefix(self.prefix.as_str()) else {
                continue;
            };
            if stage != 0 && stage != 2 {
                continue;
            }
            // The stat data decides, when the file is read, whether the disk copy is the staged one.
            stats.insert(
                rel.to_string(),
                Stat {
                    size: entry.file_size,
                    secs: entry.mtime.seconds(),
                    nanos: entry.mtime.nanoseconds(),
                    ino: entry.ino,
                },
            );
            files.insert(rel.to_string(), entry.id);
        }
        let mut source = GitSource::new(self.repo.path(), files, "index".into());
        source.disk = match (disk_root, index_mtime) {
            (Some(root), Some(mtime)) => Some(Disk {
                root,
                stats,
                index_mtime: mtime,
            }),
            _ => None,
        };
        Ok(source)
    }
}

/// What the index recorded about a file's work-tree copy when it was staged.
#[derive(Debug, Clone, Copy)]
struct Stat {
    size: u32,
    secs: i32,
    nanos: u32,
    ino: u32,
}

/// The work tree behind an index: where it is, and the stat data to trust it by.
struct Disk {
    root: PathBuf,
    stats: HashMap<String, Stat>,
    index_mtime: std::time::SystemTime,
}

/// True when the file at `path` still matches what the index recorded for it.
fn unchanged_on_disk(path: &Path, stat: &Stat, index_mtime: std::time::SystemTime) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.is_file() || meta.len() != u64::from(stat.size) || meta.ino() as u32 != stat.ino {
        return false;
    }
    let secs = meta.mtime();
    let nanos = meta.mtime_nsec();
    if secs != i64::from(stat.secs) || nanos as u32 != stat.nanos {
        return false;
    }
    // Racy: modified in the same second the index was written, the stat data cannot be trusted.
    let modified = std::time::UNIX_EPOCH + std::time::Duration::new(secs as u64, nanos as u32);
    index_mtime
        .duration_since(modified)
        .is_ok_and(|d| d.as_secs() >= 1)
}

/// Files of a commit or the index, read on demand by blob id.
pub struct GitSource {
    git_dir: PathBuf,
    files: BTreeMap<String, Oid>,
    dirs: HashSet<String>,
    label: String,
    /// For the index: the work tree, whose unchanged files are read instead of their blobs.
    disk: Option<Disk>,
}

thread_local! {
    // git2 repositories are not Sync; each parsing thread opens its own handle once.
    static REPO: RefCell<Option<(PathBuf, Repository)>> = const { RefCell::new(None) };
}

impl GitSource {
    fn new(git_dir: &Path, files: BTreeMap<String, Oid>, label: String) -> Self {
        let mut dirs = HashSet::new();
        for path in files.keys() {
            let mut p = path.as_str();
            while let Some((parent, _)) = p.rsplit_once('/') {
                if !dirs.insert(parent.to_string()) {
                    break;
                }
                p = parent;
            }
        }
        GitSource {
            git_dir: git_dir.to_path_buf(),
            files,
            dirs,
            label,
            disk: None,
        }
    }

    /// The blob id of a file, if the source has it.
    pub fn blob_id(&self, path: &str) -> Option<Oid> {
        self.files.get(path).copied()
    }

    /// Every file path in the source, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

fn hidden(path: &str) -> bool {
    path.split('/').any(|c| c.starts_with('.'))
}

impl Source for GitSource {
    fn markdown_files(&self, dir: &str) -> io::Result<Vec<String>> {
        let prefix = if dir == "." || dir.is_empty() {
            String::new()
        } else {
            format!("{}/", dir.trim_end_matches('/'))
        };
        Ok(self
            .files
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .map(|(p, _)| p)
            .filter(|p| is_markdown(p) && !hidden(&p[prefix.len()..]))
            .cloned()
            .collect())
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        let oid = self.files.get(path).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("{path} is not in {}", self.label),
            )
        })?;
        if let Some(disk) = &self.disk {
            let full = disk.root.join(path);
            let unchanged = disk
                .stats
                .get(path)
                .is_some_and(|stat| unchanged_on_disk(&full, stat, disk.index_mtime));
            if unchanged {
                if let Ok(bytes) = std::fs::read(&full) {
                    return Ok(bytes);
                }
            }
        }
        REPO.with(|cell| {
            let mut slot = cell.borrow_mut();
            let stale = slot.as_ref().is_none_or(|(dir, _)| dir != &self.git_dir);
            if stale {
                let repo = Repository::open(&self.git_dir).map_err(io::Error::other)?;
                *slot = Some((self.git_dir.clone(), repo));
            }
            let (_, repo) = slot.as_ref().expect("opened above");
            let blob = repo.find_blob(*oid).map_err(io::Error::other)?;
            Ok(blob.content().to_vec())
        })
    }

    fn exists(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        path.is_empty() || self.files.contains_key(path) || self.dirs.contains(path)
    }

    fn describe(&self) -> String {
        self.label.clone()
    }
}
