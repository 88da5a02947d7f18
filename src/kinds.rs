//! Which kind a command means when none is named: the leaf kind (the backlog, `rank`, sprints,
//! metrics) and the root kind (the roadmap, alignment's goals, burn-up).
//!
//! Configured kinds are merged over the built-in `goal` and `story`, so a plan whose own tree is
//! `milestone` → `task` still has `goal` → `story`, empty. Taking the first leaf or root kind in
//! config order would pick those empty built-ins and answer "no open items". So among the kinds
//! that qualify, the first in config order (built-ins first, then `cairn.yaml` order) **that has
//! items** is used; only when none has items is it the first that qualifies. A plan that uses the
//! built-ins keeps them; a plan that uses only its own kinds gets those.

use crate::plan::Plan;

/// Which end of the kind tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// A kind no other kind names as parent (`story`).
    Leaf,
    /// A kind without a parent (`goal`).
    Root,
}

impl End {
    /// `leaf` or `root`.
    pub fn as_str(self) -> &'static str {
        match self {
            End::Leaf => "leaf",
            End::Root => "root",
        }
    }
}

/// The kind chosen, and the others that would have qualified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultKind {
    /// The kind's name.
    pub name: String,
    /// Which end of the tree it was chosen for.
    pub end: End,
    /// Other kinds at the same end that have items too, in config order: when not empty, the
    /// choice was a tie-break worth telling the user about.
    pub also_with_items: Vec<String>,
}

impl DefaultKind {
    /// A note saying which kind was used when several qualified with items, for standard error;
    /// `flag` is how to choose another (`--kind`), when the command has one.
    pub fn note(&self, flag: Option<&str>) -> Option<String> {
        if self.also_with_items.is_empty() {
            return None;
        }
        let others = self
            .also_with_items
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let choose = flag
            .map(|f| format!("; choose another with `{f} KIND`"))
            .unwrap_or_default();
        Some(format!(
            "several {end} kinds have items ({others} besides `{name}`): using `{name}`, the first in config order{choose}",
            end = self.end.as_str(),
            name = self.name,
        ))
    }
}

/// The leaf kind: the kind of the backlog, `rank`, sprint planning and metrics.
pub fn leaf(plan: &Plan) -> DefaultKind {
    let c = &plan.config;
    choose(plan, End::Leaf, |k| !c.has_children(&c.kinds[k].name))
}

/// The root kind: the kind of the roadmap, alignment's goals and the metrics' burn-up.
pub fn root(plan: &Plan) -> DefaultKind {
    choose(plan, End::Root, |k| plan.config.kinds[k].parent.is_none())
}

fn choose(plan: &Plan, end: End, qualifies: impl Fn(usize) -> bool) -> DefaultKind {
    let kinds = &plan.config.kinds;
    let mut counts = vec![0usize; kinds.len()];
    for item in &plan.items {
        counts[item.kind] += 1;
    }
    let candidates: Vec<usize> = (0..kinds.len()).filter(|&k| qualifies(k)).collect();
    let with_items: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&k| counts[k] > 0)
        .collect();
    // Kind parents never form a loop (the config refuses one), so both ends always exist.
    let chosen = with_items
        .first()
        .or(candidates.first())
        .copied()
        .unwrap_or(0);
    DefaultKind {
        name: kinds[chosen].name.clone(),
        end,
        also_with_items: with_items
            .iter()
            .filter(|&&k| k != chosen)
            .map(|&k| kinds[k].name.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::parse::item::parse_file;

    fn plan(config: &str, items: &[(&str, &str)]) -> Plan {
        let config = Config::parse(config, "cairn.yaml").expect("config");
        let parsed = items
            .iter()
            .map(|(id, extra)| {
                let text = format!("---\nid: {id}\ntitle: T\nstatus: x\n{extra}---\n");
                parse_file(&format!("plan/{id}.md"), text.as_bytes(), &config)
            })
            .collect();
        Plan::from_parsed(config, None, None, parsed)
    }

    const MILESTONES: &str =
        "kinds:\n  milestone: { prefix: M }\n  task: { prefix: T, parent: milestone }\n";

    #[test]
    fn the_built_ins_when_they_have_items_or_nothing_does() {
        for p in [
            plan("", &[]),
            plan("", &[("S-1", "")]),
            plan(MILESTONES, &[]),
        ] {
            assert_eq!(leaf(&p).name, "story");
            assert_eq!(root(&p).name, "goal");
            assert_eq!(leaf(&p).note(None), None);
        }
    }

    #[test]
    fn custom_kinds_win_when_only_they_have_items() {
        let p = plan(MILESTONES, &[("M-1", ""), ("T-1", "milestone: M-1\n")]);
        assert_eq!(leaf(&p).name, "task");
        assert_eq!(root(&p).name, "milestone");
        assert!(leaf(&p).also_with_items.is_empty());
    }

    #[test]
    fn several_with_items_take_the_first_and_say_so() {
        let p = plan(MILESTONES, &[("S-1", ""), ("T-1", ""), ("G-1", "")]);
        let l = leaf(&p);
        assert_eq!(l.name, "story");
        assert_eq!(l.also_with_items, ["task"]);
        assert_eq!(
            l.note(Some("--kind")).unwrap(),
            "several leaf kinds have items (`task` besides `story`): using `story`, the first in config order; choose another with `--kind KIND`"
        );
        // Only G-1 is a root item: no tie.
        assert_eq!(root(&p).name, "goal");
        assert_eq!(root(&p).note(None), None);
    }
}
