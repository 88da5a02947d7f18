//! Dates as trackers write them, turned into `YYYY-MM-DD`.
//!
//! ISO dates and timestamps (`2024-03-12`, `2024-03-12T09:41:00Z`, `2024-03-12 09:41`) keep their
//! date part: GitHub writes UTC, Backlog.md and Jira the exporter's local time, so the day is the
//! one the source shows. Jira's `12/Mar/24 9:41 AM` (and `12-Mar-2024`) use month names. All-number
//! dates (`6/21/2025 16:14`, Backlog.md's legacy `21-06-25`) are ambiguous: [`Order`] says which
//! comes first, and [`Order::guess`] decides it from a whole column, as a person would.

use crate::model::is_date;

/// Which comes first in an all-number date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// `21/06/2025`.
    DayFirst,
    /// `06/21/2025`.
    MonthFirst,
}

impl Order {
    /// Day first when some value's first number cannot be a month, month first when some
    /// value's second number cannot; otherwise `default`.
    pub fn guess<'a>(values: impl Iterator<Item = &'a str>, default: Order) -> Order {
        for v in values {
            if let Some((a, b, _)) = numeric_parts(v) {
                if a > 12 && b <= 12 {
                    return Order::DayFirst;
                }
                if b > 12 && a <= 12 {
                    return Order::MonthFirst;
                }
            }
        }
        default
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The date of `s` as `YYYY-MM-DD`, or `None` when it is not a date this module reads.
pub fn parse(s: &str, order: Order) -> Option<String> {
    let s = s.trim().trim_matches(['"', '\'']);
    if s.len() >= 10 && s.is_char_boundary(10) && is_date(&s[..10]) {
        let rest = &s[10..];
        if rest.is_empty() || rest.starts_with(['T', 't', ' ']) {
            return Some(s[..10].to_string());
        }
    }
    let date = s.split_whitespace().next()?;
    let parts: Vec<&str> = date.split(['/', '-', '.']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let year = |y: &str| -> Option<u32> {
        let n: u32 = y.parse().ok()?;
        match y.len() {
            2 => Some(2000 + n),
            4 => Some(n),
            _ => None,
        }
    };
    let (day, month, y) = if let Some(i) = MONTHS
        .iter()
        .position(|name| m.len() >= 3 && m.to_ascii_lowercase().starts_with(name))
    {
        (d.parse::<u32>().ok()?, i as u32 + 1, year(y)?)
    } else {
        let (a, b, y) = numeric_parts(s)?;
        match order {
            Order::DayFirst => (a, b, y),
            Order::MonthFirst => (b, a, y),
        }
    };
    let out = format!("{y:04}-{month:02}-{day:02}");
    is_date(&out).then_some(out)
}

/// The three numbers of an all-number date, the year widened to four digits.
fn numeric_parts(s: &str) -> Option<(u32, u32, u32)> {
    let date = s.split_whitespace().next()?;
    let parts: Vec<&str> = date.split(['/', '-', '.']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    if ![a, b].iter().all(|p| (1..=2).contains(&p.len())) {
        return None;
    }
    let year: u32 = y.parse().ok()?;
    let year = match y.len() {
        2 => 2000 + year,
        4 => year,
        _ => return None,
    };
    Some((a.parse().ok()?, b.parse().ok()?, year))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formats_trackers_write() {
        let d = Order::DayFirst;
        assert_eq!(parse("2025-08-03", d).as_deref(), Some("2025-08-03"));
        assert_eq!(
            parse("'2026-07-16 21:49'", d).as_deref(),
            Some("2026-07-16")
        );
        assert_eq!(
            parse("2024-03-12T09:41:00Z", d).as_deref(),
            Some("2024-03-12")
        );
        assert_eq!(parse("12/Mar/24 9:41 AM", d).as_deref(), Some("2024-03-12"));
        assert_eq!(
            parse("9/Oct/2025 1:42 PM", d).as_deref(),
            Some("2025-10-09")
        );
        assert_eq!(parse("21-06-25", d).as_deref(), Some("2025-06-21"));
        let m = Order::MonthFirst;
        assert_eq!(parse("6/21/2025 16:14", m).as_deref(), Some("2025-06-21"));
        assert_eq!(parse("soon", d), None);
        assert_eq!(parse("2024-13-01", d), None);
    }

    #[test]
    fn a_column_decides_the_order() {
        let col = ["1/2/2025 10:00", "6/21/2025 16:14"];
        assert_eq!(
            Order::guess(col.into_iter(), Order::DayFirst),
            Order::MonthFirst
        );
        let col = ["1/2/2025", "21/6/2025"];
        assert_eq!(
            Order::guess(col.into_iter(), Order::MonthFirst),
            Order::DayFirst
        );
        assert_eq!(
            Order::guess(["1/2/2025"].into_iter(), Order::DayFirst),
            Order::DayFirst
        );
    }
}
