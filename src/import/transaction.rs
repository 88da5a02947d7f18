//! Writing many files all or nothing.
//!
//! New files are created under their own names (never over a file that exists, even one that
//! appears meanwhile). Files that change are staged: the new content goes to a temporary file
//! next to each. Once everything is on disk (one `syncfs` on Linux, a flush per file elsewhere),
//! each staged file is renamed over its target. If anything fails, what was done is undone: new
//! files are removed, replaced files restored from a hard-linked backup of the old content, the
//! temporary files and the folders made for them removed. The plan is then as it was.
//!
//! New files are not staged because an import creates thousands at a time and each temporary
//! name costs a create, a link and an unlink in the folder; a half-written new file is never
//! left behind either way.

use rayon::prelude::*;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// One file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWrite {
    /// Relative to the root, `/`-separated.
    pub path: String,
    /// The new content.
    pub bytes: Vec<u8>,
    /// True for a file that must not exist yet.
    pub new: bool,
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {cause}; nothing was written")]
pub struct WriteError {
    /// The file that failed.
    pub path: String,
    /// The cause.
    pub cause: io::Error,
}

/// A replaced file on its way.
struct Staged {
    index: usize,
    target: PathBuf,
    tmp: PathBuf,
    backup: Option<PathBuf>,
}

/// Writes every file under `root`, or none.
pub fn write_all(root: &Path, writes: &[FileWrite]) -> Result<(), WriteError> {
    write_all_with(root, writes, &|_| Ok(()))
}

/// [`write_all`] with a hook called before writing each new file and before committing each
/// replaced one (with the index of its write), so tests can make any step fail.
fn write_all_with(
    root: &Path,
    writes: &[FileWrite],
    before: &(dyn Fn(usize) -> io::Result<()> + Sync),
) -> Result<(), WriteError> {
    let err = |i: usize, cause: io::Error| WriteError {
        path: writes[i].path.clone(),
        cause,
    };
    for (i, w) in writes.iter().enumerate() {
        if w.new && root.join(&w.path).symlink_metadata().is_ok() {
            return Err(err(i, io::Error::from(io::ErrorKind::AlreadyExists)));
        }
    }
    let mut undo = Undo::default();
    for (i, w) in writes.iter().enumerate() {
        let target = root.join(&w.path);
        let Some(dir) = target.parent() else { continue };
        if let Err(e) = make_dirs(dir, root, &mut undo.dirs) {
            undo.run();
            return Err(err(i, e));
        }
    }
    let per_file_sync = !cfg!(target_os = "linux");

    // New files, under their own names.
    let created: Vec<(usize, io::Result<()>)> = writes
        .par_iter()
        .enumerate()
        .filter(|(_, w)| w.new)
        .map(|(i, w)| {
            let target = root.join(&w.path);
            let result = before(i).and_then(|()| {
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&target)?;
                let written = f.write_all(&w.bytes).and_then(|()| {
                    if per_file_sync {
                        f.sync_all()
                    } else {
                        Ok(())
                    }
                });
                if written.is_err() {
                    let _ = std::fs::remove_file(&target);
                }
                written
            });
            (i, result)
        })
        .collect();
    let mut failure = None;
    for (i, r) in created {
        match r {
            Ok(()) => undo.created.push(root.join(&writes[i].path)),
            Err(e) => failure = failure.or(Some(err(i, e))),
        }
    }
    if let Some(e) = failure {
        undo.run();
        return Err(e);
    }

    // Changed files, staged next to their targets.
    let pid = std::process::id();
    let staged: Vec<Result<Staged, WriteError>> = writes
        .par_iter()
        .enumerate()
        .filter(|(_, w)| !w.new)
        .map(|(i, w)| {
            let target = root.join(&w.path);
            let dir = target.parent().unwrap_or(root);
            let name = target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let tmp = dir.join(format!(".{name}.cairn-import-{pid}-{i}.tmp"));
            let written = (|| {
                let mut f = std::fs::File::create(&tmp)?;
                f.write_all(&w.bytes)?;
                if per_file_sync {
                    f.sync_all()?;
                }
                Ok(())
            })();
            match written {
                Ok(()) => Ok(Staged {
                    index: i,
                    target,
                    tmp,
                    backup: None,
                }),
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(err(i, e))
                }
            }
        })
        .collect();
    let mut failure = None;
    for s in staged {
        match s {
            Ok(s) => undo.staged.push(s),
            Err(e) => failure = failure.or(Some(e)),
        }
    }
    if let Some(e) = failure {
        undo.run();
        return Err(e);
    }
    // Everything is on disk before any target changes, so no rename can expose an empty file
    // after a crash.
    if !per_file_sync {
        if let Err(e) = sync_file_system(root) {
            undo.run();
            return Err(WriteError {
                path: ".".into(),
                cause: e,
            });
        }
    }

    for k in 0..undo.staged.len() {
        let index = undo.staged[k].index;
        let step = before(index).and_then(|()| commit(&mut undo.staged[k], pid));
        if let Err(e) = step {
            undo.run();
            return Err(err(index, e));
        }
        undo.committed += 1;
    }
    for s in &undo.staged {
        if let Some(b) = &s.backup {
            let _ = std::fs::remove_file(b);
        }
    }
    Ok(())
}

