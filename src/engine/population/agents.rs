//! The crowd's active borrowers: each acts at seeded random times (a Poisson process,
//! `actions_per_week` on average) through ordinary commands, so the market is not frozen:
//! - lending or vault borrowers whose health fell below 85% of their starting health repay
//!   (with paper money) back to it; those above 130% of it borrow back to it;
//! - traders whose margin ratio passed 60% halve their position; those whose position gained
//!   more than 20% of its margin add a fifth to it.
//!
//! Only the accounts due act at a step (a time-ordered schedule), so the cost of a step does not
//! grow with the crowd. A refused action is simply not taken (as a person would not).
//!
//! Most decisions are to do nothing: the health is between 85% and 130% of the target. A lending
//! borrower with one or two collaterals and one debt remembers what it saw when it last computed
//! its health ([`Seen`]); while its account is unchanged its health is each collateral's share of
//! that figure scaled by how its price and supply index moved since, over the debt's move, so an estimate in `f64` that lands well inside
//! the dead band (by a millionth, far above `f64`'s error) settles the decision without the
//! exact view. Anywhere near a threshold the health is computed exactly, so every decision is
//! the one the exact figures give. Whatever changes an account forgets what it saw
//! ([`AgentBook::forget`]: a command, a liquidation or any re-indexing, an order's fill).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::engine::account::Account;
use crate::engine::command::{Command, MarginMode};
use crate::engine::core::Engine;
use crate::engine::event::Event;
use crate::engine::health::{collateral_line, lending_view, vault_view};
use crate::engine::ids::{AccountId, AssetId};
use crate::engine::margin::perp_view;
use crate::engine::num::ratio;
use crate::engine::params::config::{CollateralDesign, EngineConfig};
use crate::engine::state::World;

/// What an active borrower aims at.
#[derive(Clone, Debug)]
pub struct AgentProfile {
    /// Its starting health (or, for a trader, its leverage).
    pub target: Decimal,
    /// How many times it has acted (part of its random stream).
    pub acts: u32,
    /// What it saw when it last computed its health exactly (not part of its state: two
    /// profiles that differ only here are equal).
    seen: Option<Seen>,
}

impl AgentProfile {
    pub fn new(target: Decimal) -> Self {
        Self {
            target,
            acts: 0,
            seen: None,
        }
    }
}

impl PartialEq for AgentProfile {
    fn eq(&self, other: &Self) -> bool {
        self.target == other.target && self.acts == other.acts
    }
}

/// A lending borrower's exact health when last computed, split by collateral (each one's share,
/// with its oracle price, supply index and parameter set then), and its one debt's price, borrow
/// index and parameter set then.
#[derive(Clone, Copy, Debug)]
struct Seen {
    collateral: [(f64, f64, f64, usize); SEEN_COLLATERALS],
    count: usize,
    debt: (f64, f64, usize),
}

/// Most collaterals remembered (a crowd's borrower posts one or two).
const SEEN_COLLATERALS: usize = 2;

/// How far inside the dead band an estimate must land to be taken (relative): `f64`'s error over
/// the handful of operations is below 1e-15.
const ESTIMATE_MARGIN: f64 = 1e-6;

fn f(x: Decimal) -> f64 {
    crate::engine::num::approx_f64(x)
}

impl Seen {
    /// For a lending account with one or two collaterals and one other debt asset, at health `h`.
    fn of(cfg: &EngineConfig, w: &World, acc: &Account, h: Decimal) -> Option<Self> {
        let (d, _) = single_debt(acc)?;
        let sd = w.assets.get(d)?;
        let mut seen = Self {
            collateral: [(0.0, 0.0, 0.0, 0); SEEN_COLLATERALS],
            count: acc.collateral_scaled.len(),
            debt: (f(sd.price), f(sd.borrow_index), sd.params),
        };
        let mut total = 0.0;
        for (k, c) in acc.collateral_scaled.keys().enumerate() {
            let st = w.assets.get(c)?;
            let weighted = f(collateral_line(cfg, w, acc, c).ok()?.weighted);
            total += weighted;
            seen.collateral[k] = (weighted, f(st.price), f(st.supply_index), st.params);
        }
        if total.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            return None;
        }
        // Shares of the health, adding up to it.
        for k in 0..seen.count {
            seen.collateral[k].0 *= f(h) / total;
        }
        Some(seen)
    }

    /// The health now, scaled from what was seen (`None` if a parameter set changed).
    fn health_now(&self, w: &World, acc: &Account) -> Option<f64> {
        let (d, _) = single_debt(acc)?;
        let sd = w.assets.get(d)?;
        if sd.params != self.debt.2 || acc.collateral_scaled.len() != self.count {
            return None;
        }
        let mut collateral = 0.0;
        for (k, c) in acc.collateral_scaled.keys().enumerate() {
            let st = w.assets.get(c)?;
            let (share, price, index, params) = self.collateral[k];
            if st.params != params {
                return None;
            }
            collateral += share * (f(st.price) / price) * (f(st.supply_index) / index);
        }
        let debt = (f(sd.price) / self.debt.0) * (f(sd.borrow_index) / self.debt.1);
        let h = collateral / debt;
        h.is_finite().then_some(h)
    }
}

