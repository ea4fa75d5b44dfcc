//! Choosing what to play: bundled scenario, imitated system, collateral design, seed, cash.

pub mod picker;

pub use picker::ScenarioPicker;
