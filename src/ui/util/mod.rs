//! Small browser helpers shared by the components: files, notifications, formatting, playback.

pub mod download;
pub mod format;
pub mod notify;
pub mod playback;
pub mod upload;
