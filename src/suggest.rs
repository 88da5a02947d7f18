//! "Did you mean …?" suggestions.

/// The candidate closest to `input`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let needle = input.to_lowercase();
    let limit = (needle.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&needle, &c.to_lowercase()), c))
        .filter(|&(d, c)| d <= limit || c.to_lowercase().starts_with(&needle) && needle.len() >= 3)
        .min_by_key(|&(d, c)| (d, c.len()))
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
    }
}
