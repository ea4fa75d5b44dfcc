//! Stress tests: named shocks with their sources, and custom shocks, applied to the current
//! portfolio **through the engine**. A working copy of the engine is stepped one second later
//! with the shocked market prices, then held at them hour by hour for the chosen horizon, so the
//! oracle catches up (Maker's OSM needs up to two hours), auctions run, margin-call deadlines pass
//! and liquidation sales move the market. What the copy ends with — equity at market prices,
//! health, what was liquidated, penalties, bad debt — is the result.
//!
//! The library ([`library`]):
//!
//! | shock | move | source |
//! |---|---|---|
//! | Black Thursday | ETH and staked ETH −43% | 12 Mar 2020, close to close (DOMAIN.md) |
//! | USDC depeg | USDC to 0.88 | 11 Mar 2023 (the low after SVB's failure) |
//! | stETH discount | staked ETH −6% against ETH | June 2022 (stETH at about 0.94 ETH) |
//! | S&P 500 crash day | equities −11.98% | 16 Mar 2020: 2,711.02 → 2,386.13 (`data/sp500-2000.csv`) |
//! | 2008 peak to trough | equities −56.78% | 1,565.15 on 9 Oct 2007 → 676.53 on 9 Mar 2009 (`data/sp500-2000.csv`) |
//! | T-bill redemption freeze | tokenized T-bills −5%, market depth ÷10 | Margin Lab's figures (modelled, not an event) |
//! | Oracle freeze | every oracle frozen 24 h while non-stablecoin markets fall 20% | Margin Lab's figures (modelled) |
//!
//! A shock that hits no asset of the scenario says so. Equities are the tokenized-equity class
//! (the S&P 500, the bundled stocks, xSPY); staked ETH is the staked-ETH class (stETH, wstETH).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use crate::engine::core::Engine;
use crate::engine::error::EngineError;
use crate::engine::event::{Event, EventKind};
use crate::engine::ids::{AccountId, AssetId};
use crate::engine::num::{MAX_PRICE, MIN_PRICE};
use crate::engine::oracle::{Oracle, OracleSpec};
use crate::engine::params::AssetClass;

/// Which assets a move hits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// One asset by ticker.
    Asset(String),
    /// Every asset of a class.
    Class(AssetClass),
    /// Every asset except stablecoins.
    NonStable,
}

/// How a hit asset's market price changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Move {
    /// By a fraction of its price (`-0.43` = −43%).
    By(Decimal),
    /// To a price (USDC to 0.88).
    To(Decimal),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShockMove {
    pub target: Target,
    pub change: Move,
}

/// A stress scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StressShock {
    pub id: String,
    pub name: String,
    /// Where the figures come from.
    pub source: String,
    pub moves: Vec<ShockMove>,
    /// Oracles frozen at their current price for this long (market moves are not seen).
    pub oracle_freeze_secs: Option<i64>,
    /// Market depth of the hit assets multiplied by this (liquidity dries up).
    pub depth_factor: Option<Decimal>,
}

fn shock(id: &str, name: &str, source: &str, moves: Vec<ShockMove>) -> StressShock {
    StressShock {
        id: id.into(),
        name: name.into(),
        source: source.into(),
        moves,
        oracle_freeze_secs: None,
        depth_factor: None,
    }
}

fn by(target: Target, pct: Decimal) -> ShockMove {
    ShockMove {
        target,
        change: Move::By(pct),
    }
}

/// The named shocks (see the module docs for their sources).
pub fn library() -> Vec<StressShock> {
    vec![
        shock(
            "black-thursday",
            "Black Thursday: ETH −43% in a day",
            "12 Mar 2020 (\"Black Thursday\"): ETH fell about 43% close to close; staked ETH moves with it",
            vec![
                by(Target::Asset("ETH".into()), dec!(-0.43)),
                by(Target::Class(AssetClass::StakedEth), dec!(-0.43)),
            ],
        ),
        shock(
            "usdc-depeg",
            "USDC depeg to 0.88",
            "11 Mar 2023: USDC traded down to about 0.88 after Silicon Valley Bank's failure",
            vec![ShockMove {
                target: Target::Asset("USDC".into()),
                change: Move::To(dec!(0.88)),
            }],
        ),
        shock(
            "steth-discount",
            "stETH at a 6% discount",
            "June 2022: stETH traded at about 0.94 ETH during the Celsius and 3AC unwinds",
            vec![by(Target::Class(AssetClass::StakedEth), dec!(-0.06))],
        ),
        shock(
            "sp500-crash-day",
            "S&P 500 −12% in a day",
            "16 Mar 2020: the S&P 500 closed at 2,386.13 after 2,711.02 (−11.98%; data/sp500-2000.csv, vega-datasets)",
            vec![by(Target::Class(AssetClass::TokenizedEquity), dec!(-0.1198))],
        ),
        shock(
            "gfc-2008",
            "2008 peak to trough: equities −57%",
            "S&P 500 1,565.15 on 9 Oct 2007 to 676.53 on 9 Mar 2009 (−56.78%; data/sp500-2000.csv), applied at once",
            vec![by(Target::Class(AssetClass::TokenizedEquity), dec!(-0.5678))],
        ),
        StressShock {
            depth_factor: Some(dec!(0.1)),
            ..shock(
                "tbill-redemption-freeze",
                "Tokenized T-bill redemption freeze",
                "Margin Lab's figures (modelled, not a recorded event): redemptions stop, the token trades 5% below its value and its market is a tenth as deep",
                vec![by(Target::Class(AssetClass::TokenizedTBill), dec!(-0.05))],
            )
        },
        StressShock {
            oracle_freeze_secs: Some(86_400),
            ..shock(
                "oracle-freeze",
                "Oracle freeze while markets fall 20%",
                "Margin Lab's figures (modelled): every oracle stops for 24 hours while non-stablecoin markets fall 20%, then catches up at once",
                vec![by(Target::NonStable, dec!(-0.20))],
            )
        },
    ]
}

