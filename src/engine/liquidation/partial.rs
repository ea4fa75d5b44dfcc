//! Partial liquidation (Aave v3).
//!
//! When `HF < 1` a liquidator repays part of one debt and seizes collateral at a bonus:
//! - close factor, by the configuration's [`CloseFactorRule`]: the 2026-11 rules repay up to 50%
//!   of the debt per call, 100% when `HF < 0.95`; Aave v3.3 (origin `LiquidationLogic.sol` L56,
//!   L64, L262-320) repays all of the reserve's debt when either reserve is worth less than
//!   $2,000 or `HF ≤ 0.95`, otherwise 50% of the **total** debt value capped at the reserve's
//!   debt, and forbids leaving less than $1,000 of debt or collateral unless one of them is
//!   cleared (`MustNotLeaveDust`);
//! - seized collateral `= repaid × debt_price × (1 + bonus) / collateral_price`;
//! - if the collateral is not enough, all of it is seized and the repayment shrinks to match;
//! - once no collateral is left, remaining debt is bad debt (Aave v3.3 burns it and records a deficit);
//! - the liquidation protocol fee (origin L509-521): `(seized − seized / (1 + bonus)) × fee` goes
//!   to the treasury, not the liquidator (10% of the bonus for WETH, WBTC, wstETH; 20% for USDC);
//! - in e-mode, the category's bonus applies (1% for ETH-correlated assets).
//!
//! The liquidator picks the largest debt and the largest collateral (by value), as keepers do.
//! On a vault (single-collateral scenario) the same rule applies to the vault's debt, with the
//! collateral's `liquidation_penalty` as the bonus.

use super::{write_off_if_empty, LiqContext, LiquidationMechanism, Target};
use crate::engine::account::bump;
use crate::engine::error::EngineError;
use crate::engine::event::EventKind;
use crate::engine::event::{Party, Share};
use crate::engine::health::{
    collateral_amount, debt_amount, lending_view, liquidation_bonus, vault_view, LendingView,
};
use crate::engine::ids::AssetId;
use crate::engine::num::{div, fmt_num, mul};
use crate::engine::params::config::CloseFactorRule;
use crate::engine::params::RulesVersion;
use rust_decimal::Decimal;

pub struct Partial;

impl LiquidationMechanism for Partial {
    fn name(&self) -> &'static str {
        "partial (Aave v3 close factor)"
    }

    fn liquidate(
        &self,
        ctx: &mut LiqContext<'_>,
        target: &Target,
    ) -> Result<Vec<EventKind>, EngineError> {
        match target {
            Target::Account => self.account(ctx),
            Target::Vault(c) => self.vault(ctx, c),
            Target::Positions => Ok(Vec::new()),
        }
    }
}

impl Partial {
    fn close_factor(ctx: &LiqContext<'_>, hf: Option<Decimal>) -> Decimal {
        match hf {
            Some(h) if h < ctx.cfg.full_close_below_hf => Decimal::ONE,
            _ => ctx.cfg.close_factor,
        }
    }

    /// Aave v3.3's cap on the debt repaid (origin `LiquidationLogic.sol` L262-320): all of the
    /// reserve's debt, unless both reserves are worth at least the threshold and HF > 0.95, in
    /// which case `close_factor` of the **total** debt value, capped at the reserve's debt.
    fn v33_max_repay(
        ctx: &LiqContext<'_>,
        view: &LendingView,
        threshold: Decimal,
        debt: Decimal,
        p_d: Decimal,
        coll_value: Decimal,
    ) -> Result<Decimal, EngineError> {
        let debt_value = mul(debt, p_d)?;
        let hf_above = view
            .health_factor()
            .is_none_or(|h| h > ctx.cfg.full_close_below_hf);
        if coll_value >= threshold && debt_value >= threshold && hf_above {
            let cap_value = mul(view.debt_value, ctx.cfg.close_factor)?;
            if debt_value > cap_value {
                return div(cap_value, p_d);
            }
        }
        Ok(debt)
    }

