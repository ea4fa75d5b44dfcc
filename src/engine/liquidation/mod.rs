//! Liquidation mechanisms as swappable strategies behind [`LiquidationMechanism`], one per file:
//!
//! - [`partial`]: Aave v3 — close factor 50%, 100% below HF 0.95; the liquidator earns the bonus.
//! - [`full`]: Compound III absorb / Maker SCD bite — the whole debt is closed at once; the penalty
//!   goes to protocol reserves.
//! - [`stability_pool`]: Liquity v1 — the stability pool absorbs the debt and receives the
//!   collateral; the rest is redistributed to the other vaults of the same collateral.
//! - [`dutch_auction`]: Maker Liquidations 2.0 — the vault's collateral is auctioned at a
//!   decaying price, with resets after `tail` seconds or a `cusp` drop.
//! - [`perp`]: perpetuals on mark price with liquidation fee, insurance fund and auto-deleveraging.
//! - [`margin_call`]: a broker's margin call — a deadline to cure, then a forced sale (or at once
//!   below a hard floor).
//!
//! A mechanism works on copies of the world and the account (a [`LiqContext`]); the engine commits
//! them when it returns `Ok`. Accounts other than the one liquidated are read-only in `others`;
//! a mechanism that changes them (redistribution, ADL) pushes updated copies to `updated_others`.
//! Collateral that liquidators sell (positive) or buy (negative) is added to `sales` and moves the
//! market price through the slippage model (`slippage.rs`), which is how cascades happen.

pub mod dutch_auction;
pub mod full;
pub mod margin_call;
pub mod partial;
pub mod perp;
pub mod stability_pool;

use super::account::{Account, Accounts};
use super::error::EngineError;
use super::event::EventKind;
use super::health::{lending_view, vault_liquidatable, vault_view};
use super::ids::{AccountId, AssetId};
use super::params::config::{EngineConfig, LiquidationKind};
use super::state::World;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What is being liquidated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The pooled collateral and debt of a multi-collateral account.
    Account,
    /// One single-collateral vault, named by its collateral.
    Vault(AssetId),
    /// The perp positions (isolated ones below maintenance, or the cross book).
    Positions,
}

/// Mutable copies a mechanism works on.
pub struct LiqContext<'a> {
    pub cfg: &'a EngineConfig,
    pub world: &'a mut World,
    pub account: &'a mut Account,
    pub others: &'a Accounts,
    pub updated_others: BTreeMap<AccountId, Account>,
    /// Net amounts sold into the market by liquidations, per asset.
    pub sales: BTreeMap<AssetId, Decimal>,
}

impl LiqContext<'_> {
    /// Returns the latest copy of another account (an updated one if this liquidation changed it).
    pub fn other(&self, id: AccountId) -> Option<&Account> {
        self.updated_others
            .get(&id)
            .or_else(|| self.others.get(&id))
    }
    pub fn put_other(&mut self, acc: Account) {
        self.updated_others.insert(acc.id, acc);
    }
    pub fn add_sale(&mut self, asset: &AssetId, amount: Decimal) {
        super::account::bump(&mut self.sales, asset, amount);
    }
}

/// A liquidation strategy. `liquidate` is called only when the target is liquidatable and must
/// make progress (reduce debt, close size or record bad debt) or say why it cannot
/// ([`EventKind::LiquidationBlocked`]).
pub trait LiquidationMechanism {
    /// A short name for the event log, naming the modelled system.
    fn name(&self) -> &'static str;
    fn liquidate(
        &self,
        ctx: &mut LiqContext<'_>,
        target: &Target,
    ) -> Result<Vec<EventKind>, EngineError>;
    /// Work the mechanism does every step after liquidations, whatever the prices did (a Dutch
    /// auction's resets, takes and endings). Most mechanisms have none.
    fn on_step(&self, _cfg: &EngineConfig, _w: &mut World) -> Result<StepOutcome, EngineError> {
        Ok(StepOutcome::default())
    }
}

/// What a mechanism's per-step work did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepOutcome {
    pub events: Vec<EventKind>,
    /// Collateral to give back to owners (auctions that raised their tab).
    pub refunds: Vec<(AccountId, AssetId, Decimal)>,
    /// Collateral keepers bought (they resell it: market impact).
    pub sales: BTreeMap<AssetId, Decimal>,
}

