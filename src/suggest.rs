//! "Did you mean …?" suggestions.

/// The candidate closest to `input`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let needle = input.to_lowercase();
    let len = needle.chars().count();
    // One- and two-letter inputs are too short for an edit to mean anything.
    let limit = match len {
        0..=2 => 0,
        3..=5 => 1,
        _ => len / 3,
    };
    candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let related = len >= 3
                && (lower.starts_with(&needle) || needle.starts_with(&lower) && lower.len() >= 3);
            if !related && lower.chars().count().abs_diff(len) > limit {
                return None; // cheap pre-filter: the distance is at least the length difference
            }
            let d = strsim::damerau_levenshtein(&needle, &lower);
            (d <= limit || related).then_some((d, c))
        })
        .min_by_key(|&(d, c)| (d, c.len(), c))
        .map(|(_, c)| c)
}

/// A `help:` text for a suggestion, if there is one.
pub fn help<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let statuses = ["draft", "ready", "in-progress", "review", "done"];
        assert_eq!(did_you_mean("in-progres", statuses), Some("in-progress"));
        assert_eq!(did_you_mean("inprogress", statuses), Some("in-progress"));
        assert_eq!(did_you_mean("Done", statuses), Some("done"));
        assert_eq!(did_you_mean("banana", statuses), None);
        assert_eq!(did_you_mean("musthave", ["must", "should"]), Some("must"));
        assert_eq!(did_you_mean("E", ["G", "S"]), None);
        assert_eq!(did_you_mean("g", ["G", "S"]), Some("G"));
    }
}
