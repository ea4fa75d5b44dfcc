//! Testing a script across seeds: the same script (its scenario, its actions at their ticks —
//! orders, protection rules, a strategy) replayed on `N` seeds of its simulated scenario, next to
//! the same script without its automation ("no strategy"), with per-seed outcomes read from the
//! engine and their distribution.
//!
//! - Seeds are `scenario.seed, scenario.seed + 1, …` (the first run is the author's own path).
//! - "No strategy" is the script with every order, protection rule and strategy command removed,
//!   except that a strategy's entry is kept ([`Strategy::entry_only`]): the same position, deposit
//!   or loan, held without stops, takes, re-entries or rules. So the comparison answers "what did
//!   the automation change?".
//! - An action the engine refuses on a seed's path (closing a position a stop already closed) is
//!   skipped and counted, not an error: paths differ.
//! - Outcomes come from the engine: final equity ([`Engine::account_equity`]), the worst fall
//!   of equity from a running peak (checked every tick), liquidations and what each order and
//!   rule did, counted from the events the engine returns. The engine runs without keeping its
//!   log ([`Engine::without_log`]): the same state and events, most of the cost of a step saved.
//! - Deterministic: every figure is a `Decimal` (percentiles by nearest rank), and
//!   [`Report::digest`] hashes every outcome, so the same link gives the same digest natively, in
//!   the browser and in the native tool.
//! - Recorded prices have one path: a test across seeds refuses them and says so rather than
//!   repeating one path `N` times. Imported prices cannot be rebuilt from a link either.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::scenario::{self, PriceStream};
use super::script::{Action, Script};
use crate::engine::orders::{OrderKind, ProtectionRule, StrategyStep};
use crate::engine::{AccountId, Command, Engine, Event, EventKind};
use crate::feed::{catalogue, PathFeed, PriceFeed, Source};

/// Most seeds one test runs.
pub const MAX_SEEDS: u32 = 1_000;

/// How many seeds, and how many ticks of each path (`None`: the whole scenario).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepSpec {
    pub seeds: u32,
    pub ticks: Option<u32>,
}

/// What the automation did in one run (counts of engine events).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fired {
    pub stop_loss: u32,
    pub take_profit: u32,
    /// Limit fills (a limit filled over several steps counts each part).
    pub limit: u32,
    /// Orders that fired but could not fill.
    pub not_filled: u32,
    pub repay: u32,
    pub boost: u32,
    pub top_up: u32,
    /// Times a rule or a strategy could not act.
    pub could_not_act: u32,
    /// Strategy entries after the first (re-entries).
    pub reentries: u32,
}

impl Fired {
    fn add(&mut self, o: &Fired) {
        self.stop_loss += o.stop_loss;
        self.take_profit += o.take_profit;
        self.limit += o.limit;
        self.not_filled += o.not_filled;
        self.repay += o.repay;
        self.boost += o.boost;
        self.top_up += o.top_up;
        self.could_not_act += o.could_not_act;
        self.reentries += o.reentries;
    }

    /// Name and count of each kind, for tables.
    pub fn rows(&self) -> [(&'static str, u32); 9] {
        [
            ("stop-loss fills", self.stop_loss),
            ("take-profit fills", self.take_profit),
            ("limit fills", self.limit),
            ("orders that could not fill", self.not_filled),
            ("auto-repays", self.repay),
            ("boosts", self.boost),
            ("vault top-ups", self.top_up),
            ("rules or strategy unable to act", self.could_not_act),
            ("re-entries", self.reentries),
        ]
    }
}

/// One run's outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunOutcome {
    /// The learner's equity at the last tick (quote, at oracle prices).
    pub final_equity: Decimal,
    /// The largest fall of equity from a running peak, as a fraction of the peak (0.25 = −25 %).
    pub worst_drawdown: Decimal,
    pub liquidations: u32,
    /// Bad debt left by the learner's liquidations.
    pub bad_debt: Decimal,
    pub fired: Fired,
    /// Actions the engine refused on this path (skipped).
    pub skipped_actions: u32,
}

