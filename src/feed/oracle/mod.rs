//! Oracles: what the engine sees instead of the market.
//!
//! The engine never values collateral at the market price. Every asset has an [`Oracle`] built from an
//! [`OracleSpec`]; each step the engine hands it the market price and the step's time and values
//! positions with the [`OracleReading`] it returns. The gap between the two is data the UI charts
//! (see [`oracle_gap`](super::gap::oracle_gap)).
//!
//! The contract (stable; other modules rely on it):
//! - `Oracle::new(spec)` then `observe(now_secs, market_price)` once per step, with `now_secs`
//!   non-decreasing. Deterministic: the same calls give the same readings.
//! - `Oracle` is `Clone` so a session can be forked (compare mode).
//! - `observe` never panics: nonsense parameters are clamped (`OracleSpec::validate` reports them
//!   for UI input) and arithmetic overflow falls back to the market price.
//!
//! `updated_at` is the market time the published price refers to (for a delayed oracle, the time
//! the delayed price was observed), so `now − updated_at` is the age of the information.
//!
//! Models, one file each: [`delay`] (smooth delay, Maker OSM style), [`osm`] (Maker OSM with
//! hourly pokes), [`heartbeat`] (Chainlink style),
//! [`frozen`] (stale / frozen), [`spike`] (manipulated), [`mark`] (perp mark price).

pub mod delay;
pub mod frozen;
pub mod heartbeat;
pub mod mark;
pub mod osm;
pub mod presets;
pub mod spike;

use std::collections::VecDeque;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::FeedError;

pub use presets::{presets, OraclePreset};

/// How an asset's oracle turns market prices into published prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OracleSpec {
    /// Publishes the market price as it is.
    Instant,
    /// Publishes the market price as it was `delay_secs` ago (Maker's OSM delays by 3600 s so
    /// governance can react to a bad feed; liquidations then lag the market by an hour).
    FixedDelay { delay_secs: i64 },
    /// Maker OSM exactly: `cur`/`nxt` prices rotated on the first observation after each
    /// `hop_secs` boundary, so the price in use is one to two hops old (see [`osm`]).
    OsmHop { hop_secs: i64 },
    /// Chainlink style: publishes when the market moved by at least `deviation` (0.005 = 0.5 %)
    /// from the last published price, or when `heartbeat_secs` passed since the last update.
    HeartbeatDeviation {
        heartbeat_secs: i64,
        #[serde(with = "rust_decimal::serde::str")]
        deviation: Decimal,
    },
    /// Updates instantly except during `[from_secs, until_secs)` (`None`: forever), when it keeps
    /// its last price; readings older than `max_age_secs` are flagged `stale`.
    Frozen {
        from_secs: i64,
        until_secs: Option<i64>,
        max_age_secs: i64,
    },
    /// Publishes `market × factor` during `[at, at + duration)` (unix seconds): a manipulated
    /// print, e.g. a flash-loan pumped spot price read by a naive oracle.
    ManipulatedSpike {
        at: i64,
        duration: i64,
        #[serde(with = "rust_decimal::serde::str")]
        factor: Decimal,
    },
    /// Perp mark price: an EMA of the index (time constant `smoothing_secs`) kept within
    /// `±max_premium` of the current index, so one wild print cannot trigger liquidations.
    Mark {
        smoothing_secs: i64,
        #[serde(with = "rust_decimal::serde::str")]
        max_premium: Decimal,
    },
}

/// What the oracle publishes at one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OracleReading {
    /// The price the engine must use.
    pub price: Decimal,
    /// When (seconds) that price was last updated.
    pub updated_at: i64,
    /// True when the oracle has not updated for longer than its model allows.
    pub stale: bool,
}

/// A stateful oracle for one asset.
#[derive(Clone, Debug, PartialEq)]
pub struct Oracle {
    spec: OracleSpec,
    /// The last reading published.
    last: Option<OracleReading>,
    /// Recent market observations `(time, price)` (fixed delay only).
    history: VecDeque<(i64, Decimal)>,
    /// Time of the previous `observe` call (mark price EMA).
    last_seen: Option<i64>,
    /// Maker OSM queue.
    osm: Option<osm::OsmState>,
}

impl Oracle {
    pub fn new(spec: OracleSpec) -> Self {
        Self {
            spec,
            last: None,
            history: VecDeque::new(),
            last_seen: None,
            osm: None,
        }
    }

