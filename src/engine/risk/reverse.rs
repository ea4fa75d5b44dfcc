//! Reverse stress tests: not "what does this shock do" but "which shock breaks the account".
//!
//! - **Smallest uniform drop** of every risky asset the account is exposed to (not stablecoins
//!   and not the scenario's debt asset), and the **smallest drop of each asset alone**, that
//!   triggers a liquidation — found by bisection against the engine: each trial steps a working
//!   copy one second later with the dropped prices and asks whether the account was liquidated,
//!   got a margin call, or is left liquidatable. The copy's oracles publish the dropped price at
//!   once, so the answer is about price levels, not oracle timing (the stress library covers
//!   that). Bisection stops when the bracket is narrower than [`TOLERANCE`] (0.01 percentage
//!   point) and reports its upper end: a drop that does trigger. Drops are searched up to 99%.
//! - **The 99% joint move** ([`joint_move`]): the single most likely move of all assets together
//!   that costs the parametric 99% VaR. For exposures `e` and the log-return covariance `C` over
//!   the horizon, it is `x* = −z C e / √(eᵀCe)` (the point of the normal's iso-density ellipsoid
//!   at `z` where the linear loss is largest); each asset moves by `exp(x*ᵢ) − 1`. The move is then
//!   applied through the engine like any stress.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use super::stats;
use crate::engine::core::Engine;
use crate::engine::error::EngineError;
use crate::engine::event::EventKind;
use crate::engine::ids::{AccountId, AssetId};
use crate::engine::num::{MAX_PRICE, MIN_PRICE};
use crate::engine::oracle::{Oracle, OracleSpec};
use crate::engine::params::AssetClass;
use std::collections::BTreeMap;

/// Width of the final bisection bracket: 0.01 percentage point.
pub const TOLERANCE: Decimal = dec!(0.0001);
/// Largest drop searched.
pub const MAX_DROP: Decimal = dec!(0.99);

/// The reverse stress test of one account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReverseResult {
    /// The smallest uniform drop that triggers a liquidation (`None`: none up to 99%).
    pub uniform: Option<Decimal>,
    /// The assets the uniform drop moves.
    pub uniform_assets: Vec<AssetId>,
    /// Each exposed asset alone.
    pub per_asset: Vec<(AssetId, Option<Decimal>)>,
    pub tolerance: Decimal,
    /// Trials the bisections ran (engine steps).
    pub trials: u32,
}

impl Engine {
    /// Whether dropping `assets` by `drop` (a fraction) at once triggers a liquidation of
    /// `account` (see the module docs).
    pub fn liquidation_triggered(
        &self,
        account: AccountId,
        assets: &[AssetId],
        drop: Decimal,
    ) -> Result<bool, EngineError> {
        let mut e = self.scratch();
        for st in e.world.assets.values_mut() {
            st.oracle = Oracle::new(OracleSpec::Instant);
        }
        let mut prices = BTreeMap::new();
        for a in assets {
            if let Some(st) = e.world.assets.get(a) {
                let p = (st.feed_price * (Decimal::ONE - drop)).clamp(MIN_PRICE, MAX_PRICE);
                prices.insert(a.clone(), p);
            }
        }
        let events = e.step(e.now() + 1, &prices)?;
        let hit = events.iter().any(|ev| {
            ev.kind.is_liquidation_of(account)
                || matches!(&ev.kind,
                    EventKind::MarginCallIssued { account: a, .. }
                    | EventKind::MarginCallForcedSale { account: a, .. }
                    | EventKind::LiquidationBlocked { account: a, .. } if *a == account)
        });
        Ok(hit || e.is_liquidatable(&account))
    }

    /// The smallest drop of `assets` that triggers a liquidation, by bisection to [`TOLERANCE`];
    /// `None` when even 99% does not. Also returns the number of trials.
    pub fn smallest_drop(
        &self,
        account: AccountId,
        assets: &[AssetId],
    ) -> Result<(Option<Decimal>, u32), EngineError> {
        if assets.is_empty() {
            return Ok((None, 0));
        }
        if self.liquidation_triggered(account, assets, Decimal::ZERO)? {
            return Ok((Some(Decimal::ZERO), 1));
        }
        if !self.liquidation_triggered(account, assets, MAX_DROP)? {
            return Ok((None, 2));
        }
        let (mut lo, mut hi) = (Decimal::ZERO, MAX_DROP);
        let mut trials = 2;
        while hi - lo > TOLERANCE {
            let mid = ((lo + hi) / Decimal::TWO).round_dp(8);
            trials += 1;
            if self.liquidation_triggered(account, assets, mid)? {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok((Some(hi), trials))
    }

    /// The reverse stress test of `account` (see the module docs).
    pub fn reverse_stress(&self, account: AccountId) -> Result<ReverseResult, EngineError> {
        let exposures = self
            .exposures(&account)
            .map_err(|_| EngineError::UnknownAsset(AssetId::new("?")))?;
        let risky: Vec<AssetId> = exposures
            .keys()
            .filter(|a| {
                **a != self.cfg.debt_asset
                    && self
                        .cfg
                        .asset(a)
                        .is_some_and(|p| p.class != AssetClass::Stablecoin)
            })
            .cloned()
            .collect();
        let (uniform, mut trials) = self.smallest_drop(account, &risky)?;
        let mut per_asset = Vec::new();
        for a in exposures.keys().filter(|a| **a != self.cfg.debt_asset) {
            let (d, n) = self.smallest_drop(account, std::slice::from_ref(a))?;
            trials += n;
            per_asset.push((a.clone(), d));
        }
        Ok(ReverseResult {
            uniform,
            uniform_assets: risky,
            per_asset,
            tolerance: TOLERANCE,
            trials,
        })
    }
}

/// The most likely joint move costing the parametric VaR at `confidence` (see the module docs):
/// each asset's move as a fraction. `e`: exposures (quote), `vol`: annual volatilities, `corr`:
/// correlations, over `horizon_years`. Empty when the portfolio has no variance.
pub fn joint_move(
    assets: &[AssetId],
    e: &[f64],
    vol: &[f64],
    corr: &[Vec<f64>],
    horizon_years: f64,
    confidence: f64,
) -> Vec<(AssetId, Decimal)> {
    let n = assets.len().min(e.len()).min(vol.len());
    let cov = |i: usize, j: usize| {
        corr.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0) * vol[i] * vol[j] * horizon_years
    };
    let ce: Vec<f64> = (0..n)
        .map(|i| (0..n).map(|j| cov(i, j) * e[j]).sum())
        .collect();
    let q: f64 = (0..n).map(|i| e[i] * ce[i]).sum();
    if q <= 0.0 {
        return Vec::new();
    }
    let z = stats::norm_inv(confidence);
    let s = libm::sqrt(q);
    (0..n)
        .map(|i| {
            let x = -z * ce[i] / s;
            (assets[i].clone(), stats::to_decimal(libm::expm1(x), 6))
        })
        .collect()
}
