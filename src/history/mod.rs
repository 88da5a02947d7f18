//! The plan's history, read from git: when each item entered each status category.
//!
//! Walks the first-parent history of a revision (oldest first), diffs only the plan directory's
//! trees between consecutive commits, and parses each distinct blob once (cached by blob id). No
//! checkout, no database: git already recorded every change.

mod cache;
pub mod forecast;
mod skipped;
pub mod stale;
mod tree_diff;

pub use skipped::Skipped;
use tree_diff::{changed_files, Changes};

use crate::config::{Category, Config};
use crate::git::{GitError, Repo};
use crate::parse::item::parse_file;
use git2::{Oid, Sort};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What one item went through.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemHistory {
    /// The item's id.
    pub id: String,
    /// Its kind.
    pub kind: usize,
    /// Commit time (seconds since the epoch) of the first commit that has the item.
    pub first_seen: i64,
    /// First commit time at which the item was in each category (todo, doing, done, dropped).
    pub entered: [Option<i64>; 4],
    /// Every category change, oldest first: (commit time, new category).
    pub transitions: Vec<(i64, Category)>,
    /// The category at the end of the walk (`None` once deleted).
    pub category: Option<Category>,
    /// The latest estimate.
    pub estimate: Option<f64>,
    /// The latest parent id.
    pub parent: Option<String>,
    /// Time of the last commit that changed the item's file.
    pub last_change: i64,
    /// Id of that commit.
    pub last_change_commit: String,
    /// The last commit that changed the item in substance (title, body, MoSCoW, horizon, key
    /// results) after it was created: (time, commit id, fields changed).
    pub substance_change: Option<(i64, String, Vec<&'static str>)>,
}

impl ItemHistory {
    /// When the item entered `c`, if it did.
    pub fn entered(&self, c: Category) -> Option<i64> {
        self.entered[c as usize]
    }
}

/// The plan's state at the end of one week of history (the last commit of that week).
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Time of the last commit of the week.
    pub time: i64,
    /// Per item id: (category, estimate, parent).
    pub items: BTreeMap<String, (Category, Option<f64>, Option<String>)>,
}

/// The result of a walk.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    /// Per item id.
    pub items: BTreeMap<String, ItemHistory>,
    /// Commits walked.
    pub commits: usize,
    /// Distinct versions of plan files in the walked history (each parsed once, or read from the
    /// cache).
    pub blobs: usize,
    /// Time of the first and last commit walked.
    pub span: Option<(i64, i64)>,
    /// True when the repository is shallow: history may start later than the plan did.
    pub shallow: bool,
    /// The plan state at the end of each week that has commits, oldest first.
    pub snapshots: Vec<Snapshot>,
    /// Events before this time are known but not counted (`--since`).
    pub since: Option<i64>,
    /// What git could not read, and so was left out.
    pub skipped: Skipped,
}

impl History {
    /// One line saying what the walk skipped and why (see [`Skipped::summary`]); `None` when it
    /// read everything.
    pub fn skipped_note(&self) -> Option<String> {
        self.skipped.summary(self.commits, self.blobs)
    }
}

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// The revision to walk back from (default `HEAD`).
    pub rev: Option<String>,
    /// Follow every parent instead of the first-parent line.
    pub all_parents: bool,
    /// Count only events from this time on (seconds since the epoch); earlier commits are still
    /// read, so an item's state at that time is known.
    pub since: Option<i64>,
    /// Ignore commits after this time.
    pub until: Option<i64>,
    /// Reuse and update the on-disk cache in the git directory (`.git/cairn/`).
    pub cache: bool,
}

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Parsed {
    id: String,
    kind: usize,
    category: Option<Category>,
    estimate: Option<f64>,
    parent: Option<String>,
    /// Hashes of what a goal's substance is made of, in [`SUBSTANCE`] order.
    substance: [u64; 5],
}

/// The fields whose change makes the children of an item worth re-checking.
pub const SUBSTANCE: [&str; 5] = ["title", "body", "moscow", "horizon", "key_results"];

fn hash(value: impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    // A fixed hasher: the values are only compared within one run.
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(value)
}

