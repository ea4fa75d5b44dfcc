//! What the current rules give an asset that a feed prices but a preset does not list, and the
//! oracle each imitated system uses.
//!
//! Class templates (DOMAIN.md): crypto figures from the Aave v3 2023-10 snapshot (WETH 80.5% / 83%
//! / 5%, WBTC 73% / 78% / 5%, wstETH 78.5% / 81% / 6%, USDC 77% / 80% / 4.5%, DAI 77% / 80% / 5%,
//! USDT 74% / 76% / 4.5%); tokenized equities and indices on Reg T's 50% initial margin and FINRA
//! 4210's 25% maintenance (LTV 50%, LT 75%) with a 2% haircut for the token's oracle, liquidity
//! and redemption risk (Margin Lab's); tokenized T-bills with the Basel supervisory haircut for
//! sovereign bills up to a year (0.5%), LTV 90% / LT 93% (Margin Lab's). A volatile "ALT" gets
//! 40% / 50% / 10% (Margin Lab's). Liquidation protocol fees: 10% for WETH, WBTC and wstETH and
//! 20% for USDC (sourced); 10% for DAI, USDT and tokenized securities (Margin Lab's: DOMAIN.md gives
//! none). Under the Aave preset, tokenized securities are isolated collateral (see `aave_v3.rs`).

use super::aave_v3::{self, ISOLATED_DEBT_CEILING};
use super::build::{collateral_asset, stablecoin};
use super::perps;
use crate::engine::oracle::OracleSpec;
use crate::engine::params::asset::{AssetClass, AssetParams};
use crate::engine::params::PresetId;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Parameters for a feed asset `symbol` that `preset` does not list, starting at `price`.
pub fn class_template(preset: PresetId, symbol: &str, price: Decimal) -> AssetParams {
    if matches!(preset, PresetId::Broker | PresetId::BrokerPortfolio) {
        return super::broker::class_template(preset, symbol, price);
    }
    let perps = matches!(preset, PresetId::PerpExchange | PresetId::PerpSkew);
    let (class, ltv, lt, bonus, haircut, max_lev) = match symbol {
        "USDC" => return stablecoin(symbol),
        "DAI" => {
            let mut dai = stablecoin(symbol);
            dai.decimals = 18;
            dai.liquidation_bonus = dec!(0.05);
            dai.liquidation_penalty = dec!(0.05);
            dai.liquidation_protocol_fee = dec!(0.10);
            return dai;
        }
        "USDT" => {
            let mut usdt = stablecoin(symbol);
            usdt.ltv = dec!(0.74);
            usdt.liquidation_threshold = dec!(0.76);
            usdt.liquidation_protocol_fee = dec!(0.10);
            return usdt;
        }
        "LUSD" => return stablecoin(symbol),
        "ETH" => {
            let mut eth = aave_v3::weth(price);
            eth.borrowable = false;
            eth.emode_category = None;
            eth.market_depth = Some(dec!(20_000_000));
            return with_perp(eth, perps, preset, dec!(125));
        }
        "WBTC" | "BTC" => (
            AssetClass::WrappedBtc,
            dec!(0.73),
            dec!(0.78),
            dec!(0.05),
            Decimal::ZERO,
            dec!(125),
        ),
        "stETH" | "wstETH" => (
            AssetClass::StakedEth,
            dec!(0.785),
            dec!(0.81),
            dec!(0.06),
            Decimal::ZERO,
            dec!(25),
        ),
        "TBILL" => (
            AssetClass::TokenizedTBill,
            dec!(0.90),
            dec!(0.93),
            dec!(0.02),
            dec!(0.005),
            dec!(20),
        ),
        "ALT" => (
            AssetClass::VolatileAlt,
            dec!(0.40),
            dec!(0.50),
            dec!(0.10),
            Decimal::ZERO,
            dec!(10),
        ),
        _ => (
            AssetClass::TokenizedEquity,
            dec!(0.50),
            dec!(0.75),
            dec!(0.05),
            dec!(0.02),
            dec!(20),
        ),
    };
    let mut a = collateral_asset(symbol, class, price, ltv, lt, bonus);
    a.haircut = haircut;
    a.liquidation_penalty = bonus;
    a.market_depth = Some(dec!(20_000_000));
    if class != AssetClass::Stablecoin && class != AssetClass::VolatileAlt {
        a.liquidation_protocol_fee = dec!(0.10);
    }
    if preset == PresetId::AaveV3
        && matches!(
            class,
            AssetClass::TokenizedTBill | AssetClass::TokenizedEquity
        )
    {
        a.debt_ceiling = Some(ISOLATED_DEBT_CEILING);
    }
    with_perp(a, perps, preset, max_lev)
}

fn with_perp(mut a: AssetParams, perps: bool, preset: PresetId, max_lev: Decimal) -> AssetParams {
    if perps {
        a.perp = Some(perps::params_for(preset, max_lev));
    }
    a
}

/// The oracle each imitated system uses, for every asset of a session:
/// - Maker (SCD and MCD): the Oracle Security Module with its hourly pokes (prices 1–2 hours old);
/// - Aave v3, Compound III, Liquity v1: Chainlink-style feeds, ETH/USD updating on a 0.5% move or
///   hourly, stablecoins on a 0.25% move or daily;
/// - the perpetuals exchanges: a mark price, a 5-minute EMA of the index clamped to ±0.5%.
pub fn system_oracle(preset: PresetId, class: AssetClass) -> OracleSpec {
    let stable = class == AssetClass::Stablecoin;
    match preset {
        PresetId::MakerScd | PresetId::MakerMcd if !stable => OracleSpec::OsmHop { hop_secs: 3600 },
        PresetId::MakerScd | PresetId::MakerMcd | PresetId::Custom => OracleSpec::Instant,
        // A broker marks to the market's last price.
        PresetId::Broker | PresetId::BrokerPortfolio => OracleSpec::Instant,
        PresetId::PerpExchange | PresetId::PerpSkew if !stable => OracleSpec::Mark {
            smoothing_secs: 300,
            max_premium: dec!(0.005),
        },
        PresetId::PerpExchange | PresetId::PerpSkew => OracleSpec::Instant,
        _ if stable => OracleSpec::HeartbeatDeviation {
            heartbeat_secs: 86_400,
            deviation: dec!(0.0025),
        },
        _ => OracleSpec::HeartbeatDeviation {
            heartbeat_secs: 3600,
            deviation: dec!(0.005),
        },
    }
}
