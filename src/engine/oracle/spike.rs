//! Manipulated spike: during `[at, at + duration)` the oracle publishes `market × factor`.
//!
//! Models an oracle that reads a thin spot market (or a single DEX pool) that an attacker pushes
//! for a few blocks, e.g. with a flash loan, to borrow against inflated collateral or to trigger
//! liquidations. Outside the window it is instant.

use rust_decimal::Decimal;

use super::{OracleModel, OracleReading};

/// The manipulation window (stateless between observations).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spike {
    at: i64,
    duration: i64,
    factor: Decimal,
}

impl Spike {
    pub fn new(at: i64, duration: i64, factor: Decimal) -> Self {
        Self {
            at,
            duration,
            factor,
        }
    }
}

impl OracleModel for Spike {
    fn observe(&mut self, now: i64, market: Decimal) -> OracleReading {
        observe(self.at, self.duration, self.factor, now, market)
    }
}

fn observe(at: i64, duration: i64, factor: Decimal, now: i64, market: Decimal) -> OracleReading {
    let active = now >= at && now < at.saturating_add(duration.max(0));
    let price = if active {
        market.checked_mul(factor).unwrap_or(market)
    } else {
        market
    };
    OracleReading {
        price,
        updated_at: now,
        stale: false,
    }
}
