//! Saved sessions in `localStorage`, one key per session so a corrupt entry only loses itself.
//! Each entry stores the session's link (the versioned, upgradeable format), its name and time.

use serde::{Deserialize, Serialize};

pub const PREFIX: &str = "margin-lab.session.";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedSession {
    pub name: String,
    /// Milliseconds since 1970 (for display and ordering only).
    pub saved_at: f64,
    pub link: String,
}

fn storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| "This browser does not allow saving (local storage is off).".to_string())
}

/// Every saved session, newest first, plus a message for each entry that could not be read.
pub fn list() -> (Vec<SavedSession>, Vec<String>) {
    let Ok(store) = storage() else {
        return (Vec::new(), vec!["Local storage is not available.".into()]);
    };
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let len = store.length().unwrap_or(0);
    for i in 0..len {
        let Some(key) = store.key(i).ok().flatten() else {
            continue;
        };
        let Some(name) = key.strip_prefix(PREFIX) else {
            continue;
        };
        match store
            .get_item(&key)
            .ok()
            .flatten()
            .map(|raw| serde_json::from_str::<SavedSession>(&raw))
        {
            Some(Ok(s)) => good.push(s),
            _ => bad.push(format!(
                "The saved session \"{name}\" is damaged and was skipped."
            )),
        }
    }
    good.sort_by(|a, b| b.saved_at.total_cmp(&a.saved_at));
    (good, bad)
}

pub fn save(name: &str, link: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err("Give the session a name of 1 to 80 characters.".into());
    }
    let entry = SavedSession {
        name: name.to_string(),
        saved_at: js_sys::Date::now(),
        link: link.to_string(),
    };
    let raw = serde_json::to_string(&entry).map_err(|e| e.to_string())?;
    storage()?
        .set_item(&format!("{PREFIX}{name}"), &raw)
        .map_err(|_| "The browser refused to save (storage full?).".to_string())
}

pub fn remove(name: &str) {
    if let Ok(store) = storage() {
        let _ = store.remove_item(&format!("{PREFIX}{name}"));
    }
}