/// What to undo when a step fails.
#[derive(Default)]
struct Undo {
    dirs: Vec<PathBuf>,
    created: Vec<PathBuf>,
    staged: Vec<Staged>,
    committed: usize,
}

impl Undo {
    fn run(&self) {
        for s in self.staged[..self.committed].iter().rev() {
            if let Some(b) = &s.backup {
                let _ = std::fs::rename(b, &s.target);
            }
        }
        for s in &self.staged {
            let _ = std::fs::remove_file(&s.tmp);
            if let Some(b) = &s.backup {
                let _ = std::fs::remove_file(b);
            }
        }
        for f in &self.created {
            let _ = std::fs::remove_file(f);
        }
        for d in self.dirs.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}

fn commit(s: &mut Staged, pid: u32) -> io::Result<()> {
    if s.target.exists() {
        let dir = s.target.parent().unwrap_or(Path::new("."));
        let backup = dir.join(format!(".cairn-import-{pid}-{}.bak", s.index));
        std::fs::hard_link(&s.target, &backup)?;
        s.backup = Some(backup);
    }
    std::fs::rename(&s.tmp, &s.target)
}

/// Flushes the file system holding `root`: one call for thousands of files.
#[cfg(target_os = "linux")]
fn sync_file_system(root: &Path) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let dir = std::fs::File::open(root)?;
    // SAFETY: `dir` is an open descriptor for the duration of the call.
    if unsafe { libc::syncfs(dir.as_raw_fd()) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn sync_file_system(_root: &Path) -> io::Result<()> {
    Ok(())
}

/// Creates `dir` and its missing parents, recording each one made (outermost first); a file in
/// the way is named relative to `root`.
fn make_dirs(dir: &Path, root: &Path, made: &mut Vec<PathBuf>) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        make_dirs(parent, root, made)?;
    }
    match std::fs::create_dir(dir) {
        Ok(()) => {
            made.push(dir.to_path_buf());
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(io::Error::new(
            e.kind(),
            format!(
                "`{}` is a file, not a folder",
                dir.strip_prefix(root).unwrap_or(dir).display()
            ),
        )),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for entry in walk(root) {
            let rel = entry.strip_prefix(root).unwrap().display().to_string();
            let bytes = if entry.is_dir() {
                b"<dir>".to_vec()
            } else {
                std::fs::read(&entry).unwrap()
            };
            out.push((rel, bytes));
        }
        out.sort();
        out
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            out.push(p.clone());
            if p.is_dir() {
                out.extend(walk(&p));
            }
        }
        out
    }

    fn writes() -> Vec<FileWrite> {
        vec![
            FileWrite {
                path: "plan/a.md".into(),
                bytes: b"new a".to_vec(),
                new: false,
            },
            FileWrite {
                path: "plan/new/deep/b.md".into(),
                bytes: b"b".to_vec(),
                new: true,
            },
            FileWrite {
                path: "cairn.yaml".into(),
                bytes: b"fields: {}\n".to_vec(),
                new: false,
            },
        ]
    }

    #[test]
    fn a_failure_at_any_step_leaves_everything_as_it_was() {
        for fail_at in 0..3 {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir_all(dir.path().join("plan")).unwrap();
            std::fs::write(dir.path().join("plan/a.md"), "old a").unwrap();
            let before = snapshot(dir.path());
            let e = write_all_with(dir.path(), &writes(), &|i| {
                if i == fail_at {
                    Err(io::Error::other("injected"))
                } else {
                    Ok(())
                }
            })
            .unwrap_err();
            assert_eq!(e.path, writes()[fail_at].path);
            assert_eq!(
                snapshot(dir.path()),
                before,
                "failing at {}",
                writes()[fail_at].path
            );
        }
    }

    #[test]
    fn all_files_are_written_and_no_temporary_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("plan")).unwrap();
        std::fs::write(dir.path().join("plan/a.md"), "old a").unwrap();
        write_all(dir.path(), &writes()).unwrap();
        let names: Vec<String> = snapshot(dir.path()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "cairn.yaml",
                "plan",
                "plan/a.md",
                "plan/new",
                "plan/new/deep",
                "plan/new/deep/b.md"
            ]
        );
        assert_eq!(
            std::fs::read(dir.path().join("plan/a.md")).unwrap(),
            b"new a"
        );
    }

    #[test]
    fn a_new_file_never_replaces_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("plan/new/deep")).unwrap();
        std::fs::write(dir.path().join("plan/new/deep/b.md"), "mine").unwrap();
        let e = write_all(dir.path(), &writes()).unwrap_err();
        assert_eq!(e.cause.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(
            std::fs::read(dir.path().join("plan/new/deep/b.md")).unwrap(),
            b"mine"
        );
        assert!(!dir.path().join("cairn.yaml").exists());
    }
}
