//! Choosing what to play: bundled scenario, imitated system, collateral design, seed, cash.

mod picker;

pub use picker::ScenarioPicker;
