//! The 2026-11 rules, kept as data: the parameter sets, class templates and oracles every preset
//! had when payload-1 links were published. Links made then replay under these, bit for bit
//! (`tests/replay_v1_corpus.rs`). **Frozen: never edit a figure here**; a change of rules is a new
//! [`RulesVersion`](crate::engine::RulesVersion) with its own definitions.
//!
//! These figures were public parameters, rounded and illustrative, of the systems named by
//! [`PresetId::imitates`]; several differ from the sourced ones of later rules (ETH LT 82.5%,
//! ETH-A liquidation ratio 150%, auction buf 1.2, no maintenance amounts, skew funding).

use crate::engine::command::Command;
use crate::engine::ids::{AccountId, AssetId};
use crate::engine::oracle::OracleSpec;
use crate::engine::params::asset::{AssetClass, AssetParams, FundingModel, MarginTier, PerpParams};
use crate::engine::params::config::{
    CloseFactorRule, CollateralDesign, Compounding, EngineConfig, InitialAccount, LiquidationKind,
    WithdrawRule,
};
use crate::engine::params::rate::RateModel;
use crate::engine::params::{AuctionParams, PresetId, PriceDecay, RulesVersion};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// The preset's scenario under the 2026-11 rules. Every preset has a liquidity provider (account
/// #1) so the learner ([`AccountId::USER`], funded with paper money) can borrow or trade straight away.
pub fn config(preset: PresetId) -> EngineConfig {
    match preset {
        PresetId::AaveV3 => aave_v3(),
        PresetId::CompoundIII => compound_iii(),
        PresetId::MakerScd => maker(),
        PresetId::MakerMcd => maker_mcd(),
        PresetId::LiquityV1 => liquity(),
        _ => perp_exchange(),
    }
}

fn a(t: &str) -> AssetId {
    AssetId::new(t)
}

/// A collateral-only asset with the given LTV / LT / bonus.
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

