//! Resampling a feed onto a regular time grid.
//!
//! The grid starts at the feed's first time and steps by `interval_secs` up to its last time. Each
//! grid point takes the last price observed at or before it: coarser grids keep the last price of
//! each interval, finer grids hold the price until the next observation (no invented movement).

use super::error::FeedError;
use super::path::{PathFeed, MAX_PRICES};
use super::PriceFeed;

/// Shortest resampling interval: one minute.
pub const MIN_INTERVAL_SECS: i64 = 60;
/// Longest resampling interval: one week (a day is the usual coarsest chart tick).
pub const MAX_INTERVAL_SECS: i64 = 7 * 86_400;

/// See the module docs.
pub fn resample<F: PriceFeed + ?Sized>(
    feed: &F,
    interval_secs: i64,
) -> Result<PathFeed, FeedError> {
    if !(MIN_INTERVAL_SECS..=MAX_INTERVAL_SECS).contains(&interval_secs) {
        return Err(FeedError::bad(
            "interval_secs",
            interval_secs,
            "resampling interval must be between 60 (a minute) and 604800 (a week)",
        ));
    }
    let (Some(first), Some(last)) = (feed.time(0), feed.time(feed.len().wrapping_sub(1))) else {
        return Err(FeedError::EmptyRange);
    };
    let n_assets = feed.assets().len();
    let count = (last.saturating_sub(first).max(0) / interval_secs) as u64 + 1;
    if count.saturating_mul(n_assets as u64) > MAX_PRICES {
        return Err(FeedError::TooLarge {
            ticks: count,
            assets: n_assets,
            max: MAX_PRICES,
        });
    }
    let mut times = Vec::with_capacity(count as usize);
    let mut prices = Vec::with_capacity(count as usize * n_assets);
    let mut src = 0usize;
    for k in 0..count as i64 {
        let t = first + k * interval_secs;
        while src + 1 < feed.len() && feed.time(src + 1).is_some_and(|x| x <= t) {
            src += 1;
        }
        times.push(t);
        for a in 0..n_assets {
            prices.push(feed.price(src, a).ok_or(FeedError::EmptyRange)?);
        }
    }
    let mut out = PathFeed::new(feed.assets().to_vec(), times, prices)?;
    for (asset, outage) in feed.oracle_outages() {
        out.set_oracle_outage(&asset, outage);
    }
    Ok(out)
}
