//! The goal → story tree and its dependencies, laid out by cairn for an inline SVG.
//!
//! One horizontal lane per root item (a goal), its descendants to the right. An item's column is
//! one past its parent's and past every item of the same lane it depends on (longest path), so
//! dependencies read left to right. Within a column, items sit as near as they can to the middle
//! of what points at them (barycentre), in rank order otherwise, without overlapping. Items under
//! no root share a last lane. Dependencies across lanes are drawn too, dashed.

use crate::plan::Plan;
use serde::Serialize;
use std::collections::HashMap;

/// Width of a node's box.
pub const NODE_W: f64 = 214.0;
/// Height of a node's box.
pub const NODE_H: f64 = 46.0;
/// Horizontal distance between columns.
pub const COL_W: f64 = 262.0;
/// Vertical distance between rows.
pub const ROW_H: f64 = 58.0;
/// Space above and below each lane's nodes.
pub const LANE_PAD: f64 = 14.0;

/// A laid-out graph.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
    /// Lanes top to bottom.
    pub lanes: Vec<Lane>,
    /// Boxes.
    pub nodes: Vec<Node>,
    /// Lines between boxes.
    pub edges: Vec<Edge>,
    /// The same as text: each lane's root and its other items with what they depend on.
    pub outline: Vec<OutlineLane>,
}

/// One lane as text.
#[derive(Debug, Clone, Serialize)]
pub struct OutlineLane {
    /// The root, or null for the lane of items under no root.
    pub root: Option<OutlineItem>,
    /// The other items, column by column.
    pub items: Vec<OutlineItem>,
}

/// One item of an outline.
#[derive(Debug, Clone, Serialize)]
pub struct OutlineItem {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Ids it depends on.
    pub depends_on: Vec<String>,
}

/// The band of one root item and its descendants.
#[derive(Debug, Clone, Serialize)]
pub struct Lane {
    /// The root's id, or null for the lane of items under no root.
    pub id: Option<String>,
    /// Top edge.
    pub y: f64,
    /// Height.
    pub height: f64,
}

/// An item's box.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// Item id.
    pub id: String,
    /// Title, shortened to fit the box.
    pub label: String,
    /// The whole title.
    pub title: String,
    /// Status category, for the colour.
    pub category: Option<&'static str>,
    /// Status as written.
    pub status: Option<String>,
    /// Kind name.
    pub kind: String,
    /// True for the lane's root.
    pub root: bool,
    /// Index of its lane.
    pub lane: usize,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
}

/// A line from one box to another.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    /// `parent` (tree) or `depends` (from the dependency to the item that needs it).
    pub kind: &'static str,
    /// Source id.
    pub from: String,
    /// Target id.
    pub to: String,
    /// True when the two boxes are in different lanes.
    pub cross: bool,
    /// The lane of the target.
    pub lane: usize,
    /// The SVG path (`M … C …`).
    pub path: String,
}

impl Layout {
    /// The lane of the root item `id` alone, moved to the top: the map of one goal.
    pub fn lane(&self, id: &str) -> Option<Layout> {
        let k = self
            .lanes
            .iter()
            .position(|l| l.id.as_deref() == Some(id))?;
        let lane = &self.lanes[k];
        let nodes: Vec<Node> = self
            .nodes
            .iter()
            .filter(|n| n.lane == k)
            .map(|n| Node {
                y: n.y - lane.y,
                lane: 0,
                ..n.clone()
            })
            .collect();
        let at: HashMap<&str, (f64, f64)> =
            nodes.iter().map(|n| (n.id.as_str(), (n.x, n.y))).collect();
        let edges = self
            .edges
            .iter()
            .filter(|e| !e.cross && e.lane == k)
            .filter_map(|e| {
                let (from, to) = (at.get(e.from.as_str())?, at.get(e.to.as_str())?);
                Some(Edge {
                    path: path(*from, *to),
                    lane: 0,
                    ..e.clone()
                })
            })
            .collect();
        let width = nodes.iter().map(|n| n.x).fold(0.0, f64::max) + NODE_W;
        Some(Layout {
            width,
            height: lane.height,
            lanes: vec![Lane {
                id: lane.id.clone(),
                y: 0.0,
                height: lane.height,
            }],
            nodes,
            edges,
            outline: Vec::new(),
        })
    }
}

/// Most characters of a title a box shows.
const LABEL_CHARS: usize = 27;

