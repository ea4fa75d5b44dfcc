//! A broker's margin call (DOMAIN.md, "Traditional margin and risk"): when the equity of a margin
//! account falls below the maintenance requirement (health factor below 1), the broker **calls**
//! for the deficit with a deadline instead of liquidating; the customer can deposit cash, repay or
//! sell before it. Only when the deadline passes with the account still short — or at once when
//! the equity falls below a hard floor (a share of the collateral's market value the customer
//! agreement lets the broker act on) — does the broker sell.
//!
//! - **Call** ([`EventKind::MarginCallIssued`]): the deficit is `debt − Σ value × LT`, the cash a
//!   deposit (cash counts in full) or a repayment must bring; the deadline is `now + cure_secs`.
//! - **Met** ([`EventKind::MarginCallMet`]): right after a command that brings the account back
//!   to maintenance, or at the deadline if prices brought it back.
//! - **Missed** ([`EventKind::MarginCallMissed`]) at the first step at or after the deadline,
//!   then a **forced sale** ([`EventKind::MarginCallForcedSale`], then one `Liquidated` per asset
//!   sold): cash collateral repays the debt first; then the same fraction of every other collateral
//!   is sold at the oracle price, just enough to bring the debt back within the initial
//!   requirement (the borrow limit), less a sale fee paid to the broker. The sales move the market
//!   (slippage model) like any liquidation. If everything is sold and debt remains, it is bad debt
//!   (an unsecured debit the broker must collect), recorded, never hidden.
//!
//! Pooled accounts only: a vault design replaces the broker's call with a whole-vault sale
//! (`engine::system::setup`). The terms (2-day cure, 10% hard floor, 0.5% fee) are Margin Lab's,
//! stated in `engine::system::broker`.

use super::{write_off_if_empty, LiqContext, LiquidationMechanism, StepOutcome, Target};
use crate::engine::account::{bump, Account};
use crate::engine::command::Command;
use crate::engine::error::EngineError;
use crate::engine::event::EventKind;
use crate::engine::health::{collateral_amount, debt_amount, lending_view};
use crate::engine::ids::AssetId;
use crate::engine::num::{div, fmt_pct, mul};
use crate::engine::params::{EngineConfig, MarginCallParams};
use crate::engine::state::World;
use rust_decimal::Decimal;

/// An open margin call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarginCallState {
    pub issued_at: i64,
    pub deadline: i64,
    /// The deficit when the call was issued (quote).
    pub deficit: Decimal,
}

pub struct MarginCall(pub MarginCallParams);

