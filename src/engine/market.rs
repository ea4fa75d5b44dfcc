//! The lender's view of the whole market, as risk dashboards show it: how every borrower's health
//! is spread, and how much becomes liquidatable as a price falls. Read models only: nothing here
//! changes the engine.
//!
//! - [`Engine::health_histogram`]: accounts (and what they owe, or a trader's notional) by health
//!   factor — for vaults the collateral ratio over the liquidation ratio, for traders equity over
//!   maintenance margin — so 1 is the liquidation line everywhere.
//! - [`Engine::liquidation_curves`]: for each asset, the value at stake in accounts whose
//!   liquidation price (that asset falling, others unchanged) lies within each drop from the
//!   current price, read from the liquidation-price index (as of each account's last re-check).

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::account::Account;
use super::core::Engine;
use super::health::{lending_view, vault_view};
use super::ids::AssetId;
use super::margin::perp_view;
use super::num::ratio;
use super::params::EngineConfig;
use super::state::World;

/// Upper edges of the health histogram's bins (the last bin is open).
pub const HEALTH_EDGES: [Decimal; 14] = [
    dec!(1),
    dec!(1.05),
    dec!(1.1),
    dec!(1.2),
    dec!(1.3),
    dec!(1.4),
    dec!(1.5),
    dec!(1.6),
    dec!(1.8),
    dec!(2),
    dec!(2.5),
    dec!(3),
    dec!(5),
    dec!(10),
];

/// One bin: healths in `[from, to)` (`to: None` = no upper edge).
#[derive(Clone, Debug, PartialEq)]
pub struct HealthBin {
    pub from: Decimal,
    pub to: Option<Decimal>,
    pub accounts: u64,
    /// What they owe (at oracle prices), or traders' notional.
    pub exposure: Decimal,
}

/// Value liquidatable as one asset falls.
#[derive(Clone, Debug, PartialEq)]
pub struct LiquidationCurve {
    pub asset: AssetId,
    /// The oracle price the drops are taken from.
    pub price: Decimal,
    /// `(drop, value at stake, accounts)`, cumulative.
    pub points: Vec<(Decimal, Decimal, u64)>,
}

/// An account's health on one scale (liquidation at 1) and its exposure; `None` without risk.
pub fn account_health(cfg: &EngineConfig, w: &World, acc: &Account) -> Option<(Decimal, Decimal)> {
    if !acc.has_risk() {
        return None;
    }
    let mut worst: Option<Decimal> = None;
    let mut exposure = Decimal::ZERO;
    let mut take = |h: Option<Decimal>| {
        if let Some(h) = h {
            worst = Some(worst.map_or(h, |w| w.min(h)));
        }
    };
    if !acc.debt_scaled.is_empty() {
        let lv = lending_view(cfg, w, acc).ok()?;
        take(lv.health_factor());
        exposure += lv.debt_value;
    }
    for (c, v) in &acc.vaults {
        let vv = vault_view(cfg, w, c, v).ok()?;
        take(vv.ratio().and_then(|r| ratio(r, vv.liquidation_ratio)));
        exposure += vv.debt_value;
    }
    if !acc.positions.is_empty() {
        let pv = perp_view(cfg, w, acc).ok()?;
        let mm = pv.total_maintenance();
        let eq = pv.total_equity();
        take(Some(if eq <= Decimal::ZERO {
            Decimal::ZERO
        } else {
            ratio(eq, mm).unwrap_or(dec!(1000))
        }));
        exposure += pv.positions.iter().map(|p| p.notional).sum::<Decimal>();
    }
    worst.map(|h| (h, exposure))
}

impl Engine {
    /// Every account with something to liquidate, by health (see the module docs).
    pub fn health_histogram(&self) -> Vec<HealthBin> {
        let mut bins: Vec<HealthBin> = (0..=HEALTH_EDGES.len())
            .map(|i| HealthBin {
                from: if i == 0 {
                    Decimal::ZERO
                } else {
                    HEALTH_EDGES[i - 1]
                },
                to: HEALTH_EDGES.get(i).copied(),
                accounts: 0,
                exposure: Decimal::ZERO,
            })
            .collect();
        for acc in self.accounts.values() {
            let Some((h, exposure)) = account_health(&self.cfg, &self.world, acc) else {
                continue;
            };
            let i = HEALTH_EDGES.partition_point(|edge| *edge <= h);
            bins[i].accounts += 1;
            bins[i].exposure = bins[i].exposure.saturating_add(exposure);
        }
        bins
    }

    /// For each asset some account could be liquidated on, the value at stake within each of
    /// `drops` (fractions, ascending) from its current oracle price.
    pub fn liquidation_curves(&self, drops: &[Decimal]) -> Vec<LiquidationCurve> {
        self.world
            .assets
            .keys()
            .filter_map(|asset| {
                let price = self.world.price(asset);
                let points = self.index.liquidation_curve(asset, price, drops);
                points
                    .last()
                    .is_some_and(|p| p.2 > 0)
                    .then(|| LiquidationCurve {
                        asset: asset.clone(),
                        price,
                        points,
                    })
            })
            .collect()
    }
}
