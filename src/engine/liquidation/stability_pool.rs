//! Stability pool absorption and redistribution (Liquity v1).
//!
//! A vault below its minimum collateral ratio (110%) is closed whole. Under Liquity's rules
//! (`LiquityRules` in the configuration) the liquidator first receives the trove's 200 LUSD gas
//! compensation and 0.5% of its collateral, so the pool's gain is at most ≈ 9.45%
//! (110% × 99.5% − 1), and recovery mode caps what the pool receives (see [`plan`]). The stability pool (deposits of
//! the debt asset) cancels as much of its debt as it can and receives the collateral in proportion;
//! depositors thus swap debt tokens for collateral bought at up to a 10% discount. What the pool
//! cannot absorb is redistributed to every other vault of the same collateral in proportion to its
//! collateral (they inherit debt and collateral). With nobody to redistribute to, the rest is bad
//! debt and its collateral goes to protocol reserves.
//!
//! Deposits use Liquity's product-sum scheme so a liquidation costs O(1) for depositors: the pool
//! keeps a product `P` and per-collateral sums `S`; a deposit `d0` made at `(P0, S0)` is worth
//! `d0 × P / P0` and has gained `d0 × (S − S0) / P0` collateral. A liquidation that cancels debt `L`
//! with collateral `E` from a pool of `D` sets `S += E / D × P` and `P *= 1 − L / D`. The pool never
//! absorbs its last unit (Liquity keeps 1 LUSD) so `P` stays positive. Redistribution is applied
//! eagerly to the other vaults (O(vaults of that collateral); it is rare).

use super::{LiqContext, LiquidationMechanism, Target};
use crate::engine::account::{bump, Account, StabilityDeposit};
use crate::engine::error::{EngineError, Rejection};
use crate::engine::event::{AssetAmount, EventKind};
use crate::engine::event::{Party, Share};
use crate::engine::health::{vault_view, VaultView};
use crate::engine::ids::AssetId;
use crate::engine::num::{add, div, mul};
use crate::engine::params::config::EngineConfig;
use crate::engine::params::config::LiquityRules;
use crate::engine::state::{StabilityPool, World};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub struct StabilityPoolAbsorb;

/// The pool keeps at least this much so its product never reaches zero.
const POOL_FLOOR: Decimal = Decimal::ONE;

impl LiquidationMechanism for StabilityPoolAbsorb {
    fn name(&self) -> &'static str {
        "stability pool (Liquity v1)"
    }

    fn liquidate(
        &self,
        ctx: &mut LiqContext<'_>,
        target: &Target,
    ) -> Result<Vec<EventKind>, EngineError> {
        match target {
            Target::Vault(c) => self.vault(ctx, c),
            // Config validation only allows this mechanism with single-collateral vaults.
            Target::Account => Err(EngineError::InvalidConfig(
                "the stability pool mechanism needs single-collateral vaults".into(),
            )),
            Target::Positions => Ok(Vec::new()),
        }
    }
}

