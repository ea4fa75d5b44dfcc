//! The crowd's active borrowers: each acts at seeded random times (a Poisson process,
//! `actions_per_week` on average) through ordinary commands, so the market is not frozen:
//! - lending or vault borrowers whose health fell below 85% of their starting health repay
//!   (with paper money) back to it; those above 130% of it borrow back to it;
//! - traders whose margin ratio passed 60% halve their position; those whose position gained
//!   more than 20% of its margin add a fifth to it.
//!
//! Only the accounts due act at a step (a time-ordered schedule), so the cost of a step does not
//! grow with the crowd. A refused action is simply not taken (as a person would not).

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::engine::command::{Command, MarginMode};
use crate::engine::core::Engine;
use crate::engine::event::Event;
use crate::engine::health::{lending_view, vault_view};
use crate::engine::ids::AccountId;
use crate::engine::margin::perp_view;
use crate::engine::num::ratio;
use crate::engine::params::config::CollateralDesign;

/// What an active borrower aims at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentProfile {
    /// Its starting health (or, for a trader, its leverage).
    pub target: Decimal,
    /// How many times it has acted (part of its random stream).
    pub acts: u32,
}

/// The active borrowers and when each acts next.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgentBook {
    profiles: BTreeMap<AccountId, AgentProfile>,
    due: BTreeSet<(i64, AccountId)>,
    /// Seconds between actions on average, and the seed.
    mean_gap: i64,
    seed: u64,
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
        self.profiles.insert(id, profile);
        self.due.insert((next, id));
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
        while let Some(&(t, id)) = self.agents.due.iter().next() {
            if t > now {
                break;
            }
            self.agents.due.remove(&(t, id));
            let Some(profile) = self.agents.profiles.get(&id) else {
                continue;
            };
            if let Some(cmd) = self.agent_decision(id, profile) {
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
            profile.acts += 1;
            let acts = profile.acts;
            let next = t.max(now) + self.agents.gap(id, acts);
            if self.accounts.get(&id).is_some_and(|a| a.has_risk()) {
                self.agents.due.insert((next, id));
            }
        }
        out
    }

    /// What an active borrower does now, if anything. Each kind of borrower reads only the view
    /// its rule needs (a trader its positions, a lending borrower its pooled health, a vault
    /// owner its vaults), the same figures `account_metrics` reports: a quarter of a crowd
    /// decides every week, and the full metrics were the largest share of a crowd's tick.
    fn agent_decision(&self, id: AccountId, profile: &AgentProfile) -> Option<Vec<Command>> {
        let acc = self.accounts.get(&id)?;
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
