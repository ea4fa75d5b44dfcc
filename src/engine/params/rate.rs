//! Interest-rate curves by utilization `U = borrows / supply`.
//!
//! - [`RateModel::Kinked`] (Aave v3 `DefaultReserveInterestRateStrategy.sol` L183-217): below the
//!   kink `U_opt`, `rate = base + slope1 × U / U_opt`; above it,
//!   `rate = base + slope1 + slope2 × (U − U_opt) / (1 − U_opt)`. Suppliers share what borrowers
//!   pay after the reserve factor: `supply = borrow × U × (1 − reserve_factor)`.
//! - [`RateModel::Comet`] (Compound III `Comet.getBorrowRate` L464, `getSupplyRate`): two separate
//!   curves, and the low slope is **not** divided by the kink:
//!   `rate = base + low × U` below the kink, `base + low × kink + high × (U − kink)` above. No
//!   reserve factor: reserves grow by what borrowers pay minus what suppliers earn.
//!
//! For single-collateral vaults the debt grows by a flat stability fee instead (Maker).

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

/// Annual rates as fractions (`0.04` = 4% APR).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RateModel {
    Kinked {
        base: Decimal,
        slope1: Decimal,
        slope2: Decimal,
        /// The kink, `U_opt`, strictly between 0 and 1.
        optimal_utilization: Decimal,
    },
    Comet {
        kink: Decimal,
        borrow: CometCurve,
        supply: CometCurve,
    },
}

/// One of Compound III's two curves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CometCurve {
    pub base: Decimal,
    /// Slope below the kink (per unit of utilization, not divided by the kink).
    pub low: Decimal,
    /// Slope above the kink.
    pub high: Decimal,
}

impl CometCurve {
    fn at(&self, u: Decimal, kink: Decimal) -> Decimal {
        if u <= kink {
            self.base + self.low * u
        } else {
            self.base + self.low * kink + self.high * (u - kink)
        }
    }
}

impl RateModel {
    /// No interest (assets that are collateral only).
    pub fn zero() -> Self {
        Self::Kinked {
            base: Decimal::ZERO,
            slope1: Decimal::ZERO,
            slope2: Decimal::ZERO,
            optimal_utilization: dec!(0.8),
        }
    }

    /// Aave's kinked curve.
    pub fn kinked(base: Decimal, slope1: Decimal, slope2: Decimal, u_opt: Decimal) -> Self {
        Self::Kinked {
            base,
            slope1,
            slope2,
            optimal_utilization: u_opt,
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
        if u.is_zero() {
            // An idle pool (every step for assets nobody borrows): the base rate, exactly what
            // the curves below give at zero, without their division.
            return match self {
                Self::Kinked { base, .. } => *base,
                Self::Comet { borrow, .. } => borrow.base,
            };
        }
        let u = u.clamp(Decimal::ZERO, Decimal::ONE);
        match self {
            Self::Kinked {
                base,
                slope1,
                slope2,
                optimal_utilization: kink,
            } => {
                let kink = *kink;
                if kink <= Decimal::ZERO || kink >= Decimal::ONE {
                    return *base + *slope1 * u;
                }
                if u <= kink {
                    *base + *slope1 * u / kink
                } else {
                    *base + *slope1 + *slope2 * (u - kink) / (Decimal::ONE - kink)
                }
            }
            Self::Comet { kink, borrow, .. } => borrow.at(u, *kink),
        }
    }

    /// Annual supply rate: Aave `borrow_rate × U × (1 − reserve_factor)`; Compound its own curve.
    pub fn supply_rate(&self, u: Decimal, reserve_factor: Decimal) -> Decimal {
        if u.is_zero() {
            // As in `borrow_rate`: the curves' value at zero (a product with zero is zero).
            return match self {
                Self::Kinked { .. } => Decimal::ZERO,
                Self::Comet { supply, .. } => supply.base,
            };
        }
        let u = u.clamp(Decimal::ZERO, Decimal::ONE);
        match self {
            Self::Kinked { .. } => self.borrow_rate(u) * u * (Decimal::ONE - reserve_factor),
            Self::Comet { kink, supply, .. } => supply.at(u, *kink),
        }
    }

    /// Whether suppliers are paid by their own curve (Compound) rather than a share of interest.
    pub fn has_supply_curve(&self) -> bool {
        matches!(self, Self::Comet { .. })
    }

    /// The parameters for validation: every rate and slope, and the kink.
    pub(crate) fn parts(&self) -> (Vec<Decimal>, Decimal) {
        match self {
            Self::Kinked {
                base,
                slope1,
                slope2,
                optimal_utilization,
            } => (vec![*base, *slope1, *slope2], *optimal_utilization),
            Self::Comet {
                kink,
                borrow,
                supply,
            } => (
                vec![
                    borrow.base,
                    borrow.low,
                    borrow.high,
                    supply.base,
                    supply.low,
                    supply.high,
                ],
                *kink,
            ),
        }
    }
}
