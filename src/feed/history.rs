//! Historical windows for the risk desk's historical VaR: every past move over the horizon,
//! applied to today's prices.
//!
//! From the history up to now (never later), with ticks about `Δ` seconds apart:
//! - a horizon of at least `Δ` spans `k = round(horizon / Δ)` ticks; window `s` is the path
//!   `today × p(s + j) / p(s)` for `j = 1..=k` (overlapping windows, one per past tick);
//! - a horizon shorter than `Δ` (an hour on daily data) takes one-tick moves scaled by the square
//!   root of time: `today × (p(s + 1) / p(s))^√(horizon / Δ)`.
//!
//! A window longer than `max_steps` ticks is stepped at every m-th tick (the engine still sees
//! the move; intermediate wiggles are skipped). At most `max_windows` windows are kept, spread evenly over the whole history (every
//! `⌈count / max⌉`-th, ending with the latest), so a 20-year record keeps its crises.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::montecarlo::SymbolPath;
use super::path::PathFeed;
use super::price::{decimal_to_f64, price_to_decimal};
use super::PriceFeed;

/// Historical windows and what they are.
#[derive(Clone, Debug, PartialEq)]
pub struct Windows {
    pub paths: Vec<SymbolPath>,
    /// Windows available before thinning.
    pub available: usize,
    /// Ticks per window (1 with square-root-of-time scaling).
    pub ticks_per_window: usize,
    pub sqrt_time_scaled: bool,
    /// Mean seconds between ticks.
    pub interval_secs: i64,
    /// Times of the first and last tick used.
    pub from_time: i64,
    pub to_time: i64,
}

/// Windows of `history` (ticks at or before `now_time`) over `horizon_secs`, applied to `start`
/// prices (by symbol), stepping from `start_time`; a window of more than `max_steps` ticks is
/// stepped at every `⌈k / max_steps⌉`-th tick (and its last).
pub fn windows(
    history: &PathFeed,
    now_time: i64,
    start: &BTreeMap<String, Decimal>,
    start_time: i64,
    horizon_secs: i64,
    max_windows: usize,
    max_steps: usize,
) -> Windows {
    let upto = history.index_at_time(now_time);
    let n = if history.time(upto).is_some_and(|t| t <= now_time) {
        upto + 1
    } else {
        0
    };
    let empty = Windows {
        paths: Vec::new(),
        available: 0,
        ticks_per_window: 0,
        sqrt_time_scaled: false,
        interval_secs: 0,
        from_time: history.time(0).unwrap_or_default(),
        to_time: history.time(upto).unwrap_or_default(),
    };
    if n < 2 {
        return empty;
    }
    let t0 = history.time(0).unwrap_or_default();
    let t1 = history.time(n - 1).unwrap_or_default();
    let dt = ((t1 - t0) / (n as i64 - 1)).max(1);
    let (k, scale) = if horizon_secs >= dt {
        (((horizon_secs + dt / 2) / dt).max(1) as usize, None)
    } else {
        (1, Some(libm::sqrt(horizon_secs as f64 / dt as f64)))
    };
    if n <= k {
        return Windows { ..empty };
    }
    let available = n - k;
    let stride = available.div_ceil(max_windows.max(1));
    let step_secs = (horizon_secs / k as i64).max(1);
    let every = k.div_ceil(max_steps.max(1));
    let mut offsets: Vec<usize> = (1..=k).filter(|j| j % every == 0).collect();
    if offsets.last() != Some(&k) {
        offsets.push(k);
    }
    let syms = history.assets().to_vec();
    let mut paths = Vec::new();
    // Latest first, then every `stride`-th back; reversed to run oldest first.
    let mut s = available - 1;
    loop {
        let mut path = Vec::with_capacity(offsets.len());
        for &j in &offsets {
            let mut prices = BTreeMap::new();
            for (a, sym) in syms.iter().enumerate() {
                let (Some(base), Some(p0), Some(p1)) =
                    (start.get(sym), history.price(s, a), history.price(s + j, a))
                else {
                    continue;
                };
                let ratio = decimal_to_f64(p1) / decimal_to_f64(p0);
                let ratio = match scale {
                    Some(c) => libm::exp(c * libm::log(ratio)),
                    None => ratio,
                };
                prices.insert(
                    sym.clone(),
                    price_to_decimal(decimal_to_f64(*base) * ratio)
                        .min(rust_decimal_macros::dec!(1_000_000_000)),
                );
            }
            path.push((start_time + j as i64 * step_secs, prices));
        }
        paths.push(path);
        if s < stride {
            break;
        }
        s -= stride;
    }
    paths.reverse();
    Windows {
        paths,
        available,
        ticks_per_window: k,
        sqrt_time_scaled: scale.is_some(),
        interval_secs: dt,
        from_time: t0,
        to_time: t1,
    }
}
