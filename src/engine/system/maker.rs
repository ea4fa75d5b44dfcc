//! Maker: vaults with one collateral type each and one debt asset (DAI).
//!
//! - SCD (sai): liquidation ratio 150%, penalty 13%; `bite` closes the whole debt, sells
//!   collateral worth debt × 1.13 and returns the rest (DOMAIN.md).
//! - MCD ETH-A (spells-mainnet `src/test/config.sol` L184): liquidation ratio **145%**, chop 13%;
//!   WBTC-A 145% / 13% (2022–24). Liquidations 2.0 (dss `clip.sol`, `abaci.sol`, `dog.sol`) with the
//!   parameters of the 2022-10-12 spell: buf 1.10, tail 7,200 s, cusp 0.45, a 1% cut every 90 s,
//!   keeper incentives tip 250 DAI + chip 0.1% of the tab per kick and redo, paid by the system.
//! - Oracle Security Module (`osm.sol` L74 `hop = ONE_HOUR`, `poke` L131-137): prices go live one
//!   hop after they are read, so the price in use is one to two hours old.
//! - Stability fees compound per second (`jug.drip`), here by the 3-term binomial.
//!
//! Margin Lab's figures: a 2% stability fee (the real fee is set by governance and has ranged from
//! 0% to 20%); keepers take an auction once its price is 2% under the market, with unlimited funds
//! unless a scenario limits them.

use super::build::{base, collateral_asset, fund, stablecoin, user};
use crate::engine::params::asset::{AssetClass, AssetParams};
use crate::engine::params::config::{CollateralDesign, Compounding, EngineConfig, LiquidationKind};
use crate::engine::params::{AuctionParams, PresetId, PriceDecay};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// ETH-A / WBTC-A clipper parameters since the 2022-10-12 spell.
pub fn auction_eth_a() -> AuctionParams {
    AuctionParams {
        buf: dec!(1.10),
        tail_secs: 7200,
        cusp: dec!(0.45),
        decay: PriceDecay::StairstepExponential {
            step_secs: 90,
            cut: dec!(0.99),
        },
        keeper_discount: dec!(0.02),
        keeper_capacity: None,
        tip: dec!(250),
        chip: dec!(0.001),
    }
}

fn vault_collateral(
    ticker: &str,
    class: AssetClass,
    price: Decimal,
    ratio: Decimal,
) -> AssetParams {
    let mut x = collateral_asset(
        ticker,
        class,
        price,
        Decimal::ZERO,
        Decimal::ZERO,
        dec!(0.13),
    );
    x.liquidation_ratio = ratio;
    x.liquidation_penalty = dec!(0.13);
    x.stability_fee = dec!(0.02);
    x
}

fn vaults(preset: PresetId, liquidation: LiquidationKind, eth_ratio: Decimal) -> EngineConfig {
    let mut c = base(
        preset,
        CollateralDesign::SingleCollateral,
        "DAI",
        liquidation,
    );
    c.compounding = Compounding::Binomial;
    let mut eth = vault_collateral("ETH", AssetClass::VolatileAlt, dec!(3000), eth_ratio);
    eth.market_depth = Some(dec!(50_000_000));
    let mut wbtc = vault_collateral("WBTC", AssetClass::WrappedBtc, dec!(60000), dec!(1.45));
    wbtc.decimals = 8;
    let mut dai = stablecoin("DAI");
    dai.decimals = 18;
    dai.borrowable = false;
    dai.liquidation_protocol_fee = Decimal::ZERO;
    c.assets = vec![dai, eth, wbtc];
    c.initial_accounts = vec![user(vec![fund("ETH", dec!(10)), fund("WBTC", dec!(1))])];
    c
}

/// Maker SCD: ETH vaults at 150%, bitten whole with a 13% penalty.
pub fn scd() -> EngineConfig {
    vaults(PresetId::MakerScd, LiquidationKind::Full, dec!(1.5))
}

/// Maker MCD: ETH-A at 145%, WBTC-A at 145%, Dutch auctions.
pub fn mcd() -> EngineConfig {
    vaults(
        PresetId::MakerMcd,
        LiquidationKind::DutchAuction(auction_eth_a()),
        dec!(1.45),
    )
}
