//! The Leptos app. Components read engine state and send commands; no margin maths lives here.
//!
//! One component per file, grouped by feature (see the README's map). [`state::Lab`] holds the
//! session and is provided as context.

pub mod account;
pub mod app;
pub mod chart;
pub mod collateral;
pub mod compare;
pub mod events;
pub mod lesson;
pub mod liquidation;
pub mod market;
pub mod orders;
pub mod risk;
pub mod scenario;
pub mod share;
pub mod shell;
pub mod state;
pub mod theme;
pub mod ticket;
pub mod timeline;
pub mod util;

pub use app::App;
