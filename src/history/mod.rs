//! The plan's history, read from git: when each item entered each status category.
//!
//! Walks the first-parent history of a revision (oldest first), diffs only the plan directory's
//! trees between consecutive commits, and parses each distinct blob once (cached by blob id). No
//! checkout, no database: git already recorded every change.

pub mod forecast;
pub mod stale;

use crate::config::{Category, Config};
use crate::git::{GitError, Repo};
use crate::model::Item;
use crate::parse::item::parse_file;
use git2::{Oid, Sort};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

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

/// What a walk can reuse from an earlier one: tree diffs (by tree ids) and parsed blobs (by blob
/// id, for one config). Kept in the git directory, so it is never committed.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Cache {
    version: u32,
    config: String,
    diffs: HashMap<String, Vec<(String, Option<String>)>>,
    blobs: HashMap<String, Option<Parsed>>,
}

const CACHE_VERSION: u32 = 1;

fn cache_path(git_dir: &std::path::Path) -> std::path::PathBuf {
    git_dir.join("cairn").join("history-cache.json")
}

fn load_cache(git_dir: &std::path::Path, config_key: &str) -> Cache {
    let cache: Cache = std::fs::read(cache_path(git_dir))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    if cache.version != CACHE_VERSION {
        return Cache {
            version: CACHE_VERSION,
            config: config_key.to_string(),
            ..Cache::default()
        };
    }
    if cache.config != config_key {
        // Parsed blobs depend on the config (kinds, statuses); tree diffs do not.
        return Cache {
            version: CACHE_VERSION,
            config: config_key.to_string(),
            diffs: cache.diffs,
            blobs: HashMap::new(),
        };
    }
    cache
}

fn pair_key(old: Option<Oid>, new: Option<Oid>) -> String {
    let id = |o: Option<Oid>| o.map_or_else(|| "-".to_string(), |o| o.to_string());
    format!("{}:{}", id(old), id(new))
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

fn parse_blob(repo: &git2::Repository, oid: Oid, path: &str, config: &Config) -> Option<Parsed> {
    let blob = repo.find_blob(oid).ok()?;
    let item: Item = parse_file(path, blob.content(), config).item?;
    let body = std::str::from_utf8(blob.content())
        .ok()
        .and_then(|t| crate::parse::front_matter::split(t).ok())
        .map(|s| s.body.trim().to_string())
        .unwrap_or_default();
    Some(Parsed {
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
    })
}

/// Changed plan files: path and new blob id, `None` when removed.
type Changes = Vec<(String, Option<Oid>)>;

/// The Markdown files that differ between two plan trees: new blob ids, or `None` for removed.
fn changed_files(
    repo: &git2::Repository,
    old: Option<Oid>,
    new: Option<Oid>,
    base: &str,
) -> Result<Vec<(String, Option<Oid>)>, git2::Error> {
    // git2 skips identical subtrees by id, so a commit that moves one story costs one blob.
    let old_tree = old.map(|id| repo.find_tree(id)).transpose()?;
    let new_tree = new.map(|id| repo.find_tree(id)).transpose()?;
    let mut options = git2::DiffOptions::new();
    options.skip_binary_check(true);
    let diff = repo.diff_tree_to_tree(old_tree.as_ref(), new_tree.as_ref(), Some(&mut options))?;
    let mut changed: Vec<(String, Option<Oid>)> = Vec::new();
    for delta in diff.deltas() {
        for (file, present) in [(delta.old_file(), false), (delta.new_file(), true)] {
            let Some(rel) = file.path().and_then(|p| p.to_str()) else {
                continue;
            };
            let name = rel.rsplit('/').next().unwrap_or(rel);
            if file.id().is_zero()
                || !crate::source::is_markdown(name)
                || rel.split('/').any(|c| c.starts_with('.'))
            {
                continue;
            }
            changed.push((format!("{base}{rel}"), present.then(|| file.id())));
        }
    }
    // New versions first, so a modified file is not taken for a deletion.
    changed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.is_none().cmp(&b.1.is_none())));
    changed.dedup_by(|a, b| a.0 == b.0);
    Ok(changed)
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

