//! Oracles: what the engine sees instead of the market.
//!
//! The engine never values collateral at the market price. Every asset has an [`Oracle`] built from an
//! [`OracleSpec`]; each step the engine hands it the market price and the step's time and values
//! positions with the [`OracleReading`] it returns. The gap between the two is data the UI charts
//! (see [`oracle_gap`]).
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
//! Models, one file each, each owning its state behind [`OracleModel`]: [`instant`], [`delay`] (smooth delay, Maker OSM style), [`osm`] (Maker OSM with
//! hourly pokes), [`heartbeat`] (Chainlink style),
//! [`frozen`] (stale / frozen), [`spike`] (manipulated), [`mark`] (perp mark price).

pub mod delay;
pub mod frozen;
pub mod gap;
pub mod heartbeat;
pub mod instant;
pub mod mark;
pub mod osm;
pub mod presets;
pub mod spike;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use gap::{oracle_gap, summarize, GapPoint, GapSummary};
pub use presets::{presets, OraclePreset};

/// An oracle parameter outside its range, named with the rule it breaks.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("oracle {param}: {value} — {rule}")]
pub struct InvalidOracle {
    pub param: &'static str,
    pub value: String,
    pub rule: &'static str,
}

impl InvalidOracle {
    fn new(param: &'static str, value: impl ToString, rule: &'static str) -> Self {
        Self {
            param,
            value: value.to_string(),
            rule,
        }
    }
}

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
        factor: Decimal,
    },
    /// Perp mark price: an EMA of the index (time constant `smoothing_secs`) kept within
    /// `±max_premium` of the current index, so one wild print cannot trigger liquidations.
    Mark {
        smoothing_secs: i64,
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

impl OracleReading {
    /// The market price published as it is, now.
    pub fn fresh(now: i64, market: Decimal) -> Self {
        Self {
            price: market,
            updated_at: now,
            stale: false,
        }
    }
}

/// One oracle model: it owns whatever state it needs between observations.
///
/// `observe(now, market)` is called once per step with non-decreasing `now`; it never panics
/// (nonsense parameters are clamped, overflow falls back to the market price).
pub trait OracleModel {
    fn observe(&mut self, now: i64, market: Decimal) -> OracleReading;
}

/// A stateful oracle for one asset: the model named by its [`OracleSpec`], with that model's state.
/// (A closed set of models, dispatched by `match`, so an oracle is `Clone` and comparable.)
#[derive(Clone, Debug, PartialEq)]
pub struct Oracle {
    spec: OracleSpec,
    model: Model,
}

#[derive(Clone, Debug, PartialEq)]
enum Model {
    Instant(instant::Instant),
    Delay(delay::Delay),
    Osm(osm::Osm),
    Heartbeat(heartbeat::Heartbeat),
    Frozen(frozen::Frozen),
    Spike(spike::Spike),
    Mark(mark::Mark),
}

impl Oracle {
    pub fn new(spec: OracleSpec) -> Self {
        let model = match spec.clone() {
            OracleSpec::Instant => Model::Instant(instant::Instant),
            OracleSpec::FixedDelay { delay_secs } => Model::Delay(delay::Delay::new(delay_secs)),
            OracleSpec::OsmHop { hop_secs } => Model::Osm(osm::Osm::new(hop_secs)),
            OracleSpec::HeartbeatDeviation {
                heartbeat_secs,
                deviation,
            } => Model::Heartbeat(heartbeat::Heartbeat::new(heartbeat_secs, deviation)),
            OracleSpec::Frozen {
                from_secs,
                until_secs,
                max_age_secs,
            } => Model::Frozen(frozen::Frozen::new(from_secs, until_secs, max_age_secs)),
            OracleSpec::ManipulatedSpike {
                at,
                duration,
                factor,
            } => Model::Spike(spike::Spike::new(at, duration, factor)),
            OracleSpec::Mark {
                smoothing_secs,
                max_premium,
            } => Model::Mark(mark::Mark::new(smoothing_secs, max_premium)),
        };
        Self { spec, model }
    }

    pub fn spec(&self) -> &OracleSpec {
        &self.spec
    }

    /// Feeds the market price at `now` (seconds) and returns what the oracle publishes.
    pub fn observe(&mut self, now: i64, market: Decimal) -> OracleReading {
        match &mut self.model {
            Model::Instant(m) => m.observe(now, market),
            Model::Delay(m) => m.observe(now, market),
            Model::Osm(m) => m.observe(now, market),
            Model::Heartbeat(m) => m.observe(now, market),
            Model::Frozen(m) => m.observe(now, market),
            Model::Spike(m) => m.observe(now, market),
            Model::Mark(m) => m.observe(now, market),
        }
    }
}

impl OracleSpec {
    /// Maker OSM: one-hour delay.
    pub const MAKER_OSM: OracleSpec = OracleSpec::FixedDelay { delay_secs: 3600 };

    /// Checks parameters entered in the UI (the oracle itself clamps rather than fails).
    pub fn validate(&self) -> Result<(), InvalidOracle> {
        let non_neg = |name: &'static str, v: i64| {
            if v < 0 {
                Err(InvalidOracle::new(name, v, "must not be negative"))
            } else {
                Ok(())
            }
        };
        match self {
            OracleSpec::Instant => Ok(()),
            OracleSpec::FixedDelay { delay_secs } => non_neg("delay_secs", *delay_secs),
            OracleSpec::OsmHop { hop_secs } => {
                if *hop_secs <= 0 {
                    return Err(InvalidOracle::new(
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
                    return Err(InvalidOracle::new(
                        "heartbeat_secs",
                        heartbeat_secs,
                        "the heartbeat must be positive",
                    ));
                }
                if *deviation < Decimal::ZERO || *deviation >= Decimal::ONE {
                    return Err(InvalidOracle::new(
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
                    Some(u) if u < from_secs => Err(InvalidOracle::new(
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
                    return Err(InvalidOracle::new(
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
                    return Err(InvalidOracle::new(
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
