//! Kinked (two-slope) interest rate model by utilization, as in Aave v3 and Compound III.
//!
//! `U = borrows / supply`. Below the kink `U_opt`: `rate = base + slope1 × U / U_opt`; above it:
//! `rate = base + slope1 + slope2 × (U − U_opt) / (1 − U_opt)`. The supply rate is what borrowers pay,
//! shared among suppliers after the reserve factor: `supply = borrow × U × (1 − reserve_factor)`.
//! For single-collateral vaults the debt grows by a flat stability fee instead (Maker).

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

/// Annual rates as fractions (`0.04` = 4% APR).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateModel {
    #[serde(with = "rust_decimal::serde::str")]
    pub base: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub slope1: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub slope2: Decimal,
    /// The kink, `U_opt`, strictly between 0 and 1.
    #[serde(with = "rust_decimal::serde::str")]
    pub optimal_utilization: Decimal,
}

impl RateModel {
    /// No interest (assets that are collateral only).
    pub fn zero() -> Self {
        Self {
            base: Decimal::ZERO,
            slope1: Decimal::ZERO,
            slope2: Decimal::ZERO,
            optimal_utilization: dec!(0.8),
        }
    }

    /// Utilization `borrows / supply`, clamped to `[0, 1]`; 0 when nothing is supplied.
    pub fn utilization(borrows: Decimal, supply: Decimal) -> Decimal {
        if supply <= Decimal::ZERO {
            return Decimal::ZERO;
        }
        borrows
            .checked_div(supply)
            .unwrap_or(Decimal::ONE)
            .clamp(Decimal::ZERO, Decimal::ONE)
    }

    /// Annual borrow rate at utilization `u` (clamped to `[0, 1]`).
    pub fn borrow_rate(&self, u: Decimal) -> Decimal {
        let u = u.clamp(Decimal::ZERO, Decimal::ONE);
        let kink = self.optimal_utilization;
        if kink <= Decimal::ZERO || kink >= Decimal::ONE {
            return self.base + self.slope1 * u;
        }
        if u <= kink {
            self.base + self.slope1 * u / kink
        } else {
            self.base + self.slope1 + self.slope2 * (u - kink) / (Decimal::ONE - kink)
        }
    }

    /// Annual supply rate: `borrow_rate × U × (1 − reserve_factor)`.
    pub fn supply_rate(&self, u: Decimal, reserve_factor: Decimal) -> Decimal {
        let u = u.clamp(Decimal::ZERO, Decimal::ONE);
        self.borrow_rate(u) * u * (Decimal::ONE - reserve_factor)
    }
}
