//! What a population of borrowers (or traders) looks like, and a scenario's changes to the
//! preset's buffer. Both travel in links; every field is shown and explained in the picker.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

/// Most borrowers a scenario may carry.
pub const MAX_BORROWERS: u32 = 100_000;

/// The distribution a crowd is drawn from (Margin Lab's model, documented in the app):
/// - **Size**: the value of what each borrower posts (in the debt asset) is Pareto-distributed —
///   heavy-tailed, many small accounts and a few whales: `size_min × U^(−1/size_alpha)`, capped at
///   `size_max` (`U` uniform in (0, 1]). Traders post that much margin.
/// - **Health at the start**: `1 + (health_median − 1) × e^(health_spread × Z)` with `Z` standard
///   normal, at least `health_floor` and never above what the LTV allows — most of the mass between
///   about 1.1 and 2, as lending markets' dashboards show. For vaults the health is the collateral
///   ratio over the liquidation ratio; traders draw a leverage instead, `leverage_median ×
///   e^(0.5 Z)`, capped by the market's brackets.
/// - **Collateral mix**: each borrower's main collateral is drawn among the preset's collateral
///   assets in proportion to their market depth; `second_collateral_share` of them put 30% of
///   their value in a second one.
/// - **Behaviour**: `active_share` of them act, on average `actions_per_week` times a week at
///   seeded random times: one whose health fell below 85% of its starting health repays (or a
///   trader under stress halves the position); one whose health rose above 130% of it borrows back
///   to it (a profitable trader adds 20%).
/// - Perpetuals: `long_share` of traders are long, `isolated_share` use isolated margin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopulationParams {
    pub count: u32,
    pub health_median: Decimal,
    pub health_spread: Decimal,
    pub health_floor: Decimal,
    pub size_min: Decimal,
    pub size_alpha: Decimal,
    pub size_max: Decimal,
    pub second_collateral_share: Decimal,
    pub active_share: Decimal,
    pub actions_per_week: Decimal,
    pub long_share: Decimal,
    pub isolated_share: Decimal,
    pub leverage_median: Decimal,
}

impl PopulationParams {
    /// A crowd of `count` with Margin Lab's defaults.
    pub fn with_count(count: u32) -> Self {
        Self {
            count,
            health_median: dec!(1.6),
            health_spread: dec!(0.6),
            health_floor: dec!(1.05),
            size_min: dec!(2000),
            size_alpha: dec!(1.3),
            size_max: dec!(5_000_000),
            second_collateral_share: dec!(0.3),
            active_share: dec!(0.25),
            actions_per_week: dec!(1),
            long_share: dec!(0.6),
            isolated_share: dec!(0.5),
            leverage_median: dec!(5),
        }
    }

    /// The ranges the picker enforces; the message names the field.
    pub fn validate(&self) -> Result<(), String> {
        let unit = |x: Decimal| (Decimal::ZERO..=Decimal::ONE).contains(&x);
        let checks: [(bool, &str); 11] = [
            (
                self.count <= MAX_BORROWERS,
                "the crowd is 0 to 100,000 borrowers",
            ),
            (
                self.health_floor >= Decimal::ONE && self.health_floor <= dec!(10),
                "the health floor is between 1 and 10",
            ),
            (
                self.health_median >= self.health_floor && self.health_median <= dec!(20),
                "the median health is between the floor and 20",
            ),
            (
                self.health_spread >= Decimal::ZERO && self.health_spread <= dec!(3),
                "the health spread is between 0 and 3",
            ),
            (
                self.size_min >= Decimal::ONE && self.size_min <= dec!(1_000_000),
                "the smallest position is between 1 and 1,000,000",
            ),
            (
                self.size_max >= self.size_min && self.size_max <= dec!(1_000_000_000),
                "the largest position is between the smallest and 10^9",
            ),
            (
                self.size_alpha >= dec!(0.5) && self.size_alpha <= dec!(10),
                "the size tail exponent is between 0.5 and 10",
            ),
            (
                unit(self.second_collateral_share)
                    && unit(self.active_share)
                    && unit(self.long_share)
                    && unit(self.isolated_share),
                "shares are between 0 and 1",
            ),
            (
                self.actions_per_week >= Decimal::ZERO && self.actions_per_week <= dec!(50),
                "actions per week are between 0 and 50",
            ),
            (
                self.leverage_median >= Decimal::ONE && self.leverage_median <= dec!(100),
                "the median leverage is between 1 and 100",
            ),
            (true, ""),
        ];
        match checks.iter().find(|(ok, _)| !ok) {
            Some((_, why)) => Err(format!("population: {why}")),
            None => Ok(()),
        }
    }
}

/// A scenario's change to the preset's buffer ("how much over-collateralization is enough?"),
/// applied after the crowd has borrowed under the preset's own rules — the same crowd, other
/// thresholds:
/// - `threshold_shift`: added to every collateral's liquidation threshold (pooled accounts); a
///   vault's liquidation ratio moves to match, `1 / (1 / ratio + shift)`; LTVs are kept below the
///   new thresholds. A higher threshold means less over-collateralization: positions are
///   liquidated later, deeper under water, and bad debt becomes possible; a lower one liquidates
///   sooner;
/// - `bonus_scale`: multiplies every liquidation bonus and penalty;
/// - `close_factor`: replaces the close factor of partial liquidations;
/// - `depth_scale`: multiplies every asset's market depth (thin markets make cascades).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BufferParams {
    pub threshold_shift: Decimal,
    pub bonus_scale: Decimal,
    pub close_factor: Option<Decimal>,
    pub depth_scale: Decimal,
}

impl Default for BufferParams {
    fn default() -> Self {
        Self {
            threshold_shift: Decimal::ZERO,
            bonus_scale: Decimal::ONE,
            close_factor: None,
            depth_scale: Decimal::ONE,
        }
    }
}

impl BufferParams {
    pub fn validate(&self) -> Result<(), String> {
        if self.threshold_shift < dec!(-0.5) || self.threshold_shift > dec!(0.5) {
            return Err("buffer: the threshold shift is between −50 and +50 points".into());
        }
        if self.bonus_scale < Decimal::ZERO || self.bonus_scale > dec!(5) {
            return Err("buffer: the bonus scale is between 0 and 5".into());
        }
        if self
            .close_factor
            .is_some_and(|c| c <= Decimal::ZERO || c > Decimal::ONE)
        {
            return Err("buffer: the close factor is above 0 and at most 1".into());
        }
        if self.depth_scale < dec!(0.001) || self.depth_scale > dec!(1000) {
            return Err("buffer: the depth scale is between 0.001 and 1,000".into());
        }
        Ok(())
    }
}
