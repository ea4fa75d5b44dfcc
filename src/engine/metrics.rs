//! Read-only metrics per account and for the system (values in the quote currency at oracle prices).

use super::account::Account;
use super::command::{MarginMode, Side};
use super::error::EngineError;
use super::health::{
    collateral_amount, collateral_line, collateral_liquidation_price, debt_amount, lending_view,
    vault_view, CollateralLine,
};
use super::ids::{AccountId, AssetId};
use super::margin::perp_view;
use super::num::{add, mul, ratio, sub};
use super::params::config::EngineConfig;
use super::state::World;
use rust_decimal::Decimal;

/// A price per asset (e.g. the collateral price at which the account becomes liquidatable).
#[derive(Clone, Debug, PartialEq)]
pub struct AssetLiquidationPrice {
    pub asset: AssetId,
    pub amount: Decimal,
    pub liquidation_price: Option<Decimal>,
}

/// One vault (single-collateral design).
#[derive(Clone, Debug, PartialEq)]
pub struct VaultMetrics {
    pub collateral_asset: AssetId,
    pub collateral: Decimal,
    pub debt: Decimal,
    /// `None` when the vault has no debt.
    pub collateral_ratio: Option<Decimal>,
    pub liquidation_ratio: Decimal,
    /// `debt × liquidation_ratio / collateral` (DOMAIN.md).
    pub liquidation_price: Option<Decimal>,
    /// More debt that could be drawn at the current price (debt-asset units).
    pub available_to_borrow: Decimal,
    pub liquidatable: bool,
}

/// One perp position.
#[derive(Clone, Debug, PartialEq)]
pub struct PositionMetrics {
    pub market: AssetId,
    pub side: Side,
    pub mode: MarginMode,
    pub size: Decimal,
    pub entry_price: Decimal,
    pub mark_price: Decimal,
    pub notional: Decimal,
    /// Isolated margin (zero for cross).
    pub margin: Decimal,
    pub unrealized_pnl: Decimal,
    pub funding_owed: Decimal,
    pub maintenance_rate: Decimal,
    pub maintenance_margin: Decimal,
    /// Leverage chosen at the last increase.
    pub leverage: Decimal,
    /// Initial margin at the current mark: `notional / leverage` (what the order ticket shows as
    /// margin required).
    pub initial_margin: Decimal,
    pub liquidation_price: Option<Decimal>,
    pub liquidatable: bool,
}

/// Everything the UI shows about one account.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountMetrics {
    pub account: AccountId,
    /// Multi-collateral health factor; `None` when there is no debt.
    pub health_factor: Option<Decimal>,
    /// Multi-collateral: collateral value / debt value. Single-collateral: the lowest vault ratio.
    pub collateral_ratio: Option<Decimal>,
    /// Single-collateral: the lowest `collateral ratio ÷ liquidation ratio` over the vaults — the
    /// vault analogue of the health factor (liquidation below 1); `None` without vault debt.
    pub vault_health: Option<Decimal>,
    /// Perps: maintenance margin / equity (liquidation at 1); `None` without positions.
    pub margin_ratio: Option<Decimal>,
    pub collateral_value: Decimal,
    pub weighted_collateral: Decimal,
    pub borrow_limit: Decimal,
    pub debt_value: Decimal,
    /// Multi-collateral: `borrow_limit − debt_value` (quote value, not below zero).
    pub available_to_borrow: Decimal,
    pub collateral_liquidation_prices: Vec<AssetLiquidationPrice>,
    /// Per collateral: value after haircut and contribution to borrowing power and health.
    pub collateral: Vec<CollateralLine>,
    /// Wallet balances (not collateral), by asset.
    pub wallet: Vec<(AssetId, Decimal)>,
    pub vaults: Vec<VaultMetrics>,
    pub positions: Vec<PositionMetrics>,
    pub maintenance_margin: Decimal,
    pub perp_equity: Decimal,
    pub wallet_value: Decimal,
    /// Net worth: wallet + collateral + vault collateral + margins + PnL − funding − debts
    /// + stability deposit.
    pub equity: Decimal,
    pub unrealized_pnl: Decimal,
    pub realized_pnl: Decimal,
    pub stability_deposit: Decimal,
    pub liquidatable: bool,
    /// Aave e-mode category in use.
    pub emode: Option<u8>,
    /// Aave isolation mode: the isolated collateral, its debt ceiling and what is borrowed against
    /// it over every borrower.
    pub isolation: Option<IsolationStatus>,
}

