//! A broker's margin call (the traditional side of margin lending), as a liquidation mechanism.
//!
//! DOMAIN.md ("Traditional margin and risk"): when the equity of a margin account falls below the
//! maintenance requirement (FINRA Rule 4210: 25%, plus the house's own), a US broker issues a
//! margin call with a deadline and liquidates only if it is not met — unlike DeFi's instant
//! liquidation. The figures here are Margin Lab's, stated in `engine::system::broker`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Longest cure period accepted (30 days).
pub const MAX_CURE_SECS: i64 = 30 * 86_400;

/// The broker's terms for a margin call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarginCallParams {
    /// Time the customer has to deposit or reduce after the call (simulated seconds).
    pub cure_secs: i64,
    /// The broker sells at once, without waiting for the deadline, when the account's equity falls
    /// below this share of its collateral's market value (the customer agreement allows it).
    pub hard_floor: Decimal,
    /// Fee on the market value of what a forced sale sells, paid to the broker.
    pub sale_fee: Decimal,
}

impl MarginCallParams {
    /// Checks the ranges the engine accepts; the message names the parameter.
    pub fn validate(&self) -> Result<(), String> {
        if !(0..=MAX_CURE_SECS).contains(&self.cure_secs) {
            return Err("cure period: between 0 and 30 days".into());
        }
        if self.hard_floor < Decimal::ZERO || self.hard_floor >= Decimal::ONE {
            return Err("hard floor: a fraction of market value below 1".into());
        }
        if self.sale_fee < Decimal::ZERO || self.sale_fee > Decimal::new(1, 1) {
            return Err("sale fee: between 0 and 10%".into());
        }
        Ok(())
    }
}
