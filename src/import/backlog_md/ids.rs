//! Backlog.md's ids as Backlog.md compares them, and milestones by id or title.

use super::file::Parsed;
use std::collections::HashMap;

/// `BACK-217.2` for `back-217.02`: the prefix in upper case, each number without leading zeros.
pub(super) fn canonical(id: &str) -> String {
    let id = id.trim();
    let (prefix, body) = match id.rsplit_once('-') {
        Some((p, b))
            if b.split('.')
                .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())) =>
        {
            (p, b)
        }
        _ => return id.to_uppercase(),
    };
    let body: Vec<String> = body
        .split('.')
        .map(|s| {
            let t = s.trim_start_matches('0');
            if t.is_empty() {
                "0".to_string()
            } else {
                t.to_string()
            }
        })
        .collect();
    format!("{}-{}", prefix.to_uppercase(), body.join("."))
}

/// Sort key: the prefix, then each number (so `BACK-2.1` comes after `BACK-2` and before `BACK-10`).
pub(super) fn canonical_key(id: &str) -> (String, Vec<u64>) {
    let c = canonical(id);
    match c.rsplit_once('-') {
        Some((p, b)) => (
            p.to_string(),
            b.split('.')
                .map(|s| s.parse().unwrap_or(u64::MAX))
                .collect(),
        ),
        None => (c, Vec::new()),
    }
}

pub(super) fn milestone_number(id: &str) -> u64 {
    id.trim()
        .to_lowercase()
        .trim_start_matches("m-")
        .parse()
        .unwrap_or(u64::MAX)
}

/// A function from a task's `milestone:` value to the milestone record's key: by id (`m-6`,
/// `M-06`, `6`), then by title (when only one milestone has it), ignoring case.
pub(super) fn milestone_resolver(milestones: &[&Parsed]) -> impl Fn(&str) -> Option<String> {
    let mut by_id: HashMap<String, String> = HashMap::new();
    let mut by_title: HashMap<String, Vec<String>> = HashMap::new();
    for m in milestones {
        let key = format!("backlog-md:{}", m.id.trim().to_lowercase());
        let n = milestone_number(&m.id);
        if n != u64::MAX {
            by_id.entry(n.to_string()).or_insert_with(|| key.clone());
        }
        by_id
            .entry(m.id.trim().to_lowercase())
            .or_insert_with(|| key.clone());
        by_title
            .entry(m.title.trim().to_lowercase())
            .or_default()
            .push(key);
    }
    move |value: &str| {
        let v = value.trim().to_lowercase();
        let n = v.trim_start_matches("m-");
        let n = n.trim_start_matches('0');
        let n = if n.is_empty() && !v.is_empty() {
            "0"
        } else {
            n
        };
        by_id
            .get(&v)
            .or_else(|| {
                n.chars()
                    .all(|c| c.is_ascii_digit())
                    .then(|| by_id.get(n))
                    .flatten()
            })
            .cloned()
            .or_else(|| match by_title.get(&v).map(Vec::as_slice) {
                Some([one]) => Some(one.clone()),
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_compare_as_backlog_md_compares_them() {
        assert_eq!(canonical("back-217.02"), "BACK-217.2");
        assert_eq!(canonical("BACK-7"), "BACK-7");
        assert_eq!(canonical("draft-041"), "DRAFT-41");
        assert_eq!(canonical("weird"), "WEIRD");
        let mut ids = vec!["BACK-10", "BACK-2.1", "BACK-2", "back-1"];
        ids.sort_by_key(|id| canonical_key(id));
        assert_eq!(ids, ["back-1", "BACK-2", "BACK-2.1", "BACK-10"]);
    }
}
