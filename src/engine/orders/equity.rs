//! An account's equity alone, computed the way [`account_metrics`](crate::engine::metrics)
//! computes `equity` (same terms, same order of additions, so the same `Decimal`), without the
//! rest of the metrics: what a test across seeds reads every tick to find the worst drawdown.

use rust_decimal::Decimal;

use crate::engine::account::Account;
use crate::engine::core::Engine;
use crate::engine::error::{EngineError, Rejection};
use crate::engine::health::{collateral_amount, debt_amount, vault_view};
use crate::engine::ids::AccountId;
use crate::engine::liquidation::stability_pool::current_deposit;
use crate::engine::num::{add, mul, sub};
use crate::engine::params::config::EngineConfig;
use crate::engine::state::World;

/// Net worth at oracle prices: wallet + collateral − debts + vaults (collateral − debt) +
/// positions (margin + PnL − funding) + stability deposit (`AccountMetrics::equity`).
pub fn account_equity(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
) -> Result<Decimal, EngineError> {
    let mut wallet_value = Decimal::ZERO;
    for (asset, amount) in &acc.wallet {
        wallet_value = add(wallet_value, mul(*amount, w.price(asset))?)?;
    }
    let mut raw_collateral = Decimal::ZERO;
    for asset in acc.collateral_scaled.keys() {
        raw_collateral = add(
            raw_collateral,
            mul(collateral_amount(w, acc, asset), w.price(asset))?,
        )?;
    }
    let mut vault_net = Decimal::ZERO;
    for (asset, vault) in &acc.vaults {
        let vv = vault_view(cfg, w, asset, vault)?;
        vault_net = add(vault_net, sub(vv.collateral_value, vv.debt_value)?)?;
    }
    // `position_view`'s margin + PnL − funding, by the same operations (without the
    // maintenance tiers, which equity does not need).
    let mut perp_net = Decimal::ZERO;
    for (market, pos) in &acc.positions {
        let st = w.asset(market)?;
        let s = mul(pos.sign(), pos.size)?;
        let pnl = mul(s, sub(st.price, pos.entry_price)?)?;
        let funding = mul(s, sub(st.funding_cumulative, pos.funding_snapshot)?)?;
        perp_net = add(perp_net, sub(add(pos.margin, pnl)?, funding)?)?;
    }
    let mut debt_value_raw = Decimal::ZERO;
    for asset in acc.debt_scaled.keys() {
        debt_value_raw = add(
            debt_value_raw,
            mul(debt_amount(w, acc, asset), w.price(asset))?,
        )?;
    }
    let stability = current_deposit(&w.ledger.stability, acc);
    add(
        add(
            sub(add(wallet_value, raw_collateral)?, debt_value_raw)?,
            add(vault_net, perp_net)?,
        )?,
        mul(stability, w.price(&cfg.debt_asset))?,
    )
}

impl Engine {
    /// [`account_equity`] of `account` now.
    pub fn account_equity(&self, account: &AccountId) -> Result<Decimal, Rejection> {
        let acc = self
            .accounts
            .get(account)
            .ok_or(Rejection::UnknownAccount(*account))?;
        account_equity(&self.cfg, &self.world, acc).map_err(Rejection::from)
    }
}
