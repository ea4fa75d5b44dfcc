//! Perpetual positions: margin, PnL, funding and liquidation prices, valued at the mark price
//! (= the oracle / index price; exchanges liquidate on mark price, not the last trade).
//!
//! - Notional `= size × mark`; initial margin `= notional / leverage`;
//!   maintenance margin `= notional × MMR − maintenance amount` of the notional's tier (Binance;
//!   the amounts are 0 under the 2026-11 rules).
//! - Unrealized PnL `= ±size × (mark − entry)`; unsettled funding `= ±size × (F − F_entry)` where `F`
//!   is the market's cumulative funding per unit (longs pay when positive).
//! - Isolated equity `= margin + PnL − funding`; cross equity `= wallet(settlement) + Σ cross (PnL − funding)`.
//!   A position (isolated) or the cross book is liquidatable when equity < maintenance margin.
//! - Margin ratio (Binance style) `= maintenance margin / equity`; liquidation at 100%.
//! - Liquidation price: solve equity(P) = maintenance(P) linearly in P with other prices fixed:
//!   `P = (MM_others − amount + s × mark − equity) / (s − MMR × |s|)` for signed size `s`; for an
//!   isolated position this is Binance's `(wallet + amount − side × q × entry) / (q × MMR − side × q)`
//!   (DOMAIN.md), and for a long with no amount or funding `entry × (1 − 1/L) / (1 − MMR)`. The
//!   rate and amount of the current tier are used.

use super::account::{Account, Position};
use super::command::{MarginMode, Side};
use super::error::EngineError;
use super::ids::AssetId;
use super::num::{add, mul, sub};
use super::params::config::EngineConfig;
use super::state::World;
use rust_decimal::Decimal;

/// One position valued at the mark price.
#[derive(Clone, Debug, PartialEq)]
pub struct PositionView {
    pub market: AssetId,
    pub side: Side,
    pub mode: MarginMode,
    pub size: Decimal,
    pub signed_size: Decimal,
    pub entry_price: Decimal,
    pub mark_price: Decimal,
    pub notional: Decimal,
    pub margin: Decimal,
    pub unrealized_pnl: Decimal,
    pub funding_owed: Decimal,
    /// Isolated: `margin + PnL − funding`; cross: `PnL − funding` (the wallet is added at book level).
    pub equity: Decimal,
    pub maintenance_rate: Decimal,
    /// The tier's maintenance amount (Binance "cum"); the requirement is `notional × rate − amount`.
    pub maintenance_amount: Decimal,
    pub maintenance_margin: Decimal,
}

/// The largest margin ratio reported: 100 (10,000%) means the equity is zero or below — the price
/// went past the bankruptcy price within one step.
pub const MARGIN_RATIO_CAP: Decimal = Decimal::ONE_HUNDRED;

/// `x`, or zero when negative (keeps `x`'s representation otherwise).
fn non_negative(x: Decimal) -> Decimal {
    if x.is_sign_negative() {
        Decimal::ZERO
    } else {
        x
    }
}

pub fn position_view(
    cfg: &EngineConfig,
    w: &World,
    market: &AssetId,
    pos: &Position,
) -> Result<PositionView, EngineError> {
    let params = cfg
        .asset(market)
        .ok_or_else(|| EngineError::UnknownAsset(market.clone()))?;
    let st = w.asset(market)?;
    let mark = st.price;
    let s = mul(pos.sign(), pos.size)?;
    let notional = mul(pos.size, mark)?;
    let pnl = mul(s, sub(mark, pos.entry_price)?)?;
    let funding = mul(s, sub(st.funding_cumulative, pos.funding_snapshot)?)?;
    let mmr = params.maintenance_rate(notional);
    let amount = params
        .margin_tier(notional)
        .map(|t| t.maintenance_amount)
        .unwrap_or_default();
    let equity = sub(add(pos.margin, pnl)?, funding)?;
    Ok(PositionView {
        market: market.clone(),
        side: pos.side,
        mode: pos.mode,
        size: pos.size,
        signed_size: s,
        entry_price: pos.entry_price,
        mark_price: mark,
        notional,
        margin: pos.margin,
        unrealized_pnl: pnl,
        funding_owed: funding,
        equity,
        maintenance_rate: mmr,
        maintenance_amount: amount,
        maintenance_margin: non_negative(sub(mul(notional, mmr)?, amount)?),
    })
}

