//! What to work on now: the highest-ranked `todo` item whose dependencies are done, with why,
//! and why each item ranked above it was passed over.
//!
//! The order is `cairn rank`'s. An item is passed over when it is already being worked on
//! (`doing`), when its MoSCoW class is `wont` (as `sprint plan` skips it), when one of its
//! dependencies is neither done nor dropped, or, when asked for one person's next item, when
//! someone else owns or is assigned to it.

use crate::config::{Category, Method};
use crate::model::{fmt_num, Moscow};
use crate::plan::Plan;
use crate::priority::rank::{self, RankOptions, Ranked};
use serde::Serialize;

/// Most items passed over that are listed one by one; the rest are counted.
pub const PASSED_OVER_LISTED: usize = 25;

/// What to choose from.
#[derive(Debug, Clone, Default)]
pub struct NextOptions {
    /// The kind (default: the plan's leaf kind, usually `story`).
    pub kind: Option<String>,
    /// Only items under this ancestor (a goal).
    pub under: Option<String>,
    /// Ranking method (default: the configured one).
    pub method: Option<Method>,
    /// Only items committed to this sprint.
    pub sprint: Option<String>,
    /// For this person: items owned by or assigned to someone else are passed over.
    pub owner: Option<String>,
}

/// The answer, as the MCP server's `next` tool returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Next {
    /// `1`.
    pub version: u32,
    /// The ranking method.
    pub method: &'static str,
    /// The kind chosen from.
    pub kind: String,
    /// The item to work on, or `None` when nothing qualifies.
    pub item: Option<NextItem>,
    /// Why it was chosen (or why nothing was).
    pub why: Vec<String>,
    /// Items ranked above it that were passed over, best first (at most
    /// [`PASSED_OVER_LISTED`]).
    pub passed_over: Vec<PassedOver>,
    /// How many were passed over in all.
    pub passed_over_count: usize,
}

/// The chosen item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextItem {
    /// Its place in the ranking (1-based, among open items of the kind).
    pub rank: usize,
    /// `S-14`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status as written.
    pub status: Option<String>,
    /// File relative to the plan root.
    pub file: String,
    /// Parent id.
    pub parent: Option<String>,
    /// Story points.
    pub estimate: Option<f64>,
    /// Sprint.
    pub sprint: Option<String>,
    /// MoSCoW class (own or inherited).
    pub moscow: Option<&'static str>,
    /// Score, or `None` when unscored.
    pub score: Option<f64>,
    /// Its dependencies (all done or dropped).
    pub depends_on: Vec<String>,
}

/// An item ranked higher that was not chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassedOver {
    /// Its rank.
    pub rank: usize,
    /// Its id.
    pub id: String,
    /// Why it was passed over.
    pub reason: String,
}

/// The next item to work on in `plan`.
pub fn next(plan: &Plan, options: &NextOptions) -> Next {
    let (method, rank_options) = ranking(plan, options);
    let ranked = rank::rank(plan, method, &rank_options);
    next_in(plan, &ranked, options)
}

/// The method and the ranking [`next`] chooses from.
pub fn ranking(plan: &Plan, options: &NextOptions) -> (Method, RankOptions) {
    let method = options.method.unwrap_or(plan.config.method);
    let kind = options
        .kind
        .clone()
        .unwrap_or_else(|| crate::kinds::leaf(plan).name);
    (
        method,
        RankOptions {
            kind: Some(kind),
            under: options.under.clone(),
            all: false,
        },
    )
}

/// [`next`] from a ranking already made with [`ranking`]'s method and options.
pub fn next_in(plan: &Plan, ranked: &[Ranked], options: &NextOptions) -> Next {
    let (method, rank_options) = ranking(plan, options);
    let kind = rank_options.kind.unwrap_or_default();
    let mut passed_over = Vec::new();
    let mut chosen = None;
    let mut considered = 0;
    for r in ranked {
        let it = &plan.items[r.item];
        if let Some(sprint) = &options.sprint {
            if it.sprint.as_ref().is_none_or(|s| &s.id != sprint) {
                continue;
            }
        }
        considered += 1;
        match reason_to_pass(plan, r, options) {
            Some(reason) => passed_over.push(PassedOver {
                rank: r.rank,
                id: it.id.clone(),
                reason,
            }),
            None => {
                chosen = Some(r);
                break;
            }
        }
    }
    let open = ranked.len();
    let scope = scope(&kind, options);
    let why = match chosen {
        Some(r) => why(plan, r, method, open, &scope),
        None if considered == 0 => vec![format!("no open {scope}")],
        None => vec![format!(
            "every open {scope} is in progress, blocked, won't have or someone else's ({} passed over)",
            passed_over.len()
        )],
    };
    let item = chosen.map(|r| {
        let it = &plan.items[r.item];
        NextItem {
            rank: r.rank,
            id: it.id.clone(),
            title: it.title.clone(),
            status: it.status.clone(),
            file: it.file.clone(),
            parent: it.parent.as_ref().map(|p| p.id.clone()),
            estimate: it.estimate,
            sprint: it.sprint.as_ref().map(|s| s.id.clone()),
            moscow: r.moscow.map(|m| m.as_str()),
            score: r.score.as_ref().ok().map(|s| s.value),
            depends_on: it.depends_on.iter().map(|d| d.id.clone()).collect(),
        }
    });
    let passed_over_count = passed_over.len();
    passed_over.truncate(PASSED_OVER_LISTED);
    Next {
        version: 1,
        method: method.as_str(),
        kind,
        item,
        why,
        passed_over,
        passed_over_count,
    }
}

