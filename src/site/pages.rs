//! The data of the pages the site has beyond the reports: an item, a document, the board.

use super::links::{Repo, Resolver};
use super::markdown::{self, Rendered};
use super::paths::{encode, Paths};
use crate::config::Category;
use crate::model::{CustomValue, Item, KeyResult};
use crate::plan::Plan;
use crate::priority::rank::{self, Ranked};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};

/// What every item page needs from the whole plan, computed once.
pub struct Shared<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// The site's pages.
    pub paths: &'a Paths,
    /// Rank of every item within its kind (open and closed), by index.
    pub ranks: HashMap<usize, Ranked>,
    /// Items of each kind, for "rank N of M".
    pub kind_counts: HashMap<usize, usize>,
    /// The 85 % forecast date of each open goal, by id (from the roadmap's context).
    pub forecast: HashMap<String, Value>,
    /// The repository's web interface.
    pub repo: Option<&'a Repo>,
}

impl<'a> Shared<'a> {
    /// Ranks every kind once.
    pub fn new(plan: &'a Plan, paths: &'a Paths, roadmap: &Value, repo: Option<&'a Repo>) -> Self {
        let mut ranks = HashMap::new();
        let mut kind_counts = HashMap::new();
        for kind in &plan.config.kinds {
            let opts = rank::RankOptions {
                kind: Some(kind.name.clone()),
                under: None,
                all: true,
            };
            let ranked = rank::rank(plan, plan.config.method, &opts);
            if let Some(first) = ranked.first() {
                kind_counts.insert(plan.items[first.item].kind, ranked.len());
            }
            for r in ranked {
                ranks.insert(r.item, r);
            }
        }
        let forecast = roadmap["goals"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|g| Some((g["id"].as_str()?.to_string(), g.clone())))
            .collect();
        Shared {
            plan,
            paths,
            ranks,
            kind_counts,
            forecast,
            repo,
        }
    }

    /// A link to an item: id, title, status and its page (relative to `root`), or `missing`.
    pub fn item_ref(&self, id: &str, root: &str) -> Value {
        match self.plan.by_id.get(id) {
            Some(&i) => {
                let it = &self.plan.items[i];
                json!({
                    "id": it.id,
                    "title": it.title,
                    "kind": self.plan.kind_name(it),
                    "status": it.status,
                    "category": it.category,
                    "estimate": it.estimate,
                    "href": self.paths.item(self.plan, id).map(|p| format!("{root}{}", encode(&p))),
                    "missing": false,
                })
            }
            None => {
                json!({ "id": id, "title": null, "status": null, "category": null, "href": null, "missing": true })
            }
        }
    }
}

/// A custom field's value as text.
fn custom_text(v: &CustomValue) -> String {
    match v {
        CustomValue::Str(s) => s.clone(),
        CustomValue::Num(n) => crate::model::fmt_num(*n),
        CustomValue::Bool(b) => b.to_string(),
        CustomValue::List(l) => l.join(", "),
    }
}

fn key_result(k: &KeyResult) -> Value {
    match k {
        KeyResult::Text(t) => json!({ "text": t, "metric": null, "target": null, "current": null }),
        KeyResult::Metric {
            metric,
            target,
            current,
        } => json!({ "text": metric, "metric": metric, "target": target, "current": current }),
    }
}

/// The item page's data (the `item` of `site/item.html`), and its body's text for the search.
pub fn item(
    shared: &Shared,
    resolver: &Resolver,
    index: usize,
    body: &str,
    root: &str,
) -> (Value, Rendered) {
    let plan = shared.plan;
    let it: &Item = &plan.items[index];
    let rendered = markdown::render(body, &it.file, resolver, root, false);
    let refs = |ids: Vec<String>| -> Vec<Value> {
        ids.iter().map(|id| shared.item_ref(id, root)).collect()
    };
    let mut ancestors: Vec<String> = plan
        .ancestors(index)
        .into_iter()
        .map(|a| plan.items[a].id.clone())
        .collect();
    ancestors.reverse();
    let children = plan.children[index]
        .iter()
        .map(|&c| plan.items[c].id.clone())
        .collect();
    let dependents = plan.dependents[index]
        .iter()
        .map(|&c| plan.items[c].id.clone())
        .collect();
    let depends_on = it.depends_on.iter().map(|d| d.id.clone()).collect();
    let ranked = shared.ranks.get(&index);
    let (moscow, inherited) = rank::effective_moscow(plan, index);
    let score = ranked.map(|r| &r.score);
    let progress = crate::query::progress(plan, index);
    let sprint = it.sprint.as_ref().map(|s| {
        json!({
            "name": s.id,
            "href": shared.paths.sprints.get(&s.id).map(|p| format!("{root}{}", encode(p))),
        })
    });
    let forecast = shared.forecast.get(&it.id);
    let item = json!({
        "id": it.id,
        "kind": plan.kind_name(it),
        "title": it.title,
        "status": it.status,
        "category": it.category,
        "file": it.file,
        "statement": it.statement,
        "moscow": moscow.map(|m| m.as_str()),
        "moscow_inherited_from": inherited,
        "method": plan.config.method.as_str(),
        "score": score.and_then(|s| s.as_ref().ok()).map(|s| s.value),
        "arithmetic": score.and_then(|s| s.as_ref().ok()).map(|s| s.arithmetic.clone()),
        "unscored_because": score.and_then(|s| s.as_ref().err()).cloned(),
        "rank": ranked.map(|r| r.rank),
        "rank_of": shared.kind_counts.get(&it.kind),
        "pulled_up_by": ranked.and_then(|r| r.pulled_up_by.clone()),
        "estimate": it.estimate,
        "sprint": sprint,
        "horizon": it.horizon,
        "owner": crate::model::joined_names(&it.owner),
        "assignee": crate::model::joined_names(&it.assignee),
        "tags": it.tags,
        "key_results": it.key_results.iter().map(key_result).collect::<Vec<_>>(),
        "custom": it.custom.iter().map(|(k, v)| json!({ "name": k, "value": custom_text(v) })).collect::<Vec<_>>(),
        "ancestors": refs(ancestors),
        "parent": it.parent.as_ref().map(|p| shared.item_ref(&p.id, root)),
        "children": refs(children),
        "depends_on": refs(depends_on),
        "dependents": refs(dependents),
        "progress": progress.map(|p| json!({ "ratio": p.ratio, "done": p.done, "total": p.total, "unit": p.unit })),
        "criteria": it.criteria.map(|(done, total)| json!({ "done": done, "total": total })),
        "forecast_p85": forecast.map(|g| g["forecast_p85"].clone()),
        "forecast_remaining": forecast.map(|g| g["forecast_remaining"].clone()),
        "body": rendered.html,
        "source_url": shared.repo.map(|r| r.file(&it.file)),
        "edit_url": shared.repo.map(|r| r.edit(&it.file)),
    });
    (item, rendered)
}

