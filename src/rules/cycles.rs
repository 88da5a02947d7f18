//! `dependency-cycle`: one finding per group of items that depend on each other, with the cycle
//! listed in order from its smallest id.

use crate::diagnostic::{Diagnostic, Rule};
use crate::plan::Plan;
use std::collections::VecDeque;

pub(super) fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let n = plan.items.len();
    let edges: Vec<Vec<usize>> = plan
        .items
        .iter()
        .map(|it| {
            it.depends_on
                .iter()
                .filter_map(|d| plan.by_id.get(&d.id).copied())
                .collect()
        })
        .collect();
    for scc in strongly_connected(n, &edges) {
        let self_loop = scc.len() == 1 && edges[scc[0]].contains(&scc[0]);
        if scc.len() < 2 && !self_loop {
            continue;
        }
        let key = |i: usize| (plan.items[i].kind, plan.items[i].number);
        let start = *scc.iter().min_by_key(|&&i| key(i)).expect("non-empty");
        let path = shortest_cycle(start, &scc, &edges);
        let names: Vec<&str> = path.iter().map(|&i| plan.items[i].id.as_str()).collect();
        let first = &plan.items[start];
        let hop = |from: usize, to: usize| {
            plan.items[from]
                .depends_on
                .iter()
                .find(|d| d.id == plan.items[to].id)
                .map(|d| d.span)
                .unwrap_or(plan.items[from].id_span)
        };
        let mut d = Diagnostic::new(
            Rule::DependencyCycle,
            &first.file,
            hop(path[0], path[1]),
            format!("dependency cycle: {}", names.join(" → ")),
        )
        .with_help(format!(
            "remove one of these `depends_on` entries; items in a cycle can never start (e.g. drop {} from {}'s depends_on)",
            names[1], names[0]
        ));
        for w in path.windows(2).skip(1) {
            let from = &plan.items[w[0]];
            d = d.with_related(
                &from.file,
                hop(w[0], w[1]),
                format!("{} depends on {}", from.id, plan.items[w[1]].id),
            );
        }
        out.push(d);
    }
}

/// The shortest path start → … → start inside one strongly connected component.
fn shortest_cycle(start: usize, scc: &[usize], edges: &[Vec<usize>]) -> Vec<usize> {
    let mut prev: std::collections::HashMap<usize, usize> = Default::default();
    let mut queue = VecDeque::from([start]);
    let mut found = None;
    'bfs: while let Some(u) = queue.pop_front() {
        let mut next: Vec<usize> = edges[u]
            .iter()
            .copied()
            .filter(|v| scc.contains(v))
            .collect();
        next.sort_unstable();
        for v in next {
            if v == start {
                found = Some(u);
                break 'bfs;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = prev.entry(v) {
                e.insert(u);
                queue.push_back(v);
            }
        }
    }
    let mut path = vec![start];
    let mut cur = found.unwrap_or(start);
    while cur != start {
        path.push(cur);
        cur = prev[&cur];
    }
    path.push(start);
    let n = path.len();
    path[1..n - 1].reverse();
    path
}

/// Tarjan's algorithm, iterative so long chains cannot overflow the stack.
fn strongly_connected(n: usize, edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const NONE: usize = usize::MAX;
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut counter = 0;
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(top) = work.last_mut() {
            let v = top.0;
            if top.1 == 0 && index[v] == NONE {
                index[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(top.1) {
                top.1 += 1;
                if index[w] == NONE {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(comp);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cycles_and_their_order() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 → 0
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        let mut sccs = strongly_connected(5, &edges);
        sccs.iter_mut().for_each(|c| c.sort());
        assert!(sccs.contains(&vec![0, 1, 2]));
        assert_eq!(shortest_cycle(0, &[0, 1, 2], &edges), vec![0, 1, 2, 0]);
        assert_eq!(shortest_cycle(3, &[3], &edges), vec![3, 3]);
    }
}
