//! Importing user price files (CSV or JSON), with validation that names the offending line.
//!
//! Accepted shapes:
//! - CSV with a header: a time column (`date`, `time`, `timestamp`, `datetime`, `open_time`, …) and
//!   `close` (or `price`, `last`, `adj close`), optionally `open`, `high`, `low`: covers
//!   `date,close`, Yahoo's `Date,Open,High,Low,Close,Adj Close,Volume` and Binance kline CSVs with
//!   headers. Separators `,`, `;` or tab; a UTF-8 BOM, blank lines and `#` comments are skipped.
//! - CSV without a header: `time,close`, or ≥ 5 columns in exchange kline order
//!   (`open_time,open,high,low,close,…`, timestamps in ms as Binance exports them).
//! - JSON: an array of objects with the same keys, or an array of arrays (Binance `klines`:
//!   `[open_time, "open", "high", "low", "close", …]`, or `[time, close]`), at the top level or
//!   under one of the keys `prices` (CoinGecko), `data`, `result`, `candles`, `klines`, `bars`.
//!
//! Validation: rows must be sorted oldest first with no duplicate times; every price present,
//! numeric and within the range the engine accepts ([`MIN_PRICE`] to [`MAX_PRICE`], from
//! `engine::num`: one range, one place, so a file the import accepts never stops playback), OHLC
//! consistent (low ≤ open, close ≤ high) and no close may move more than 100× from the previous
//! one. The first problem is reported with its line (CSV) or item (JSON) and column, and nothing is
//! loaded. Size caps: [`MAX_BYTES`], [`MAX_ROWS`].

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use super::error::FeedError;
use super::path::PathFeed;
use super::time_parse::parse_time;
use crate::engine::num::fmt_exact;
pub use crate::engine::num::{MAX_PRICE, MIN_PRICE};
use crate::text::{echo, echo_max, ECHO_CHARS, MAX_DETAIL_CHARS};

/// Largest accepted file: 8 MiB.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Most data rows accepted (≈ 4 months of minute bars, 500 years of daily bars).
pub const MAX_ROWS: usize = 200_000;
/// Largest accepted move between consecutive closes (either way).
pub const MAX_STEP_RATIO: i64 = 100;

/// One bar of imported history. Close-only files have `open = high = low = close`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bar {
    pub time: i64,
    pub open: Decimal,
    pub high: Decimal,
    pub low: Decimal,
    pub close: Decimal,
}

/// A validated imported series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub bars: Vec<Bar>,
    /// True when the file had open/high/low columns.
    pub has_ohlc: bool,
}

impl Imported {
    /// The closes as a one-asset feed.
    pub fn into_feed(self, symbol: &str) -> Result<PathFeed, FeedError> {
        super::sim::check_symbol(symbol)?;
        let times = self.bars.iter().map(|b| b.time).collect();
        let prices = self.bars.iter().map(|b| b.close).collect();
        PathFeed::new(vec![symbol.to_string()], times, prices)
    }
}

/// Imports a picked file as the prices of `symbol`: what the scenario picker does. The error is
/// the whole message shown to the user, naming the file and the asset (both quoted through
/// [`echo`]) and then the line, column and reason.
pub fn import_feed(bytes: &[u8], symbol: &str, file_name: &str) -> Result<PathFeed, String> {
    let refused = |e: &dyn fmt::Display| {
        format!(
            "{} was not imported as {} prices: {e}",
            echo(file_name),
            echo(symbol)
        )
    };
    parse_bytes(bytes)
        .map_err(|e| refused(&e))?
        .into_feed(symbol)
        .map_err(|e| refused(&e))
}

/// Where in the file a problem is: a CSV line (1-based) or a JSON array item (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pos {
    Line(usize),
    Item(usize),
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pos::Line(n) => write!(f, "line {n}"),
            Pos::Item(n) => write!(f, "item {n}"),
        }
    }
}

