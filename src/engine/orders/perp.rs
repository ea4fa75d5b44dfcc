//! Perp orders: stop-loss and take-profit (reduce-only market orders that wait for the mark
//! price) and limit orders to open or add (filled at their price once the mark trades through
//! it, part by part). Placement, amendment, cancellation and fills; the fill rules are in the
//! module docs of [`super`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{floor_amount, CancelReason, Origin};
use crate::engine::account::Account;
use crate::engine::actions::{check_amount, open_position, reduce_position};
use crate::engine::command::{MarginMode, Side};
use crate::engine::error::{EngineError, Rejection};
use crate::engine::event::EventKind;
use crate::engine::ids::AssetId;
use crate::engine::margin::perp_view;
use crate::engine::num::{fmt_num, mul, MAX_PRICE, MIN_PRICE};
use crate::engine::params::config::EngineConfig;
use crate::engine::slippage;
use crate::engine::state::World;

/// What an order does when it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OrderKind {
    /// Reduce-only: closes (part of) a position when the mark moves against it to the trigger.
    StopLoss,
    /// Reduce-only: closes (part of) a position when the mark moves in its favour to the trigger.
    TakeProfit,
    /// Opens or adds to a position at the limit price or better.
    Limit,
}

impl OrderKind {
    pub fn name(self) -> &'static str {
        match self {
            OrderKind::StopLoss => "stop-loss",
            OrderKind::TakeProfit => "take-profit",
            OrderKind::Limit => "limit",
        }
    }
}

/// Which way the mark must move for an order to fire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Cross {
    /// Fires when the mark is at or below the order's price (a long's stop, a short's take, a buy
    /// limit — strictly below for a limit).
    AtOrBelow,
    /// Fires when the mark is at or above it.
    AtOrAbove,
}

/// The terms a limit order opens with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenTerms {
    pub leverage: Decimal,
    pub mode: MarginMode,
}

/// What [`Command::PlaceOrder`](crate::engine::Command::PlaceOrder) asks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum OrderRequest {
    /// Closes `size` (`None`: the whole position, whatever its size when it fires) of the
    /// position on `market` when the mark reaches `trigger` against it.
    StopLoss {
        market: AssetId,
        trigger: Decimal,
        size: Option<Decimal>,
    },
    /// Closes `size` (`None`: all) when the mark reaches `trigger` in the position's favour.
    TakeProfit {
        market: AssetId,
        trigger: Decimal,
        size: Option<Decimal>,
    },
    /// Opens or adds `size` on `side` at `price` (below the mark to buy, above it to sell).
    Limit {
        market: AssetId,
        side: Side,
        size: Decimal,
        price: Decimal,
        leverage: Decimal,
        mode: MarginMode,
    },
}

/// A resting order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// Per account, from 1 (shared with protection rules).
    pub id: u64,
    pub kind: OrderKind,
    pub market: AssetId,
    /// Stops and takes: the side of the position they close. Limits: the side they open.
    pub side: Side,
    /// Trigger price (stops, takes) or limit price.
    pub price: Decimal,
    /// Total size; `None` for a stop or take on the whole position.
    pub size: Option<Decimal>,
    /// Size filled so far (limits fill part by part).
    pub filled: Decimal,
    /// Limits only.
    pub open: Option<OpenTerms>,
    pub origin: Origin,
    /// Whether its trigger has been reached (a limit may fill over several steps).
    pub triggered: bool,
}

impl Order {
    /// Which way the mark must move for it to fire.
    pub fn cross(&self) -> Cross {
        cross_of(self.kind, self.side)
    }

    pub fn reduce_only(&self) -> bool {
        self.kind != OrderKind::Limit
    }

    /// Size still to fill (`None`: the whole position).
    pub fn remaining(&self) -> Option<Decimal> {
        self.size.map(|s| s - self.filled)
    }

    /// Whether the mark `mark` fires it: at or through the price for stops and takes, strictly
    /// through it for limits (a touch is not a fill).
    pub fn fires_at(&self, mark: Decimal) -> bool {
        match (self.cross(), self.kind) {
            (Cross::AtOrBelow, OrderKind::Limit) => mark < self.price,
            (Cross::AtOrAbove, OrderKind::Limit) => mark > self.price,
            (Cross::AtOrBelow, _) => mark <= self.price,
            (Cross::AtOrAbove, _) => mark >= self.price,
        }
    }

    /// "stop-loss #2 on your ETH long" style.
    pub fn label(&self) -> String {
        match self.kind {
            OrderKind::Limit => format!(
                "{} limit #{} ({} {})",
                if self.side == Side::Long {
                    "buy"
                } else {
                    "sell"
                },
                self.id,
                self.market,
                self.side
            ),
            k => format!(
                "{} #{} on your {} {}",
                k.name(),
                self.id,
                self.market,
                self.side
            ),
        }
    }
}

