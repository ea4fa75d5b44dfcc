//! Heartbeat + deviation threshold (Chainlink style).
//!
//! A Chainlink aggregator writes a new answer when the off-chain median moves by at least the
//! deviation threshold from the last answer (e.g. 0.5 % for ETH/USD) or when the heartbeat
//! (e.g. 3600 s) has elapsed. Between updates consumers read the last answer, so small moves are
//! invisible. Both conditions are inclusive (`≥`).

use rust_decimal::Decimal;

use super::{OracleModel, OracleReading};

/// Parameters and the last published answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Heartbeat {
    heartbeat_secs: i64,
    deviation: Decimal,
    last: Option<OracleReading>,
}

impl Heartbeat {
    pub fn new(heartbeat_secs: i64, deviation: Decimal) -> Self {
        Self {
            heartbeat_secs,
            deviation,
            last: None,
        }
    }
}

impl OracleModel for Heartbeat {
    fn observe(&mut self, now: i64, market: Decimal) -> OracleReading {
        let r = observe(self.last, self.heartbeat_secs, self.deviation, now, market);
        self.last = Some(r);
        r
    }
}

fn observe(
    last: Option<OracleReading>,
    heartbeat_secs: i64,
    deviation: Decimal,
    now: i64,
    market: Decimal,
) -> OracleReading {
    let fresh = OracleReading {
        price: market,
        updated_at: now,
        stale: false,
    };
    let Some(last) = last else { return fresh };
    if now.saturating_sub(last.updated_at) >= heartbeat_secs.max(0) || last.price <= Decimal::ZERO {
        return fresh;
    }
    let moved = market
        .checked_sub(last.price)
        .and_then(|d| d.abs().checked_div(last.price));
    match moved {
        Some(m) if m < deviation => OracleReading {
            stale: false,
            ..last
        },
        _ => fresh,
    }
}