impl StabilityPoolAbsorb {
    fn vault(&self, ctx: &mut LiqContext<'_>, c: &AssetId) -> Result<Vec<EventKind>, EngineError> {
        let Some(v) = ctx.account.vaults.get(c).cloned() else {
            return Ok(Vec::new());
        };
        let before = vault_view(ctx.cfg, ctx.world, c, &v)?;
        let debt = before.debt;
        let coll = v.collateral;
        let debt_asset = ctx.cfg.debt_asset.clone();
        let p_c = ctx.world.price(c);
        let p_d = ctx.world.price(&debt_asset);
        // Close the vault.
        crate::engine::health::remove_stake(ctx.world, c, &v)?;
        let st = ctx.world.asset_mut(c)?;
        st.vault_debt_scaled -= v.debt_scaled;
        st.vault_collateral -= coll;
        ctx.account.vaults.remove(c);
        // Liquity's rules (when the configuration has them): what goes to the liquidator, and in
        // recovery mode the cap on what the pool receives.
        let plan = match ctx.cfg.liquity.clone() {
            None => Plan {
                coll,
                liquidator_coll: Decimal::ZERO,
                liquidator_gas: Decimal::ZERO,
                surplus: Decimal::ZERO,
                redistribute_all: false,
            },
            Some(rules) => plan(&rules, ctx, &before, coll, p_c, p_d)?,
        };
        let sp = &mut ctx.world.ledger.stability;
        let absorbable = if plan.redistribute_all {
            Decimal::ZERO
        } else {
            (sp.total - POOL_FLOOR).max(Decimal::ZERO)
        };
        let absorbed = debt.min(absorbable);
        let coll_to_pool = if debt.is_zero() {
            Decimal::ZERO
        } else {
            mul(plan.coll, div(absorbed, debt)?)?
        };
        if absorbed > Decimal::ZERO {
            let s = sp.s.get(c).copied().unwrap_or_default();
            let s_new = add(s, mul(div(coll_to_pool, sp.total)?, sp.p)?)?;
            sp.s.insert(c.clone(), s_new);
            sp.p = mul(sp.p, Decimal::ONE - div(absorbed, sp.total)?)?;
            sp.total -= absorbed;
            bump(&mut sp.collateral, c, coll_to_pool);
        }
        if plan.liquidator_gas > Decimal::ZERO || plan.liquidator_coll > Decimal::ZERO {
            ctx.world.ledger.gas_pool -= plan.liquidator_gas;
            bump(
                &mut ctx.world.ledger.liquidators,
                &debt_asset,
                plan.liquidator_gas,
            );
            bump(&mut ctx.world.ledger.liquidators, c, plan.liquidator_coll);
        }
        if plan.surplus > Decimal::ZERO {
            ctx.account.credit(c, plan.surplus);
        }
        let mut events = vec![EventKind::Liquidated {
            account: ctx.account.id,
            mechanism: self.name().to_string(),
            vault: Some(c.clone()),
            debt_asset: debt_asset.clone(),
            debt_repaid: absorbed,
            collateral_asset: c.clone(),
            collateral_seized: coll_to_pool,
            price_used: p_c,
            penalty_value: coll_to_pool * p_c - absorbed * p_d,
            receiver: "stability pool depositors".to_string(),
            returned_to_owner: plan.surplus,
            health_before: before.ratio(),
            health_after: None,
            bad_debt: Decimal::ZERO,
        }];
        if ctx.cfg.liquity.is_some() {
            let mut shares = vec![Share {
                party: Party::StabilityPool,
                asset: c.clone(),
                amount: coll_to_pool - div(mul(absorbed, p_d)?, p_c)?,
                value: coll_to_pool * p_c - absorbed * p_d,
            }];
            shares.push(Share {
                party: Party::Liquidator,
                asset: c.clone(),
                amount: plan.liquidator_coll,
                value: plan.liquidator_coll * p_c,
            });
            shares.push(Share {
                party: Party::Liquidator,
                asset: debt_asset.clone(),
                amount: plan.liquidator_gas,
                value: plan.liquidator_gas * p_d,
            });
            if plan.surplus > Decimal::ZERO {
                shares.push(Share {
                    party: Party::Owner,
                    asset: c.clone(),
                    amount: plan.surplus,
                    value: plan.surplus * p_c,
                });
            }
            events.push(EventKind::LiquidationShares {
                account: ctx.account.id,
                shares,
            });
        }
        let rest_debt = debt - absorbed;
        let rest_coll = plan.coll - coll_to_pool;
        if rest_debt > Decimal::ZERO || rest_coll > Decimal::ZERO {
            events.extend(redistribute(ctx, c, rest_debt, rest_coll)?);
        }
        Ok(events)
    }
}

/// How a trove's collateral is split under Liquity's rules.
struct Plan {
    /// Collateral left for the pool (and redistribution) after the liquidator's share and the
    /// owner's surplus.
    coll: Decimal,
    /// 0.5% of the collateral (of the capped collateral in recovery mode) to the liquidator.
    liquidator_coll: Decimal,
    /// The trove's gas compensation, from the gas pool to the liquidator.
    liquidator_gas: Decimal,
    /// Recovery mode, ratio at or above 110%: collateral above 110% of the debt, kept for the owner.
    surplus: Decimal,
    /// Recovery mode, ratio at or below 100%: everything is redistributed (no pool offset).
    redistribute_all: bool,
}

