//! The plan files that differ between two trees, found by walking both trees' sorted entries side
//! by side.
//!
//! libgit2's `diff_tree_to_tree` gives the same answer but builds a full path for every entry of
//! every tree it visits: a plan whose 9,000 stories sit in one folder costs 9,000 entries per
//! commit, and the history walk spent most of its time there. Here, identical sub-trees are
//! skipped by id as git does, and entries of a changed tree are compared by name and id without
//! building a path until a file actually differs.

use git2::{ObjectType, Oid, Tree, TreeEntry};
use std::cmp::Ordering;

/// Changed plan files: path (`base` + the path in the tree) and new blob id, `None` when removed.
pub(super) type Changes = Vec<(String, Option<Oid>)>;

/// git's order of tree entries: by name, a tree's name as if it ended in `/`.
fn git_order(a: &TreeEntry<'_>, b: &TreeEntry<'_>) -> Ordering {
    let (an, bn) = (a.name_bytes(), b.name_bytes());
    let n = an.len().min(bn.len());
    an[..n].cmp(&bn[..n]).then_with(|| {
        let end = |e: &TreeEntry<'_>, name: &[u8]| {
            name.get(n)
                .copied()
                .unwrap_or(if is_tree(e) { b'/' } else { 0 })
        };
        end(a, an).cmp(&end(b, bn))
    })
}

fn is_tree(e: &TreeEntry<'_>) -> bool {
    e.kind() == Some(ObjectType::Tree)
}

/// A regular (or executable) file whose name makes it a plan file.
fn plan_file(e: &TreeEntry<'_>) -> bool {
    matches!(e.filemode(), 0o100644 | 0o100755) && e.name().is_some_and(crate::source::is_markdown)
}

/// Hidden files and folders are not part of the plan, as in the work tree.
fn hidden(e: &TreeEntry<'_>) -> bool {
    e.name_bytes().first() == Some(&b'.')
}

struct Walk<'r> {
    repo: &'r git2::Repository,
    out: Changes,
}

impl Walk<'_> {
    fn path(prefix: &str, e: &TreeEntry<'_>) -> Option<String> {
        Some(format!("{prefix}{}", e.name()?))
    }

    /// Everything under `e`, present (`new`) or removed.
    fn side(&mut self, e: &TreeEntry<'_>, prefix: &str, new: bool) -> Result<(), git2::Error> {
        if hidden(e) {
            return Ok(());
        }
        if is_tree(e) {
            let Some(path) = Self::path(prefix, e) else {
                return Ok(());
            };
            let tree = self.repo.find_tree(e.id())?;
            let (old, new) = if new {
                (None, Some(&tree))
            } else {
                (Some(&tree), None)
            };
            return self.trees(old, new, &format!("{path}/"));
        }
        if plan_file(e) {
            if let Some(path) = Self::path(prefix, e) {
                self.out.push((path, new.then(|| e.id())));
            }
        }
        Ok(())
    }

    fn trees(
        &mut self,
        old: Option<&Tree<'_>>,
        new: Option<&Tree<'_>>,
        prefix: &str,
    ) -> Result<(), git2::Error> {
        let (a, b) = (old.map_or(0, |t| t.len()), new.map_or(0, |t| t.len()));
        let (mut i, mut j) = (0, 0);
        while i < a || j < b {
            let x = old.and_then(|t| t.get(i)).filter(|_| i < a);
            let y = new.and_then(|t| t.get(j)).filter(|_| j < b);
            match (x, y) {
                (Some(x), Some(y)) => match git_order(&x, &y) {
                    Ordering::Less => {
                        self.side(&x, prefix, false)?;
                        i += 1;
                    }
                    Ordering::Greater => {
                        self.side(&y, prefix, true)?;
                        j += 1;
                    }
                    Ordering::Equal => {
                        if x.id() != y.id() || x.filemode() != y.filemode() {
                            if is_tree(&x) && is_tree(&y) {
                                if !hidden(&x) {
                                    let path = Self::path(prefix, &x).unwrap_or_default();
                                    let (t, u) = (
                                        self.repo.find_tree(x.id())?,
                                        self.repo.find_tree(y.id())?,
                                    );
                                    self.trees(Some(&t), Some(&u), &format!("{path}/"))?;
                                }
                            } else {
                                self.side(&x, prefix, false)?;
                                self.side(&y, prefix, true)?;
                            }
                        }
                        i += 1;
                        j += 1;
                    }
                },
                (Some(x), None) => {
                    self.side(&x, prefix, false)?;
                    i += 1;
                }
                (None, Some(y)) => {
                    self.side(&y, prefix, true)?;
                    j += 1;
                }
                (None, None) => break,
            }
        }
        Ok(())
    }
}

