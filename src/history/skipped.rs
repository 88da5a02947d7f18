//! What a walk could not read. Odd repositories are common (partial clones, missing objects,
//! a plan folder that was a file once): history skips what git cannot give, says once how much it
//! skipped and why, and reports on the rest.

/// What a walk left out because git could not read it. Serialized as the `skipped` object of the
/// JSON documents that come from history (`report metrics`, `stale`).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Skipped {
    /// Commits whose plan folder could not be read (a tree is missing). Their changes are dated by
    /// the next commit that can be read.
    pub commits: usize,
    /// Distinct versions of plan files that could not be read (a blob is missing). Each is left
    /// out: the item keeps the state of its last version that can be read.
    pub blobs: usize,
    /// The first object that could not be read, in git's words.
    #[serde(rename = "reason")]
    pub first: Option<String>,
    /// The repository is a partial clone: the objects were left out on purpose and can be fetched.
    pub partial_clone: bool,
    /// The plan folder in the repository (`plan`, `docs/plan`; empty at the top).
    #[serde(skip)]
    pub plan_dir: String,
}

impl Skipped {
    /// True when the walk read everything.
    pub fn is_empty(&self) -> bool {
        self.commits == 0 && self.blobs == 0
    }

    /// Records one object that could not be read.
    pub(super) fn note(&mut self, error: &git2::Error) {
        self.first
            .get_or_insert_with(|| error.message().to_string());
    }

    /// One line for the user: what was skipped out of what was walked (`commits` commits,
    /// `blobs` versions of plan files), why, and how to get it. `None` when nothing was skipped.
    pub fn summary(&self, commits: usize, blobs: usize) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let (place, dir) = if self.plan_dir.is_empty() {
            ("the plan".to_string(), ".".to_string())
        } else {
            (format!("{}/", self.plan_dir), self.plan_dir.clone())
        };
        let mut parts = Vec::new();
        if self.commits > 0 {
            parts.push(format!(
                "{place} in {} of {commits} commit{}",
                self.commits,
                plural(commits)
            ));
        }
        if self.blobs > 0 {
            parts.push(format!(
                "{} of {blobs} plan file version{}",
                self.blobs,
                plural(blobs)
            ));
        }
        let what = parts.join(" and ");
        Some(if self.partial_clone {
            format!(
                "history skipped {what}, missing from this partial clone; the rest is reported \
                 (`git log -p -- {dir} >/dev/null` fetches what is missing)"
            )
        } else {
            let why = self.first.as_deref().unwrap_or("an object is missing");
            format!(
                "history skipped {what} that git cannot read ({why}); the rest is reported \
                 (`git fsck` lists what is missing)"
            )
        })
    }
}

/// True when the repository is a partial clone (`extensions.partialClone`, or a promisor remote).
pub(super) fn is_partial_clone(repo: &git2::Repository) -> bool {
    let Ok(config) = repo.config() else {
        return false;
    };
    if config.get_string("extensions.partialclone").is_ok() {
        return true;
    }
    let Ok(entries) = config.entries(Some(r"remote\..*\.promisor")) else {
        return false;
    };
    let mut promisor = false;
    let _ = entries.for_each(|e| {
        promisor |= e.value().is_some_and(|v| v.eq_ignore_ascii_case("true"));
    });
    promisor
}

#[cfg(test)]
mod tests {
    use super::Skipped;

    #[test]
    fn says_nothing_when_nothing_was_skipped() {
        assert_eq!(Skipped::default().summary(10, 20), None);
    }

    #[test]
    fn counts_what_it_skipped_out_of_what_it_walked() {
        let s = Skipped {
            commits: 2,
            blobs: 1,
            first: Some("object not found - no match for id (0becdd3f)".into()),
            partial_clone: false,
            plan_dir: "backlog".into(),
        };
        assert_eq!(
            s.summary(6, 1).unwrap(),
            "history skipped backlog/ in 2 of 6 commits and 1 of 1 plan file version that git \
             cannot read (object not found - no match for id (0becdd3f)); the rest is reported \
             (`git fsck` lists what is missing)"
        );
    }

    #[test]
    fn a_partial_clone_says_how_to_fetch() {
        let s = Skipped {
            blobs: 3,
            partial_clone: true,
            ..Skipped::default()
        };
        assert_eq!(
            s.summary(4, 9).unwrap(),
            "history skipped 3 of 9 plan file versions, missing from this partial clone; the rest \
             is reported (`git log -p -- . >/dev/null` fetches what is missing)"
        );
    }
}
