//! The time step: interest and stability fees, funding, oracle, then liquidations (with market
//! impact rounds) and alerts.

use super::command::AlertKind;
use super::core::{liquidatable, Engine, StepStats};
use super::error::EngineError;
use super::event::{Event, EventKind, PriceObservation};
use super::ids::{AccountId, AssetId};
use super::liquidation::{liquidate_account, mechanism, LiqContext};
use super::metrics::account_metrics;
use super::num::{add, div, mul, sub, MAX_PRICE, MIN_PRICE, SECONDS_PER_YEAR};
use super::params::asset::FundingModel;
use super::params::config::Compounding;
use super::params::config::EngineConfig;
use super::params::rate::RateModel;
use super::slippage;
use super::state::World;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Liquidation rounds per step (each round may move prices through market impact).
const MAX_ROUNDS: usize = 8;

/// A step left in progress asks whether to pause after this many re-checks (one re-check is a
/// few microseconds natively; asking reads the page's clock).
pub const PAUSE_EVERY: usize = 16;

/// A step whose liquidation rounds were paused part-way ([`Engine::step_within`]): what the
/// step has gathered so far.
#[derive(Clone, Debug)]
pub(crate) struct PendingStep {
    now: i64,
    kinds: Vec<EventKind>,
    stats: StepStats,
    liquidated: BTreeSet<AccountId>,
    /// The accounts the next round checks.
    next: BTreeSet<AccountId>,
    /// The round under way, if any.
    round: Option<Round>,
}

/// A liquidation round under way: its accounts in id order (those before `at` are checked), the
/// sales its liquidations made and the other accounts they changed.
#[derive(Clone, Debug)]
struct Round {
    todo: Vec<AccountId>,
    at: usize,
    sales: BTreeMap<AssetId, Decimal>,
    touched: BTreeSet<AccountId>,
}

/// `x = rate × dt / year` → the index growth over the step: `x` (linear) or `x + x²/2 + x³/6`
/// (per-second compounding by its binomial expansion, Aave `MathUtils.calculateCompoundedInterest`).
fn growth(c: Compounding, rate: Decimal, year_frac: Decimal) -> Result<Decimal, EngineError> {
    let x = mul(rate, year_frac)?;
    match c {
        Compounding::Linear => Ok(x),
        Compounding::Binomial => {
            let x2 = mul(x, x)?;
            let x3 = mul(x2, x)?;
            add(add(x, div(x2, Decimal::TWO)?)?, div(x3, Decimal::from(6))?)
        }
    }
}

