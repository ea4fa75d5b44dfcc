//! Compare mode: the same scenario and the same intent run under two collateral designs (or two
//! presets), side by side, with what differs summarised.
//!
//! Actions are translated between designs: a deposit into the pooled account becomes a deposit into
//! the vault of that collateral and back; a borrow against the pool becomes a borrow from the vault
//! with the most room left (vaults cannot pool their borrowing power, which is exactly the capital
//! efficiency difference being shown). An action that does not fit the other design is reported,
//! not silently dropped.
//!
//! The same crowd and crash can also be run under another buffer ([`with_buffer`]) or a sweep of
//! liquidation thresholds ([`threshold_sweep`]); a [`Run`] can be done a few ticks at a time.
//!
//! Under another preset the learner starts with the same holdings: paper money tops up, at the
//! first tick, what the other preset's starting wallet lacks (the broker funds S&P 500 units that
//! Aave-like rules do not), and the base's cash (USD, USDC, DAI) counts as the other's.

use rust_decimal::Decimal;

use super::scenario;
use super::script::{Scenario, ScenarioOption};
use super::session::Session;
use crate::engine::population::BufferParams;
use crate::engine::{AccountId, AssetId, CollateralDesign, Command, EventKind};

/// One side of a comparison, after running to the end of the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub scenario: Scenario,
    /// Most the learner could borrow at the first action tick after their deposits
    /// (the capital-efficiency figure), in the debt asset.
    pub peak_borrow_limit: Decimal,
    pub liquidations: usize,
    /// Collateral value seized from the learner (at the oracle price used), penalties included.
    pub collateral_seized_value: Decimal,
    pub penalties_paid: Decimal,
    pub bad_debt: Decimal,
    pub final_equity: Decimal,
    /// Equity when the actions start (after any top-up): the two sides may start with different
    /// wallets (another preset funds other assets), so compare what each lost or gained.
    pub initial_equity: Decimal,
    pub lowest_health: Option<Decimal>,
    /// Actions that could not be applied under this design, with the reason.
    pub skipped: Vec<(u32, String)>,
    pub log_hash: String,
    /// Health factor (or collateral ratio ÷ liquidation ratio) per tick, for the chart.
    pub health: Vec<Option<Decimal>>,
    /// The whole market (crowd included): liquidations, the value they took, and bad debt.
    pub market_liquidations: u64,
    pub market_liquidated_value: Decimal,
    pub market_bad_debt: Decimal,
    /// A broker's margin calls: issued, met before the deadline, missed (then a forced sale).
    pub margin_calls: usize,
    pub calls_met: usize,
    pub calls_missed: usize,
}

/// Rewrites a command for `design` ([`scenario::translate`]); the session's vaults decide where a
/// pooled borrow (the roomiest vault) or repay (the most indebted vault) goes.
pub fn translate(command: &Command, design: CollateralDesign, session: &Session) -> Command {
    let vault = match command {
        Command::Borrow { .. } => roomiest_vault(session),
        Command::Repay { .. } => most_indebted_vault(session),
        _ => None,
    };
    scenario::translate(command, design, &session.config().debt_asset, vault)
}

fn roomiest_vault(session: &Session) -> Option<crate::engine::AssetId> {
    let m = session.engine().account_metrics(&AccountId::USER).ok()?;
    m.vaults
        .iter()
        .max_by_key(|v| v.available_to_borrow)
        .map(|v| v.collateral_asset.clone())
}

fn most_indebted_vault(session: &Session) -> Option<crate::engine::AssetId> {
    let m = session.engine().account_metrics(&AccountId::USER).ok()?;
    m.vaults
        .iter()
        .max_by_key(|v| v.debt)
        .map(|v| v.collateral_asset.clone())
}

/// The same command in another system's cash: borrowing, repaying, depositing or withdrawing the
/// base session's debt asset (USDC, the broker's USD) uses the other's.
pub fn translate_debt(command: &Command, from: &AssetId, to: &AssetId) -> Command {
    if from == to {
        return command.clone();
    }
    let swap = |a: &AssetId| if a == from { to.clone() } else { a.clone() };
    match command {
        Command::Borrow { asset, amount } => Command::Borrow {
            asset: swap(asset),
            amount: *amount,
        },
        Command::Repay { asset, amount } => Command::Repay {
            asset: swap(asset),
            amount: *amount,
        },
        Command::Deposit { asset, amount } => Command::Deposit {
            asset: swap(asset),
            amount: *amount,
        },
        Command::Withdraw { asset, amount } => Command::Withdraw {
            asset: swap(asset),
            amount: *amount,
        },
        other => other.clone(),
    }
}

