//! `cairn import`: Backlog.md folders, GitHub issue exports and Jira CSV exports turned into plan
//! items, re-runnable without duplicates, written all or nothing.
//!
//! The fixtures under `fixtures/` are written from each source's documented format: a Backlog.md
//! folder (tasks, sub-tasks, milestones, drafts, completed, archive, docs, decisions and a broken
//! file), a `gh issue list --json` array and an array of REST API issue objects, and a Jira "Export
//! Excel CSV (all fields)" with repeated columns, quoted line breaks and an epic hierarchy.

#[path = "../common/mod.rs"]
mod common;

mod atomic;
mod backlog_md;
mod fields;
mod github;
mod jira;
mod reimport;

use common::{Output, Test};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A fixture's absolute path.
pub fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import/fixtures")
        .join(rel)
        .display()
        .to_string()
}

/// Copies a fixture folder into the test's root under `to`.
pub fn copy_fixture(t: &Test, rel: &str, to: &str) {
    copy_dir(Path::new(&fixture(rel)), &t.path().join(to));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// Every file under the root (but `skip`), with its content: to prove a run changed nothing.
pub fn snapshot(root: &Path, skip: &str) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(root).unwrap().display().to_string();
            if rel.starts_with(skip) && !skip.is_empty() {
                continue;
            }
            if p.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                stack.push(p);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The file of the item with `id`, from `cairn show`.
pub fn file_of(t: &Test, id: &str) -> String {
    let show = t.run(&["show", id, "--format", "json"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    show.json()["file"].as_str().unwrap().to_string()
}

/// The text of the item with `id`.
pub fn item_text(t: &Test, id: &str) -> String {
    t.read(&file_of(t, id))
}

/// `cairn import ARGS --format json`, its JSON.
pub fn import_json(t: &Test, args: &[&str]) -> (Output, serde_json::Value) {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = t.run(&all);
    common::no_panic(&out);
    let json = out.json();
    (out, json)
}

/// Rule names `cairn check` reports that an importer can always avoid writing.
pub const AVOIDABLE: &[&str] = &[
    "parse-error",
    "invalid-id",
    "invalid-value",
    "missing-field",
    "unknown-field",
    "unknown-sprint",
];

/// Asserts `cairn check` finds nothing the importer could have avoided.
pub fn nothing_avoidable(t: &Test) {
    let check = t.check();
    let bad: Vec<_> = check
        .findings()
        .into_iter()
        .filter(|f| AVOIDABLE.contains(&f.0.as_str()))
        .collect();
    assert!(bad.is_empty(), "{bad:?}\n{}", check.stdout);
}
