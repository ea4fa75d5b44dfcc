//! Perpetual futures exchanges.
//!
//! **Binance USDⓈ-M style** ([`exchange`], DOMAIN.md):
//! - Maintenance margin = notional × MMR − maintenance amount, tier by notional (BTCUSDT):
//!   ≤ 50k: 0.40%, 0; ≤ 250k: 0.50%, 50; ≤ 1M: 1.00%, 1,300; ≤ 10M: 2.50%, 16,300; then 5%, 10%,
//!   12.5%, 15%, 25% and 50% up to 500M, the amounts following by continuity (266,300 at 5%, …).
//!   So at 500k notional the requirement is 500,000 × 1% − 1,300 = 3,700 USDT.
//!   Tier boundaries above 10M (20M, 50M, 100M, 200M, 300M, 500M) and the leverage caps per tier
//!   (125×, 100×, 50×, 20×, 10×, 5×, 4×, 3×, 2×, 1×) are Binance's published BTCUSDT brackets;
//!   DOMAIN.md lists the rates.
//! - Isolated liquidation price `(wallet + amount − side × q × entry) / (q × MMR − side × q)`.
//! - Liquidation on the mark price, liquidation fee 1.25% of notional to the insurance fund, then
//!   auto-deleveraging when the fund is empty.
//! - Funding every 8 h: `premium + clamp(0.01% − premium, ±0.05%)`, capped (longs pay shorts
//!   when positive, so longs pay 0.01% at zero premium).
//!
//! **GMX / Synthetix style** ([`skew_exchange`]): funding from the open-interest skew
//! (`premium + 0.05% × skew` per 8 h), one flat 1% maintenance rate, up to 50×, no ADL (losses
//! beyond the insurance fund are bad debt). Labelled as such in the app: not Binance's rules.
//!
//! Margin Lab's figures: the funding cap of 0.75% per interval; ETH uses BTCUSDT's brackets.

use super::build::{base, collateral_asset, fund, stablecoin, user};
use crate::engine::params::asset::{AssetClass, FundingModel, MarginTier, PerpParams};
use crate::engine::params::config::{CollateralDesign, EngineConfig, LiquidationKind};
use crate::engine::params::PresetId;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Binance BTCUSDT brackets: `(up to, MMR, maintenance amount, max leverage)`.
const BRACKETS: [(Option<i64>, Decimal, i64, i64); 10] = [
    (Some(50_000), dec!(0.004), 0, 125),
    (Some(250_000), dec!(0.005), 50, 100),
    (Some(1_000_000), dec!(0.01), 1_300, 50),
    (Some(10_000_000), dec!(0.025), 16_300, 20),
    (Some(20_000_000), dec!(0.05), 266_300, 10),
    (Some(50_000_000), dec!(0.10), 1_266_300, 5),
    (Some(100_000_000), dec!(0.125), 2_516_300, 4),
    (Some(200_000_000), dec!(0.15), 5_016_300, 3),
    (Some(300_000_000), dec!(0.25), 25_016_300, 2),
    (Some(500_000_000), dec!(0.50), 100_016_300, 1),
];

/// The tier table of [`BRACKETS`] (the last tier also takes anything above 500M).
pub fn binance_tiers() -> Vec<MarginTier> {
    let last = BRACKETS.len() - 1;
    BRACKETS
        .iter()
        .enumerate()
        .map(|(i, (up_to, rate, amount, lev))| MarginTier {
            up_to: if i == last {
                None
            } else {
                up_to.map(Decimal::from)
            },
            maintenance_rate: *rate,
            maintenance_amount: Decimal::from(*amount),
            max_leverage: Some(Decimal::from(*lev)),
        })
        .collect()
}

fn binance_params() -> PerpParams {
    PerpParams {
        max_leverage: dec!(125),
        tiers: binance_tiers(),
        liquidation_fee: dec!(0.0125),
        funding_interval_secs: 8 * 3600,
        funding: FundingModel::Binance {
            interest: dec!(0.0001),
            clamp: dec!(0.0005),
        },
        funding_cap: dec!(0.0075),
    }
}

fn skew_params() -> PerpParams {
    PerpParams {
        max_leverage: dec!(50),
        tiers: vec![MarginTier {
            up_to: None,
            maintenance_rate: dec!(0.01),
            maintenance_amount: Decimal::ZERO,
            max_leverage: None,
        }],
        liquidation_fee: dec!(0.0125),
        funding_interval_secs: 8 * 3600,
        funding: FundingModel::Skew {
            coefficient: dec!(0.0005),
        },
        funding_cap: dec!(0.0075),
    }
}

/// The perp parameters a feed asset gets under a perps preset (class templates).
pub fn params_for(preset: PresetId, max_leverage: Decimal) -> PerpParams {
    let mut p = match preset {
        PresetId::PerpSkew => skew_params(),
        _ => binance_params(),
    };
    p.max_leverage = p.max_leverage.min(max_leverage);
    p
}

fn perps(preset: PresetId, params: PerpParams, adl: bool) -> EngineConfig {
    let mut c = base(
        preset,
        CollateralDesign::MultiCollateral,
        "USDC",
        LiquidationKind::Partial,
    );
    let zero = Decimal::ZERO;
    let mut btc = collateral_asset("BTC", AssetClass::WrappedBtc, dec!(60000), zero, zero, zero);
    btc.perp = Some(params.clone());
    btc.market_depth = Some(dec!(100_000_000));
    let mut eth = collateral_asset("ETH", AssetClass::VolatileAlt, dec!(3000), zero, zero, zero);
    eth.perp = Some(params);
    eth.market_depth = Some(dec!(50_000_000));
    c.assets = vec![stablecoin("USDC"), btc, eth];
    c.insurance_fund = dec!(1_000_000);
    c.counterparty_pool = dec!(50_000_000);
    c.auto_deleveraging = adl;
    c.initial_accounts = vec![user(vec![fund("USDC", dec!(10_000))])];
    c
}

/// Binance-style: BTC and ETH perps settled in USDC, isolated or cross margin.
pub fn exchange() -> EngineConfig {
    perps(PresetId::PerpExchange, binance_params(), true)
}

/// GMX / Synthetix-style skew funding.
pub fn skew_exchange() -> EngineConfig {
    perps(PresetId::PerpSkew, skew_params(), false)
}
