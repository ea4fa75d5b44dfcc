//! Sessions as scenario + seed + action log, and their versioned link codec.
//!
//! - [`script`]: what a link carries ([`Scenario`] + [`Action`]s) and its payload versions.
//! - [`codec`]: the envelope (version byte, optional deflate, base64url) and its caps.
//! - [`scenario`]: a scenario → engine configuration + feed.
//! - [`session`]: replaying a script tick by tick; scrubbing; the series the charts draw.
//! - [`sweep`]: the same script on many seeds of its scenario, next to it without its automation.

pub mod codec;
pub mod compare;
pub mod file;
pub mod risk;
pub mod scenario;
pub mod script;
pub mod session;
pub mod sweep;

pub use codec::LinkError;
pub use script::{Action, Scenario, Script, Shared, SCRIPT_VERSION};
pub use session::{Advance, Session, Verification};
