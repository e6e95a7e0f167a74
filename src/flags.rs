//! Presentation flags from the page's query string, free of DOM types so they test natively:
//! `?speed=100` starts at 100 simulated seconds per wall second, `?paused` starts paused,
//! `?embed` shows only the canvas and the play controls (for an iframe), where `?autoplay`
//! starts playing and `?readonly` refuses edits; `?theme=dark|light` picks the theme,
//! `?example=NAME` opens a gallery scenario, and `?t=SECONDS` opens at that simulated moment
//! (paused there), `?engine=VERSION` says which engine made the link.

/// Simulated seconds per wall second when the query does not say.
pub const DEFAULT_SPEED: f64 = 10.0;

/// Presentation flags read from the query string.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flags {
    pub speed: f64,
    pub paused: bool,
    pub embed: bool,
    pub readonly: bool,
    pub theme: Option<&'static str>,
    /// Simulated seconds to open at.
    pub at_seconds: Option<f64>,
}

/// A flag that is on when present, unless it says `false` or `0`.
fn on(value: &str) -> bool {
    value != "false" && value != "0"
}

/// The value of `key` in the query string, if present (`None` for a bare `key`).
pub fn value_of<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

impl Flags {
    pub fn parse(query: &str) -> Flags {
        let mut flags = Flags {
            speed: DEFAULT_SPEED,
            paused: false,
            embed: false,
            readonly: false,
            theme: None,
            at_seconds: None,
        };
        let mut autoplay = None;
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
                "paused" => flags.paused = on(value),
                "embed" => flags.embed = on(value),
                "readonly" => flags.readonly = on(value),
                "autoplay" => autoplay = Some(on(value)),
                "theme" => {
                    flags.theme = match value {
                        "dark" => Some("dark"),
                        "light" => Some("light"),
                        _ => None,
                    }
                }
                "t" => {
                    flags.at_seconds = value
                        .parse::<f64>()
                        .ok()
                        .filter(|t| t.is_finite() && *t >= 0.0)
                }
                _ => {}
            }
        }
        // An embedded playground waits for a press of play unless it says `autoplay`; a
        // pinned moment opens paused there.
        if flags.embed {
            flags.paused = !autoplay.unwrap_or(false) || flags.paused;
        } else if autoplay == Some(true) {
            flags.paused = false;
        }
        if flags.at_seconds.is_some() {
            flags.paused = true;
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
        let plain = Flags::parse("");
        assert_eq!(
            (plain.speed, plain.paused, plain.embed),
            (DEFAULT_SPEED, false, false)
        );
        let slow = Flags::parse("speed=100&paused");
        assert_eq!((slow.speed, slow.paused), (100.0, true));
        assert_eq!(Flags::parse("speed=-3").speed, DEFAULT_SPEED);
        assert_eq!(Flags::parse("speed=NaN").speed, DEFAULT_SPEED);
        assert!(!Flags::parse("paused=false").paused);
    }

    #[test]
    fn embed_flags_come_from_the_query() {
        let embedded = Flags::parse("embed");
        assert!(embedded.embed && embedded.paused && !embedded.readonly);
        let playing = Flags::parse("embed&autoplay&readonly&theme=dark");
        assert!(playing.embed && !playing.paused && playing.readonly);
        assert_eq!(playing.theme, Some("dark"));
        assert_eq!(Flags::parse("theme=purple").theme, None);
        let pinned = Flags::parse("t=90.5&select=orders");
        assert_eq!(pinned.at_seconds, Some(90.5));
        assert!(pinned.paused);
        assert_eq!(Flags::parse("t=-1").at_seconds, None);
        assert_eq!(
            value_of("a=1&example=fifo-ordering", "example"),
            Some("fifo-ordering")
        );
        assert_eq!(value_of("example", "example"), None);
    }

    #[test]
    fn history_first_comes_from_the_query() {
        assert!(history_first("speed=100&history=first"));
        assert!(!history_first("speed=100"));
        assert!(!history_first("history=m-3"));
    }
}
