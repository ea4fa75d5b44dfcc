//! The Leptos app. Components read engine state and send commands; no margin maths lives here.
//!
//! One component per file, grouped by feature (see the README's map).

pub mod app;
pub mod chart;
pub mod shell;
pub mod theme;
pub mod util;

pub use app::App;