    fn account(&self, ctx: &mut LiqContext<'_>) -> Result<Vec<EventKind>, EngineError> {
        let w = &*ctx.world;
        let before = lending_view(ctx.cfg, w, ctx.account)?;
        let hf_before = before.health_factor();
        let largest = |items: Vec<(AssetId, Decimal)>| {
            items
                .into_iter()
                .fold(None::<(AssetId, Decimal)>, |best, (a, v)| match best {
                    Some((_, bv)) if bv >= v => best,
                    _ => Some((a, v)),
                })
        };
        let debts = ctx
            .account
            .debt_scaled
            .keys()
            .map(|a| (a.clone(), debt_amount(w, ctx.account, a) * w.price(a)))
            .collect();
        let colls = ctx
            .account
            .collateral_scaled
            .keys()
            .filter(|a| !ctx.account.collateral_off.contains(*a))
            .map(|a| (a.clone(), collateral_amount(w, ctx.account, a) * w.price(a)))
            .collect();
        let (Some((debt_asset, _)), Some((coll_asset, coll_value))) =
            (largest(debts), largest(colls))
        else {
            return write_off_if_empty(ctx);
        };
        let debt = debt_amount(w, ctx.account, &debt_asset);
        let coll = collateral_amount(w, ctx.account, &coll_asset);
        let (p_d, p_c) = (w.price(&debt_asset), w.price(&coll_asset));
        let params = ctx.cfg.asset(&coll_asset);
        let bonus = params
            .map(|p| liquidation_bonus(ctx.cfg, ctx.account, p))
            .unwrap_or_default();
        let protocol_fee = params
            .map(|p| p.liquidation_protocol_fee)
            .unwrap_or_default();
        let v33 = match &ctx.cfg.close_factor_rule {
            CloseFactorRule::Legacy => None,
            CloseFactorRule::AaveV33 {
                min_base_max_close_factor_threshold,
                min_leftover_base,
            } => Some((*min_base_max_close_factor_threshold, *min_leftover_base)),
        };
        let max_repay = match v33 {
            None => mul(debt, Self::close_factor(ctx, hf_before))?,
            Some((threshold, _)) => {
                Self::v33_max_repay(ctx, &before, threshold, debt, p_d, coll_value)?
            }
        };
        let seize_needed = div(mul(mul(max_repay, p_d)?, Decimal::ONE + bonus)?, p_c)?;
        let (mut repay, mut seize) = if seize_needed <= coll {
            (max_repay, seize_needed)
        } else {
            (
                div(mul(coll, p_c)?, mul(Decimal::ONE + bonus, p_d)?)?.min(debt),
                coll,
            )
        };
        // Aave v3.3 `MustNotLeaveDust`: clear the debt or the collateral, or leave at least
        // `min_leftover` of each. A keeper whose call would leave dust repays less.
        if let Some((_, min_leftover)) = v33 {
            let debt_left = mul(debt - repay, p_d)?;
            let coll_left = mul(coll - seize, p_c)?;
            if repay < debt
                && seize < coll
                && (debt_left < min_leftover || coll_left < min_leftover)
            {
                let by_debt = debt - div(min_leftover, p_d)?;
                let by_coll = div(
                    mul(coll - div(min_leftover, p_c)?, p_c)?,
                    mul(Decimal::ONE + bonus, p_d)?,
                )?;
                repay = repay.min(by_debt).min(by_coll);
                if repay <= Decimal::ZERO {
                    return Ok(vec![EventKind::LiquidationBlocked {
                        account: ctx.account.id,
                        reason: format!(
                            "any repayment of its {debt_asset} debt would leave less than ${} of debt or of {coll_asset} collateral, which Aave v3.3 forbids (MustNotLeaveDust); it waits for a deeper fall, when all of it may be repaid",
                            fmt_num(min_leftover, 0)
                        ),
                    }]);
                }
                seize = div(mul(mul(repay, p_d)?, Decimal::ONE + bonus)?, p_c)?;
            }
        }
        // The protocol's share of the bonus (origin L509-521): `(seize − seize / (1 + bonus)) × fee`.
        let fee = if protocol_fee.is_zero() {
            Decimal::ZERO
        } else {
            mul(seize - div(seize, Decimal::ONE + bonus)?, protocol_fee)?
        };
        // Debt side.
        let st = ctx.world.asset_mut(&debt_asset)?;
        let debt_scaled = ctx
            .account
            .debt_scaled
            .get(&debt_asset)
            .copied()
            .unwrap_or_default();
        let d_scaled = if repay >= debt {
            debt_scaled
        } else {
            div(repay, st.borrow_index)?.min(debt_scaled)
        };
        st.total_debt_scaled -= d_scaled;
        st.cash += repay;
        bump(&mut ctx.account.debt_scaled, &debt_asset, -d_scaled);
        if let Some(iso) = ctx.account.isolation.clone() {
            let st = ctx.world.asset_mut(&iso)?;
            st.isolation_debt = (st.isolation_debt - repay).max(Decimal::ZERO);
        }
        // Collateral side.
        let st = ctx.world.asset_mut(&coll_asset)?;
        let coll_scaled = ctx
            .account
            .collateral_scaled
            .get(&coll_asset)
            .copied()
            .unwrap_or_default();
        let c_scaled = if seize >= coll {
            coll_scaled
        } else {
            div(seize, st.supply_index)?.min(coll_scaled)
        };
        st.total_supply_scaled -= c_scaled;
        st.cash -= seize;
        bump(&mut ctx.account.collateral_scaled, &coll_asset, -c_scaled);
        bump(&mut ctx.world.ledger.liquidators, &debt_asset, -repay);
        bump(&mut ctx.world.ledger.liquidators, &coll_asset, seize - fee);
        if !fee.is_zero() {
            bump(&mut ctx.world.ledger.reserves, &coll_asset, fee);
        }
        ctx.add_sale(&coll_asset, seize - fee);
        let mut events = Vec::new();
        let bad = write_off_if_empty(ctx)?;
        let bad_total: Decimal = bad
            .iter()
            .map(|e| match e {
                EventKind::BadDebt { amount, asset, .. } if asset == &debt_asset => *amount,
                _ => Decimal::ZERO,
            })
            .sum();
        let after = lending_view(ctx.cfg, ctx.world, ctx.account)?;
        events.push(EventKind::Liquidated {
            account: ctx.account.id,
            mechanism: self.name().to_string(),
            vault: None,
            debt_asset,
            debt_repaid: repay,
            collateral_asset: coll_asset.clone(),
            collateral_seized: seize,
            price_used: p_c,
            penalty_value: seize * p_c - repay * p_d,
            receiver: "liquidator".to_string(),
            returned_to_owner: Decimal::ZERO,
            health_before: hf_before,
            health_after: after.health_factor(),
            bad_debt: bad_total,
        });
        if ctx.cfg.rules != RulesVersion::V2026_11 {
            // What each party gained from the owner's loss: the liquidator the bonus net of the
            // protocol fee (the rest of what it receives pays back the debt it repaid).
            let repaid_in_coll = div(mul(repay, p_d)?, p_c)?;
            let mut shares = vec![Share {
                party: Party::Liquidator,
                asset: coll_asset.clone(),
                amount: seize - fee - repaid_in_coll,
                value: (seize - fee) * p_c - repay * p_d,
            }];
            if !fee.is_zero() {
                shares.push(Share {
                    party: Party::Protocol,
                    asset: coll_asset,
                    amount: fee,
                    value: fee * p_c,
                });
            }
            events.push(EventKind::LiquidationShares {
                account: ctx.account.id,
                shares,
            });
        }
        events.extend(bad);
        Ok(events)
    }

