//! Writing many files all or nothing.
//!
//! Every file is first staged: its content goes to a temporary file next to it, flushed to disk.
//! Only when all are staged does the commit rename each over its target (a new file is linked,
//! so it never replaces one that appeared meanwhile). If anything fails, what was committed is
//! undone (new files removed, replaced files restored from a hard-linked backup of the old
//! content), the temporary files and the folders made for them are removed, and the plan is as
//! it was.

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
#[error("cannot write {path}: {source}; nothing was written")]
pub struct WriteError {
    /// The file that failed.
    pub path: String,
    /// The cause.
    #[source]
    pub source: io::Error,
}

struct Staged {
    target: PathBuf,
    tmp: PathBuf,
    backup: Option<PathBuf>,
    new: bool,
}

/// Writes every file under `root`, or none.
pub fn write_all(root: &Path, writes: &[FileWrite]) -> Result<(), WriteError> {
    write_all_with(root, writes, &|_| Ok(()))
}

/// [`write_all`] with a hook called before each commit step, so tests can make step `k` fail.
fn write_all_with(
    root: &Path,
    writes: &[FileWrite],
    before_commit: &(dyn Fn(usize) -> io::Result<()> + Sync),
) -> Result<(), WriteError> {
    let err = |w: &FileWrite, source: io::Error| WriteError {
        path: w.path.clone(),
        source,
    };
    for w in writes {
        let target = root.join(&w.path);
        if w.new && target.symlink_metadata().is_ok() {
            return Err(err(w, io::Error::from(io::ErrorKind::AlreadyExists)));
        }
    }
    let mut made_dirs: Vec<PathBuf> = Vec::new();
    let cleanup_dirs = |dirs: &[PathBuf]| {
        for d in dirs.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    };
    for w in writes {
        let target = root.join(&w.path);
        let Some(dir) = target.parent() else { continue };
        if let Err(e) = make_dirs(dir, &mut made_dirs) {
            cleanup_dirs(&made_dirs);
            return Err(err(w, e));
        }
    }
    let pid = std::process::id();
    let staged: Vec<Result<Staged, WriteError>> = writes
        .par_iter()
        .enumerate()
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
                f.sync_all()
            })();
            match written {
                Ok(()) => Ok(Staged {
                    target,
                    tmp,
                    backup: None,
                    new: w.new,
                }),
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(err(w, e))
                }
            }
        })
        .collect();
    let mut ok: Vec<Staged> = Vec::with_capacity(staged.len());
    let mut failure = None;
    for s in staged {
        match s {
            Ok(s) => ok.push(s),
            Err(e) => failure = failure.or(Some(e)),
        }
    }
    if let Some(e) = failure {
        for s in &ok {
            let _ = std::fs::remove_file(&s.tmp);
        }
        cleanup_dirs(&made_dirs);
        return Err(e);
    }

    let mut committed = 0;
    let mut failure = None;
    for (i, s) in ok.iter_mut().enumerate() {
        let step = before_commit(i).and_then(|()| commit(s, pid, i));
        if let Err(e) = step {
            failure = Some(err(&writes[i], e));
            break;
        }
        committed += 1;
    }
    if let Some(e) = failure {
        for s in ok[..committed].iter().rev() {
            match &s.backup {
                Some(b) => {
                    let _ = std::fs::rename(b, &s.target);
                }
                None if s.new => {
                    let _ = std::fs::remove_file(&s.target);
                }
                None => {}
            }
        }
        for s in &ok {
            let _ = std::fs::remove_file(&s.tmp);
            if let Some(b) = &s.backup {
                let _ = std::fs::remove_file(b);
            }
        }
        cleanup_dirs(&made_dirs);
        return Err(e);
    }
    for s in &ok {
        if let Some(b) = &s.backup {
            let _ = std::fs::remove_file(b);
        }
    }
    Ok(())
}

fn commit(s: &mut Staged, pid: u32, i: usize) -> io::Result<()> {
    if s.new {
        match std::fs::hard_link(&s.tmp, &s.target) {
            Ok(()) => std::fs::remove_file(&s.tmp),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
            // A file system without hard links: the target was checked to be free above.
            Err(_) => std::fs::rename(&s.tmp, &s.target),
        }
    } else {
        if s.target.exists() {
            let dir = s.target.parent().unwrap_or(Path::new("."));
            let backup = dir.join(format!(".cairn-import-{pid}-{i}.bak"));
            std::fs::hard_link(&s.target, &backup)?;
            s.backup = Some(backup);
        }
        std::fs::rename(&s.tmp, &s.target)
    }
}

/// Creates `dir` and its missing parents, recording each one made (outermost first).
fn make_dirs(dir: &Path, made: &mut Vec<PathBuf>) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        make_dirs(parent, made)?;
    }
    match std::fs::create_dir(dir) {
        Ok(()) => {
            made.push(dir.to_path_buf());
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
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
    fn a_failure_at_any_commit_step_leaves_everything_as_it_was() {
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
            assert_eq!(snapshot(dir.path()), before, "failing at step {fail_at}");
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
        assert_eq!(e.source.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(
            std::fs::read(dir.path().join("plan/new/deep/b.md")).unwrap(),
            b"mine"
        );
        assert!(!dir.path().join("cairn.yaml").exists());
    }
}