/// Why an import was refused. Nothing is loaded when any row is bad. Column names and values come
/// from the file, so messages quote them through [`echo`] (control characters escaped, cut to
/// [`ECHO_CHARS`]).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ImportError {
    #[error("the file is {bytes} bytes; the limit is {max}")]
    TooLarge { bytes: usize, max: usize },
    #[error("the file has more than {max} rows")]
    TooManyRows { max: usize },
    #[error("the file is not UTF-8 text")]
    NotText,
    #[error("the file holds no price rows")]
    Empty,
    #[error("{at}: no time column (expected date, time, timestamp or open_time)")]
    NoTimeColumn { at: Pos },
    #[error("{at}: no price column (expected close or price; add a header such as date,close)")]
    NoPriceColumn { at: Pos },
    #[error("{at}: expected {expected} fields, found {found}")]
    FieldCount {
        at: Pos,
        expected: usize,
        found: usize,
    },
    #[error("{at}, column {}: missing value", echo(column))]
    Missing { at: Pos, column: String },
    #[error("{at}, column {}: \"{}\" is not a number", echo(column), echo(value))]
    BadNumber {
        at: Pos,
        column: String,
        value: String,
    },
    #[error("{at}, column {}: cannot read the time \"{}\" (use YYYY-MM-DD, ISO 8601, unix seconds or milliseconds)", echo(column), echo(value))]
    BadTime {
        at: Pos,
        column: String,
        value: String,
    },
    #[error("{at}, column {}: price {} — prices must be positive", echo(column), fmt_exact(*value))]
    NotPositive {
        at: Pos,
        column: String,
        value: Decimal,
    },
    #[error("{at}, column {}: price {} is {} (prices run from 0.000000000001 to 1,000,000,000)", echo(column), fmt_price(*value), if *value < MIN_PRICE { "too small" } else { "too large" })]
    OutOfRange {
        at: Pos,
        column: String,
        value: Decimal,
    },
    #[error("{at}: close {value} moves more than 100× from the previous close {prev}")]
    Jump {
        at: Pos,
        prev: Decimal,
        value: Decimal,
    },
    #[error("{at}: {detail}")]
    Inconsistent { at: Pos, detail: String },
    #[error("{at}: time is earlier than on {prev} — rows must be sorted oldest first")]
    Unsorted { at: Pos, prev: Pos },
    #[error("{at}: duplicate time (same as {prev})")]
    Duplicate { at: Pos, prev: Pos },
    #[error("JSON: {}", echo_max(.0, MAX_DETAIL_CHARS))]
    Json(String),
    #[error("JSON: expected an array of rows (objects or arrays), or an object with a \"prices\" or \"data\" array")]
    JsonShape,
}

/// An out-of-range price as read: tiny ones in scientific form (`1e-27`), others in full.
fn fmt_price(v: Decimal) -> String {
    if v < MIN_PRICE {
        format!("{v:e}")
    } else {
        fmt_exact(v)
    }
}

/// Parses a file the user picked: JSON when it starts with `[` or `{`, CSV otherwise.
pub fn parse_bytes(bytes: &[u8]) -> Result<Imported, ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooLarge {
            bytes: bytes.len(),
            max: MAX_BYTES,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::NotText)?;
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('[') || t.starts_with('{') {
        parse_json(text)
    } else {
        parse_csv(text)
    }
}

/// Column positions of one file.
#[derive(Clone, Copy)]
struct Columns {
    time: usize,
    close: usize,
    ohlc: Option<(usize, usize, usize)>,
}

