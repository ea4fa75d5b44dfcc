#![allow(dead_code)] // each fuzz target uses one of the checks
//! What every input must satisfy at the three entry points a user can feed: the link decoder,
//! the session-file reader and the price import. Shared by the coverage-guided fuzz targets
//! (`fuzz/fuzz_targets/*.rs`) and the stable test that replays their committed corpus and runs
//! proptest-generated inputs (`tests/fuzz_corpus.rs`), so both check the same things.
//!
//! Each check panics on a violation: a panic inside the code under test, an accepted input that
//! breaks an invariant, or a refusal whose message is empty, too long or carries control
//! characters.

use margin_lab::engine::num::{MAX_PRICE, MIN_PRICE};
use margin_lab::feed::csv_import::{self, MAX_ROWS, MAX_STEP_RATIO};
use margin_lab::replay::file::SessionFile;
use margin_lab::replay::Shared;
use rust_decimal::Decimal;

/// What became of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    Refused,
}

/// A refusal's message: something to read, short, and safe to print in a terminal or a page.
pub fn assert_clear(message: &str) {
    assert!(!message.trim().is_empty(), "an empty message");
    assert!(
        !message.chars().any(margin_lab::text::is_unsafe),
        "control characters in {message:?}"
    );
    assert!(
        message.chars().count() <= 600,
        "a {}-character message",
        message.chars().count()
    );
}

/// A link (any text: a URL, a `#fragment`, bare link text). An accepted link re-encodes to a
/// link that decodes to the same session.
pub fn link(data: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(data);
    match Shared::from_link(&text) {
        Ok(shared) => {
            let again = Shared::from_link(&shared.to_link())
                .unwrap_or_else(|e| panic!("a decoded link does not re-encode: {e}"));
            assert_eq!(again, shared, "the re-encoded link differs");
            Outcome::Accepted
        }
        Err(e) => {
            assert_clear(&e.to_string());
            Outcome::Refused
        }
    }
}

/// A session file, read as the replay tool and the page read it; its link is then opened.
pub fn session_file(data: &[u8]) -> Outcome {
    let Ok(text) = std::str::from_utf8(data) else {
        return Outcome::Refused;
    };
    match SessionFile::parse(text) {
        Ok(file) => link(file.link.as_bytes()),
        Err(e) => {
            assert_clear(&e);
            Outcome::Refused
        }
    }
}

/// A price file (CSV or JSON). An accepted file is non-empty, within the row cap, sorted, in the
/// engine's price range, OHLC-consistent, without jumps over the step ratio, and becomes a feed.
pub fn import(data: &[u8]) -> Outcome {
    match csv_import::parse_bytes(data) {
        Ok(imported) => {
            let bars = &imported.bars;
            assert!(
                !bars.is_empty() && bars.len() <= MAX_ROWS,
                "{} bars",
                bars.len()
            );
            let r = Decimal::from(MAX_STEP_RATIO);
            for w in bars.windows(2) {
                assert!(w[0].time < w[1].time, "unsorted: {:?}", w);
                assert!(
                    w[1].close <= w[0].close * r && w[1].close * r >= w[0].close,
                    "a jump: {w:?}"
                );
            }
            for b in bars {
                for p in [b.open, b.high, b.low, b.close] {
                    assert!((MIN_PRICE..=MAX_PRICE).contains(&p), "price {p}");
                }
                assert!(b.low <= b.open && b.open <= b.high, "{b:?}");
                assert!(b.low <= b.close && b.close <= b.high, "{b:?}");
            }
            let n = bars.len();
            let feed = imported
                .into_feed("ETH")
                .unwrap_or_else(|e| panic!("an accepted file is not a feed: {e}"));
            assert_eq!(margin_lab::feed::PriceFeed::len(&feed), n);
            Outcome::Accepted
        }
        Err(e) => {
            assert_clear(&e.to_string());
            Outcome::Refused
        }
    }
}