/// Walks the history and records every item's category changes.
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
    let dir = dir
        .trim_start_matches("./")
        .trim_end_matches("/.")
        .to_string();
    let repo_prefix = repo.prefix.clone();
    let mut history = History {
        shallow: git.is_shallow(),
        since: options.since,
        ..History::default()
    };
    // 1. The commits, oldest first, with the id of their plan directory's tree.
    let mut commits: Vec<(Oid, i64, Option<Oid>)> = Vec::new();
    for oid in walk {
        let commit = git.find_commit(oid?)?;
        let time = commit.time().seconds();
        if options.until.is_some_and(|u| time > u) {
            continue;
        }
        let tree = commit.tree()?;
        let sub = if dir.is_empty() {
            Some(tree.id())
        } else {
            tree.get_path(std::path::Path::new(&dir))
                .ok()
                .map(|e| e.id())
        };
        commits.push((commit.id(), time, sub));
    }
    // 2. What changed between consecutive plan trees: independent pairs, diffed in parallel.
    let mut pairs: Vec<(usize, Option<Oid>, Option<Oid>)> = Vec::new();
    let mut prev = None;
    for (n, &(_, _, sub)) in commits.iter().enumerate() {
        if sub != prev {
            pairs.push((n, prev, sub));
            prev = sub;
        }
    }
    let git_dir = git.path().to_path_buf();
    let config_key = format!("{:016x}", hash(format!("{config:?}")));
    let mut disk = if options.cache {
        load_cache(&git_dir, &config_key)
    } else {
        Cache::default()
    };
    let base = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let mut changes: HashMap<usize, Vec<(String, Option<Oid>)>> = HashMap::new();
    let parse_oid = |s: &str| Oid::from_str(s).ok();
    pairs.retain(|&(n, old, new)| match disk.diffs.get(&pair_key(old, new)) {
        Some(list) => {
            let list = list
                .iter()
                .map(|(p, b)| (p.clone(), b.as_deref().and_then(parse_oid)))
                .collect();
            changes.insert(n, list);
            false
        }
        None => true,
    });
    let diffs: Vec<Result<(usize, Changes), git2::Error>> = pairs
        .par_iter()
        .map_init(
            || git2::Repository::open(&git_dir),
            |repo, &(n, old, new)| {
                let repo = repo
                    .as_ref()
                    .map_err(|e| git2::Error::from_str(&e.to_string()))?;
                Ok((n, changed_files(repo, old, new, &base)?))
            },
        )
        .collect();
    let mut fresh = false;
    for d in diffs {
        let (n, c) = d?;
        let (_, old, new) = pairs
            .iter()
            .find(|p| p.0 == n)
            .copied()
            .expect("diffed pair");
        disk.diffs.insert(
            pair_key(old, new),
            c.iter()
                .map(|(p, b)| (p.clone(), b.map(|b| b.to_string())))
                .collect(),
        );
        changes.insert(n, c);
        fresh = true;
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
    let mut cache: HashMap<Oid, Option<Parsed>> = HashMap::new();
    blobs.retain(|(oid, _)| match disk.blobs.get(&oid.to_string()) {
        Some(p) => {
            cache.insert(*oid, p.clone());
            false
        }
        None => true,
    });
    let parsed: Vec<(Oid, Option<Parsed>)> = blobs
        .par_iter()
        .map_init(
            || git2::Repository::open(&git_dir).ok(),
            |repo, &(oid, path)| {
                let parsed = repo.as_ref().and_then(|r| {
                    parse_blob(
                        r,
                        oid,
                        path.strip_prefix(&repo_prefix).unwrap_or(path),
                        config,
                    )
                });
                (oid, parsed)
            },
        )
        .collect();
    fresh |= !parsed.is_empty();
    for (oid, p) in parsed {
        if options.cache {
            disk.blobs.insert(oid.to_string(), p.clone());
        }
        cache.insert(oid, p);
    }
    if options.cache && fresh {
        if let Ok(bytes) = serde_json::to_vec(&disk) {
            // Best effort: a read-only repository still gets its metrics, just not faster.
            let _ = crate::write::atomic_write(&cache_path(&git_dir), &bytes);
        }
    }
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
        let Some(changed) = changes.remove(&n) else {
            continue; // the plan did not change in this commit
        };
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