impl LiquidationMechanism for MarginCall {
    fn name(&self) -> &'static str {
        "broker margin call (forced sale)"
    }

    fn liquidate(
        &self,
        ctx: &mut LiqContext<'_>,
        target: &Target,
    ) -> Result<Vec<EventKind>, EngineError> {
        if *target != Target::Account {
            return Ok(Vec::new());
        }
        let view = lending_view(ctx.cfg, ctx.world, ctx.account)?;
        let market_value = market_value(ctx.world, ctx.account);
        let equity = market_value - view.debt_value;
        let deficit = (view.debt_value - view.weighted_collateral).max(Decimal::ZERO);
        let now = ctx.world.now;
        let id = ctx.account.id;
        let below_floor =
            market_value <= Decimal::ZERO || equity < mul(market_value, self.0.hard_floor)?;
        let call = ctx.world.risk.margin_calls.get(&id).cloned();
        if below_floor {
            let mut events = Vec::new();
            ctx.world.risk.margin_calls.remove(&id);
            let reason = format!(
                "your equity fell to {} of your collateral's market value, below the broker's hard floor of {}: it sells at once, without waiting for a deadline",
                fmt_pct(ratio_or_zero(equity, market_value).round_dp(4)),
                fmt_pct(self.0.hard_floor)
            );
            events.extend(forced_sale(ctx, &self.0, reason)?);
            return Ok(events);
        }
        match call {
            None => {
                let deadline = now.saturating_add(self.0.cure_secs);
                ctx.world.risk.margin_calls.insert(
                    id,
                    MarginCallState {
                        issued_at: now,
                        deadline,
                        deficit,
                    },
                );
                Ok(vec![EventKind::MarginCallIssued {
                    account: id,
                    deadline,
                    deficit,
                    equity,
                    maintenance: (market_value - view.weighted_collateral).max(Decimal::ZERO),
                    health: view.health_factor(),
                }])
            }
            Some(c) if now >= c.deadline => {
                ctx.world.risk.margin_calls.remove(&id);
                let mut events = vec![EventKind::MarginCallMissed {
                    account: id,
                    deadline: c.deadline,
                    deficit,
                }];
                let reason =
                    "the margin call's deadline passed with the account still below maintenance"
                        .to_string();
                events.extend(forced_sale(ctx, &self.0, reason)?);
                Ok(events)
            }
            Some(_) => Ok(Vec::new()),
        }
    }

    /// Calls still open at their deadline belong to accounts that were not below maintenance at
    /// this step (those are sold in the liquidation phase, which runs first): prices met them.
    fn on_step(&self, _cfg: &EngineConfig, w: &mut World) -> Result<StepOutcome, EngineError> {
        let now = w.now;
        let due: Vec<_> = w
            .risk
            .margin_calls
            .iter()
            .filter(|(_, c)| now >= c.deadline)
            .map(|(id, c)| (*id, c.clone()))
            .collect();
        let mut events = Vec::new();
        for (id, c) in due {
            w.risk.margin_calls.remove(&id);
            events.push(EventKind::MarginCallMet {
                account: id,
                issued_at: c.issued_at,
                deadline: c.deadline,
                cured_by:
                    "prices recovered: at the deadline the account was back above maintenance"
                        .into(),
            });
        }
        Ok(StepOutcome {
            events,
            ..StepOutcome::default()
        })
    }
}

fn ratio_or_zero(a: Decimal, b: Decimal) -> Decimal {
    if b.is_zero() {
        Decimal::ZERO
    } else {
        a.checked_div(b).unwrap_or_default()
    }
}

/// Collateral at oracle prices before haircuts (what the hard floor compares equity with).
pub fn market_value(w: &World, acc: &Account) -> Decimal {
    acc.collateral_scaled
        .keys()
        .filter(|a| !acc.collateral_off.contains(*a))
        .map(|a| collateral_amount(w, acc, a).saturating_mul(w.price(a)))
        .fold(Decimal::ZERO, |s, v| s.saturating_add(v))
}

/// Takes `amount` of collateral `asset` from the account (supply and pool cash go down).
fn take_collateral(
    ctx: &mut LiqContext<'_>,
    asset: &AssetId,
    amount: Decimal,
) -> Result<(), EngineError> {
    let have = collateral_amount(ctx.world, ctx.account, asset);
    let scaled_have = ctx
        .account
        .collateral_scaled
        .get(asset)
        .copied()
        .unwrap_or_default();
    let st = ctx.world.asset_mut(asset)?;
    let scaled = if amount >= have {
        scaled_have
    } else {
        div(amount, st.supply_index)?.min(scaled_have)
    };
    st.total_supply_scaled -= scaled;
    st.cash -= amount;
    bump(&mut ctx.account.collateral_scaled, asset, -scaled);
    Ok(())
}

/// Repays `amount` of debt `asset` (debt and pool totals go down, pool cash up).
fn repay_debt(
    ctx: &mut LiqContext<'_>,
    asset: &AssetId,
    amount: Decimal,
) -> Result<(), EngineError> {
    let debt = debt_amount(ctx.world, ctx.account, asset);
    let scaled_have = ctx
        .account
        .debt_scaled
        .get(asset)
        .copied()
        .unwrap_or_default();
    let st = ctx.world.asset_mut(asset)?;
    let scaled = if amount >= debt {
        scaled_have
    } else {
        div(amount, st.borrow_index)?.min(scaled_have)
    };
    st.total_debt_scaled -= scaled;
    st.cash += amount;
    bump(&mut ctx.account.debt_scaled, asset, -scaled);
    if let Some(iso) = ctx.account.isolation.clone() {
        let st = ctx.world.asset_mut(&iso)?;
        st.isolation_debt = (st.isolation_debt - amount).max(Decimal::ZERO);
    }
    Ok(())
}