/// The one debt of a lending account with one or two collaterals (not that asset) and nothing
/// else (no position, no vault).
fn single_debt(acc: &Account) -> Option<(&AssetId, &Decimal)> {
    let n = acc.collateral_scaled.len();
    if n == 0
        || n > SEEN_COLLATERALS
        || acc.debt_scaled.len() != 1
        || !acc.positions.is_empty()
        || !acc.vaults.is_empty()
    {
        return None;
    }
    let d = acc.debt_scaled.iter().next()?;
    (!acc.collateral_scaled.contains_key(d.0)).then_some(d)
}

/// The active borrowers and when each acts next.
#[derive(Clone, Debug, Default)]
pub struct AgentBook {
    profiles: Profiles,
    /// When each acts next, earliest (then lowest id) first. A heap: a step takes the earliest
    /// and puts each back with its next time, a few hundred a step in a crowd of 10,000.
    due: BinaryHeap<Reverse<(i64, AccountId)>>,
    /// Seconds between actions on average, and the seed.
    mean_gap: i64,
    seed: u64,
    /// Whether any borrower has remembered what it saw (until then [`AgentBook::forget`] has
    /// nothing to look up: a crowd's arrival re-indexes everyone).
    remembering: bool,
}

/// The active borrowers' profiles, sorted by id (a crowd joins in id order): found by a binary
/// search of one vector rather than through a tree, at every turn and every re-indexing.
#[derive(Clone, Debug, Default, PartialEq)]
struct Profiles(Vec<(AccountId, AgentProfile)>);

impl Profiles {
    fn find(&self, id: &AccountId) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.cmp(id))
    }
    fn get(&self, id: &AccountId) -> Option<&AgentProfile> {
        self.find(id).ok().map(|i| &self.0[i].1)
    }
    fn get_mut(&mut self, id: &AccountId) -> Option<&mut AgentProfile> {
        self.find(id).ok().map(|i| &mut self.0[i].1)
    }
    /// Sets `id`'s profile; the one it replaces, if any.
    fn insert(&mut self, id: AccountId, profile: AgentProfile) -> Option<AgentProfile> {
        match self.find(&id) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, profile)),
            Err(i) => {
                self.0.insert(i, (id, profile));
                None
            }
        }
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Books are equal when the same borrowers are due at the same times (a heap's layout aside).
impl PartialEq for AgentBook {
    fn eq(&self, other: &Self) -> bool {
        self.profiles == other.profiles
            && self.mean_gap == other.mean_gap
            && self.seed == other.seed
            && self.remembering == other.remembering
            && self.due.clone().into_sorted_vec() == other.due.clone().into_sorted_vec()
    }
}

/// SplitMix64 of the seed, the account and its action count: uniform in (0, 1].
fn uniform(seed: u64, id: AccountId, n: u32) -> f64 {
    let mut z = seed ^ id.0.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (u64::from(n) << 32);
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    ((z >> 11) as f64 + 1.0) / (1u64 << 53) as f64
}

impl AgentBook {
    /// Adds an active borrower; its first action comes after an exponential wait from `now`.
    pub fn join(
        &mut self,
        id: AccountId,
        profile: AgentProfile,
        seed: u64,
        now: i64,
        actions_per_week: Decimal,
    ) {
        let per_week = actions_per_week.to_f64().unwrap_or(0.0).max(1e-6);
        self.mean_gap = (7.0 * 86_400.0 / per_week) as i64;
        self.seed = seed;
        let next = now + self.gap(id, 0);
        // Once each: a second entry would make it act twice.
        if self.profiles.insert(id, profile).is_none() {
            self.due.push(Reverse((next, id)));
        }
    }

    /// Forgets what `id` saw (its account changed: see the module's documentation).
    pub fn forget(&mut self, id: AccountId) {
        if !self.remembering {
            return;
        }
        if let Some(p) = self.profiles.get_mut(&id) {
            p.seen = None;
        }
    }

    fn gap(&self, id: AccountId, n: u32) -> i64 {
        let u = uniform(self.seed, id, n);
        ((-libm::log(u) * self.mean_gap as f64) as i64).max(1)
    }

    /// Active borrowers.
    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }
}

