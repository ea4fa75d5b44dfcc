//! The time step: interest and stability fees, funding, oracle, then liquidations (with market
//! impact rounds) and alerts.

use super::command::AlertKind;
use super::config::EngineConfig;
use super::core::{liquidatable, Engine, StepStats};
use super::error::EngineError;
use super::event::{Event, EventKind, PriceObservation};
use super::ids::{AccountId, AssetId};
use super::index::band;
use super::liquidation::{liquidate_account, LiqContext};
use super::metrics::account_metrics;
use super::num::{add, div, mul, sub, MAX_PRICE, MIN_PRICE, SECONDS_PER_YEAR};
use super::rate::RateModel;
use super::slippage;
use super::state::World;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Liquidation rounds per step (each round may move prices through market impact).
const MAX_ROUNDS: usize = 8;

/// Interest on lending pools (kinked rate by utilization) and stability fees on vaults, linear over
/// the step: `index × (1 + rate × dt / year)`. Interest goes to suppliers (supply index) after the
/// reserve factor; stability fees go to reserves (Maker surplus).
fn accrue(
    cfg: &EngineConfig,
    w: &mut World,
    now: i64,
    out: &mut Vec<EventKind>,
) -> Result<(), EngineError> {
    let dt = Decimal::from(now.checked_sub(w.now).ok_or(EngineError::Overflow)?);
    let year_frac = div(dt, SECONDS_PER_YEAR)?;
    for p in &cfg.assets {
        let st = w.asset_mut(&p.id)?;
        let borrows = mul(st.total_debt_scaled, st.borrow_index)?;
        let supply = mul(st.total_supply_scaled, st.supply_index)?;
        let u = RateModel::utilization(borrows, supply);
        st.borrow_rate = p.rate.borrow_rate(u);
        st.supply_rate = p.rate.supply_rate(u, p.reserve_factor);
        let mut to_reserves = Decimal::ZERO;
        if borrows > Decimal::ZERO && st.borrow_rate > Decimal::ZERO {
            let growth = mul(st.borrow_rate, year_frac)?;
            st.borrow_index = mul(st.borrow_index, add(Decimal::ONE, growth)?)?;
            let interest = mul(borrows, growth)?;
            to_reserves = if st.total_supply_scaled > Decimal::ZERO {
                mul(interest, p.reserve_factor)?
            } else {
                interest
            };
            let to_suppliers = sub(interest, to_reserves)?;
            if st.total_supply_scaled > Decimal::ZERO {
                st.supply_index = add(st.supply_index, div(to_suppliers, st.total_supply_scaled)?)?;
            }
            out.push(EventKind::InterestAccrued {
                asset: p.id.clone(),
                utilization: u,
                borrow_rate: st.borrow_rate,
                supply_rate: st.supply_rate,
                interest,
                to_reserves,
                index: st.borrow_index,
            });
        }
        if st.vault_debt_scaled > Decimal::ZERO && p.stability_fee > Decimal::ZERO {
            let growth = mul(p.stability_fee, year_frac)?;
            let debt = mul(st.vault_debt_scaled, st.fee_index)?;
            st.fee_index = mul(st.fee_index, add(Decimal::ONE, growth)?)?;
            let fee = mul(debt, growth)?;
            out.push(EventKind::InterestAccrued {
                asset: p.id.clone(),
                utilization: Decimal::ZERO,
                borrow_rate: p.stability_fee,
                supply_rate: Decimal::ZERO,
                interest: fee,
                to_reserves: fee,
                index: st.fee_index,
            });
            super::account::bump(&mut w.ledger.reserves, &cfg.debt_asset, fee);
        }
        if !to_reserves.is_zero() {
            super::account::bump(&mut w.ledger.reserves, &p.id, to_reserves);
        }
    }
    Ok(())
}

/// Funding per interval: `clamp(premium + k × skew, ±cap)` where premium is
/// `(market − oracle) / oracle` (perp price vs index) and skew `(long − short) / (long + short)` open
/// interest; accrued continuously into the cumulative funding per unit:
/// `F += rate × oracle × dt / interval`. Longs pay when positive (to the counterparty pool, which
/// pays shorts), settled on each position when it is touched.
fn funding(
    cfg: &EngineConfig,
    w: &mut World,
    now: i64,
    out: &mut Vec<EventKind>,
) -> Result<(), EngineError> {
    let dt = Decimal::from(now.checked_sub(w.now).ok_or(EngineError::Overflow)?);
    for p in &cfg.assets {
        let Some(perp) = &p.perp else { continue };
        let st = w.asset_mut(&p.id)?;
        let oi = st.open_interest_long + st.open_interest_short;
        if oi <= Decimal::ZERO {
            st.funding_rate = Decimal::ZERO;
            continue;
        }
        let skew = div(st.open_interest_long - st.open_interest_short, oi)?;
        let premium = div(sub(st.market_price, st.price)?, st.price)?;
        let rate = add(premium, mul(perp.funding_skew_coefficient, skew)?)?
            .clamp(-perp.funding_cap, perp.funding_cap);
        st.funding_rate = rate;
        let delta = div(
            mul(mul(rate, st.price)?, dt)?,
            Decimal::from(perp.funding_interval_secs),
        )?;
        st.funding_cumulative = add(st.funding_cumulative, delta)?;
        out.push(EventKind::FundingAccrued {
            market: p.id.clone(),
            rate_per_interval: rate,
            cumulative_per_unit: st.funding_cumulative,
        });
    }
    Ok(())
}

