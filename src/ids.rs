//! Which ids are taken, everywhere a teammate might have minted one: the work tree, the git index,
//! and every local and remote-tracking branch. `cairn new` and `cairn renumber` pick the next free
//! number from here, so two branches do not mint the same id (SPEC §5).
//!
//! Git blobs are not parsed as YAML: only their front matter's `id:` lines are read, and each blob
//! and each plan-folder tree is read once however many branches share it.
//!
//! ```no_run
//! # fn main() -> Result<(), cairn::ids::IdsError> {
//! let root = std::path::Path::new(".");
//! let config = cairn::config::Config::default();
//! let n = cairn::ids::next_free_number(root, &config, "S")?; // e.g. 15
//! let id = format!("S-{n}");
//! # Ok(()) }
//! ```

use crate::config::Config;
use crate::git::{GitError, Repo};
use crate::model::split_id;
use crate::source::{is_markdown, Source, WorkTree};
use git2::{ObjectType, Oid, TreeWalkMode, TreeWalkResult};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Why the ids could not be collected.
#[derive(Debug, thiserror::Error)]
pub enum IdsError {
    /// The plan folder of the work tree could not be listed.
    #[error("cannot list the plan directory `{dir}`: {error}")]
    Io {
        /// The plan directory.
        dir: String,
        /// The cause, part of the message (so not a `source`: a printed chain does not repeat it).
        error: std::io::Error,
    },
    /// The repository exists but could not be read.
    #[error(transparent)]
    Git(#[from] GitError),
}

impl From<git2::Error> for IdsError {
    fn from(e: git2::Error) -> Self {
        IdsError::Git(GitError::Git(e))
    }
}

/// Every id found, with where it was found (`work tree`, `index`, `branch main`,
/// `branch origin/feature`).
#[derive(Debug, Clone, Default)]
pub struct UsedIds {
    /// Numbers by prefix, each with the indexes into `places` where it was found.
    found: HashMap<String, BTreeMap<u64, Vec<u32>>>,
    /// Place names in scan order; an id on hundreds of branches stores indexes, not names.
    places: Vec<String>,
}

impl UsedIds {
    /// The highest number used with `prefix`, or 0 when there is none.
    pub fn max(&self, prefix: &str) -> u64 {
        self.found
            .get(prefix)
            .and_then(|m| m.keys().next_back().copied())
            .unwrap_or(0)
    }

    /// The next free number of `prefix`: one above the highest used anywhere.
    pub fn next_free(&self, prefix: &str) -> u64 {
        self.max(prefix) + 1
    }

