//! The user's imported prices, carried by a scenario ([`super::ScenarioOption::ImportedPrices`]) so
//! a session on them can be shared: by link when it fits, else by session file.
//!
//! Wire form (postcard, inside the deflated link payload): the symbol, the times as the first time
//! then the gaps, and the closes as integers at one common scale (the largest of their own scales)
//! as the first value then the differences — postcard writes each as a zig-zag varint, so a daily
//! series costs about 3 bytes a row before deflate — plus each close's own scale as runs, because
//! the engine's arithmetic (and so the event-log hash) depends on a price's representation, not
//! only its value (`1.50` and `1.5` log differently). Decoding gives back the exact `Decimal`s.
//!
//! Decoding validates exactly like a file import (`feed::csv_import`): the symbol rule, at most
//! [`MAX_ROWS`] rows, times within the importer's years and strictly increasing, every close in
//! `MIN_PRICE..=MAX_PRICE`, no close more than 100× from the one before. The encoding must also be
//! the one [`ImportedSeries::from_feed`] writes (common scale = the largest scale, maximal runs),
//! so each series has one encoding and a link's digest has one meaning.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::feed::csv_import::{check_next, check_price, Pos, MAX_ROWS};
use crate::feed::spec::TIME_RANGE;
use crate::feed::{PathFeed, PriceFeed};

/// Most digits after the point a `Decimal` has.
const MAX_SCALE: u32 = 28;

/// A one-asset price series, delta-encoded (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedSeries {
    /// The asset the prices are for, as named at import.
    pub symbol: String,
    /// The first time (unix seconds), then the gap to each next time (each > 0).
    #[serde(deserialize_with = "capped")]
    pub time_deltas: Vec<i64>,
    /// The scale shared by `price_deltas`: the largest of the closes' own scales.
    pub scale: u32,
    /// The first close, then the difference to each next close, as integers at `scale`.
    #[serde(deserialize_with = "capped")]
    pub price_deltas: Vec<i128>,
    /// Each close's own scale, in order, as runs `(how many closes, scale)`.
    #[serde(deserialize_with = "capped")]
    pub scales: Vec<(u32, u32)>,
}

/// A sequence of at most [`MAX_ROWS`] items: a hostile payload is refused when it claims more,
/// before anything is allocated for them (a million one-byte varints would otherwise become a
/// million `i128`s). Reads the same bytes as the default `Vec` (which writes them).
fn capped<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Capped<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Capped<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "at most {MAX_ROWS} items")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            if seq.size_hint().is_some_and(|n| n > MAX_ROWS) {
                return Err(serde::de::Error::custom("too many rows"));
            }
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(item) = seq.next_element()? {
                if out.len() == MAX_ROWS {
                    return Err(serde::de::Error::custom("too many rows"));
                }
                out.push(item);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Capped(std::marker::PhantomData))
}

impl ImportedSeries {
    /// Encodes a one-asset feed (an import). `None` for a feed of several assets, which no import
    /// makes.
    pub fn from_feed(feed: &PathFeed) -> Option<Self> {
        let [symbol] = feed.assets() else {
            return None;
        };
        let n = feed.len();
        let closes: Vec<Decimal> = (0..n).map(|i| feed.price(i, 0)).collect::<Option<_>>()?;
        let times: Vec<i64> = (0..n).map(|i| feed.time(i)).collect::<Option<_>>()?;
        let scale = closes.iter().map(Decimal::scale).max().unwrap_or(0);
        let mut time_deltas = Vec::with_capacity(n);
        let mut price_deltas = Vec::with_capacity(n);
        let mut scales: Vec<(u32, u32)> = Vec::new();
        let (mut prev_t, mut prev_m) = (0i64, 0i128);
        for (t, c) in times.iter().zip(&closes) {
            // A close at the common scale: exact, as `scale` is at least its own.
            let m = c
                .mantissa()
                .checked_mul(10i128.checked_pow(scale - c.scale())?)?;
            time_deltas.push(t.checked_sub(prev_t)?);
            price_deltas.push(m.checked_sub(prev_m)?);
            (prev_t, prev_m) = (*t, m);
            match scales.last_mut() {
                Some((count, s)) if *s == c.scale() => *count += 1,
                _ => scales.push((1, c.scale())),
            }
        }
        Some(Self {
            symbol: symbol.clone(),
            time_deltas,
            scale,
            price_deltas,
            scales,
        })
    }

    /// Decodes and validates the series into its feed; the message says what is wrong, naming
    /// the row (its 1-based item number).
    pub fn to_feed(&self) -> Result<PathFeed, String> {
        crate::feed::sim::check_symbol(&self.symbol).map_err(|e| e.to_string())?;
        let n = self.time_deltas.len();
        if n == 0 {
            return Err("its imported prices hold no rows".into());
        }
        if n > MAX_ROWS {
            return Err(format!(
                "its imported prices have {n} rows; the limit is {MAX_ROWS}"
            ));
        }
        if self.price_deltas.len() != n {
            return Err("its imported prices have times and closes of different lengths".into());
        }
        let runs: u64 = self.scales.iter().map(|(count, _)| u64::from(*count)).sum();
        let maximal = self
            .scales
            .iter()
            .all(|(count, s)| *count > 0 && *s <= self.scale)
            && self.scales.windows(2).all(|w| w[0].1 != w[1].1);
        let largest = self.scales.iter().map(|(_, s)| *s).max() == Some(self.scale);
        if runs != n as u64 || !maximal || !largest || self.scale > MAX_SCALE {
            return Err(
                "its imported prices are not written the way Margin Lab writes them".into(),
            );
        }
        let own_scales = self
            .scales
            .iter()
            .flat_map(|(count, s)| std::iter::repeat_n(*s, *count as usize));
        let mut times = Vec::with_capacity(n);
        let mut closes = Vec::with_capacity(n);
        let (mut t, mut m) = (0i64, 0i128);
        let mut prev: Option<(Pos, i64, Decimal)> = None;
        for (k, ((dt, dm), own)) in self
            .time_deltas
            .iter()
            .zip(&self.price_deltas)
            .zip(own_scales)
            .enumerate()
        {
            let at = Pos::Item(k + 1);
            let bad = |what: &str| format!("its imported prices are damaged at {at}: {what}");
            t = t.checked_add(*dt).ok_or_else(|| bad("time out of range"))?;
            m = m
                .checked_add(*dm)
                .ok_or_else(|| bad("price out of range"))?;
            if !(TIME_RANGE.0..=TIME_RANGE.1).contains(&t) {
                return Err(bad("the time is outside the years 1900–2199"));
            }
            // Back to the close's own scale: the common-scale integer must end in as many zeros.
            let factor = 10i128.pow(self.scale - own);
            if m % factor != 0 {
                return Err(bad("a close has more digits than its scale"));
            }
            let close = Decimal::try_from_i128_with_scale(m / factor, own)
                .map_err(|_| bad("price out of range"))?;
            let close = check_price(close, at, "close").map_err(|e| bad(&e.to_string()))?;
            // The importer's message names the items and values (numbers this decoder made).
            check_next(prev, at, t, close)
                .map_err(|e| format!("its imported prices are refused: {e}"))?;
            prev = Some((at, t, close));
            times.push(t);
            closes.push(close);
        }
        PathFeed::new(vec![self.symbol.clone()], times, closes).map_err(|e| e.to_string())
    }
}
