//! The plan as a graph: goal → story edges and dependency edges, for Mermaid or Graphviz.

use crate::config::Category;
use crate::plan::Plan;
use serde::Serialize;
use std::collections::BTreeSet;

/// One item in the graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// The item's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its kind.
    pub kind: String,
    /// Its status category.
    pub category: Option<Category>,
}

/// What an edge means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// `from` is the parent of `to`.
    Parent,
    /// `to` depends on `from` (`from` comes first).
    DependsOn,
}

/// A directed edge between two item ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// Source id.
    pub from: String,
    /// Target id.
    pub to: String,
    /// What it means.
    pub kind: EdgeKind,
}

/// Nodes and edges, in a stable order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Graph {
    /// Items.
    pub nodes: Vec<Node>,
    /// Relations.
    pub edges: Vec<Edge>,
}

/// The graph of the whole plan, or of one item's subtree (plus the items its members depend on)
/// when `root` is given.
pub fn build(plan: &Plan, root: Option<usize>) -> Graph {
    let members: BTreeSet<usize> = match root {
        None => (0..plan.items.len())
            .filter(|&i| plan.by_id.get(&plan.items[i].id) == Some(&i))
            .collect(),
        Some(r) => {
            let mut set: BTreeSet<usize> = std::iter::once(r).chain(plan.descendants(r)).collect();
            let deps: Vec<usize> = set
                .iter()
                .flat_map(|&i| {
                    plan.items[i]
                        .depends_on
                        .iter()
                        .filter_map(|d| plan.by_id.get(&d.id).copied())
                })
                .collect();
            set.extend(deps);
            set
        }
    };
    let mut order: Vec<usize> = members.iter().copied().collect();
    order.sort_by_key(|&i| (plan.items[i].kind, plan.items[i].number));
    let nodes = order
        .iter()
        .map(|&i| {
            let it = &plan.items[i];
            Node {
                id: it.id.clone(),
                title: it.title.clone(),
                kind: plan.kind_name(it).to_string(),
                category: it.category,
            }
        })
        .collect();
    let mut edges = Vec::new();
    for &i in &order {
        for &c in &plan.children[i] {
            if members.contains(&c) {
                edges.push(Edge {
                    from: plan.items[i].id.clone(),
                    to: plan.items[c].id.clone(),
                    kind: EdgeKind::Parent,
                });
            }
        }
    }
    for &i in &order {
        for d in &plan.items[i].depends_on {
            if plan.by_id.get(&d.id).is_some_and(|t| members.contains(t)) {
                edges.push(Edge {
                    from: d.id.clone(),
                    to: plan.items[i].id.clone(),
                    kind: EdgeKind::DependsOn,
                });
            }
        }
    }
    Graph { nodes, edges }
}

fn node_id(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A Mermaid flowchart: solid arrows from parents to children, dotted arrows from a dependency to
/// the item that needs it; nodes styled by status category.
pub fn mermaid(g: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    for n in &g.nodes {
        let label = format!("{} {}", n.id, n.title).replace('"', "#quot;");
        let (open, close) = if n.kind == "goal" {
            ("([", "])")
        } else {
            ("[", "]")
        };
        out.push_str(&format!("  {}{open}\"{label}\"{close}\n", node_id(&n.id)));
    }
    for e in &g.edges {
        let arrow = match e.kind {
            EdgeKind::Parent => "-->",
            EdgeKind::DependsOn => "-.->",
        };
        out.push_str(&format!(
            "  {} {arrow} {}\n",
            node_id(&e.from),
            node_id(&e.to)
        ));
    }
    out.push_str("  classDef done fill:#dcfce7,stroke:#15803d,color:#14532d\n");
    out.push_str("  classDef doing fill:#dbeafe,stroke:#1d4ed8,color:#1e3a8a\n");
    out.push_str("  classDef todo fill:#f8fafc,stroke:#64748b,color:#0f172a\n");
    out.push_str(
        "  classDef dropped fill:#f1f5f9,stroke:#94a3b8,color:#64748b,stroke-dasharray:4 3\n",
    );
    for cat in Category::ALL {
        let ids: Vec<String> = g
            .nodes
            .iter()
            .filter(|n| n.category == Some(cat))
            .map(|n| node_id(&n.id))
            .collect();
        if !ids.is_empty() {
            out.push_str(&format!("  class {} {}\n", ids.join(","), cat.as_str()));
        }
    }
    out
}

/// A Graphviz digraph with the same conventions as [`mermaid`].
pub fn dot(g: &Graph) -> String {
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let quote = |s: &str| format!("\"{}\"", esc(s));
    let mut out = String::from("digraph plan {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
    for n in &g.nodes {
        let fill = match n.category {
            Some(Category::Done) => "#dcfce7",
            Some(Category::Doing) => "#dbeafe",
            Some(Category::Dropped) => "#f1f5f9",
            _ => "#f8fafc",
        };
        let shape = if n.kind == "goal" {
            ", shape=ellipse"
        } else {
            ""
        };
        let label = format!("\"{}\\n{}\"", esc(&n.id), esc(&n.title));
        out.push_str(&format!(
            "  {} [label={label}, fillcolor=\"{fill}\"{shape}];\n",
            quote(&n.id)
        ));
    }
    for e in &g.edges {
        let style = match e.kind {
            EdgeKind::Parent => "",
            EdgeKind::DependsOn => " [style=dashed, label=\"before\"]",
        };
        out.push_str(&format!(
            "  {} -> {}{style};\n",
            quote(&e.from),
            quote(&e.to)
        ));
    }
    out.push_str("}\n");
    out
}