impl Engine {
    /// The active borrowers due by `now` act (ordinary commands; their events are returned).
    pub(crate) fn run_agents(&mut self, now: i64) -> Vec<Event> {
        let mut out = Vec::new();
        while let Some(&Reverse((t, id))) = self.agents.due.peek() {
            if t > now {
                break;
            }
            self.agents.due.pop();
            let Some(profile) = self.agents.profiles.get(&id) else {
                continue;
            };
            let (decision, seen) = self.agent_decision(id, profile);
            let acted = decision.is_some();
            if let Some(cmd) = decision {
                for c in cmd {
                    if let Ok(evs) = self.apply(id, c) {
                        out.extend(evs);
                    } else {
                        break;
                    }
                }
            }
            let Some(profile) = self.agents.profiles.get_mut(&id) else {
                continue;
            };
            // What it saw holds only if it changed nothing (its commands re-indexed it).
            if !acted {
                self.agents.remembering |= seen.is_some();
                profile.seen = seen;
            }
            profile.acts += 1;
            let acts = profile.acts;
            let next = t.max(now) + self.agents.gap(id, acts);
            if self.accounts.get(&id).is_some_and(|a| a.has_risk()) {
                self.agents.due.push(Reverse((next, id)));
            }
        }
        out
    }

    /// What an active borrower does now, if anything. Each kind of borrower reads only the view
    /// its rule needs (a trader its positions, a lending borrower its pooled health, a vault
    /// owner its vaults), the same figures `account_metrics` reports: a quarter of a crowd
    /// decides every week, and the full metrics were the largest share of a crowd's tick.
    fn agent_decision(
        &self,
        id: AccountId,
        profile: &AgentProfile,
    ) -> (Option<Vec<Command>>, Option<Seen>) {
        let Some(acc) = self.accounts.get(&id) else {
            return (None, None);
        };
        if self.cfg.design == CollateralDesign::MultiCollateral {
            let (lo, hi) = (f(profile.target) * 0.85, f(profile.target) * 1.3);
            let inside =
                |h: f64| h > lo * (1.0 + ESTIMATE_MARGIN) && h < hi * (1.0 - ESTIMATE_MARGIN);
            if let Some(h) = profile.seen.and_then(|s| s.health_now(&self.world, acc)) {
                if inside(h) {
                    return (None, profile.seen);
                }
            }
        }
        let mut seen = None;
        let decision = self.decide(acc, profile, &mut seen);
        (decision, seen)
    }

