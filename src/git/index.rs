//! A direct reader for the git index file (`.git/index`), versions 2 to 4.
//!
//! libgit2 spends most of `check --staged`'s setup loading the index: it verifies the trailing
//! checksum and builds lookup tables cairn never uses. This reader takes only what cairn needs
//! (path, mode, blob id, stage and the stat data that tells whether the work-tree copy is the
//! staged one) in one pass. It answers `None` on anything it does not fully understand (another
//! hash size, a required extension such as a split or sparse index, a malformed entry), and the
//! caller falls back to libgit2. See `Documentation/gitformat-index.txt` in git.

use git2::Oid;

/// One entry of the index, as cairn uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path from the top of the work tree, `/`-separated, as bytes.
    pub path: Vec<u8>,
    /// File mode (`0o100644`, `0o120000` for a symlink, `0o160000` for a submodule).
    pub mode: u32,
    /// Blob id.
    pub oid: Oid,
    /// Merge stage: 0, or 1–3 for a conflict.
    pub stage: u8,
    /// Modification time, seconds.
    pub mtime_secs: u32,
    /// Modification time, nanoseconds.
    pub mtime_nanos: u32,
    /// Inode number (truncated to 32 bits, as git stores it).
    pub ino: u32,
    /// File size (truncated to 32 bits).
    pub size: u32,
}

const HASH_LEN: usize = 20;
/// ctime, mtime (8 bytes each), dev, ino, mode, uid, gid, size (4 each), hash, flags.
const FIXED_LEN: usize = 16 + 24 + HASH_LEN + 2;
const FLAG_EXTENDED: u16 = 0x4000;
const NAME_MASK: u16 = 0x0fff;

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

/// Parses an index file's bytes; `None` when it is not an index this reader fully understands.
pub fn parse(data: &[u8]) -> Option<Vec<Entry>> {
    if data.get(..4)? != b"DIRC" {
        return None;
    }
    let version = u32_at(data, 4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = u32_at(data, 8)? as usize;
    // The file ends with the checksum of everything before it.
    let end = data.len().checked_sub(HASH_LEN)?;
    let body = &data[..end];
    let mut entries = Vec::with_capacity(count.min(body.len() / FIXED_LEN));
    let mut at = 12;
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let mtime_secs = u32_at(body, at + 8)?;
        let mtime_nanos = u32_at(body, at + 12)?;
        let ino = u32_at(body, at + 20)?;
        let mode = u32_at(body, at + 24)?;
        let size = u32_at(body, at + 36)?;
        let oid = Oid::from_bytes(body.get(at + 40..at + 40 + HASH_LEN)?).ok()?;
        let flags = u16_at(body, at + 40 + HASH_LEN)?;
        let mut name_at = at + FIXED_LEN;
        if flags & FLAG_EXTENDED != 0 {
            if version < 3 {
                return None;
            }
            name_at += 2;
        }
        let path = if version == 4 {
            // The path is the previous one minus `strip` trailing bytes, plus a NUL-ended suffix.
            let (strip, suffix_at) = varint(body, name_at)?;
            let keep = previous.len().checked_sub(strip)?;
            let nul = suffix_at + memchr::memchr(0, body.get(suffix_at..)?)?;
            let mut path = Vec::with_capacity(keep + nul - suffix_at);
            path.extend_from_slice(&previous[..keep]);
            path.extend_from_slice(&body[suffix_at..nul]);
            at = nul + 1;
            path
        } else {
            let nul = name_at + memchr::memchr(0, body.get(name_at..)?)?;
            let name_len = nul - name_at;
            if name_len < usize::from(NAME_MASK) && usize::from(flags & NAME_MASK) != name_len {
                return None;
            }
            // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
            let entry_len = (nul - at + 8) & !7;
            at += entry_len;
            body[name_at..nul].to_vec()
        };
        // Sparse directory entries (a tree, path ending in `/`) need the sparse-index logic.
        if mode & 0o170000 == 0o040000 || path.last() == Some(&b'/') {
            return None;
        }
        previous.clone_from(&path);
        entries.push(Entry {
            path,
            mode,
            oid,
            stage: ((flags >> 12) & 0x3) as u8,
            mtime_secs,
            mtime_nanos,
            ino,
            size,
        });
    }
    // Extensions: optional ones (upper-case signature) can be skipped; a required one (a split
    // index's `link`, a sparse index's `sdir`) changes what the entries mean.
    while at + 8 <= body.len() {
        let signature = &body[at..at + 4];
        if !signature[0].is_ascii_uppercase() {
            return None;
        }
        let len = u32_at(body, at + 4)? as usize;
        at = at.checked_add(8 + len)?;
    }
    (at == body.len()).then_some(entries)
}

