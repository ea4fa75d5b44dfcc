//! Scripted shocks: events a scenario puts on top of any feed at given ticks.
//!
//! Market shocks multiply an asset's prices by a factor path and are applied in `Decimal`
//! (results rounded to 10 significant digits, never below 10⁻⁹), so they work the same on
//! simulated and recorded feeds. An oracle freeze leaves the market alone and instead sets an
//! oracle outage for the asset (see [`PriceFeed::oracle_outages`](super::PriceFeed::oracle_outages)).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::FeedError;
use super::path::PathFeed;
use super::PriceFeed;

/// One scripted event, starting at tick `at` (the first affected tick).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shock {
    pub at: u64,
    pub asset: String,
    pub kind: ShockKind,
}

/// What happens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShockKind {
    /// Falls by `drop` (0.4 = −40 %) linearly over `over_ticks` ticks and stays down.
    Crash { drop: Decimal, over_ticks: u64 },
    /// Moves to `to` (e.g. 0.90) over `ramp_ticks`, holds `hold_ticks`, then returns to the
    /// underlying path over `recover_ticks` (`None`: never recovers).
    Depeg {
        to: Decimal,
        ramp_ticks: u64,
        hold_ticks: u64,
        recover_ticks: Option<u64>,
    },
    /// Opens at `factor` × the previous level (0.85 = gaps down 15 %) and stays there.
    Gap { factor: Decimal },
    /// The asset's oracle stops updating for `ticks` ticks; readings older than `max_age_secs`
    /// are flagged stale.
    OracleFreeze { ticks: u64, max_age_secs: i64 },
}

fn bad_ratio(v: Decimal) -> bool {
    v <= Decimal::ZERO || v > Decimal::from(1000)
}

impl Shock {
    /// One line for the UI, e.g. "ETH −43 % over 30 ticks from tick 48".
    pub fn describe(&self) -> String {
        let pct = |d: Decimal| (d * Decimal::ONE_HUNDRED).round_dp(2).normalize();
        let what = match &self.kind {
            ShockKind::Crash { drop, over_ticks } => {
                format!("−{} % over {over_ticks} ticks", pct(*drop))
            }
            ShockKind::Depeg {
                to,
                ramp_ticks,
                hold_ticks,
                recover_ticks,
            } => match recover_ticks {
                Some(r) => format!(
                    "depegs to {to} over {ramp_ticks} ticks, holds {hold_ticks}, recovers over {r}"
                ),
                None => format!("depegs to {to} over {ramp_ticks} ticks and stays there"),
            },
            ShockKind::Gap { factor } => {
                let change = pct(*factor - Decimal::ONE);
                let sign = if change >= Decimal::ZERO { "+" } else { "−" };
                format!("gaps {sign}{} %", change.abs())
            }
            ShockKind::OracleFreeze {
                ticks,
                max_age_secs,
            } => {
                format!("oracle frozen for {ticks} ticks (stale after {max_age_secs} s)")
            }
        };
        format!("{} {what} from tick {}", self.asset, self.at)
    }

