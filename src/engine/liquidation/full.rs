//! Full liquidation: the whole debt is closed in one go.
//!
//! - Multi-collateral (Compound III `absorb`): all collateral is seized and valued at
//!   `price × (1 − penalty)` (Compound's liquidation factor); that credit repays the debt. A surplus
//!   is returned to the owner in the debt asset; a shortfall is bad debt. The buyer of the
//!   collateral pays its full oracle value, so the penalty (`price × penalty` per unit) goes to
//!   protocol reserves — in Compound III the protocol keeps the spread.
//! - Vault (Maker SCD `bite`): `tab = debt × (1 + penalty)`; collateral worth `tab` is sold at the
//!   oracle price, the debt is repaid, the penalty goes to the protocol surplus and the remaining
//!   collateral is returned to the owner. If the collateral is worth less than the debt, the
//!   shortfall is bad debt (Maker's `sin`).

use super::{LiqContext, LiquidationMechanism, Target};
use crate::engine::account::bump;
use crate::engine::error::EngineError;
use crate::engine::event::EventKind;
use crate::engine::health::{collateral_amount, debt_amount, lending_view, vault_view};
use crate::engine::ids::AssetId;
use crate::engine::num::{add, div, mul};
use rust_decimal::Decimal;

pub struct Full;

impl LiquidationMechanism for Full {
    fn name(&self) -> &'static str {
        "full (Compound III absorb / Maker bite)"
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

impl Full {
    fn account(&self, ctx: &mut LiqContext<'_>) -> Result<Vec<EventKind>, EngineError> {
        let cfg = ctx.cfg;
        let before = lending_view(cfg, ctx.world, ctx.account)?;
        let debt_asset = cfg.debt_asset.clone();
        let p_base = ctx.world.price(&debt_asset);
        // Collateral: value and liquidation credit.
        let mut colls = Vec::new();
        let (mut value, mut credit) = (Decimal::ZERO, Decimal::ZERO);
        for asset in ctx.account.collateral_scaled.keys() {
            let amount = collateral_amount(ctx.world, ctx.account, asset);
            let p = ctx.world.price(asset);
            let pen = cfg
                .asset(asset)
                .map(|x| x.liquidation_penalty)
                .unwrap_or_default();
            let v = mul(amount, p)?;
            value = add(value, v)?;
            credit = add(credit, mul(v, Decimal::ONE - pen)?)?;
            colls.push((asset.clone(), amount, p));
        }
        let mut debts = Vec::new();
        let mut debt_value = Decimal::ZERO;
        for asset in ctx.account.debt_scaled.keys() {
            let amount = debt_amount(ctx.world, ctx.account, asset);
            debt_value = add(debt_value, mul(amount, ctx.world.price(asset))?)?;
            debts.push((asset.clone(), amount));
        }
        // Fraction of each debt the credit repays.
        let g = if credit >= debt_value {
            Decimal::ONE
        } else {
            div(credit, debt_value)?
        };
        let mut events = Vec::new();
        let mut repaid_value = Decimal::ZERO;
        let mut bad_value = Decimal::ZERO;
        for (asset, amount) in &debts {
            let repay = if g == Decimal::ONE {
                *amount
            } else {
                mul(*amount, g)?
            };
            let bad = *amount - repay;
            let st = ctx.world.asset_mut(asset)?;
            let scaled = ctx
                .account
                .debt_scaled
                .get(asset)
                .copied()
                .unwrap_or_default();
            st.total_debt_scaled -= scaled;
            st.cash += repay;
            ctx.account.debt_scaled.remove(asset);
            bump(&mut ctx.world.ledger.liquidators, asset, -repay);
            repaid_value += repay * ctx.world.price(asset);
            if bad > Decimal::ZERO {
                bad_value += bad * ctx.world.price(asset);
                bump(&mut ctx.world.ledger.bad_debt, asset, bad);
                events.push(EventKind::BadDebt {
                    account: ctx.account.id,
                    asset: asset.clone(),
                    amount: bad,
                });
            }
        }
        for (asset, amount, _) in &colls {
            let st = ctx.world.asset_mut(asset)?;
            let scaled = ctx
                .account
                .collateral_scaled
                .get(asset)
                .copied()
                .unwrap_or_default();
            st.total_supply_scaled -= scaled;
            st.cash -= *amount;
            ctx.account.collateral_scaled.remove(asset);
            bump(&mut ctx.world.ledger.liquidators, asset, *amount);
            ctx.add_sale(asset, *amount);
        }
        let penalty_value = value - credit;
        let surplus_value = (credit - debt_value).max(Decimal::ZERO);
        let penalty = div(penalty_value, p_base)?;
        let surplus = div(surplus_value, p_base)?;
        bump(&mut ctx.world.ledger.reserves, &debt_asset, penalty);
        bump(
            &mut ctx.world.ledger.liquidators,
            &debt_asset,
            -(penalty + surplus),
        );
        ctx.account.credit(&debt_asset, surplus);
        let after = lending_view(cfg, ctx.world, ctx.account)?;
        let (main_coll, main_price) = colls
            .iter()
            .max_by(|a, b| (a.1 * a.2).cmp(&(b.1 * b.2)))
            .map(|(a, _, p)| (a.clone(), *p))
            .unwrap_or((debt_asset.clone(), p_base));
        let seized: Decimal = colls.iter().filter(|c| c.0 == main_coll).map(|c| c.1).sum();
        let main_debt = debts
            .first()
            .map(|d| d.0.clone())
            .unwrap_or(debt_asset.clone());
        let mut out = vec![EventKind::Liquidated {
            account: ctx.account.id,
            mechanism: self.name().to_string(),
            vault: None,
            debt_asset: main_debt,
            debt_repaid: div(repaid_value, p_base)?,
            collateral_asset: main_coll,
            collateral_seized: seized,
            price_used: main_price,
            penalty_value,
            receiver: "protocol (collateral sold at oracle price; penalty to reserves)".to_string(),
            returned_to_owner: surplus,
            health_before: before.health_factor(),
            health_after: after.health_factor(),
            bad_debt: div(bad_value, p_base)?,
        }];
        out.extend(events);
        Ok(out)
    }

