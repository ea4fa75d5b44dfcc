//! A US broker's margin account, the traditional side of collateral (DOMAIN.md, "Traditional
//! margin and risk"): two presets.
//!
//! **[`PresetId::Broker`] (Reg T / FINRA 4210)** — strategy-based margin on market value:
//! - Reg T (12 CFR 220.12): **50% initial margin** for equities, so a margin security lends at
//!   most half its value (LTV 50%).
//! - FINRA Rule 4210: **25% maintenance** of market value; this broker's **house requirement adds
//!   5%** (30% in all, LT 70%), and 15% more on crypto (40%: LT 60%), as brokers do for volatile
//!   assets. The house figures are Margin Lab's.
//! - **Haircuts by asset class** before those rates (Basel / BCBS-IOSCO supervisory haircuts,
//!   DOMAIN.md; in Margin Lab every security is a token, which adds oracle, liquidity and
//!   redemption risk on top): main-index equities (SPX, xSPY) 15%, other listed equities 25%,
//!   sovereign bills up to a year (TBILL) 0.5%, cash 0. Basel gives no haircut for crypto (none
//!   here); stablecoins get 2% (Margin Lab's).
//! - Government securities are exempt from Reg T: the tokenized T-bill lends 90% and must keep 5%
//!   (LT 95%); stablecoins the same; cash counts in full (Margin Lab's figures).
//! - **Margin calls** ([`LiquidationKind::MarginCall`], `liquidation/margin_call.rs`): below
//!   maintenance the broker calls for the deficit with **2 days** to cure; it sells only after the
//!   deadline, or at once when equity falls below **10%** of the collateral's market value (the
//!   hard floor); forced sales pay a **0.5%** fee. All three are Margin Lab's figures (FINRA lets
//!   brokers set their own deadlines and sell without notice).
//! - Margin loans cost **8% a year**, flat (Margin Lab's; US brokers charged about 6–13% in 2024).
//! - Prices are the market's last (no oracle delay); the client is enrolled in Margin Lab's credit
//!   tiers, whose better tiers never go below FINRA's 25% or Reg T's 50%.
//!
//! **[`PresetId::BrokerPortfolio`] (portfolio margin, OCC TIMS-style)**: the maintenance
//! requirement is the **worst loss over a ±15% stress grid** (11 valuation points from −15% to
//! +15%) of each class group, computed by the engine ([`portfolio_requirement`]): assets of one
//! class move together and offset each other, classes add up (TIMS gives partial offsets between
//! related classes: not modelled). Each asset's range is `1 − LT`: 15% for equities and crypto,
//! 1.5% for T-bills and stablecoins (Margin Lab's), 0 for cash. New borrowing must keep the
//! worst loss over a **±20%** grid covered (Margin Lab's house buffer; FINRA 4210(g) itself uses
//! one requirement for both). No haircuts: the grid replaces them.

use super::build::{base, collateral_asset, fund, pool_lender, user};
use crate::engine::account::Account;
use crate::engine::command::Command;
use crate::engine::error::EngineError;
use crate::engine::health::{collateral_amount, debt_amount, LendingView};
use crate::engine::ids::AccountId;
use crate::engine::oracle::OracleSpec;
use crate::engine::params::asset::{AssetClass, AssetParams};
use crate::engine::params::config::{CollateralDesign, EngineConfig, LiquidationKind};
use crate::engine::params::rate::RateModel;
use crate::engine::params::{MarginCallParams, PresetId, RulesVersion};
use crate::engine::state::World;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

/// The broker's cash: what it lends and settles in.
pub const CASH: &str = "USD";

/// The broker's margin-call terms (Margin Lab's figures, see the module docs).
pub fn margin_call_terms() -> MarginCallParams {
    MarginCallParams {
        cure_secs: 2 * 86_400,
        hard_floor: dec!(0.10),
        sale_fee: dec!(0.005),
    }
}

