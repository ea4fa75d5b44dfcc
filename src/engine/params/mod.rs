//! Parameters: the plain data an [`Engine`](super::Engine) is built from. Nothing here depends on
//! the engine's state or mechanisms, so every other module can import it without a cycle.
//!
//! - [`asset`]: per-asset risk parameters, asset classes, margin tiers, perp parameters;
//! - [`rate`]: interest-rate curves;
//! - [`auction`]: Dutch auction parameters;
//! - [`config`]: the scenario an engine runs ([`EngineConfig`]) and its mechanism choices;
//! - [`margin_call`]: a broker's margin-call terms (cure period, hard floor, sale fee);
//! - [`preset`]: which system is imitated ([`PresetId`]) under which rules ([`RulesVersion`]).

pub mod asset;
pub mod auction;
pub mod config;
pub mod margin_call;
pub mod preset;
pub mod rate;

pub use asset::{AssetClass, AssetParams, MarginTier, PerpParams};
pub use auction::{AuctionParams, PriceDecay};
pub use config::{CollateralDesign, EngineConfig, InitialAccount, LiquidationKind};
pub use margin_call::MarginCallParams;
pub use preset::{PresetId, RulesVersion};
pub use rate::RateModel;
