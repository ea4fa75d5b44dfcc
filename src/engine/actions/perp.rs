//! Perpetual positions: open or add, reduce or close, and the funding settled on each touch.

use super::{check_amount, check_asset};
use crate::engine::account::{Account, Position};
use crate::engine::command::{MarginMode, Side};
use crate::engine::error::Rejection;
use crate::engine::event::EventKind;
use crate::engine::ids::AssetId;
use crate::engine::margin::{perp_view, position_view};
use crate::engine::num::{add, div, fmt_num, mul, sub};
use crate::engine::params::config::EngineConfig;
use crate::engine::state::World;
use rust_decimal::Decimal;

/// Settles a position's funding into its margin (isolated) or the wallet (cross), paid to or from
/// the counterparty pool. Returns the amount the trader paid.
pub(crate) fn settle_funding(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    market: &AssetId,
) -> Result<Decimal, Rejection> {
    let cum = w.asset(market)?.funding_cumulative;
    let Some(pos) = acc.positions.get_mut(market) else {
        return Ok(Decimal::ZERO);
    };
    let owed = mul(mul(pos.sign(), pos.size)?, sub(cum, pos.funding_snapshot)?)?;
    pos.funding_snapshot = cum;
    match pos.mode {
        MarginMode::Isolated => pos.margin -= owed,
        MarginMode::Cross => acc.credit(&cfg.debt_asset, -owed),
    }
    w.ledger.counterparty_pool += owed;
    Ok(owed)
}

pub(crate) fn adjust_open_interest(
    w: &mut World,
    market: &AssetId,
    side: Side,
    delta: Decimal,
) -> Result<(), Rejection> {
    let st = w.asset_mut(market)?;
    match side {
        Side::Long => st.open_interest_long = (st.open_interest_long + delta).max(Decimal::ZERO),
        Side::Short => st.open_interest_short = (st.open_interest_short + delta).max(Decimal::ZERO),
    }
    Ok(())
}

/// Opens or adds at the mark price, or at `at` (a triggered order's fill price, see `orders`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn open_position(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    market: &AssetId,
    side: Side,
    size: Decimal,
    leverage: Decimal,
    mode: MarginMode,
    at: Option<Decimal>,
) -> Result<Vec<EventKind>, Rejection> {
    check_asset(cfg, market)?;
    check_amount(size)?;
    let params = cfg
        .asset(market)
        .ok_or_else(|| Rejection::UnknownAsset(market.clone()))?;
    let Some(perp) = &params.perp else {
        return Err(Rejection::NotAPerpMarket(market.clone()));
    };
    if leverage < Decimal::ONE {
        return Err(Rejection::LeverageTooLow(leverage));
    }
    if leverage > perp.max_leverage {
        return Err(Rejection::LeverageTooHigh {
            leverage,
            max: perp.max_leverage,
        });
    }
    if let Some(p) = acc.positions.get(market) {
        if p.side != side {
            return Err(Rejection::OppositeSide {
                market: market.clone(),
                held: p.side.to_string(),
            });
        }
        if p.mode != mode {
            return Err(Rejection::MarginModeMismatch {
                market: market.clone(),
                held: p.mode.to_string(),
            });
        }
    }
    settle_funding(cfg, w, acc, market)?;
    let price = at.unwrap_or_else(|| w.price(market));
    let notional = mul(size, price)?;
    let margin = div(notional, leverage)?;
    check_tier_leverage(params, acc, market, notional, leverage)?;
    let action = format!(
        "Opening {} {market} {side} at {}x",
        fmt_num(size, 6),
        fmt_num(leverage, 2)
    );
    if mode == MarginMode::Isolated {
        let have = acc.wallet(&cfg.debt_asset);
        if have < margin {
            return Err(Rejection::InsufficientMargin {
                action,
                required: margin,
                available: have,
            });
        }
        acc.credit(&cfg.debt_asset, -margin);
    }
    let cum = w.asset(market)?.funding_cumulative;
    let pos = acc.positions.get_or_insert_with(market, || Position {
        side,
        size: Decimal::ZERO,
        entry_price: price,
        mode,
        leverage,
        margin: Decimal::ZERO,
        funding_snapshot: cum,
    });
    let new_size = add(pos.size, size)?;
    pos.entry_price = div(add(mul(pos.size, pos.entry_price)?, notional)?, new_size)?;
    pos.size = new_size;
    pos.leverage = leverage;
    if mode == MarginMode::Isolated {
        pos.margin = add(pos.margin, margin)?;
    }
    let entry = pos.entry_price;
    // Checks after the change: cross needs equity for every cross position's initial margin; any
    // position must not open below its maintenance margin.
    let view = perp_view(cfg, w, acc)?;
    if mode == MarginMode::Cross {
        let mut required = Decimal::ZERO;
        for (m, p) in &acc.positions {
            if p.mode == MarginMode::Cross {
                let pv = position_view(cfg, w, m, p)?;
                required = add(required, div(pv.notional, p.leverage)?)?;
            }
        }
        if view.cross_equity < required {
            return Err(Rejection::InsufficientMargin {
                action,
                required,
                available: view.cross_equity,
            });
        }
    }
    if let Some(pv) = view.positions.iter().find(|p| &p.market == market) {
        let (eq, mm) = match mode {
            MarginMode::Isolated => (pv.equity, pv.maintenance_margin),
            MarginMode::Cross => (view.cross_equity, view.cross_maintenance),
        };
        if eq < mm {
            return Err(Rejection::InsufficientMargin {
                action,
                required: mm,
                available: eq,
            });
        }
    }
    adjust_open_interest(w, market, side, size)?;
    Ok(vec![EventKind::PositionOpened {
        account: acc.id,
        market: market.clone(),
        side,
        mode,
        size,
        price,
        leverage,
        margin_added: if mode == MarginMode::Isolated {
            margin
        } else {
            Decimal::ZERO
        },
        new_size,
        new_entry_price: entry,
        liquidation_price: view.liquidation_price(market),
    }])
}

