//! Presets that imitate named systems. Figures are public parameters (rounded, illustrative) of the
//! system named in [`PresetId::imitates`]; the UI shows that name next to the preset.

use super::asset::{AssetClass, AssetParams, MarginTier, PerpParams};
use super::command::Command;
use super::config::{CollateralDesign, EngineConfig, InitialAccount, LiquidationKind};
use super::ids::{AccountId, AssetId};
use super::rate::RateModel;
use crate::feed::oracle::OracleSpec;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

/// A named preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PresetId {
    AaveV3,
    CompoundIII,
    MakerScd,
    LiquityV1,
    PerpExchange,
    /// A hand-made scenario.
    Custom,
    MakerMcd,
}

impl PresetId {
    pub const ALL: [PresetId; 6] = [
        PresetId::AaveV3,
        PresetId::CompoundIII,
        PresetId::MakerScd,
        PresetId::MakerMcd,
        PresetId::LiquityV1,
        PresetId::PerpExchange,
    ];

    /// Which real system the preset imitates.
    pub fn imitates(self) -> &'static str {
        match self {
            PresetId::AaveV3 => "Aave v3 (Ethereum market): pooled collateral, health factor, close factor 50%/100%",
            PresetId::CompoundIII => "Compound III (cUSDCv3): one borrowable base asset, protocol absorbs whole accounts",
            PresetId::MakerScd => "Maker SCD (ETH vaults): liquidation ratio 150%, penalty 13%, stability fee, whole vault sold at once",
            PresetId::MakerMcd => "Maker MCD (Liquidations 2.0): vaults sold by Dutch auction with buf, decay, tail and cusp",
            PresetId::LiquityV1 => "Liquity v1: minimum collateral ratio 110%, stability pool then redistribution",
            PresetId::PerpExchange => "A centralized perpetuals exchange (Binance/Bybit style): tiered maintenance margin, insurance fund, ADL",
            PresetId::Custom => "A custom scenario",
        }
    }

    /// The preset's scenario. Every preset has a liquidity provider (account #1) so the learner
    /// ([`AccountId::USER`], funded with paper money) can borrow or trade straight away.
    pub fn config(self) -> EngineConfig {
        match self {
            PresetId::AaveV3 => aave_v3(),
            PresetId::CompoundIII => compound_iii(),
            PresetId::MakerScd => maker(),
            PresetId::MakerMcd => maker_mcd(),
            PresetId::LiquityV1 => liquity(),
            PresetId::PerpExchange | PresetId::Custom => perp_exchange(),
        }
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
    }
}

/// A USD stablecoin, borrowable with Aave v3's stablecoin rate curve
/// (base 0, slope1 4%, slope2 60%, U_opt 90%, reserve factor 10%).
pub fn stablecoin(ticker: &str) -> AssetParams {
    AssetParams {
        decimals: 6,
        borrowable: true,
        rate: RateModel {
            base: Decimal::ZERO,
            slope1: dec!(0.04),
            slope2: dec!(0.60),
            optimal_utilization: dec!(0.90),
        },
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
        design,
        assets: Vec::new(),
        debt_asset: a(debt),
        liquidation,
        close_factor: dec!(0.5),
        full_close_below_hf: dec!(0.95),
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
    eth.rate = RateModel {
        base: Decimal::ZERO,
        slope1: dec!(0.027),
        slope2: dec!(0.80),
        optimal_utilization: dec!(0.90),
    };
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
    c.liquidation = LiquidationKind::DutchAuction(
        super::liquidation::dutch_auction::AuctionParams::maker_eth_a(),
    );
    c
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
        },
        MarginTier {
            up_to: Some(dec!(250_000)),
            maintenance_rate: dec!(0.005),
        },
        MarginTier {
            up_to: Some(dec!(1_000_000)),
            maintenance_rate: dec!(0.01),
        },
        MarginTier {
            up_to: None,
            maintenance_rate: dec!(0.025),
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
        funding_skew_coefficient: dec!(0.0005),
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
