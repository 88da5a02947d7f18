//! The id under the cursor. The whole token counts, so that `BACK-222.1` is never read as
//! `BACK-222`; in a field that holds ids, a token that is not an id of the plan gets a hover that
//! says why.

use super::complete::{front_matter_end, parent_key};
use super::navigate::At;
use crate::config::Config;
use crate::model::split_id;

/// The token at or just before 0-based character `col`, with its 0-based start: a run of letters,
/// digits, `-`, `_` and `.`, without the `.` that ends a sentence (`see S-14.`).
pub(super) fn token_at(line: &str, col: usize) -> Option<(usize, String)> {
    let chars: Vec<char> = line.chars().collect();
    let is_token = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    let at = if chars.get(col).is_some_and(|&c| is_token(c)) {
        col
    } else if col > 0 && chars.get(col - 1).is_some_and(|&c| is_token(c)) {
        col - 1
    } else {
        return None;
    };
    let start = chars[..at]
        .iter()
        .rposition(|&c| !is_token(c))
        .map_or(0, |p| p + 1);
    let mut end = chars[at..]
        .iter()
        .position(|&c| !is_token(c))
        .map_or(chars.len(), |p| at + p);
    while end > start && chars[end - 1] == '.' {
        end -= 1;
    }
    (end > start && start <= col).then(|| (start, chars[start..end].iter().collect()))
}

/// True when the cursor is on the value of a front-matter field that holds ids: `id`,
/// `depends_on`, or a parent field (`goal`, …).
pub(super) fn in_id_field(at: &At, config: &Config) -> bool {
    let in_front_matter =
        at.line > 1 && front_matter_end(&at.text, &at.lines).is_some_and(|end| at.line < end);
    if !in_front_matter {
        return false;
    }
    let line = at.line_text();
    let key = if line.starts_with([' ', '\t', '-']) {
        parent_key(at)
    } else {
        match line.split_once(':') {
            // Only right of the colon: the key itself is not a value.
            Some((k, _)) if at.column > k.chars().count() + 1 => Some(k.trim().to_string()),
            _ => None,
        }
    };
    key.is_some_and(|k| {
        k == "id" || k == "depends_on" || config.kinds.iter().any(|c| c.parent.as_ref() == Some(&k))
    })
}

/// Why `token` is not an id of a plan under `config`, as Markdown; `None` when it is one (an
/// item may still not exist under it).
pub(super) fn not_an_id(token: &str, config: &Config) -> Option<String> {
    let prefixes = config
        .kinds
        .iter()
        .map(|k| format!("`{}-N` ({})", k.prefix, k.name))
        .collect::<Vec<_>>()
        .join(", ");
    if let Some((prefix, _)) = split_id(token) {
        if config.kind_by_prefix(prefix).is_some() {
            return None;
        }
        return Some(format!(
            "**`{token}` is not an id of this plan**\n\nNo kind has the prefix `{prefix}`; \
             ids here are {prefixes}."
        ));
    }
    let why = match token.split_once('-') {
        None => "it has no `-` between the prefix and the number".to_string(),
        Some((prefix, _))
            if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_uppercase()) =>
        {
            format!("the prefix `{prefix}` is not all capital letters A–Z")
        }
        Some((_, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
            if n.trim_start_matches('0').is_empty() {
                "numbers start at 1".to_string()
            } else {
                format!("`{n}` starts with a zero")
            }
        }
        Some((_, n)) => format!("`{n}` is not a positive integer"),
    };
    Some(format!(
        "**`{token}` is not an id**\n\nIds are `PREFIX-N` with N a positive integer: {why}. \
         Ids here are {prefixes}."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_whole() {
        let line = "depends_on: [S-1, S-12]";
        assert_eq!(token_at(line, 14), Some((13, "S-1".into())));
        // Right after the id still counts.
        assert_eq!(token_at(line, 16), Some((13, "S-1".into())));
        assert_eq!(token_at(line, 18).map(|w| w.1), Some("S-12".into()));
        assert_eq!(token_at("a: é S-2", 6), Some((5, "S-2".into())));
        assert_eq!(token_at("  ", 1), None);
        // A sub-task number is part of the token, wherever the cursor is in it.
        for col in [4, 8, 11, 13] {
            assert_eq!(
                token_at("id: BACK-222.1", col),
                Some((4, "BACK-222.1".into())),
                "{col}"
            );
        }
        // A sentence's full stop is not.
        assert_eq!(token_at("See S-14.", 6), Some((4, "S-14".into())));
        assert_eq!(token_at("See S-14. Then", 8), Some((4, "S-14".into())));
        assert_eq!(token_at("(S-3)", 2), Some((1, "S-3".into())));
    }

    #[test]
    fn reasons_name_what_is_wrong() {
        let c = Config::default();
        let why = |t: &str| not_an_id(t, &c).unwrap_or_default();
        assert!(why("BACK-222.1").contains("`222.1` is not a positive integer"));
        assert!(why("BACK-222.1").starts_with("**`BACK-222.1` is not an id**"));
        assert!(why("s-1").contains("prefix `s` is not all capital"));
        assert!(why("S14").contains("no `-`"));
        assert!(why("S-0").contains("numbers start at 1"));
        assert!(why("S-01").contains("`01` starts with a zero"));
        assert!(why("X-1").contains("No kind has the prefix `X`"));
        assert!(why("X-1").contains("`G-N` (goal), `S-N` (story)"));
        assert_eq!(not_an_id("S-1", &c), None);
    }
}