/// How the broker treats an asset class: (haircut, LTV, LT) under Reg T, and the market depth
/// its forced sales meet.
fn reg_t_terms(symbol: &str, class: AssetClass) -> (Decimal, Decimal, Decimal) {
    match (symbol, class) {
        (CASH, _) => (Decimal::ZERO, Decimal::ONE, Decimal::ONE),
        (_, AssetClass::Stablecoin) => (dec!(0.02), dec!(0.90), dec!(0.95)),
        (_, AssetClass::TokenizedTBill) => (dec!(0.005), dec!(0.90), dec!(0.95)),
        ("SPX" | "xSPY", _) => (dec!(0.15), dec!(0.50), dec!(0.70)),
        (_, AssetClass::TokenizedEquity) => (dec!(0.25), dec!(0.50), dec!(0.70)),
        (_, AssetClass::VolatileAlt) if symbol != "ETH" => (Decimal::ZERO, dec!(0.25), dec!(0.40)),
        _ => (Decimal::ZERO, dec!(0.50), dec!(0.60)),
    }
}

/// Under portfolio margin: (LTV, LT) from the ±20% / ±15% ranges scaled by class.
fn portfolio_terms(symbol: &str, class: AssetClass) -> (Decimal, Decimal) {
    let scale = match (symbol, class) {
        (CASH, _) => Decimal::ZERO,
        (_, AssetClass::Stablecoin | AssetClass::TokenizedTBill) => dec!(0.1),
        _ => Decimal::ONE,
    };
    (
        Decimal::ONE - dec!(0.20) * scale,
        Decimal::ONE - dec!(0.15) * scale,
    )
}

/// The class of a symbol the broker does not list (the same families as `templates.rs`).
fn class_of(symbol: &str) -> AssetClass {
    match symbol {
        CASH | "USDC" | "DAI" | "USDT" | "LUSD" => AssetClass::Stablecoin,
        "ETH" | "ALT" => AssetClass::VolatileAlt,
        "WBTC" | "BTC" => AssetClass::WrappedBtc,
        "stETH" | "wstETH" => AssetClass::StakedEth,
        "TBILL" => AssetClass::TokenizedTBill,
        _ => AssetClass::TokenizedEquity,
    }
}

/// An asset as `preset` (one of the broker presets) lists it.
pub fn asset(preset: PresetId, symbol: &str, price: Decimal) -> AssetParams {
    let class = class_of(symbol);
    let (haircut, ltv, lt) = if preset == PresetId::BrokerPortfolio {
        let (ltv, lt) = portfolio_terms(symbol, class);
        (Decimal::ZERO, ltv, lt)
    } else {
        reg_t_terms(symbol, class)
    };
    let mut a = collateral_asset(symbol, class, price, ltv, lt, Decimal::ZERO);
    a.haircut = haircut;
    a.liquidation_penalty = Decimal::ZERO;
    a.oracle = OracleSpec::Instant;
    a.decimals = if class == AssetClass::Stablecoin {
        2
    } else {
        8
    };
    a.market_depth = match class {
        AssetClass::Stablecoin if symbol == CASH => None,
        AssetClass::Stablecoin => Some(dec!(50_000_000)),
        AssetClass::TokenizedEquity => Some(dec!(200_000_000)),
        AssetClass::TokenizedTBill => Some(dec!(5_000_000)),
        _ => Some(dec!(20_000_000)),
    };
    if symbol == CASH {
        a.borrowable = true;
        a.borrowable_in_isolation = true;
        a.rate = RateModel::kinked(dec!(0.08), Decimal::ZERO, Decimal::ZERO, dec!(0.8));
        a.reserve_factor = dec!(0.2);
    }
    a
}

/// The broker's class template for a feed asset it does not list.
pub fn class_template(preset: PresetId, symbol: &str, price: Decimal) -> AssetParams {
    asset(preset, symbol, price)
}

fn config_for(preset: PresetId) -> EngineConfig {
    let mut c = base(
        preset,
        CollateralDesign::MultiCollateral,
        CASH,
        LiquidationKind::MarginCall(margin_call_terms()),
    );
    c.assets = vec![
        asset(preset, CASH, Decimal::ONE),
        asset(preset, "SPX", dec!(4500)),
        asset(preset, "ETH", dec!(3000)),
    ];
    c.initial_accounts = vec![
        pool_lender(AccountId(1), CASH, dec!(10_000_000)),
        user(vec![
            fund(CASH, dec!(10_000)),
            fund("SPX", dec!(4)),
            fund("ETH", dec!(10)),
            Command::JoinCreditTiers,
        ]),
    ];
    c
}