    pub fn spec(&self) -> &OracleSpec {
        &self.spec
    }

    /// Feeds the market price at `now` (seconds) and returns what the oracle publishes.
    pub fn observe(&mut self, now: i64, market: Decimal) -> OracleReading {
        let instant = OracleReading {
            price: market,
            updated_at: now,
            stale: false,
        };
        let reading = match self.spec.clone() {
            OracleSpec::Instant => instant,
            OracleSpec::FixedDelay { delay_secs } => {
                delay::observe(&mut self.history, delay_secs, now, market)
            }
            OracleSpec::OsmHop { hop_secs } => osm::observe(&mut self.osm, hop_secs, now, market),
            OracleSpec::HeartbeatDeviation {
                heartbeat_secs,
                deviation,
            } => heartbeat::observe(self.last, heartbeat_secs, deviation, now, market),
            OracleSpec::Frozen {
                from_secs,
                until_secs,
                max_age_secs,
            } => frozen::observe(self.last, from_secs, until_secs, max_age_secs, now, market),
            OracleSpec::ManipulatedSpike {
                at,
                duration,
                factor,
            } => spike::observe(at, duration, factor, now, market),
            OracleSpec::Mark {
                smoothing_secs,
                max_premium,
            } => mark::observe(
                self.last,
                self.last_seen,
                smoothing_secs,
                max_premium,
                now,
                market,
            ),
        };
        self.last = Some(reading);
        self.last_seen = Some(now);
        reading
    }
}

impl OracleSpec {
    /// Maker OSM: one-hour delay.
    pub const MAKER_OSM: OracleSpec = OracleSpec::FixedDelay { delay_secs: 3600 };

    /// Checks parameters entered in the UI (the oracle itself clamps rather than fails).
    pub fn validate(&self) -> Result<(), FeedError> {
        let non_neg = |name: &str, v: i64| {
            if v < 0 {
                Err(FeedError::bad(name, v, "must not be negative"))
            } else {
                Ok(())
            }
        };
        match self {
            OracleSpec::Instant => Ok(()),
            OracleSpec::FixedDelay { delay_secs } => non_neg("delay_secs", *delay_secs),
            OracleSpec::OsmHop { hop_secs } => {
                if *hop_secs <= 0 {
                    return Err(FeedError::bad(
                        "hop_secs",
                        hop_secs,
                        "the hop must be positive",
                    ));
                }
                Ok(())
            }
            OracleSpec::HeartbeatDeviation {
                heartbeat_secs,
                deviation,
            } => {
                if *heartbeat_secs <= 0 {
                    return Err(FeedError::bad(
                        "heartbeat_secs",
                        heartbeat_secs,
                        "the heartbeat must be positive",
                    ));
                }
                if *deviation < Decimal::ZERO || *deviation >= Decimal::ONE {
                    return Err(FeedError::bad(
                        "deviation",
                        deviation,
                        "the deviation threshold is between 0 and 1 (100 %)",
                    ));
                }
                Ok(())
            }
            OracleSpec::Frozen {
                from_secs,
                until_secs,
                max_age_secs,
            } => {
                non_neg("max_age_secs", *max_age_secs)?;
                match until_secs {
                    Some(u) if u < from_secs => Err(FeedError::bad(
                        "until_secs",
                        u,
                        "the freeze must end after it starts",
                    )),
                    _ => Ok(()),
                }
            }
            OracleSpec::ManipulatedSpike {
                duration, factor, ..
            } => {
                non_neg("duration", *duration)?;
                if *factor <= Decimal::ZERO || *factor > Decimal::from(1000) {
                    return Err(FeedError::bad(
                        "factor",
                        factor,
                        "the spike factor must be positive and at most 1000",
                    ));
                }
                Ok(())
            }
            OracleSpec::Mark {
                smoothing_secs,
                max_premium,
            } => {
                non_neg("smoothing_secs", *smoothing_secs)?;
                if *max_premium < Decimal::ZERO || *max_premium >= Decimal::ONE {
                    return Err(FeedError::bad(
                        "max_premium",
                        max_premium,
                        "the premium clamp is between 0 and 1 (100 %)",
                    ));
                }
                Ok(())
            }
        }
    }
}