/// What a blob parses to: `Ok(None)` when it is not an item, `Err` when git cannot read it.
fn parse_blob(
    repo: &git2::Repository,
    oid: Oid,
    path: &str,
    config: &Config,
) -> Result<Option<Parsed>, git2::Error> {
    let blob = repo.find_blob(oid)?;
    let Some(item) = parse_file(path, blob.content(), config).item else {
        return Ok(None);
    };
    let body = std::str::from_utf8(blob.content())
        .ok()
        .and_then(|t| crate::parse::front_matter::split(t).ok())
        .map(|s| s.body.trim().to_string())
        .unwrap_or_default();
    Ok(Some(Parsed {
        substance: [
            hash(&item.title),
            hash(&body),
            hash(item.moscow),
            hash(&item.horizon),
            hash(format!("{:?}", item.key_results)),
        ],
        id: item.id,
        kind: item.kind,
        category: item.category,
        estimate: item.estimate,
        parent: item.parent.map(|p| p.id),
    }))
}

/// The plan's files at the current commit of the walk, by path.
#[derive(Default)]
struct Files(HashMap<String, Oid>);

impl Files {
    /// The blobs the changed paths had before this commit.
    fn clone_changed(&self, changed: &[(String, Option<Oid>)]) -> HashMap<String, Oid> {
        changed
            .iter()
            .filter_map(|(p, _)| self.0.get(p).map(|&o| (p.clone(), o)))
            .collect()
    }

    fn insert(&mut self, path: String, blob: Oid) {
        self.0.insert(path, blob);
    }

    fn remove(&mut self, path: &str) {
        self.0.remove(path);
    }
}

/// The plan folder's tree in one commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlanTree {
    /// There is no plan folder: no such path, or a file or submodule of that name (Backlog.md's
    /// repository had a binary called `backlog` before its `backlog/` folder).
    Absent,
    /// The folder's tree.
    Tree(Oid),
    /// Git cannot read the commit's tree (a partial clone, a missing object).
    Unreadable,
}

impl PlanTree {
    fn id(self) -> Option<Oid> {
        match self {
            PlanTree::Tree(id) => Some(id),
            _ => None,
        }
    }
}

/// The plan folder `dir` (repository-relative, empty for the top) in a commit.
fn plan_tree(commit: &git2::Commit, dir: &str, skipped: &mut Skipped) -> PlanTree {
    let tree = match commit.tree() {
        Ok(tree) => tree,
        Err(e) => {
            skipped.note(&e);
            return PlanTree::Unreadable;
        }
    };
    if dir.is_empty() {
        return PlanTree::Tree(tree.id());
    }
    match tree.get_path(std::path::Path::new(dir)) {
        Ok(entry) if entry.kind() == Some(git2::ObjectType::Tree) => PlanTree::Tree(entry.id()),
        Ok(_) => PlanTree::Absent,
        // A missing sub-tree on the way (`docs/` of `docs/plan`) is an object git cannot read;
        // any other failure means the path is not there.
        Err(e) if e.class() == git2::ErrorClass::Odb => {
            skipped.note(&e);
            PlanTree::Unreadable
        }
        Err(_) => PlanTree::Absent,
    }
}

