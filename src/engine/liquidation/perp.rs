//! Perpetual-futures liquidation on mark price, with liquidation fee, insurance fund and
//! auto-deleveraging (Binance / Bybit / dYdX style).
//!
//! - An isolated position is liquidated when its equity (margin + PnL − funding) falls below its
//!   maintenance margin; the cross book when cross equity falls below the sum of its maintenance
//!   margins. Cross books are liquidated partially: the position with the largest maintenance
//!   margin is closed first, then the book is re-checked ("down to a safe size").
//! - The position is closed at the **mark price** against the counterparty pool. A liquidation fee
//!   (`liquidation_fee × notional`, capped at what is left) goes to the insurance fund; the rest of
//!   the margin is returned to the owner.
//! - If the loss exceeds the margin (the mark is past the bankruptcy price), the deficit is covered
//!   by the insurance fund; what it cannot cover triggers **auto-deleveraging**: profitable
//!   opposite-side positions, ranked by profit ratio × leverage, are closed at the price that makes
//!   them give up exactly the uncovered deficit (never more than their own profit). Anything still
//!   uncovered is recorded as bad debt. Finding ADL candidates scans the accounts holding that
//!   market (only when the insurance fund is empty).

use super::{LiqContext, LiquidationMechanism, Target};
use crate::engine::account::Account;
use crate::engine::actions::{adjust_open_interest, settle_funding};
use crate::engine::command::{MarginMode, Side};
use crate::engine::error::EngineError;
use crate::engine::event::EventKind;
use crate::engine::ids::AssetId;
use crate::engine::margin::{liquidatable_isolated, perp_view, position_view};
use crate::engine::num::{div, mul};
use rust_decimal::Decimal;

pub struct PerpLiquidation;

impl LiquidationMechanism for PerpLiquidation {
    fn name(&self) -> &'static str {
        "perps (mark price, insurance fund, ADL)"
    }

    fn liquidate(
        &self,
        ctx: &mut LiqContext<'_>,
        target: &Target,
    ) -> Result<Vec<EventKind>, EngineError> {
        if *target != Target::Positions {
            return Ok(Vec::new());
        }
        let mut events = Vec::new();
        let view = perp_view(ctx.cfg, ctx.world, ctx.account)?;
        for market in liquidatable_isolated(&view) {
            let p = view.positions.iter().find(|p| p.market == market);
            let mr = p
                .map(|p| ratio_capped(p.maintenance_margin, p.equity))
                .unwrap_or_default();
            events.extend(close(ctx, &market, mr)?);
        }
        for _ in 0..16 {
            let view = perp_view(ctx.cfg, ctx.world, ctx.account)?;
            if !view.cross_liquidatable() {
                break;
            }
            let mr = ratio_capped(view.cross_maintenance, view.cross_equity);
            let Some(market) = view
                .positions
                .iter()
                .filter(|p| p.mode == MarginMode::Cross)
                .max_by(|a, b| a.maintenance_margin.cmp(&b.maintenance_margin))
                .map(|p| p.market.clone())
            else {
                break;
            };
            events.extend(close(ctx, &market, mr)?);
        }
        Ok(events)
    }
}

fn ratio_capped(mm: Decimal, equity: Decimal) -> Decimal {
    if equity <= Decimal::ZERO {
        Decimal::ONE_HUNDRED
    } else {
        mm.checked_div(equity)
            .unwrap_or(Decimal::ONE_HUNDRED)
            .min(Decimal::ONE_HUNDRED)
    }
}

