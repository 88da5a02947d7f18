//! What the last import wrote, so a re-import can tell a value the tracker changed from one a
//! person changed in the plan.
//!
//! It lives in `.cairn/import.json` under the plan root, next to `cairn.yaml`, and is meant to be
//! committed: whoever re-runs the import next needs it, on any clone. For each `external:` key it
//! keeps the id it was given, every field value written, a hash of the body written, and the
//! fields it found already set by someone else. A field
//! whose value in the file still equals the recorded one was not touched by anyone since, so the
//! import may change it; any other value is the user's and is kept. Keys are sorted and the file
//! is pretty-printed, so a re-import that changes two items changes two entries in a diff.

use super::value::FieldValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The state file, relative to the plan root.
pub const STATE_FILE: &str = ".cairn/import.json";

/// Everything the imports into one plan wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// `1`.
    pub version: u32,
    /// By `external:` key.
    #[serde(default)]
    pub items: BTreeMap<String, ItemState>,
    /// Copied documents, by source key.
    #[serde(default)]
    pub documents: BTreeMap<String, DocumentState>,
}

/// What was written for one item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemState {
    /// The id it was given.
    pub id: String,
    /// Each field written, with its value; a field written as absent is not listed.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldValue>,
    /// Hash of the body written (empty when the body was never the import's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub body: String,
    /// Fields the plan already held, with another value, when the import first met the item: the
    /// user's, never changed (unless the source comes to agree with them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept: Vec<String>,
}

/// What was written for one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentState {
    /// The file, relative to the plan root.
    pub file: String,
    /// Hash of the text written.
    pub hash: String,
}

/// Why the state file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{STATE_FILE}: {0}; fix or delete it (without it, a re-import keeps every value that differs from the source)")]
pub struct StateError(String);

impl State {
    /// Reads the state, or an empty one when `text` is `None` (no import yet).
    pub fn parse(text: Option<&[u8]>) -> Result<State, StateError> {
        let Some(bytes) = text else {
            return Ok(State {
                version: 1,
                ..State::default()
            });
        };
        let state: State = serde_json::from_slice(bytes).map_err(|e| StateError(e.to_string()))?;
        if state.version != 1 {
            return Err(StateError(format!(
                "version {} is not one this cairn reads",
                state.version
            )));
        }
        Ok(state)
    }

    /// The file's text: one line per item and per document, keys sorted, so a re-import that
    /// changes two items changes two lines.
    pub fn to_text(&self) -> String {
        let mut text = format!("{{\n  \"version\": {},\n", self.version);
        let section =
            |text: &mut String, name: &str, entries: Vec<(String, String)>, last: bool| {
                text.push_str(&format!("  \"{name}\": {{"));
                for (i, (k, v)) in entries.iter().enumerate() {
                    text.push_str(if i == 0 { "\n" } else { ",\n" });
                    text.push_str(&format!(
                        "    {}: {v}",
                        serde_json::to_string(k).expect("a string")
                    ));
                }
                text.push_str(if entries.is_empty() { "}" } else { "\n  }" });
                text.push_str(if last { "\n" } else { ",\n" });
            };
        section(&mut text, "items", lines(&self.items), false);
        section(&mut text, "documents", lines(&self.documents), true);
        text.push_str("}\n");
        text
    }
}

/// Each entry as its key and one line of JSON.
fn lines<T: Serialize>(map: &BTreeMap<String, T>) -> Vec<(String, String)> {
    map.iter()
        .map(|(k, v)| (k.clone(), serde_json::to_string(v).expect("serializable")))
        .collect()
}

/// A stable 64-bit FNV-1a hash of `text`, as 16 hex digits.
pub fn hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_versions() {
        let mut s = State::parse(None).unwrap();
        s.items.insert(
            "jira:P-1".into(),
            ItemState {
                id: "S-1".into(),
                fields: [("status".to_string(), FieldValue::Text("done".into()))].into(),
                body: hash("x"),
                kept: vec!["owner".into()],
            },
        );
        let text = s.to_text();
        assert_eq!(State::parse(Some(text.as_bytes())).unwrap(), s);
        assert!(State::parse(Some(b"{\"version\":2}")).is_err());
        assert!(State::parse(Some(b"nonsense")).is_err());
        assert_eq!(hash(""), "cbf29ce484222325");
    }
}
