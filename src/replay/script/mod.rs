//! The shareable description of a session: a [`Scenario`] (which feed, which seed, which system is
//! imitated under which rules, which collateral design) and the learner's [`Action`]s, each at the
//! tick it was taken.
//!
//! A session is reproduced by re-applying the script (see [`super::session`]), so a link carries no
//! state, only intent. A link carries a [`Shared`]: the whole script, the tick the author was
//! looking at, and what the author saw there, for the opener to check. [`Shared::to_link`] /
//! [`Shared::from_link`] wrap it in the versioned envelope of [`super::codec`].
//!
//! Payload versions (each decoded by its own frozen schema, so later changes to the in-memory types
//! never break a published link):
//! - 1 ([`v1`]): the 2026-11 links. They replay under the 2026-11 rules; what they verify is the
//!   event-log hash at the author's tick (the scenario is not bound in).
//! - 2 (this module's types): the scenario names its [`RulesVersion`], and what is verified is a
//!   [`digest`] binding the whole script (rules, scenario, every action), the tick and the
//!   event-log hash there. The digest is mandatory.
//!
//! Every payload must be canonical: decoding and re-encoding it gives the same bytes, so trailing
//! bytes, non-canonical numbers (`+5`, `1_000`, fifty fraction digits) and flipped option tags are
//! refused.

pub mod imported;
pub mod v1;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::codec::{self, LinkError};
use crate::engine::population::{BufferParams, PopulationParams};
use crate::engine::{
    CollateralDesign, Command, LiquidationKind, OracleSpec, PresetId, RulesVersion,
};

/// The newest payload version this build writes (see the module docs for the history).
pub const SCRIPT_VERSION: u8 = 2;

/// Limits on what a script may ask for, checked before anything is built.
pub const MAX_ACTIONS: usize = 5_000;

/// Largest starting cash a scenario may ask for.
pub const MAX_STARTING_CASH: Decimal = rust_decimal_macros::dec!(1_000_000_000_000);

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
    /// system's (see [`crate::engine::system::system_oracle`]).
    pub oracle: Option<OracleSpec>,
    /// Paper money the learner starts with, in the preset's debt asset (USDC, DAI, LUSD).
    pub starting_cash: Decimal,
    /// The version of Margin Lab's rules the session runs under.
    pub rules: RulesVersion,
    /// Further choices, each at most once, in the order of [`ScenarioOption`]'s variants.
    pub options: Vec<ScenarioOption>,
}

/// Optional parts of a scenario. New kinds are appended at the end (older links stay readable).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ScenarioOption {
    /// The learner starts with cash only, not the preset's basket of tokens.
    CashOnly,
    /// A crowd of other borrowers, regenerated from the scenario's seed.
    Population(PopulationParams),
    /// A change to the preset's buffer (liquidation thresholds, bonuses, close factor, depth).
    Buffer(BufferParams),
    /// A rating downgrade of `notches` (1 to 4) hits the learner's credit tier right after the
    /// price step of `tick` (the session applies [`Command::RatingDowngrade`] there; it changes
    /// nothing for an account outside the credit tiers). Current rules only.
    RatingDowngrade { tick: u32, notches: u8 },
    /// The user's imported prices, for a scenario whose feed is
    /// [`IMPORTED_PREFIX`](super::scenario::IMPORTED_PREFIX)`<file name>`: the link (or session
    /// file) carries them, validated like an import when it is opened and bound into the
    /// payload-2 digest with the rest of the script.
    ImportedPrices(imported::ImportedSeries),
}

impl ScenarioOption {
    fn rank(&self) -> u32 {
        match self {
            ScenarioOption::CashOnly => 0,
            ScenarioOption::Population(_) => 1,
            ScenarioOption::Buffer(_) => 2,
            ScenarioOption::RatingDowngrade { .. } => 3,
            ScenarioOption::ImportedPrices(_) => 4,
        }
    }
}

