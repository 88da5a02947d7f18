//! Where plan files come from: the work tree today; the git index and commits read the same way.
//!
//! The engine only sees this trait, so every command works on any source without knowing which.

use std::collections::HashSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// A read-only view of the files under the plan root.
pub trait Source: Sync {
    /// Paths (relative to the root, `/`-separated, sorted) of every Markdown file under `dir`,
    /// skipping hidden folders and files git ignores.
    fn markdown_files(&self, dir: &str) -> io::Result<Vec<String>>;
    /// The bytes of a file relative to the root.
    fn read(&self, path: &str) -> io::Result<Vec<u8>>;
    /// True when a file or folder exists at `path` relative to the root.
    fn exists(&self, path: &str) -> bool;
    /// A short name for messages (`work tree`, `index`, `HEAD~2`).
    fn describe(&self) -> String;
}

/// Files on disk under a root folder.
#[derive(Debug)]
pub struct WorkTree {
    root: PathBuf,
    /// Regular files found by the walk: safe to read without resolving symlinks again. Set once,
    /// then read by every parsing thread without a lock.
    walked: std::sync::OnceLock<HashSet<String>>,
}

impl WorkTree {
    /// A work tree rooted at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root: PathBuf = root.into();
        let root = dunce::canonicalize(&root).unwrap_or(root);
        WorkTree {
            root,
            walked: std::sync::OnceLock::new(),
        }
    }

    /// The root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn resolve(&self, path: &str) -> Option<PathBuf> {
        // Relative paths only, and never above the root, not even through a symlink.
        let p = Path::new(path);
        if p.components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return None;
        }
        let full = self.root.join(p);
        if self.walked.get().is_some_and(|w| w.contains(path)) {
            return Some(full);
        }
        match dunce::canonicalize(&full) {
            Ok(real) if real.starts_with(&self.root) => Some(full),
            Ok(_) => None,
            Err(_) => Some(full), // missing: callers find that out themselves
        }
    }
}

/// Reads a whole file with one `open` and plain `read`s. `std::fs::read` first asks the file for
/// its size (`statx`, and `lseek` in `read_to_end`); plan files are small, so a buffer that grows
/// by doubling saves those calls on every one of thousands of files.
pub fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    read_to_end(&mut std::fs::File::open(path)?, 8 * 1024)
}

/// Reads what is left of `file` with plain `read`s into a buffer of `initial` bytes, doubled as
/// needed (`Read::read_to_end` on a `File` asks for its size and position first).
pub fn read_to_end(file: &mut std::fs::File, initial: usize) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = vec![0u8; initial.max(64)];
    let mut len = 0;
    loop {
        if len == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        match file.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(len);
    Ok(buf)
}

/// True for names cairn reads as Markdown.
pub fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

impl Source for WorkTree {
    fn markdown_files(&self, dir: &str) -> io::Result<Vec<String>> {
        let base = if dir == "." {
            self.root.clone()
        } else {
            self.root.join(dir)
        };
        if !base.is_dir() {
            return Ok(Vec::new());
        }
        let found = Mutex::new(Vec::new());
        let walker = ignore::WalkBuilder::new(&base)
            .hidden(true)
            .follow_links(false)
            .require_git(true)
            .threads(2)
            .build_parallel();
        walker.run(|| {
            Box::new(|entry| {
                if let Ok(entry) = entry {
                    let regular = entry.file_type().is_some_and(|t| t.is_file());
                    if regular && is_markdown(&entry.file_name().to_string_lossy()) {
                        if let Ok(rel) = entry.path().strip_prefix(&self.root) {
                            let rel = rel
                                .components()
                                .map(|c| c.as_os_str().to_string_lossy())
                                .collect::<Vec<_>>()
                                .join("/");
                            found.lock().expect("walker lock").push(rel);
                        }
                    }
                }
                ignore::WalkState::Continue
            })
        });
        let mut files = found.into_inner().expect("walker lock");
        files.sort();
        let _ = self.walked.set(files.iter().cloned().collect());
        Ok(files)
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        let p = self.resolve(path).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "path leaves the plan root")
        })?;
        read_file(&p)
    }

    fn exists(&self, path: &str) -> bool {
        self.resolve(path).is_some_and(|p| p.exists())
    }

    fn describe(&self) -> String {
        "work tree".into()
    }
}

/// Resolves `dest` (a link target, already percent-decoded, without `#anchor`) written in `file`
/// to a root-relative path; `None` when it leaves the root.
pub fn resolve_link(file: &str, dest: &str) -> Option<String> {
    let mut parts: Vec<&str> = if let Some(abs) = dest.strip_prefix('/') {
        return normalize(abs.split('/').collect());
    } else {
        file.split('/').collect()
    };
    parts.pop();
    parts.extend(dest.split('/'));
    normalize(parts)
}

fn normalize(parts: Vec<&str>) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for p in parts {
        match p {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p),
        }
    }
    Some(out.join("/"))
}

/// `to` written relative to the folder of `from` (both root-relative): the link `from` would use.
pub fn relative_path(from: &str, to: &str) -> String {
    let mut from_dir: Vec<&str> = from.split('/').collect();
    from_dir.pop();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// Decodes `%XX` escapes in a link destination (`my%20notes.md`); malformed escapes stay as written.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_relative_to_their_file() {
        assert_eq!(
            resolve_link("plan/stories/S-1.md", "../goals/G-1.md").as_deref(),
            Some("plan/goals/G-1.md")
        );
        assert_eq!(
            resolve_link("plan/a.md", "./b/c.md").as_deref(),
            Some("plan/b/c.md")
        );
        assert_eq!(
            resolve_link("plan/a.md", "/README.md").as_deref(),
            Some("README.md")
        );
        assert_eq!(resolve_link("plan/a.md", "../../x.md"), None);
        assert_eq!(
            relative_path("plan/stories/S-1.md", "plan/goals/G-1.md"),
            "../goals/G-1.md"
        );
        assert_eq!(relative_path("README.md", "plan/a.md"), "plan/a.md");
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%e2%9c%93"), "✓");
    }
}