fn norm(h: &str) -> String {
    h.trim()
        .trim_matches('"')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn find(names: &[String], wanted: &[&str]) -> Option<usize> {
    wanted
        .iter()
        .find_map(|w| names.iter().position(|n| n == w))
}

fn columns_from_names(names: &[String], at: Pos) -> Result<Columns, ImportError> {
    let time = find(
        names,
        &[
            "date",
            "time",
            "timestamp",
            "datetime",
            "opentime",
            "unix",
            "day",
            "t",
        ],
    )
    .ok_or(ImportError::NoTimeColumn { at })?;
    let close = find(
        names,
        &["close", "price", "last", "closeprice", "adjclose", "c"],
    )
    .ok_or(ImportError::NoPriceColumn { at })?;
    let ohlc = match (
        find(names, &["open", "o"]),
        find(names, &["high", "h"]),
        find(names, &["low", "l"]),
    ) {
        (Some(o), Some(h), Some(l)) => Some((o, h, l)),
        _ => None,
    };
    Ok(Columns { time, close, ohlc })
}

/// Positional layout of a header-less row with `n` fields.
fn columns_by_position(n: usize, at: Pos) -> Result<Columns, ImportError> {
    match n {
        2 => Ok(Columns {
            time: 0,
            close: 1,
            ohlc: None,
        }),
        n if n >= 5 => Ok(Columns {
            time: 0,
            close: 4,
            ohlc: Some((1, 2, 3)),
        }),
        _ => Err(ImportError::NoPriceColumn { at }),
    }
}

/// Parses a price field and checks it is within the engine's range.
pub fn parse_price(raw: &str, at: Pos, column: &str) -> Result<Decimal, ImportError> {
    let s = raw.trim().trim_matches('"').trim();
    if s.is_empty() || s.eq_ignore_ascii_case("null") || s.eq_ignore_ascii_case("na") || s == "-" {
        return Err(ImportError::Missing {
            at,
            column: column.to_string(),
        });
    }
    let bad = || ImportError::BadNumber {
        at,
        column: column.to_string(),
        value: s.chars().take(ECHO_CHARS + 1).collect(),
    };
    let ok_chars = s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !ok_chars {
        return Err(bad());
    }
    let v = if s.contains(['e', 'E']) {
        Decimal::from_scientific(s).map_err(|_| bad())?
    } else {
        Decimal::from_str(s).map_err(|_| bad())?
    };
    if v <= Decimal::ZERO {
        return Err(ImportError::NotPositive {
            at,
            column: column.to_string(),
            value: v,
        });
    }
    if !(MIN_PRICE..=MAX_PRICE).contains(&v) {
        return Err(ImportError::OutOfRange {
            at,
            column: column.to_string(),
            value: v,
        });
    }
    Ok(v)
}

fn parse_time_field(raw: &str, at: Pos, column: &str) -> Result<i64, ImportError> {
    let s = raw.trim().trim_matches('"').trim();
    if s.is_empty() {
        return Err(ImportError::Missing {
            at,
            column: column.to_string(),
        });
    }
    parse_time(s).ok_or_else(|| ImportError::BadTime {
        at,
        column: column.to_string(),
        value: s.chars().take(ECHO_CHARS + 1).collect(),
    })
}

/// Builds a bar from raw fields (`get(i)` returns field `i`) and checks OHLC consistency.
fn bar_from<'a>(
    get: impl Fn(usize) -> Option<&'a str>,
    cols: Columns,
    names: &dyn Fn(usize) -> String,
    at: Pos,
) -> Result<Bar, ImportError> {
    let field = |i: usize| {
        get(i).ok_or_else(|| ImportError::Missing {
            at,
            column: names(i),
        })
    };
    let time = parse_time_field(field(cols.time)?, at, &names(cols.time))?;
    let close = parse_price(field(cols.close)?, at, &names(cols.close))?;
    let Some((o, h, l)) = cols.ohlc else {
        return Ok(Bar {
            time,
            open: close,
            high: close,
            low: close,
            close,
        });
    };
    let open = parse_price(field(o)?, at, &names(o))?;
    let high = parse_price(field(h)?, at, &names(h))?;
    let low = parse_price(field(l)?, at, &names(l))?;
    if high < low {
        return Err(ImportError::Inconsistent {
            at,
            detail: format!("high {high} is below low {low}"),
        });
    }
    for (name, v) in [("open", open), ("close", close)] {
        if v < low || v > high {
            return Err(ImportError::Inconsistent {
                at,
                detail: format!("{name} {v} is outside low {low} – high {high}"),
            });
        }
    }
    Ok(Bar {
        time,
        open,
        high,
        low,
        close,
    })
}

/// Checks order, duplicates and jumps across rows.
fn check_sequence(bars: &[(Pos, Bar)]) -> Result<(), ImportError> {
    for w in bars.windows(2) {
        let ((pa, a), (pb, b)) = (w[0], w[1]);
        if b.time == a.time {
            return Err(ImportError::Duplicate { at: pb, prev: pa });
        }
        if b.time < a.time {
            return Err(ImportError::Unsorted { at: pb, prev: pa });
        }
        let r = Decimal::from(MAX_STEP_RATIO);
        if b.close > a.close * r || b.close * r < a.close {
            return Err(ImportError::Jump {
                at: pb,
                prev: a.close,
                value: b.close,
            });
        }
    }
    Ok(())
}

fn finish(rows: Vec<(Pos, Bar)>, has_ohlc: bool) -> Result<Imported, ImportError> {
    if rows.is_empty() {
        return Err(ImportError::Empty);
    }
    check_sequence(&rows)?;
    Ok(Imported {
        bars: rows.into_iter().map(|(_, b)| b).collect(),
        has_ohlc,
    })
}