    /// Checks parameters against a feed of `len` ticks with these `assets`.
    pub fn validate(&self, assets: &[String], len: usize) -> Result<(), FeedError> {
        if !assets.contains(&self.asset) {
            return Err(FeedError::UnknownAsset(self.asset.clone()));
        }
        if self.at >= len as u64 {
            return Err(FeedError::bad(
                "shock.at",
                self.at,
                "a shock must start inside the feed",
            ));
        }
        match &self.kind {
            ShockKind::Crash { drop, over_ticks } => {
                if *drop <= Decimal::ZERO || *drop >= Decimal::ONE {
                    return Err(FeedError::bad(
                        "crash.drop",
                        drop,
                        "a crash drops by more than 0 and less than 1 (100 %)",
                    ));
                }
                if *over_ticks == 0 {
                    return Err(FeedError::bad(
                        "crash.over_ticks",
                        0,
                        "a crash lasts at least one tick",
                    ));
                }
            }
            ShockKind::Depeg { to, ramp_ticks, .. } => {
                if bad_ratio(*to) {
                    return Err(FeedError::bad(
                        "depeg.to",
                        to,
                        "the depeg level must be positive and at most 1000",
                    ));
                }
                if *ramp_ticks == 0 {
                    return Err(FeedError::bad(
                        "depeg.ramp_ticks",
                        0,
                        "a depeg takes at least one tick",
                    ));
                }
            }
            ShockKind::Gap { factor } => {
                if bad_ratio(*factor) {
                    return Err(FeedError::bad(
                        "gap.factor",
                        factor,
                        "the gap factor must be positive and at most 1000",
                    ));
                }
            }
            ShockKind::OracleFreeze {
                ticks,
                max_age_secs,
            } => {
                if *ticks == 0 {
                    return Err(FeedError::bad(
                        "freeze.ticks",
                        0,
                        "a freeze lasts at least one tick",
                    ));
                }
                if *max_age_secs < 0 {
                    return Err(FeedError::bad(
                        "freeze.max_age_secs",
                        max_age_secs,
                        "must not be negative",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Linear interpolation `a + (b − a)·k/n` in Decimal.
fn lerp(a: Decimal, b: Decimal, k: u64, n: u64) -> Decimal {
    a + (b - a) * Decimal::from(k) / Decimal::from(n.max(1))
}

/// Applies every shock, in order, to a path.
pub fn apply_shocks(feed: &mut PathFeed, shocks: &[Shock]) -> Result<(), FeedError> {
    let len = feed.len();
    let assets = feed.assets().to_vec();
    for s in shocks {
        s.validate(&assets, len)?;
    }
    let n = assets.len();
    // The simulations' bounds (`price::MIN_PRICE`, and the engine's `MAX_PRICE` as the ceiling).
    let floor = Decimal::new(1, 9);
    let ceiling = crate::engine::num::MAX_PRICE;
    for s in shocks {
        let a = feed
            .asset_index(&s.asset)
            .ok_or_else(|| FeedError::UnknownAsset(s.asset.clone()))?;
        let at = s.at as usize;
        if let ShockKind::OracleFreeze {
            ticks,
            max_age_secs,
        } = s.kind
        {
            let from = feed.time(at).unwrap_or(0);
            let end = at.saturating_add(ticks as usize);
            let until = feed.time(end);
            feed.set_oracle_outage(
                &s.asset,
                super::tick::OracleOutage {
                    from_secs: from,
                    until_secs: until,
                    max_age_secs,
                },
            );
            continue;
        }
        // level just before the shock (the factor path is relative to the unshocked price)
        let base = feed.price(at.saturating_sub(1), a).unwrap_or(Decimal::ONE);
        let prices = feed.prices_mut();
        for i in at..len {
            let k = (i - at) as u64 + 1;
            let f = match &s.kind {
                ShockKind::Crash { drop, over_ticks } => {
                    Decimal::ONE
                        - *drop * Decimal::from(k.min(*over_ticks)) / Decimal::from(*over_ticks)
                }
                ShockKind::Gap { factor } => *factor,
                ShockKind::Depeg {
                    to,
                    ramp_ticks,
                    hold_ticks,
                    recover_ticks,
                } => {
                    let target = to.checked_div(base).unwrap_or(Decimal::ONE);
                    if k <= *ramp_ticks {
                        lerp(Decimal::ONE, target, k, *ramp_ticks)
                    } else if k <= ramp_ticks + hold_ticks {
                        target
                    } else {
                        match recover_ticks {
                            None => target,
                            Some(r) => {
                                let j = k - ramp_ticks - hold_ticks;
                                if j >= *r {
                                    break;
                                }
                                lerp(target, Decimal::ONE, j, *r)
                            }
                        }
                    }
                }
                ShockKind::OracleFreeze { .. } => Decimal::ONE,
            };
            let p = &mut prices[i * n + a];
            let v = p
                .checked_mul(f)
                .and_then(|v| v.round_sf(10))
                .unwrap_or(ceiling);
            *p = v.clamp(floor, ceiling);
        }
    }
    Ok(())
}