/// Liquity `TroveManager` (`_liquidateNormalMode`, `_liquidateRecoveryMode`,
/// `_getCappedOffsetVals`): the liquidator gets the gas compensation and 0.5% of the collateral;
/// in recovery mode a trove at or above 110% gives the pool collateral worth 110% of its debt
/// (the rest is the owner's), and one at or below 100% is redistributed whole.
fn plan(
    rules: &LiquityRules,
    ctx: &LiqContext<'_>,
    view: &VaultView,
    coll: Decimal,
    p_c: Decimal,
    p_d: Decimal,
) -> Result<Plan, EngineError> {
    let gas = rules
        .gas_compensation
        .min(view.debt)
        .min(ctx.world.ledger.gas_pool.max(Decimal::ZERO));
    let ratio = view.ratio().unwrap_or(Decimal::MAX);
    let mcr = view.liquidation_ratio;
    if ctx.world.recovery_mode && ratio >= mcr {
        let capped = div(mul(mul(view.debt, mcr)?, p_d)?, p_c)?.min(coll);
        let to_liquidator = mul(capped, rules.collateral_gas_share)?;
        return Ok(Plan {
            coll: capped - to_liquidator,
            liquidator_coll: to_liquidator,
            liquidator_gas: gas,
            surplus: coll - capped,
            redistribute_all: false,
        });
    }
    let to_liquidator = mul(coll, rules.collateral_gas_share)?;
    Ok(Plan {
        coll: coll - to_liquidator,
        liquidator_coll: to_liquidator,
        liquidator_gas: gas,
        surplus: Decimal::ZERO,
        redistribute_all: ctx.world.recovery_mode && ratio <= Decimal::ONE,
    })
}

/// When no other vault can take a redistribution: the debt is bad debt (logged) and the
/// collateral goes to the reserves.
fn nobody_to_take(
    ctx: &mut LiqContext<'_>,
    c: &AssetId,
    debt: Decimal,
    coll: Decimal,
) -> Vec<EventKind> {
    let mut out = Vec::new();
    if debt > Decimal::ZERO {
        let debt_asset = ctx.cfg.debt_asset.clone();
        bump(&mut ctx.world.ledger.bad_debt, &debt_asset, debt);
        out.push(EventKind::BadDebt {
            account: ctx.account.id,
            asset: debt_asset,
            amount: debt,
        });
    }
    bump(&mut ctx.world.ledger.reserves, c, coll);
    out
}

/// Spreads debt and collateral over the other vaults of collateral `c` by their collateral share.
fn redistribute(
    ctx: &mut LiqContext<'_>,
    c: &AssetId,
    debt: Decimal,
    coll: Decimal,
) -> Result<Vec<EventKind>, EngineError> {
    let from = ctx.account.id;
    if ctx.cfg.liquity.is_some() {
        return redistribute_lazily(ctx, c, debt, coll);
    }
    let mut recipients: Vec<(Account, Decimal)> = Vec::new();
    let mut total = Decimal::ZERO;
    let ids: Vec<_> = ctx
        .others
        .keys()
        .copied()
        .filter(|id| *id != from)
        .collect();
    for id in ids {
        if let Some(acc) = ctx.other(id) {
            if let Some(v) = acc.vaults.get(c) {
                if v.collateral > Decimal::ZERO {
                    total = add(total, v.collateral)?;
                    recipients.push((acc.clone(), v.collateral));
                }
            }
        }
    }
    if recipients.is_empty() || total.is_zero() {
        return Ok(nobody_to_take(ctx, c, debt, coll));
    }
    let fee_index = ctx.world.asset(c)?.fee_index;
    let n = recipients.len() as u64;
    let (mut debt_left, mut coll_left) = (debt, coll);
    let last = recipients.len() - 1;
    for (i, (mut acc, share_coll)) in recipients.into_iter().enumerate() {
        let (d, e) = if i == last {
            (debt_left, coll_left)
        } else {
            let f = div(share_coll, total)?;
            (mul(debt, f)?, mul(coll, f)?)
        };
        debt_left -= d;
        coll_left -= e;
        if let Some(v) = acc.vaults.get_mut(c) {
            let ds = div(d, fee_index)?;
            v.debt_scaled = add(v.debt_scaled, ds)?;
            v.collateral = add(v.collateral, e)?;
            let st = ctx.world.asset_mut(c)?;
            st.vault_debt_scaled += ds;
            st.vault_collateral += e;
        }
        ctx.put_other(acc);
    }
    Ok(vec![EventKind::Redistributed {
        from,
        collateral: c.clone(),
        debt,
        collateral_amount: coll,
        recipients: n,
    }])
}

/// Liquity's own redistribution (`TroveManager._redistributeDebtAndColl`): the per-stake totals
/// grow by `debt / total stakes` and `collateral / total stakes`, and every other trove takes in
/// its share when next touched (`health::pending`), so a redistribution costs the same however
/// many troves there are. The step then re-checks every trove (their health moved).
fn redistribute_lazily(
    ctx: &mut LiqContext<'_>,
    c: &AssetId,
    debt: Decimal,
    coll: Decimal,
) -> Result<Vec<EventKind>, EngineError> {
    let from = ctx.account.id;
    let st = ctx.world.asset_mut(c)?;
    if st.total_stakes <= Decimal::ZERO {
        return Ok(nobody_to_take(ctx, c, debt, coll));
    }
    st.redistributed_collateral_per_stake = add(
        st.redistributed_collateral_per_stake,
        div(coll, st.total_stakes)?,
    )?;
    st.redistributed_debt_per_stake =
        add(st.redistributed_debt_per_stake, div(debt, st.total_stakes)?)?;
    // The troves hold it now (pending): back into the totals of troves.
    st.vault_collateral += coll;
    st.vault_debt_scaled += div(debt, st.fee_index)?;
    let recipients = st.stakers;
    ctx.world.redistributed = true;
    Ok(vec![EventKind::Redistributed {
        from,
        collateral: c.clone(),
        debt,
        collateral_amount: coll,
        recipients,
    }])
}

