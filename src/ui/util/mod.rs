//! Small browser helpers shared by the components: files, recorded datasets, notifications,
//! formatting, playback.

pub mod datasets;
pub mod download;
pub mod format;
pub mod notify;
pub mod playback;
pub mod upload;