    fn vault(&self, ctx: &mut LiqContext<'_>, c: &AssetId) -> Result<Vec<EventKind>, EngineError> {
        let Some(v) = ctx.account.vaults.get(c).cloned() else {
            return Ok(Vec::new());
        };
        let before = vault_view(ctx.cfg, ctx.world, c, &v)?;
        let penalty = ctx
            .cfg
            .asset(c)
            .map(|p| p.liquidation_penalty)
            .unwrap_or_default();
        let cf = match before.ratio() {
            Some(r) if r < before.liquidation_ratio * ctx.cfg.full_close_below_hf => Decimal::ONE,
            _ => ctx.cfg.close_factor,
        };
        let p_c = ctx.world.price(c);
        let p_d = ctx.world.price(&ctx.cfg.debt_asset);
        let max_repay = mul(before.debt, cf)?;
        let seize_needed = div(mul(mul(max_repay, p_d)?, Decimal::ONE + penalty)?, p_c)?;
        let (repay, seize) = if seize_needed <= v.collateral {
            (max_repay, seize_needed)
        } else {
            (
                div(mul(v.collateral, p_c)?, mul(Decimal::ONE + penalty, p_d)?)?.min(before.debt),
                v.collateral,
            )
        };
        let st = ctx.world.asset_mut(c)?;
        let d_scaled = if repay >= before.debt {
            v.debt_scaled
        } else {
            div(repay, st.fee_index)?.min(v.debt_scaled)
        };
        let mut nv = v.clone();
        nv.debt_scaled -= d_scaled;
        nv.collateral -= seize;
        st.vault_debt_scaled -= d_scaled;
        st.vault_collateral -= seize;
        let debt_asset = ctx.cfg.debt_asset.clone();
        bump(&mut ctx.world.ledger.liquidators, &debt_asset, -repay);
        bump(&mut ctx.world.ledger.liquidators, c, seize);
        ctx.add_sale(c, seize);
        let mut bad = Decimal::ZERO;
        if nv.collateral <= Decimal::ZERO && nv.debt_scaled > Decimal::ZERO {
            let st = ctx.world.asset_mut(c)?;
            bad = nv.debt_scaled * st.fee_index;
            st.vault_debt_scaled -= nv.debt_scaled;
            nv.debt_scaled = Decimal::ZERO;
            bump(&mut ctx.world.ledger.bad_debt, &debt_asset, bad);
        }
        let after = vault_view(ctx.cfg, ctx.world, c, &nv)?;
        if ctx.cfg.liquity.is_some() {
            crate::engine::health::settle_pending(ctx.world, c, &mut nv)?;
        }
        if nv.collateral.is_zero() && nv.debt_scaled.is_zero() {
            crate::engine::health::remove_stake(ctx.world, c, &nv)?;
            ctx.account.vaults.remove(c);
        } else {
            ctx.account.vaults.insert(c.clone(), nv);
        }
        let mut events = vec![EventKind::Liquidated {
            account: ctx.account.id,
            mechanism: self.name().to_string(),
            vault: Some(c.clone()),
            debt_asset: debt_asset.clone(),
            debt_repaid: repay,
            collateral_asset: c.clone(),
            collateral_seized: seize,
            price_used: p_c,
            penalty_value: seize * p_c - repay * p_d,
            receiver: "liquidator".to_string(),
            returned_to_owner: Decimal::ZERO,
            health_before: before.ratio(),
            health_after: after.ratio(),
            bad_debt: bad,
        }];
        if bad > Decimal::ZERO {
            events.push(EventKind::BadDebt {
                account: ctx.account.id,
                asset: debt_asset,
                amount: bad,
            });
        }
        Ok(events)
    }
}
