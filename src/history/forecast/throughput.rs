//! Throughput: how much work of one kind entered `done` on each calendar day (UTC) of a window.

use crate::config::Category;
use crate::history::{History, ItemHistory};

const DAY: i64 = 86_400;

/// The sampling window: one value per calendar day, empty days included.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Window {
    /// First day (days since 1970-01-01), inclusive.
    pub since: i64,
    /// Last day, inclusive.
    pub until: i64,
    /// Stories done on each day.
    pub stories: Vec<f64>,
    /// Points done on each day (an unestimated story counts as the typical estimate).
    pub points: Vec<f64>,
    /// Stories done in the window.
    pub done: usize,
    /// Points done in the window.
    pub done_points: f64,
    /// Stories done in the window without an estimate.
    pub unestimated: usize,
}

impl Window {
    /// Number of days in the window (0 when it is empty).
    pub fn days(&self) -> usize {
        (self.until - self.since + 1).max(0) as usize
    }
}

/// The day (days since 1970-01-01, UTC) on which the item was finished as of the end of day
/// `until`: the time of its last entry into `done`, provided it was still done then. A story
/// reopened and done again counts once, on its last entry; one first seen already done counts on
/// the day it was first seen (its first transition); one deleted while done stays done.
pub fn done_day(h: &ItemHistory, until: i64) -> Option<i64> {
    let end = (until + 1) * DAY;
    let (time, category) = h.transitions.iter().rev().find(|(t, _)| *t < end)?;
    (*category == Category::Done).then(|| time.div_euclid(DAY))
}

/// The day the plan's history starts: the first commit in which any item appears.
pub fn first_day(history: &History) -> Option<i64> {
    history
        .items
        .values()
        .map(|h| h.first_seen.div_euclid(DAY))
        .min()
}

/// Samples the window `since..=until` (days) for items of kind `kind`. `typical` is the estimate
/// given to a done story that has none, in points.
pub fn window(history: &History, kind: usize, since: i64, until: i64, typical: f64) -> Window {
    let mut w = Window {
        since,
        until,
        ..Window::default()
    };
    let days = w.days();
    w.stories = vec![0.0; days];
    w.points = vec![0.0; days];
    for h in history.items.values().filter(|h| h.kind == kind) {
        let Some(day) = done_day(h, until) else {
            continue;
        };
        if day < since {
            continue;
        }
        let slot = (day - since) as usize;
        let points = h.estimate.unwrap_or_else(|| {
            w.unestimated += 1;
            typical
        });
        w.stories[slot] += 1.0;
        w.points[slot] += points;
        w.done += 1;
        w.done_points += points;
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(transitions: &[(i64, Category)]) -> ItemHistory {
        ItemHistory {
            id: "S-1".into(),
            kind: 1,
            first_seen: transitions[0].0,
            entered: [None; 4],
            transitions: transitions.to_vec(),
            category: transitions.last().map(|t| t.1),
            estimate: Some(3.0),
            parent: None,
            last_change: 0,
            last_change_commit: String::new(),
            substance_change: None,
        }
    }

    #[test]
    fn reopened_counts_once_on_the_last_entry() {
        let h = story(&[
            (DAY, Category::Todo),
            (3 * DAY, Category::Done),
            (5 * DAY + 10, Category::Doing),
            (8 * DAY + 10, Category::Done),
        ]);
        assert_eq!(done_day(&h, 10), Some(8));
        assert_eq!(done_day(&h, 6), None, "reopened at the end of day 6");
        assert_eq!(done_day(&h, 4), Some(3));
    }

    #[test]
    fn created_done_counts_on_its_first_day() {
        let h = story(&[(4 * DAY + 3600, Category::Done)]);
        assert_eq!(done_day(&h, 9), Some(4));
    }
}
