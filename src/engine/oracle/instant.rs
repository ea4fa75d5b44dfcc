//! Instant: publishes the market price as it is (no oracle risk).

use rust_decimal::Decimal;

use super::{OracleModel, OracleReading};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Instant;

impl OracleModel for Instant {
    fn observe(&mut self, now: i64, market: Decimal) -> OracleReading {
        OracleReading::fresh(now, market)
    }
}
