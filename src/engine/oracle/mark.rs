//! Mark price for perpetual futures.
//!
//! Exchanges liquidate on a mark price derived from the index (an oracle basket) rather than the
//! last trade, and clamp the premium of the perp over the index so one wild print cannot liquidate
//! anyone. Without an order book in the sandbox, the perp's fair price is modelled as the index
//! smoothed by a time-weighted EMA (`α = dt / (smoothing_secs + dt)`, exact `Decimal` arithmetic),
//! and the mark is that EMA clamped to `index × (1 ± max_premium)`.

use rust_decimal::Decimal;

use super::{OracleModel, OracleReading};

/// Parameters, the last mark published and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    smoothing_secs: i64,
    max_premium: Decimal,
    last: Option<OracleReading>,
    last_seen: Option<i64>,
    /// The last `(dt, α)`: a feed with a fixed interval has the same α every step, and its
    /// division is the costliest part of a mark.
    alpha: Option<(i64, Decimal)>,
}

impl Mark {
    pub fn new(smoothing_secs: i64, max_premium: Decimal) -> Self {
        Self {
            smoothing_secs,
            max_premium,
            last: None,
            last_seen: None,
            alpha: None,
        }
    }
}

impl OracleModel for Mark {
    fn observe(&mut self, now: i64, index: Decimal) -> OracleReading {
        let r = observe(
            self.last,
            self.last_seen,
            self.smoothing_secs,
            self.max_premium,
            now,
            index,
            &mut self.alpha,
        );
        self.last = Some(r);
        self.last_seen = Some(now);
        r
    }
}

fn observe(
    last: Option<OracleReading>,
    last_seen: Option<i64>,
    smoothing_secs: i64,
    max_premium: Decimal,
    now: i64,
    index: Decimal,
    cache: &mut Option<(i64, Decimal)>,
) -> OracleReading {
    if let (Some(l), Some(_)) = (last, last_seen) {
        if smoothing_secs > 0 && index == l.price {
            // The index has not moved from the last mark: the EMA stays there, inside the clamp.
            // This is what the formula below gives (index − last is zero, zero × α is zero and
            // last + zero is last, representation included, in rust_decimal), without the
            // division for α — the price of an asset nobody moves, every step.
            return OracleReading {
                price: l.price.round_dp(12),
                updated_at: now,
                stale: false,
            };
        }
    }
    let ema = match (last, last_seen) {
        (Some(l), Some(t)) if smoothing_secs > 0 => {
            let secs = now.saturating_sub(t).max(0);
            let alpha = match *cache {
                Some((d, a)) if d == secs => a,
                _ => {
                    let dt = Decimal::from(secs);
                    let a = dt
                        .checked_div(Decimal::from(smoothing_secs) + dt)
                        .unwrap_or(Decimal::ONE);
                    *cache = Some((secs, a));
                    a
                }
            };
            index
                .checked_sub(l.price)
                .and_then(|d| d.checked_mul(alpha))
                .and_then(|d| l.price.checked_add(d))
                .map(|e| e.round_dp(12))
                .unwrap_or(index)
        }
        _ => index,
    };
    let band = max_premium.clamp(Decimal::ZERO, Decimal::ONE);
    let lo = index.checked_mul(Decimal::ONE - band).unwrap_or(index);
    let hi = index.checked_mul(Decimal::ONE + band).unwrap_or(index);
    OracleReading {
        price: ema.clamp(lo.min(hi), hi.max(lo)),
        updated_at: now,
        stale: false,
    }
}