/// What the learner of `base` started with and the learner of `other` lacks (the base's cash
/// counted as the other's), among assets `other` lists.
fn top_ups(base: &Session, other: &Session) -> Vec<(AssetId, Decimal)> {
    let start = |s: &Session| -> std::collections::BTreeMap<AssetId, Decimal> {
        let mut m = std::collections::BTreeMap::new();
        if let Some(u) = s
            .config()
            .initial_accounts
            .iter()
            .find(|a| a.id == AccountId::USER)
        {
            for c in &u.commands {
                if let Command::Fund { asset, amount } = c {
                    *m.entry(asset.clone()).or_default() += *amount;
                }
            }
        }
        m
    };
    let (from, to) = (&base.config().debt_asset, &other.config().debt_asset);
    let theirs = start(other);
    start(base)
        .into_iter()
        .map(|(a, x)| (if &a == from { to.clone() } else { a }, x))
        .filter(|(a, _)| other.config().asset(a).is_some())
        .filter_map(|(a, x)| {
            let have = theirs.get(&a).copied().unwrap_or_default();
            (x > have).then(|| (a, x - have))
        })
        .collect()
}

/// A comparison run that can be done a few ticks at a time, so a page stays responsive while it
/// runs (the engine does the work; this only feeds it the scenario's ticks and actions).
pub struct Run {
    scenario: Scenario,
    session: Session,
    actions: Vec<super::script::Action>,
    next: usize,
    skipped: Vec<(u32, String)>,
    peak_borrow_limit: Decimal,
    /// The base's debt asset and the scenario's (USDC and the broker's USD).
    debt_assets: (AssetId, AssetId),
    initial_equity: Decimal,
}

impl Run {
    /// Opens `scenario` on `base`'s prices (building its crowd, if any) with `base`'s actions to
    /// replay, translated to the scenario's design.
    pub fn start(base: &Session, scenario: Scenario) -> Result<Self, String> {
        let mut session = base.reopen_as(scenario.clone())?;
        let mut skipped = Vec::new();
        for (asset, amount) in top_ups(base, &session) {
            if let Err(reason) = session.act(Command::Fund { asset, amount }) {
                skipped.push((0, reason));
            }
        }
        let initial_equity = session
            .engine()
            .account_metrics(&AccountId::USER)
            .map(|m| m.equity)
            .unwrap_or_default();
        Ok(Self {
            debt_assets: (
                base.config().debt_asset.clone(),
                session.config().debt_asset.clone(),
            ),
            session,
            scenario,
            actions: base.script().actions.clone(),
            next: 0,
            skipped,
            peak_borrow_limit: Decimal::ZERO,
            initial_equity,
        })
    }

    /// Plays up to about `ticks` more ticks (applying the actions due); `true` once at the end.
    pub fn work(&mut self, ticks: usize) -> Result<bool, String> {
        let mut budget = ticks;
        loop {
            if let Some(action) = self.actions.get(self.next) {
                let at = action.tick as usize;
                if at > self.session.tick() {
                    let step = (at - self.session.tick()).min(budget);
                    self.session.seek(self.session.tick() + step)?;
                    budget -= step;
                }
                if at > self.session.tick() {
                    return Ok(false);
                }
                let (from, to) = &self.debt_assets;
                let command = translate(
                    &translate_debt(&action.command, from, to),
                    self.scenario.design,
                    &self.session,
                );
                if let Err(reason) = self.session.act(command) {
                    self.skipped.push((action.tick, reason));
                }
                if let Ok(m) = self.session.engine().account_metrics(&AccountId::USER) {
                    let limit = m.borrow_limit.max(
                        m.vaults
                            .iter()
                            .map(|v| v.available_to_borrow + v.debt)
                            .sum(),
                    );
                    self.peak_borrow_limit = self.peak_borrow_limit.max(limit);
                }
                self.next += 1;
                continue;
            }
            let end = self.session.len().saturating_sub(1);
            let step = (end - self.session.tick().min(end)).min(budget);
            self.session.seek(self.session.tick() + step)?;
            return Ok(self.session.tick() >= end);
        }
    }