/// Both runs of one seed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedOutcome {
    pub seed: u64,
    pub strategy: RunOutcome,
    pub baseline: RunOutcome,
}

/// A prepared test: the two scripts and the feed's description.
#[derive(Clone, Debug)]
pub struct Sweep {
    script: Script,
    baseline: Script,
    spec: SweepSpec,
}

/// Why a script has no other paths to test on, or `None` when it has.
pub fn single_path_reason(script: &Script) -> Option<String> {
    let feed = &script.scenario.feed;
    if feed.starts_with(scenario::IMPORTED_PREFIX) {
        return Some(
            "this session runs on prices you imported: there is one path, and a link cannot \
             rebuild it. Test across seeds on a simulated scenario."
                .into(),
        );
    }
    let entry = catalogue::entry(feed)?;
    match entry.spec.source {
        Source::Recorded { .. } => Some(format!(
            "\"{}\" replays recorded prices: there is one path, so every seed would give the \
             same result. Test across seeds on a simulated scenario.",
            entry.name
        )),
        Source::Simulated(_) => None,
    }
}

/// The script without its automation (see the module docs).
pub fn without_automation(script: &Script) -> Script {
    let actions = script
        .actions
        .iter()
        .filter_map(|a| match &a.command {
            Command::SetStrategy { strategy } => Some(Action {
                tick: a.tick,
                command: Command::SetStrategy {
                    strategy: strategy.entry_only(),
                },
            }),
            Command::PlaceOrder { .. }
            | Command::AmendOrder { .. }
            | Command::CancelOrder { .. }
            | Command::SetProtection { .. }
            | Command::ClearProtection { .. } => None,
            _ => Some(a.clone()),
        })
        .collect();
    Script {
        scenario: script.scenario.clone(),
        actions,
    }
}

/// Whether the script has any automation to test.
pub fn has_automation(script: &Script) -> bool {
    without_automation(script) != *script
}

impl Sweep {
    /// Checks the request and prepares the "no strategy" script.
    pub fn new(script: &Script, spec: SweepSpec) -> Result<Self, String> {
        script.check().map_err(|e| e.to_string())?;
        if let Some(reason) = single_path_reason(script) {
            return Err(format!("No test across seeds: {reason}"));
        }
        if spec.seeds == 0 || spec.seeds > MAX_SEEDS {
            return Err(format!(
                "A test runs 1 to {MAX_SEEDS} seeds; {} were asked for.",
                spec.seeds
            ));
        }
        if spec.ticks == Some(0) {
            return Err("Each run needs at least one tick.".into());
        }
        Ok(Self {
            script: script.clone(),
            baseline: without_automation(script),
            spec,
        })
    }

    pub fn spec(&self) -> SweepSpec {
        self.spec
    }

    pub fn script(&self) -> &Script {
        &self.script
    }

    /// The seed of run `k` (`0 ≤ k < seeds`).
    pub fn seed(&self, k: u32) -> u64 {
        self.script.scenario.seed.wrapping_add(u64::from(k))
    }

    /// Runs seed number `k`: its feed once, the script and the "no strategy" script on it.
    pub fn run_seed(&self, k: u32) -> Result<SeedOutcome, String> {
        let seed = self.seed(k);
        let mut sc = self.script.scenario.clone();
        sc.seed = seed;
        let (config, feed) = scenario::build(&sc, None)?;
        let ticks = self
            .spec
            .ticks
            .map_or(feed.len(), |t| (t as usize).min(feed.len()));
        let strategy = run(&config, &feed, ticks, &self.script.actions)?;
        let baseline = run(&config, &feed, ticks, &self.baseline.actions)?;
        Ok(SeedOutcome {
            seed,
            strategy,
            baseline,
        })
    }

    /// Every seed, in order.
    pub fn run_all(&self) -> Result<Vec<SeedOutcome>, String> {
        (0..self.spec.seeds).map(|k| self.run_seed(k)).collect()
    }
}

