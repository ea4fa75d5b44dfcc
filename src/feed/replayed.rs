//! Replayed history: the vega-datasets files in `public/data/`.
//!
//! Source: the npm package `vega-datasets` 3.2.1 (BSD-3-Clause), see `public/data/README.md`. The
//! app must credit it wherever these feeds are shown ([`SOURCE_CREDIT`]).
//!
//! - `sp500-2000.csv`: S&P 500 daily OHLC 2000-01-03 – 2020-04-17 (Yahoo Finance via vega), read
//!   through the same validating importer as user files; the asset is `SPX` (daily close).
//! - `stocks.csv`: monthly prices of MSFT, AMZN, IBM, GOOG and AAPL, Jan 2000 – Mar 2010, in long
//!   format. GOOG starts in Aug 2004, so the feed keeps the 68 months all five share
//!   (Aug 2004 – Mar 2010).
//!
//! Where the bytes come from differs, what is accepted does not: natively (tests, benchmarks, the
//! replay tool) the files are compiled in with `include_bytes!`; in the browser they are not part
//! of the download before first paint (they are a quarter of the wasm otherwise) but fetched from
//! the site when a recorded scenario is opened and handed to [`provide`]. Either way the bytes
//! must have the SHA-256 recorded in [`file`] — the exact bytes this build's golden hashes were
//! made with — so a replay stays bit-exact and a changed or damaged file is refused with a
//! message instead of replaying something else.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::csv_import::{parse_csv, parse_price, Pos};
use super::error::FeedError;
use super::hash::hex_sha256;
use super::path::PathFeed;
use super::spec::Dataset;
use super::time_parse::parse_time;

/// Credit line for the recorded data.
pub const SOURCE_CREDIT: &str =
    "Data: vega-datasets 3.2.1 (BSD-3-Clause), https://github.com/vega/vega-datasets";

/// Where a dataset is served from and what its bytes must hash to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatasetFile {
    pub dataset: Dataset,
    /// What the user is told is loading ("S&P 500, daily, 2000–2020").
    pub title: &'static str,
    /// Path relative to the page (Trunk copies `public/` to `dist/public/`).
    pub path: &'static str,
    /// Length of the file in bytes (for the progress message).
    pub bytes: usize,
    /// SHA-256 of the exact bytes, lowercase hex.
    pub sha256: &'static str,
}

/// Every dataset's file. `tests/feed_catalogue.rs` checks the lengths and hashes against the files.
pub fn file(dataset: Dataset) -> DatasetFile {
    match dataset {
        Dataset::Sp500Daily => DatasetFile {
            dataset,
            title: "S&P 500, daily, 2000–2020",
            path: "public/data/sp500-2000.csv",
            bytes: 415_968,
            sha256: "9409e9342d0657c747324e4cfabce8a8c7f663bc485b95a3378f36b0a160f8c8",
        },
        Dataset::StocksMonthly => DatasetFile {
            dataset,
            title: "five large stocks, monthly, 2000–2010",
            path: "public/data/stocks.csv",
            bytes: 12_245,
            sha256: "f9953ac6693e587476b4ebf2f0b00d9bb95371ca8c39da4cc6155077b3e417cd",
        },
    }
}

/// Checks `bytes` against the dataset's recorded SHA-256 and parses them into its feed.
///
/// A mismatch is [`FeedError::Tampered`]: nothing is parsed from bytes that are not the ones this
/// build's replays were made with.
pub fn verify_and_parse(dataset: Dataset, bytes: &[u8]) -> Result<PathFeed, FeedError> {
    let f = file(dataset);
    let found = hex_sha256(bytes);
    if found != f.sha256 {
        return Err(FeedError::Tampered {
            path: f.path,
            expected: f.sha256,
            found,
        });
    }
    let bundled = |msg: String| FeedError::Bundled { id: f.path, msg };
    let text = std::str::from_utf8(bytes).map_err(|e| bundled(e.to_string()))?;
    match dataset {
        Dataset::Sp500Daily => parse_csv(text)
            .map_err(|e| bundled(e.to_string()))?
            .into_feed("SPX"),
        Dataset::StocksMonthly => stocks(text),
    }
}

/// Loads a dataset as a feed: natively from the bytes compiled in, in the browser from what
/// [`provide`] was given ([`FeedError::NotLoaded`] before that).
pub fn load(dataset: Dataset) -> Result<PathFeed, FeedError> {
    store::load(dataset)
}

/// Hands over a dataset's bytes (fetched by the page): checked and parsed once, kept for the
/// page's lifetime. A tampered file is refused and nothing is kept.
pub fn provide(dataset: Dataset, bytes: &[u8]) -> Result<(), FeedError> {
    store::provide(dataset, verify_and_parse(dataset, bytes)?);
    Ok(())
}

/// Whether [`load`] can build the dataset now (always natively).
pub fn is_loaded(dataset: Dataset) -> bool {
    store::is_loaded(dataset)
}

#[cfg(not(target_arch = "wasm32"))]
mod store {
    //! Natively the files are compiled in: tests, benchmarks and the replay tool need no network.
    use super::*;

    const SP500: &[u8] = include_bytes!("../../public/data/sp500-2000.csv");
    const STOCKS: &[u8] = include_bytes!("../../public/data/stocks.csv");

    pub fn load(dataset: Dataset) -> Result<PathFeed, FeedError> {
        let bytes = match dataset {
            Dataset::Sp500Daily => SP500,
            Dataset::StocksMonthly => STOCKS,
        };
        verify_and_parse(dataset, bytes)
    }

    pub fn provide(_: Dataset, _: PathFeed) {}

    pub fn is_loaded(_: Dataset) -> bool {
        true
    }
}

#[cfg(target_arch = "wasm32")]
mod store {
    //! In the browser: the parsed feeds the page has fetched and [`provide`](super::provide)d.
    use std::cell::RefCell;

    use super::*;

    thread_local! {
        static LOADED: RefCell<BTreeMap<Dataset, PathFeed>> = const { RefCell::new(BTreeMap::new()) };
    }

    pub fn load(dataset: Dataset) -> Result<PathFeed, FeedError> {
        LOADED
            .with(|l| l.borrow().get(&dataset).cloned())
            .ok_or(FeedError::NotLoaded {
                title: file(dataset).title,
            })
    }

    pub fn provide(dataset: Dataset, feed: PathFeed) {
        LOADED.with(|l| l.borrow_mut().insert(dataset, feed));
    }

    pub fn is_loaded(dataset: Dataset) -> bool {
        LOADED.with(|l| l.borrow().contains_key(&dataset))
    }
}

fn stocks(text: &str) -> Result<PathFeed, FeedError> {
    let err = |msg: String| FeedError::Bundled { id: "stocks", msg };
    let mut by_symbol: BTreeMap<String, BTreeMap<i64, Decimal>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
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