/// A depositor's current deposit `d0 × P / P0`.
pub fn current_deposit(sp: &StabilityPool, acc: &Account) -> Decimal {
    match &acc.stability {
        Some(d) if !d.p0.is_zero() => d
            .amount0
            .checked_mul(sp.p)
            .and_then(|x| x.checked_div(d.p0))
            .unwrap_or_default()
            .min(sp.total),
        _ => Decimal::ZERO,
    }
}

fn gains(sp: &StabilityPool, d: &StabilityDeposit) -> BTreeMap<AssetId, Decimal> {
    let mut out = BTreeMap::new();
    if d.p0.is_zero() {
        return out;
    }
    for (asset, s) in &sp.s {
        let s0 = d.s0.get(asset).copied().unwrap_or_default();
        let g = d
            .amount0
            .checked_mul(*s - s0)
            .and_then(|x| x.checked_div(d.p0))
            .unwrap_or_default()
            .min(sp.collateral.get(asset).copied().unwrap_or_default());
        if g > Decimal::ZERO {
            out.insert(asset.clone(), g);
        }
    }
    out
}

/// Pays out collateral gains and restarts the deposit snapshot at its current value.
pub(crate) fn withdraw_gains(
    _cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
) -> Result<Vec<EventKind>, Rejection> {
    let Some(d) = acc.stability.clone() else {
        return Ok(Vec::new());
    };
    let sp = &mut w.ledger.stability;
    let current = current_deposit(sp, acc);
    let g = gains(sp, &d);
    for (asset, amount) in &g {
        bump(&mut sp.collateral, asset, -*amount);
        acc.credit(asset, *amount);
    }
    acc.stability = Some(StabilityDeposit {
        amount0: current,
        p0: sp.p,
        s0: sp.s.clone(),
    });
    if g.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![EventKind::StabilityWithdrawn {
        account: acc.id,
        amount: Decimal::ZERO,
        collateral_gains: g
            .into_iter()
            .map(|(asset, amount)| AssetAmount { asset, amount })
            .collect(),
    }])
}

/// Adds to a deposit (gains must have been paid out first).
pub(crate) fn deposit(w: &mut World, acc: &mut Account, amount: Decimal) -> Result<(), Rejection> {
    let sp = &mut w.ledger.stability;
    let current = current_deposit(sp, acc);
    sp.total = add(sp.total, amount)?;
    acc.stability = Some(StabilityDeposit {
        amount0: add(current, amount)?,
        p0: sp.p,
        s0: sp.s.clone(),
    });
    Ok(())
}

/// Withdraws `amount` of the deposit and all collateral gains.
pub(crate) fn withdraw(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    amount: Decimal,
) -> Result<Vec<EventKind>, Rejection> {
    let current = current_deposit(&w.ledger.stability, acc);
    if amount > current {
        return Err(Rejection::InsufficientStabilityDeposit {
            asset: cfg.debt_asset.clone(),
            have: current,
            need: amount,
        });
    }
    let d = acc.stability.clone().unwrap_or(StabilityDeposit {
        amount0: Decimal::ZERO,
        p0: Decimal::ONE,
        s0: BTreeMap::new(),
    });
    let g = gains(&w.ledger.stability, &d);
    let sp = &mut w.ledger.stability;
    for (asset, a) in &g {
        bump(&mut sp.collateral, asset, -*a);
        acc.credit(asset, *a);
    }
    sp.total -= amount;
    acc.credit(&cfg.debt_asset, amount);
    let left = current - amount;
    acc.stability = if left > Decimal::ZERO {
        Some(StabilityDeposit {
            amount0: left,
            p0: sp.p,
            s0: sp.s.clone(),
        })
    } else {
        None
    };
    Ok(vec![EventKind::StabilityWithdrawn {
        account: acc.id,
        amount,
        collateral_gains: g
            .into_iter()
            .map(|(asset, amount)| AssetAmount { asset, amount })
            .collect(),
    }])
}
