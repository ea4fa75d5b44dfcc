//! Choosing what to play: bundled scenario, imitated system, collateral design, seed, cash, and
//! the crowd of other borrowers with the buffer.

pub mod crowd;
pub mod picker;

pub use picker::ScenarioPicker;
