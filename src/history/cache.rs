//! What a walk can reuse from an earlier one, kept in the git directory (`.git/cairn/`), so it is
//! never committed: tree diffs (by tree ids) and parsed blobs (by blob id, for one config).

use super::Parsed;
use git2::Oid;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The cache file's content.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Cache {
    pub version: u32,
    pub config: String,
    /// Per pair of plan trees ([`pair_key`]): the changed paths and their new blob ids.
    pub diffs: HashMap<String, Vec<(String, Option<String>)>>,
    /// Per blob id: what it parsed to (`None`: not an item). Blobs that could not be read are
    /// never stored, so they are tried again once fetched.
    pub blobs: HashMap<String, Option<Parsed>>,
}

/// 2: blobs that could not be read are no longer stored (version 1 stored them as "not an item").
const VERSION: u32 = 2;

fn path(git_dir: &Path) -> PathBuf {
    git_dir.join("cairn").join("history-cache.json")
}

/// The cache for this config; an empty one when there is none or it is of another version.
pub(super) fn load(git_dir: &Path, config_key: &str) -> Cache {
    let cache: Cache = std::fs::read(path(git_dir))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    if cache.version != VERSION {
        return Cache {
            version: VERSION,
            config: config_key.to_string(),
            ..Cache::default()
        };
    }
    if cache.config != config_key {
        // Parsed blobs depend on the config (kinds, statuses); tree diffs do not.
        return Cache {
            version: VERSION,
            config: config_key.to_string(),
            diffs: cache.diffs,
            blobs: HashMap::new(),
        };
    }
    cache
}

/// Writes the cache, best effort: a read-only repository still gets its metrics, just not faster.
pub(super) fn store(git_dir: &Path, cache: &Cache) {
    if let Ok(bytes) = serde_json::to_vec(cache) {
        let _ = crate::write::atomic_write(&path(git_dir), &bytes);
    }
}

/// The key of a pair of plan trees (`-` for no plan).
pub(super) fn pair_key(old: Option<Oid>, new: Option<Oid>) -> String {
    let id = |o: Option<Oid>| o.map_or_else(|| "-".to_string(), |o| o.to_string());
    format!("{}:{}", id(old), id(new))
}
