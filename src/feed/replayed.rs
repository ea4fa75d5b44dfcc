//! Replayed history: the bundled vega-datasets files, embedded in the binary.
//!
//! Source: the npm package `vega-datasets` 3.2.1 (BSD-3-Clause), see `data/README.md`. The app
//! must credit it wherever these feeds are shown ([`SOURCE_CREDIT`]).
//!
//! - `sp500-2000.csv`: S&P 500 daily OHLC 2000-01-03 – 2020-04-17 (Yahoo Finance via vega), read
//!   through the same validating importer as user files; the asset is `SPX` (daily close).
//! - `stocks.csv`: monthly prices of MSFT, AMZN, IBM, GOOG and AAPL, Jan 2000 – Mar 2010, in long
//!   format. GOOG starts in Aug 2004, so the feed keeps the 68 months all five share
//!   (Aug 2004 – Mar 2010).

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::csv_import::{parse_csv, parse_price, Pos};
use super::error::FeedError;
use super::path::PathFeed;
use super::spec::Dataset;
use super::time_parse::parse_time;

/// Credit line for the bundled data.
pub const SOURCE_CREDIT: &str =
    "Data: vega-datasets 3.2.1 (BSD-3-Clause), https://github.com/vega/vega-datasets";

const SP500: &str = include_str!("../../data/sp500-2000.csv");
const STOCKS: &str = include_str!("../../data/stocks.csv");

/// Loads a bundled dataset as a feed.
pub fn load(dataset: Dataset) -> Result<PathFeed, FeedError> {
    match dataset {
        Dataset::Sp500Daily => {
            let imported = parse_csv(SP500).map_err(|e| FeedError::Bundled {
                id: "sp500-2000",
                msg: e.to_string(),
            })?;
            imported.into_feed("SPX")
        }
        Dataset::StocksMonthly => stocks(),
    }
}

fn stocks() -> Result<PathFeed, FeedError> {
    let err = |msg: String| FeedError::Bundled { id: "stocks", msg };
    let mut by_symbol: BTreeMap<String, BTreeMap<i64, Decimal>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (i, line) in STOCKS.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let [sym, date, price] = f[..] else {
            return Err(err(format!("line {}: expected 3 fields", i + 1)));
        };
        let t = parse_time(date).ok_or_else(|| err(format!("line {}: bad date {date}", i + 1)))?;
        let p = parse_price(price, Pos::Line(i + 1), "price").map_err(|e| err(e.to_string()))?;
        if !by_symbol.contains_key(sym) {
            order.push(sym.to_string());
        }
        by_symbol.entry(sym.to_string()).or_default().insert(t, p);
    }
    let mut common: Option<BTreeSet<i64>> = None;
    for series in by_symbol.values() {
        let keys: BTreeSet<i64> = series.keys().copied().collect();
        common = Some(match common {
            None => keys,
            Some(c) => c.intersection(&keys).copied().collect(),
        });
    }
    let times: Vec<i64> = common.unwrap_or_default().into_iter().collect();
    let mut prices = Vec::with_capacity(times.len() * order.len());
    for t in &times {
        for s in &order {
            let p = by_symbol.get(s).and_then(|m| m.get(t));
            prices.push(*p.ok_or_else(|| err(format!("{s} has no price at {t}")))?);
        }
    }
    PathFeed::new(order, times, prices)
}
