//! [`Engine`]: construction, commands, queries. The time step lives in `step.rs`.

use super::account::{Account, Accounts};
use super::actions;
use super::command::Command;
use super::error::{EngineError, Rejection};
use super::event::{Event, EventKind, EventLog};
use super::health::{collateral_amount, debt_amount, vault_liquidatable, vault_view};
use super::ids::{AccountId, AssetId};
use super::index::LiqIndex;
use super::margin::perp_view;
use super::metrics::{account_metrics, system_metrics, AccountMetrics, SystemMetrics};
use super::num::{MAX_AMOUNT, MAX_PRICE, MIN_PRICE};
use super::orders::AutomationIndex;
use super::params::config::{CloseFactorRule, CollateralDesign, EngineConfig, LiquidationKind};
use super::population::AgentBook;
use super::state::World;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Counters from the last step (how much work the liquidation index saved).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepStats {
    /// Accounts whose health was re-checked.
    pub accounts_checked: usize,
    /// Accounts liquidated (at least one liquidation event).
    pub accounts_liquidated: usize,
    /// Liquidation rounds (more than one when market impact cascades).
    pub rounds: usize,
    /// Whether drift forced a rebuild of every band.
    pub rebuilt_index: bool,
}

/// Everything an engine holds except its configuration and its event log, plus the log's length
/// and running hash at that moment: what a session keeps to scrub back without copying the log
/// (which would make memory grow with the square of the session's length).
#[derive(Clone, Debug)]
pub struct Checkpoint {
    world: World,
    accounts: Accounts,
    index: LiqIndex,
    alert_accounts: BTreeSet<AccountId>,
    stats: StepStats,
    agents: AgentBook,
    automation: AutomationIndex,
    log_len: usize,
    log_hash: [u8; 32],
}

impl Checkpoint {
    /// A rough size in bytes (accounts dominate), for deciding how many checkpoints to keep.
    pub fn approx_bytes(&self) -> usize {
        let per_account: usize = self
            .accounts
            .values()
            .map(|a| {
                256 + 96
                    * (a.wallet.len()
                        + a.collateral_scaled.len()
                        + a.debt_scaled.len()
                        + a.vaults.len()
                        + a.positions.len()
                        + a.alerts.len()
                        + a.automation.orders.len()
                        + a.automation.rules.len())
            })
            .sum();
        4096 + self.world.assets.len() * 1024 + per_account + self.accounts.len() * 160
    }

    /// How many events the log had.
    pub fn log_len(&self) -> usize {
        self.log_len
    }
}

/// The collateral-and-liquidation engine. Deterministic: the same config, commands and steps give
/// the same events and the same [`Engine::log_hash`].
#[derive(Clone, Debug)]
pub struct Engine {
    pub(crate) cfg: EngineConfig,
    pub(crate) world: World,
    pub(crate) accounts: Accounts,
    pub(crate) log: EventLog,
    pub(crate) index: LiqIndex,
    pub(crate) alert_accounts: BTreeSet<AccountId>,
    pub(crate) stats: StepStats,
    /// The crowd's active borrowers (`population::agents`).
    pub(crate) agents: AgentBook,
    /// Resting orders, protection rules and strategy re-entries by trigger (`orders::index`).
    pub(crate) automation: AutomationIndex,
    /// A step left in progress (`Engine::step_within`), boxed: most engines never have one.
    pub(crate) pending: Option<Box<super::step::PendingStep>>,
}