/// An account in Aave's isolation mode.
#[derive(Clone, Debug, PartialEq)]
pub struct IsolationStatus {
    pub asset: AssetId,
    pub debt_ceiling: Decimal,
    pub debt_used: Decimal,
}

impl AccountMetrics {
    /// The one number to watch, liquidation below 1: the health factor of a multi-collateral
    /// account, else the weakest vault's ratio over its liquidation ratio.
    pub fn health(&self) -> Option<Decimal> {
        self.health_factor.or(self.vault_health)
    }
}

/// The two ratios the health chart records every tick — [`AccountMetrics::health`] (health
/// factor, or the weakest vault's ratio over its liquidation ratio) and
/// [`AccountMetrics::margin_ratio`] — from the same views as [`account_metrics`], without the
/// rest of the metrics (wallet, collateral lines, liquidation prices, position lines), which cost
/// most of a playback tick when recorded every tick. Equal to `account_metrics`' values whenever
/// that succeeds (`tests/replay_session.rs` compares them over sessions of every preset).
pub fn risk_ratios(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
) -> Result<(Option<Decimal>, Option<Decimal>), EngineError> {
    let lv = lending_view(cfg, w, acc)?;
    let pv = perp_view(cfg, w, acc)?;
    let mut vault_health: Option<Decimal> = None;
    for (asset, vault) in &acc.vaults {
        let vv = vault_view(cfg, w, asset, vault)?;
        if let Some(h) = vv.ratio().and_then(|r| ratio(r, vv.liquidation_ratio)) {
            vault_health = Some(vault_health.map_or(h, |m| m.min(h)));
        }
    }
    Ok((lv.health_factor().or(vault_health), pv.margin_ratio()))
}

