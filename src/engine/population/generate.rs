//! Drawing and creating the crowd (see the module docs of [`super`] and [`PopulationParams`]).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::agents::AgentProfile;
use super::{PopulationParams, PopulationSpec, FIRST, LENDER};
use crate::engine::account::Account;
use crate::engine::command::{Command, MarginMode, Side};
use crate::engine::core::Engine;
use crate::engine::error::EngineError;
use crate::engine::event::{AssetAmount, EventKind, JoinedPosition};
use crate::engine::health::{lending_view, vault_view};
use crate::engine::ids::{AccountId, AssetId};
use crate::engine::params::asset::{AssetClass, AssetParams};
use crate::engine::params::config::{CollateralDesign, EngineConfig};

/// The crowd's random draws.
struct Draws(ChaCha8Rng);

impl Draws {
    fn new(seed: u64) -> Self {
        // A stream of its own, apart from the price path's.
        Self(ChaCha8Rng::seed_from_u64(seed ^ 0x706f_7075_6c61_7469))
    }
    /// Uniform in (0, 1].
    fn uniform(&mut self) -> f64 {
        1.0 - self.0.random::<f64>()
    }
    fn normal(&mut self) -> f64 {
        self.0.sample(StandardNormal)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.uniform() <= p
    }
    /// One of `weights`' indices, in proportion to the weights.
    fn pick(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.uniform() * total;
        for (i, w) in weights.iter().enumerate() {
            if x <= *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }
}

/// `x` rounded half away from zero to `dp` places (exact: through an integer of units of
/// 10^-dp; every draw here is far below 2^63 such units).
fn dec(x: f64, dp: u32) -> Decimal {
    let scaled = libm::round(x * libm::pow(10.0, f64::from(dp)));
    if !scaled.is_finite() || scaled.abs() >= 9.0e18 {
        return Decimal::ZERO;
    }
    Decimal::new(scaled as i64, dp)
}

fn f(x: Decimal) -> f64 {
    x.to_f64().unwrap_or(0.0)
}

/// The parameters the draws use, as `f64` once (not converted again for every borrower).
struct Shape {
    size_min: f64,
    size_alpha: f64,
    size_max: f64,
    health_median: f64,
    health_spread: f64,
    health_floor: f64,
    leverage_median: f64,
    long_share: f64,
    isolated_share: f64,
    second_collateral_share: f64,
    active_share: f64,
}

impl Shape {
    fn of(p: &PopulationParams) -> Self {
        Self {
            size_min: f(p.size_min),
            size_alpha: f(p.size_alpha),
            size_max: f(p.size_max),
            health_median: f(p.health_median),
            health_spread: f(p.health_spread),
            health_floor: f(p.health_floor),
            leverage_median: f(p.leverage_median),
            long_share: f(p.long_share),
            isolated_share: f(p.isolated_share),
            second_collateral_share: f(p.second_collateral_share),
            active_share: f(p.active_share),
        }
    }

    /// Pareto-distributed value: `min × U^(−1/alpha)`, capped.
    fn size(&self, d: &mut Draws) -> f64 {
        let x = self.size_min * libm::pow(d.uniform(), -1.0 / self.size_alpha);
        x.min(self.size_max)
    }