impl Scenario {
    /// A scenario on `feed` under `preset`'s own design and the current rules, seed 0, starting
    /// with 10,000 in the preset's debt asset.
    pub fn new(feed: &str, preset: PresetId) -> Self {
        Self {
            feed: feed.to_string(),
            seed: 0,
            preset,
            design: preset.config().design,
            liquidation: None,
            oracle: None,
            starting_cash: Decimal::from(10_000),
            rules: RulesVersion::CURRENT,
            options: Vec::new(),
        }
    }

    /// Commands the scenario itself applies to the learner right after the price step of
    /// `tick` (a scripted rating downgrade), in option order.
    pub fn scripted_commands(&self, tick: u32) -> Vec<Command> {
        self.options
            .iter()
            .filter_map(|o| match o {
                ScenarioOption::RatingDowngrade { tick: t, notches } if *t == tick => {
                    Some(Command::RatingDowngrade { notches: *notches })
                }
                _ => None,
            })
            .collect()
    }

    /// Whether an option is set.
    pub fn has(&self, option: &ScenarioOption) -> bool {
        self.options.iter().any(|o| o.rank() == option.rank())
    }

    /// Sets (or replaces) an option, keeping the options in order.
    pub fn set(&mut self, option: ScenarioOption) {
        self.options.retain(|o| o.rank() != option.rank());
        self.options.push(option);
        self.options.sort_by_key(ScenarioOption::rank);
    }

    /// The crowd, if any.
    pub fn population(&self) -> Option<&PopulationParams> {
        self.options.iter().find_map(|o| match o {
            ScenarioOption::Population(p) => Some(p),
            _ => None,
        })
    }

    /// The buffer change, if any.
    pub fn buffer(&self) -> Option<&BufferParams> {
        self.options.iter().find_map(|o| match o {
            ScenarioOption::Buffer(b) => Some(b),
            _ => None,
        })
    }

    /// The imported prices the scenario carries, if any.
    pub fn imported_prices(&self) -> Option<&imported::ImportedSeries> {
        self.options.iter().find_map(|o| match o {
            ScenarioOption::ImportedPrices(series) => Some(series),
            _ => None,
        })
    }

    /// Carries `series` as the scenario's prices (replacing any it carried), keeping the options
    /// in rank order.
    pub fn carry_prices(&mut self, series: imported::ImportedSeries) {
        self.options
            .retain(|o| !matches!(o, ScenarioOption::ImportedPrices(_)));
        self.options.push(ScenarioOption::ImportedPrices(series));
        self.options.sort_by_key(ScenarioOption::rank);
    }
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

/// What the opener of a link checks the replay against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Payload 1: the event-log hash at the author's tick (if the author's build sent one).
    LogHash(Option<[u8; 32]>),
    /// Payload 2: the [`digest`] of the script, the tick and the event-log hash there.
    Digest([u8; 32]),
}

/// What a link carries: the whole script (actions after the tick included: the timeline the
/// author had), the tick the author was looking at, and what they saw there.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    pub script: Script,
    pub tick: u32,
    pub check: Check,
    /// The payload version it was read from (or will be written as).
    pub version: u8,
}

/// The payload-2 wire form of [`Shared`].
#[derive(Serialize, Deserialize)]
struct SharedV2 {
    script: Script,
    tick: u32,
    digest: [u8; 32],
}

/// What a payload-2 link verifies: `SHA-256("margin-lab/replay/v2" ‖ postcard(script) ‖ tick
/// (u32, little-endian) ‖ event-log hash)`. Changing any part of the scenario (its rules, design,
/// mechanism, oracle, seed, cash), any action, the tick or the log changes it.
pub fn digest(script: &Script, tick: u32, log_hash: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"margin-lab/replay/v2");
    h.update(postcard::to_allocvec(script).unwrap_or_default());
    h.update(tick.to_le_bytes());
    h.update(log_hash);
    h.finalize().into()
}