/// All positions of an account.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PerpView {
    pub positions: Vec<PositionView>,
    pub cross_equity: Decimal,
    pub cross_maintenance: Decimal,
    pub has_cross: bool,
}

impl PerpView {
    pub fn cross_liquidatable(&self) -> bool {
        self.has_cross && self.cross_equity < self.cross_maintenance
    }
    /// Total equity backing positions (cross book + isolated margins and PnL).
    pub fn total_equity(&self) -> Decimal {
        let iso: Decimal = self
            .positions
            .iter()
            .filter(|p| p.mode == MarginMode::Isolated)
            .map(|p| p.equity)
            .sum();
        let cross = if self.has_cross {
            self.cross_equity
        } else {
            Decimal::ZERO
        };
        iso + cross
    }
    pub fn total_maintenance(&self) -> Decimal {
        self.positions.iter().map(|p| p.maintenance_margin).sum()
    }
    /// `MM / equity`, capped at 100 when equity is zero or negative; `None` without positions.
    /// Maintenance margin / equity, capped at [`MARGIN_RATIO_CAP`] (which also stands for an
    /// equity at or below zero).
    pub fn margin_ratio(&self) -> Option<Decimal> {
        if self.positions.is_empty() {
            return None;
        }
        let eq = self.total_equity();
        let mm = self.total_maintenance();
        if eq <= Decimal::ZERO {
            return Some(MARGIN_RATIO_CAP);
        }
        Some(
            mm.checked_div(eq)
                .unwrap_or(MARGIN_RATIO_CAP)
                .min(MARGIN_RATIO_CAP),
        )
    }

    /// Liquidation price of the position in `market`, other prices unchanged.
    pub fn liquidation_price(&self, market: &AssetId) -> Option<Decimal> {
        let p = self.positions.iter().find(|p| &p.market == market)?;
        let (equity, mm_others) = match p.mode {
            MarginMode::Isolated => (p.equity, Decimal::ZERO),
            MarginMode::Cross => (
                self.cross_equity,
                self.cross_maintenance - p.maintenance_margin,
            ),
        };
        solve_liquidation_price(
            equity,
            mm_others - p.maintenance_amount,
            p.mark_price,
            p.signed_size,
            p.maintenance_rate,
        )
    }
}

/// `P = (MM_others + s × mark − equity) / (s − MMR × |s|)`; `None` when no positive price liquidates.
pub fn solve_liquidation_price(
    equity: Decimal,
    mm_others: Decimal,
    mark: Decimal,
    signed_size: Decimal,
    mmr: Decimal,
) -> Option<Decimal> {
    let denom = signed_size - mmr * signed_size.abs();
    if denom.is_zero() {
        return None;
    }
    let num = mm_others
        .checked_add(signed_size.checked_mul(mark)?)?
        .checked_sub(equity)?;
    let price = num.checked_div(denom)?;
    (price > Decimal::ZERO).then_some(price)
}

pub fn perp_view(cfg: &EngineConfig, w: &World, acc: &Account) -> Result<PerpView, EngineError> {
    let mut v = PerpView {
        cross_equity: acc.wallet(&cfg.debt_asset),
        ..PerpView::default()
    };
    for (market, pos) in &acc.positions {
        let pv = position_view(cfg, w, market, pos)?;
        if pv.mode == MarginMode::Cross {
            v.has_cross = true;
            v.cross_equity = add(v.cross_equity, pv.equity)?;
            v.cross_maintenance = add(v.cross_maintenance, pv.maintenance_margin)?;
        }
        v.positions.push(pv);
    }
    Ok(v)
}

/// Isolated positions that are below maintenance.
pub fn liquidatable_isolated(v: &PerpView) -> Vec<AssetId> {
    v.positions
        .iter()
        .filter(|p| p.mode == MarginMode::Isolated && p.equity < p.maintenance_margin)
        .map(|p| p.market.clone())
        .collect()
}
