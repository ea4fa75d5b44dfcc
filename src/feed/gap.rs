//! Market vs oracle: the series the UI charts to show what the engine sees.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::FeedError;
use super::oracle::{Oracle, OracleSpec};
use super::PriceFeed;

/// One point of a market-vs-oracle chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapPoint {
    pub index: u64,
    pub time: i64,
    pub market: Decimal,
    pub oracle: Decimal,
    pub updated_at: i64,
    pub stale: bool,
    /// `oracle / market − 1` (0.05 = the oracle is 5 % above the market).
    pub gap: Decimal,
}

/// Headline numbers of a gap series for the UI.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapSummary {
    /// Largest `oracle / market − 1` (oracle above market: collateral overvalued).
    pub max_over: Decimal,
    /// Most negative `oracle / market − 1` (oracle below market: early liquidations).
    pub max_under: Decimal,
    /// Ticks with a stale reading.
    pub stale_ticks: u64,
}

/// Summarises a gap series.
pub fn summarize(points: &[GapPoint]) -> GapSummary {
    points
        .iter()
        .fold(GapSummary::default(), |s, p| GapSummary {
            max_over: s.max_over.max(p.gap),
            max_under: s.max_under.min(p.gap),
            stale_ticks: s.stale_ticks + u64::from(p.stale),
        })
}

/// The oracle spec the engine should use for `asset`: the feed's override if a shock set one.
pub fn effective_spec<F: PriceFeed + ?Sized>(
    feed: &F,
    asset: &str,
    configured: &OracleSpec,
) -> OracleSpec {
    feed.oracle_overrides()
        .remove(asset)
        .unwrap_or_else(|| configured.clone())
}

/// Runs a fresh oracle with `spec` over one asset of the feed, tick by tick.
pub fn oracle_gap<F: PriceFeed + ?Sized>(
    feed: &F,
    asset: &str,
    spec: &OracleSpec,
) -> Result<Vec<GapPoint>, FeedError> {
    let a = feed
        .asset_index(asset)
        .ok_or_else(|| FeedError::UnknownAsset(asset.to_string()))?;
    let mut oracle = Oracle::new(spec.clone());
    let mut out = Vec::with_capacity(feed.len());
    for i in 0..feed.len() {
        let (Some(time), Some(market)) = (feed.time(i), feed.price(i, a)) else {
            break;
        };
        let r = oracle.observe(time, market);
        let gap = r
            .price
            .checked_div(market)
            .map(|q| (q - Decimal::ONE).round_dp(8))
            .unwrap_or(Decimal::ZERO);
        out.push(GapPoint {
            index: i as u64,
            time,
            market,
            oracle: r.price,
            updated_at: r.updated_at,
            stale: r.stale,
            gap,
        });
    }
    Ok(out)
}
