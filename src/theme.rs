//! Light and dark themes: the choice is remembered in the browser (localStorage), and
//! without one the page follows the system's preference.

/// The key the choice is stored under.
const KEY: &str = "loosely-theme";

/// The theme other than `theme`.
pub fn other(theme: &str) -> &'static str {
    if theme == "dark" {
        "light"
    } else {
        "dark"
    }
}

/// The theme in force: the stored choice, else the system's preference.
pub fn current() -> &'static str {
    let Some(window) = web_sys::window() else {
        return "light";
    };
    let stored = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(KEY).ok().flatten());
    match stored.as_deref() {
        Some("dark") => "dark",
        Some("light") => "light",
        _ => {
            let dark = window
                .match_media("(prefers-color-scheme: dark)")
                .ok()
                .flatten()
                .is_some_and(|query| query.matches());
            if dark {
                "dark"
            } else {
                "light"
            }
        }
    }
}

/// Shows `theme` (sets `data-theme` on the root element) and remembers it; storage errors
/// (private windows) only mean it is not remembered.
pub fn apply(theme: &str, remember: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", theme);
    }
    if remember {
        if let Some(storage) = window.local_storage().ok().flatten() {
            let _ = storage.set_item(KEY, theme);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_other_theme() {
        assert_eq!(super::other("dark"), "light");
        assert_eq!(super::other("light"), "dark");
    }
}