fn cross_of(kind: OrderKind, side: Side) -> Cross {
    match (kind, side) {
        (OrderKind::StopLoss, Side::Long)
        | (OrderKind::TakeProfit, Side::Short)
        | (OrderKind::Limit, Side::Long) => Cross::AtOrBelow,
        _ => Cross::AtOrAbove,
    }
}

fn check_price(price: Decimal) -> Result<(), Rejection> {
    if !(MIN_PRICE..=MAX_PRICE).contains(&price) {
        return Err(Rejection::InvalidOrderPrice(price));
    }
    Ok(())
}

fn perp_market(cfg: &EngineConfig, market: &AssetId) -> Result<(), Rejection> {
    let params = cfg
        .asset(market)
        .ok_or_else(|| Rejection::UnknownAsset(market.clone()))?;
    if params.perp.is_none() {
        return Err(Rejection::NotAPerpMarket(market.clone()));
    }
    Ok(())
}

/// Checks an order's price, size and terms against the account and the mark now.
fn validate(cfg: &EngineConfig, w: &World, acc: &Account, o: &Order) -> Result<(), Rejection> {
    perp_market(cfg, &o.market)?;
    check_price(o.price)?;
    let mark = w.price(&o.market);
    let above = o.cross() == Cross::AtOrAbove;
    if o.reduce_only() {
        let pos = acc
            .positions
            .get(&o.market)
            .ok_or_else(|| Rejection::NoPosition(o.market.clone()))?;
        if pos.side != o.side {
            return Err(Rejection::NoPosition(o.market.clone()));
        }
        if let Some(s) = o.size {
            check_amount(s)?;
            if s > pos.size {
                return Err(Rejection::ReduceTooLarge {
                    size: s,
                    open: pos.size,
                });
            }
        }
        if o.fires_at(mark) {
            return Err(Rejection::OrderPriceSide {
                what: format!("A {} on your {} {}", o.kind.name(), o.market, o.side),
                price: o.price,
                mark,
                problem: format!(
                    "fire at once; it must be {} the mark price",
                    if above { "above" } else { "below" }
                ),
            });
        }
        return Ok(());
    }
    let terms = o.open.ok_or(Rejection::Overflow)?;
    let size = o.remaining().unwrap_or_default();
    check_amount(size)?;
    let perp = cfg
        .asset(&o.market)
        .and_then(|p| p.perp.clone())
        .ok_or_else(|| Rejection::NotAPerpMarket(o.market.clone()))?;
    if terms.leverage < Decimal::ONE {
        return Err(Rejection::LeverageTooLow(terms.leverage));
    }
    if terms.leverage > perp.max_leverage {
        return Err(Rejection::LeverageTooHigh {
            leverage: terms.leverage,
            max: perp.max_leverage,
        });
    }
    if let Some(p) = acc.positions.get(&o.market) {
        if p.side != o.side {
            return Err(Rejection::OppositeSide {
                market: o.market.clone(),
                held: p.side.to_string(),
            });
        }
        if p.mode != terms.mode {
            return Err(Rejection::MarginModeMismatch {
                market: o.market.clone(),
                held: p.mode.to_string(),
            });
        }
    }
    // A limit rests strictly on its side of the mark (at the mark it would trade at once).
    if o.fires_at(mark) || mark == o.price {
        let verb = if o.side == Side::Long { "buy" } else { "sell" };
        return Err(Rejection::OrderPriceSide {
            what: format!("A {verb} limit"),
            price: o.price,
            mark,
            problem: format!(
                "fill at once; a {verb} limit rests {} the mark price (use a market order to trade now)",
                if above { "above" } else { "below" }
            ),
        });
    }
    if terms.mode == MarginMode::Isolated {
        let required = mul(size, o.price)? / terms.leverage;
        let have = acc.wallet(&cfg.debt_asset);
        if required > have {
            return Err(Rejection::InsufficientMargin {
                action: format!(
                    "A {} limit for {} {} at {}",
                    if o.side == Side::Long { "buy" } else { "sell" },
                    fmt_num(size, 6),
                    o.market,
                    fmt_num(o.price, 2)
                ),
                required,
                available: have,
            });
        }
    }
    Ok(())
}

fn liquidation_price(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
    market: &AssetId,
) -> Option<Decimal> {
    perp_view(cfg, w, acc)
        .ok()
        .and_then(|v| v.liquidation_price(market))
}