/// Replays `actions` on one path for `ticks` ticks and reads the outcome.
fn run(
    config: &crate::engine::EngineConfig,
    feed: &PathFeed,
    ticks: usize,
    actions: &[Action],
) -> Result<RunOutcome, String> {
    let mut engine = Engine::new(config.clone())
        .map_err(|e| e.to_string())?
        .without_log();
    let me = AccountId::USER;
    let mut out = RunOutcome::default();
    let mut peak: Option<Decimal> = None;
    let mut next = 0usize;
    let mut entries = 0u32;
    let mut stream = PriceStream::new(config, feed).ok_or("the scenario's feed has no prices")?;
    for i in 0..ticks {
        let (time, prices) = stream.at(i).ok_or("past the end of the feed")?;
        let events = engine.step(time, prices).map_err(|e| e.to_string())?;
        tally(&events, &mut out, &mut entries);
        while let Some(a) = actions.get(next).filter(|a| a.tick as usize == i) {
            match engine.apply(me, a.command.clone()) {
                Ok(events) => tally(&events, &mut out, &mut entries),
                Err(_) => out.skipped_actions += 1,
            }
            next += 1;
        }
        while actions.get(next).is_some_and(|a| (a.tick as usize) < i) {
            next += 1;
        }
        let equity = engine.account_equity(&me).map_err(|e| e.to_string())?;
        match peak {
            Some(p) if equity >= p => peak = Some(equity),
            Some(p) if p > Decimal::ZERO => {
                let fall = (p - equity) / p;
                if fall > out.worst_drawdown {
                    out.worst_drawdown = fall;
                }
            }
            Some(_) => {}
            None => peak = Some(equity),
        }
        out.final_equity = equity;
    }
    out.fired.reentries = entries.saturating_sub(1);
    Ok(out)
}

/// Counts what the learner's automation and liquidations did in `events`.
fn tally(events: &[Event], out: &mut RunOutcome, entries: &mut u32) {
    let me = AccountId::USER;
    for e in events {
        if e.kind.is_liquidation_of(me) {
            out.liquidations += 1;
        }
        match &e.kind {
            EventKind::OrderFilled { account, kind, .. } if *account == me => match kind {
                OrderKind::StopLoss => out.fired.stop_loss += 1,
                OrderKind::TakeProfit => out.fired.take_profit += 1,
                OrderKind::Limit => out.fired.limit += 1,
            },
            EventKind::OrderNotFilled { account, .. } if *account == me => {
                out.fired.not_filled += 1
            }
            EventKind::RuleFired { account, rule, .. } if *account == me => match rule {
                ProtectionRule::RepayBelow { .. } => out.fired.repay += 1,
                ProtectionRule::BoostAbove { .. } => out.fired.boost += 1,
                ProtectionRule::TopUpBelow { .. } => out.fired.top_up += 1,
            },
            EventKind::RuleCouldNotAct { account, .. } if *account == me => {
                out.fired.could_not_act += 1
            }
            EventKind::StrategyActed { account, step, .. } if *account == me => match step {
                StrategyStep::Entered { .. } => *entries += 1,
                StrategyStep::CouldNotAct { .. } => out.fired.could_not_act += 1,
                _ => {}
            },
            EventKind::BadDebt {
                account, amount, ..
            } if *account == me => out.bad_debt += *amount,
            _ => {}
        }
    }
}

/// Distribution of one figure over the runs (nearest-rank percentiles).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub mean: Decimal,
    pub min: Decimal,
    pub p5: Decimal,
    pub median: Decimal,
    pub p95: Decimal,
    pub max: Decimal,
}

impl Stats {
    pub fn of(values: &[Decimal]) -> Stats {
        if values.is_empty() {
            return Stats::default();
        }
        let mut v = values.to_vec();
        v.sort();
        let n = v.len();
        let rank = |p: u32| {
            // Nearest rank: the smallest value with at least p % of the runs at or below it.
            let r = (n * p as usize).div_ceil(100).max(1);
            v[r - 1]
        };
        let sum: Decimal = v.iter().copied().sum();
        Stats {
            mean: sum / Decimal::from(n as u64),
            min: v[0],
            p5: rank(5),
            median: rank(50),
            p95: rank(95),
            max: v[n - 1],
        }
    }
}

