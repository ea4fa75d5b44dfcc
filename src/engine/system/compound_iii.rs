//! Compound III (cUSDCv3, Ethereum): one borrowable base asset (USDC); collateral only backs it.
//!
//! From `deployments/mainnet/usdc/configuration.json` and `Comet.sol` (DOMAIN.md):
//! - WETH borrowCF 82.5% (the LTV: borrowing and withdrawing, `isBorrowCollateralized` L524),
//!   liquidateCF 89.5% (the liquidation threshold, `isLiquidatable` L566), liquidationFactor 95%
//!   (a 5% penalty); WBTC 70% / 77% / 95%.
//! - `absorb` (L1183-1240): the protocol takes every collateral, credits value × liquidationFactor
//!   against the debt; a surplus becomes the owner's (here: paid to the wallet), a shortfall is bad
//!   debt absorbed by reserves.
//! - Store front (`buyCollateral` L1250, `quoteCollateral` L1274-1284): while reserves are below
//!   target, buyers pay `price × (1 − 0.5 × (1 − liquidationFactor))`, a 2.5% discount, and the
//!   protocol keeps the other 2.5%; at or above target it keeps the collateral.
//! - Rates (`getBorrowRate` L464, not divided by the kink): borrow 1.5% + 3.5% × U below the 80%
//!   kink, + 25% × (U − 0.8) above; supply 0 + 3.25% × U, + 40% above; no reserve factor.
//!
//! Margin Lab's figures: target reserves 5,000,000 USDC; the surplus of an absorb is paid to the
//! wallet rather than kept as a base supply balance; interest accrues linearly per step as
//! Comet's `accrueInternal` does per accrual.

use super::build::{base, collateral_asset, fund, pool_lender, stablecoin, user};
use crate::engine::ids::AccountId;
use crate::engine::params::asset::{AssetClass, AssetParams};
use crate::engine::params::config::{CollateralDesign, EngineConfig, LiquidationKind, StoreFront};
use crate::engine::params::rate::{CometCurve, RateModel};
use crate::engine::params::PresetId;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Compound III's borrow and supply curves for the USDC base asset.
pub fn usdc_rates() -> RateModel {
    RateModel::Comet {
        kink: dec!(0.8),
        borrow: CometCurve {
            base: dec!(0.015),
            low: dec!(0.035),
            high: dec!(0.25),
        },
        supply: CometCurve {
            base: Decimal::ZERO,
            low: dec!(0.0325),
            high: dec!(0.40),
        },
    }
}

/// USDC as the base asset: borrowable, not collateral.
pub fn usdc() -> AssetParams {
    let mut usdc = stablecoin("USDC");
    usdc.ltv = Decimal::ZERO;
    usdc.liquidation_threshold = Decimal::ZERO;
    usdc.liquidation_protocol_fee = Decimal::ZERO;
    usdc.rate = usdc_rates();
    usdc.reserve_factor = Decimal::ZERO;
    usdc
}

pub fn config() -> EngineConfig {
    let mut c = base(
        PresetId::CompoundIII,
        CollateralDesign::MultiCollateral,
        "USDC",
        LiquidationKind::Full,
    );
    let mut eth = collateral_asset(
        "ETH",
        AssetClass::VolatileAlt,
        dec!(3000),
        dec!(0.825),
        dec!(0.895),
        dec!(0.05),
    );
    eth.market_depth = Some(dec!(50_000_000));
    let mut wbtc = collateral_asset(
        "WBTC",
        AssetClass::WrappedBtc,
        dec!(60000),
        dec!(0.70),
        dec!(0.77),
        dec!(0.05),
    );
    wbtc.decimals = 8;
    wbtc.market_depth = Some(dec!(30_000_000));
    c.assets = vec![usdc(), eth, wbtc];
    c.store_front = Some(StoreFront {
        store_front_price_factor: dec!(0.5),
        target_reserves: dec!(5_000_000),
    });
    c.initial_accounts = vec![
        pool_lender(AccountId(1), "USDC", dec!(10_000_000)),
        user(vec![
            fund("USDC", dec!(10_000)),
            fund("ETH", dec!(10)),
            fund("WBTC", dec!(1)),
        ]),
    ];
    c
}