fn close(
    ctx: &mut LiqContext<'_>,
    market: &AssetId,
    mr_before: Decimal,
) -> Result<Vec<EventKind>, EngineError> {
    let settle = ctx.cfg.debt_asset.clone();
    settle_funding(ctx.cfg, ctx.world, ctx.account, market).map_err(|_| EngineError::Overflow)?;
    let Some(pos) = ctx.account.positions.get(market).cloned() else {
        return Ok(Vec::new());
    };
    let params = ctx
        .cfg
        .asset(market)
        .ok_or_else(|| EngineError::UnknownAsset(market.clone()))?;
    let fee_rate = params
        .perp
        .as_ref()
        .map(|p| p.liquidation_fee)
        .unwrap_or_default();
    let mark = ctx.world.price(market);
    let s = mul(pos.sign(), pos.size)?;
    let pnl = mul(s, mark - pos.entry_price)?;
    let notional = mul(pos.size, mark)?;
    ctx.account.positions.remove(market);
    adjust_open_interest(ctx.world, market, pos.side, -pos.size)
        .map_err(|_| EngineError::Overflow)?;
    ctx.world.ledger.counterparty_pool -= pnl;
    ctx.account.realized_pnl += pnl;
    ctx.add_sale(market, s);
    let cross_left = ctx
        .account
        .positions
        .values()
        .any(|p| p.mode == MarginMode::Cross);
    // Backing after the loss: isolated margin, or the wallet for the cross book.
    let mut backing = match pos.mode {
        MarginMode::Isolated => pos.margin + pnl,
        MarginMode::Cross => ctx.account.wallet(&settle) + pnl,
    };
    // The price at which the backing would be exactly zero: `mark − equity / s`.
    let bankruptcy_price = (mark - div(backing, s).unwrap_or_default()).max(Decimal::ZERO);
    let mut events = Vec::new();
    let (mut insurance_used, mut covered, mut bad) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    if backing < Decimal::ZERO && (pos.mode == MarginMode::Isolated || !cross_left) {
        let deficit = -backing;
        // The loss beyond the backing is borne by the insurance fund, ADL or bad debt, not by
        // the owner: their realized PnL stops at losing the backing.
        ctx.account.realized_pnl += deficit;

        insurance_used = deficit.min(ctx.world.ledger.insurance_fund.max(Decimal::ZERO));
        ctx.world.ledger.insurance_fund -= insurance_used;
        let mut remaining = deficit - insurance_used;
        if remaining > Decimal::ZERO && ctx.cfg.auto_deleveraging {
            let (c, evs) = auto_deleverage(ctx, market, pos.side, pos.size, remaining)?;
            covered = c;
            events.extend(evs);
            ctx.world.ledger.counterparty_pool -= covered;
            remaining -= covered;
        }
        if remaining > Decimal::ZERO {
            bad = remaining;
            crate::engine::account::bump(&mut ctx.world.ledger.bad_debt, &settle, bad);
        }
        backing = Decimal::ZERO;
    }
    let fee = mul(notional, fee_rate)?.min(backing.max(Decimal::ZERO));
    ctx.world.ledger.insurance_fund += fee;
    backing -= fee;
    let returned = match pos.mode {
        MarginMode::Isolated => {
            ctx.account.credit(&settle, backing);
            backing
        }
        MarginMode::Cross => {
            let now = ctx.account.wallet(&settle);
            ctx.account.credit(&settle, backing - now);
            Decimal::ZERO
        }
    };
    let mut out = vec![EventKind::PositionLiquidated {
        account: ctx.account.id,
        market: market.clone(),
        side: pos.side,
        mode: pos.mode,
        size: pos.size,
        mark_price: mark,
        bankruptcy_price,
        margin_ratio_before: mr_before,
        fee_to_insurance: fee,
        insurance_used,
        covered_by_adl: covered,
        returned_to_owner: returned,
        bad_debt: bad,
    }];
    out.extend(events);
    if bad > Decimal::ZERO {
        out.push(EventKind::BadDebt {
            account: ctx.account.id,
            asset: settle,
            amount: bad,
        });
    }
    Ok(out)
}

/// Closes profitable opposite positions so that they give up `deficit` of profit in total.
/// Returns the amount covered and the events.
fn auto_deleverage(
    ctx: &mut LiqContext<'_>,
    market: &AssetId,
    side: Side,
    size: Decimal,
    deficit: Decimal,
) -> Result<(Decimal, Vec<EventKind>), EngineError> {
    let per_unit = div(deficit, size)?;
    let me = ctx.account.id;
    let mut ranked: Vec<(Decimal, Account)> = Vec::new();
    let ids: Vec<_> = ctx.others.keys().copied().filter(|id| *id != me).collect();
    for id in ids {
        let Some(acc) = ctx.other(id) else { continue };
        let Some(p) = acc.positions.get(market) else {
            continue;
        };
        if p.side == side {
            continue;
        }
        let pv = position_view(ctx.cfg, ctx.world, market, p)?;
        let basis = div(p.size * p.entry_price, p.leverage.max(Decimal::ONE))?;
        if pv.unrealized_pnl <= Decimal::ZERO || basis <= Decimal::ZERO {
            continue;
        }
        ranked.push((pv.unrealized_pnl / basis * p.leverage, acc.clone()));
    }
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    let settle = ctx.cfg.debt_asset.clone();
    let mark = ctx.world.price(market);
    let (mut left, mut covered) = (size, Decimal::ZERO);
    let mut events = Vec::new();
    for (_, mut acc) in ranked {
        if left <= Decimal::ZERO || covered >= deficit {
            break;
        }
        settle_funding(ctx.cfg, ctx.world, &mut acc, market).map_err(|_| EngineError::Overflow)?;
        let Some(p) = acc.positions.get(market).cloned() else {
            continue;
        };
        let part = p.size.min(left);
        let fraction = div(part, p.size)?;
        let pnl_mark = mul(mul(p.sign(), part)?, mark - p.entry_price)?;
        let forgone = mul(per_unit, part)?
            .min(pnl_mark.max(Decimal::ZERO))
            .min(deficit - covered);
        let pnl = pnl_mark - forgone;
        let exec = mark - div(forgone, mul(p.sign(), part)?)?;
        let mut rest = p.clone();
        rest.size -= part;
        let released = if rest.size.is_zero() {
            p.margin
        } else {
            mul(p.margin, fraction)?
        };
        rest.margin -= released;
        match p.mode {
            MarginMode::Isolated => acc.credit(&settle, released + pnl),
            MarginMode::Cross => acc.credit(&settle, pnl),
        }
        ctx.world.ledger.counterparty_pool -= pnl;
        acc.realized_pnl += pnl;
        if rest.size.is_zero() {
            acc.positions.remove(market);
        } else {
            acc.positions.insert(market.clone(), rest);
        }
        adjust_open_interest(ctx.world, market, p.side, -part)
            .map_err(|_| EngineError::Overflow)?;
        left -= part;
        covered += forgone;
        events.push(EventKind::AutoDeleveraged {
            account: acc.id,
            market: market.clone(),
            side: p.side,
            size: part,
            price: exec,
            profit_forgone: forgone,
        });
        ctx.put_other(acc);
    }
    Ok((covered, events))
}