fn validate(cfg: &EngineConfig) -> Result<(), EngineError> {
    let bad = |m: String| Err(EngineError::InvalidConfig(m));
    if cfg.assets.is_empty() {
        return bad("there are no assets".into());
    }
    let mut seen = BTreeSet::new();
    let unit = |x: Decimal| x >= Decimal::ZERO && x <= Decimal::ONE;
    for a in &cfg.assets {
        if !seen.insert(a.id.clone()) {
            return bad(format!("{} is listed twice", a.id));
        }
        if a.initial_price < MIN_PRICE || a.initial_price > MAX_PRICE {
            return bad(format!(
                "{} has an unusable initial price {}",
                a.id, a.initial_price
            ));
        }
        if !unit(a.ltv) || !unit(a.liquidation_threshold) || a.ltv > a.liquidation_threshold {
            return bad(format!(
                "{}: need 0 ≤ LTV ≤ liquidation threshold ≤ 1",
                a.id
            ));
        }
        if !unit(a.haircut)
            || a.haircut == Decimal::ONE
            || !unit(a.liquidation_bonus)
            || !unit(a.liquidation_penalty)
            || !unit(a.reserve_factor)
        {
            return bad(format!(
                "{}: haircut, bonus, penalty and reserve factor must be fractions below 1",
                a.id
            ));
        }
        if a.liquidation_ratio <= Decimal::ZERO || a.liquidation_ratio > Decimal::ONE_HUNDRED {
            return bad(format!("{}: the liquidation ratio must be above 0", a.id));
        }
        let (rates, kink) = a.rate.parts();
        if a.stability_fee < Decimal::ZERO
            || a.stability_fee > Decimal::TEN
            || rates.iter().any(|r| *r < Decimal::ZERO)
            || rates.iter().copied().sum::<Decimal>() > Decimal::ONE_HUNDRED
            || !unit(kink)
        {
            return bad(format!(
                "{}: rates must be between 0 and 10,000% a year",
                a.id
            ));
        }
        if let Some(p) = &a.perp {
            if p.max_leverage < Decimal::ONE
                || p.max_leverage > Decimal::from(1000)
                || p.tiers.is_empty()
                || p.funding_interval_secs <= 0
            {
                return bad(format!("{}: perp parameters need leverage ≥ 1, at least one margin tier and a positive funding interval", a.id));
            }
            if p.tiers.iter().any(|t| {
                !unit(t.maintenance_rate)
                    || t.maintenance_amount < Decimal::ZERO
                    || t.maintenance_amount > MAX_AMOUNT
                    || t.max_leverage.is_some_and(|l| l < Decimal::ONE)
            }) || !unit(p.liquidation_fee)
                || !unit(p.funding_cap)
            {
                return bad(format!("{}: margin rates and fees must be fractions", a.id));
            }
        }
        if !unit(a.liquidation_protocol_fee)
            || a.debt_ceiling
                .is_some_and(|c| c < Decimal::ZERO || c > MAX_AMOUNT)
            || a.emode_category.is_some_and(|id| cfg.emode(id).is_none())
        {
            return bad(format!(
                "{}: protocol fee a fraction, debt ceiling between 0 and 10^15, a listed e-mode category",
                a.id
            ));
        }
        if a.market_depth.is_some_and(|d| d <= Decimal::ZERO) {
            return bad(format!("{}: market depth must be positive", a.id));
        }
    }
    if !seen.contains(&cfg.debt_asset) {
        return bad(format!("the debt asset {} is not listed", cfg.debt_asset));
    }
    if cfg.close_factor <= Decimal::ZERO
        || cfg.close_factor > Decimal::ONE
        || cfg.full_close_below_hf <= Decimal::ZERO
        || cfg.full_close_below_hf > Decimal::ONE
    {
        return bad("close factor and full-close threshold must be in (0, 1]".into());
    }
    if cfg.liquidation == LiquidationKind::StabilityPool
        && cfg.design != CollateralDesign::SingleCollateral
    {
        return bad("the stability pool works with single-collateral vaults".into());
    }
    if let LiquidationKind::DutchAuction(p) = &cfg.liquidation {
        if cfg.design != CollateralDesign::SingleCollateral {
            return bad("Dutch auctions work with single-collateral vaults".into());
        }
        p.validate()
            .map_err(|e| EngineError::InvalidConfig(format!("auction {e}")))?;
    }
    if let LiquidationKind::MarginCall(p) = &cfg.liquidation {
        if cfg.design != CollateralDesign::MultiCollateral
            || cfg.rules == super::params::RulesVersion::V2026_11
        {
            return bad(
                "margin calls work with multi-collateral accounts, under the 2026-12 rules".into(),
            );
        }
        p.validate()
            .map_err(|e| EngineError::InvalidConfig(format!("margin call {e}")))?;
    }
    for c in &cfg.emode_categories {
        if !unit(c.ltv)
            || !unit(c.liquidation_threshold)
            || c.ltv > c.liquidation_threshold
            || !unit(c.liquidation_bonus)
        {
            return bad(format!(
                "e-mode {}: need 0 ≤ LTV ≤ liquidation threshold ≤ 1 and a bonus fraction",
                c.label
            ));
        }
    }
    if let CloseFactorRule::AaveV33 {
        min_base_max_close_factor_threshold: t,
        min_leftover_base: m,
    } = &cfg.close_factor_rule
    {
        if *t < Decimal::ZERO || *m < Decimal::ZERO || *t > MAX_AMOUNT || *m > MAX_AMOUNT {
            return bad("close-factor thresholds must be between 0 and 10^15".into());
        }
    }
    if let Some(sf) = &cfg.store_front {
        if !unit(sf.store_front_price_factor)
            || sf.target_reserves < Decimal::ZERO
            || sf.target_reserves > MAX_AMOUNT
        {
            return bad(
                "store front: a price factor fraction and target reserves between 0 and 10^15"
                    .into(),
            );
        }
    }
    if let Some(l) = &cfg.liquity {
        if cfg.design != CollateralDesign::SingleCollateral
            || l.gas_compensation < Decimal::ZERO
            || l.gas_compensation > MAX_AMOUNT
            || !unit(l.collateral_gas_share)
            || !unit(l.borrowing_fee)
            || l.min_net_debt < Decimal::ZERO
            || l.min_net_debt > MAX_AMOUNT
            || l.critical_ratio < Decimal::ONE
            || l.critical_ratio > Decimal::ONE_HUNDRED
        {
            return bad("Liquity rules need vaults, amounts between 0 and 10^15, fractions and a critical ratio of at least 1".into());
        }
    }
    if !unit(cfg.impact_recovery) {
        return bad("impact recovery must be a fraction".into());
    }
    for x in [cfg.insurance_fund, cfg.counterparty_pool] {
        if x < Decimal::ZERO || x > MAX_AMOUNT {
            return bad("insurance fund and counterparty pool must be between 0 and 10^15".into());
        }
    }
    Ok(())
}