    fn vault(&self, ctx: &mut LiqContext<'_>, c: &AssetId) -> Result<Vec<EventKind>, EngineError> {
        let Some(v) = ctx.account.vaults.get(c).cloned() else {
            return Ok(Vec::new());
        };
        let cfg = ctx.cfg;
        let before = vault_view(cfg, ctx.world, c, &v)?;
        let debt_asset = cfg.debt_asset.clone();
        let pen = cfg
            .asset(c)
            .map(|x| x.liquidation_penalty)
            .unwrap_or_default();
        let p_c = ctx.world.price(c);
        let p_d = ctx.world.price(&debt_asset);
        let debt = before.debt;
        let tab = mul(debt, Decimal::ONE + pen)?;
        let needed = div(mul(tab, p_d)?, p_c)?;
        let (seized, raised) = if needed <= v.collateral {
            (needed, tab)
        } else {
            (v.collateral, div(mul(v.collateral, p_c)?, p_d)?)
        };
        let repay = raised.min(debt);
        let penalty = raised - repay;
        let bad = debt - repay;
        let returned = v.collateral - seized;
        let st = ctx.world.asset_mut(c)?;
        st.vault_debt_scaled -= v.debt_scaled;
        st.vault_collateral -= v.collateral;
        ctx.account.vaults.remove(c);
        ctx.account.credit(c, returned);
        bump(&mut ctx.world.ledger.liquidators, &debt_asset, -raised);
        bump(&mut ctx.world.ledger.liquidators, c, seized);
        bump(&mut ctx.world.ledger.reserves, &debt_asset, penalty);
        ctx.add_sale(c, seized);
        let mut events = vec![EventKind::Liquidated {
            account: ctx.account.id,
            mechanism: self.name().to_string(),
            vault: Some(c.clone()),
            debt_asset: debt_asset.clone(),
            debt_repaid: repay,
            collateral_asset: c.clone(),
            collateral_seized: seized,
            price_used: p_c,
            penalty_value: penalty * p_d,
            receiver: "keeper (buys at oracle price; penalty to protocol surplus)".to_string(),
            returned_to_owner: returned,
            health_before: before.ratio(),
            health_after: None,
            bad_debt: bad,
        }];
        if bad > Decimal::ZERO {
            bump(&mut ctx.world.ledger.bad_debt, &debt_asset, bad);
            events.push(EventKind::BadDebt {
                account: ctx.account.id,
                asset: debt_asset,
                amount: bad,
            });
        }
        Ok(events)
    }
}