/// One side (strategy or no strategy) summarised.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub runs: u32,
    pub final_equity: Stats,
    pub worst_drawdown: Stats,
    /// Runs with at least one liquidation of the learner.
    pub liquidated_runs: u32,
    pub liquidations: u32,
    pub bad_debt: Decimal,
    /// Totals over the runs.
    pub fired: Fired,
    /// Runs in which each kind fired at least once, in the order of [`Fired::rows`].
    pub runs_with: [u32; 9],
    pub skipped_actions: u32,
}

/// Both sides, and the digest of every outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub strategy: Summary,
    pub baseline: Summary,
    /// Hex SHA-256 of `"margin-lab/sweep/v1" ‖ postcard(outcomes)`: equal digests, equal
    /// outcomes, seed by seed.
    pub digest: String,
}

fn summarise(runs: &[&RunOutcome]) -> Summary {
    let mut s = Summary {
        runs: runs.len() as u32,
        ..Summary::default()
    };
    let equity: Vec<Decimal> = runs.iter().map(|r| r.final_equity).collect();
    let drawdown: Vec<Decimal> = runs.iter().map(|r| r.worst_drawdown).collect();
    s.final_equity = Stats::of(&equity);
    s.worst_drawdown = Stats::of(&drawdown);
    for r in runs {
        s.liquidations += r.liquidations;
        s.liquidated_runs += u32::from(r.liquidations > 0);
        s.bad_debt += r.bad_debt;
        s.fired.add(&r.fired);
        for (k, (_, n)) in r.fired.rows().iter().enumerate() {
            s.runs_with[k] += u32::from(*n > 0);
        }
        s.skipped_actions += r.skipped_actions;
    }
    s
}

/// The distribution of a test's outcomes.
pub fn report(outcomes: &[SeedOutcome]) -> Report {
    let strategy: Vec<&RunOutcome> = outcomes.iter().map(|o| &o.strategy).collect();
    let baseline: Vec<&RunOutcome> = outcomes.iter().map(|o| &o.baseline).collect();
    let mut h = Sha256::new();
    h.update(b"margin-lab/sweep/v1");
    h.update(postcard::to_allocvec(outcomes).unwrap_or_default());
    let digest: [u8; 32] = h.finalize().into();
    Report {
        strategy: summarise(&strategy),
        baseline: summarise(&baseline),
        digest: super::script::hash_hex(&digest),
    }
}

/// A batch of seeds for a worker: the script, the test and the seed numbers `from..to`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchRequest {
    /// Echoed in the response, so answers to a cancelled test are told apart.
    pub job: u64,
    pub script: Script,
    pub spec: SweepSpec,
    pub from: u32,
    pub to: u32,
}

/// A worker's answer: the outcomes of seeds `from..`, in order, or why not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchResponse {
    pub job: u64,
    pub from: u32,
    pub result: Result<Vec<SeedOutcome>, String>,
}

/// Runs a batch given as postcard bytes and answers in postcard bytes (what a browser worker
/// calls; see `src/bin/sweep_worker.rs`).
pub fn run_batch(request: &[u8]) -> Vec<u8> {
    let response = match postcard::from_bytes::<BatchRequest>(request) {
        Ok(r) => BatchResponse {
            job: r.job,
            from: r.from,
            result: Sweep::new(&r.script, r.spec).and_then(|s| {
                (r.from..r.to.min(r.spec.seeds))
                    .map(|k| s.run_seed(k))
                    .collect()
            }),
        },
        Err(e) => BatchResponse {
            job: 0,
            from: 0,
            result: Err(format!("a request the worker cannot read: {e}")),
        },
    };
    postcard::to_allocvec(&response).unwrap_or_default()
}
