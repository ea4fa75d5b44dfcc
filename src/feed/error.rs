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
