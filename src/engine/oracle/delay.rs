//! Fixed delay (Maker OSM style): publish the market price as it was `delay_secs` ago.
//!
//! Maker's Oracle Security Module holds each price for one hour before the system uses it, giving
//! governance time to react to a compromised feed; the cost is that liquidations lag the market.
//! (The real OSM moves in hourly `poke`s, so its price is 1–2 hours old; this model uses a smooth
//! delay of exactly `delay_secs`.) Until `delay_secs` have passed since the first observation it
//! publishes that first price.

use std::collections::VecDeque;

use rust_decimal::Decimal;

use super::{OracleModel, OracleReading};

/// The delay and the recent market observations `(time, price)` it still needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Delay {
    delay_secs: i64,
    history: VecDeque<(i64, Decimal)>,
}

impl Delay {
    pub fn new(delay_secs: i64) -> Self {
        Self {
            delay_secs,
            history: VecDeque::new(),
        }
    }
}

impl OracleModel for Delay {
    fn observe(&mut self, now: i64, market: Decimal) -> OracleReading {
        observe(&mut self.history, self.delay_secs, now, market)
    }
}

fn observe(
    history: &mut VecDeque<(i64, Decimal)>,
    delay_secs: i64,
    now: i64,
    market: Decimal,
) -> OracleReading {
    let delay = delay_secs.max(0);
    // several observations at the same time keep only the latest (bounded memory)
    match history.back_mut() {
        Some(last) if last.0 == now => last.1 = market,
        _ => history.push_back((now, market)),
    }
    let target = now.saturating_sub(delay);
    // keep the newest observation at or before `target` at the front
    while history.len() >= 2 && history[1].0 <= target {
        history.pop_front();
    }
    let (t, p) = history.front().copied().unwrap_or((now, market));
    OracleReading {
        price: p,
        updated_at: t,
        stale: false,
    }
}