    /// `(tick, last tick)`.
    pub fn progress(&self) -> (usize, usize) {
        (self.session.tick(), self.session.len().saturating_sub(1))
    }

    /// What the run has come to (read once it is done).
    pub fn outcome(&self) -> Outcome {
        let session = &self.session;
        let series = session.series();
        let mut outcome = Outcome {
            scenario: self.scenario.clone(),
            peak_borrow_limit: self.peak_borrow_limit,
            liquidations: 0,
            collateral_seized_value: Decimal::ZERO,
            penalties_paid: Decimal::ZERO,
            bad_debt: Decimal::ZERO,
            final_equity: session
                .engine()
                .account_metrics(&AccountId::USER)
                .map(|m| m.equity)
                .unwrap_or_default(),
            lowest_health: series.health.iter().flatten().min().copied(),
            skipped: self.skipped.clone(),
            log_hash: session.log_hash(),
            health: series.health.clone(),
            market_liquidations: series.liquidations.iter().map(|n| u64::from(*n)).sum(),
            market_liquidated_value: series.liquidated_value.iter().copied().sum(),
            market_bad_debt: session.engine().bad_debt_value(),
            initial_equity: self.initial_equity,
            margin_calls: 0,
            calls_met: 0,
            calls_missed: 0,
        };
        let mut user_auctions = Vec::new();
        for e in session.engine().events() {
            if let Some(l) = e.kind.liquidation_summary(AccountId::USER) {
                outcome.liquidations += 1;
                outcome.collateral_seized_value += l.seized_value;
                outcome.penalties_paid += l.penalty;
                outcome.bad_debt += l.bad_debt;
            }
            match &e.kind {
                EventKind::AuctionStarted { id, account, .. } if *account == AccountId::USER => {
                    user_auctions.push(*id)
                }
                EventKind::MarginCallIssued { account, .. } if *account == AccountId::USER => {
                    outcome.margin_calls += 1
                }
                EventKind::MarginCallMet { account, .. } if *account == AccountId::USER => {
                    outcome.calls_met += 1
                }
                EventKind::MarginCallMissed { account, .. } if *account == AccountId::USER => {
                    outcome.calls_missed += 1
                }
                // An auction's shortfall is only known when it ends.
                EventKind::AuctionEnded { id, bad_debt, .. } if user_auctions.contains(id) => {
                    outcome.bad_debt += *bad_debt
                }
                _ => {}
            }
        }
        outcome
    }
}

/// Runs the actions of `base` under `scenario` (translated to its design) to the end of the feed.
pub fn run(base: &Session, scenario: Scenario) -> Result<Outcome, String> {
    let mut r = Run::start(base, scenario)?;
    while !r.work(usize::MAX)? {}
    Ok(r.outcome())
}

/// The session's scenario with its buffer changed (the same crowd, seed and actions).
pub fn with_buffer(base: &Session, buffer: BufferParams) -> Scenario {
    let mut s = base.script().scenario.clone();
    s.set(ScenarioOption::Buffer(buffer));
    s
}

/// The scenarios of a sweep of the liquidation threshold: each of `shifts` (fractions, e.g. −0.05
/// = five points lower), the rest of the buffer as `base` has it.
pub fn threshold_sweep(base: &Session, shifts: &[Decimal]) -> Vec<Scenario> {
    let buffer = base.script().scenario.buffer().cloned().unwrap_or_default();
    shifts
        .iter()
        .map(|shift| {
            with_buffer(
                base,
                BufferParams {
                    threshold_shift: *shift,
                    ..buffer.clone()
                },
            )
        })
        .collect()
}

/// Both designs of the session's scenario: (single-collateral, multi-collateral).
pub fn compare_designs(base: &Session) -> Result<(Outcome, Outcome), String> {
    let scenario = &base.script().scenario;
    let single = Scenario {
        design: CollateralDesign::SingleCollateral,
        ..scenario.clone()
    };
    let multi = Scenario {
        design: CollateralDesign::MultiCollateral,
        ..scenario.clone()
    };
    Ok((run(base, single)?, run(base, multi)?))
}

/// The session's scenario under its own preset and under `other` (same design).
pub fn compare_presets(
    base: &Session,
    other: crate::engine::PresetId,
) -> Result<(Outcome, Outcome), String> {
    let ours = base.script().scenario.clone();
    let theirs = Scenario {
        preset: other,
        ..ours.clone()
    };
    Ok((run(base, ours)?, run(base, theirs)?))
}