/// A custom shock: a fraction per asset (`-0.3` = −30%).
pub fn custom(moves: &[(AssetId, Decimal)]) -> StressShock {
    shock(
        "custom",
        "Custom shock",
        "your own percentages",
        moves
            .iter()
            .map(|(a, pct)| by(Target::Asset(a.to_string()), *pct))
            .collect(),
    )
}

/// How long the shocked prices are held, and in what steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StressOptions {
    pub horizon_secs: i64,
    pub step_secs: i64,
}

impl Default for StressOptions {
    /// One day at the shocked prices, hour by hour.
    fn default() -> Self {
        Self {
            horizon_secs: 86_400,
            step_secs: 3600,
        }
    }
}

/// One asset's price before and after the shock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppliedMove {
    pub asset: AssetId,
    pub before: Decimal,
    pub after: Decimal,
}

/// What a liquidation took from the account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiquidatedLine {
    pub asset: AssetId,
    pub amount: Decimal,
    pub value: Decimal,
    pub penalty: Decimal,
}

/// The account after a stress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StressResult {
    pub id: String,
    pub name: String,
    pub source: String,
    pub applied: Vec<AppliedMove>,
    pub horizon_secs: i64,
    pub equity_before: Decimal,
    pub equity_after: Decimal,
    pub loss: Decimal,
    pub health_before: Option<Decimal>,
    pub health_after: Option<Decimal>,
    pub margin_ratio_before: Option<Decimal>,
    pub margin_ratio_after: Option<Decimal>,
    pub liquidated: Vec<LiquidatedLine>,
    pub penalties: Decimal,
    pub bad_debt: Decimal,
    /// Bad debt of the whole system the shock caused (every account).
    pub system_bad_debt: Decimal,
    pub margin_call_issued: bool,
    /// The account's open margin call at the end, with its deadline.
    pub margin_call_deadline: Option<i64>,
    pub liquidatable_after: bool,
    /// The copy's events that concern the account, market impact and auctions.
    pub events: Vec<Event>,
}

impl StressResult {
    pub fn hit(&self) -> bool {
        !self.applied.is_empty()
    }
}

/// The shocked market prices of a shock against the engine's current ones (feed prices,
/// before any liquidation impact), and which assets it hits.
pub fn shocked_prices(engine: &Engine, s: &StressShock) -> Vec<AppliedMove> {
    let mut out: BTreeMap<AssetId, (Decimal, Decimal)> = BTreeMap::new();
    for a in &engine.cfg.assets {
        let Some(st) = engine.world.assets.get(&a.id) else {
            continue;
        };
        for m in &s.moves {
            let hit = match &m.target {
                Target::Asset(t) => a.id.as_str() == t,
                Target::Class(c) => a.class == *c,
                Target::NonStable => a.class != AssetClass::Stablecoin,
            };
            if !hit {
                continue;
            }
            let before = out.get(&a.id).map_or(st.feed_price, |x| x.1);
            let after = match m.change {
                Move::By(pct) => before.saturating_mul(Decimal::ONE + pct),
                Move::To(p) => p,
            };
            out.insert(
                a.id.clone(),
                (st.feed_price, after.clamp(MIN_PRICE, MAX_PRICE)),
            );
        }
    }
    out.into_iter()
        .map(|(asset, (before, after))| AppliedMove {
            asset,
            before,
            after,
        })
        .collect()
}

