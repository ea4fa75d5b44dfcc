//! Market vs oracle: the series the UI charts to show what the engine sees.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Oracle, OracleSpec};

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

/// Runs a fresh oracle with `spec` over a market series `(time, price)`, point by point.
pub fn oracle_gap(
    market: impl IntoIterator<Item = (i64, Decimal)>,
    spec: &OracleSpec,
) -> Vec<GapPoint> {
    let mut oracle = Oracle::new(spec.clone());
    market
        .into_iter()
        .enumerate()
        .map(|(i, (time, market))| {
            let r = oracle.observe(time, market);
            let gap = r
                .price
                .checked_div(market)
                .map(|q| (q - Decimal::ONE).round_dp(8))
                .unwrap_or(Decimal::ZERO);
            GapPoint {
                index: i as u64,
                time,
                market,
                oracle: r.price,
                updated_at: r.updated_at,
                stale: r.stale,
                gap,
            }
        })
        .collect()
}