/// A USD stablecoin, borrowable with Aave v3's stablecoin rate curve
/// (base 0, slope1 4%, slope2 60%, U_opt 90%, reserve factor 10%).
pub fn stablecoin(ticker: &str) -> AssetParams {
    AssetParams {
        decimals: 6,
        borrowable: true,
        rate: RateModel::kinked(Decimal::ZERO, dec!(0.04), dec!(0.60), dec!(0.90)),
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

fn lp_account(commands: Vec<Command>) -> InitialAccount {
    InitialAccount {
        id: AccountId(1),
        label: "Liquidity provider".into(),
        commands,
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

fn user(commands: Vec<Command>) -> InitialAccount {
    InitialAccount {
        id: AccountId::USER,
        label: "You".into(),
        commands,
    }
}

fn fund(t: &str, amount: Decimal) -> Command {
    Command::Fund {
        asset: a(t),
        amount,
    }
}

fn base(
    preset: PresetId,
    design: CollateralDesign,
    debt: &str,
    liquidation: LiquidationKind,
) -> EngineConfig {
    EngineConfig {
        name: preset.imitates().to_string(),
        preset,
        rules: RulesVersion::V2026_11,
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

/// Aave v3-like: ETH LTV 80% / LT 82.5% / bonus 5%; WBTC 73% / 78% / 5%; USDC 77% / 80% / 4.5%;
/// wstETH 78.5% / 81% / 6%. Partial liquidation, close factor 50%, 100% below HF 0.95.
pub fn aave_v3() -> EngineConfig {
    let mut c = base(
        PresetId::AaveV3,
        CollateralDesign::MultiCollateral,
        "USDC",
        LiquidationKind::Partial,
    );
    let mut eth = collateral_asset(
        "ETH",
        AssetClass::VolatileAlt,
        dec!(3000),
        dec!(0.80),
        dec!(0.825),
        dec!(0.05),
    );
    eth.borrowable = true;
    eth.rate = RateModel::kinked(Decimal::ZERO, dec!(0.027), dec!(0.80), dec!(0.90));
    eth.reserve_factor = dec!(0.15);
    eth.market_depth = Some(dec!(50_000_000));
    let mut wbtc = collateral_asset(
        "WBTC",
        AssetClass::WrappedBtc,
        dec!(60000),
        dec!(0.73),
        dec!(0.78),
        dec!(0.05),
    );
    wbtc.decimals = 8;
    wbtc.market_depth = Some(dec!(30_000_000));
    let mut wsteth = collateral_asset(
        "wstETH",
        AssetClass::StakedEth,
        dec!(3500),
        dec!(0.785),
        dec!(0.81),
        dec!(0.06),
    );
    wsteth.market_depth = Some(dec!(10_000_000));
    c.assets = vec![stablecoin("USDC"), eth, wbtc, wsteth];
    c.initial_accounts = vec![
        pool_lender(AccountId(1), "USDC", dec!(10_000_000)),
        user(vec![
            fund("USDC", dec!(10_000)),
            fund("ETH", dec!(10)),
            fund("WBTC", dec!(1)),
            fund("wstETH", dec!(5)),
        ]),
    ];
    c
}

/// Compound III-like (cUSDCv3): only USDC is borrowable; WETH borrow collateral factor 82.5%,
/// liquidate collateral factor 89.5%, liquidation factor 95% (5% penalty, kept by the protocol);
/// WBTC 70% / 77% / 95%. Underwater accounts are absorbed whole (full liquidation).
pub fn compound_iii() -> EngineConfig {
    let mut c = base(
        PresetId::CompoundIII,
        CollateralDesign::MultiCollateral,
        "USDC",
        LiquidationKind::Full,
    );
    let mut usdc = stablecoin("USDC");
    usdc.ltv = Decimal::ZERO;
    usdc.liquidation_threshold = Decimal::ZERO;
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
    c.assets = vec![usdc, eth, wbtc];
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

/// Maker-like vaults: ETH-A liquidation ratio 150%, liquidation penalty 13%, stability fee 2% a
/// year; DAI is minted against the vault. Maker's oracle security module delays prices by one hour;
/// the preset uses an instant oracle until a delayed oracle model is selected in the feed.
/// Liquidation takes the whole vault (SCD `bite`); the penalty goes to the protocol surplus.
pub fn maker() -> EngineConfig {
    let mut c = base(
        PresetId::MakerScd,
        CollateralDesign::SingleCollateral,
        "DAI",
        LiquidationKind::Full,
    );
    let mut eth = collateral_asset(
        "ETH",
        AssetClass::VolatileAlt,
        dec!(3000),
        Decimal::ZERO,
        Decimal::ZERO,
        dec!(0.13),
    );
    eth.liquidation_ratio = dec!(1.5);
    eth.liquidation_penalty = dec!(0.13);
    eth.stability_fee = dec!(0.02);
    eth.market_depth = Some(dec!(50_000_000));
    let mut wbtc = collateral_asset(
        "WBTC",
        AssetClass::WrappedBtc,
        dec!(60000),
        Decimal::ZERO,
        Decimal::ZERO,
        dec!(0.13),
    );
    wbtc.liquidation_ratio = dec!(1.45);
    wbtc.liquidation_penalty = dec!(0.13);
    wbtc.stability_fee = dec!(0.02);
    let mut dai = stablecoin("DAI");
    dai.decimals = 18;
    dai.borrowable = false;
    c.assets = vec![dai, eth, wbtc];
    c.initial_accounts = vec![user(vec![fund("ETH", dec!(10)), fund("WBTC", dec!(1))])];
    c
}

/// Maker MCD-like: the vaults of [`maker`], liquidated by Dutch auction (Liquidations 2.0) with
/// ETH-A-like parameters (buf 1.2, tail 8,400 s, cusp 0.4, 1% cut every 90 s).
pub fn maker_mcd() -> EngineConfig {
    let mut c = maker();
    c.preset = PresetId::MakerMcd;
    c.name = PresetId::MakerMcd.imitates().to_string();
    c.liquidation = LiquidationKind::DutchAuction(auction_eth_a());
    c
}

/// The ETH-A auction parameters of the 2026-11 rules (2021–22 values: buf 1.2, tail 8,400 s,
/// cusp 0.4, 1% cut every 90 s), no keeper incentives.
pub fn auction_eth_a() -> AuctionParams {
    AuctionParams {
        buf: dec!(1.2),
        tail_secs: 8400,
        cusp: dec!(0.4),
        decay: PriceDecay::StairstepExponential {
            step_secs: 90,
            cut: dec!(0.99),
        },
        keeper_discount: dec!(0.02),
        keeper_capacity: None,
        tip: Decimal::ZERO,
        chip: Decimal::ZERO,
    }
}

/// Liquity v1-like: ETH troves, minimum collateral ratio 110%, LUSD debt, no interest; liquidations
/// are absorbed by the stability pool (depositors get the collateral at a discount), and what it
/// cannot absorb is redistributed to the other troves. Recovery mode (TCR < 150%) is not modelled.
pub fn liquity() -> EngineConfig {
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
    c.assets = vec![lusd, eth];
    c.initial_accounts = vec![
        lp_account(vec![
            fund("ETH", dec!(1000)),
            Command::VaultDeposit {
                collateral: a("ETH"),
                amount: dec!(1000),
            },
            Command::VaultBorrow {
                collateral: a("ETH"),
                amount: dec!(1_000_000),
            },
            Command::StabilityDeposit {
                amount: dec!(1_000_000),
            },
        ]),
        user(vec![fund("ETH", dec!(10))]),
    ];
    c
}

/// Tiered maintenance margin like Binance's BTCUSDT risk limits (rounded): 0.4% up to 50k notional,
/// 0.5% to 250k, 1% to 1M, 2.5% above; max leverage 50x here; liquidation fee 1.25% (Binance BTC).
pub fn perp_tiers() -> Vec<MarginTier> {
    vec![
        MarginTier {
            up_to: Some(dec!(50_000)),
            maintenance_rate: dec!(0.004),
            maintenance_amount: Decimal::ZERO,
            max_leverage: None,
        },
        MarginTier {
            up_to: Some(dec!(250_000)),
            maintenance_rate: dec!(0.005),
            maintenance_amount: Decimal::ZERO,
            max_leverage: None,
        },
        MarginTier {
            up_to: Some(dec!(1_000_000)),
            maintenance_rate: dec!(0.01),
            maintenance_amount: Decimal::ZERO,
            max_leverage: None,
        },
        MarginTier {
            up_to: None,
            maintenance_rate: dec!(0.025),
            maintenance_amount: Decimal::ZERO,
            max_leverage: None,
        },
    ]
}

/// The perp parameters used by [`perp_exchange`]: 8-hour funding, skew coefficient 0.0005,
/// capped at 0.75% per interval.
pub fn perp_params(max_leverage: Decimal) -> PerpParams {
    PerpParams {
        max_leverage,
        tiers: perp_tiers(),
        liquidation_fee: dec!(0.0125),
        funding_interval_secs: 8 * 3600,
        funding: FundingModel::Skew {
            coefficient: dec!(0.0005),
        },
        funding_cap: dec!(0.0075),
    }
}

/// A perpetuals exchange: BTC and ETH perps settled in USDC, isolated or cross margin, mark price =
/// oracle (index) price, insurance fund 1M USDC, auto-deleveraging on.
pub fn perp_exchange() -> EngineConfig {
    let mut c = base(
        PresetId::PerpExchange,
        CollateralDesign::MultiCollateral,
        "USDC",
        LiquidationKind::Partial,
    );
    let mut btc = collateral_asset(
        "BTC",
        AssetClass::WrappedBtc,
        dec!(60000),
        Decimal::ZERO,
        Decimal::ZERO,
        Decimal::ZERO,
    );
    btc.perp = Some(perp_params(dec!(50)));
    btc.market_depth = Some(dec!(100_000_000));
    let mut eth = collateral_asset(
        "ETH",
        AssetClass::VolatileAlt,
        dec!(3000),
        Decimal::ZERO,
        Decimal::ZERO,
        Decimal::ZERO,
    );
    eth.perp = Some(perp_params(dec!(50)));
    eth.market_depth = Some(dec!(50_000_000));
    c.assets = vec![stablecoin("USDC"), btc, eth];
    c.insurance_fund = dec!(1_000_000);
    c.counterparty_pool = dec!(50_000_000);
    c.auto_deleveraging = true;
    c.initial_accounts = vec![user(vec![fund("USDC", dec!(10_000))])];
    c
}

/// Class parameters for feed assets a preset does not list. Sources: DOMAIN.md (Reg T 50% initial
/// / 25% maintenance for equities; government bills haircut 0.5–2%; Aave-like figures for crypto).
pub fn class_template(symbol: &str, price: Decimal, perps: bool) -> AssetParams {
    let (class, ltv, lt, bonus, haircut, max_lev) = match symbol {
        "USDC" | "DAI" | "LUSD" | "USDT" => return stablecoin(symbol),
        "TBILL" => (
            AssetClass::TokenizedTBill,
            dec!(0.90),
            dec!(0.93),
            dec!(0.02),
            dec!(0.01),
            dec!(20),
        ),
        "WBTC" | "BTC" => (
            AssetClass::WrappedBtc,
            dec!(0.73),
            dec!(0.78),
            dec!(0.05),
            Decimal::ZERO,
            dec!(50),
        ),
        "stETH" | "wstETH" => (
            AssetClass::StakedEth,
            dec!(0.785),
            dec!(0.81),
            dec!(0.06),
            Decimal::ZERO,
            dec!(25),
        ),
        "ETH" => (
            AssetClass::VolatileAlt,
            dec!(0.80),
            dec!(0.825),
            dec!(0.05),
            Decimal::ZERO,
            dec!(50),
        ),
        "ALT" => (
            AssetClass::VolatileAlt,
            dec!(0.40),
            dec!(0.50),
            dec!(0.10),
            Decimal::ZERO,
            dec!(10),
        ),
        // Tokenized equities and indices: Reg T-like LTV 50%, maintenance 25% (LT 75%), plus a 2%
        // haircut for the token's oracle, liquidity and redemption risk.
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
    if perps {
        a.perp = Some(perp_params(max_lev));
    }
    a
}

/// The oracle each imitated system uses, applied to every asset of a session (the engine's presets
/// keep instant oracles so their hand-computed tests read simply):
/// - Maker (SCD and MCD): the Oracle Security Module, prices one hour late (DOMAIN.md);
/// - Aave v3, Compound III, Liquity v1: Chainlink-style feeds, ETH/USD updating on a 0.5% move or
///   hourly, stablecoins on a 0.25% move or daily;
/// - the perpetuals exchange: a mark price, a 5-minute EMA of the index clamped to ±0.5%.
pub fn system_oracle(preset: PresetId, class: AssetClass) -> OracleSpec {
    let stable = class == AssetClass::Stablecoin;
    match preset {
        PresetId::MakerScd | PresetId::MakerMcd if !stable => OracleSpec::MAKER_OSM,
        PresetId::MakerScd | PresetId::MakerMcd | PresetId::Custom => OracleSpec::Instant,
        PresetId::PerpExchange if !stable => OracleSpec::Mark {
            smoothing_secs: 300,
            max_premium: dec!(0.005),
        },
        PresetId::PerpExchange => OracleSpec::Instant,
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
