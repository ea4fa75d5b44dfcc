//! Margin Lab: a paper-trading sandbox for collateral, margin and liquidation.
//!
//! The crate is one library with five modules:
//!
//! - [`engine`]: the pure, deterministic collateral and liquidation core. Time and prices come in as
//!   inputs; it has no clock, no randomness and no web imports, so it builds and tests natively.
//! - [`feed`]: price paths, seeded simulations and replayed history, behind one trait.
//! - [`replay`]: a session as scenario + seed + action log, and its versioned link codec.
//! - [`text`]: quoting user input in messages safely (control characters escaped, length capped).
//! - `ui`: the Leptos components. They read engine state and send commands, nothing else. The module
//!   only exists on `wasm32` (the browser), so native builds (tests, benchmarks, the replay tool) do
//!   not compile the web stack.

pub mod engine;
pub mod feed;
pub mod lesson;
pub mod replay;
pub mod text;
#[cfg(target_arch = "wasm32")]
pub mod ui;