/// Places an order (`origin` says whether the learner or the strategy did).
pub(crate) fn place(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    req: &OrderRequest,
    origin: Origin,
) -> Result<Vec<EventKind>, Rejection> {
    acc.automation.room()?;
    let mut order = match req {
        OrderRequest::StopLoss {
            market,
            trigger,
            size,
        }
        | OrderRequest::TakeProfit {
            market,
            trigger,
            size,
        } => Order {
            id: 0,
            kind: if matches!(req, OrderRequest::StopLoss { .. }) {
                OrderKind::StopLoss
            } else {
                OrderKind::TakeProfit
            },
            market: market.clone(),
            side: acc
                .positions
                .get(market)
                .map(|p| p.side)
                .ok_or_else(|| Rejection::NoPosition(market.clone()))?,
            price: *trigger,
            size: *size,
            filled: Decimal::ZERO,
            open: None,
            origin,
            triggered: false,
        },
        OrderRequest::Limit {
            market,
            side,
            size,
            price,
            leverage,
            mode,
        } => Order {
            id: 0,
            kind: OrderKind::Limit,
            market: market.clone(),
            side: *side,
            price: *price,
            size: Some(*size),
            filled: Decimal::ZERO,
            open: Some(OpenTerms {
                leverage: *leverage,
                mode: *mode,
            }),
            origin,
            triggered: false,
        },
    };
    validate(cfg, w, acc, &order)?;
    order.id = acc.automation.next_id();
    let event = EventKind::OrderPlaced {
        account: acc.id,
        order: order.clone(),
        mark_price: w.price(&order.market),
        liquidation_price: liquidation_price(cfg, w, acc, &order.market),
    };
    acc.automation.orders.insert(order.id, order);
    Ok(vec![event])
}

/// Moves an order's price and, if given, its size (for a limit: the size still to fill).
pub(crate) fn amend(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    id: u64,
    price: Decimal,
    size: Option<Decimal>,
) -> Result<Vec<EventKind>, Rejection> {
    let old = acc
        .automation
        .orders
        .get(&id)
        .cloned()
        .ok_or(Rejection::UnknownOrder(id))?;
    let mut new = old.clone();
    new.price = price;
    if let Some(s) = size {
        check_amount(s)?;
        new.size = Some(if new.reduce_only() { s } else { old.filled + s });
    }
    validate(cfg, w, acc, &new)?;
    let event = EventKind::OrderAmended {
        account: acc.id,
        id,
        price,
        size: new.remaining(),
        previous_price: old.price,
        previous_size: old.remaining(),
    };
    acc.automation.orders.insert(id, new);
    Ok(vec![event])
}

pub(crate) fn cancel(
    acc: &mut Account,
    id: u64,
    reason: CancelReason,
) -> Result<Vec<EventKind>, Rejection> {
    let order = acc
        .automation
        .orders
        .remove(&id)
        .ok_or(Rejection::UnknownOrder(id))?;
    Ok(vec![EventKind::OrderCancelled {
        account: acc.id,
        id,
        kind: order.kind,
        market: order.market,
        reason,
    }])
}

/// Cancels reduce-only orders whose position is gone or has changed side.
pub(crate) fn cancel_orphans(acc: &mut Account) -> Vec<EventKind> {
    let orphans: Vec<u64> = acc
        .automation
        .orders
        .values()
        .filter(|o| {
            o.reduce_only()
                && acc
                    .positions
                    .get(&o.market)
                    .is_none_or(|p| p.side != o.side)
        })
        .map(|o| o.id)
        .collect();
    orphans
        .into_iter()
        .filter_map(|id| cancel(acc, id, CancelReason::PositionClosed).ok())
        .flatten()
        .collect()
}

/// What happened when an order's price was crossed.
pub(crate) enum Fired {
    /// Not crossed (or a limit merely touched, or nothing traded through it): nothing happens.
    Idle,
    /// Filled (in part, for a limit): the new world and account, the events, and the units sold
    /// on the market (negative: bought), for the market impact.
    Filled {
        world: Box<World>,
        account: Account,
        events: Vec<EventKind>,
        sold: Decimal,
    },
    /// It fired but could not fill: the account without the order, and the events saying why.
    NotFilled {
        account: Account,
        events: Vec<EventKind>,
    },
}