    /// What the exact figures decide (and, for a lending borrower, what it saw in `seen`).
    fn decide(
        &self,
        acc: &Account,
        profile: &AgentProfile,
        seen: &mut Option<Seen>,
    ) -> Option<Vec<Command>> {
        let debt_asset = self.cfg.debt_asset.clone();
        let target = profile.target;
        let dec2 = |x: Decimal| x.round_dp(2);
        if !acc.positions.is_empty() {
            // A trader.
            let pv = perp_view(&self.cfg, &self.world, acc).ok()?;
            let p = pv.positions.first()?;
            if pv.margin_ratio().is_some_and(|r| r > dec!(0.6)) {
                return Some(vec![Command::ReducePosition {
                    market: p.market.clone(),
                    size: (p.size / Decimal::TWO).round_dp(6),
                }]);
            }
            let leverage = acc
                .positions
                .get(&p.market)
                .map(|x| x.leverage)
                .unwrap_or(Decimal::ONE);
            let margin = if p.mode == MarginMode::Isolated {
                p.margin
            } else {
                ratio(p.notional, leverage).unwrap_or_default()
            };
            if p.unrealized_pnl > margin / dec!(5) {
                let add = (p.size / dec!(5)).round_dp(6);
                let cost = add * p.mark_price / leverage.max(Decimal::ONE);
                return Some(vec![
                    Command::Fund {
                        asset: debt_asset,
                        amount: dec2(cost * dec!(1.25)).max(dec!(0.01)),
                    },
                    Command::OpenPosition {
                        market: p.market.clone(),
                        side: p.side,
                        size: add,
                        leverage,
                        mode: p.mode,
                    },
                ]);
            }
            return None;
        }
        let p_debt = self.world.price(&debt_asset);
        if p_debt.is_zero() {
            return None;
        }
        match self.cfg.design {
            CollateralDesign::MultiCollateral => {
                let m = lending_view(&self.cfg, &self.world, acc).ok()?;
                let h = m.health_factor()?;
                if !crate::engine::system::broker::portfolio_margin(&self.cfg)
                    && !self.world.risk.credit_accounts.contains(&acc.id)
                {
                    *seen = Seen::of(&self.cfg, &self.world, acc, h);
                }
                let to_target = || m.weighted_collateral / target;
                if h < target * dec!(0.85) {
                    let repay = dec2((m.debt_value - to_target()) / p_debt);
                    let owed = crate::engine::health::debt_amount(&self.world, acc, &debt_asset);
                    let repay = repay.min(owed);
                    (repay > Decimal::ZERO).then(|| {
                        vec![
                            Command::Fund {
                                asset: debt_asset.clone(),
                                amount: repay,
                            },
                            Command::Repay {
                                asset: debt_asset,
                                amount: repay,
                            },
                        ]
                    })
                } else if h > target * dec!(1.3) {
                    let more = dec2(
                        (to_target().min(m.borrow_limit * dec!(0.999)) - m.debt_value) / p_debt,
                    );
                    (more > Decimal::ZERO).then(|| {
                        vec![Command::Borrow {
                            asset: debt_asset,
                            amount: more,
                        }]
                    })
                } else {
                    None
                }
            }
            CollateralDesign::SingleCollateral => {
                let mut vaults = Vec::with_capacity(acc.vaults.len());
                for (asset, vault) in &acc.vaults {
                    let vv = vault_view(&self.cfg, &self.world, asset, vault).ok()?;
                    vaults.push((vv.ratio(), vv, asset));
                }
                let (ratio, v, collateral_asset) = vaults.into_iter().min_by_key(|v| v.0)?;
                let ratio = ratio?;
                let want = v.liquidation_ratio * target;
                let coll_value = ratio * v.debt * p_debt;
                if ratio < want * dec!(0.85) {
                    // Repay what brings the ratio back, or (Liquity) nothing below its minimum.
                    let repay = dec2(v.debt - coll_value / want / p_debt);
                    (repay > Decimal::ZERO).then(|| {
                        vec![
                            Command::Fund {
                                asset: debt_asset,
                                amount: repay,
                            },
                            Command::VaultRepay {
                                collateral: collateral_asset.clone(),
                                amount: repay,
                            },
                        ]
                    })
                } else if ratio > want * dec!(1.3) {
                    let more = dec2(coll_value / want / p_debt - v.debt);
                    (more > Decimal::ZERO).then(|| {
                        vec![Command::VaultBorrow {
                            collateral: collateral_asset.clone(),
                            amount: more,
                        }]
                    })
                } else {
                    None
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::params::preset::PresetId;
    use crate::engine::population::{PopulationParams, PopulationSpec};
    use std::collections::BTreeMap;

    // TC: what an active borrower saw, scaled by the moves since, is its exact health: over a
    // crowd that acts daily (accounts changing under it) through a year of moving prices and
    // interest, every remembered figure matches the exact health to 1e-9 — far inside the margin
    // the shortcut keeps from its thresholds, so it never decides otherwise than the exact figures.
    // A scaling that missed an index or a price, or a change to an account that did not forget
    // what it saw, would be off by percents.
    #[test]
    fn what_an_agent_saw_scales_to_its_exact_health() {
        let mut cfg = PresetId::AaveV3.config();
        cfg.population = Some(PopulationSpec {
            params: PopulationParams {
                active_share: Decimal::ONE,
                actions_per_week: dec!(7),
                ..PopulationParams::with_count(400)
            },
            seed: 11,
        });
        let mut e = Engine::new(cfg).expect("the crowd is generated");
        let eth = crate::engine::ids::AssetId::new("ETH");
        let p0 = e.oracle_prices()[&eth];
        let (mut compared, mut two_collaterals) = (0, 0);
        for day in 1..=365i64 {
            // A wave of ±25% over the year.
            let wave = Decimal::try_from(1.0 + 0.25 * libm::sin(day as f64 / 20.0)).unwrap();
            let prices = BTreeMap::from([(eth.clone(), (p0 * wave).round_dp(2))]);
            e.step(e.now() + 86_400, &prices).unwrap();
            for (id, profile) in &e.agents.profiles.0 {
                let (Some(seen), Some(acc)) = (profile.seen, e.accounts.get(id)) else {
                    continue;
                };
                let Some(estimate) = seen.health_now(&e.world, acc) else {
                    continue;
                };
                let exact = lending_view(&e.cfg, &e.world, acc)
                    .unwrap()
                    .health_factor()
                    .unwrap();
                let exact = f(exact);
                assert!(
                    ((estimate - exact) / exact).abs() < 1e-9,
                    "{id:?} on day {day}: {estimate} against {exact}"
                );
                compared += 1;
                if seen.count == 2 {
                    two_collaterals += 1;
                }
            }
        }
        assert!(compared > 20_000, "only {compared} comparisons");
        assert!(
            two_collaterals > 2_000,
            "only {two_collaterals} with two collaterals"
        );
    }
}