/// "`story` items under G-3 in sprint 2027-S1", for messages.
fn scope(kind: &str, options: &NextOptions) -> String {
    let mut s = format!("`{kind}` item");
    if let Some(g) = &options.under {
        s.push_str(&format!(" under {g}"));
    }
    if let Some(sp) = &options.sprint {
        s.push_str(&format!(" in sprint {sp}"));
    }
    s
}

/// Why the ranked item `r` cannot be the next one, or `None` when it can.
fn reason_to_pass(plan: &Plan, r: &Ranked, options: &NextOptions) -> Option<String> {
    let it = &plan.items[r.item];
    let status = it.status.as_deref().unwrap_or("no status");
    match it.category {
        Some(Category::Todo) => {}
        Some(Category::Doing) => return Some(format!("already in progress (`{status}`)")),
        _ => return Some(format!("status `{status}` is not a todo status")),
    }
    if r.moscow == Some(Moscow::Wont) {
        return Some(match &r.moscow_from {
            Some(from) => format!("won't have this time (inherited from {from})"),
            None => "won't have this time".into(),
        });
    }
    let blocking: Vec<String> = it
        .depends_on
        .iter()
        .filter_map(|d| match plan.by_id.get(&d.id) {
            None => Some(format!("{}, which is not in the plan", d.id)),
            Some(&i) if plan.items[i].category.is_some_and(Category::is_closed) => None,
            Some(&i) => Some(format!(
                "{} (`{}`)",
                d.id,
                plan.items[i].status.as_deref().unwrap_or("no status")
            )),
        })
        .collect();
    if !blocking.is_empty() {
        return Some(format!("depends on {}, not done yet", blocking.join(", ")));
    }
    if let Some(me) = &options.owner {
        let people = || it.owner.iter().chain(&it.assignee).map(String::as_str);
        let mut others: Vec<&str> = people().filter(|o| o != me).collect();
        others.dedup();
        let mine = people().any(|o| o == me.as_str());
        if !mine && !others.is_empty() {
            return Some(format!("{} already has it", others.join(" and ")));
        }
    }
    None
}

