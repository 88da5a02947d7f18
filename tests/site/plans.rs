//! Plans the site tests build: a copy of docs/example, generated plans of any size, and a site
//! written from either.

use crate::common::{git_in, Output, Test};
use std::path::{Path, PathBuf};

/// The date every site is built on: sprint 2027-S2 of docs/example is current.
pub const TODAY: &str = "2027-01-20";

/// A copy of docs/example in a temporary folder (no git repository around it unless a test
/// makes one).
pub fn example() -> Test {
    let t = Test::empty();
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/example"),
        t.path(),
    );
    t
}

/// docs/example committed in a repository of its own, with a fixed date.
pub fn example_in_git() -> Test {
    let t = example();
    git_in(t.path(), &["init", "-q"]);
    git_in(t.path(), &["add", "-A"]);
    git_in(t.path(), &["commit", "-q", "-m", "plan"]);
    t
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `cairn site ARGS --today 2027-01-20` in the plan's root.
pub fn site(t: &Test, args: &[&str]) -> Output {
    let mut all = vec!["site"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--today", TODAY]);
    t.run(&all)
}

/// Builds the site into `_site`, which must succeed; returns its folder.
pub fn built(t: &Test) -> PathBuf {
    let out = site(t, &[]);
    assert_eq!(out.code, 0, "cairn site failed:\n{}", out.stderr);
    t.path().join("_site")
}

/// A page of a built site.
pub fn page(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A plan of `goals` goals with ten stories each: estimates, sprints, owners, tags,
/// dependencies on the previous story, and links to the goal's `#why-now`.
pub fn generated(goals: usize) -> Test {
    let mut t = Test::new().config(
        "sprints:\n  - { name: 2027-S1, start: 2027-01-04, end: 2027-01-15, capacity: 300 }\n  - { name: 2027-S2, start: 2027-01-18, end: 2027-01-29, capacity: 300 }\n",
    );
    let statuses = ["draft", "ready", "in-progress", "review", "done"];
    let people = ["priya", "omar", "lena", "jonas"];
    let mut n = 0;
    for g in 1..=goals {
        let horizon = ["now", "next", "later", "2027-Q3"][g % 4];
        t = t.file(
            &format!("plan/goals/G-{g}.md"),
            format!(
                "---\nid: G-{g}\ntitle: Goal number {g}\nstatus: active\nhorizon: {horizon}\nmoscow: {}\nowner: {}\nrice: {{ reach: {}, impact: 1, confidence: 80%, effort: 2 }}\n---\nWhy goal {g} matters.\n\n## Why now\n\nBecause.\n",
                ["must", "should", "could"][g % 3],
                people[g % 4],
                100 * g
            ),
        );
        for k in 0..10 {
            n += 1;
            let dep = if k > 0 {
                format!("depends_on: [S-{}]\n", n - 1)
            } else {
                String::new()
            };
            let sprint = match n % 3 {
                0 => "sprint: 2027-S1\n",
                1 => "sprint: 2027-S2\n",
                _ => "",
            };
            t = t.file(
                &format!("plan/stories/S-{n}.md"),
                format!(
                    "---\nid: S-{n}\ntitle: Story {n} of goal {g}\nstatus: {}\ngoal: G-{g}\nestimate: {}\n{sprint}{dep}owner: {}\ntags: [t{}, area{}]\nrice: {{ reach: {}, impact: 2, confidence: 50%, effort: 1 }}\n---\nAs a user, I can do thing {n}, so that word{n} happens.\n\n## Acceptance criteria\n- [x] one\n- [ ] two\n\nSee [the goal](../goals/G-{g}.md#why-now).\n",
                    statuses[n % 5],
                    n % 8 + 1,
                    people[n % 4],
                    n % 7,
                    g % 5,
                    n * 3
                ),
            );
        }
    }
    t
}