/// The account's debts, largest value first.
fn debts_by_value(ctx: &LiqContext<'_>) -> Vec<(AssetId, Decimal)> {
    let mut d: Vec<(AssetId, Decimal)> = ctx
        .account
        .debt_scaled
        .keys()
        .map(|a| (a.clone(), debt_amount(ctx.world, ctx.account, a)))
        .filter(|(_, amt)| *amt > Decimal::ZERO)
        .collect();
    d.sort_by(|a, b| {
        let va = a.1.saturating_mul(ctx.world.price(&a.0));
        let vb = b.1.saturating_mul(ctx.world.price(&b.0));
        vb.cmp(&va).then_with(|| a.0.cmp(&b.0))
    });
    d
}

/// Sells collateral to bring the debt back within the borrow limit (see the module docs). The
/// `Liquidated` events it returns (one per collateral sold and debt repaid) all carry the health
/// before and after the whole sale: it is one transaction.
pub fn forced_sale(
    ctx: &mut LiqContext<'_>,
    params: &MarginCallParams,
    reason: String,
) -> Result<Vec<EventKind>, EngineError> {
    let before = lending_view(ctx.cfg, ctx.world, ctx.account)?;
    // (collateral, units sold, price, fee units, debt asset, debt repaid)
    let mut parts: Vec<(AssetId, Decimal, Decimal, Decimal, AssetId, Decimal)> = Vec::new();
    let (mut sold_value, mut fee_value, mut repaid_value) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    // 1. Cash collateral in a debt asset repays that debt directly (no sale, no fee).
    let cash_assets: Vec<AssetId> = ctx
        .account
        .collateral_scaled
        .keys()
        .filter(|a| {
            ctx.account.debt_scaled.contains_key(a) && !ctx.account.collateral_off.contains(*a)
        })
        .cloned()
        .collect();
    for a in cash_assets {
        let amount = collateral_amount(ctx.world, ctx.account, &a).min(debt_amount(
            ctx.world,
            ctx.account,
            &a,
        ));
        if amount <= Decimal::ZERO {
            continue;
        }
        take_collateral(ctx, &a, amount)?;
        repay_debt(ctx, &a, amount)?;
        repaid_value += amount * ctx.world.price(&a);
    }
    // 2. The same fraction of every other collateral, just enough for debt ≤ borrow limit.
    let view = lending_view(ctx.cfg, ctx.world, ctx.account)?;
    if view.debt_value > view.borrow_limit {
        let others: Vec<(AssetId, Decimal, Decimal)> = ctx
            .account
            .collateral_scaled
            .keys()
            .filter(|a| !ctx.account.collateral_off.contains(*a))
            .map(|a| {
                let amt = collateral_amount(ctx.world, ctx.account, a);
                (a.clone(), amt, ctx.world.price(a))
            })
            .filter(|(_, amt, _)| *amt > Decimal::ZERO)
            .collect();
        let gross: Decimal = others.iter().map(|(_, q, p)| *q * *p).sum();
        let net = mul(gross, Decimal::ONE - params.sale_fee)?;
        let room = net - view.borrow_limit;
        let f = if room <= Decimal::ZERO {
            Decimal::ONE
        } else {
            div(view.debt_value - view.borrow_limit, room)?.min(Decimal::ONE)
        };
        for (asset, amount, price) in others {
            let seize = if f == Decimal::ONE {
                amount
            } else {
                mul(amount, f)?
            };
            if seize <= Decimal::ZERO {
                continue;
            }
            let fee_units = mul(seize, params.sale_fee)?;
            let proceeds = mul(seize - fee_units, price)?;
            take_collateral(ctx, &asset, seize)?;
            bump(&mut ctx.world.ledger.liquidators, &asset, seize - fee_units);
            if !fee_units.is_zero() {
                bump(&mut ctx.world.ledger.reserves, &asset, fee_units);
            }
            ctx.add_sale(&asset, seize - fee_units);
            sold_value += seize * price;
            fee_value += fee_units * price;
            // The proceeds repay the largest debts first.
            let mut left = proceeds;
            for (debt_asset, owed) in debts_by_value(ctx) {
                if left <= Decimal::ZERO {
                    break;
                }
                let pd = ctx.world.price(&debt_asset);
                let repay = div(left, pd)?.min(owed);
                if repay <= Decimal::ZERO {
                    continue;
                }
                repay_debt(ctx, &debt_asset, repay)?;
                bump(&mut ctx.world.ledger.liquidators, &debt_asset, -repay);
                let share = if proceeds.is_zero() {
                    Decimal::ONE
                } else {
                    div(repay * pd, proceeds)?.min(Decimal::ONE)
                };
                left -= repay * pd;
                repaid_value += repay * pd;
                parts.push((
                    asset.clone(),
                    mul(seize, share)?,
                    price,
                    mul(fee_units, share)?,
                    debt_asset,
                    repay,
                ));
            }
            // Proceeds beyond every debt go to the owner's wallet.
            if left > Decimal::ZERO {
                let settle = ctx.cfg.debt_asset.clone();
                let cash = div(left, ctx.world.price(&settle))?;
                ctx.account.credit(&settle, cash);
                bump(&mut ctx.world.ledger.liquidators, &settle, -cash);
            }
        }
    }
    let bad = write_off_if_empty(ctx)?;
    let bad_in = |a: &AssetId| -> Decimal {
        bad.iter()
            .map(|e| match e {
                EventKind::BadDebt { amount, asset, .. } if asset == a => *amount,
                _ => Decimal::ZERO,
            })
            .sum()
    };
    let after = lending_view(ctx.cfg, ctx.world, ctx.account)?;
    let mut events = vec![EventKind::MarginCallForcedSale {
        account: ctx.account.id,
        reason,
        sold_value,
        fee: fee_value,
        debt_repaid: repaid_value,
        health_before: before.health_factor(),
        health_after: after.health_factor(),
    }];
    let n = parts.len();
    for (k, (asset, seized, price, fee_units, debt_asset, repay)) in parts.into_iter().enumerate() {
        let bad_debt = if k + 1 == n {
            bad_in(&debt_asset)
        } else {
            Decimal::ZERO
        };
        events.push(EventKind::Liquidated {
            account: ctx.account.id,
            mechanism: "broker margin call (forced sale)".into(),
            vault: None,
            debt_asset,
            debt_repaid: repay,
            collateral_asset: asset,
            collateral_seized: seized,
            price_used: price,
            penalty_value: fee_units * price,
            receiver: "the market (the broker sold it, less its fee)".into(),
            returned_to_owner: Decimal::ZERO,
            health_before: before.health_factor(),
            health_after: after.health_factor(),
            // The shortfall, if any, is reported once, with the last part of the sale.
            bad_debt,
        });
    }
    events.extend(bad);
    Ok(events)
}

/// After a command: an open call is met when the account is back at or above maintenance.
pub(crate) fn cure_check(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    command: &Command,
    kinds: &mut Vec<EventKind>,
) -> Result<(), EngineError> {
    let Some(call) = w.risk.margin_calls.get(&acc.id).cloned() else {
        return Ok(());
    };
    if lending_view(cfg, w, acc)?.liquidatable() {
        return Ok(());
    }
    w.risk.margin_calls.remove(&acc.id);
    let how = match command {
        Command::Deposit { .. } | Command::Fund { .. } => "a deposit",
        Command::Repay { .. } => "a repayment",
        Command::Withdraw { .. } => "a withdrawal",
        _ => "your action",
    };
    kinds.push(EventKind::MarginCallMet {
        account: acc.id,
        issued_at: call.issued_at,
        deadline: call.deadline,
        cured_by: format!("{how} brought the account back to maintenance before the deadline"),
    });
    Ok(())
}