    /// Starting health: `1 + (median − 1) × e^(spread × Z)`, at least the floor.
    fn health(&self, d: &mut Draws) -> f64 {
        let x = 1.0 + (self.health_median - 1.0) * libm::exp(self.health_spread * d.normal());
        x.max(self.health_floor)
    }
}

/// One collateral (or perp market) the crowd may use, with what the draws read of it as `f64`.
struct Candidate {
    params: AssetParams,
    /// Draw weight: market depth, or 20M.
    weight: f64,
    /// Oracle price (at least 10^-12).
    price: f64,
    liquidation_threshold: f64,
}

/// The crowd's collateral (or perp markets).
fn candidates(cfg: &EngineConfig, w: &crate::engine::state::World, perps: bool) -> Vec<Candidate> {
    cfg.assets
        .iter()
        // Isolated collateral (Aave's isolation mode) has its own small ceiling: not the crowd's.
        .filter(|a| {
            a.id != cfg.debt_asset && a.class != AssetClass::Stablecoin && a.debt_ceiling.is_none()
        })
        .filter(|a| match (perps, cfg.design) {
            (true, _) => a.perp.is_some(),
            (false, CollateralDesign::MultiCollateral) => {
                a.liquidation_threshold > Decimal::ZERO && a.ltv > Decimal::ZERO
            }
            (false, CollateralDesign::SingleCollateral) => a.liquidation_ratio > Decimal::ZERO,
        })
        .map(|a| Candidate {
            params: a.clone(),
            weight: a.market_depth.map_or(2e7, f),
            price: f(w.price(&a.id)).max(1e-12),
            liquidation_threshold: f(a.liquidation_threshold),
        })
        .collect()
}

/// One borrower's plan: the commands that fund and post (or trade), and the health it aims at
/// (a trader: its leverage); the borrow is sized on what was posted.
struct Plan {
    commands: Vec<Command>,
    target: f64,
}

impl Engine {
    /// Creates the crowd of `spec` (see the module docs).
    pub(crate) fn seed_population(&mut self, spec: &PopulationSpec) -> Result<(), EngineError> {
        let p = &spec.params;
        if p.count == 0 {
            return Ok(());
        }
        let perps = self.cfg.assets.iter().any(|a| a.perp.is_some())
            && self
                .cfg
                .assets
                .iter()
                .all(|a| a.perp.is_some() || a.class == AssetClass::Stablecoin);
        let pool = candidates(&self.cfg, &self.world, perps);
        if pool.is_empty() {
            return Err(EngineError::InvalidConfig(
                "the population has no collateral or market to use in this scenario".into(),
            ));
        }
        let weights: Vec<f64> = pool.iter().map(|c| c.weight).collect();
        let shape = Shape::of(p);
        let debt_asset = self.cfg.debt_asset.clone();
        let p_debt = f(self.world.price(&debt_asset)).max(1e-12);
        let mut d = Draws::new(spec.seed);
        // Draw everyone first: what they post, at which health (and the lender's supply).
        let mut plans = Vec::with_capacity(p.count as usize);
        let mut expected_debt = 0.0;
        for _ in 0..p.count {
            let (plan, debt) = self.draw(&mut d, &shape, &pool, &weights, perps, p_debt);
            expected_debt += debt;
            plans.push(plan);
        }
        // The crowd's own event first (its figures are known at the end), then one per borrower.
        let mut events = Vec::with_capacity(p.count as usize + 3);
        events.push(EventKind::PopulationGenerated {
            borrowers: 0,
            seed: spec.seed,
            lender_supply: AssetAmount {
                asset: debt_asset.clone(),
                amount: Decimal::ZERO,
            },
        });
        // A lender supplies the pooled debt asset at 80% utilization.
        let mut lender_supply = Decimal::ZERO;
        if self.cfg.design == CollateralDesign::MultiCollateral && !perps && expected_debt > 0.0 {
            lender_supply = dec(expected_debt / 0.8 / 1.0, 0).max(Decimal::ONE);
            let mut lender = Account::new(LENDER, "Crowd's lender".into());
            for cmd in [
                Command::Fund {
                    asset: debt_asset.clone(),
                    amount: lender_supply,
                },
                Command::Deposit {
                    asset: debt_asset.clone(),
                    amount: lender_supply,
                },
            ] {
                events.extend(
                    crate::engine::actions::apply(&self.cfg, &mut self.world, &mut lender, &cmd)
                        .map_err(|r| {
                            EngineError::InvalidConfig(format!("the crowd's lender: {r}"))
                        })?,
                );
            }
            self.accounts.insert(LENDER, lender);
            self.reindex(LENDER);
        }
        let mut joined = 0u32;
        for (i, plan) in plans.into_iter().enumerate() {
            let id = AccountId(FIRST + i as u64);
            events.push(self.create_borrower(id, &plan, p_debt, perps)?);
            joined += 1;
            if d.chance(shape.active_share) && p.actions_per_week > Decimal::ZERO {
                self.agents.join(
                    id,
                    AgentProfile::new(dec(plan.target, 4)),
                    spec.seed,
                    self.world.now,
                    p.actions_per_week,
                );
            }
        }
        self.reindex_many((0..u64::from(joined)).map(|i| AccountId(FIRST + i)));
        events[0] = EventKind::PopulationGenerated {
            borrowers: joined,
            seed: spec.seed,
            lender_supply: AssetAmount {
                asset: debt_asset,
                amount: lender_supply,
            },
        };
        self.log.record(self.world.now, events);
        Ok(())
    }