/// Walks the history and records every item's category changes.
///
/// What git cannot read (a commit's tree or a file version missing from a partial clone or an
/// incomplete repository) is skipped and counted in [`History::skipped`]; the rest is reported.
pub fn walk(repo: &Repo, config: &Config, options: &WalkOptions) -> Result<History, GitError> {
    let git = &repo.repo;
    let start = repo.commit(options.rev.as_deref().unwrap_or("HEAD"))?.id();
    let mut walk = git.revwalk()?;
    walk.push(start)?;
    if !options.all_parents {
        walk.simplify_first_parent()?;
    }
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let dir = format!("{}{}", repo.prefix, config.plan_dir.trim_end_matches('/'));
    let dir = dir.trim_start_matches("./").trim_end_matches("/.");
    // `plan_dir: .` at the top of the repository: the whole tree.
    let dir = if dir == "." { "" } else { dir }.to_string();
    let repo_prefix = repo.prefix.clone();
    let mut history = History {
        shallow: git.is_shallow(),
        since: options.since,
        ..History::default()
    };
    history.skipped.plan_dir.clone_from(&dir);
    let mut skipped = std::mem::take(&mut history.skipped);
    // 1. The commits, oldest first, with their plan folder's tree.
    let mut commits: Vec<(Oid, i64, PlanTree)> = Vec::new();
    for oid in walk {
        let commit = git.find_commit(oid?)?;
        let time = commit.time().seconds();
        if options.until.is_some_and(|u| time > u) {
            continue;
        }
        let tree = plan_tree(&commit, &dir, &mut skipped);
        commits.push((commit.id(), time, tree));
    }
    // 2. What changed between consecutive plan trees that can be read: independent pairs, diffed
    // in parallel.
    let mut pairs: Vec<(usize, Option<Oid>, Option<Oid>)> = Vec::new();
    let mut prev = None;
    for (n, &(_, _, tree)) in commits.iter().enumerate() {
        if tree == PlanTree::Unreadable {
            skipped.commits += 1;
            continue;
        }
        let sub = tree.id();
        if sub != prev {
            pairs.push((n, prev, sub));
            prev = sub;
        }
    }
    let git_dir = git.path().to_path_buf();
    let config_key = format!("{:016x}", hash(format!("{config:?}")));
    let mut disk = if options.cache {
        cache::load(&git_dir, &config_key)
    } else {
        cache::Cache::default()
    };
    let base = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let cached = |diffs: &HashMap<String, Vec<(String, Option<String>)>>, old, new| {
        diffs.get(&cache::pair_key(old, new)).map(|list| {
            list.iter()
                .map(|(p, b)| (p.clone(), b.as_deref().and_then(|s| Oid::from_str(s).ok())))
                .collect::<Changes>()
        })
    };
    let mut diffed: HashMap<usize, Result<Changes, git2::Error>> = pairs
        .iter()
        .filter_map(|&(n, old, new)| cached(&disk.diffs, old, new).map(|c| (n, Ok(c))))
        .collect();
    let todo: Vec<_> = pairs
        .iter()
        .filter(|p| !diffed.contains_key(&p.0))
        .copied()
        .collect();
    let fresh_diffs: Vec<(usize, Result<Changes, git2::Error>)> = todo
        .par_iter()
        .map_init(
            || git2::Repository::open(&git_dir),
            |repo, &(n, old, new)| {
                let changes = match repo {
                    Ok(repo) => changed_files(repo, old, new, &base),
                    Err(e) => Err(git2::Error::from_str(e.message())),
                };
                (n, changes)
            },
        )
        .collect();
    let mut fresh = !fresh_diffs.is_empty();
    diffed.extend(fresh_diffs);
    // A pair that cannot be diffed (a sub-tree is missing) skips its newer commit; the next pair
    // is then diffed from the last tree that could be read.
    let mut changes: HashMap<usize, Changes> = HashMap::new();
    let mut applied: Option<Oid> = None;
    for &(n, old, new) in &pairs {
        let result = if old == applied {
            diffed.remove(&n).expect("every pair diffed")
        } else if new == applied {
            continue;
        } else {
            match cached(&disk.diffs, applied, new) {
                Some(c) => Ok(c),
                None => {
                    fresh = true;
                    changed_files(git, applied, new, &base)
                }
            }
        };
        match result {
            Ok(c) => {
                disk.diffs.insert(
                    cache::pair_key(applied, new),
                    c.iter()
                        .map(|(p, b)| (p.clone(), b.map(|b| b.to_string())))
                        .collect(),
                );
                changes.insert(n, c);
                applied = new;
            }
            Err(e) => {
                skipped.note(&e);
                skipped.commits += 1;
            }
        }
    }
    // 3. Every distinct blob parsed once, in parallel.
    let mut blobs: Vec<(Oid, &str)> = changes
        .values()
        .flatten()
        .filter_map(|(p, b)| b.map(|b| (b, p.as_str())))
        .collect();
    blobs.sort_unstable_by_key(|b| b.0);
    blobs.dedup_by_key(|b| b.0);
    history.blobs = blobs.len();
    let mut parsed_blobs: HashMap<Oid, Option<Parsed>> = HashMap::new();
    blobs.retain(|(oid, _)| match disk.blobs.get(&oid.to_string()) {
        Some(p) => {
            parsed_blobs.insert(*oid, p.clone());
            false
        }
        None => true,
    });
    let parsed: Vec<(Oid, Result<Option<Parsed>, git2::Error>)> = blobs
        .par_iter()
        .map_init(
            || git2::Repository::open(&git_dir),
            |repo, &(oid, path)| {
                let parsed = match repo {
                    Ok(r) => parse_blob(
                        r,
                        oid,
                        path.strip_prefix(&repo_prefix).unwrap_or(path),
                        config,
                    ),
                    Err(e) => Err(git2::Error::from_str(e.message())),
                };
                (oid, parsed)
            },
        )
        .collect();
    fresh |= !parsed.is_empty();
    // Versions git cannot read: left out of the replay, and not cached, so a later run that finds
    // them (after a fetch) reads them.
    let mut unreadable: HashSet<Oid> = HashSet::new();
    for (oid, p) in parsed {
        match p {
            Ok(p) => {
                if options.cache {
                    disk.blobs.insert(oid.to_string(), p.clone());
                }
                parsed_blobs.insert(oid, p);
            }
            Err(e) => {
                skipped.note(&e);
                unreadable.insert(oid);
            }
        }
    }
    skipped.blobs = unreadable.len();
    if !skipped.is_empty() {
        skipped.partial_clone = skipped::is_partial_clone(git);
    }
    history.skipped = skipped;
    if options.cache && fresh {
        cache::store(&git_dir, &disk);
    }
    let cache = parsed_blobs;
    // 4. Replay the changes in order.
    let mut files: Files = Files::default();
    let mut state: BTreeMap<String, (Category, Option<f64>, Option<String>)> = BTreeMap::new();
    let mut substance: HashMap<String, [u64; 5]> = HashMap::new();
    let mut week: Option<(i64, i64)> = None; // (week number, time of its last commit)
    for (n, &(commit_id, time, _)) in commits.iter().enumerate() {
        // Weeks start on Monday; 1970-01-01 was a Thursday, hence the 3-day shift.
        let this_week = (time + 3 * 86_400).div_euclid(7 * 86_400);
        if let Some((w, last)) = week {
            if w != this_week {
                history.snapshots.push(Snapshot {
                    time: last,
                    items: state.clone(),
                });
            }
        }
        week = Some((this_week, time));
        history.commits += 1;
        history.span = Some(history.span.map_or((time, time), |(a, _)| (a, time)));
        let Some(mut changed) = changes.remove(&n) else {
            continue; // the plan did not change in this commit
        };
        // A version git cannot read is left out: its file keeps its last readable version.
        changed.retain(|(_, b)| !b.is_some_and(|b| unreadable.contains(&b)));
        let before = files.clone_changed(&changed);
        for (path, blob) in &changed {
            match blob {
                Some(b) => files.insert(path.clone(), *b),
                None => files.remove(path),
            }
        }
        // Items touched by this commit, with their new parsed state (None: gone).
        let mut touched: BTreeMap<String, Option<Parsed>> = BTreeMap::new();
        for (path, blob) in &changed {
            if let Some(old) = before
                .get(path)
                .and_then(|o| cache.get(o).cloned().flatten())
            {
                touched.entry(old.id.clone()).or_insert(None);
            }
            if let Some(p) = blob.and_then(|b| cache.get(&b).cloned().flatten()) {
                touched.insert(p.id.clone(), Some(p));
            }
        }
        // A file renamed in this commit: the id is "gone" from the old path and present at the
        // new one, so it stays one item.
        for (id, parsed) in touched {
            match parsed {
                None => {
                    state.remove(&id);
                    if let Some(h) = history.items.get_mut(&id) {
                        h.category = None;
                    }
                }
                Some(p) => {
                    let Some(cat) = p.category else { continue };
                    let h = history
                        .items
                        .entry(id.clone())
                        .or_insert_with(|| ItemHistory {
                            id: id.clone(),
                            kind: p.kind,
                            first_seen: time,
                            entered: [None; 4],
                            transitions: Vec::new(),
                            category: None,
                            estimate: None,
                            parent: None,
                            last_change: time,
                            last_change_commit: commit_id.to_string(),
                            substance_change: None,
                        });
                    if let Some(old) = substance.insert(id.clone(), p.substance) {
                        let changed: Vec<&'static str> = SUBSTANCE
                            .iter()
                            .zip(old.iter().zip(&p.substance))
                            .filter(|(_, (a, b))| a != b)
                            .map(|(name, _)| *name)
                            .collect();
                        if !changed.is_empty() {
                            h.substance_change = Some((time, commit_id.to_string(), changed));
                        }
                    }
                    if h.category != Some(cat) {
                        h.entered[cat as usize].get_or_insert(time);
                        h.transitions.push((time, cat));
                        h.category = Some(cat);
                    }
                    h.estimate = p.estimate;
                    h.parent = p.parent.clone();
                    h.last_change = time;
                    h.last_change_commit = commit_id.to_string();
                    state.insert(id, (cat, p.estimate, p.parent));
                }
            }
        }
    }
    if let Some((_, last)) = week {
        history.snapshots.push(Snapshot {
            time: last,
            items: state,
        });
    }
    Ok(history)
}
