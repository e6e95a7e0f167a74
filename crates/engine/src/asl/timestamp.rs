//! RFC 3339 timestamps as ASL uses them (`2016-08-18T17:33:00Z`, optional fraction and
//! numeric offset), converted to and from integer microseconds since the Unix epoch.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = if year >= 0 { year } else { year - 399 } / 400;
    let year_of_era = year - era * 400;
    let month_index = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            if leap {
                29
            } else {
                28
            }
        }
    }
}

fn digits(bytes: &[u8], start: usize, count: usize) -> Option<i64> {
    let slice = bytes.get(start..start.checked_add(count)?)?;
    let mut value = 0i64;
    for &byte in slice {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value * 10 + i64::from(byte - b'0');
    }
    Some(value)
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` into microseconds since the
/// Unix epoch. `T` and `Z` must be uppercase, as Step Functions requires.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let year = digits(bytes, 0, 4)?;
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') || bytes.get(10) != Some(&b'T') {
        return None;
    }
    let month = digits(bytes, 5, 2)?;
    let day = digits(bytes, 8, 2)?;
    if bytes.get(13) != Some(&b':') || bytes.get(16) != Some(&b':') {
        return None;
    }
    let hour = digits(bytes, 11, 2)?;
    let minute = digits(bytes, 14, 2)?;
    let second = digits(bytes, 17, 2)?;
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut position = 19;
    let mut micros = 0i64;
    if bytes.get(position) == Some(&b'.') {
        position += 1;
        let start = position;
        let mut scale = 100_000i64;
        while let Some(byte) = bytes.get(position).filter(|byte| byte.is_ascii_digit()) {
            micros += i64::from(byte - b'0') * scale;
            scale /= 10;
            position += 1;
        }
        if position == start {
            return None;
        }
    }
    let offset_seconds = match bytes.get(position) {
        Some(b'Z') => {
            position += 1;
            0
        }
        Some(&sign @ (b'+' | b'-')) => {
            let offset_hours = digits(bytes, position + 1, 2)?;
            if bytes.get(position + 3) != Some(&b':') {
                return None;
            }
            let offset_minutes = digits(bytes, position + 4, 2)?;
            if offset_hours > 23 || offset_minutes > 59 {
                return None;
            }
            position += 6;
            let magnitude = offset_hours * 3600 + offset_minutes * 60;
            if sign == b'+' {
                magnitude
            } else {
                -magnitude
            }
        }
        _ => return None,
    };
    if position != bytes.len() {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        - offset_seconds;
    seconds.checked_mul(1_000_000)?.checked_add(micros)
}

/// Formats microseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (the shape of
/// `$$.Execution.StartTime`).
pub fn format_rfc3339(epoch_micros: i64) -> String {
    let seconds = epoch_micros.div_euclid(1_000_000);
    let millis = epoch_micros.rem_euclid(1_000_000) / 1000;
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let micros = parse_rfc3339("2016-08-18T17:33:00Z");
        assert_eq!(micros, Some(1_471_541_580_000_000));
        assert_eq!(
            format_rfc3339(1_471_541_580_000_000),
            "2016-08-18T17:33:00.000Z"
        );
        assert_eq!(
            parse_rfc3339("2016-08-18T19:33:00.5+02:00"),
            Some(1_471_541_580_500_000)
        );
        assert_eq!(parse_rfc3339("2016-08-18t17:33:00z"), None);
        assert_eq!(parse_rfc3339("2016-02-30T17:33:00Z"), None);
    }
}
