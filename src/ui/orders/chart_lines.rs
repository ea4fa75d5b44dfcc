//! What the price chart draws for orders: a line per resting order at its price, labelled with
//! what it is ("stop #1 · all", "buy limit #3 · 2 ETH"), and a marker where one filled.

use crate::engine::orders::{Order, OrderKind};
use crate::engine::{AccountId, EventKind, Side};
use crate::feed::PriceFeed;
use crate::replay::Session;
use crate::ui::chart::{HLine, Marker};
use crate::ui::util::format::{self, to_f64};

pub const STOP: &str = "#ff9f43";
pub const TAKE: &str = "#3ddc97";
pub const LIMIT: &str = "#b58cff";

fn color(o: &Order) -> &'static str {
    match o.kind {
        OrderKind::StopLoss => STOP,
        OrderKind::TakeProfit => TAKE,
        OrderKind::Limit => LIMIT,
    }
}

fn label(o: &Order) -> String {
    let what = match (o.kind, o.side) {
        (OrderKind::StopLoss, _) => "stop",
        (OrderKind::TakeProfit, _) => "take",
        (OrderKind::Limit, Side::Long) => "buy limit",
        (OrderKind::Limit, Side::Short) => "sell limit",
    };
    let size = o
        .remaining()
        .map(|s| format!("{} {}", format::money(s, 4), o.market))
        .unwrap_or_else(|| "all".into());
    format!("{what} #{} {} · {size}", o.id, format::price(o.price))
}

/// A line per resting order of the learner on `asset`.
pub fn order_lines(s: &Session, asset: &str) -> Vec<HLine> {
    s.engine()
        .account(&AccountId::USER)
        .map(|a| {
            a.automation
                .orders
                .values()
                .filter(|o| o.market.as_str() == asset)
                .map(|o| HLine {
                    label: label(o),
                    color: color(o),
                    value: to_f64(o.price),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A marker where one of the learner's orders filled.
pub fn fill_markers(s: &Session) -> Vec<Marker> {
    s.engine()
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::OrderFilled { account, kind, .. } if *account == AccountId::USER => {
                Some(Marker {
                    index: s.feed().index_at_time(e.time),
                    label: e.describe(),
                    color: match kind {
                        OrderKind::StopLoss => STOP,
                        OrderKind::TakeProfit => TAKE,
                        OrderKind::Limit => LIMIT,
                    },
                })
            }
            _ => None,
        })
        .collect()
}
