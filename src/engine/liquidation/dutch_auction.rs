//! Dutch auction liquidation (Maker Liquidations 2.0, `clip`).
//!
//! - `bark`: a vault below its liquidation ratio is confiscated whole. Its collateral (`lot`) goes
//!   to an auction that must raise `tab = debt × (1 + penalty)` in the debt asset.
//! - The price starts at `top = oracle × buf` and decays with time (`abacus`): linear to zero over
//!   `tau` seconds, or stair-step exponential (`cut` every `step` seconds).
//! - `take`: keepers buy when the auction price is at least `keeper_discount` below the market
//!   price (their profit margin), up to `keeper_capacity` of debt-asset value per step (keepers
//!   can fail, as on Black Thursday, 12 March 2020). Money raised first cancels the debt, then pays
//!   the penalty into the protocol surplus.
//! - `redo`: the auction resets (`top` from the current oracle price) once it is older than
//!   `tail` seconds or its price has fallen below `cusp × top`.
//! - It ends when the tab is raised (the rest of the lot goes back to the owner) or the lot is
//!   sold out (any debt left is bad debt).
//!
//! - Keepers are paid `tip + chip × tab` by the system (out of the surplus) for each kick and
//!   redo (`clip.sol`), so that someone starts and restarts auctions.
//!
//! Parameters live in [`AuctionParams`]; each rules version's ETH-A values are in
//! `engine::system` (2026-11: buf 1.2, tail 8,400 s, cusp 0.4, no incentives; since the
//! 2022-10-12 spell: buf 1.10, tail 7,200 s, cusp 0.45, tip 250 DAI, chip 0.1%).

use super::{LiqContext, LiquidationMechanism, StepOutcome, Target};
use crate::engine::account::bump;
use crate::engine::error::EngineError;
use crate::engine::event::EventKind;
use crate::engine::health::vault_view;
use crate::engine::num::{div, mul};
use crate::engine::params::auction::AuctionParams;
use crate::engine::params::EngineConfig;
use crate::engine::state::{Auction, World};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub struct DutchAuction(pub AuctionParams);

impl LiquidationMechanism for DutchAuction {
    fn name(&self) -> &'static str {
        "Dutch auction (Maker Liquidations 2.0)"
    }

    fn liquidate(
        &self,
        ctx: &mut LiqContext<'_>,
        target: &Target,
    ) -> Result<Vec<EventKind>, EngineError> {
        let Target::Vault(c) = target else {
            return Ok(Vec::new());
        };
        let Some(v) = ctx.account.vaults.get(c).cloned() else {
            return Ok(Vec::new());
        };
        let view = vault_view(ctx.cfg, ctx.world, c, &v)?;
        let pen = ctx
            .cfg
            .asset(c)
            .map(|p| p.liquidation_penalty)
            .unwrap_or_default();
        crate::engine::health::remove_stake(ctx.world, c, &v)?;
        let st = ctx.world.asset_mut(c)?;
        st.vault_debt_scaled -= v.debt_scaled;
        st.vault_collateral -= v.collateral;
        ctx.account.vaults.remove(c);
        let top = mul(ctx.world.price(c), self.0.buf)?;
        let id = ctx.world.next_auction_id;
        ctx.world.next_auction_id += 1;
        let tab = mul(view.debt, Decimal::ONE + pen)?;
        ctx.world.auctions.insert(
            id,
            Auction {
                id,
                owner: ctx.account.id,
                collateral: c.clone(),
                lot: v.collateral,
                tab,
                debt: view.debt,
                top,
                started_at: ctx.world.now,
            },
        );
        let mut events = vec![EventKind::AuctionStarted {
            id,
            account: ctx.account.id,
            collateral: c.clone(),
            lot: v.collateral,
            tab,
            start_price: top,
            collateral_ratio: view.ratio(),
            debt: view.debt,
            oracle_price: ctx.world.price(c),
        }];
        events.extend(pay_keeper(ctx.cfg, &self.0, ctx.world, id, tab)?);
        Ok(events)
    }

    fn on_step(&self, cfg: &EngineConfig, w: &mut World) -> Result<StepOutcome, EngineError> {
        process(cfg, &self.0, w)
    }
}

