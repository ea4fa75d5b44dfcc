//! Building blocks the current rules' presets are written with (the 2026-11 rules keep their own
//! frozen copies in `rules_2026_11.rs`).

use crate::engine::command::Command;
use crate::engine::ids::{AccountId, AssetId};
use crate::engine::oracle::OracleSpec;
use crate::engine::params::asset::{AssetClass, AssetParams};
use crate::engine::params::config::{
    CloseFactorRule, CollateralDesign, Compounding, EngineConfig, InitialAccount, LiquidationKind,
    WithdrawRule,
};
use crate::engine::params::rate::RateModel;
use crate::engine::params::{PresetId, RulesVersion};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn a(t: &str) -> AssetId {
    AssetId::new(t)
}

/// An asset with the given LTV / liquidation threshold / bonus and neutral everything else
/// (collateral only, no haircut, instant oracle until the system's oracle is applied).
pub fn collateral_asset(
    ticker: &str,
    class: AssetClass,
    price: Decimal,
    ltv: Decimal,
    lt: Decimal,
    bonus: Decimal,
) -> AssetParams {
    AssetParams {
        id: a(ticker),
        class,
        decimals: 18,
        oracle: OracleSpec::Instant,
        initial_price: price,
        ltv,
        liquidation_threshold: lt,
        liquidation_bonus: bonus,
        liquidation_penalty: bonus,
        haircut: Decimal::ZERO,
        supply_cap: None,
        borrow_cap: None,
        borrowable: false,
        rate: RateModel::zero(),
        reserve_factor: dec!(0.1),
        liquidation_ratio: dec!(1.5),
        stability_fee: Decimal::ZERO,
        market_depth: None,
        perp: None,
        liquidation_protocol_fee: Decimal::ZERO,
        debt_ceiling: None,
        borrowable_in_isolation: false,
        emode_category: None,
    }
}

/// A USD stablecoin as the Aave v3 Ethereum market lists USDC in the 2023-10 snapshot
/// (DOMAIN.md, `AaveV3Ethereum_..._20231031_after.json`): LTV 77% / LT 80% / bonus 4.5%,
/// protocol fee 20%; borrowable on the USDC curve (base 0, slope1 3.5%, slope2 60%, U_opt 90%,
/// reserve factor 10%); borrowable in isolation mode.
pub fn stablecoin(ticker: &str) -> AssetParams {
    AssetParams {
        decimals: 6,
        borrowable: true,
        borrowable_in_isolation: true,
        rate: RateModel::kinked(Decimal::ZERO, dec!(0.035), dec!(0.60), dec!(0.90)),
        liquidation_protocol_fee: dec!(0.20),
        ..collateral_asset(
            ticker,
            AssetClass::Stablecoin,
            Decimal::ONE,
            dec!(0.77),
            dec!(0.80),
            dec!(0.045),
        )
    }
}

/// A liquidity provider that supplies `amount` of `asset` to the lending pool, so others can
/// borrow it.
pub fn pool_lender(id: AccountId, asset: &str, amount: Decimal) -> InitialAccount {
    InitialAccount {
        id,
        label: "Liquidity provider".into(),
        commands: vec![
            fund(asset, amount),
            Command::Deposit {
                asset: a(asset),
                amount,
            },
        ],
    }
}

pub(crate) fn user(commands: Vec<Command>) -> InitialAccount {
    InitialAccount {
        id: AccountId::USER,
        label: "You".into(),
        commands,
    }
}

pub(crate) fn fund(t: &str, amount: Decimal) -> Command {
    Command::Fund {
        asset: a(t),
        amount,
    }
}

/// A configuration with the current rules' defaults; each system file sets what it imitates.
pub(crate) fn base(
    preset: PresetId,
    design: CollateralDesign,
    debt: &str,
    liquidation: LiquidationKind,
) -> EngineConfig {
    EngineConfig {
        name: preset.imitates().to_string(),
        preset,
        rules: RulesVersion::V2026_12,
        design,
        assets: Vec::new(),
        debt_asset: a(debt),
        liquidation,
        close_factor: dec!(0.5),
        full_close_below_hf: dec!(0.95),
        close_factor_rule: CloseFactorRule::Legacy,
        withdraw_rule: WithdrawRule::BorrowLimit,
        compounding: Compounding::Linear,
        store_front: None,
        liquity: None,
        emode_categories: Vec::new(),
        population: None,
        buffer: None,
        insurance_fund: Decimal::ZERO,
        counterparty_pool: Decimal::ZERO,
        auto_deleveraging: false,
        impact_recovery: dec!(0.5),
        start_time: 0,
        initial_accounts: Vec::new(),
    }
}