/// A document page's data (`doc` of `site/doc.html`): its title is its first heading, else its
/// file name.
pub fn doc(
    shared: &Shared,
    resolver: &Resolver,
    path: &str,
    body: &str,
    root: &str,
) -> (Value, Rendered) {
    let rendered = markdown::render(body, path, resolver, root, true);
    let title = first_heading(body).unwrap_or_else(|| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name.strip_suffix(".md").unwrap_or(name).to_string()
    });
    let doc = json!({
        "title": title,
        "file": path,
        "body": rendered.html,
        "source_url": shared.repo.map(|r| r.file(path)),
        "edit_url": shared.repo.map(|r| r.edit(path)),
    });
    (doc, rendered)
}

/// The text of a body's first heading, if it has one.
pub fn first_heading(body: &str) -> Option<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut text: Option<String> = None;
    for e in Parser::new(body) {
        match e {
            Event::Start(Tag::Heading { .. }) => text = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(s) = text.as_mut() {
                    s.push_str(&t)
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                return text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
            }
            _ => {}
        }
    }
    None
}

/// The board: a column per status of the leaf kind, in the kind's order, a card per item of it
/// in rank order, and what its filters offer.
pub fn board(shared: &Shared, root: &str) -> Value {
    let plan = shared.plan;
    let leaf = crate::kinds::leaf(plan);
    let kind = plan.config.kind(&leaf.name);
    let statuses: Vec<(String, Category)> = kind.map(|k| k.statuses.clone()).unwrap_or_default();
    let mut members: Vec<usize> = (0..plan.items.len())
        .filter(|&i| plan.by_id.get(&plan.items[i].id) == Some(&i))
        .filter(|&i| plan.kind_name(&plan.items[i]) == leaf.name)
        .collect();
    members.sort_by_key(|i| {
        (
            shared.ranks.get(i).map_or(usize::MAX, |r| r.rank),
            plan.items[*i].number,
        )
    });
    let mut people = BTreeSet::new();
    let mut tags = BTreeSet::new();
    let mut goals_used = BTreeSet::new();
    let mut unsprinted = false;
    let mut columns: Vec<(Option<String>, Option<Category>, Vec<Value>)> = statuses
        .iter()
        .map(|(s, c)| (Some(s.clone()), Some(*c), Vec::new()))
        .collect();
    let mut unknown = Vec::new();
    for i in members {
        let it = &plan.items[i];
        let goal = plan.ancestors(i).last().copied();
        let owners: Vec<String> = [&it.owner, &it.assignee]
            .into_iter()
            .flatten()
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        people.extend(owners.iter().cloned());
        tags.extend(it.tags.iter().cloned());
        if let Some(g) = goal {
            goals_used.insert(g);
        }
        if it.sprint.is_none() {
            unsprinted = true;
        }
        let (moscow, inherited) = rank::effective_moscow(plan, i);
        let card = json!({
            "id": it.id,
            "title": it.title,
            "href": format!("{root}{}", encode(&super::paths::item_page(&it.id))),
            "status": it.status,
            "category": it.category,
            "goal": goal.map(|g| plan.items[g].id.clone()),
            "goal_title": goal.map(|g| plan.items[g].title.clone()),
            "sprint": it.sprint.as_ref().map(|s| s.id.clone()),
            "people": owners,
            "tags": it.tags,
            "estimate": it.estimate,
            "moscow": moscow.map(|m| m.as_str()),
            "moscow_inherited_from": inherited,
            "rank": shared.ranks.get(&i).map(|r| r.rank),
        });
        match it
            .status
            .as_ref()
            .and_then(|s| statuses.iter().position(|(n, _)| n == s))
        {
            Some(col) => columns[col].2.push(card),
            None => unknown.push(card),
        }
    }
    if !unknown.is_empty() {
        columns.push((None, None, unknown));
    }
    let goals: Vec<Value> = crate::report::common::goals_in_order(plan)
        .into_iter()
        .filter(|(g, _, _)| goals_used.contains(g))
        .map(|(g, _, _)| json!({ "id": plan.items[g].id, "title": plan.items[g].title }))
        .collect();
    json!({
        "kind": leaf.name,
        "columns": columns.into_iter().map(|(status, category, cards)| json!({
            "status": status,
            "category": category,
            "cards": cards,
        })).collect::<Vec<_>>(),
        "filters": {
            "sprints": plan.config.sprints.iter().map(|s| json!({ "name": s.name, "start": s.start, "end": s.end })).collect::<Vec<_>>(),
            "unsprinted": unsprinted,
            "goals": goals,
            "people": people,
            "tags": tags,
        },
    })
}
