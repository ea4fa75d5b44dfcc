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
//! one. The first problem in file order is reported with its line (CSV) or item (JSON) and column,
//! and nothing is loaded.
//!
//! Memory is bounded for any file within the caps ([`MAX_BYTES`], [`MAX_ROWS`], [`MAX_COLUMNS`]):
//! a row's fields are counted before anything is built from them, CSV fields are borrowed from the
//! text, and JSON is read in two streaming passes (syntax and shape, then one row at a time)
//! instead of as one document tree. `tests/feed_import_memory.rs` holds the peak of worst-case
//! 8 MiB inputs under 100 MB.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
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
/// Most fields a row (or a header) may have: exchange klines have 12.
pub const MAX_COLUMNS: usize = 64;
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
    #[error("{at}: {found} fields; at most {max} are read")]
    TooManyColumns { at: Pos, found: usize, max: usize },
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
#[derive(Clone, Copy, PartialEq, Eq)]
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

/// Names of positional columns: `"1"`, `"2"`, … (1-based, as people count them).
fn position_names() -> Vec<String> {
    (1..=MAX_COLUMNS).map(|i| i.to_string()).collect()
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
    check_price(v, at, column)
}

/// The range every accepted price is in ([`MIN_PRICE`] to [`MAX_PRICE`]): shared by file imports
/// and by imported prices a link carries (`replay::script::imported`).
pub fn check_price(v: Decimal, at: Pos, column: &str) -> Result<Decimal, ImportError> {
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

/// What every accepted row is checked for against the one before (`prev`, at `prev_at`): a later
/// time (no duplicates, sorted oldest first) and a close no more than [`MAX_STEP_RATIO`] times
/// away. Shared by file imports and by imported prices a link carries.
pub fn check_next(
    prev: Option<(Pos, i64, Decimal)>,
    at: Pos,
    time: i64,
    close: Decimal,
) -> Result<(), ImportError> {
    let Some((prev_at, prev_time, prev_close)) = prev else {
        return Ok(());
    };
    if time == prev_time {
        return Err(ImportError::Duplicate { at, prev: prev_at });
    }
    if time < prev_time {
        return Err(ImportError::Unsorted { at, prev: prev_at });
    }
    let r = Decimal::from(MAX_STEP_RATIO);
    // Both closes are at most MAX_PRICE, so neither product can overflow.
    if close > prev_close * r || close * r < prev_close {
        return Err(ImportError::Jump {
            at,
            prev: prev_close,
            value: close,
        });
    }
    Ok(())
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

/// Builds a bar from raw fields (`get(i)` returns field `i`, `name(i)` its column name) and checks
/// OHLC consistency.
fn bar_from<'a, 'n>(
    get: impl Fn(usize) -> Option<&'a str>,
    cols: Columns,
    name: impl Fn(usize) -> &'n str,
    at: Pos,
) -> Result<Bar, ImportError> {
    let field = |i: usize| {
        get(i).ok_or_else(|| ImportError::Missing {
            at,
            column: name(i).to_string(),
        })
    };
    let time = parse_time_field(field(cols.time)?, at, name(cols.time))?;
    let close = parse_price(field(cols.close)?, at, name(cols.close))?;
    let Some((o, h, l)) = cols.ohlc else {
        return Ok(Bar {
            time,
            open: close,
            high: close,
            low: close,
            close,
        });
    };
    let open = parse_price(field(o)?, at, name(o))?;
    let high = parse_price(field(h)?, at, name(h))?;
    let low = parse_price(field(l)?, at, name(l))?;
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

/// The accepted bars so far, checked as each arrives: row cap, order, duplicates and jumps. Only
/// the previous row's position is kept, so a file's bars are held once.
struct Rows {
    bars: Vec<Bar>,
    prev: Option<Pos>,
}

impl Rows {
    fn with_capacity(n: usize) -> Self {
        Self {
            bars: Vec::with_capacity(n.min(MAX_ROWS)),
            prev: None,
        }
    }

    /// Refuses a row past the cap before it is read.
    fn room(&self) -> Result<(), ImportError> {
        if self.bars.len() >= MAX_ROWS {
            return Err(ImportError::TooManyRows { max: MAX_ROWS });
        }
        Ok(())
    }

    fn push(&mut self, at: Pos, b: Bar) -> Result<(), ImportError> {
        self.room()?;
        let prev = match (self.bars.last(), self.prev) {
            (Some(a), Some(pa)) => Some((pa, a.time, a.close)),
            _ => None,
        };
        check_next(prev, at, b.time, b.close)?;
        self.bars.push(b);
        self.prev = Some(at);
        Ok(())
    }

    fn finish(self, has_ohlc: bool) -> Result<Imported, ImportError> {
        if self.bars.is_empty() {
            return Err(ImportError::Empty);
        }
        Ok(Imported {
            bars: self.bars,
            has_ohlc,
        })
    }
}

/// The fields of a CSV line, borrowed from it, or an error when it has more than [`MAX_COLUMNS`]
/// (counted without building anything).
fn split_line(line: &str, sep: char, at: Pos) -> Result<Vec<&str>, ImportError> {
    let mut fields = Vec::new();
    for (k, f) in line.split(sep).enumerate() {
        if k == MAX_COLUMNS {
            return Err(ImportError::TooManyColumns {
                at,
                found: line.split(sep).count(),
                max: MAX_COLUMNS,
            });
        }
        fields.push(f.trim().trim_matches('"').trim());
    }
    Ok(fields)
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
    let first_pos = Pos::Line(first_no);
    let first_fields = split_line(first, sep, first_pos)?;
    let has_header = parse_time(first_fields[0]).is_none()
        && parse_price(first_fields[0], first_pos, "").is_err();
    let expected = first_fields.len();
    let (cols, names, mut pending) = if has_header {
        let normed: Vec<String> = first_fields.iter().map(|h| norm(h)).collect();
        let names: Vec<String> = first_fields.iter().map(|h| h.to_string()).collect();
        (columns_from_names(&normed, first_pos)?, names, None)
    } else {
        (
            columns_by_position(expected, first_pos)?,
            position_names(),
            Some((first_no, first)),
        )
    };
    // One bar per line at most: reserving for the line count avoids doubling a large vector.
    let mut rows = Rows::with_capacity(text.bytes().filter(|&b| b == b'\n').count() + 1);
    while let Some((no, line)) = pending.take().or_else(|| lines.next()) {
        rows.room()?;
        let at = Pos::Line(no);
        let fields = split_line(line, sep, at)?;
        if fields.len() != expected {
            return Err(ImportError::FieldCount {
                at,
                expected,
                found: fields.len(),
            });
        }
        let bar = bar_from(
            |i| fields.get(i).copied(),
            cols,
            |i| names.get(i).map_or("", String::as_str),
            at,
        )?;
        rows.push(at, bar)?;
    }
    rows.finish(cols.ohlc.is_some())
}

/// Keys of a top-level JSON object that may hold the rows, by precedence.
const WRAPPER_KEYS: [&str; 6] = ["prices", "data", "result", "candles", "klines", "bars"];

/// Parses JSON text (see the module docs).
///
/// Two streaming passes, so no document tree is built: the first checks the syntax of the whole
/// text and finds where the rows are (the top-level array, or the array under the first wrapper
/// key present, its last occurrence when repeated); the second reads the rows one at a time,
/// building each bar and dropping the row. Nested values inside a row are skipped, not stored.
pub fn parse_json(text: &str) -> Result<Imported, ImportError> {
    if text.len() > MAX_BYTES {
        return Err(ImportError::TooLarge {
            bytes: text.len(),
            max: MAX_BYTES,
        });
    }
    let text = text.trim_start_matches('\u{feff}');
    let json_error = |e: serde_json::Error| ImportError::Json(e.to_string());
    let top: json::Top = serde_json::from_str(text).map_err(json_error)?;
    let target = match top {
        json::Top::Array => None,
        json::Top::Object(Some(json::Wrapper {
            key,
            occurrence,
            is_array: true,
        })) => Some((key, occurrence)),
        json::Top::Object(_) | json::Top::Other => return Err(ImportError::JsonShape),
    };
    let mut state = json::State::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let read = match target {
        None => serde::de::DeserializeSeed::deserialize(json::RowsSeed(&mut state), &mut de),
        Some((key, occurrence)) => serde::de::DeserializeSeed::deserialize(
            json::WrapperSeed {
                key,
                occurrence,
                state: &mut state,
            },
            &mut de,
        ),
    };
    if let Some(e) = state.error.take() {
        return Err(e);
    }
    read.map_err(json_error)?;
    let has_ohlc = state.has_ohlc.unwrap_or(false);
    state.rows.finish(has_ohlc)
}

/// The serde visitors behind [`parse_json`].
mod json {
    use std::collections::BTreeMap;
    use std::fmt;

    use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

    use super::{
        bar_from, columns_by_position, columns_from_names, norm, position_names, ImportError, Pos,
        Rows, MAX_COLUMNS, WRAPPER_KEYS,
    };

    /// Where the first pass found the rows.
    pub(super) enum Top {
        Array,
        Object(Option<Wrapper>),
        Other,
    }

    /// The wrapper key that holds the rows: its index in [`WRAPPER_KEYS`], which occurrence of it
    /// counts (the last, as a JSON object keeps the last value of a repeated key) and whether that
    /// value is an array.
    pub(super) struct Wrapper {
        pub key: usize,
        pub occurrence: usize,
        pub is_array: bool,
    }

    /// A key of the top-level object: the index of the wrapper key it is, if any. Read without
    /// keeping the key.
    struct KeyIndex(Option<usize>);

    impl<'de> de::Deserialize<'de> for KeyIndex {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = KeyIndex;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a key")
                }
                fn visit_str<E: de::Error>(self, s: &str) -> Result<KeyIndex, E> {
                    Ok(KeyIndex(WRAPPER_KEYS.iter().position(|k| *k == s)))
                }
            }
            d.deserialize_str(V)
        }
    }

    /// Whether a value is an array (its contents skipped).
    struct IsArray(bool);

    impl<'de> de::Deserialize<'de> for IsArray {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = IsArray;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("any value")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<IsArray, A::Error> {
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(IsArray(true))
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<IsArray, A::Error> {
                    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                    Ok(IsArray(false))
                }
                fn visit_bool<E>(self, _: bool) -> Result<IsArray, E> {
                    Ok(IsArray(false))
                }
                fn visit_i64<E>(self, _: i64) -> Result<IsArray, E> {
                    Ok(IsArray(false))
                }
                fn visit_u64<E>(self, _: u64) -> Result<IsArray, E> {
                    Ok(IsArray(false))
                }
                fn visit_f64<E>(self, _: f64) -> Result<IsArray, E> {
                    Ok(IsArray(false))
                }
                fn visit_str<E>(self, _: &str) -> Result<IsArray, E> {
                    Ok(IsArray(false))
                }
                fn visit_unit<E>(self) -> Result<IsArray, E> {
                    Ok(IsArray(false))
                }
            }
            d.deserialize_any(V)
        }
    }

    impl<'de> de::Deserialize<'de> for Top {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Top;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("an array or an object")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top, A::Error> {
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(Top::Array)
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
                    // Per wrapper key: how many times it appears and whether its last value is
                    // an array.
                    let mut seen = [(0usize, false); WRAPPER_KEYS.len()];
                    while let Some(KeyIndex(k)) = map.next_key()? {
                        match k {
                            Some(k) => {
                                let IsArray(is_array) = map.next_value()?;
                                seen[k] = (seen[k].0 + 1, is_array);
                            }
                            None => {
                                map.next_value::<IgnoredAny>()?;
                            }
                        }
                    }
                    Ok(Top::Object(seen.iter().enumerate().find_map(
                        |(key, &(count, is_array))| {
                            (count > 0).then_some(Wrapper {
                                key,
                                occurrence: count,
                                is_array,
                            })
                        },
                    )))
                }
                fn visit_bool<E>(self, _: bool) -> Result<Top, E> {
                    Ok(Top::Other)
                }
                fn visit_i64<E>(self, _: i64) -> Result<Top, E> {
                    Ok(Top::Other)
                }
                fn visit_u64<E>(self, _: u64) -> Result<Top, E> {
                    Ok(Top::Other)
                }
                fn visit_f64<E>(self, _: f64) -> Result<Top, E> {
                    Ok(Top::Other)
                }
                fn visit_str<E>(self, _: &str) -> Result<Top, E> {
                    Ok(Top::Other)
                }
                fn visit_unit<E>(self) -> Result<Top, E> {
                    Ok(Top::Other)
                }
            }
            d.deserialize_any(V)
        }
    }

    /// What the second pass has read so far; `error` is the first problem, which stops the pass.
    #[derive(Default)]
    pub(super) struct State {
        pub rows: Rows,
        pub has_ohlc: Option<bool>,
        pub error: Option<ImportError>,
    }

    impl Default for Rows {
        fn default() -> Self {
            Rows::with_capacity(0)
        }
    }

    /// A field of a row as text: a string as is, a number as JSON writes it; `None` for null,
    /// booleans, arrays and objects (whose contents are skipped).
    struct Field(Option<String>);

    impl<'de> de::Deserialize<'de> for Field {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Field;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("any value")
                }
                fn visit_str<E>(self, s: &str) -> Result<Field, E> {
                    Ok(Field(Some(s.to_string())))
                }
                fn visit_u64<E>(self, n: u64) -> Result<Field, E> {
                    Ok(Field(Some(serde_json::Number::from(n).to_string())))
                }
                fn visit_i64<E>(self, n: i64) -> Result<Field, E> {
                    Ok(Field(Some(serde_json::Number::from(n).to_string())))
                }
                fn visit_f64<E>(self, n: f64) -> Result<Field, E> {
                    Ok(Field(
                        serde_json::Number::from_f64(n).map(|n| n.to_string()),
                    ))
                }
                fn visit_bool<E>(self, _: bool) -> Result<Field, E> {
                    Ok(Field(None))
                }
                fn visit_unit<E>(self) -> Result<Field, E> {
                    Ok(Field(None))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field, A::Error> {
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(Field(None))
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Field, A::Error> {
                    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                    Ok(Field(None))
                }
            }
            d.deserialize_any(V)
        }
    }

    /// One item of the rows array, with at most [`MAX_COLUMNS`] fields kept.
    enum RawRow {
        /// `[time, close]` or a kline.
        Array(Vec<Option<String>>),
        /// `{"date": …, "close": …}`, keys in sorted order, a repeated key keeping its last value.
        Object(BTreeMap<String, Option<String>>),
        /// More fields than [`MAX_COLUMNS`]: how many (the rest were skipped, not stored).
        TooWide(usize),
        /// Not an array or an object.
        Scalar,
    }

    impl<'de> de::Deserialize<'de> for RawRow {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = RawRow;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a row")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawRow, A::Error> {
                    let mut fields = Vec::new();
                    while fields.len() < MAX_COLUMNS {
                        match seq.next_element::<Field>()? {
                            Some(Field(f)) => fields.push(f),
                            None => return Ok(RawRow::Array(fields)),
                        }
                    }
                    let mut n = fields.len();
                    while seq.next_element::<IgnoredAny>()?.is_some() {
                        n += 1;
                    }
                    Ok(if n > MAX_COLUMNS {
                        RawRow::TooWide(n)
                    } else {
                        RawRow::Array(fields)
                    })
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRow, A::Error> {
                    let mut fields = BTreeMap::new();
                    let mut n = 0usize;
                    while n < MAX_COLUMNS {
                        match map.next_key::<String>()? {
                            Some(k) => {
                                let Field(v) = map.next_value()?;
                                fields.insert(k, v);
                                n += 1;
                            }
                            None => return Ok(RawRow::Object(fields)),
                        }
                    }
                    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
                        n += 1;
                    }
                    Ok(if n > MAX_COLUMNS {
                        RawRow::TooWide(n)
                    } else {
                        RawRow::Object(fields)
                    })
                }
                fn visit_bool<E>(self, _: bool) -> Result<RawRow, E> {
                    Ok(RawRow::Scalar)
                }
                fn visit_i64<E>(self, _: i64) -> Result<RawRow, E> {
                    Ok(RawRow::Scalar)
                }
                fn visit_u64<E>(self, _: u64) -> Result<RawRow, E> {
                    Ok(RawRow::Scalar)
                }
                fn visit_f64<E>(self, _: f64) -> Result<RawRow, E> {
                    Ok(RawRow::Scalar)
                }
                fn visit_str<E>(self, _: &str) -> Result<RawRow, E> {
                    Ok(RawRow::Scalar)
                }
                fn visit_unit<E>(self) -> Result<RawRow, E> {
                    Ok(RawRow::Scalar)
                }
            }
            d.deserialize_any(V)
        }
    }

    impl State {
        /// Checks and keeps one row (item `k`, 1-based).
        fn row(&mut self, k: usize, row: RawRow, positions: &[String]) -> Result<(), ImportError> {
            let at = Pos::Item(k);
            self.rows.room()?;
            let bar = match row {
                RawRow::Scalar => return Err(ImportError::JsonShape),
                RawRow::TooWide(found) => {
                    return Err(ImportError::TooManyColumns {
                        at,
                        found,
                        max: MAX_COLUMNS,
                    })
                }
                RawRow::Array(fields) => {
                    let cols = columns_by_position(fields.len(), at)?;
                    self.same_shape(cols.ohlc.is_some(), at)?;
                    bar_from(
                        |i| fields.get(i).and_then(|f| f.as_deref()),
                        cols,
                        |i| positions.get(i).map_or("", String::as_str),
                        at,
                    )?
                }
                RawRow::Object(map) => {
                    let normed: Vec<String> = map.keys().map(|k| norm(k)).collect();
                    let cols = columns_from_names(&normed, at)?;
                    self.same_shape(cols.ohlc.is_some(), at)?;
                    let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                    let values: Vec<Option<&str>> = map.values().map(|v| v.as_deref()).collect();
                    bar_from(
                        |i| values.get(i).copied().flatten(),
                        cols,
                        |i| keys.get(i).copied().unwrap_or(""),
                        at,
                    )?
                }
            };
            self.rows.push(at, bar)
        }

        fn same_shape(&mut self, ohlc: bool, at: Pos) -> Result<(), ImportError> {
            if *self.has_ohlc.get_or_insert(ohlc) != ohlc {
                return Err(ImportError::Inconsistent {
                    at,
                    detail: "some rows have open/high/low and others do not".into(),
                });
            }
            Ok(())
        }
    }

    /// Reads the rows array, stopping at the first bad row (kept in `State::error`).
    pub(super) struct RowsSeed<'s>(pub &'s mut State);

    impl<'de> DeserializeSeed<'de> for RowsSeed<'_> {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for RowsSeed<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of rows")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let positions = position_names();
            let mut k = 0usize;
            while let Some(row) = seq.next_element::<RawRow>()? {
                k += 1;
                if let Err(e) = self.0.row(k, row, &positions) {
                    self.0.error = Some(e);
                    return Err(de::Error::custom("stopped at a bad row"));
                }
            }
            Ok(())
        }
    }

    /// Reads the top-level object, taking the rows from occurrence `occurrence` of
    /// `WRAPPER_KEYS[key]` and skipping everything else.
    pub(super) struct WrapperSeed<'s> {
        pub key: usize,
        pub occurrence: usize,
        pub state: &'s mut State,
    }

    impl<'de> DeserializeSeed<'de> for WrapperSeed<'_> {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for WrapperSeed<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = 0usize;
            while let Some(KeyIndex(k)) = map.next_key()? {
                if k == Some(self.key) {
                    seen += 1;
                    if seen == self.occurrence {
                        map.next_value_seed(RowsSeed(&mut *self.state))?;
                        continue;
                    }
                }
                map.next_value::<IgnoredAny>()?;
            }
            Ok(())
        }
    }
}