    /// One borrower's draw and the debt value it expects (for the lender's supply).
    fn draw(
        &self,
        d: &mut Draws,
        shape: &Shape,
        pool: &[Candidate],
        weights: &[f64],
        perps: bool,
        p_debt: f64,
    ) -> (Plan, f64) {
        let value = shape.size(d);
        let main = d.pick(weights);
        if perps {
            let c = &pool[main];
            let a = &c.params;
            let max_lev = a.perp.as_ref().map_or(1.0, |x| f(x.max_leverage));
            let mut lev = (shape.leverage_median * libm::exp(0.5 * d.normal())).clamp(1.0, max_lev);
            // Within the bracket of the notional it makes (twice: a lower leverage may fall
            // into a lower bracket).
            for _ in 0..2 {
                let notional = dec(value * lev / p_debt, 2);
                if let Some(cap) = a.margin_tier(notional).and_then(|t| t.max_leverage) {
                    lev = lev.min(f(cap));
                }
            }
            let lev = f(dec(lev, 2)).max(1.0);
            let side = if d.chance(shape.long_share) {
                Side::Long
            } else {
                Side::Short
            };
            let mode = if d.chance(shape.isolated_share) {
                MarginMode::Isolated
            } else {
                MarginMode::Cross
            };
            let price = c.price;
            // What the engine will ask (size × price / leverage, as rounded), and a cent more;
            // cross books keep a quarter more than the initial margin in the wallet.
            let size = f(dec(value * lev / price, 6));
            let margin = size * price / lev / p_debt + 0.01;
            let funded = if mode == MarginMode::Cross {
                margin * 1.25
            } else {
                margin
            };
            let plan = Plan {
                commands: vec![
                    Command::Fund {
                        asset: self.cfg.debt_asset.clone(),
                        amount: dec(funded + 0.005, 2),
                    },
                    Command::OpenPosition {
                        market: a.id.clone(),
                        side,
                        size: dec(size, 6),
                        leverage: dec(lev, 2),
                        mode,
                    },
                ],
                target: lev,
            };
            return (plan, 0.0);
        }
        let h = shape.health(d);
        let mut parts = vec![(main, value)];
        if pool.len() > 1 && d.chance(shape.second_collateral_share) {
            let mut other = d.pick(weights);
            if other == main {
                other = (main + 1) % pool.len();
            }
            parts = vec![(main, value * 0.7), (other, value * 0.3)];
        }
        let vaults = self.cfg.design == CollateralDesign::SingleCollateral;
        let mut commands = Vec::new();
        let mut expected = 0.0;
        for (k, v) in parts {
            let c = &pool[k];
            let (a, price) = (&c.params, c.price);
            let mut v = v;
            if vaults {
                if let Some(l) = &self.cfg.liquity {
                    // A trove needs its minimum net debt: post enough for it at this health.
                    let need = f(a.liquidation_ratio)
                        * h
                        * (f(l.min_net_debt) * 1.03 + f(l.gas_compensation))
                        * p_debt;
                    v = v.max(need);
                }
            }
            let amount = dec(v / price, 8);
            commands.push(Command::Fund {
                asset: a.id.clone(),
                amount,
            });
            commands.push(if vaults {
                Command::VaultDeposit {
                    collateral: a.id.clone(),
                    amount,
                }
            } else {
                Command::Deposit {
                    asset: a.id.clone(),
                    amount,
                }
            });
            expected += if vaults {
                0.0
            } else {
                v * c.liquidation_threshold / h
            };
        }
        (
            Plan {
                commands,
                target: h,
            },
            expected,
        )
    }

    /// Sends a borrower's commands on the live world (no copy: the draws keep within the rules'
    /// limits) and logs one `BorrowerJoined`. A refusal means the parameters ask for what the
    /// rules forbid (e.g. Liquity troves that would start recovery mode): the crowd is not
    /// created and the scenario says why.
    fn create_borrower(
        &mut self,
        id: AccountId,
        plan: &Plan,
        p_debt: f64,
        perps: bool,
    ) -> Result<EventKind, EngineError> {
        let mut acc = Account::new(id, String::new());
        let refused = |r: crate::engine::error::Rejection| {
            EngineError::InvalidConfig(format!(
                "the crowd could not be created with these parameters ({r})"
            ))
        };
        for cmd in &plan.commands {
            crate::engine::actions::apply(&self.cfg, &mut self.world, &mut acc, cmd)
                .map_err(refused)?;
        }
        // Borrow, sized on what was posted: to the target health, within the limits.
        if !perps {
            let debt = self.cfg.debt_asset.clone();
            for cmd in self.crowd_borrows(&acc, plan.target, p_debt, &debt) {
                crate::engine::actions::apply(&self.cfg, &mut self.world, &mut acc, &cmd)
                    .map_err(refused)?;
            }
        }
        let kind = EventKind::BorrowerJoined {
            account: id,
            collateral: acc
                .collateral_scaled
                .keys()
                .map(|a| AssetAmount {
                    asset: a.clone(),
                    amount: crate::engine::health::collateral_amount(&self.world, &acc, a),
                })
                .chain(acc.vaults.iter().map(|(a, v)| AssetAmount {
                    asset: a.clone(),
                    amount: v.collateral,
                }))
                .collect(),
            debt: acc
                .debt_scaled
                .keys()
                .map(|a| AssetAmount {
                    asset: a.clone(),
                    amount: crate::engine::health::debt_amount(&self.world, &acc, a),
                })
                .chain(acc.vaults.iter().filter_map(|(a, v)| {
                    let view = vault_view(&self.cfg, &self.world, a, v).ok()?;
                    Some(AssetAmount {
                        asset: self.cfg.debt_asset.clone(),
                        amount: view.debt,
                    })
                }))
                .collect(),
            positions: acc
                .positions
                .iter()
                .map(|(m, p)| JoinedPosition {
                    market: m.clone(),
                    side: p.side,
                    mode: p.mode,
                    size: p.size,
                    leverage: p.leverage,
                })
                .collect(),
        };
        // Indexed with the rest of the crowd once everyone joined (`seed_population`).
        self.accounts.insert(id, acc);
        Ok(kind)
    }