/// Fires order `id` of `acc` if the mark crosses its price (see the fill rules in [`super`]).
pub(crate) fn fire(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
    id: u64,
) -> Result<Fired, EngineError> {
    let Some(order) = acc.automation.orders.get(&id).cloned() else {
        return Ok(Fired::Idle);
    };
    let market = order.market.clone();
    let mark = w.price(&market);
    if !order.fires_at(mark) {
        return Ok(Fired::Idle);
    }
    let mut account = acc.clone();
    let buying = (order.side == Side::Long) != order.reduce_only();
    let liq_before = liquidation_price(cfg, w, acc, &market);
    // Size and fill price by the slippage model.
    let (size, fill_price) = if order.reduce_only() {
        let Some(pos) = acc.positions.get(&market).filter(|p| p.side == order.side) else {
            let events = cancel(&mut account, id, CancelReason::PositionClosed).unwrap_or_default();
            return Ok(Fired::NotFilled { account, events });
        };
        let size = order.size.unwrap_or(pos.size).min(pos.size);
        let fraction = slippage::impact_fraction(cfg, &market, size, mark)?;
        (size, slippage::market_fill_price(mark, fraction, buying)?)
    } else {
        let remaining = order.remaining().unwrap_or_default();
        let through = slippage::volume_through(cfg, &market, order.price, mark)?;
        let size = floor_amount(through.map_or(remaining, |t| t.min(remaining)));
        if size <= Decimal::ZERO {
            return Ok(Fired::Idle);
        }
        (size, order.price)
    };
    let mut events = Vec::new();
    if !order.triggered {
        events.push(EventKind::OrderTriggered {
            account: acc.id,
            id,
            kind: order.kind,
            market: market.clone(),
            price: order.price,
            mark_price: mark,
        });
    }
    let mut world = w.clone();
    let done = if order.reduce_only() {
        reduce_position(
            cfg,
            &mut world,
            &mut account,
            &market,
            Some(size),
            Some(fill_price),
        )
    } else {
        let terms = order.open.ok_or(EngineError::Overflow)?;
        open_position(
            cfg,
            &mut world,
            &mut account,
            &market,
            order.side,
            size,
            terms.leverage,
            terms.mode,
            Some(fill_price),
        )
    };
    let trade = match done {
        Ok(t) => t,
        Err(rejection) => {
            let mut account = acc.clone();
            account.automation.orders.remove(&id);
            let reason = not_filled_reason(&order, &rejection, mark, liq_before);
            events.push(EventKind::OrderNotFilled {
                account: acc.id,
                id,
                kind: order.kind,
                market,
                mark_price: mark,
                reason,
            });
            return Ok(Fired::NotFilled { account, events });
        }
    };
    let realized_pnl = trade
        .iter()
        .find_map(|e| match e {
            EventKind::PositionReduced { realized_pnl, .. } => Some(*realized_pnl),
            _ => None,
        })
        .unwrap_or_default();
    events.extend(trade);
    // Market orders: the mark beyond the order's price (a gap) and the slippage of the size,
    // both against the trader. A limit gets its own price: neither applies.
    let (gap, slip) = if order.reduce_only() {
        let against = |a: Decimal, b: Decimal| {
            if buying {
                (a - b).max(Decimal::ZERO)
            } else {
                (b - a).max(Decimal::ZERO)
            }
        };
        (
            mul(against(mark, order.price), size)?,
            mul(against(fill_price, mark), size)?,
        )
    } else {
        (Decimal::ZERO, Decimal::ZERO)
    };
    let mut left = order.clone();
    left.filled += size;
    left.triggered = true;
    let remaining = if order.reduce_only() {
        Decimal::ZERO
    } else {
        left.remaining().unwrap_or_default()
    };
    if remaining > Decimal::ZERO {
        account.automation.orders.insert(id, left);
    } else {
        account.automation.orders.remove(&id);
    }
    events.push(EventKind::OrderFilled {
        account: acc.id,
        id,
        kind: order.kind,
        market,
        side: order.side,
        size,
        order_price: order.price,
        mark_price: mark,
        fill_price,
        slippage: slip,
        gap,
        remaining,
        realized_pnl,
        liquidation_price: liq_before,
        origin: order.origin,
    });
    Ok(Fired::Filled {
        world: Box::new(world),
        account,
        events,
        sold: if buying { -size } else { size },
    })
}

/// Why a fired order could not fill, in words a learner can act on.
fn not_filled_reason(
    order: &Order,
    rejection: &Rejection,
    mark: Decimal,
    liq: Option<Decimal>,
) -> String {
    match (order.reduce_only(), rejection) {
        (true, Rejection::InsufficientMargin { .. }) => format!(
            "at the mark price {} the position's loss is larger than its margin (the price went \
             past the bankruptcy price{}), so the {} could not close it; the liquidation engine \
             takes the position over (insurance fund, then auto-deleveraging)",
            fmt_num(mark, 2),
            liq.map(|l| format!(", beyond the liquidation price {}", fmt_num(l, 2)))
                .unwrap_or_default(),
            order.kind.name()
        ),
        _ => format!("{rejection}; the order is cancelled"),
    }
}
