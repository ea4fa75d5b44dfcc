//! Playback: play, pause, step, speed, scrub, keyboard shortcuts.

mod controls;

pub use controls::Timeline;