impl Engine {
    /// Builds the engine and applies the initial accounts' commands (a rejected one is an error).
    pub fn new(config: EngineConfig) -> Result<Self, EngineError> {
        validate(&config)?;
        let world = World::new(&config);
        let initial = config.initial_accounts.clone();
        let mut engine = Engine {
            cfg: config,
            world,
            accounts: Accounts::new(),
            log: EventLog::new(),
            index: LiqIndex::default(),
            alert_accounts: BTreeSet::new(),
            stats: StepStats::default(),
            agents: AgentBook::default(),
            automation: AutomationIndex::default(),
            pending: None,
        };
        engine.index.reset_epoch(&engine.world);
        for ia in initial {
            let fail = |r: Rejection| EngineError::InvalidConfig(format!("initial {}: {r}", ia.id));
            engine
                .apply(
                    ia.id,
                    Command::CreateAccount {
                        label: ia.label.clone(),
                    },
                )
                .map_err(fail)?;
            for cmd in ia.commands {
                engine.apply(ia.id, cmd).map_err(fail)?;
            }
        }
        if let Some(spec) = engine.cfg.population.clone() {
            engine.seed_population(&spec)?;
        }
        if let Some(buffer) = engine.cfg.buffer.clone() {
            engine.apply_buffer(&buffer)?;
        }
        Ok(engine)
    }