    /// The borrow commands that bring `acc` to `target` health within its limits.
    fn crowd_borrows(
        &self,
        acc: &Account,
        target: f64,
        p_debt: f64,
        debt_asset: &AssetId,
    ) -> Vec<Command> {
        match self.cfg.design {
            CollateralDesign::MultiCollateral => {
                let Ok(view) = lending_view(&self.cfg, &self.world, acc) else {
                    return Vec::new();
                };
                let want = f(view.weighted_collateral) / target;
                let cap = f(view.borrow_limit) * 0.999;
                let amount = dec(want.min(cap) / p_debt, 2);
                if amount <= Decimal::ZERO {
                    return Vec::new();
                }
                vec![Command::Borrow {
                    asset: debt_asset.clone(),
                    amount,
                }]
            }
            CollateralDesign::SingleCollateral => acc
                .vaults
                .iter()
                .filter_map(|(c, v)| {
                    let view = vault_view(&self.cfg, &self.world, c, v).ok()?;
                    let ratio = f(view.liquidation_ratio) * target;
                    let mut debt = f(view.collateral_value) / ratio / p_debt;
                    if let Some(l) = &self.cfg.liquity {
                        // Fee and gas compensation are added to the debt drawn.
                        debt = (debt - f(l.gas_compensation)) / (1.0 + f(l.borrowing_fee));
                    }
                    let amount = dec(debt, 2);
                    (amount > Decimal::ZERO).then(|| Command::VaultBorrow {
                        collateral: c.clone(),
                        amount,
                    })
                })
                .collect(),
        }
    }

    /// Changes the preset's buffer (after the crowd borrowed under the preset's own rules) and
    /// re-indexes every account against the new thresholds.
    pub(crate) fn apply_buffer(&mut self, b: &super::BufferParams) -> Result<(), EngineError> {
        for a in &mut self.cfg.assets {
            if a.class != AssetClass::Stablecoin || a.liquidation_threshold > Decimal::ZERO {
                if !b.threshold_shift.is_zero() && a.liquidation_threshold > Decimal::ZERO {
                    let lt =
                        (a.liquidation_threshold + b.threshold_shift).clamp(dec!(0.01), dec!(0.99));
                    a.liquidation_threshold = lt;
                    a.ltv = a.ltv.min(lt - dec!(0.005)).max(Decimal::ZERO);
                }
                if !b.threshold_shift.is_zero() && a.liquidation_ratio > Decimal::ZERO {
                    let inv = Decimal::ONE / a.liquidation_ratio + b.threshold_shift;
                    a.liquidation_ratio = (Decimal::ONE / inv.max(dec!(0.01))).round_dp(6);
                }
            }
            a.liquidation_bonus = (a.liquidation_bonus * b.bonus_scale).min(dec!(0.99));
            a.liquidation_penalty = (a.liquidation_penalty * b.bonus_scale).min(dec!(0.99));
            if let Some(depth) = a.market_depth {
                a.market_depth = Some(depth * b.depth_scale);
            }
        }
        if let Some(cf) = b.close_factor {
            self.cfg.close_factor = cf;
        }
        let ids: Vec<AccountId> = self.accounts.keys().copied().collect();
        self.index.clear_accounts();
        self.reindex_many(ids);
        self.log.record(
            self.world.now,
            vec![EventKind::BufferChanged {
                threshold_shift: b.threshold_shift,
                bonus_scale: b.bonus_scale,
                close_factor: b.close_factor,
                depth_scale: b.depth_scale,
            }],
        );
        Ok(())
    }
}
