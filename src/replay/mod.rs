//! Sessions as scenario + seed + action log, and their versioned link codec.

pub mod codec;
