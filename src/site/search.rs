//! The search index: one entry per item with what the search box matches (id, title, tags,
//! owners, the body's words), written as `search.json` and, for pages opened from `file://`
//! where a script cannot fetch a file, as `search-index.js`.

use serde::Serialize;

/// The index document (`search.json`).
#[derive(Debug, Clone, Serialize)]
pub struct Index {
    /// Format version (1).
    pub version: u32,
    /// One entry per item with a page, in kind and id order.
    pub items: Vec<Entry>,
}

/// One item in the index.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// `S-14`.
    pub id: String,
    /// The title.
    pub title: String,
    /// Kind name.
    pub kind: String,
    /// Status as written, if any.
    pub status: Option<String>,
    /// The status's category.
    pub category: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Owners and assignees.
    pub people: Vec<String>,
    /// The page, relative to the site's root.
    pub url: String,
    /// The body's distinct words, lower-cased, in order of first use (at most [`TEXT_LIMIT`]
    /// bytes): prefix search over the whole body at a fraction of its size.
    pub text: String,
}

/// The most bytes of body words an entry carries.
pub const TEXT_LIMIT: usize = 400;

/// The distinct words of `text` (letters and digits, two characters or more), lower-cased, in
/// order of first use, up to `limit` bytes.
pub fn words(text: &str, limit: usize) -> String {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut out = String::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.chars().nth(1).is_none() {
            continue;
        }
        let w = word.to_lowercase();
        if out.len() + w.len() + 1 > limit {
            break;
        }
        if seen.insert(w.clone()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&w);
        }
    }
    out
}

impl Index {
    /// The index as the script the pages load (`search-index.js`).
    pub fn script(json: &str) -> String {
        // `</` cannot end a script block from inside a string; the JSON stays valid.
        format!(
            "window.cairnSearchIndex = {};\n",
            json.replace("</", "<\\/")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_distinct_lower_cased_and_bounded() {
        assert_eq!(
            words(
                "As a lead, I can make a Task recur: task-recur every week.",
                100
            ),
            "as lead can make task recur every week"
        );
        assert_eq!(words("Straße straße ÜBER", 100), "straße über");
        assert!(words(&("word ".repeat(10) + &"x".repeat(50)), 20).len() <= 20);
    }
}
