//! Price feeds and oracles.

pub mod oracle;
