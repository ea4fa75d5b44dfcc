//! One home per imitated system: what a preset *is* — its rules, assets, class templates for
//! assets it does not list, its oracle and how it switches design — under each version of Margin
//! Lab's rules.
//!
//! - Current rules ([`RulesVersion::V2026_12`]), one file per system, each citing its sources
//!   (DOMAIN.md): [`aave_v3`], [`compound_iii`], [`maker`] (SCD and MCD), [`liquity_v1`],
//!   [`perps`] (Binance-style and GMX/Synthetix-style); [`templates`] for feed assets a preset
//!   does not list and each system's oracle.
//! - The 2026-11 rules ([`RulesVersion::V2026_11`]) kept as data in [`rules_2026_11`], so links
//!   made under them replay bit for bit.
//! - [`setup`]: a scenario's choices + its feed's first prices → an [`EngineConfig`].

pub mod aave_v3;
pub mod broker;
pub mod build;
pub mod compound_iii;
pub mod liquity_v1;
pub mod maker;
pub mod perps;
pub mod rules_2026_11;
pub mod setup;
pub mod templates;

use super::params::{EngineConfig, PresetId, RulesVersion};

pub use setup::{market_prices, setup, system_oracle, translate, MarketPricer, SetupRequest};

impl PresetId {
    /// The presets offered to learners, in the picker's order.
    pub const ALL: [PresetId; 9] = [
        PresetId::AaveV3,
        PresetId::CompoundIII,
        PresetId::MakerScd,
        PresetId::MakerMcd,
        PresetId::LiquityV1,
        PresetId::PerpExchange,
        PresetId::PerpSkew,
        PresetId::Broker,
        PresetId::BrokerPortfolio,
    ];

    /// Whether `rules` define this preset (the 2026-11 rules predate the skew-funded perps).
    pub fn exists_in(self, rules: RulesVersion) -> bool {
        !(matches!(
            self,
            PresetId::PerpSkew | PresetId::Broker | PresetId::BrokerPortfolio
        ) && rules == RulesVersion::V2026_11)
    }

    /// Which real system the preset imitates.
    pub fn imitates(self) -> &'static str {
        match self {
            PresetId::AaveV3 => "Aave v3 (Ethereum market): pooled collateral, health factor, close factor 50%/100%",
            PresetId::CompoundIII => "Compound III (cUSDCv3): one borrowable base asset, protocol absorbs whole accounts",
            PresetId::MakerScd => "Maker SCD (ETH vaults): liquidation ratio 150%, penalty 13%, stability fee, whole vault sold at once",
            PresetId::MakerMcd => "Maker MCD (Liquidations 2.0): vaults sold by Dutch auction with buf, decay, tail and cusp",
            PresetId::LiquityV1 => "Liquity v1: minimum collateral ratio 110%, stability pool then redistribution",
            PresetId::PerpExchange => "A centralized perpetuals exchange (Binance/Bybit style): tiered maintenance margin, insurance fund, ADL",
            PresetId::PerpSkew => "Skew-funded perpetuals (GMX / Synthetix style): funding from the long/short imbalance, flat maintenance margin, no ADL",
            PresetId::Broker => "A US broker's margin account: Reg T 50% initial, FINRA 4210 25% maintenance plus a 5% house requirement, Basel haircuts on tokenized securities, margin calls with a 2-day deadline",
            PresetId::BrokerPortfolio => "A US broker's portfolio-margin account: the requirement is the worst loss over a ±15% stress grid (OCC TIMS-style), margin calls with a 2-day deadline",
            PresetId::Custom => "A custom scenario",
        }
    }

    /// When the preset's figures were taken from the imitated system, under `rules`.
    pub fn vintage(self, rules: RulesVersion) -> &'static str {
        if rules == RulesVersion::V2026_11 {
            return "illustrative figures of the 2026-11 rules";
        }
        match self {
            PresetId::AaveV3 => "as of 2023-10 (Ethereum market snapshot), v3.3 liquidation rules",
            PresetId::CompoundIII => "cUSDCv3 mainnet configuration",
            PresetId::MakerScd => "sai (SCD), retired in 2020",
            PresetId::MakerMcd => "ETH-A as of the 2022-10-12 spell",
            PresetId::LiquityV1 => "Liquity v1 as deployed (2021)",
            PresetId::PerpExchange => "Binance BTCUSDT brackets and funding formula",
            PresetId::PerpSkew => "a GMX / Synthetix-style model, not Binance's",
            PresetId::Broker | PresetId::BrokerPortfolio => {
                "Reg T and FINRA 4210 minimums; house figures are Margin Lab's"
            }
            PresetId::Custom => "a custom scenario",
        }
    }

    /// The preset's scenario under the current rules.
    pub fn config(self) -> EngineConfig {
        self.config_for(RulesVersion::CURRENT)
    }

    /// The preset's scenario under `rules`. Every preset has a lender or counterparty so the
    /// learner ([`AccountId::USER`](super::AccountId::USER)) can borrow or trade straight away.
    pub fn config_for(self, rules: RulesVersion) -> EngineConfig {
        match rules {
            RulesVersion::V2026_11 => rules_2026_11::config(self),
            RulesVersion::V2026_12 => match self {
                PresetId::AaveV3 => aave_v3::config(),
                PresetId::CompoundIII => compound_iii::config(),
                PresetId::MakerScd => maker::scd(),
                PresetId::MakerMcd => maker::mcd(),
                PresetId::LiquityV1 => liquity_v1::config(),
                PresetId::PerpSkew => perps::skew_exchange(),
                PresetId::Broker => broker::config(),
                PresetId::BrokerPortfolio => broker::portfolio(),
                PresetId::PerpExchange | PresetId::Custom => perps::exchange(),
            },
        }
    }
}
