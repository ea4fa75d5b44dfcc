//! Liquity v1: ETH troves, LUSD debt, no interest (liquity/dev, DOMAIN.md).
//!
//! - Minimum collateral ratio 110% (`LiquityBase.sol` L22); below it a trove is liquidated: the
//!   stability pool repays its whole debt and receives 99.5% of its collateral; the liquidator gets
//!   200 LUSD of gas compensation (L28) and 0.5% of the collateral (L34); what the pool cannot
//!   cover is redistributed to the other troves (`TroveManager.sol` L431-460). The pool's gain is
//!   at most ≈ 9.45% (110% × 0.995 − 1), not 10%.
//! - Opening a trove adds the 200 LUSD gas compensation to its debt and a one-off borrowing fee of
//!   0.5% (the fee's floor); the net debt (without gas compensation) must be at least 1,800 LUSD
//!   (L31).
//! - Recovery mode: when the total collateral ratio of every trove is below 150% (CCR, L25),
//!   troves below the TCR can be liquidated too (those at or above 110% give the pool collateral
//!   worth at most 110% of their debt, the rest is kept for their owner), borrowing that lowers the
//!   TCR is refused and collateral cannot be withdrawn.
//!
//! Margin Lab's simplifications: the borrowing fee stays at its 0.5% floor (no base-rate decay or
//! redemptions); the recovery-mode surplus is returned to the owner's wallet at once. The other
//! troves are one depositor's: 1,000 ETH against 1,400,000 LUSD (a total collateral ratio of about
//! 213% at the start, so a fall of about 30% puts the system in recovery mode), of which
//! 1,000,000 sit in the stability pool.

use super::build::{a, base, collateral_asset, fund, stablecoin, user};
use crate::engine::command::Command;
use crate::engine::ids::AccountId;
use crate::engine::params::asset::AssetClass;
use crate::engine::params::config::{
    CollateralDesign, EngineConfig, InitialAccount, LiquidationKind, LiquityRules,
};
use crate::engine::params::PresetId;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub fn rules() -> LiquityRules {
    LiquityRules {
        gas_compensation: dec!(200),
        collateral_gas_share: dec!(0.005),
        borrowing_fee: dec!(0.005),
        min_net_debt: dec!(1800),
        critical_ratio: dec!(1.5),
    }
}

pub fn config() -> EngineConfig {
    let mut c = base(
        PresetId::LiquityV1,
        CollateralDesign::SingleCollateral,
        "LUSD",
        LiquidationKind::StabilityPool,
    );
    let mut eth = collateral_asset(
        "ETH",
        AssetClass::VolatileAlt,
        dec!(3000),
        Decimal::ZERO,
        Decimal::ZERO,
        dec!(0.10),
    );
    eth.liquidation_ratio = dec!(1.1);
    eth.liquidation_penalty = dec!(0.10);
    eth.market_depth = Some(dec!(50_000_000));
    let mut lusd = stablecoin("LUSD");
    lusd.decimals = 18;
    lusd.borrowable = false;
    lusd.liquidation_protocol_fee = Decimal::ZERO;
    c.assets = vec![lusd, eth];
    c.liquity = Some(rules());
    c.initial_accounts = vec![
        InitialAccount {
            id: AccountId(1),
            label: "Stability pool depositor".into(),
            commands: vec![
                fund("ETH", dec!(1000)),
                Command::VaultDeposit {
                    collateral: a("ETH"),
                    amount: dec!(1000),
                },
                Command::VaultBorrow {
                    collateral: a("ETH"),
                    amount: dec!(1_400_000),
                },
                Command::StabilityDeposit {
                    amount: dec!(1_000_000),
                },
            ],
        },
        user(vec![fund("ETH", dec!(10))]),
    ];
    c
}