/// Computes an account's metrics.
pub fn account_metrics(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
) -> Result<AccountMetrics, EngineError> {
    let lv = lending_view(cfg, w, acc)?;
    let pv = perp_view(cfg, w, acc)?;
    let mut wallet_value = Decimal::ZERO;
    for (asset, amount) in &acc.wallet {
        wallet_value = add(wallet_value, mul(*amount, w.price(asset))?)?;
    }
    let mut raw_collateral = Decimal::ZERO;
    let mut liq_prices = Vec::new();
    let mut collateral = Vec::new();
    for asset in acc.collateral_scaled.keys() {
        let amount = collateral_amount(w, acc, asset);
        raw_collateral = add(raw_collateral, mul(amount, w.price(asset))?)?;
        collateral.push(collateral_line(cfg, w, acc, asset)?);
        liq_prices.push(AssetLiquidationPrice {
            asset: asset.clone(),
            amount,
            liquidation_price: collateral_liquidation_price(cfg, w, acc, &lv, asset),
        });
    }
    let mut vaults = Vec::new();
    let mut vault_net = Decimal::ZERO;
    let mut min_vault_ratio: Option<Decimal> = None;
    let mut vault_health: Option<Decimal> = None;
    let debt_price = w.price(&cfg.debt_asset);
    for (asset, vault) in &acc.vaults {
        let vv = vault_view(cfg, w, asset, vault)?;
        vault_net = add(vault_net, sub(vv.collateral_value, vv.debt_value)?)?;
        let r = vv.ratio();
        if let Some(r) = r {
            min_vault_ratio = Some(min_vault_ratio.map_or(r, |m| m.min(r)));
            if let Some(h) = ratio(r, vv.liquidation_ratio) {
                vault_health = Some(vault_health.map_or(h, |m| m.min(h)));
            }
        }
        let max_debt_value = ratio(vv.collateral_value, vv.liquidation_ratio).unwrap_or_default();
        let available = ratio(max_debt_value - vv.debt_value, debt_price)
            .unwrap_or_default()
            .max(Decimal::ZERO);
        vaults.push(VaultMetrics {
            collateral_asset: asset.clone(),
            collateral: vv.collateral,
            debt: vv.debt,
            collateral_ratio: r,
            liquidation_ratio: vv.liquidation_ratio,
            liquidation_price: vv.liquidation_price(),
            available_to_borrow: available,
            liquidatable: super::health::vault_liquidatable(cfg, w, &vv),
        });
    }
    let mut positions = Vec::new();
    let mut upnl = Decimal::ZERO;
    let mut perp_net = Decimal::ZERO;
    for p in &pv.positions {
        upnl = add(upnl, p.unrealized_pnl)?;
        perp_net = add(
            perp_net,
            sub(add(p.margin, p.unrealized_pnl)?, p.funding_owed)?,
        )?;
        let leverage = acc
            .positions
            .get(&p.market)
            .map(|x| x.leverage)
            .unwrap_or(Decimal::ONE);
        let liquidatable = match p.mode {
            MarginMode::Isolated => p.equity < p.maintenance_margin,
            MarginMode::Cross => pv.cross_liquidatable(),
        };
        positions.push(PositionMetrics {
            market: p.market.clone(),
            side: p.side,
            mode: p.mode,
            size: p.size,
            entry_price: p.entry_price,
            mark_price: p.mark_price,
            notional: p.notional,
            margin: p.margin,
            unrealized_pnl: p.unrealized_pnl,
            funding_owed: p.funding_owed,
            maintenance_rate: p.maintenance_rate,
            maintenance_margin: p.maintenance_margin,
            leverage,
            initial_margin: ratio(p.notional, leverage).unwrap_or_default(),
            liquidation_price: pv.liquidation_price(&p.market),
            liquidatable,
        });
    }
    let stability_deposit =
        super::liquidation::stability_pool::current_deposit(&w.ledger.stability, acc);
    let mut debt_value_raw = Decimal::ZERO;
    for asset in acc.debt_scaled.keys() {
        debt_value_raw = add(
            debt_value_raw,
            mul(debt_amount(w, acc, asset), w.price(asset))?,
        )?;
    }
    let equity = add(
        add(
            sub(add(wallet_value, raw_collateral)?, debt_value_raw)?,
            add(vault_net, perp_net)?,
        )?,
        mul(stability_deposit, debt_price)?,
    )?;
    let collateral_ratio = match cfg.design {
        super::params::CollateralDesign::MultiCollateral => ratio(raw_collateral, lv.debt_value),
        super::params::CollateralDesign::SingleCollateral => min_vault_ratio,
    };
    let liquidatable = lv.liquidatable()
        || vaults.iter().any(|v| v.liquidatable)
        || positions.iter().any(|p| p.liquidatable);
    Ok(AccountMetrics {
        account: acc.id,
        health_factor: lv.health_factor(),
        collateral_ratio,
        vault_health,
        margin_ratio: pv.margin_ratio(),
        collateral_value: lv.collateral_value,
        weighted_collateral: lv.weighted_collateral,
        borrow_limit: lv.borrow_limit,
        debt_value: lv.debt_value,
        available_to_borrow: (lv.borrow_limit - lv.debt_value).max(Decimal::ZERO),
        collateral_liquidation_prices: liq_prices,
        collateral,
        wallet: acc
            .wallet
            .iter()
            .filter(|(_, v)| !v.is_zero())
            .map(|(a, v)| (a.clone(), *v))
            .collect(),
        vaults,
        positions,
        maintenance_margin: pv.total_maintenance(),
        perp_equity: pv.total_equity(),
        wallet_value,
        equity,
        unrealized_pnl: upnl,
        realized_pnl: acc.realized_pnl,
        stability_deposit,
        liquidatable,
        emode: acc.emode,
        isolation: acc.isolation.as_ref().map(|iso| IsolationStatus {
            asset: iso.clone(),
            debt_ceiling: cfg
                .asset(iso)
                .and_then(|p| p.debt_ceiling)
                .unwrap_or_default(),
            debt_used: w
                .assets
                .get(iso)
                .map(|s| s.isolation_debt)
                .unwrap_or_default(),
        }),
    })
}