/// Feeds market prices (after impact) to each oracle; returns assets whose oracle price changed.
fn observe(
    w: &mut World,
    now: i64,
    assets: &[AssetId],
    out: &mut Vec<PriceObservation>,
) -> Vec<AssetId> {
    let mut changed = Vec::new();
    for id in assets {
        let Some(st) = w.assets.get_mut(id) else {
            continue;
        };
        let reading = st.oracle.observe(now, st.market_price);
        let usable = reading.price >= MIN_PRICE && reading.price <= MAX_PRICE;
        let before = st.price;
        if usable {
            st.price = reading.price;
            st.updated_at = reading.updated_at;
            st.stale = reading.stale;
        } else {
            st.stale = true;
        }
        if st.price != before {
            changed.push(id.clone());
        }
        out.push(PriceObservation {
            asset: id.clone(),
            market: st.market_price,
            oracle: st.price,
            updated_at: st.updated_at,
            stale: st.stale,
        });
    }
    changed
}

impl Engine {
    /// Advances time to `now` with the feed's market prices (assets not listed keep their last
    /// price): accrues interest and fees, funding, applies the oracle model, then liquidates what
    /// the liquidation index flags, re-observing prices after liquidation sales (cascades).
    /// A non-increasing time, an unknown asset or a price outside `(0, 10^9]` is an error and
    /// changes nothing.
    pub fn step(
        &mut self,
        now: i64,
        market_prices: &BTreeMap<AssetId, Decimal>,
    ) -> Result<Vec<Event>, EngineError> {
        if now <= self.world.now {
            return Err(EngineError::TimeNotIncreasing {
                now,
                last: self.world.now,
            });
        }
        for (asset, price) in market_prices {
            if !self.world.assets.contains_key(asset) {
                return Err(EngineError::UnknownAsset(asset.clone()));
            }
            if *price < MIN_PRICE || *price > MAX_PRICE {
                return Err(EngineError::InvalidPrice {
                    asset: asset.clone(),
                    price: *price,
                });
            }
        }
        // Phase A on a copy of the world: nothing changes if it fails.
        let mut w = self.world.clone();
        let mut kinds = Vec::new();
        accrue(&self.cfg, &mut w, now, &mut kinds)?;
        funding(&self.cfg, &mut w, now, &mut kinds)?;
        let recovery = Decimal::ONE - self.cfg.impact_recovery;
        for (id, st) in w.assets.iter_mut() {
            if let Some(p) = market_prices.get(id) {
                st.feed_price = *p;
            }
            st.impact = mul(st.impact, recovery)?;
            st.market_price = mul(st.feed_price, Decimal::ONE - st.impact)?;
        }
        let all: Vec<AssetId> = w.assets.keys().cloned().collect();
        let mut obs = Vec::new();
        let mut changed = observe(&mut w, now, &all, &mut obs);
        w.now = now;
        kinds.push(EventKind::PricesObserved { prices: obs });
        self.world = w;

        // Phase B: liquidations, each committed per account.
        let mut stats = StepStats::default();
        let mut candidates: BTreeSet<AccountId> = self.index.always().collect();
        if self.index.needs_rebuild(&self.world) {
            stats.rebuilt_index = true;
            candidates.extend(
                self.accounts
                    .iter()
                    .filter(|(_, a)| a.has_risk())
                    .map(|(id, _)| *id),
            );
            self.index.reset_epoch(&self.world);
        } else {
            for asset in &changed {
                self.index
                    .crossed(asset, self.world.price(asset), &mut candidates);
            }
        }
        let mut liquidated = BTreeSet::new();
        for _ in 0..MAX_ROUNDS {
            if candidates.is_empty() {
                break;
            }
            stats.rounds += 1;
            stats.accounts_checked += candidates.len();
            let mut sales: BTreeMap<AssetId, Decimal> = BTreeMap::new();
            // Accounts another liquidation changed (redistribution, ADL) are re-checked next round.
            let mut touched = BTreeSet::new();
            for id in std::mem::take(&mut candidates) {
                let evs = self.check_account(id, &mut sales, &mut touched);
                if !evs.is_empty() {
                    liquidated.insert(id);
                    kinds.extend(evs);
                }
            }
            candidates = touched;
            if sales.is_empty() {
                continue;
            }
            let Ok((moved, evs)) = slippage::apply_sales(&self.cfg, &mut self.world, &sales) else {
                continue;
            };
            kinds.extend(evs);
            if moved.is_empty() {
                continue;
            }
            let mut obs = Vec::new();
            changed = observe(&mut self.world, now, &moved, &mut obs);
            kinds.push(EventKind::PricesObserved { prices: obs });
            candidates.extend(self.index.always());
            for asset in &changed {
                self.index
                    .crossed(asset, self.world.price(asset), &mut candidates);
            }
        }
        if let super::config::LiquidationKind::DutchAuction(params) = &self.cfg.liquidation {
            if let Ok(super::liquidation::dutch_auction::AuctionOutcome {
                events: evs,
                refunds,
                sales,
            }) = super::liquidation::dutch_auction::process(&self.cfg, params, &mut self.world)
            {
                kinds.extend(evs);
                for (owner, asset, amount) in refunds {
                    if let Some(acc) = self.accounts.get_mut(&owner) {
                        acc.credit(&asset, amount);
                    }
                    self.reindex(owner);
                }
                if let Ok((_, evs)) = slippage::apply_sales(&self.cfg, &mut self.world, &sales) {
                    kinds.extend(evs);
                }
            }
        }
        stats.accounts_liquidated = liquidated.len();
        self.stats = stats;
        kinds.extend(self.check_alerts());
        Ok(self.log.append(now, kinds))
    }

