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
//! Maker ETH-A (illustrative): buf 1.2, tail 8,400 s, cusp 0.4, stair-step exponential with a 1%
//! cut every 90 s.

use super::{LiqContext, LiquidationMechanism, Target};
use crate::engine::account::bump;
use crate::engine::config::EngineConfig;
use crate::engine::error::EngineError;
use crate::engine::event::EventKind;
use crate::engine::health::vault_view;
use crate::engine::ids::{AccountId, AssetId};
use crate::engine::num::{div, mul};
use crate::engine::state::World;
use rust_decimal::{Decimal, MathematicalOps};
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How the auction price falls with time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PriceDecay {
    /// `top × (1 − elapsed / tau)`, floored at zero.
    Linear { tau_secs: i64 },
    /// `top × cut ^ floor(elapsed / step)`.
    StairstepExponential {
        step_secs: i64,
        #[serde(with = "rust_decimal::serde::str")]
        cut: Decimal,
    },
}

/// Auction parameters (Maker `clip` / `abacus`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuctionParams {
    /// Starting price multiplier over the oracle price.
    #[serde(with = "rust_decimal::serde::str")]
    pub buf: Decimal,
    /// Reset after this many seconds.
    pub tail_secs: i64,
    /// Reset when the price falls below `cusp × top`.
    #[serde(with = "rust_decimal::serde::str")]
    pub cusp: Decimal,
    pub decay: PriceDecay,
    /// Keepers buy only when the auction price is this far below the market price.
    #[serde(with = "rust_decimal::serde::str")]
    pub keeper_discount: Decimal,
    /// Most debt-asset value keepers will spend per step (`None` = unlimited).
    #[serde(with = "rust_decimal::serde::str_option")]
    pub keeper_capacity: Option<Decimal>,
}

impl AuctionParams {
    /// Maker ETH-A-like parameters.
    pub fn maker_eth_a() -> Self {
        Self {
            buf: dec!(1.2),
            tail_secs: 8400,
            cusp: dec!(0.4),
            decay: PriceDecay::StairstepExponential {
                step_secs: 90,
                cut: dec!(0.99),
            },
            keeper_discount: dec!(0.02),
            keeper_capacity: None,
        }
    }

    /// The auction price `elapsed` seconds after `top` was set.
    pub fn price(&self, top: Decimal, elapsed: i64) -> Decimal {
        let elapsed = elapsed.max(0);
        match &self.decay {
            PriceDecay::Linear { tau_secs } => {
                if *tau_secs <= 0 || elapsed >= *tau_secs {
                    return Decimal::ZERO;
                }
                top * (Decimal::ONE - Decimal::from(elapsed) / Decimal::from(*tau_secs))
            }
            PriceDecay::StairstepExponential { step_secs, cut } => {
                let steps = if *step_secs > 0 {
                    elapsed / step_secs
                } else {
                    0
                };
                cut.checked_powi(steps)
                    .map(|f| top * f)
                    .unwrap_or(Decimal::ZERO)
            }
        }
    }
}

/// A running auction.
#[derive(Clone, Debug, PartialEq)]
pub struct Auction {
    pub id: u64,
    pub owner: AccountId,
    pub collateral: AssetId,
    /// Collateral left to sell.
    pub lot: Decimal,
    /// Debt-asset amount still to raise (debt + penalty).
    pub tab: Decimal,
    /// Part of the tab that is debt (the rest is penalty).
    pub debt: Decimal,
    pub top: Decimal,
    pub started_at: i64,
}

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
        Ok(vec![EventKind::AuctionStarted {
            id,
            account: ctx.account.id,
            collateral: c.clone(),
            lot: v.collateral,
            tab,
            start_price: top,
            collateral_ratio: view.ratio(),
            debt: view.debt,
            oracle_price: ctx.world.price(c),
        }])
    }
}

/// What [`process`] did in one step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuctionOutcome {
    pub events: Vec<EventKind>,
    /// Collateral to give back to owners (auctions that raised their tab).
    pub refunds: Vec<(AccountId, AssetId, Decimal)>,
    /// Collateral keepers bought (they resell it: market impact).
    pub sales: BTreeMap<AssetId, Decimal>,
}

/// Resets, takes and settles running auctions at the world's time.
pub fn process(
    cfg: &EngineConfig,
    params: &AuctionParams,
    w: &mut World,
) -> Result<AuctionOutcome, EngineError> {
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
    Ok(AuctionOutcome {
        events,
        refunds,
        sales,
    })
}