/// One asset, system-wide.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetMetrics {
    pub asset: AssetId,
    pub oracle_price: Decimal,
    pub market_price: Decimal,
    pub oracle_updated_at: i64,
    pub oracle_stale: bool,
    pub supplied: Decimal,
    pub borrowed: Decimal,
    /// Pool cash (available to borrow or withdraw).
    pub available_liquidity: Decimal,
    pub utilization: Decimal,
    pub borrow_rate: Decimal,
    pub supply_rate: Decimal,
    pub vault_collateral: Decimal,
    pub vault_debt: Decimal,
    pub reserves: Decimal,
    pub bad_debt: Decimal,
    pub open_interest_long: Decimal,
    pub open_interest_short: Decimal,
    pub funding_rate: Decimal,
}

/// System-wide figures.
#[derive(Clone, Debug, PartialEq)]
pub struct SystemMetrics {
    pub time: i64,
    /// Total value locked: pool supply + vault collateral + stability pool, at oracle prices.
    pub total_value_locked: Decimal,
    pub assets: Vec<AssetMetrics>,
    pub insurance_fund: Decimal,
    pub counterparty_pool: Decimal,
    pub stability_pool: Decimal,
    /// Dutch auctions running.
    pub active_auctions: u64,
    /// Bad debt at oracle prices.
    pub bad_debt_value: Decimal,
    /// Reserves at oracle prices.
    pub reserves_value: Decimal,
    pub accounts: u64,
    /// Liquity: the total collateral ratio of every trove, whether the system is in recovery mode
    /// and the critical ratio that defines it (`None` outside Liquity-like rules).
    pub recovery: Option<RecoveryStatus>,
    /// Liquity: gas compensation held for liquidators.
    pub gas_pool: Decimal,
}

/// Liquity's system-wide state (DOMAIN.md: CCR 150%).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RecoveryStatus {
    pub active: bool,
    pub total_collateral_ratio: Option<Decimal>,
    pub critical_ratio: Decimal,
}

pub fn system_metrics(cfg: &EngineConfig, w: &World, accounts: u64) -> SystemMetrics {
    let mut assets = Vec::new();
    let mut tvl = Decimal::ZERO;
    let mut bad = Decimal::ZERO;
    let mut reserves_value = Decimal::ZERO;
    for (id, st) in &w.assets {
        let supplied = st.total_supply();
        let borrowed = st.total_borrows();
        let reserves = w.ledger.reserves.get(id).copied().unwrap_or_default();
        let bad_debt = w.ledger.bad_debt.get(id).copied().unwrap_or_default();
        tvl = tvl.saturating_add((supplied + st.vault_collateral).saturating_mul(st.price));
        bad = bad.saturating_add(bad_debt.saturating_mul(st.price));
        reserves_value = reserves_value.saturating_add(reserves.saturating_mul(st.price));
        assets.push(AssetMetrics {
            asset: id.clone(),
            oracle_price: st.price,
            market_price: st.market_price,
            oracle_updated_at: st.updated_at,
            oracle_stale: st.stale,
            supplied,
            borrowed,
            available_liquidity: st.cash,
            utilization: super::params::RateModel::utilization(borrowed, supplied),
            borrow_rate: st.borrow_rate,
            supply_rate: st.supply_rate,
            vault_collateral: st.vault_collateral,
            vault_debt: st.vault_debt_scaled.saturating_mul(st.fee_index),
            reserves,
            bad_debt,
            open_interest_long: st.open_interest_long,
            open_interest_short: st.open_interest_short,
            funding_rate: st.funding_rate,
        });
    }
    let sp = w.ledger.stability.total;
    tvl = tvl.saturating_add(sp.saturating_mul(w.price(&cfg.debt_asset)));
    SystemMetrics {
        time: w.now,
        total_value_locked: tvl,
        assets,
        insurance_fund: w.ledger.insurance_fund,
        counterparty_pool: w.ledger.counterparty_pool,
        stability_pool: sp,
        active_auctions: w.auctions.len() as u64,
        bad_debt_value: bad,
        reserves_value,
        accounts,
        recovery: cfg.liquity.as_ref().map(|l| RecoveryStatus {
            active: w.recovery_mode,
            total_collateral_ratio: super::step::total_collateral_ratio(cfg, w),
            critical_ratio: l.critical_ratio,
        }),
        gas_pool: w.ledger.gas_pool,
    }
}