/// Closes part or all of a position at the mark price, or at `at` (a triggered order's fill
/// price, see `orders`).
pub(crate) fn reduce_position(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    market: &AssetId,
    size: Option<Decimal>,
    at: Option<Decimal>,
) -> Result<Vec<EventKind>, Rejection> {
    check_asset(cfg, market)?;
    let open = acc
        .positions
        .get(market)
        .map(|p| p.size)
        .ok_or_else(|| Rejection::NoPosition(market.clone()))?;
    let size = match size {
        Some(s) => {
            check_amount(s)?;
            if s > open {
                return Err(Rejection::ReduceTooLarge { size: s, open });
            }
            s
        }
        None => open,
    };
    let funding = settle_funding(cfg, w, acc, market)?;
    let price = at.unwrap_or_else(|| w.price(market));
    let pos = acc
        .positions
        .get(market)
        .cloned()
        .ok_or_else(|| Rejection::NoPosition(market.clone()))?;
    let pnl = mul(mul(pos.sign(), size)?, sub(price, pos.entry_price)?)?;
    let fraction = div(size, pos.size)?;
    let full = size == pos.size;
    let action = format!("Closing {} {market}", fmt_num(size, 6));
    let mut remaining = pos.clone();
    remaining.size -= size;
    match pos.mode {
        MarginMode::Isolated => {
            let released = if full {
                pos.margin
            } else {
                mul(pos.margin, fraction)?
            };
            let mut payout = add(released, pnl)?;
            remaining.margin = pos.margin - released;
            if payout < Decimal::ZERO {
                remaining.margin += payout;
                payout = Decimal::ZERO;
                if full || remaining.margin < Decimal::ZERO {
                    return Err(Rejection::InsufficientMargin {
                        action,
                        required: pos.margin - released - remaining.margin,
                        available: pos.margin,
                    });
                }
            }
            acc.credit(&cfg.debt_asset, payout);
        }
        MarginMode::Cross => {
            let have = acc.wallet(&cfg.debt_asset);
            if add(have, pnl)? < Decimal::ZERO {
                return Err(Rejection::InsufficientMargin {
                    action,
                    required: -pnl,
                    available: have,
                });
            }
            acc.credit(&cfg.debt_asset, pnl);
        }
    }
    w.ledger.counterparty_pool -= pnl;
    acc.realized_pnl += pnl;
    if full {
        acc.positions.remove(market);
    } else {
        acc.positions.insert(market.clone(), remaining.clone());
    }
    adjust_open_interest(w, market, pos.side, -size)?;
    Ok(vec![EventKind::PositionReduced {
        account: acc.id,
        market: market.clone(),
        size,
        price,
        realized_pnl: pnl,
        funding_paid: funding,
        remaining: if full { Decimal::ZERO } else { remaining.size },
    }])
}

/// Binance-style brackets: the position's notional after the order falls in a tier whose
/// leverage cap the order's leverage must respect.
fn check_tier_leverage(
    params: &crate::engine::params::AssetParams,
    acc: &Account,
    market: &AssetId,
    notional: Decimal,
    leverage: Decimal,
) -> Result<(), Rejection> {
    let Some(perp) = &params.perp else {
        return Ok(());
    };
    let held = acc
        .positions
        .get(market)
        .map(|p| p.size * p.entry_price)
        .unwrap_or_default();
    let total = add(held, notional)?;
    let Some(tier) = params.margin_tier(total) else {
        return Ok(());
    };
    let Some(max) = tier.max_leverage else {
        return Ok(());
    };
    if leverage > max {
        let tier_from = perp
            .tiers
            .iter()
            .filter_map(|t| t.up_to)
            .filter(|u| *u < total)
            .max()
            .unwrap_or_default();
        return Err(Rejection::TierLeverage {
            notional: total,
            tier_from,
            max,
            leverage,
        });
    }
    Ok(())
}
