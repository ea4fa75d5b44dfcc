//! Full liquidation: the whole debt is closed in one go.
//!
//! - Multi-collateral (Compound III `absorb`): all collateral is seized and valued at
//!   `price × (1 − penalty)` (Compound's liquidation factor); that credit repays the debt. A surplus
//!   is returned to the owner in the debt asset; a shortfall is bad debt. The buyer of the
//!   collateral pays its full oracle value, so the penalty (`price × penalty` per unit) goes to
//!   protocol reserves — in Compound III the protocol keeps the spread. With a store front
//!   (`Comet.buyCollateral` L1250, `quoteCollateral` L1274-1284) buyers pay
//!   `price × (1 − 0.5 × (1 − liquidationFactor))`, a 2.5% discount, so the protocol keeps the
//!   other half of the penalty; once reserves reach their target it keeps the collateral instead.
//! - Vault (Maker SCD `bite`): `tab = debt × (1 + penalty)`; collateral worth `tab` is sold at the
//!   oracle price, the debt is repaid, the penalty goes to the protocol surplus and the remaining
//!   collateral is returned to the owner. If the collateral is worth less than the debt, the
//!   shortfall is bad debt (Maker's `sin`).

use super::{LiqContext, LiquidationMechanism, Target};
use crate::engine::account::bump;
use crate::engine::error::EngineError;
use crate::engine::event::EventKind;
use crate::engine::event::{Party, Share};
use crate::engine::health::{collateral_amount, debt_amount, lending_view, vault_view};
use crate::engine::ids::AssetId;
use crate::engine::num::{add, div, mul};
use crate::engine::params::RulesVersion;
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
        // Compound III's store front: buyers pay `price × (1 − sfpf × penalty)` while reserves are
        // below target; at or above it the protocol keeps the collateral (and pays the credit).
        let store_front = ctx.cfg.store_front.clone();
        let keep = store_front.as_ref().is_some_and(|sf| {
            ctx.world
                .ledger
                .reserves
                .get(&debt_asset)
                .copied()
                .unwrap_or_default()
                >= sf.target_reserves
        });
        let payer = |w: &mut crate::engine::state::World, asset: &AssetId, amount: Decimal| {
            if keep {
                bump(&mut w.ledger.reserves, asset, amount);
            } else {
                bump(&mut w.ledger.liquidators, asset, amount);
            }
        };
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
            payer(ctx.world, asset, -repay);
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
            payer(ctx.world, asset, *amount);
            if !keep {
                ctx.add_sale(asset, *amount);
            }
        }
        let penalty_value = value - credit;
        let surplus_value = (credit - debt_value).max(Decimal::ZERO);
        // What the protocol earns in the debt asset: the whole penalty (buyers pay the oracle
        // price), or with a store front the part buyers do not get as a discount; nothing when it
        // keeps the collateral (its gain is the collateral itself).
        let protocol_value = match (&store_front, keep) {
            (_, true) => Decimal::ZERO,
            (Some(sf), false) => mul(penalty_value, Decimal::ONE - sf.store_front_price_factor)?,
            (None, false) => penalty_value,
        };
        let penalty = div(protocol_value, p_base)?;
        let surplus = div(surplus_value, p_base)?;
        if !keep {
            bump(&mut ctx.world.ledger.reserves, &debt_asset, penalty);
        }
        payer(ctx.world, &debt_asset, -(penalty + surplus));
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
            receiver: match (&store_front, keep) {
                (None, _) => "protocol (collateral sold at oracle price; penalty to reserves)",
                (Some(_), false) => "protocol, then buyers at the store-front discount",
                (Some(_), true) => "protocol (keeps the collateral: reserves at target)",
            }
            .to_string(),
            returned_to_owner: surplus,
            health_before: before.health_factor(),
            health_after: after.health_factor(),
            bad_debt: div(bad_value, p_base)?,
        }];
        if cfg.rules != RulesVersion::V2026_11 {
            let protocol_gain = if keep { penalty_value } else { protocol_value };
            let mut shares = vec![Share {
                party: Party::Protocol,
                asset: debt_asset.clone(),
                amount: div(protocol_gain, p_base)?,
                value: protocol_gain,
            }];
            if !keep && store_front.is_some() {
                let discount = penalty_value - protocol_value;
                shares.push(Share {
                    party: Party::Buyer,
                    asset: debt_asset.clone(),
                    amount: div(discount, p_base)?,
                    value: discount,
                });
            }
            if surplus > Decimal::ZERO {
                shares.push(Share {
                    party: Party::Owner,
                    asset: debt_asset.clone(),
                    amount: surplus,
                    value: surplus_value,
                });
            }
            out.push(EventKind::LiquidationShares {
                account: ctx.account.id,
                shares,
            });
        }
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
        crate::engine::health::remove_stake(ctx.world, c, &v)?;
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