    pub fn config(&self) -> &EngineConfig {
        &self.cfg
    }

    /// Engine time in seconds (the last step's time, or the scenario start).
    pub fn now(&self) -> i64 {
        self.world.now
    }

    /// Validates and applies a command for `account`. On `Err` nothing changed.
    /// A step left in progress ends first (`Engine::step_within`).
    pub fn apply(&mut self, account: AccountId, command: Command) -> Result<Vec<Event>, Rejection> {
        self.finish_step();
        if let Command::CreateAccount { label } = &command {
            if self.accounts.contains_key(&account) {
                return Err(Rejection::AccountExists(account));
            }
            self.accounts
                .insert(account, Account::new(account, label.clone()));
            let kinds = vec![EventKind::AccountCreated {
                account,
                label: label.clone(),
            }];
            return Ok(self.log.append(self.world.now, kinds));
        }
        let (w, acc, kinds) = self.dry_run(account, &command)?;
        // Everything that can fail is computed before anything is committed.
        let (b, points) = super::index::band_and_points(&self.cfg, &w, &acc);
        let b = b.map_err(Rejection::from)?;
        let points = points.map_err(Rejection::from)?;
        self.world = w;
        if acc.alerts.is_empty() {
            self.alert_accounts.remove(&account);
        } else {
            self.alert_accounts.insert(account);
        }
        self.index.insert(account, b);
        self.index.set_points(account, points);
        self.agents.forget(account);
        self.automation.sync(&self.cfg, &self.world, &acc);
        self.accounts.insert(account, acc);
        Ok(self.log.append(self.world.now, kinds))
    }

    fn dry_run(
        &self,
        account: AccountId,
        command: &Command,
    ) -> Result<(World, Account, Vec<EventKind>), Rejection> {
        let mut acc = self
            .accounts
            .get(&account)
            .cloned()
            .ok_or(Rejection::UnknownAccount(account))?;
        let mut w = self.world.clone();
        let mut kinds = actions::apply(&self.cfg, &mut w, &mut acc, command)?;
        super::risk::after_command(&self.cfg, &mut w, &mut acc, command, &mut kinds)?;
        Ok((w, acc, kinds))
    }

    /// What the account's metrics would be after `command`, without changing anything.
    pub fn preview(
        &self,
        account: AccountId,
        command: &Command,
    ) -> Result<AccountMetrics, Rejection> {
        if let Command::CreateAccount { .. } = command {
            return Err(Rejection::AccountExists(account));
        }
        let (w, acc, _) = self.dry_run(account, command)?;
        account_metrics(&self.cfg, &w, &acc).map_err(Rejection::from)
    }

    /// The account's metrics if the oracle price of `asset` moved by `pct` (a fraction: `-0.2` = −20%).
    pub fn metrics_with_price_shock(
        &self,
        account: AccountId,
        asset: &AssetId,
        pct: Decimal,
    ) -> Result<AccountMetrics, Rejection> {
        let acc = self
            .accounts
            .get(&account)
            .ok_or(Rejection::UnknownAccount(account))?;
        let mut w = self.world.clone();
        let st = w
            .assets
            .get_mut(asset)
            .ok_or_else(|| Rejection::UnknownAsset(asset.clone()))?;
        let shocked = st
            .price
            .checked_mul(Decimal::ONE + pct)
            .ok_or(Rejection::Overflow)?;
        st.price = shocked.max(MIN_PRICE);
        account_metrics(&self.cfg, &w, acc).map_err(Rejection::from)
    }

    /// The append-only event log.
    pub fn events(&self) -> &[Event] {
        self.log.events()
    }

    /// Hex SHA-256 chained over the postcard encoding of every event (see `event.rs`).
    pub fn log_hash(&self) -> String {
        self.log.hash()
    }

