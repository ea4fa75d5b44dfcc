//! Lesson progress in `localStorage`, one key per lesson (a corrupt entry only loses itself):
//! the step shown and what was answered and done, enough to resume, restart or jump.

use serde::{Deserialize, Serialize};

use crate::lesson::StepState;

pub const PREFIX: &str = "margin-lab.lesson.progress.";
/// Set once the first-visit offer was answered (or a lesson started).
pub const VISITED: &str = "margin-lab.lesson.visited";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub step: usize,
    pub states: Vec<StepState>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The stored progress of lesson `key`, if any can be read.
pub fn load(key: &str) -> Option<Progress> {
    let raw = storage()?.get_item(&format!("{PREFIX}{key}")).ok()??;
    serde_json::from_str(&raw).ok()
}

pub fn save(key: &str, progress: &Progress) {
    if let (Some(store), Ok(raw)) = (storage(), serde_json::to_string(progress)) {
        let _ = store.set_item(&format!("{PREFIX}{key}"), &raw);
    }
}

pub fn forget(key: &str) {
    if let Some(store) = storage() {
        let _ = store.remove_item(&format!("{PREFIX}{key}"));
    }
}

pub fn visited() -> bool {
    storage()
        .and_then(|s| s.get_item(VISITED).ok().flatten())
        .is_some()
}

pub fn mark_visited() {
    if let Some(store) = storage() {
        let _ = store.set_item(VISITED, "1");
    }
}
