//! Presentation flags from the page's query string, free of DOM types so they test natively:
//! `?speed=100` starts at 100 simulated seconds per wall second, `?paused` starts paused.

/// Simulated seconds per wall second when the query does not say.
pub const DEFAULT_SPEED: f64 = 10.0;

/// Presentation flags read from the query string.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flags {
    pub speed: f64,
    pub paused: bool,
}

impl Flags {
    pub fn parse(query: &str) -> Flags {
        let mut flags = Flags {
            speed: DEFAULT_SPEED,
            paused: false,
        };
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "speed" => {
                    if let Some(speed) = value
                        .parse::<f64>()
                        .ok()
                        .filter(|speed| speed.is_finite() && *speed > 0.0)
                    {
                        flags.speed = speed;
                    }
                }
                "paused" => flags.paused = value != "false" && value != "0",
                _ => {}
            }
        }
        flags
    }
}

/// `?history=first`: the message history opens by itself on the first message that was
/// dead-lettered (else the first message), so it can be seen without a click.
pub fn history_first(query: &str) -> bool {
    query.split('&').any(|pair| pair == "history=first")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_come_from_the_query() {
        assert_eq!(
            Flags::parse(""),
            Flags {
                speed: DEFAULT_SPEED,
                paused: false
            }
        );
        assert_eq!(
            Flags::parse("speed=100&paused"),
            Flags {
                speed: 100.0,
                paused: true
            }
        );
        assert_eq!(Flags::parse("speed=-3").speed, DEFAULT_SPEED);
        assert_eq!(Flags::parse("speed=NaN").speed, DEFAULT_SPEED);
        assert!(!Flags::parse("paused=false").paused);
    }

    #[test]
    fn history_first_comes_from_the_query() {
        assert!(history_first("speed=100&history=first"));
        assert!(!history_first("speed=100"));
        assert!(!history_first("history=m-3"));
    }
}