    pub fn account_metrics(&self, account: &AccountId) -> Result<AccountMetrics, Rejection> {
        let acc = self
            .accounts
            .get(account)
            .ok_or(Rejection::UnknownAccount(*account))?;
        account_metrics(&self.cfg, &self.world, acc).map_err(Rejection::from)
    }

    /// Bad debt recorded so far, at oracle prices (the figure `system_metrics` reports, cheaply).
    pub fn bad_debt_value(&self) -> Decimal {
        self.world
            .ledger
            .bad_debt
            .iter()
            .fold(Decimal::ZERO, |sum, (a, v)| {
                sum.saturating_add(v.saturating_mul(self.world.price(a)))
            })
    }

    pub fn system_metrics(&self) -> SystemMetrics {
        system_metrics(&self.cfg, &self.world, self.accounts.len() as u64)
    }

    /// The oracle prices the engine values with.
    pub fn oracle_prices(&self) -> BTreeMap<AssetId, Decimal> {
        self.world
            .assets
            .iter()
            .map(|(id, s)| (id.clone(), s.price))
            .collect()
    }

    /// Every asset's market price (after liquidation impact) and oracle price, in asset-id
    /// order, without building the maps of [`Engine::market_prices`] and
    /// [`Engine::oracle_prices`] (playback records both every tick).
    pub fn asset_prices(&self) -> impl Iterator<Item = (&AssetId, Decimal, Decimal)> + '_ {
        self.world
            .assets
            .iter()
            .map(|(id, s)| (id, s.market_price, s.price))
    }

    /// The account's health (health factor, else the weakest vault's ratio over its liquidation
    /// ratio) and perp margin ratio: [`AccountMetrics::health`] and
    /// [`AccountMetrics::margin_ratio`] without the rest (see [`super::metrics::risk_ratios`]).
    pub fn risk_ratios(
        &self,
        account: &AccountId,
    ) -> Result<(Option<Decimal>, Option<Decimal>), Rejection> {
        let acc = self
            .accounts
            .get(account)
            .ok_or(Rejection::UnknownAccount(*account))?;
        super::metrics::risk_ratios(&self.cfg, &self.world, acc).map_err(Rejection::from)
    }

    /// The market prices last seen (after liquidation impact).
    pub fn market_prices(&self) -> BTreeMap<AssetId, Decimal> {
        self.world
            .assets
            .iter()
            .map(|(id, s)| (id.clone(), s.market_price))
            .collect()
    }

    pub fn account(&self, id: &AccountId) -> Option<&Account> {
        self.accounts.get(id)
    }

    pub fn account_ids(&self) -> impl Iterator<Item = &AccountId> + '_ {
        self.accounts.keys()
    }

    /// Running Dutch auctions.
    pub fn auctions(&self) -> Vec<super::state::Auction> {
        self.world.auctions.values().cloned().collect()
    }

    pub fn last_step_stats(&self) -> StepStats {
        self.stats
    }

    /// The engine's state now, without its event log (see [`Checkpoint`]).
    /// Not taken in the middle of a step (`Engine::step_within`): a session finishes it first.
    pub fn checkpoint(&self) -> Checkpoint {
        debug_assert!(
            self.pending.is_none(),
            "a checkpoint in the middle of a step"
        );
        self.index.settle_points();
        Checkpoint {
            world: self.world.clone(),
            accounts: self.accounts.clone(),
            index: self.index.clone(),
            alert_accounts: self.alert_accounts.clone(),
            stats: self.stats,
            agents: self.agents.clone(),
            automation: self.automation.clone(),
            log_len: self.log.events().len(),
            log_hash: self.log.hash_bytes(),
        }
    }

    /// Goes back to `cp`, a checkpoint of this engine's own past: the state is restored and the
    /// log cut back to where it was. An error (nothing changes) if the log is shorter than it was
    /// at the checkpoint, which means the checkpoint is not from this engine's past.
    pub fn rewind(&mut self, cp: &Checkpoint) -> Result<(), EngineError> {
        if !self.log.truncate(cp.log_len, cp.log_hash) {
            return Err(EngineError::InvalidConfig(
                "a checkpoint from another session's timeline".into(),
            ));
        }
        self.world = cp.world.clone();
        self.accounts = cp.accounts.clone();
        self.index = cp.index.clone();
        self.alert_accounts = cp.alert_accounts.clone();
        self.stats = cp.stats;
        self.agents = cp.agents.clone();
        self.automation = cp.automation.clone();
        // A step left in progress belonged to the state just left.
        self.pending = None;
        Ok(())
    }

    /// Whether anything in the account is liquidatable at current prices.
    pub fn is_liquidatable(&self, account: &AccountId) -> bool {
        self.accounts
            .get(account)
            .is_some_and(|a| liquidatable(&self.cfg, &self.world, a).unwrap_or(false))
    }

    /// Value conservation check, per asset (token units): the sum of every account's balances
    /// (wallet + collateral + vault collateral + isolated margin − debts), protocol reserves,
    /// insurance fund, counterparty pool, stability pool, Liquity's gas pool, liquidators' net
    /// proceeds, minus bad debt, minus all paper money ever created. It is zero up to rounding dust
    /// after every command, step and liquidation; interest moves value between borrowers,
    /// suppliers and reserves only. An error (a vault that cannot be valued) is reported, never
    /// skipped.
    pub fn conservation_residual(&self) -> Result<BTreeMap<AssetId, Decimal>, EngineError> {
        let mut total: BTreeMap<AssetId, Decimal> = BTreeMap::new();
        let mut add = |a: &AssetId, v: Decimal| *total.entry(a.clone()).or_default() += v;
        let settle = &self.cfg.debt_asset;
        for acc in self.accounts.values() {
            for (a, v) in &acc.wallet {
                add(a, *v);
            }
            for a in acc.collateral_scaled.keys() {
                add(a, collateral_amount(&self.world, acc, a));
            }
            for a in acc.debt_scaled.keys() {
                add(a, -debt_amount(&self.world, acc, a));
            }
            for (c, v) in &acc.vaults {
                // The view includes what lazy redistribution gave the vault.
                let view = vault_view(&self.cfg, &self.world, c, v)?;
                add(c, view.collateral);
                add(settle, -view.debt);
            }
            for p in acc.positions.values() {
                add(settle, p.margin);
            }
        }
        let l = &self.world.ledger;
        for (a, v) in &l.reserves {
            add(a, *v);
        }
        for (a, v) in &l.liquidators {
            add(a, *v);
        }
        for (a, v) in &l.stability.collateral {
            add(a, *v);
        }
        add(
            settle,
            l.insurance_fund + l.counterparty_pool + l.stability.total + l.gas_pool,
        );
        for a in self.world.auctions.values() {
            add(&a.collateral, a.lot);
            add(settle, -a.debt);
        }
        for (a, v) in &l.bad_debt {
            add(a, -*v);
        }
        for (a, v) in &l.minted {
            add(a, -*v);
        }
        Ok(total)
    }
}

pub(crate) fn liquidatable(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
) -> Result<bool, EngineError> {
    if !acc.has_risk() {
        return Ok(false);
    }
    if !acc.debt_scaled.is_empty() && super::health::lending_liquidatable(cfg, w, acc)? {
        return Ok(true);
    }
    for (c, v) in &acc.vaults {
        if vault_liquidatable(cfg, w, &vault_view(cfg, w, c, v)?) {
            return Ok(true);
        }
    }
    if !acc.positions.is_empty() {
        let pv = perp_view(cfg, w, acc)?;
        if pv.cross_liquidatable() || !super::margin::liquidatable_isolated(&pv).is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}