    /// Where `prefix-number` is used (empty when it is free), in scan order.
    pub fn locations(&self, prefix: &str, number: u64) -> Vec<String> {
        self.found
            .get(prefix)
            .and_then(|m| m.get(&number))
            .map(|at| {
                at.iter()
                    .filter_map(|&i| self.places.get(i as usize).cloned())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn add(&mut self, id: &str, place: &str) {
        let Some((prefix, n)) = split_id(id) else {
            return;
        };
        // Each place is scanned in one go, so it is the last one interned or a new one; and a
        // repeat of an id's place can only follow itself. Both checks are O(1), which matters
        // when every id is on hundreds of branches.
        if self.places.last().is_none_or(|last| last != place) {
            self.places.push(place.to_string());
        }
        let place = (self.places.len() - 1) as u32;
        if !self.found.contains_key(prefix) {
            self.found.insert(prefix.to_string(), BTreeMap::new());
        }
        let Some(numbers) = self.found.get_mut(prefix) else {
            return;
        };
        let at = numbers.entry(n).or_default();
        if at.last() != Some(&place) {
            at.push(place);
        }
    }
}

/// The next free number for ids with `prefix` (`S` → 15 when `S-14` is the highest anywhere).
///
/// Looks in the work tree under `config.plan_dir` and, when `root` is inside a git repository, in
/// the index, `HEAD`, and every local and remote-tracking branch. Outside a repository only the
/// work tree counts.
pub fn next_free_number(root: &Path, config: &Config, prefix: &str) -> Result<u64, IdsError> {
    Ok(scan(root, config)?.next_free(prefix))
}

/// Collects every id in the work tree, the index and all branches (see [`next_free_number`]).
pub fn scan(root: &Path, config: &Config) -> Result<UsedIds, IdsError> {
    let mut used = UsedIds::default();
    let dir = plan_dir(&config.plan_dir);
    let tree = WorkTree::new(root);
    let files = tree
        .markdown_files(if dir.is_empty() { "." } else { &dir })
        .map_err(|e| IdsError::Io {
            dir: config.plan_dir.clone(),
            error: e,
        })?;
    for f in files {
        if let Ok(bytes) = tree.read(&f) {
            for id in front_matter_ids(&bytes) {
                used.add(&id, "work tree");
            }
        }
    }
    match Repo::discover(root) {
        Ok(repo) => scan_git(&repo, &dir, &mut used)?,
        Err(GitError::NotARepository(_)) | Err(GitError::Bare(_)) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(used)
}

/// `plan_dir` as a `/`-separated path without `./` or a trailing slash (`""` for the root).
fn plan_dir(dir: &str) -> String {
    dir.split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

fn scan_git(repo: &Repo, dir: &str, used: &mut UsedIds) -> Result<(), IdsError> {
    let git = &repo.repo;
    let in_repo = format!("{}{dir}", repo.prefix);
    let in_repo = in_repo.trim_end_matches('/');
    let wanted = |path: &str| {
        let rel = if in_repo.is_empty() {
            Some(path)
        } else {
            path.strip_prefix(in_repo).and_then(|p| p.strip_prefix('/'))
        };
        // Hidden files and folders are not part of the plan, as in the work tree.
        rel.is_some_and(|r| is_markdown(r) && !r.split('/').any(|c| c.starts_with('.')))
    };
    let mut blobs: HashMap<Oid, Vec<String>> = HashMap::new();
    let mut read_blob = |oid: Oid, place: &str, used: &mut UsedIds| {
        let ids = blobs.entry(oid).or_insert_with(|| {
            git.find_blob(oid)
                .map(|b| front_matter_ids(b.content()))
                .unwrap_or_default()
        });
        for id in ids.iter() {
            used.add(id, place);
        }
    };

    // The index, every stage: a conflicted file's both sides hold ids.
    if let Ok(index) = git.index() {
        for entry in index.iter() {
            if entry.mode == 0o120000 || entry.mode == 0o160000 {
                continue;
            }
            if let Ok(path) = std::str::from_utf8(&entry.path) {
                if wanted(path) {
                    read_blob(entry.id, "index", used);
                }
            }
        }
    }

    // HEAD (even detached), then every branch, local and remote-tracking.
    let mut tips: Vec<(String, Oid)> = Vec::new();
    if let Ok(head) = git.head().and_then(|h| h.peel_to_commit()) {
        tips.push(("HEAD".into(), head.id()));
    }
    for branch in git.branches(None)? {
        let (branch, _) = branch?;
        let reference = branch.get();
        if reference.symbolic_target().is_some() {
            continue; // origin/HEAD points at a branch listed anyway
        }
        let Ok(commit) = reference.peel_to_commit() else {
            continue;
        };
        let name = String::from_utf8_lossy(reference.shorthand_bytes()).into_owned();
        tips.push((format!("branch {name}"), commit.id()));
    }

    let mut trees_seen: HashMap<Oid, Vec<Oid>> = HashMap::new();
    for (place, commit) in tips {
        let tree = git.find_commit(commit)?.tree()?;
        let subtree = if in_repo.is_empty() {
            tree
        } else {
            match tree.get_path(Path::new(in_repo)) {
                Ok(entry) if entry.kind() == Some(ObjectType::Tree) => git.find_tree(entry.id())?,
                _ => continue,
            }
        };
        // Branches that share the plan folder share its blob list too.
        let blob_ids = match trees_seen.get(&subtree.id()) {
            Some(ids) => ids.clone(),
            None => {
                let mut ids = Vec::new();
                let mut seen = HashSet::new();
                subtree.walk(TreeWalkMode::PreOrder, |_, entry| {
                    let hidden = entry.name().is_some_and(|n| n.starts_with('.'));
                    if entry.kind() == Some(ObjectType::Tree) {
                        return if hidden {
                            TreeWalkResult::Skip
                        } else {
                            TreeWalkResult::Ok
                        };
                    }
                    let markdown = entry.name().is_some_and(is_markdown);
                    if entry.kind() == Some(ObjectType::Blob)
                        && entry.filemode() != 0o120000
                        && markdown
                        && !hidden
                        && seen.insert(entry.id())
                    {
                        ids.push(entry.id());
                    }
                    TreeWalkResult::Ok
                })?;
                trees_seen.insert(subtree.id(), ids.clone());
                ids
            }
        };
        for oid in blob_ids {
            read_blob(oid, &place, used);
        }
    }
    Ok(())
}

/// The values of the `id:` lines of a file's front matter, read without a YAML parser. Every
/// `id:` line counts, so a file left with conflict markers yields the ids of both sides.
pub fn front_matter_ids(bytes: &[u8]) -> Vec<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut lines = bytes.split(|&b| b == b'\n');
    let is_fence = |l: &[u8]| l.trim_ascii_end() == b"---";
    if !lines.next().is_some_and(is_fence) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for line in lines.take(500) {
        if is_fence(line) || line.trim_ascii_end() == b"..." {
            break;
        }
        let Some(value) = line.strip_prefix(b"id:") else {
            continue;
        };
        let value = String::from_utf8_lossy(value);
        let value = value.split(" #").next().unwrap_or("");
        let value = value.trim().trim_matches(['"', '\'']).trim();
        if !value.is_empty() {
            out.push(value.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lines_of_the_front_matter_only() {
        let text = b"\xEF\xBB\xBF---\r\nid: \"S-3\" # note\r\ntitle: x\r\n---\r\nid: S-99\r\n";
        assert_eq!(front_matter_ids(text), ["S-3"]);
        assert!(front_matter_ids(b"# id: S-1\nid: S-2\n").is_empty());
        let conflict = b"---\n<<<<<<< HEAD\nid: S-3\n=======\nid: S-4\n>>>>>>> b\n---\n";
        assert_eq!(front_matter_ids(conflict), ["S-3", "S-4"]);
    }

    #[test]
    fn next_free_is_above_the_highest() {
        let mut used = UsedIds::default();
        used.add("S-2", "work tree");
        used.add("S-9", "branch x");
        used.add("G-4", "index");
        used.add("not-an-id", "index");
        assert_eq!(used.next_free("S"), 10);
        assert_eq!(used.next_free("G"), 5);
        assert_eq!(used.next_free("E"), 1);
        assert_eq!(used.locations("S", 9), ["branch x"]);
    }

    #[test]
    fn plan_dir_is_normalised() {
        assert_eq!(plan_dir("./plan/"), "plan");
        assert_eq!(plan_dir("."), "");
        assert_eq!(plan_dir("docs/plan"), "docs/plan");
    }
}
