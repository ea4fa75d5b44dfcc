//! Builders shared by the engine test files (each test binary uses what it needs).
#![allow(dead_code)]

use margin_lab::engine::params::asset::FundingModel;
use margin_lab::engine::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

pub fn a(t: &str) -> AssetId {
    AssetId::new(t)
}

/// Market prices for a step.
pub fn prices(list: &[(&str, Decimal)]) -> BTreeMap<AssetId, Decimal> {
    list.iter().map(|(t, p)| (a(t), *p)).collect()
}

/// No market impact, no interest, no funding: figures can be checked exactly by hand.
pub fn exact(mut cfg: EngineConfig) -> EngineConfig {
    for x in &mut cfg.assets {
        x.market_depth = None;
        x.rate = RateModel::zero();
        x.stability_fee = Decimal::ZERO;
        if let Some(p) = &mut x.perp {
            p.funding = FundingModel::Skew {
                coefficient: Decimal::ZERO,
            };
        }
    }
    cfg
}

/// An engine of `cfg` (panics with the reason if the configuration is refused).
pub fn engine(cfg: EngineConfig) -> Engine {
    Engine::new(cfg).unwrap_or_else(|e| panic!("{e}"))
}

/// Applies `cmd` for the learner, panicking with the rejection's reason.
pub fn act(e: &mut Engine, cmd: Command) -> Vec<Event> {
    e.apply(AccountId::USER, cmd.clone())
        .unwrap_or_else(|r| panic!("{cmd:?}: {r}"))
}

pub fn deposit(asset: &str, amount: Decimal) -> Command {
    Command::Deposit {
        asset: a(asset),
        amount,
    }
}

pub fn borrow(asset: &str, amount: Decimal) -> Command {
    Command::Borrow {
        asset: a(asset),
        amount,
    }
}

pub fn vault_deposit(asset: &str, amount: Decimal) -> Command {
    Command::VaultDeposit {
        collateral: a(asset),
        amount,
    }
}

pub fn vault_borrow(asset: &str, amount: Decimal) -> Command {
    Command::VaultBorrow {
        collateral: a(asset),
        amount,
    }
}

/// Asserts the conservation law (DOMAIN-free: every unit is somewhere).
pub fn conserved(e: &Engine) {
    for (asset, r) in e
        .conservation_residual()
        .expect("every vault can be valued")
    {
        assert!(r.abs() < dec!(0.000001), "{asset}: residual {r}");
    }
}

/// The kinds of the events that match `pick`.
pub fn kinds(events: &[Event], pick: impl Fn(&EventKind) -> bool) -> Vec<EventKind> {
    events
        .iter()
        .map(|e| e.kind.clone())
        .filter(|k| pick(k))
        .collect()
}

/// The `Liquidated` events.
pub fn liquidations(events: &[Event]) -> Vec<EventKind> {
    kinds(events, |k| matches!(k, EventKind::Liquidated { .. }))
}
