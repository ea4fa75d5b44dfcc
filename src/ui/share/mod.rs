//! Sharing: copy a link that reproduces the session, open links, saved sessions, JSON files.

mod link;
mod rules;
mod saved;
pub mod storage;

pub use link::{current_link, export_file, open_file_link, open_link, ShareBar};
pub use rules::RulesNotice;
pub use saved::SavedSessions;
