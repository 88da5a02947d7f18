//! Line diffs of two versions of a file, as `diff -u` prints them (`cairn set`, `renumber`).

use std::fmt::Write as _;

/// A unified diff (3 lines of context) of two versions of a file; empty when they are equal.
pub fn unified(old_path: &str, new_path: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = diff_lines(&a, &b);
    if ops.iter().all(|op| matches!(op, Op::Same(..))) {
        return String::new();
    }
    let mut out = format!("--- a/{old_path}\n+++ b/{new_path}\n");
    const CONTEXT: usize = 3;
    let changed: Vec<usize> = (0..ops.len())
        .filter(|&i| !matches!(ops[i], Op::Same(..)))
        .collect();
    let mut i = 0;
    while i < changed.len() {
        let first = changed[i];
        let mut last = first;
        while i + 1 < changed.len() && changed[i + 1] <= last + 2 * CONTEXT + 1 {
            i += 1;
            last = changed[i];
        }
        i += 1;
        let from = first.saturating_sub(CONTEXT);
        let to = (last + CONTEXT + 1).min(ops.len());
        let (mut a_start, mut b_start) = (None, None);
        let (mut a_len, mut b_len) = (0, 0);
        let mut lines = String::new();
        for op in &ops[from..to] {
            match *op {
                Op::Same(x, y) => {
                    a_start.get_or_insert(x);
                    b_start.get_or_insert(y);
                    a_len += 1;
                    b_len += 1;
                    let _ = writeln!(lines, " {}", a[x]);
                }
                Op::Del(x, y) => {
                    a_start.get_or_insert(x);
                    b_start.get_or_insert(y);
                    a_len += 1;
                    let _ = writeln!(lines, "-{}", a[x]);
                }
                Op::Add(x, y) => {
                    a_start.get_or_insert(x);
                    b_start.get_or_insert(y);
                    b_len += 1;
                    let _ = writeln!(lines, "+{}", b[y]);
                }
            }
        }
        let start = |s: Option<usize>, len: usize| s.map_or(0, |s| s + usize::from(len > 0));
        let _ = writeln!(
            out,
            "@@ -{},{a_len} +{},{b_len} @@",
            start(a_start, a_len),
            start(b_start, b_len)
        );
        out.push_str(&lines);
    }
    out
}

/// One line of a diff: kept, deleted or added, with its (old, new) positions.
#[derive(Debug, Clone, Copy)]
enum Op {
    Same(usize, usize),
    Del(usize, usize),
    Add(usize, usize),
}

/// A longest-common-subsequence diff, after trimming the common head and tail.
fn diff_lines(a: &[&str], b: &[&str]) -> Vec<Op> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut ops: Vec<Op> = (0..head).map(|i| Op::Same(i, i)).collect();
    if ma.len().saturating_mul(mb.len()) > 4_000_000 {
        // Too large for an LCS table: pair the lines up by position (still a correct diff).
        let common = ma.len().min(mb.len());
        for k in 0..common {
            if ma[k] == mb[k] {
                ops.push(Op::Same(head + k, head + k));
            } else {
                ops.push(Op::Del(head + k, head + k));
                ops.push(Op::Add(head + k + 1, head + k));
            }
        }
        ops.extend((common..ma.len()).map(|k| Op::Del(head + k, head + common)));
        ops.extend((common..mb.len()).map(|k| Op::Add(head + ma.len(), head + k)));
        ops.extend((0..tail).map(|k| Op::Same(a.len() - tail + k, b.len() - tail + k)));
        return ops;
    }
    // lcs[i][j]: length of the LCS of ma[i..] and mb[j..].
    let mut lcs = vec![vec![0u32; mb.len() + 1]; ma.len() + 1];
    for i in (0..ma.len()).rev() {
        for j in (0..mb.len()).rev() {
            lcs[i][j] = if ma[i] == mb[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < ma.len() || j < mb.len() {
        if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
            ops.push(Op::Same(head + i, head + j));
            i += 1;
            j += 1;
        } else if i < ma.len() && (j == mb.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(Op::Del(head + i, head + j));
            i += 1;
        } else {
            ops.push(Op::Add(head + i, head + j));
            j += 1;
        }
    }
    ops.extend((0..tail).map(|k| Op::Same(a.len() - tail + k, b.len() - tail + k)));
    ops
}