/// Reg T / FINRA 4210 with a house requirement and margin calls.
pub fn config() -> EngineConfig {
    config_for(PresetId::Broker)
}

/// Portfolio margin (±15% stress grid).
pub fn portfolio() -> EngineConfig {
    config_for(PresetId::BrokerPortfolio)
}

/// Whether the configuration computes requirements by the stress grid.
pub fn portfolio_margin(cfg: &EngineConfig) -> bool {
    cfg.preset == PresetId::BrokerPortfolio && cfg.rules != RulesVersion::V2026_11
}

/// Valuation points of the grid: −1, −0.8, …, +1 times each asset's range.
const GRID: [Decimal; 11] = [
    dec!(-1.0),
    dec!(-0.8),
    dec!(-0.6),
    dec!(-0.4),
    dec!(-0.2),
    Decimal::ZERO,
    dec!(0.2),
    dec!(0.4),
    dec!(0.6),
    dec!(0.8),
    dec!(1.0),
];

/// Portfolio-margin requirements of an account: `(maintenance, initial)`, each the sum over
/// class groups of the worst loss over the grid, with each asset moved by its range (`1 − LT` for
/// maintenance, `1 − LTV` for initial, after the account's credit tier): collateral gains when
/// its price rises, debt in a risky asset (a short) loses.
pub fn portfolio_requirement(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
) -> Result<(Decimal, Decimal), EngineError> {
    // Per class group: Σ signed exposure × range, for each of the two ranges.
    let mut groups: BTreeMap<AssetClass, (Decimal, Decimal)> = BTreeMap::new();
    let mut add = |p: &AssetParams, exposure: Decimal, ltv: Decimal, lt: Decimal| {
        let g = groups.entry(p.class).or_default();
        g.0 += exposure * (Decimal::ONE - lt);
        g.1 += exposure * (Decimal::ONE - ltv);
    };
    for asset in acc.collateral_scaled.keys() {
        if acc.collateral_off.contains(asset) {
            continue;
        }
        let Some(p) = cfg.asset(asset) else { continue };
        let v = collateral_amount(w, acc, asset)
            .checked_mul(w.price(asset))
            .ok_or(EngineError::Overflow)?;
        let (ltv, lt) = crate::engine::health::collateral_factors(cfg, acc, p);
        add(p, v, ltv, lt);
    }
    for asset in acc.debt_scaled.keys() {
        let Some(p) = cfg.asset(asset) else { continue };
        let v = debt_amount(w, acc, asset)
            .checked_mul(w.price(asset))
            .ok_or(EngineError::Overflow)?;
        let (ltv, lt) =
            crate::engine::risk::credit::tiered(cfg, acc, p.ltv, p.liquidation_threshold);
        add(p, -v, ltv, lt);
    }
    let worst = |a: Decimal| {
        GRID.iter()
            .map(|s| -(*s) * a)
            .fold(Decimal::ZERO, |m, l| m.max(l))
    };
    let (mut maint, mut init) = (Decimal::ZERO, Decimal::ZERO);
    for (m, i) in groups.values() {
        maint += worst(*m);
        init += worst(*i);
    }
    Ok((maint, init))
}

/// Replaces the per-asset weights of a lending view by the portfolio requirement: liquidatable
/// when `equity < maintenance requirement`, i.e. `collateral − requirement < debt`.
pub(crate) fn apply_portfolio_margin(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
    v: &mut LendingView,
) -> Result<(), EngineError> {
    let (maint, init) = portfolio_requirement(cfg, w, acc)?;
    v.weighted_collateral = v.collateral_value - maint;
    v.borrow_limit = (v.collateral_value - init).max(Decimal::ZERO);
    Ok(())
}

/// Under portfolio margin, an account that owes a risky asset (a short) can lose more than its
/// band assumes: the liquidation-price index checks it every step.
pub fn checked_every_step(cfg: &EngineConfig, acc: &Account) -> bool {
    portfolio_margin(cfg) && acc.debt_scaled.keys().any(|a| *a != cfg.debt_asset)
}