/// True when `events` liquidated something or recorded a loss (progress was made).
fn progressed(events: &[EventKind]) -> bool {
    events.iter().any(|e| {
        e.is_liquidation()
            || matches!(
                e,
                EventKind::BadDebt { .. } | EventKind::PositionLiquidated { .. }
            )
    })
}

/// The mechanism for lending accounts and vaults.
pub fn mechanism(kind: &LiquidationKind) -> Box<dyn LiquidationMechanism> {
    match kind {
        LiquidationKind::Partial => Box::new(partial::Partial),
        LiquidationKind::Full => Box::new(full::Full),
        LiquidationKind::StabilityPool => Box::new(stability_pool::StabilityPoolAbsorb),
        LiquidationKind::DutchAuction(p) => Box::new(dutch_auction::DutchAuction(p.clone())),
        LiquidationKind::MarginCall(p) => Box::new(margin_call::MarginCall(p.clone())),
    }
}

/// At most this many liquidation calls per target per round (partial liquidations repeat).
const MAX_CALLS: usize = 16;

/// Liquidates whatever is liquidatable in `ctx.account`.
pub fn liquidate_account(ctx: &mut LiqContext<'_>) -> Result<Vec<EventKind>, EngineError> {
    let mut events = Vec::new();
    let mech = mechanism(&ctx.cfg.liquidation);
    for _ in 0..MAX_CALLS {
        if !lending_view(ctx.cfg, ctx.world, ctx.account)?.liquidatable() {
            break;
        }
        let evs = mech.liquidate(ctx, &Target::Account)?;
        let stuck = !progressed(&evs);
        events.extend(evs);
        if stuck {
            break;
        }
    }
    let vaults: Vec<AssetId> = ctx.account.vaults.keys().cloned().collect();
    for c in vaults {
        if ctx.cfg.liquity.is_some() {
            // Take in what redistribution gave this vault before judging it.
            if let Some(v) = ctx.account.vaults.get_mut(&c) {
                super::health::settle_pending(ctx.world, &c, v)?;
            }
        }
        for _ in 0..MAX_CALLS {
            let Some(v) = ctx.account.vaults.get(&c) else {
                break;
            };
            if !vault_liquidatable(ctx.cfg, ctx.world, &vault_view(ctx.cfg, ctx.world, &c, v)?) {
                break;
            }
            let evs = mech.liquidate(ctx, &Target::Vault(c.clone()))?;
            let stuck = !progressed(&evs);
            events.extend(evs);
            if stuck {
                break;
            }
        }
    }
    if !ctx.account.positions.is_empty() {
        events.extend(perp::PerpLiquidation.liquidate(ctx, &Target::Positions)?);
    }
    Ok(events)
}

/// Records bad debt for everything a multi-collateral account still owes once its collateral is
/// gone (supply that is not collateral, in Aave's isolation mode, does not count).
pub(crate) fn write_off_if_empty(ctx: &mut LiqContext<'_>) -> Result<Vec<EventKind>, EngineError> {
    let mut events = Vec::new();
    let acc = &*ctx.account;
    if acc
        .collateral_scaled
        .keys()
        .any(|a| !acc.collateral_off.contains(a))
    {
        return Ok(events);
    }
    let debts: Vec<(AssetId, Decimal)> = ctx
        .account
        .debt_scaled
        .iter()
        .map(|(a, s)| (a.clone(), *s))
        .collect();
    for (asset, scaled) in debts {
        let st = ctx.world.asset_mut(&asset)?;
        let amount = scaled * st.borrow_index;
        st.total_debt_scaled -= scaled;
        ctx.account.debt_scaled.remove(&asset);
        super::account::bump(&mut ctx.world.ledger.bad_debt, &asset, amount);
        if let Some(iso) = ctx.account.isolation.clone() {
            let st = ctx.world.asset_mut(&iso)?;
            st.isolation_debt = (st.isolation_debt - amount).max(Decimal::ZERO);
        }
        events.push(EventKind::BadDebt {
            account: ctx.account.id,
            asset,
            amount,
        });
    }
    Ok(events)
}