/// Parses CSV text (see the module docs).
pub fn parse_csv(text: &str) -> Result<Imported, ImportError> {
    if text.len() > MAX_BYTES {
        return Err(ImportError::TooLarge {
            bytes: text.len(),
            max: MAX_BYTES,
        });
    }
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let Some((first_no, first)) = lines.next() else {
        return Err(ImportError::Empty);
    };
    let sep = [',', '\t', ';']
        .into_iter()
        .find(|c| first.contains(*c))
        .unwrap_or(',');
    let split = |l: &str| -> Vec<String> {
        l.split(sep)
            .map(|f| f.trim().trim_matches('"').trim().to_string())
            .collect()
    };
    let first_fields = split(first);
    let first_pos = Pos::Line(first_no);
    let has_header = parse_time(&first_fields[0]).is_none()
        && parse_price(&first_fields[0], first_pos, "").is_err();
    let (cols, header, mut pending) = if has_header {
        let names: Vec<String> = first_fields.iter().map(|h| norm(h)).collect();
        (
            columns_from_names(&names, first_pos)?,
            Some(first_fields.clone()),
            None,
        )
    } else {
        (
            columns_by_position(first_fields.len(), first_pos)?,
            None,
            Some((first_no, first)),
        )
    };
    let expected = first_fields.len();
    let names = |i: usize| match &header {
        Some(h) => h.get(i).cloned().unwrap_or_else(|| format!("{}", i + 1)),
        None => format!("{}", i + 1),
    };
    let mut rows: Vec<(Pos, Bar)> = Vec::new();
    while let Some((no, line)) = pending.take().or_else(|| lines.next()) {
        if rows.len() >= MAX_ROWS {
            return Err(ImportError::TooManyRows { max: MAX_ROWS });
        }
        let at = Pos::Line(no);
        let fields = split(line);
        if fields.len() != expected {
            return Err(ImportError::FieldCount {
                at,
                expected,
                found: fields.len(),
            });
        }
        let bar = bar_from(|i| fields.get(i).map(String::as_str), cols, &names, at)?;
        rows.push((at, bar));
    }
    finish(rows, cols.ohlc.is_some())
}

fn value_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Keys of a top-level JSON object that may hold the rows.
const WRAPPER_KEYS: [&str; 6] = ["prices", "data", "result", "candles", "klines", "bars"];

/// Parses JSON text (see the module docs).
pub fn parse_json(text: &str) -> Result<Imported, ImportError> {
    if text.len() > MAX_BYTES {
        return Err(ImportError::TooLarge {
            bytes: text.len(),
            max: MAX_BYTES,
        });
    }
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| ImportError::Json(e.to_string()))?;
    let items = match v {
        Value::Array(items) => items,
        // CoinGecko `{"prices": [[ms, price], …]}` and similar wrappers
        Value::Object(mut o) => match WRAPPER_KEYS.iter().find_map(|k| o.remove(*k)) {
            Some(Value::Array(items)) => items,
            _ => return Err(ImportError::JsonShape),
        },
        _ => return Err(ImportError::JsonShape),
    };
    if items.len() > MAX_ROWS {
        return Err(ImportError::TooManyRows { max: MAX_ROWS });
    }
    let mut rows = Vec::with_capacity(items.len());
    let mut has_ohlc = None;
    for (k, item) in items.iter().enumerate() {
        let at = Pos::Item(k + 1);
        let (fields, cols, keys): (Vec<Option<String>>, Columns, Vec<String>) = match item {
            Value::Array(a) => {
                let cols = columns_by_position(a.len(), at)?;
                (
                    a.iter().map(value_str).collect(),
                    cols,
                    (1..=a.len()).map(|i| i.to_string()).collect(),
                )
            }
            Value::Object(o) => {
                let keys: Vec<String> = o.keys().cloned().collect();
                let normed: Vec<String> = keys.iter().map(|k| norm(k)).collect();
                let cols = columns_from_names(&normed, at)?;
                (o.values().map(value_str).collect(), cols, keys)
            }
            _ => return Err(ImportError::JsonShape),
        };
        let ohlc = cols.ohlc.is_some();
        if *has_ohlc.get_or_insert(ohlc) != ohlc {
            return Err(ImportError::Inconsistent {
                at,
                detail: "some rows have open/high/low and others do not".into(),
            });
        }
        let names = |i: usize| keys.get(i).cloned().unwrap_or_default();
        let bar = bar_from(
            |i| fields.get(i).and_then(|f| f.as_deref()),
            cols,
            &names,
            at,
        )?;
        rows.push((at, bar));
    }
    finish(rows, has_ohlc.unwrap_or(false))
}