/// Lays out the whole plan.
pub fn layout(plan: &Plan) -> Layout {
    let n = plan.items.len();
    let live = |i: usize| plan.by_id.get(&plan.items[i].id) == Some(&i);
    // The lane of each item: its topmost ancestor, or the shared lane (usize::MAX).
    let mut lane_of = vec![usize::MAX; n];
    let mut roots: Vec<usize> = Vec::new();
    let root_kind = crate::kinds::root(plan).name;
    for i in (0..n).filter(|&i| live(i)) {
        let ancestors = plan.ancestors(i);
        match ancestors.last() {
            Some(&top) => lane_of[i] = top,
            None if plan.kind_name(&plan.items[i]) == root_kind || !plan.children[i].is_empty() => {
                lane_of[i] = i;
                roots.push(i);
            }
            None => {}
        }
    }
    // Lanes in the roadmap's order: rank among the roots.
    let order = super::super::report::common::ranks(plan, &root_kind);
    roots.sort_by_key(|r| (order.get(r).map_or(usize::MAX, |o| o.0), *r));
    let leaf_order = super::super::report::common::ranks(plan, &crate::kinds::leaf(plan).name);
    let rank = |i: usize| leaf_order.get(&i).map_or(usize::MAX, |o| o.0);

    let mut lanes_members: Vec<(Option<usize>, Vec<usize>)> =
        roots.iter().map(|&r| (Some(r), Vec::new())).collect();
    lanes_members.push((None, Vec::new()));
    let lane_index: HashMap<usize, usize> = lanes_members
        .iter()
        .enumerate()
        .filter_map(|(k, (r, _))| r.map(|r| (r, k)))
        .collect();
    let shared = Some(lanes_members.len() - 1);
    for i in (0..n).filter(|&i| live(i)) {
        let k = match lane_of[i] {
            usize::MAX => shared,
            top => lane_index.get(&top).copied(),
        };
        if let Some(k) = k {
            lanes_members[k].1.push(i);
        }
    }

    let mut nodes = Vec::new();
    let mut pos: HashMap<usize, (f64, f64, usize)> = HashMap::new(); // x, y, lane
    let mut lanes = Vec::new();
    let mut outline = Vec::new();
    let mut y0 = 0.0;
    let mut max_col = 0usize;
    for (root, members) in &lanes_members {
        if members.is_empty() {
            continue;
        }
        let cols = columns(plan, members, &lane_of);
        // Items by column, each column in rank order to begin with.
        let width = cols.values().copied().max().unwrap_or(0) + 1;
        max_col = max_col.max(width - 1);
        let mut by_col: Vec<Vec<usize>> = vec![Vec::new(); width];
        for &i in members {
            by_col[cols[&i]].push(i);
        }
        let mut rows: HashMap<usize, f64> = HashMap::new();
        for (c, col) in by_col.iter_mut().enumerate() {
            col.sort_by_key(|&i| (rank(i), plan.items[i].kind, plan.items[i].number));
            if c == 0 && root.is_some() {
                continue; // the root is placed last, in the middle of its children
            }
            // Where each item would like to be: the mean row of what points at it.
            let mut wanted: Vec<(f64, usize, usize)> = col
                .iter()
                .enumerate()
                .map(|(order, &i)| {
                    let preds: Vec<f64> = predecessors(plan, i)
                        .filter_map(|p| rows.get(&p).copied())
                        .collect();
                    let w = if preds.is_empty() || c <= 1 {
                        order as f64
                    } else {
                        preds.iter().sum::<f64>() / preds.len() as f64
                    };
                    (w, order, i)
                })
                .collect();
            wanted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut next = 0.0f64;
            for (w, _, i) in wanted {
                let row = w.max(next);
                rows.insert(i, row);
                next = row + 1.0;
            }
        }
        if let Some(r) = root {
            let kids: Vec<f64> = members
                .iter()
                .filter(|&&i| {
                    plan.items[i].parent.is_some() && plan.ancestors(i).first() == Some(r)
                })
                .filter_map(|i| rows.get(i).copied())
                .collect();
            let mid = match (
                kids.iter().copied().reduce(f64::min),
                kids.iter().copied().reduce(f64::max),
            ) {
                (Some(a), Some(b)) => (a + b) / 2.0,
                _ => 0.0,
            };
            for &i in &by_col[0] {
                rows.insert(i, if i == *r { mid } else { 0.0 });
            }
        }
        let height_rows = rows.values().copied().fold(0.0f64, f64::max) + 1.0;
        let height = (height_rows - 1.0) * ROW_H + NODE_H + 2.0 * LANE_PAD;
        for &i in members {
            let x = cols[&i] as f64 * COL_W;
            let y = y0 + LANE_PAD + rows[&i] * ROW_H;
            pos.insert(i, (x, y, lanes.len()));
            let it = &plan.items[i];
            nodes.push(Node {
                id: it.id.clone(),
                // Bold text is wider: a root's label is shorter.
                label: shorten(
                    &it.title,
                    if root == &Some(i) {
                        LABEL_CHARS - 2
                    } else {
                        LABEL_CHARS
                    },
                ),
                title: it.title.clone(),
                category: it.category.map(|c| c.as_str()),
                status: it.status.clone(),
                kind: plan.kind_name(it).to_string(),
                root: root.is_some_and(|r| r == i),
                lane: lanes.len(),
                x,
                y,
            });
        }
        let entry = |i: usize| OutlineItem {
            id: plan.items[i].id.clone(),
            title: plan.items[i].title.clone(),
            depends_on: plan.items[i]
                .depends_on
                .iter()
                .map(|d| d.id.clone())
                .collect(),
        };
        let mut rest: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| Some(i) != *root)
            .collect();
        rest.sort_by(|a, b| cols[a].cmp(&cols[b]).then(rows[a].total_cmp(&rows[b])));
        outline.push(OutlineLane {
            root: root.map(entry),
            items: rest.into_iter().map(entry).collect(),
        });
        lanes.push(Lane {
            id: root.map(|r| plan.items[r].id.clone()),
            y: y0,
            height,
        });
        y0 += height;
    }

    let mut edges = Vec::new();
    for (&i, &(x, y, lane)) in &pos {
        let it = &plan.items[i];
        let to = plan.items[i].id.clone();
        if let Some(&p) = it.parent.as_ref().and_then(|p| plan.by_id.get(&p.id)) {
            if let Some(&(px, py, plane)) = pos.get(&p) {
                edges.push(Edge {
                    kind: "parent",
                    from: plan.items[p].id.clone(),
                    to: to.clone(),
                    cross: plane != lane,
                    lane,
                    path: path((px, py), (x, y)),
                });
            }
        }
        for d in &it.depends_on {
            if let Some(&(dx, dy, dlane)) = plan.by_id.get(&d.id).and_then(|d| pos.get(d)) {
                edges.push(Edge {
                    kind: "depends",
                    from: d.id.clone(),
                    to: to.clone(),
                    cross: dlane != lane,
                    lane,
                    path: path((dx, dy), (x, y)),
                });
            }
        }
    }
    edges.sort_by(|a, b| (a.kind, &a.from, &a.to).cmp(&(b.kind, &b.from, &b.to)));
    nodes.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    Layout {
        width: max_col as f64 * COL_W + NODE_W,
        height: y0,
        lanes,
        nodes,
        edges,
        outline,
    }
}

