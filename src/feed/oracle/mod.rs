//! Oracles: what the engine sees instead of the market.
//!
//! The engine never values collateral at the market price. Every asset has an [`Oracle`] built from an
//! [`OracleSpec`]; each step the engine hands it the market price and the step's time and values
//! positions with the [`OracleReading`] it returns. The gap between the two is data the UI charts.
//!
//! The contract (stable; other modules rely on it):
//! - `Oracle::new(spec)` then `observe(now_secs, market_price)` once per step, with `now_secs`
//!   non-decreasing. Deterministic: the same calls give the same readings.
//! - `Oracle` is `Clone` so a session can be forked (compare mode).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How an asset's oracle turns market prices into published prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OracleSpec {
    /// Publishes the market price as it is.
    Instant,
}

/// What the oracle publishes at one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OracleReading {
    /// The price the engine must use.
    pub price: Decimal,
    /// When (seconds) that price was last updated.
    pub updated_at: i64,
    /// True when the oracle has not updated for longer than its model allows.
    pub stale: bool,
}

/// A stateful oracle for one asset.
#[derive(Clone, Debug, PartialEq)]
pub struct Oracle {
    spec: OracleSpec,
}

impl Oracle {
    pub fn new(spec: OracleSpec) -> Self {
        Self { spec }
    }

    pub fn spec(&self) -> &OracleSpec {
        &self.spec
    }

    /// Feeds the market price at `now` (seconds) and returns what the oracle publishes.
    pub fn observe(&mut self, now: i64, market: Decimal) -> OracleReading {
        match self.spec {
            OracleSpec::Instant => OracleReading {
                price: market,
                updated_at: now,
                stale: false,
            },
        }
    }
}