impl Script {
    pub fn new(scenario: Scenario) -> Self {
        Self {
            scenario,
            actions: Vec::new(),
        }
    }

    /// Checks that need no engine: a known feed (or imported prices the scenario carries), then
    /// [`Script::check_shape`]. The engine and feed then validate every value when the script is
    /// replayed.
    pub fn check(&self) -> Result<(), LinkError> {
        let invalid = |m: String| Err(LinkError::Invalid(m));
        let imported_feed = self
            .scenario
            .feed
            .starts_with(super::scenario::IMPORTED_PREFIX);
        match (imported_feed, self.scenario.imported_prices()) {
            (true, None) => {
                return invalid("it uses imported prices that it does not carry".into());
            }
            (false, Some(_)) => {
                return invalid(
                    "it carries imported prices for a scenario that does not use them".into(),
                );
            }
            (true, Some(_)) => {}
            (false, None) => {
                if crate::feed::catalogue::entry(&self.scenario.feed).is_none() {
                    return invalid(format!(
                        "it uses a scenario this version does not have (\"{}\")",
                        crate::text::echo(&self.scenario.feed)
                    ));
                }
            }
        }
        self.check_shape()
    }

    /// The checks that do not depend on where the prices come from: sizes, order, ranges, and the
    /// same validation the picker applies to what a user chooses (oracle and auction parameters,
    /// presets of the rules version).
    pub fn check_shape(&self) -> Result<(), LinkError> {
        let invalid = |m: String| Err(LinkError::Invalid(m));
        let s = &self.scenario;
        if self.actions.len() > MAX_ACTIONS {
            return invalid(format!(
                "it has {} actions; the limit is {MAX_ACTIONS}",
                self.actions.len()
            ));
        }
        if self.actions.windows(2).any(|w| w[0].tick > w[1].tick) {
            return invalid("its actions are not in time order".into());
        }
        if s.starting_cash.is_sign_negative() || s.starting_cash > MAX_STARTING_CASH {
            return invalid(format!(
                "starting cash {} is out of range (0 to 1 trillion)",
                crate::text::echo(&s.starting_cash.to_string())
            ));
        }
        if !s.preset.exists_in(s.rules) || s.preset == PresetId::Custom {
            return invalid(format!(
                "it asks for a preset the {} rules do not have",
                s.rules.label()
            ));
        }
        if let Some(spec) = &s.oracle {
            spec.validate()
                .map_err(|e| LinkError::Invalid(format!("its {e}")))?;
        }
        if let Some(LiquidationKind::DutchAuction(p)) = &s.liquidation {
            p.validate()
                .map_err(|e| LinkError::Invalid(format!("its auction {e}")))?;
        }
        if s.options.windows(2).any(|w| w[0].rank() >= w[1].rank()) {
            return invalid("its options are repeated or out of order".into());
        }
        for o in &s.options {
            match o {
                ScenarioOption::Population(p) => p.validate().map_err(LinkError::Invalid)?,
                ScenarioOption::Buffer(b) => b.validate().map_err(LinkError::Invalid)?,
                ScenarioOption::CashOnly
                | ScenarioOption::RatingDowngrade { .. }
                | ScenarioOption::ImportedPrices(_) => {}
            }
        }
        let current = s.rules != RulesVersion::V2026_11;
        for o in &s.options {
            if let ScenarioOption::RatingDowngrade { notches, .. } = o {
                if !current || !(1..=4).contains(notches) {
                    return invalid(
                        "its rating downgrade needs the current rules and 1 to 4 notches".into(),
                    );
                }
            }
        }
        if let Some(LiquidationKind::MarginCall(p)) = &s.liquidation {
            if !current {
                return invalid(format!(
                    "it asks for a broker's margin call, which the {} rules do not have",
                    s.rules.label()
                ));
            }
            p.validate()
                .map_err(|e| LinkError::Invalid(format!("its margin call {e}")))?;
        }
        if let Some(series) = s.imported_prices() {
            series.to_feed().map_err(LinkError::Invalid)?;
        }
        Ok(())
    }
}

