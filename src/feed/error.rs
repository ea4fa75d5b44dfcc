//! Errors of the feed module: bad parameters and impossible requests.

use thiserror::Error;

// User strings (a symbol typed in the picker, an asset named by a link) are quoted through
// `echo`: control characters escaped, long strings cut.
use crate::text::echo;

/// Why a feed could not be built, resampled or sought.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum FeedError {
    /// A model parameter is zero, negative, not finite or outside its sane range.
    #[error("{param}: {} — {rule}", echo(value))]
    BadParam {
        param: String,
        value: String,
        rule: &'static str,
    },
    /// The requested path would be too long to hold in memory.
    #[error("{ticks} ticks × {assets} assets is more than the limit of {max} prices")]
    TooLarge { ticks: u64, assets: usize, max: u64 },
    /// A shock or oracle override names an asset the feed does not have.
    #[error("unknown asset {}", echo(.0))]
    UnknownAsset(String),
    /// The correlation matrix is not a valid (symmetric, positive definite) correlation matrix.
    #[error("correlation matrix: {0}")]
    Correlation(String),
    /// A bundled dataset failed to load (a bug in the bundle, reported rather than panicking).
    #[error("bundled dataset {id}: {msg}")]
    Bundled { id: &'static str, msg: String },
    /// No catalogue entry has this id.
    #[error("unknown scenario feed \"{}\"", echo(.0))]
    UnknownScenario(String),
    /// A recorded range selected no data.
    #[error("the selected range holds no data")]
    EmptyRange,
    /// A recorded dataset's bytes do not have the SHA-256 this build expects: the file served
    /// was changed or damaged, so nothing was read from it.
    #[error(
        "the recorded prices in {path} are not the ones this version of Margin Lab was made with \
         (their SHA-256 is {}…, expected {}…), so they were not used: the file was changed or \
         damaged on the way. Reload the page; if it happens again, the site serves a wrong file",
        &found[..found.len().min(12)],
        &expected[..expected.len().min(12)]
    )]
    Tampered {
        path: &'static str,
        expected: &'static str,
        found: String,
    },
    /// A recorded dataset the page has not fetched yet (browser only).
    #[error("the recorded prices ({title}) are not loaded yet")]
    NotLoaded { title: &'static str },
}

impl FeedError {
    pub(crate) fn bad(param: impl Into<String>, value: impl ToString, rule: &'static str) -> Self {
        FeedError::BadParam {
            param: param.into(),
            value: value.to_string(),
            rule,
        }
    }
}
