//! Stale / frozen oracle: stops updating during a window (a halted feed, a tokenized T-bill whose
//! NAV is published only on business days, a paused keeper).
//!
//! Outside the window it is instant. Inside, it keeps its last price (the first price it sees, if
//! the window starts before any observation) and flags readings older than `max_age_secs` as
//! stale (`now − updated_at > max_age_secs`, strictly), the check a careful protocol makes before
//! trusting a price.

use rust_decimal::Decimal;

use super::{OracleModel, OracleReading};

/// The freeze window and the last reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frozen {
    from_secs: i64,
    until_secs: Option<i64>,
    max_age_secs: i64,
    last: Option<OracleReading>,
}

impl Frozen {
    pub fn new(from_secs: i64, until_secs: Option<i64>, max_age_secs: i64) -> Self {
        Self {
            from_secs,
            until_secs,
            max_age_secs,
            last: None,
        }
    }
}

impl OracleModel for Frozen {
    fn observe(&mut self, now: i64, market: Decimal) -> OracleReading {
        let r = observe(
            self.last,
            self.from_secs,
            self.until_secs,
            self.max_age_secs,
            now,
            market,
        );
        self.last = Some(r);
        r
    }
}

fn observe(
    last: Option<OracleReading>,
    from_secs: i64,
    until_secs: Option<i64>,
    max_age_secs: i64,
    now: i64,
    market: Decimal,
) -> OracleReading {
    let frozen = now >= from_secs && until_secs.is_none_or(|u| now < u);
    let held = match last {
        Some(l) if frozen => l,
        _ => OracleReading {
            price: market,
            updated_at: now,
            stale: false,
        },
    };
    OracleReading {
        stale: now.saturating_sub(held.updated_at) > max_age_secs.max(0),
        ..held
    }
}