    /// Re-checks one account: liquidates it if needed (committing on success) and re-indexes it.
    fn check_account(
        &mut self,
        id: AccountId,
        sales: &mut BTreeMap<AssetId, Decimal>,
        touched: &mut BTreeSet<AccountId>,
    ) -> Vec<EventKind> {
        let Some(acc) = self.accounts.get(&id) else {
            self.index.remove(id);
            return Vec::new();
        };
        let mut events = Vec::new();
        if liquidatable(&self.cfg, &self.world, acc).unwrap_or(false) {
            let mut w = self.world.clone();
            let mut a = acc.clone();
            let mut ctx = LiqContext {
                cfg: &self.cfg,
                world: &mut w,
                account: &mut a,
                others: &self.accounts,
                updated_others: Vec::new(),
                sales: BTreeMap::new(),
            };
            // An overflow inside a liquidation skips it (the account stays flagged "always").
            if let Ok(evs) = liquidate_account(&mut ctx) {
                let others = std::mem::take(&mut ctx.updated_others);
                let s = std::mem::take(&mut ctx.sales);
                self.world = w;
                self.accounts.insert(id, a);
                for o in others {
                    let oid = o.id;
                    self.accounts.insert(oid, o);
                    self.reindex(oid);
                    touched.insert(oid);
                }
                for (asset, q) in s {
                    super::account::bump(sales, &asset, q);
                }
                events = evs;
            }
        }
        self.reindex(id);
        events
    }

    fn reindex(&mut self, id: AccountId) {
        let Some(acc) = self.accounts.get(&id) else {
            return;
        };
        let b = band(&self.cfg, &self.world, acc).unwrap_or(super::index::Band::Always);
        self.index.insert(id, b);
    }

    fn check_alerts(&mut self) -> Vec<EventKind> {
        let mut events = Vec::new();
        let ids: Vec<AccountId> = self.alert_accounts.iter().copied().collect();
        for id in ids {
            let Some(acc) = self.accounts.get(&id) else {
                continue;
            };
            let Ok(m) = account_metrics(&self.cfg, &self.world, acc) else {
                continue;
            };
            let mut acc = acc.clone();
            for (kind, alert) in acc.alerts.iter_mut() {
                let value = match kind {
                    AlertKind::HealthFactorBelow => m.health_factor,
                    AlertKind::CollateralRatioBelow => m.collateral_ratio,
                    AlertKind::MarginRatioAbove => m.margin_ratio,
                };
                let breached = match (kind, value) {
                    (AlertKind::MarginRatioAbove, Some(v)) => v > alert.threshold,
                    (_, Some(v)) => v < alert.threshold,
                    (_, None) => false,
                };
                if breached && !alert.fired {
                    alert.fired = true;
                    events.push(EventKind::AlertTriggered {
                        account: id,
                        kind: *kind,
                        value: value.unwrap_or_default(),
                        threshold: alert.threshold,
                    });
                } else if !breached {
                    alert.fired = false;
                }
            }
            self.accounts.insert(id, acc);
        }
        events
    }
}
