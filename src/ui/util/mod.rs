//! Small browser helpers shared by the components: files, recorded datasets, notifications,
//! formatting, playback, warming the engine up.

pub mod datasets;
pub mod download;
pub mod format;
pub mod notify;
pub mod playback;
pub mod upload;
pub mod warm;