impl Shared {
    /// A payload-2 share of `script` at `tick`, where the event log's hash is `log_hash` (hex).
    pub fn new(script: Script, tick: u32, log_hash: &str) -> Self {
        let log = hash_bytes(log_hash).unwrap_or([0; 32]);
        let check = Check::Digest(digest(&script, tick, &log));
        Self {
            script,
            tick,
            check,
            version: SCRIPT_VERSION,
        }
    }

    /// Whether the replay's event-log hash (hex) at the tick matches what the author saw;
    /// `None` when a payload-1 link carried no hash.
    pub fn verifies(&self, log_hash: &str) -> Option<bool> {
        let log = hash_bytes(log_hash)?;
        match self.check {
            Check::LogHash(None) => None,
            Check::LogHash(Some(h)) => Some(h == log),
            Check::Digest(d) => Some(d == digest(&self.script, self.tick, &log)),
        }
    }

    /// The postcard payload of its version.
    pub fn to_payload(&self) -> Vec<u8> {
        // Serialising plain data into a Vec cannot fail; an empty payload would be refused on decode.
        match (self.version, self.check) {
            (1, Check::LogHash(h)) => v1::encode(&self.script, self.tick, h).unwrap_or_default(),
            (_, Check::Digest(digest)) => postcard::to_allocvec(&SharedV2 {
                script: self.script.clone(),
                tick: self.tick,
                digest,
            })
            .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Reads a payload of any known version; it must be canonical (see the module docs).
    pub fn from_payload(version: u8, payload: &[u8]) -> Result<Self, LinkError> {
        let shared = match version {
            1 => {
                let (script, tick, hash) = v1::decode(payload)?;
                Shared {
                    script,
                    tick,
                    check: Check::LogHash(hash),
                    version: 1,
                }
            }
            2 => {
                let wire: SharedV2 = postcard::from_bytes(payload)
                    .map_err(|e| LinkError::Payload(payload_error(e)))?;
                Shared {
                    script: wire.script,
                    tick: wire.tick,
                    check: Check::Digest(wire.digest),
                    version: 2,
                }
            }
            found if found > SCRIPT_VERSION => {
                return Err(LinkError::NewerVersion {
                    found,
                    newest: SCRIPT_VERSION,
                })
            }
            found => return Err(LinkError::UnknownVersion { found }),
        };
        if shared.to_payload() != payload {
            return Err(LinkError::Payload(
                "its contents are not written the way Margin Lab writes them (extra bytes or \
                 altered numbers)"
                    .into(),
            ));
        }
        shared.script.check()?;
        Ok(shared)
    }

    /// The text after `#` in a share link.
    pub fn to_link(&self) -> String {
        format!("s={}", codec::encode(self.version, &self.to_payload()))
    }

    /// Opens a link (whole URL, `#fragment` or bare text).
    pub fn from_link(link: &str) -> Result<Self, LinkError> {
        let (version, payload) = codec::decode(link, SCRIPT_VERSION)?;
        Self::from_payload(version, &payload)
    }

    /// Opens the link of a session file or a saved session, which may be longer than a pasted
    /// link (it can carry a whole price import; see [`codec::FILE_LIMITS`]).
    pub fn from_file_link(link: &str) -> Result<Self, LinkError> {
        let (version, payload) = codec::decode_with(link, SCRIPT_VERSION, codec::FILE_LIMITS)?;
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

pub(crate) fn payload_error(e: postcard::Error) -> String {
    match e {
        postcard::Error::DeserializeUnexpectedEnd => {
            "it ends before the session does (cut short?)".into()
        }
        _ => "its contents do not describe a session".into(),
    }
}
