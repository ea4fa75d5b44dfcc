//! Aave v3, Ethereum market: pooled multi-collateral accounts, health factor, partial liquidation.
//!
//! Figures as of the 2023-10 configuration snapshot (DOMAIN.md, bgd-labs/aave-proposals-v3
//! `reports/AaveV3Ethereum_UpgradeAaveV3ETHPooolWETHParameters_20231031_after.json`), mechanics of
//! v3.3 (aave-dao/aave-v3-origin):
//! - LTV / LT / bonus / protocol fee: WETH 80.5% / 83% / 5% / 10%; WBTC 73% / 78% / 5% / 10%;
//!   wstETH 78.5% / 81% / 6% / 10%; USDC 77% / 80% / 4.5% / 20%.
//! - Curves (2023): USDC slope1 3.5%, slope2 60%, U_opt 90%, reserve factor 10%; WETH slope1
//!   2.8%, slope2 80%, U_opt 80%, reserve factor 15%. WBTC and wstETH are collateral only here
//!   (their 2023 curves are not in DOMAIN.md).
//! - Close factor and dust rules of v3.3 ([`CloseFactorRule::AaveV33`]), the liquidation protocol
//!   fee to the treasury, withdrawals gated by HF ≥ 1, variable borrow index compounded per second
//!   (3-term binomial), bad debt burned when the collateral is gone.
//! - E-mode: ETH-correlated (WETH, wstETH) 93% / 95% / 1% (governance.aave.com thread 16168).
//! - Isolation mode: Margin Lab lists tokenized T-bills and equities as isolated collateral under
//!   this preset (debt ceiling 2,000,000 USDC, stablecoins borrowable) — Margin Lab's choice, as
//!   Aave does for riskier new listings; the figures are not Aave's.
//!
//! Where Margin Lab differs: the liquidator always picks the largest debt and collateral; a
//! liquidation that the dust rule forbids is logged as skipped; the asset is called ETH (the feeds'
//! symbol) for Aave's WETH.

use super::build::{base, collateral_asset, fund, pool_lender, stablecoin, user};
use crate::engine::ids::AccountId;
use crate::engine::params::asset::{AssetClass, AssetParams};
use crate::engine::params::config::{
    CloseFactorRule, CollateralDesign, Compounding, EModeCategory, EngineConfig, LiquidationKind,
    WithdrawRule,
};
use crate::engine::params::rate::RateModel;
use crate::engine::params::PresetId;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// The ETH-correlated e-mode category.
pub const EMODE_ETH: u8 = 1;

/// The isolation-mode debt ceiling Margin Lab gives tokenized securities under this preset (USDC).
pub const ISOLATED_DEBT_CEILING: Decimal = dec!(2_000_000);

/// WETH as listed in the snapshot (the feeds call it ETH).
pub fn weth(price: Decimal) -> AssetParams {
    let mut eth = collateral_asset(
        "ETH",
        AssetClass::VolatileAlt,
        price,
        dec!(0.805),
        dec!(0.83),
        dec!(0.05),
    );
    eth.borrowable = true;
    eth.rate = RateModel::kinked(Decimal::ZERO, dec!(0.028), dec!(0.80), dec!(0.80));
    eth.reserve_factor = dec!(0.15);
    eth.liquidation_protocol_fee = dec!(0.10);
    eth.emode_category = Some(EMODE_ETH);
    eth.market_depth = Some(dec!(50_000_000));
    eth
}

pub fn wbtc(price: Decimal) -> AssetParams {
    let mut wbtc = collateral_asset(
        "WBTC",
        AssetClass::WrappedBtc,
        price,
        dec!(0.73),
        dec!(0.78),
        dec!(0.05),
    );
    wbtc.decimals = 8;
    wbtc.liquidation_protocol_fee = dec!(0.10);
    wbtc.market_depth = Some(dec!(30_000_000));
    wbtc
}

pub fn wsteth(price: Decimal) -> AssetParams {
    let mut w = collateral_asset(
        "wstETH",
        AssetClass::StakedEth,
        price,
        dec!(0.785),
        dec!(0.81),
        dec!(0.06),
    );
    w.liquidation_protocol_fee = dec!(0.10);
    w.emode_category = Some(EMODE_ETH);
    w.market_depth = Some(dec!(10_000_000));
    w
}

/// ETH-correlated e-mode: 93% / 95% / 1%.
pub fn emode_eth() -> EModeCategory {
    EModeCategory {
        id: EMODE_ETH,
        label: "ETH-correlated".into(),
        ltv: dec!(0.93),
        liquidation_threshold: dec!(0.95),
        liquidation_bonus: dec!(0.01),
    }
}

/// Sets the v3.3 mechanics on a configuration (also used when another preset's assets run under
/// Aave-like partial liquidation).
pub fn v33_mechanics(c: &mut EngineConfig) {
    c.close_factor = dec!(0.5);
    c.full_close_below_hf = dec!(0.95);
    c.close_factor_rule = CloseFactorRule::AaveV33 {
        min_base_max_close_factor_threshold: dec!(2000),
        min_leftover_base: dec!(1000),
    };
    c.withdraw_rule = WithdrawRule::HealthFactor;
    c.compounding = Compounding::Binomial;
}

pub fn config() -> EngineConfig {
    let mut c = base(
        PresetId::AaveV3,
        CollateralDesign::MultiCollateral,
        "USDC",
        LiquidationKind::Partial,
    );
    v33_mechanics(&mut c);
    c.assets = vec![
        stablecoin("USDC"),
        weth(dec!(3000)),
        wbtc(dec!(60000)),
        wsteth(dec!(3500)),
    ];
    c.emode_categories = vec![emode_eth()];
    c.initial_accounts = vec![
        pool_lender(AccountId(1), "USDC", dec!(10_000_000)),
        user(vec![
            fund("USDC", dec!(10_000)),
            fund("ETH", dec!(10)),
            fund("WBTC", dec!(1)),
            fund("wstETH", dec!(5)),
        ]),
    ];
    // Lenders of ETH, so that e-mode borrowing of ETH against wstETH can be shown.
    c.initial_accounts
        .push(pool_lender(AccountId(2), "ETH", dec!(5_000)));
    c
}
