//! Durations on the command line: `90s`, `15m`, `1h`, `2d`, or plain seconds (`3600`,
//! `0.5`).

use loosely_engine::SimTime;

/// Parses a duration into a simulated time from zero.
pub fn parse_duration(text: &str) -> Result<SimTime, String> {
    let trimmed = text.trim();
    let (number, unit_seconds) = match trimmed.char_indices().last() {
        Some((at, 's')) => (&trimmed[..at], 1.0),
        Some((at, 'm')) => (&trimmed[..at], 60.0),
        Some((at, 'h')) => (&trimmed[..at], 3_600.0),
        Some((at, 'd')) => (&trimmed[..at], 86_400.0),
        _ => (trimmed, 1.0),
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("\"{text}\" is not a duration (examples: 90s, 15m, 1h, 2d, 3600)"))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!(
            "\"{text}\" is not a duration: it must be a finite number >= 0"
        ));
    }
    Ok(SimTime::from_secs_f64(value * unit_seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_plain_seconds() {
        assert_eq!(parse_duration("90s"), Ok(SimTime::from_secs(90)));
        assert_eq!(parse_duration("15m"), Ok(SimTime::from_secs(900)));
        assert_eq!(parse_duration("1h"), Ok(SimTime::from_secs(3_600)));
        assert_eq!(parse_duration("2d"), Ok(SimTime::from_secs(172_800)));
        assert_eq!(parse_duration("3600"), Ok(SimTime::from_secs(3_600)));
        assert_eq!(parse_duration("1.5m"), Ok(SimTime::from_secs(90)));
    }

    #[test]
    fn nonsense_is_refused() {
        for text in ["", "h", "-1s", "abc", "1x", "NaN", "inf"] {
            assert!(parse_duration(text).is_err(), "{text}");
        }
    }
}