impl Engine {
    /// Runs `shock` on a working copy and reports what it did to `account` (see the module docs).
    pub fn stress(
        &self,
        account: AccountId,
        shock: &StressShock,
        opts: StressOptions,
    ) -> Result<StressResult, EngineError> {
        let applied = shocked_prices(self, shock);
        let mut e = self.scratch();
        let m0 = e
            .account_metrics(&account)
            .map_err(|_| EngineError::Overflow)?;
        let equity_before = e
            .market_equity(&account)
            .map_err(|_| EngineError::Overflow)?;
        let now = e.now();
        let mut horizon = opts.horizon_secs.max(1);
        if let Some(freeze) = shock.oracle_freeze_secs {
            // Each oracle keeps today's price for the freeze (primed with it first).
            for st in e.world.assets.values_mut() {
                let mut o = Oracle::new(OracleSpec::Frozen {
                    from_secs: now + 1,
                    until_secs: Some(now + 1 + freeze),
                    max_age_secs: 3600,
                });
                o.observe(now, st.price);
                st.oracle = o;
            }
            horizon = horizon.max(freeze + opts.step_secs.max(1));
        }
        if let Some(f) = shock.depth_factor {
            for m in &applied {
                if let Some(a) = e.cfg.assets.iter_mut().find(|a| a.id == m.asset) {
                    a.market_depth = a.market_depth.map(|d| (d * f).max(Decimal::ONE));
                }
            }
        }
        let prices: BTreeMap<AssetId, Decimal> =
            applied.iter().map(|m| (m.asset.clone(), m.after)).collect();
        let bad0 = e.world.ledger.bad_debt.clone();
        // One second later, then every step up to the horizon (and the moment a freeze ends).
        let step = opts.step_secs.max(1);
        let mut times: Vec<i64> = (1..=horizon / step).map(|k| k * step).collect();
        times.push(1);
        if let Some(freeze) = shock.oracle_freeze_secs {
            times.push(1 + freeze);
        }
        times.sort_unstable();
        times.dedup();
        for t in times.into_iter().filter(|t| *t <= horizon) {
            e.step(now + t, &prices)?;
        }
        Ok(summarize_run(
            &e,
            account,
            shock,
            applied,
            horizon,
            (equity_before, m0.health(), m0.margin_ratio),
            bad0,
        ))
    }
}

/// Reads what happened to `account` in the working copy `e` (its log holds only the stress).
pub(crate) fn summarize_run(
    e: &Engine,
    account: AccountId,
    shock: &StressShock,
    applied: Vec<AppliedMove>,
    horizon_secs: i64,
    before: (Decimal, Option<Decimal>, Option<Decimal>),
    bad0: BTreeMap<AssetId, Decimal>,
) -> StressResult {
    let m1 = e.account_metrics(&account).ok();
    let equity_after = e.market_equity(&account).unwrap_or_default();
    let mut liquidated: BTreeMap<AssetId, LiquidatedLine> = BTreeMap::new();
    let (mut penalties, mut bad_debt) = (Decimal::ZERO, Decimal::ZERO);
    let mut margin_call_issued = false;
    let mut events = Vec::new();
    for ev in e.events() {
        let mine = ev.kind.account() == Some(account);
        if let Some(s) = ev.kind.liquidation_summary(account) {
            penalties += s.penalty;
            let (asset, amount) = match &ev.kind {
                EventKind::Liquidated {
                    collateral_asset,
                    collateral_seized,
                    ..
                } => (collateral_asset.clone(), *collateral_seized),
                EventKind::PositionLiquidated { market, size, .. } => (market.clone(), *size),
                EventKind::AuctionStarted {
                    collateral, lot, ..
                } => (collateral.clone(), *lot),
                _ => continue,
            };
            let line = liquidated
                .entry(asset.clone())
                .or_insert_with(|| LiquidatedLine {
                    asset,
                    amount: Decimal::ZERO,
                    value: Decimal::ZERO,
                    penalty: Decimal::ZERO,
                });
            line.amount += amount;
            line.value += s.seized_value;
            line.penalty += s.penalty;
        }
        match &ev.kind {
            EventKind::BadDebt {
                account: a,
                asset,
                amount,
            } if *a == account => bad_debt += *amount * e.world.price(asset),
            EventKind::MarginCallIssued { account: a, .. } if *a == account => {
                margin_call_issued = true
            }
            _ => {}
        }
        let relevant = mine
            || matches!(
                ev.kind,
                EventKind::MarketImpact { .. }
                    | EventKind::AuctionTake { .. }
                    | EventKind::AuctionEnded { .. }
                    | EventKind::AuctionReset { .. }
            );
        if relevant {
            events.push(ev.clone());
        }
    }
    let system_bad_debt: Decimal = e
        .world
        .ledger
        .bad_debt
        .iter()
        .map(|(a, amt)| (*amt - bad0.get(a).copied().unwrap_or_default()) * e.world.price(a))
        .sum();
    StressResult {
        id: shock.id.clone(),
        name: shock.name.clone(),
        source: shock.source.clone(),
        applied,
        horizon_secs,
        equity_before: before.0,
        equity_after,
        loss: before.0 - equity_after,
        health_before: before.1,
        health_after: m1.as_ref().and_then(|m| m.health()),
        margin_ratio_before: before.2,
        margin_ratio_after: m1.as_ref().and_then(|m| m.margin_ratio),
        liquidated: liquidated.into_values().collect(),
        penalties,
        bad_debt,
        system_bad_debt,
        margin_call_issued,
        margin_call_deadline: e.margin_call(&account).map(|c| c.deadline),
        liquidatable_after: e.is_liquidatable(&account),
        events,
    }
}
