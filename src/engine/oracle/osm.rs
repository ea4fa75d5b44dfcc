//! Maker OSM with its real hourly `poke`s (the smooth-delay approximation is [`delay`](super::delay)).
//!
//! Maker's Oracle Security Module keeps two prices, `cur` (in use) and `nxt` (queued). Once per
//! `hop` (3600 s), on the first `poke` at or after the next hop boundary (`zzz + hop`, with
//! `zzz` the last poke time rounded down to a hop multiple), `cur ← nxt` and `nxt ←` the market.
//! The price in use is therefore between one and two hops old. This model assumes a keeper pokes
//! at the first observation after each boundary; before the first poke both hold the first price.

use rust_decimal::Decimal;

use super::{OracleModel, OracleReading};

/// The hop and the queue (empty until the first observation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Osm {
    hop_secs: i64,
    state: Option<OsmState>,
}

impl Osm {
    pub fn new(hop_secs: i64) -> Self {
        Self {
            hop_secs,
            state: None,
        }
    }
}

impl OracleModel for Osm {
    fn observe(&mut self, now: i64, market: Decimal) -> OracleReading {
        observe(&mut self.state, self.hop_secs, now, market)
    }
}

/// `cur`, `nxt` and the rounded time of the last poke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct OsmState {
    cur: (i64, Decimal),
    nxt: (i64, Decimal),
    zzz: i64,
}

fn floor_to(t: i64, hop: i64) -> i64 {
    t.div_euclid(hop).saturating_mul(hop)
}

fn observe(
    state: &mut Option<OsmState>,
    hop_secs: i64,
    now: i64,
    market: Decimal,
) -> OracleReading {
    let hop = hop_secs.max(1);
    let s = state.get_or_insert(OsmState {
        cur: (now, market),
        nxt: (now, market),
        zzz: floor_to(now, hop),
    });
    if now >= s.zzz.saturating_add(hop) {
        s.cur = s.nxt;
        s.nxt = (now, market);
        s.zzz = floor_to(now, hop);
    }
    OracleReading {
        price: s.cur.1,
        updated_at: s.cur.0,
        stale: false,
    }
}
