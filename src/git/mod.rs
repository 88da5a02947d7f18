//! Plan files read straight from git: the index (`--staged`) or any commit (`--rev`), through git2,
//! without a checkout. Both are a [`Source`] like the work tree, so every command works on them.

use crate::source::{is_markdown, Source};
use git2::{ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};

pub mod config_env;
pub mod index;
#[cfg(test)]
pub(crate) mod testing;
use std::cell::RefCell;
use std::collections::HashSet;
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
    /// Anything else git2 reported. Shown as libgit2's message alone: its `Display` adds the
    /// error class and code, which say nothing to a user, and it is not a `source`, so a printed
    /// chain does not repeat it.
    #[error("git: {}", .0.message())]
    Git(git2::Error),
}

/// libgit2's message as an I/O error, without the class and code its `Display` adds.
/// (Never `NotFound`: a blob missing from a partial clone is not a file that is not there.)
fn plain(e: git2::Error) -> io::Error {
    io::Error::other(e.message().to_string())
}

impl From<git2::Error> for GitError {
    fn from(e: git2::Error) -> Self {
        GitError::Git(e)
    }
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
        let workdir = dunce::canonicalize(workdir).unwrap_or_else(|_| workdir.to_path_buf());
        let root = dunce::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
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
        let mut files = Vec::new();
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
                files.push(File {
                    path: rel.to_string(),
                    oid: entry.id(),
                    stat: None,
                });
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
    ///
    /// `index_file` replaces `.git/index`: git names a temporary index in `GIT_INDEX_FILE` when a
    /// hook runs for `git commit -a` or `git commit PATH…`, and that is what the commit records.
    pub fn index_source(&self, index_file: Option<&Path>) -> Result<GitSource, GitError> {
        let index_file =
            index_file.map_or_else(|| self.repo.path().join("index"), Path::to_path_buf);
        let index_mtime = std::fs::metadata(&index_file)
            .and_then(|m| m.modified())
            .ok();
        // cairn's own reader when it understands the file, libgit2 otherwise (or when missing).
        let entries = match std::fs::read(&index_file)
            .ok()
            .and_then(|b| index::parse(&b))
        {
            Some(entries) => entries,
            None => git2::Index::open(&index_file)?
                .iter()
                .map(|e| index::Entry {
                    stage: ((e.flags >> 12) & 0x3) as u8,
                    mode: e.mode,
                    oid: e.id,
                    mtime_secs: e.mtime.seconds() as u32,
                    mtime_nanos: e.mtime.nanoseconds(),
                    ino: e.ino,
                    size: e.file_size,
                    path: e.path,
                })
                .collect(),
        };
        let disk_root = self.plan_root_on_disk();
        let mut files: Vec<File> = Vec::with_capacity(entries.len());
        for entry in &entries {
            // Skip symlinks and submodules; conflicted entries (stage > 0) keep stage 1–3, use ours.
            if entry.mode == 0o120000 || entry.mode == 0o160000 {
                continue;
            }
            let Ok(path) = std::str::from_utf8(&entry.path) else {
                continue;
            };
            let Some(rel) = path.strip_prefix(self.prefix.as_str()) else {
                continue;
            };
            if entry.stage != 0 && entry.stage != 2 {
                continue;
            }
            // The stat data decides, when the file is read, whether the disk copy is the staged one.
            let stat = Stat {
                size: entry.size,
                secs: entry.mtime_secs as i32,
                nanos: entry.mtime_nanos,
                ino: entry.ino,
            };
            files.push(File {
                path: rel.to_string(),
                oid: entry.oid,
                stat: Some(stat),
            });
        }
        let mut source = GitSource::new(self.repo.path(), files, "index".into());
        source.disk = match (disk_root, index_mtime) {
            (Some(root), Some(mtime)) => Some(Disk {
                root,
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

/// The work tree behind an index: where it is, and when the index was written.
struct Disk {
    root: PathBuf,
    index_mtime: std::time::SystemTime,
}

/// One file of a commit or the index.
struct File {
    /// Path relative to the plan root.
    path: String,
    oid: Oid,
    /// For the index: what it recorded about the work-tree copy.
    stat: Option<Stat>,
}

/// The bytes of the work-tree file at `path` when it still matches what the index recorded.
///
/// The file is opened once and its metadata read from the open handle, so the bytes read are
/// those of the file whose metadata was checked (a symlink put in its place has another inode).
fn read_if_unchanged(
    path: &Path,
    stat: &Stat,
    index_mtime: std::time::SystemTime,
) -> Option<Vec<u8>> {
    let mut file = std::fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !unchanged(&meta, stat, index_mtime) {
        return None;
    }
    // One byte more than the size, so the read that finds the end needs no bigger buffer.
    crate::source::read_to_end(&mut file, meta.len() as usize + 1).ok()
}

/// True when metadata still matches what the index recorded for a file.
fn unchanged(meta: &std::fs::Metadata, stat: &Stat, index_mtime: std::time::SystemTime) -> bool {
    use std::os::unix::fs::MetadataExt;
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
    /// Sorted by path.
    files: Vec<File>,
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
    fn new(git_dir: &Path, mut files: Vec<File>, label: String) -> Self {
        // The index is sorted already (by bytes, as here) and a tree walk nearly so: the stable
        // sort only finds runs. Paths are unique (the index keeps one stage per path).
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut dirs = HashSet::new();
        for file in &files {
            let mut p = file.path.as_str();
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

    fn file(&self, path: &str) -> Option<&File> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.files[i])
    }

    /// The blob id of a file, if the source has it.
    pub fn blob_id(&self, path: &str) -> Option<Oid> {
        self.file(path).map(|f| f.oid)
    }

    /// Every file path in the source, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|f| f.path.as_str())
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
        let start = self.files.partition_point(|f| f.path < prefix);
        Ok(self.files[start..]
            .iter()
            .map(|f| &f.path)
            .take_while(|p| p.starts_with(&prefix))
            .filter(|p| is_markdown(p) && !hidden(&p[prefix.len()..]))
            .cloned()
            .collect())
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        let file = self.file(path).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("{path} is not in {}", self.label),
            )
        })?;
        let oid = &file.oid;
        if let (Some(disk), Some(stat)) = (&self.disk, &file.stat) {
            if let Some(bytes) = read_if_unchanged(&disk.root.join(path), stat, disk.index_mtime) {
                return Ok(bytes);
            }
        }
        REPO.with(|cell| {
            let mut slot = cell.borrow_mut();
            let stale = slot.as_ref().is_none_or(|(dir, _)| dir != &self.git_dir);
            if stale {
                let repo = Repository::open(&self.git_dir).map_err(plain)?;
                *slot = Some((self.git_dir.clone(), repo));
            }
            let (_, repo) = slot.as_ref().expect("opened above");
            let blob = repo.find_blob(*oid).map_err(plain)?;
            Ok(blob.content().to_vec())
        })
    }

    fn exists(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        path.is_empty() || self.file(path).is_some() || self.dirs.contains(path)
    }

    fn describe(&self) -> String {
        self.label.clone()
    }
}
