//! The collateral-and-liquidation engine: pure Rust, deterministic, money in `rust_decimal::Decimal`.
//! No clock, randomness or web imports: time and prices come in as inputs. Formulas follow
//! `shared/DOMAIN.md`; each file's doc comment cites the rule it models.
//!
//! # API
//!
//! ```
//! use margin_lab::engine::{Engine, PresetId, Command, AccountId, AssetId};
//! use rust_decimal_macros::dec;
//! use std::collections::BTreeMap;
//!
//! let mut engine = Engine::new(PresetId::AaveV3.config()).unwrap();
//! let me = AccountId::USER;
//! engine.apply(me, Command::Deposit { asset: AssetId::new("ETH"), amount: dec!(10) }).unwrap();
//! // What would borrowing do? (nothing changes)
//! let after = engine.preview(me, &Command::Borrow { asset: AssetId::new("USDC"), amount: dec!(12000) }).unwrap();
//! assert_eq!(after.health_factor, Some(dec!(2.075))); // 10 × 3,000 × 83% / 12,000
//! engine.apply(me, Command::Borrow { asset: AssetId::new("USDC"), amount: dec!(12000) }).unwrap();
//! // A rejected command explains itself and changes nothing.
//! let err = engine.apply(me, Command::Borrow { asset: AssetId::new("USDC"), amount: dec!(20000) }).unwrap_err();
//! assert!(err.to_string().contains("above your borrow limit"));
//! // Time passes; ETH falls 45%: interest accrues, the oracle updates, liquidations run.
//! let prices = BTreeMap::from([(AssetId::new("ETH"), dec!(1650))]);
//! let events = engine.step(3600, &prices).unwrap();
//! assert!(!events.is_empty());
//! println!("{}", engine.log_hash());
//! ```
//!
//! - Build: [`Engine::new`] from a serializable [`EngineConfig`] ([`PresetId::config`] gives the
//!   presets: Aave v3-, Compound III-, Maker-, Liquity-like and a perps exchange), with
//!   [`CollateralDesign`] (single-collateral vaults or multi-collateral accounts) and
//!   [`LiquidationKind`].
//! - Act: [`Engine::apply`]`(account, `[`Command`]`) -> Result<Vec<`[`Event`]`>, `[`Rejection`]`>`.
//!   A rejection's `Display` is a plain-English reason; the state is unchanged.
//! - Time: [`Engine::step`]`(now_secs, &market_prices)`: interest (kinked rate by utilization) and
//!   stability fees, perp funding, oracle model, liquidation checks via the liquidation-price index,
//!   market impact of liquidation sales (cascades), alerts.
//! - Audit: [`Engine::events`] (append-only, numbered, timed), [`Engine::log_hash`] (hex SHA-256 chain
//!   over postcard-encoded events; identical natively and in wasm).
//! - Read: [`Engine::account_metrics`], [`Engine::system_metrics`], [`Engine::oracle_prices`],
//!   [`Engine::market_prices`]; what-ifs: [`Engine::preview`], [`Engine::metrics_with_price_shock`].
//! - Laws (property-tested): [`Engine::conservation_residual`] is zero up to dust; a liquidation
//!   leaves the account healthier or empty; rejected commands change nothing; same inputs, same hash.
//!
//! # Modelling choices and what is not modelled
//!
//! - Collateral is valued at the oracle price after a per-asset haircut (presets imitating Aave,
//!   Compound, Maker and Liquity set it to 0); the oracle model comes from `feed::oracle`.
//! - Liquidators are external keepers with unlimited funds; their net proceeds are tracked per
//!   asset. They receive seized collateral out of pool cash; if the collateral asset is lent out so
//!   far that cash is short, the pool's available liquidity goes negative (Aave would hand over
//!   aTokens instead).
//! - Full liquidation (Compound III / Maker SCD) sells the collateral at the oracle price and sends
//!   the penalty to reserves; Compound's store-front discount for buyers is not modelled.
//! - Perps trade against a counterparty pool at the mark (oracle) price; isolated positions are
//!   closed whole when liquidated, cross books position by position.
//! - Not modelled: Aave isolation mode and e-mode, Aave's protocol fee on the liquidation bonus,
//!   Liquity recovery mode and borrowing fee, rounding of amounts to token decimals (decimals are
//!   informational). Credit tiers are Margin Lab's own score (`risk::credit`), not any real
//!   system's.
//!
//! # Source map
//!
//! `ids` (AssetId, AccountId) · `asset` (risk parameters, asset classes, margin tiers) · `preset`
//! (named systems) · `config` · `command` · `event` (log + hash) · `error` · `account` · `state`
//! (pools, oracle, ledger) · `rate` (kinked model) · `health` (HF, borrow limit, vault CR) · `margin`
//! (perps) · `metrics` · `actions` (command handlers) · `step` (time step) · `index` (liquidation-price
//! index) · `slippage` · `liquidation/{partial, full, dutch_auction, stability_pool, perp,
//! margin_call}` · `num` (bounds, checked maths) · `risk/{var, stats, stress, reverse, credit,
//! report}` (the risk desk: the engine run on copies of itself; credit tiers).

pub mod account;
mod actions;
pub mod asset_map;
pub mod command;
mod core;
pub mod error;
pub mod event;
pub mod explain;
pub mod health;
pub mod ids;
pub mod index;
pub mod liquidation;
pub mod margin;
pub mod market;
pub mod metrics;
pub mod num;
pub mod oracle;
pub mod orders;
pub mod params;
pub mod population;
pub mod risk;
pub mod slippage;
pub mod state;
mod step;
pub mod system;

pub use account::{Account, Position, Vault};
pub use command::{AlertKind, Command, MarginMode, Side};
pub use core::{Checkpoint, Engine, StepStats};
pub use error::{EngineError, Rejection};
pub use event::{hash_events, AssetAmount, Event, EventKind, LendingAction, PriceObservation};
pub use health::CollateralLine;
pub use ids::{AccountId, AssetId};
pub use metrics::{
    AccountMetrics, AssetLiquidationPrice, AssetMetrics, IsolationStatus, PositionMetrics,
    RecoveryStatus, SystemMetrics, VaultMetrics,
};
pub use oracle::{Oracle, OracleReading, OracleSpec};
pub use params::{
    AssetClass, AssetParams, AuctionParams, CollateralDesign, EngineConfig, InitialAccount,
    LiquidationKind, MarginCallParams, MarginTier, PerpParams, PresetId, PriceDecay, RateModel,
    RulesVersion,
};