/// Items a box's position follows: its parent and what it depends on.
fn predecessors(plan: &Plan, i: usize) -> impl Iterator<Item = usize> + '_ {
    let it = &plan.items[i];
    it.parent
        .iter()
        .chain(it.depends_on.iter())
        .filter_map(|r| plan.by_id.get(&r.id).copied())
}

/// The column of each member: longest path from the lane's root over parent and same-lane
/// dependency edges. A dependency cycle (a broken plan) cannot loop: an item's column is only
/// raised while fewer passes than members have run.
fn columns(plan: &Plan, members: &[usize], lane_of: &[usize]) -> HashMap<usize, usize> {
    let mut col: HashMap<usize, usize> = members.iter().map(|&i| (i, 0)).collect();
    for _ in 0..members.len() {
        let mut changed = false;
        for &i in members {
            let want = predecessors(plan, i)
                .filter(|p| lane_of[*p] == lane_of[i] && col.contains_key(p))
                .map(|p| col[&p] + 1)
                .max()
                .unwrap_or(0);
            if want > col[&i] {
                col.insert(i, want);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    col
}

/// The SVG path of a line from the box at `(fx, fy)` to the box at `(tx, ty)`.
fn path((fx, fy): (f64, f64), (tx, ty): (f64, f64)) -> String {
    let (sx, sy) = (fx + NODE_W, fy + NODE_H / 2.0);
    let (ex, ey) = (tx, ty + NODE_H / 2.0);
    // Forward: an S-curve from the right side of one box to the left side of the next. Backward
    // or within a column: out to the right, and back in from the left.
    let bend = if ex > sx {
        ((ex - sx) / 2.0).max(24.0)
    } else {
        40.0
    };
    format!(
        "M{} {}C{} {} {} {} {} {}",
        n(sx),
        n(sy),
        n(sx + bend),
        n(sy),
        n(ex - bend),
        n(ey),
        n(ex),
        n(ey)
    )
}

fn n(v: f64) -> String {
    crate::model::fmt_num(v)
}

/// `s` cut to `max` characters with an ellipsis.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}
