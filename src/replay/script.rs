//! The shareable description of a session: a [`Scenario`] (which feed, which seed, which system is
//! imitated, which collateral design) and the learner's [`Action`]s, each at the tick it was taken.
//!
//! A session is reproduced by re-applying the script (see [`super::session`]), so a link carries no
//! state, only intent. A link carries a [`Shared`]: the script plus the tick and event-log hash the
//! author saw. [`Shared::to_link`] / [`Shared::from_link`] wrap it in the versioned envelope of
//! [`super::codec`]; older payload versions are upgraded in [`Shared::from_payload`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::codec::{self, LinkError};
use crate::engine::{CollateralDesign, Command, LiquidationKind, PresetId};
use crate::feed::OracleSpec;

/// The newest payload version this build writes. Version history:
/// - 1: postcard [`Shared`] as defined here.
pub const SCRIPT_VERSION: u8 = 1;

/// Limits on what a script may ask for, checked before anything is built.
pub const MAX_ACTIONS: usize = 5_000;

/// Which prices, which rules, which design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// A bundled feed from [`crate::feed::catalogue`], by id.
    pub feed: String,
    /// Seed of the simulation (ignored by recorded feeds).
    pub seed: u64,
    /// The system the rules imitate.
    pub preset: PresetId,
    /// Single-collateral vaults or one multi-collateral account.
    pub design: CollateralDesign,
    /// The liquidation mechanism, when it differs from the preset's.
    pub liquidation: Option<LiquidationKind>,
    /// The oracle model of every non-stablecoin asset, when it differs from the imitated
    /// system's (see [`super::scenario::system_oracle`]).
    pub oracle: Option<OracleSpec>,
    /// Paper money the learner starts with, in the preset's debt asset (USDC, DAI, LUSD).
    #[serde(with = "rust_decimal::serde::str")]
    pub starting_cash: Decimal,
}

/// One learner action, applied right after the price step of `tick`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub tick: u32,
    pub command: Command,
}

/// Scenario + actions: everything needed to reproduce a session bit for bit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Script {
    pub scenario: Scenario,
    pub actions: Vec<Action>,
}

/// What a link carries: the script, the tick the author was looking at, and the event-log hash
/// they saw there, so the opener can check the replay ("replay verified").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    pub script: Script,
    pub tick: u32,
    pub log_hash: Option<[u8; 32]>,
}

impl Script {
    pub fn new(scenario: Scenario) -> Self {
        Self {
            scenario,
            actions: Vec::new(),
        }
    }

    /// Structural checks that need no engine: sizes, order, known feed. The engine and feed then
    /// validate every value when the script is replayed.
    pub fn check(&self) -> Result<(), LinkError> {
        let invalid = |m: String| Err(LinkError::Invalid(m));
        if self
            .scenario
            .feed
            .starts_with(super::scenario::IMPORTED_PREFIX)
        {
            return invalid("it uses imported prices, which a link cannot carry".into());
        }
        if crate::feed::catalogue::entry(&self.scenario.feed).is_none() {
            return invalid(format!(
                "it uses a scenario this version does not have (\"{}\")",
                truncate(&self.scenario.feed)
            ));
        }
        self.check_shape()
    }

    /// The checks that do not depend on where the prices come from.
    pub fn check_shape(&self) -> Result<(), LinkError> {
        let invalid = |m: String| Err(LinkError::Invalid(m));
        if self.actions.len() > MAX_ACTIONS {
            return invalid(format!(
                "it has {} actions; the limit is {MAX_ACTIONS}",
                self.actions.len()
            ));
        }
        if self.actions.windows(2).any(|w| w[0].tick > w[1].tick) {
            return invalid("its actions are not in time order".into());
        }
        if self.scenario.starting_cash.is_sign_negative()
            || self.scenario.starting_cash > Decimal::from(1_000_000_000_000u64)
        {
            return invalid(format!(
                "starting cash {} is out of range (0 to 1 trillion)",
                self.scenario.starting_cash
            ));
        }
        Ok(())
    }
}

impl Shared {
    /// The postcard payload of the newest version.
    pub fn to_payload(&self) -> Vec<u8> {
        // Serialising plain data into a Vec cannot fail; an empty payload would be refused on decode.
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// Reads a payload of any known version, upgrading older ones.
    pub fn from_payload(version: u8, payload: &[u8]) -> Result<Self, LinkError> {
        let shared: Shared = match version {
            1 => postcard::from_bytes(payload).map_err(|e| LinkError::Payload(payload_error(e)))?,
            found if found > SCRIPT_VERSION => {
                return Err(LinkError::NewerVersion {
                    found,
                    newest: SCRIPT_VERSION,
                })
            }
            found => return Err(LinkError::UnknownVersion { found }),
        };
        shared.script.check()?;
        if shared
            .script
            .actions
            .last()
            .is_some_and(|a| a.tick > shared.tick)
        {
            return Err(LinkError::Invalid(
                "it was shared before its own last action".into(),
            ));
        }
        Ok(shared)
    }

    /// The text after `#` in a share link.
    pub fn to_link(&self) -> String {
        format!("s={}", codec::encode(SCRIPT_VERSION, &self.to_payload()))
    }

    /// Opens a link (whole URL, `#fragment` or bare text).
    pub fn from_link(link: &str) -> Result<Self, LinkError> {
        let (version, payload) = codec::decode(link, SCRIPT_VERSION)?;
        Self::from_payload(version, &payload)
    }
}

/// `log_hash` hex text → the 32 bytes a link carries (`None` if it is not 64 hex digits).
pub fn hash_bytes(hex: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if hex.len() != 64 {
        return None;
    }
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// 32 bytes → lowercase hex.
pub fn hash_hex(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

fn payload_error(e: postcard::Error) -> String {
    match e {
        postcard::Error::DeserializeUnexpectedEnd => {
            "it ends before the session does (cut short?)".into()
        }
        _ => "its contents do not describe a session".into(),
    }
}