/// Interest on lending pools (rate by utilization) and stability fees on vaults over the step:
/// `index × (1 + growth)`. Interest goes to suppliers (supply index) after the reserve factor, or
/// by their own curve (Compound III, the rest to reserves); stability fees go to reserves (Maker
/// surplus).
fn accrue(
    cfg: &EngineConfig,
    w: &mut World,
    now: i64,
    out: &mut Vec<EventKind>,
) -> Result<(), EngineError> {
    let dt = Decimal::from(now.checked_sub(w.now).ok_or(EngineError::Overflow)?);
    // Computed when first needed: a step without debt anywhere needs no division here.
    let mut year_frac_once: Option<Decimal> = None;
    let mut year_frac = || -> Result<Decimal, EngineError> {
        if let Some(y) = year_frac_once {
            return Ok(y);
        }
        let y = div(dt, SECONDS_PER_YEAR)?;
        year_frac_once = Some(y);
        Ok(y)
    };
    for p in &cfg.assets {
        let st = w.asset_mut(&p.id)?;
        let borrows = mul(st.total_debt_scaled, st.borrow_index)?;
        let supply = mul(st.total_supply_scaled, st.supply_index)?;
        let u = RateModel::utilization(borrows, supply);
        st.borrow_rate = p.rate.borrow_rate(u);
        st.supply_rate = p.rate.supply_rate(u, p.reserve_factor);
        let mut to_reserves = Decimal::ZERO;
        if borrows > Decimal::ZERO && st.borrow_rate > Decimal::ZERO {
            let year_frac = year_frac()?;
            let growth = growth(cfg.compounding, st.borrow_rate, year_frac)?;
            st.borrow_index = mul(st.borrow_index, add(Decimal::ONE, growth)?)?;
            let interest = mul(borrows, growth)?;
            let to_suppliers = if st.total_supply_scaled <= Decimal::ZERO {
                Decimal::ZERO
            } else if p.rate.has_supply_curve() {
                mul(supply, mul(st.supply_rate, year_frac)?)?
            } else {
                sub(interest, mul(interest, p.reserve_factor)?)?
            };
            to_reserves = if st.total_supply_scaled > Decimal::ZERO {
                if p.rate.has_supply_curve() {
                    sub(interest, to_suppliers)?
                } else {
                    mul(interest, p.reserve_factor)?
                }
            } else {
                interest
            };
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
            let growth = growth(cfg.compounding, p.stability_fee, year_frac()?)?;
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

/// Funding per interval, by the market's [`FundingModel`]:
/// - skew (GMX / Synthetix style, and the 2026-11 rules): `premium + k × skew`;
/// - Binance: `premium + clamp(interest − premium, ±clamp)` (DOMAIN.md);
///
/// then capped at `±funding_cap`, where premium is `(market − oracle) / oracle` (perp price vs
/// index) and skew `(long − short) / (long + short)` open interest. Accrued continuously into the
/// cumulative funding per unit, `F += rate × oracle × dt / interval`. Longs pay when positive (to
/// the counterparty pool, which pays shorts), settled on each position when it is touched.
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
        let premium = div(sub(st.market_price, st.price)?, st.price)?;
        let rate = match &perp.funding {
            FundingModel::Skew { coefficient } => {
                let skew = div(st.open_interest_long - st.open_interest_short, oi)?;
                add(premium, mul(*coefficient, skew)?)?
            }
            FundingModel::Binance { interest, clamp } => {
                add(premium, sub(*interest, premium)?.clamp(-*clamp, *clamp))?
            }
        }
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
pub(super) fn observe(
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
        observe_one(id, st, now, out, &mut changed);
    }
    changed
}

/// [`observe`] of every asset, in id order, without listing their ids first (every step does it).
fn observe_all(w: &mut World, now: i64, out: &mut Vec<PriceObservation>) -> Vec<AssetId> {
    let mut changed = Vec::new();
    for (id, st) in w.assets.iter_mut() {
        observe_one(id, st, now, out, &mut changed);
    }
    changed
}

fn observe_one(
    id: &AssetId,
    st: &mut super::state::AssetState,
    now: i64,
    out: &mut Vec<PriceObservation>,
    changed: &mut Vec<AssetId>,
) {
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

impl Engine {
    /// Advances time to `now` with the feed's market prices (assets not listed keep their last
    /// price): accrues interest and fees, funding, applies the oracle model, then liquidates what
    /// the liquidation index flags, re-observing prices after liquidation sales (cascades), runs
    /// the mechanism's own per-step work (Dutch auctions) and alerts.
    /// A non-increasing time, an unknown asset or a price outside `[10^-12, 10^9]` is an error and
    /// changes nothing. An error inside a liquidation or an alert does not stop the step: it is
    /// logged as an [`EventKind::EngineFault`] (never skipped silently).
    pub fn step(
        &mut self,
        now: i64,
        market_prices: &BTreeMap<AssetId, Decimal>,
    ) -> Result<Vec<Event>, EngineError> {
        let appended = self.step_logged(now, market_prices)?;
        if !self.log.is_recording() {
            return Ok(self.log.take_unkept());
        }
        let events = self.log.events();
        Ok(events[events.len() - appended..].to_vec())
    }

    /// [`Engine::step`] returning how many events it appended to the log (the last ones of
    /// [`Engine::events`]) instead of a copy of them: what playback uses, as copying every
    /// tick's events was a measurable share of a tick. (Without a log, `Engine::without_log`,
    /// they wait for [`Engine::step`] to hand them over; a new step drops any left.)
    pub fn step_logged(
        &mut self,
        now: i64,
        market_prices: &BTreeMap<AssetId, Decimal>,
    ) -> Result<usize, EngineError> {
        let appended = self.step_within(now, market_prices, &mut || false)?;
        Ok(appended.unwrap_or_else(|| self.finish_step()))
    }

    /// [`Engine::step_logged`] that can stop part-way through its liquidation checks: `pause` is
    /// asked after every [`PAUSE_EVERY`] accounts re-checked and, when it says so, the step is
    /// left in progress (`Ok(None)`) to go on with [`Engine::resume_step`]. A crash can re-check
    /// thousands of borrowers in one step, and the page must not stop answering for that long.
    /// Where the step is cut changes nothing: the checks run in the same order and the step ends
    /// with the same state and the same events as if it had run whole
    /// (`tests/engine_sliced_step.rs`). Until it ends, the engine is mid-step: a command or a new
    /// step first finishes it, and a rewind drops it.
    pub fn step_within(
        &mut self,
        now: i64,
        market_prices: &BTreeMap<AssetId, Decimal>,
        pause: &mut dyn FnMut() -> bool,
    ) -> Result<Option<usize>, EngineError> {
        self.finish_step();
        if !self.log.is_recording() {
            drop(self.log.take_unkept());
        }
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
        let mut obs = Vec::with_capacity(w.assets.len());
        let mut changed = observe_all(&mut w, now, &mut obs);
        w.now = now;
        kinds.push(EventKind::PricesObserved { prices: obs });
        self.world = w;
        // Credit tiers are reviewed before liquidation checks, so those use the new tier.
        kinds.extend(self.credit_review(now));
        // Orders, protection rules and strategies act on the prices just seen, before the
        // liquidation checks (`orders`); prices their fills move join `changed`.
        self.automation_before_liquidations(now, &mut changed, &mut kinds);

        // Phase B: liquidations, each committed per account.
        let mut stats = StepStats::default();
        let mut candidates: BTreeSet<AccountId> = self.index.always().collect();
        let mode_changed = self.update_recovery_mode(&mut kinds);
        if mode_changed || self.index.needs_rebuild(&self.world) {
            stats.rebuilt_index = true;
            candidates.extend(
                self.accounts
                    .iter()
                    .filter(|(_, a)| a.has_risk())
                    .map(|(id, _)| *id),
            );
            self.index.reset_epoch(&self.world);
        } else {
            candidates.extend(self.index.sweep_slice(&self.world, &self.accounts));
            self.index.drifted(&self.world, &mut candidates);
            for asset in &changed {
                self.index
                    .crossed(asset, self.world.price(asset), &mut candidates);
            }
        }
        self.pending = Some(Box::new(PendingStep {
            now,
            kinds,
            stats,
            liquidated: BTreeSet::new(),
            next: candidates,
            round: None,
        }));
        Ok(self.resume_step(pause))
    }

    /// Goes on with a step [`Engine::step_within`] left in progress, pausing as it does. `Some`
    /// with how many events the step appended to the log once it has ended (`Some(0)` when no
    /// step was in progress), `None` while it is still in progress.
    pub fn resume_step(&mut self, pause: &mut dyn FnMut() -> bool) -> Option<usize> {
        let Some(mut p) = self.pending.take() else {
            return Some(0);
        };
        if !self.liquidation_rounds(&mut p, pause) {
            self.pending = Some(p);
            return None;
        }
        Some(self.end_step(*p))
    }

    /// Ends a step in progress, if any; returns how many events it appended to the log.
    pub fn finish_step(&mut self) -> usize {
        self.resume_step(&mut || false).unwrap_or_default()
    }

    /// Whether a step was left in progress by [`Engine::step_within`].
    pub fn step_in_progress(&self) -> bool {
        self.pending.is_some()
    }

    /// Liquidation rounds: each re-checks its accounts in id order; liquidation sales move prices
    /// (market impact), and the accounts whose band that crosses are checked in the next round,
    /// up to [`MAX_ROUNDS`]. False when `pause` stopped them part-way (see
    /// [`Engine::step_within`]); every call checks at least [`PAUSE_EVERY`] accounts first.
    fn liquidation_rounds(&mut self, p: &mut PendingStep, pause: &mut dyn FnMut() -> bool) -> bool {
        let mut since_asked = 0usize;
        loop {
            let PendingStep {
                kinds,
                stats,
                liquidated,
                next,
                round,
                ..
            } = p;
            let round = match round {
                Some(r) => r,
                None => {
                    if stats.rounds == MAX_ROUNDS || next.is_empty() {
                        return true;
                    }
                    stats.rounds += 1;
                    stats.accounts_checked += next.len();
                    round.insert(Round {
                        todo: std::mem::take(next).into_iter().collect(),
                        at: 0,
                        sales: BTreeMap::new(),
                        touched: BTreeSet::new(),
                    })
                }
            };
            while let Some(&id) = round.todo.get(round.at) {
                if since_asked == PAUSE_EVERY {
                    since_asked = 0;
                    if pause() {
                        return false;
                    }
                }
                round.at += 1;
                since_asked += 1;
                // Accounts another liquidation changed (redistribution, ADL) are re-checked next
                // round.
                let evs = self.check_account(id, &mut round.sales, &mut round.touched);
                if evs.iter().any(|e| e.is_liquidation()) {
                    liquidated.insert(id);
                }
                kinds.extend(evs);
            }
            if let Some(done) = p.round.take() {
                self.end_round(p, done);
            }
        }
    }

    /// After a round: what the next one checks (accounts the round's liquidations changed,
    /// every trove after a redistribution or a change of recovery mode, and the accounts whose
    /// band the round's market impact crossed).
    fn end_round(&mut self, p: &mut PendingStep, round: Round) {
        let Round { sales, touched, .. } = round;
        p.next = touched;
        if std::mem::take(&mut self.world.redistributed) {
            // Lazy redistribution moved every trove's health: re-check them all.
            p.next.extend(
                self.accounts
                    .iter()
                    .filter(|(_, a)| !a.vaults.is_empty())
                    .map(|(id, _)| *id),
            );
        }
        if self.update_recovery_mode(&mut p.kinds) {
            p.next.extend(
                self.accounts
                    .iter()
                    .filter(|(_, a)| !a.vaults.is_empty())
                    .map(|(id, _)| *id),
            );
        }
        if sales.is_empty() {
            return;
        }
        let moved = match slippage::apply_sales(&self.cfg, &mut self.world, &sales) {
            Ok((moved, evs)) => {
                p.kinds.extend(evs);
                moved
            }
            Err(e) => {
                p.kinds
                    .push(fault(None, "market impact of liquidation sales", &e));
                return;
            }
        };
        if moved.is_empty() {
            return;
        }
        let mut obs = Vec::new();
        let changed = observe(&mut self.world, p.now, &moved, &mut obs);
        p.kinds.push(EventKind::PricesObserved { prices: obs });
        p.next.extend(self.index.always());
        for asset in &changed {
            self.index
                .crossed(asset, self.world.price(asset), &mut p.next);
        }
    }

    /// The end of a step, after its liquidation rounds: the mechanism's own work, automation,
    /// alerts, the step's events into the log, then the crowd's active borrowers. Returns how
    /// many events the step appended.
    fn end_step(&mut self, p: PendingStep) -> usize {
        let PendingStep {
            now,
            mut kinds,
            mut stats,
            liquidated,
            ..
        } = p;
        kinds.extend(self.mechanism_step());
        self.automation_after_liquidations(now, &mut kinds);
        stats.accounts_liquidated = liquidated.len();
        self.stats = stats;
        kinds.extend(self.check_alerts());
        let appended = self.log.extend(now, kinds);
        // The crowd's active borrowers act after the step, as the learner does; their commands'
        // events follow the step's in the log.
        let agents = self.run_agents(now);
        let n = agents.len();
        self.log.keep_aside(agents);
        appended + n
    }

    /// The liquidation mechanism's own work each step (Dutch auctions: resets, takes, endings),
    /// then the market impact of what keepers bought and refunds to vault owners.
    fn mechanism_step(&mut self) -> Vec<EventKind> {
        let mech = mechanism(&self.cfg.liquidation);
        let outcome = match mech.on_step(&self.cfg, &mut self.world) {
            Ok(o) => o,
            Err(e) => return vec![fault(None, mech.name(), &e)],
        };
        let mut kinds = outcome.events;
        for (owner, asset, amount) in outcome.refunds {
            if let Some(acc) = self.accounts.get_mut(&owner) {
                acc.credit(&asset, amount);
            }
            self.reindex(owner);
        }
        if !outcome.sales.is_empty() {
            match slippage::apply_sales(&self.cfg, &mut self.world, &outcome.sales) {
                Ok((_, evs)) => kinds.extend(evs),
                Err(e) => kinds.push(fault(None, "market impact of auction sales", &e)),
            }
        }
        kinds
    }

    /// Liquity recovery mode: enters when the total collateral ratio of every trove falls below
    /// the critical ratio, leaves when it recovers (logged both ways). Returns whether it changed
    /// (every trove is then re-checked and re-indexed against the new thresholds).
    fn update_recovery_mode(&mut self, kinds: &mut Vec<EventKind>) -> bool {
        let Some(rules) = &self.cfg.liquity else {
            return false;
        };
        let tcr = total_collateral_ratio(&self.cfg, &self.world);
        let active = tcr.is_some_and(|t| t < rules.critical_ratio);
        if active == self.world.recovery_mode {
            return false;
        }
        self.world.recovery_mode = active;
        kinds.push(EventKind::RecoveryMode {
            active,
            total_collateral_ratio: tcr,
            critical_ratio: rules.critical_ratio,
        });
        let ids: Vec<AccountId> = self.accounts.keys().copied().collect();
        for id in ids {
            self.reindex(id);
        }
        true
    }

    /// Re-checks one account: liquidates it if needed (committing on success) and re-indexes it.
    /// An error is returned as a fault event; the account stays flagged and is retried next step.
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
        match liquidatable(&self.cfg, &self.world, acc) {
            Err(e) => events.push(fault(Some(id), "health check", &e)),
            Ok(false) => {}
            Ok(true) => {
                let mut w = self.world.clone();
                let mut a = acc.clone();
                let mut ctx = LiqContext {
                    cfg: &self.cfg,
                    world: &mut w,
                    account: &mut a,
                    others: &self.accounts,
                    updated_others: BTreeMap::new(),
                    sales: BTreeMap::new(),
                };
                match liquidate_account(&mut ctx) {
                    Ok(evs) => {
                        let others = std::mem::take(&mut ctx.updated_others);
                        let s = std::mem::take(&mut ctx.sales);
                        self.world = w;
                        self.accounts.insert(id, a);
                        for (_, o) in others {
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
                    Err(e) => events.push(fault(Some(id), "liquidation", &e)),
                }
            }
        }
        self.reindex(id);
        events
    }

    /// Puts the account back in the liquidation index; an account whose band cannot be computed
    /// is checked every step (the safe side).
    pub(crate) fn reindex(&mut self, id: AccountId) {
        // An active borrower's account changed (or is re-checked): what it saw is forgotten.
        self.agents.forget(id);
        if let Some((b, points)) = self.index_entry(id) {
            self.index.insert(id, b);
            self.index.set_points(id, points);
        }
    }

    /// [`Engine::reindex`] for many accounts at once (a crowd's arrival, a buffer change): the
    /// index is rebuilt from sorted lists rather than taking one insertion per account.
    pub(crate) fn reindex_many(&mut self, ids: impl IntoIterator<Item = AccountId>) {
        let ids: Vec<AccountId> = ids.into_iter().collect();
        if !self.agents.is_empty() {
            for id in &ids {
                self.agents.forget(*id);
            }
        }
        // Each band goes into the index as it is computed (a list of them all would be as large
        // as the crowd).
        let Self {
            index,
            accounts,
            cfg,
            world,
            ..
        } = self;
        index.insert_new(ids.into_iter().filter_map(|id| {
            let (b, points) = index_entry(cfg, world, accounts.get(&id)?);
            Some((id, b, points))
        }));
    }

    fn index_entry(&self, id: AccountId) -> Option<(super::index::Band, super::index::PointList)> {
        Some(index_entry(&self.cfg, &self.world, self.accounts.get(&id)?))
    }

    fn check_alerts(&mut self) -> Vec<EventKind> {
        let mut events = Vec::new();
        let ids: Vec<AccountId> = self.alert_accounts.iter().copied().collect();
        for id in ids {
            let Some(acc) = self.accounts.get(&id) else {
                continue;
            };
            let m = match account_metrics(&self.cfg, &self.world, acc) {
                Ok(m) => m,
                Err(e) => {
                    events.push(fault(Some(id), "alert check", &e));
                    continue;
                }
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

/// An error inside a step, as an event (the step goes on; nothing is skipped silently).
fn fault(account: Option<AccountId>, stage: &str, e: &EngineError) -> EventKind {
    EventKind::EngineFault {
        account,
        stage: stage.to_string(),
        error: e.to_string(),
    }
}

/// Liquity's total collateral ratio: every trove's collateral value over every trove's debt
/// value (`None` without debt).
pub fn total_collateral_ratio(cfg: &EngineConfig, w: &World) -> Option<Decimal> {
    let (mut coll, mut debt) = (Decimal::ZERO, Decimal::ZERO);
    let p_debt = w.price(&cfg.debt_asset);
    for st in w.assets.values() {
        coll = coll.checked_add(st.vault_collateral.checked_mul(st.price)?)?;
        debt = debt.checked_add(
            st.vault_debt_scaled
                .checked_mul(st.fee_index)?
                .checked_mul(p_debt)?,
        )?;
    }
    (debt > Decimal::ZERO)
        .then(|| coll.checked_div(debt))
        .flatten()
}

/// An account's band and liquidation points as the index keeps them: a band that cannot be
/// computed is checked every step (the safe side), points that cannot be are left out.
fn index_entry(
    cfg: &super::params::config::EngineConfig,
    w: &super::state::World,
    acc: &super::account::Account,
) -> (super::index::Band, super::index::PointList) {
    let (b, points) = super::index::band_and_points(cfg, w, acc);
    (
        b.unwrap_or(super::index::Band::Always),
        points.unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::command::Command;
    use crate::engine::system::rules_2026_11::aave_v3;
    use rust_decimal_macros::dec;

    // An error inside a step is logged as an `EngineFault` (never skipped silently) and the step
    // goes on: here the configuration loses an asset an account holds, so its health check and its
    // alert check fail.
    #[test]
    fn errors_inside_a_step_are_logged_as_faults() {
        let mut e = Engine::new(aave_v3()).unwrap();
        let me = AccountId::USER;
        let wbtc = AssetId::new("WBTC");
        for c in [
            Command::Deposit {
                asset: wbtc.clone(),
                amount: dec!(1),
            },
            Command::Borrow {
                asset: AssetId::new("USDC"),
                amount: dec!(40000),
            },
            Command::SetAlert {
                kind: AlertKind::HealthFactorBelow,
                threshold: dec!(1.2),
            },
        ] {
            e.apply(me, c).unwrap();
        }
        e.cfg.assets.retain(|a| a.id != wbtc);
        let events = e
            .step(60, &BTreeMap::from([(wbtc.clone(), dec!(40000))]))
            .unwrap();
        let stages: Vec<&str> = events
            .iter()
            .filter_map(|ev| match &ev.kind {
                EventKind::EngineFault {
                    account: Some(a),
                    stage,
                    ..
                } if *a == me => Some(stage.as_str()),
                _ => None,
            })
            .collect();
        assert!(stages.contains(&"health check"), "{stages:?}");
        assert!(stages.contains(&"alert check"), "{stages:?}");
    }

    // The conservation check reports a vault it cannot value instead of leaving its debt out.
    #[test]
    fn conservation_check_reports_what_it_cannot_value() {
        let mut e = Engine::new(crate::engine::system::rules_2026_11::maker()).unwrap();
        let eth = AssetId::new("ETH");
        for c in [
            Command::VaultDeposit {
                collateral: eth.clone(),
                amount: dec!(10),
            },
            Command::VaultBorrow {
                collateral: eth.clone(),
                amount: dec!(1000),
            },
        ] {
            e.apply(AccountId::USER, c).unwrap();
        }
        assert!(e.conservation_residual().is_ok());
        e.cfg.assets.retain(|a| a.id != eth);
        assert_eq!(
            e.conservation_residual(),
            Err(EngineError::UnknownAsset(eth))
        );
    }
}