/// The keeper incentive for a kick or redo, `tip + chip × tab`, paid by the system: out of the
/// reserves (the surplus) to the keeper. Nothing when both are zero (the 2026-11 rules).
fn pay_keeper(
    cfg: &EngineConfig,
    params: &AuctionParams,
    w: &mut World,
    id: u64,
    tab: Decimal,
) -> Result<Option<EventKind>, EngineError> {
    if params.tip.is_zero() && params.chip.is_zero() {
        return Ok(None);
    }
    let chip = mul(params.chip, tab)?;
    let total = params.tip + chip;
    bump(&mut w.ledger.reserves, &cfg.debt_asset, -total);
    bump(&mut w.ledger.liquidators, &cfg.debt_asset, total);
    Ok(Some(EventKind::KeeperIncentive {
        id,
        tip: params.tip,
        chip,
        total,
    }))
}

/// Resets, takes and settles running auctions at the world's time.
pub fn process(
    cfg: &EngineConfig,
    params: &AuctionParams,
    w: &mut World,
) -> Result<StepOutcome, EngineError> {
    let mut events = Vec::new();
    let mut refunds = Vec::new();
    let mut sales = BTreeMap::new();
    let mut capacity = params.keeper_capacity;
    let debt_asset = cfg.debt_asset.clone();
    let ids: Vec<u64> = w.auctions.keys().copied().collect();
    for id in ids {
        let Some(mut a) = w.auctions.get(&id).cloned() else {
            continue;
        };
        let now = w.now;
        let mut price = params.price(a.top, now - a.started_at);
        if now - a.started_at > params.tail_secs || price < mul(a.top, params.cusp)? {
            a.top = mul(w.price(&a.collateral), params.buf)?;
            a.started_at = now;
            price = a.top;
            events.push(EventKind::AuctionReset {
                id,
                start_price: a.top,
            });
            events.extend(pay_keeper(cfg, params, w, id, a.tab)?);
        }
        let market = w.asset(&a.collateral)?.market_price;
        let willing =
            price > Decimal::ZERO && price <= mul(market, Decimal::ONE - params.keeper_discount)?;
        if willing {
            let mut amount = a.lot.min(div(a.tab, price)?);
            if let Some(cap) = capacity {
                amount = amount.min(div(cap, price)?);
            }
            if amount > Decimal::ZERO {
                let owe = if amount == a.lot || mul(amount, price)? > a.tab {
                    mul(amount, price)?.min(a.tab)
                } else {
                    mul(amount, price)?
                };
                if let Some(cap) = capacity.as_mut() {
                    *cap = (*cap - owe).max(Decimal::ZERO);
                }
                a.lot -= amount;
                a.tab -= owe;
                let to_debt = owe.min(a.debt);
                a.debt -= to_debt;
                bump(&mut w.ledger.reserves, &debt_asset, owe - to_debt);
                bump(&mut w.ledger.liquidators, &debt_asset, -owe);
                bump(&mut w.ledger.liquidators, &a.collateral, amount);
                bump(&mut sales, &a.collateral, amount);
                events.push(EventKind::AuctionTake {
                    id,
                    amount,
                    price,
                    paid: owe,
                    tab_left: a.tab,
                    lot_left: a.lot,
                });
            }
        }
        if a.tab <= Decimal::ZERO || a.lot <= Decimal::ZERO {
            let mut bad = Decimal::ZERO;
            if a.debt > Decimal::ZERO {
                bad = a.debt;
                bump(&mut w.ledger.bad_debt, &debt_asset, bad);
                events.push(EventKind::BadDebt {
                    account: a.owner,
                    asset: debt_asset.clone(),
                    amount: bad,
                });
            }
            if a.lot > Decimal::ZERO {
                refunds.push((a.owner, a.collateral.clone(), a.lot));
            }
            events.push(EventKind::AuctionEnded {
                id,
                returned_to_owner: a.lot,
                bad_debt: bad,
            });
            w.auctions.remove(&id);
        } else {
            w.auctions.insert(id, a);
        }
    }
    Ok(StepOutcome {
        events,
        refunds,
        sales,
    })
}
