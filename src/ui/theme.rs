//! Dark and light themes: the choice is kept in `localStorage` and follows the system by default.

use gloo_storage::{LocalStorage, Storage};

const KEY: &str = "margin-lab.theme";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Dark,
    Light,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Dark => "dark",
            Theme::Light => "light",
        }
    }

    pub fn toggled(self) -> Self {
        match self {
            Theme::Dark => Theme::Light,
            Theme::Light => Theme::Dark,
        }
    }
}

/// The saved theme, else the system preference, else dark.
pub fn initial() -> Theme {
    match LocalStorage::get::<String>(KEY).ok().as_deref() {
        Some("light") => Theme::Light,
        Some("dark") => Theme::Dark,
        _ => {
            let prefers_light = web_sys::window()
                .and_then(|w| {
                    w.match_media("(prefers-color-scheme: light)")
                        .ok()
                        .flatten()
                })
                .is_some_and(|m| m.matches());
            if prefers_light {
                Theme::Light
            } else {
                Theme::Dark
            }
        }
    }
}

/// Sets `data-theme` on `<html>` and remembers the choice.
pub fn apply(theme: Theme) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
    let _ = LocalStorage::set(KEY, theme.as_str());
}
