//! Parsing the date and time formats found in price files, without a date library.
//!
//! Accepted: `YYYY-MM-DD` (or `/`), ISO 8601 date-times (`T` or space, optional seconds, fraction,
//! `Z` or `±HH:MM` offset), month-name dates (`Jan 1 2000`, `Mar 12, 2020`), compact `YYYYMMDD`,
//! and unix timestamps in seconds, milliseconds (≥ 10¹¹) or microseconds (≥ 10¹⁴), as exchanges
//! export them. Results are unix seconds (UTC), limited to the years 1900–2199.

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn date(y: i64, m: u32, d: u32) -> Option<i64> {
    if !(1900..=2199).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400)
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// `HH:MM[:SS[.fff]][Z|±HH:MM|±HHMM]` → seconds after midnight minus the offset.
fn time_of_day(s: &str) -> Option<i64> {
    let (clock, offset) = if let Some(c) = s.strip_suffix('Z').or_else(|| s.strip_suffix('z')) {
        (c, 0)
    } else if let Some(pos) = s.rfind(['+', '-']) {
        let (c, off) = s.split_at(pos);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let off = off.get(1..)?.replace(':', "");
        if off.len() != 4 {
            return None;
        }
        let (h, m) = (num(off.get(..2)?)?, num(off.get(2..)?)?);
        if h > 14 || m > 59 {
            return None;
        }
        (c, sign * (h as i64 * 3600 + m as i64 * 60))
    } else {
        (s, 0)
    };
    let clock = clock.split('.').next()?;
    let parts: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    let h = num(parts[0])?;
    let m = num(parts[1])?;
    let sec = if parts.len() == 3 { num(parts[2])? } else { 0 };
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    Some(h as i64 * 3600 + m as i64 * 60 + sec as i64 - offset)
}

fn iso(s: &str) -> Option<i64> {
    let (d, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim())),
        None => (s, None),
    };
    let sep = if d.contains('-') { '-' } else { '/' };
    let p: Vec<&str> = d.split(sep).collect();
    if p.len() != 3 || p[0].len() != 4 {
        return None;
    }
    let day = date(num(p[0])? as i64, num(p[1])?, num(p[2])?)?;
    match rest {
        None | Some("") => Some(day),
        Some(t) => Some(day + time_of_day(t)?),
    }
}

fn month_name(s: &str) -> Option<i64> {
    let cleaned = s.replace(',', " ");
    let p: Vec<&str> = cleaned.split_whitespace().collect();
    if p.len() != 3 || p[0].len() < 3 {
        return None;
    }
    let m = MONTHS
        .iter()
        .position(|m| p[0].get(..3).is_some_and(|x| x.eq_ignore_ascii_case(m)))? as u32
        + 1;
    date(num(p[2])? as i64, m, num(p[1])?)
}

fn unix(s: &str) -> Option<i64> {
    let int = s.split('.').next()?;
    if int.is_empty() || int.len() > 19 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(frac) = s.split('.').nth(1) {
        if !frac.bytes().all(|b| b.is_ascii_digit()) || s.split('.').count() > 2 {
            return None;
        }
    }
    let n: i64 = int.parse().ok()?;
    if int.len() == 8 {
        // compact YYYYMMDD
        let (y, m, d) = (n / 10_000, (n / 100 % 100) as u32, (n % 100) as u32);
        if let Some(t) = date(y, m, d) {
            return Some(t);
        }
    }
    let secs = if n >= 100_000_000_000_000 {
        n / 1_000_000
    } else if n >= 100_000_000_000 {
        n / 1000
    } else {
        n
    };
    (secs <= 7_258_118_400).then_some(secs)
}

/// Parses a time field to unix seconds; `None` if it is not a recognised, valid time.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    unix(s).or_else(|| iso(s)).or_else(|| month_name(s))
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn formats() {
        let d = 1_584_000_000 - 1_584_000_000 % 86_400; // 2020-03-12
        assert_eq!(parse_time("2020-03-12"), Some(d));
        assert_eq!(parse_time("2020/03/12"), Some(d));
        assert_eq!(parse_time("20200312"), Some(d));
        assert_eq!(parse_time("Mar 12 2020"), Some(d));
        assert_eq!(parse_time("Mar 12, 2020"), Some(d));
        assert_eq!(parse_time("2020-03-12T01:02:03Z"), Some(d + 3723));
        assert_eq!(parse_time("2020-03-12 01:02"), Some(d + 3720));
        assert_eq!(
            parse_time("2020-03-12T01:02:03.250+01:00"),
            Some(d + 3723 - 3600)
        );
        assert_eq!(parse_time("1584000000"), Some(1_584_000_000));
        assert_eq!(parse_time("1584000000000"), Some(1_584_000_000));
        assert_eq!(parse_time("1584000000000000"), Some(1_584_000_000));
        assert_eq!(parse_time("1584000000.75"), Some(1_584_000_000));
        assert_eq!(parse_time("2000-01-01"), Some(946_684_800));
        for bad in [
            "",
            "2020-02-30",
            "2020-13-01",
            "2020-03-12T25:00",
            "x",
            "-5",
            "1.2.3",
            "Foo 1 2000",
            "2020-03-12T01:02:03+99:00",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }
}