/// The Markdown files that differ between two plan trees (by id; either may be absent), under
/// `base`: new blob ids, or `None` for removed. Symlinks and submodules are not plan files (as in
/// the work tree and `--rev`); nor is anything under a hidden folder. Sorted by path, one entry
/// per path.
pub(super) fn changed_files(
    repo: &git2::Repository,
    old: Option<Oid>,
    new: Option<Oid>,
    base: &str,
) -> Result<Changes, git2::Error> {
    if old == new {
        return Ok(Vec::new());
    }
    let old_tree = old.map(|id| repo.find_tree(id)).transpose()?;
    let new_tree = new.map(|id| repo.find_tree(id)).transpose()?;
    let mut walk = Walk {
        repo,
        out: Vec::new(),
    };
    walk.trees(old_tree.as_ref(), new_tree.as_ref(), base)?;
    let mut changed = walk.out;
    // New versions first, so a file present on both sides is not taken for a deletion.
    changed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.is_none().cmp(&b.1.is_none())));
    changed.dedup_by(|a, b| a.0 == b.0);
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::changed_files;
    use crate::git::testing::git;
    use std::path::Path;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn tree(repo: &git2::Repository, rev: &str) -> git2::Oid {
        repo.revparse_single(rev)
            .unwrap()
            .peel_to_tree()
            .unwrap()
            .id()
    }

    /// What libgit2's own tree diff says changed, in the same shape.
    fn libgit2(repo: &git2::Repository, old: git2::Oid, new: git2::Oid) -> Vec<(String, bool)> {
        let (a, b) = (repo.find_tree(old).unwrap(), repo.find_tree(new).unwrap());
        let diff = repo.diff_tree_to_tree(Some(&a), Some(&b), None).unwrap();
        let mut out: Vec<(String, bool)> = Vec::new();
        for d in diff.deltas() {
            let file = if d.new_file().id().is_zero() {
                d.old_file()
            } else {
                d.new_file()
            };
            let path = file.path().unwrap().to_str().unwrap().to_string();
            let regular = matches!(
                file.mode(),
                git2::FileMode::Blob | git2::FileMode::BlobExecutable
            );
            if regular && path.ends_with(".md") && !path.split('/').any(|c| c.starts_with('.')) {
                out.push((path, !d.new_file().id().is_zero()));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn walking_both_trees_finds_what_libgit2s_diff_finds_in_gits_entry_order() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q"]);
        // Names around a folder's implied `/`: `a.md` and `a-b.md` sort before the folder `a/`,
        // `a0.md` after it; a file that becomes a folder; hidden folders; a non-plan file.
        for (rel, text) in [
            ("a.md", "1"),
            ("a-b.md", "1"),
            ("a/x.md", "1"),
            ("a0.md", "1"),
            ("b.md", "1"),
            ("gone.md", "1"),
            (".hidden/h.md", "1"),
            ("notes.txt", "1"),
            ("deep/er/s.md", "1"),
        ] {
            write(d, rel, text);
        }
        git(d, &["add", "-A"]);
        git(d, &["commit", "-qm", "one"]);
        std::fs::remove_file(d.join("b.md")).unwrap();
        std::fs::remove_file(d.join("gone.md")).unwrap();
        for (rel, text) in [
            ("a.md", "2"),
            ("a/x.md", "2"),
            ("a/y.md", "new"),
            ("a0.md", "2"),
            ("b.md/inside.md", "now a folder"),
            (".hidden/h.md", "2"),
            ("notes.txt", "2"),
            ("deep/er/s.md", "2"),
        ] {
            write(d, rel, text);
        }
        git(d, &["add", "-A"]);
        git(d, &["commit", "-qm", "two"]);
        let repo = git2::Repository::open(d).unwrap();
        let (old, new) = (tree(&repo, "HEAD~1"), tree(&repo, "HEAD"));
        let ours = changed_files(&repo, Some(old), Some(new), "").unwrap();
        let mut found: Vec<(String, bool)> = ours
            .iter()
            .map(|(p, id)| (p.clone(), id.is_some()))
            .collect();
        found.sort();
        assert_eq!(found, libgit2(&repo, old, new));
        assert_eq!(
            found,
            [
                ("a.md".to_string(), true),
                ("a/x.md".into(), true),
                ("a/y.md".into(), true),
                ("a0.md".into(), true),
                ("b.md".into(), false),
                ("b.md/inside.md".into(), true),
                ("deep/er/s.md".into(), true),
                ("gone.md".into(), false),
            ]
        );
        // Under a base, from nothing, and to nothing.
        let all = changed_files(&repo, None, Some(new), "plan/").unwrap();
        assert!(all
            .iter()
            .all(|(p, id)| p.starts_with("plan/") && id.is_some()));
        assert_eq!(all.len(), 7, "{all:?}");
        let none = changed_files(&repo, Some(old), None, "").unwrap();
        assert!(none.iter().all(|(_, id)| id.is_none()));
        assert!(changed_files(&repo, Some(new), Some(new), "")
            .unwrap()
            .is_empty());
    }
}