/// Why `r` is the next item.
fn why(plan: &Plan, r: &Ranked, method: Method, open: usize, scope: &str) -> Vec<String> {
    let it = &plan.items[r.item];
    let mut out = vec![format!(
        "ranked {} of {open} open {scope}{} by {}",
        r.rank,
        if open == 1 { "" } else { "s" },
        method.as_str().to_uppercase()
    )];
    match (&r.moscow, &r.moscow_from) {
        (Some(m), Some(from)) => out.push(format!("MoSCoW {m}, inherited from {from}")),
        (Some(m), None) => out.push(format!("MoSCoW {m}")),
        _ => {}
    }
    match &r.score {
        Ok(s) => out.push(format!("score {}: {}", fmt_num(s.value), s.arithmetic)),
        Err(_) if method == Method::Moscow => {}
        Err(why) => out.push(format!("unscored: {why}")),
    }
    if let Some(by) = &r.pulled_up_by {
        out.push(format!("pulled up by {by}, which depends on it"));
    }
    if it.depends_on.is_empty() {
        out.push("it depends on nothing".into());
    } else {
        let ids: Vec<&str> = it.depends_on.iter().map(|d| d.id.as_str()).collect();
        out.push(format!("its dependencies are done: {}", ids.join(", ")));
    }
    let status = it.status.as_deref().unwrap_or("no status");
    let has_ready = plan
        .config
        .kind(plan.kind_name(it))
        .is_some_and(|k| k.statuses.iter().any(|(s, _)| s == "ready"));
    if status == "ready" || !has_ready {
        out.push(format!("status `{status}`"));
    } else {
        out.push(format!(
            "status `{status}`: refine it to `ready` (estimate, acceptance criteria) before starting"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::WorkTree;

    fn plan(files: &[(&str, &str)]) -> (tempfile::TempDir, Plan) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("plan")).unwrap();
        for (id, fm) in files {
            std::fs::write(
                dir.path().join(format!("plan/{id}.md")),
                format!("---\nid: {id}\n{fm}---\n"),
            )
            .unwrap();
        }
        let plan = Plan::load(&WorkTree::new(dir.path())).unwrap();
        (dir, plan)
    }

    const GOAL: (&str, &str) = ("G-1", "title: Goal\nstatus: active\n");

    #[test]
    fn the_best_todo_story_whose_dependencies_are_done() {
        let (_d, p) = plan(&[
            GOAL,
            (
                "S-1",
                "title: A\nstatus: ready\ngoal: G-1\nmoscow: must\ndepends_on: [S-3]\n",
            ),
            (
                "S-2",
                "title: B\nstatus: in-progress\ngoal: G-1\nmoscow: must\n",
            ),
            (
                "S-3",
                "title: C\nstatus: draft\ngoal: G-1\nmoscow: should\ndepends_on: [S-4]\n",
            ),
            ("S-4", "title: D\nstatus: done\ngoal: G-1\n"),
            ("S-5", "title: E\nstatus: ready\ngoal: G-1\nmoscow: could\n"),
        ]);
        let n = next(&p, &NextOptions::default());
        let item = n.item.expect("one qualifies");
        // S-3 is pulled up before S-1, which depends on it; its own dependency S-4 is done.
        assert_eq!(item.id, "S-3");
        assert_eq!(item.depends_on, ["S-4"]);
        assert!(
            n.why
                .iter()
                .any(|w| w == "pulled up by S-1, which depends on it"),
            "{:?}",
            n.why
        );
        assert!(n.why.iter().any(|w| w == "its dependencies are done: S-4"));
        assert!(n
            .why
            .iter()
            .any(|w| w.starts_with("status `draft`: refine it")));
        assert!(
            n.passed_over.is_empty(),
            "S-3 ranks first: {:?}",
            n.passed_over
        );
        assert_eq!(item.rank, 1);
    }

    #[test]
    fn blocked_and_other_peoples_items_are_passed_over_with_why() {
        let (_d, p) = plan(&[
            GOAL,
            (
                "S-1",
                "title: A\nstatus: ready\ngoal: G-1\nmoscow: must\ndepends_on: [S-2, S-9]\n",
            ),
            (
                "S-2",
                "title: B\nstatus: in-progress\ngoal: G-1\nmoscow: must\n",
            ),
            ("S-3", "title: C\nstatus: ready\ngoal: G-1\nmoscow: wont\n"),
            ("S-4", "title: D\nstatus: ready\ngoal: G-1\nassignee: bob\n"),
            ("S-5", "title: E\nstatus: ready\ngoal: G-1\nowner: ana\n"),
        ]);
        let n = next(
            &p,
            &NextOptions {
                owner: Some("ana".into()),
                ..Default::default()
            },
        );
        assert_eq!(n.item.as_ref().map(|i| i.id.as_str()), Some("S-5"));
        let reasons: Vec<&str> = n.passed_over.iter().map(|p| p.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "already in progress (`in-progress`)",
                "depends on S-2 (`in-progress`), S-9, which is not in the plan, not done yet",
                "bob already has it",
            ],
            "{:?}",
            n.passed_over
        );
    }

    #[test]
    fn a_wont_item_is_never_next() {
        let (_d, p) = plan(&[
            GOAL,
            ("S-1", "title: A\nstatus: ready\ngoal: G-1\nmoscow: wont\n"),
        ]);
        let n = next(&p, &NextOptions::default());
        assert!(n.item.is_none());
        assert_eq!(n.passed_over[0].reason, "won't have this time");
    }

    #[test]
    fn nothing_to_do_says_why() {
        let (_d, p) = plan(&[GOAL, ("S-1", "title: A\nstatus: in-progress\ngoal: G-1\n")]);
        let n = next(&p, &NextOptions::default());
        assert!(n.item.is_none());
        assert_eq!(n.passed_over_count, 1);
        assert!(
            n.why[0].starts_with("every open `story` item is in progress"),
            "{:?}",
            n.why
        );
        let n = next(
            &p,
            &NextOptions {
                sprint: Some("2027-S1".into()),
                ..Default::default()
            },
        );
        assert_eq!(n.why, ["no open `story` item in sprint 2027-S1"]);
    }
}
