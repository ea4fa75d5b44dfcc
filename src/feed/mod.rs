//! Price feeds and oracles.
