//! Calendar arithmetic for history metrics: civil dates, ISO weeks and RFC 3339, in UTC.

/// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since the epoch of `YYYY-MM-DD` at 00:00 UTC.
pub fn parse_date(s: &str) -> Option<i64> {
    if !crate::model::is_date(s) {
        return None;
    }
    let y = s[..4].parse().ok()?;
    let m = s[5..7].parse().ok()?;
    let d = s[8..10].parse().ok()?;
    Some(days_from_civil(y, m, d) * 86_400)
}

/// `2027-01-04T10:00:00Z`.
pub fn rfc3339(t: i64) -> String {
    let (y, m, d) = civil(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// `YYYY-MM-DD` of a time.
pub fn date(t: i64) -> String {
    let (y, m, d) = civil(t.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The ISO week of a time, `2027-W01`.
pub fn iso_week(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let weekday = (days + 3).rem_euclid(7); // Monday = 0
    let thursday = days - weekday + 3;
    let (year, _, _) = civil(thursday);
    let jan1 = days_from_civil(year, 1, 1);
    format!("{year}-W{:02}", (thursday - jan1) / 7 + 1)
}

/// The Monday (00:00 UTC) of the week holding `t`.
pub fn week_start(t: i64) -> i64 {
    let days = t.div_euclid(86_400);
    (days - (days + 3).rem_euclid(7)) * 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_weeks() {
        let t = parse_date("2027-01-04").unwrap() + 10 * 3600;
        assert_eq!(rfc3339(t), "2027-01-04T10:00:00Z");
        assert_eq!(iso_week(t), "2027-W01");
        // 2027-01-03 is a Sunday in the last ISO week of 2026.
        assert_eq!(iso_week(parse_date("2027-01-03").unwrap()), "2026-W53");
        assert_eq!(iso_week(parse_date("2024-12-30").unwrap()), "2025-W01");
        assert_eq!(date(week_start(t + 3 * 86_400)), "2027-01-04");
        assert_eq!(civil(0), (1970, 1, 1));
    }
}