/// A git offset varint (as in `OFS_DELTA`) at `at`: its value and the offset after it.
fn varint(b: &[u8], mut at: usize) -> Option<(usize, usize)> {
    let mut c = *b.get(at)?;
    at += 1;
    let mut value = usize::from(c & 0x7f);
    while c & 0x80 != 0 {
        c = *b.get(at)?;
        at += 1;
        value = value.checked_add(1)?.checked_mul(128)? + usize::from(c & 0x7f);
    }
    Some((value, at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::testing::git;

    /// The entries libgit2 reads from the same file.
    fn libgit2_entries(dir: &std::path::Path) -> Vec<Entry> {
        let index = git2::Index::open(&dir.join(".git/index")).unwrap();
        index
            .iter()
            .map(|e| Entry {
                path: e.path.clone(),
                mode: e.mode,
                oid: e.id,
                stage: ((e.flags >> 12) & 0x3) as u8,
                mtime_secs: e.mtime.seconds() as u32,
                mtime_nanos: e.mtime.nanoseconds(),
                ino: e.ino,
                size: e.file_size,
            })
            .collect()
    }

    fn repo_with_files(version: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q"]);
        std::fs::create_dir_all(d.join("plan/stories/deeply/nested")).unwrap();
        for (i, name) in [
            "plan/stories/S-1-a.md",
            "plan/stories/S-10-a-much-longer-name-than-the-others.md",
            "plan/stories/S-2.md",
            "plan/stories/deeply/nested/S-3-ünïcode.md",
            "plan/README.md",
            "top.md",
        ]
        .iter()
        .enumerate()
        {
            std::fs::write(d.join(name), "x".repeat(i * 7)).unwrap();
        }
        std::os::unix::fs::symlink("top.md", d.join("link.md")).unwrap();
        git(d, &["add", "-A"]);
        git(d, &["update-index", "--index-version", version]);
        // Intent-to-add sets an extended flag (index version 3 and up).
        std::fs::write(d.join("later.md"), "later").unwrap();
        git(d, &["add", "-N", "later.md"]);
        dir
    }

    #[test]
    fn reads_versions_2_3_and_4_like_libgit2() {
        for version in ["2", "3", "4"] {
            let dir = repo_with_files(version);
            let data = std::fs::read(dir.path().join(".git/index")).unwrap();
            let ours = parse(&data).unwrap_or_else(|| panic!("version {version} declined"));
            assert_eq!(ours, libgit2_entries(dir.path()), "version {version}");
            assert_eq!(ours.len(), 8);
        }
    }

    #[test]
    fn conflicts_keep_their_stages() {
        let dir = repo_with_files("2");
        let d = dir.path();
        git(d, &["commit", "-qm", "base"]);
        git(d, &["checkout", "-qb", "other"]);
        std::fs::write(d.join("top.md"), "theirs").unwrap();
        git(d, &["commit", "-qam", "theirs"]);
        git(d, &["checkout", "-q", "-"]);
        std::fs::write(d.join("top.md"), "ours").unwrap();
        git(d, &["commit", "-qam", "ours"]);
        // Regression: this merge ran with no identity and a temporary HOME, and failed (so the
        // test did) on machines where git cannot guess an e-mail from the host name.
        let merge = crate::git::testing::run(d, &["merge", "-q", "other"]);
        assert!(!merge.status.success(), "the merge conflicts: {merge:?}");
        let data = std::fs::read(d.join(".git/index")).unwrap();
        let ours = parse(&data).expect("a conflicted index is still read");
        let stages: Vec<u8> = ours
            .iter()
            .filter(|e| e.path == b"top.md")
            .map(|e| e.stage)
            .collect();
        assert_eq!(stages, [1, 2, 3]);
        assert_eq!(ours, libgit2_entries(d));
    }

    #[test]
    fn declines_what_it_does_not_understand() {
        let dir = repo_with_files("2");
        let data = std::fs::read(dir.path().join(".git/index")).unwrap();
        assert!(parse(&data[..data.len() - 30]).is_none(), "truncated");
        assert!(parse(b"DIRC\0\0\0\x05\0\0\0\0").is_none(), "version 5");
        assert!(parse(b"not an index at all, really").is_none());
        // A required extension (lower-case signature) before the checksum.
        let mut with_link = data[..data.len() - HASH_LEN].to_vec();
        with_link.extend_from_slice(b"link\0\0\0\0");
        with_link.extend_from_slice(&[0; HASH_LEN]);
        assert!(parse(&with_link).is_none());
        // An optional one is skipped.
        let mut with_tree = data[..data.len() - HASH_LEN].to_vec();
        with_tree.extend_from_slice(b"ZZZZ\0\0\0\x02ab");
        with_tree.extend_from_slice(&[0; HASH_LEN]);
        assert!(parse(&with_tree).is_some());
    }

    #[test]
    fn garbage_never_panics() {
        let dir = repo_with_files("4");
        let data = std::fs::read(dir.path().join(".git/index")).unwrap();
        for i in 0..data.len() {
            for byte in [0u8, 0x7f, 0x80, 0xff] {
                let mut bad = data.clone();
                bad[i] = byte;
                let _ = parse(&bad);
            }
            let _ = parse(&data[..i]);
        }
    }
}
