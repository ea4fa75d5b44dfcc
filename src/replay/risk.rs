//! The risk desk of a session: glue between the session's feed and the engine's risk functions.
//!
//! The engine (`engine::risk`) turns price paths into losses by running itself; this module
//! decides where the paths come from and hands them over:
//!
//! - **Monte Carlo** ([`VarJob`]): at least 1,000 seeded paths of the scenario's own simulator
//!   continued from today's prices (`feed::montecarlo`); a recorded or imported scenario has
//!   none, so a correlated GBM with volatilities and correlations estimated from its past ticks
//!   stands in. Paths step hourly up to a 2-day horizon and in 48 equal steps beyond (a 30-day
//!   horizon steps every 15 hours).
//! - **Historical**: every past move over the horizon applied to today's prices
//!   (`feed::history`): the bundled dataset's whole record up to today for the recorded S&P 500
//!   and stocks scenarios, the session's own past ticks otherwise; at most 1,000 windows spread
//!   over the record, each stepped at most 48 times.
//! - **Parametric**: variance–covariance from volatilities and correlations estimated from the
//!   last 2,000 past ticks (`feed::estimate`); with fewer than 30 past ticks, a simulated
//!   scenario's are estimated from 2,000 ticks of its own model instead (said in the panel).
//!   Assets that track another (staked ETH, wrapped BTC) share its exposure.
//!
//! Same session state and seed give the same figures natively and in the browser. The job runs
//! in chunks of paths so the browser can stay responsive between them.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::session::Session;
use crate::engine::risk::report::{ReportMeta, RiskReport};
use crate::engine::risk::reverse::{self, ReverseResult};
use crate::engine::risk::stats;
use crate::engine::risk::stress::{self, StressOptions, StressResult, StressShock};
use crate::engine::risk::var::{self, LossSummary, Parametric, PathOutcome, PathRunner, VarReport};
use crate::engine::system::{market_prices, setup::peg_source};
use crate::engine::{AccountId, AssetId, EngineConfig};
use crate::feed::estimate::{self, Estimate};
use crate::feed::montecarlo::{self, SymbolPath};
use crate::feed::spec::{Model, SimSpec, Source};
use crate::feed::{catalogue, history, replayed, PathFeed, PriceFeed};

/// Horizons offered (seconds, label).
pub const HORIZONS: [(i64, &str); 5] = [
    (3600, "1 hour"),
    (4 * 3600, "4 hours"),
    (86_400, "1 day"),
    (7 * 86_400, "7 days"),
    (30 * 86_400, "30 days"),
];
/// Confidence levels offered.
pub const CONFIDENCES: [f64; 2] = [0.95, 0.99];
/// The fewest Monte Carlo paths, and the most.
pub const MIN_PATHS: u32 = 1_000;
pub const MAX_PATHS: u32 = 10_000;
/// Most engine steps per path.
pub const MAX_STEPS: usize = 48;
/// Most historical windows.
pub const MAX_WINDOWS: usize = 1_000;
/// Past returns an estimate uses at most, and ticks of a model's own pilot run.
pub const ESTIMATE_RETURNS: usize = 2_000;
pub const PILOT_TICKS: u64 = 2_000;

/// What the learner asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VarRequest {
    pub horizon_secs: i64,
    pub confidence: f64,
    pub paths: u32,
    pub seed: u64,
}

impl Default for VarRequest {
    fn default() -> Self {
        Self {
            horizon_secs: 86_400,
            confidence: 0.99,
            paths: MIN_PATHS,
            seed: 1,
        }
    }
}

impl VarRequest {
    /// Checks the ranges; the message says which is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if !(3600..=30 * 86_400).contains(&self.horizon_secs) {
            return Err("The horizon must be between 1 hour and 30 days.".into());
        }
        if !(0.5..=0.999).contains(&self.confidence) {
            return Err("The confidence must be between 50% and 99.9%.".into());
        }
        if !(MIN_PATHS..=MAX_PATHS).contains(&self.paths) {
            return Err(format!(
                "Monte Carlo needs between {MIN_PATHS} and {MAX_PATHS} paths."
            ));
        }
        Ok(())
    }
}

/// Steps and step length of a horizon: hourly up to two days, then [`MAX_STEPS`] equal steps.
pub fn steps_for(horizon_secs: i64) -> (usize, i64) {
    if horizon_secs <= MAX_STEPS as i64 * 3600 {
        (((horizon_secs + 3599) / 3600).max(1) as usize, 3600)
    } else {
        (
            MAX_STEPS,
            (horizon_secs + MAX_STEPS as i64 - 1) / MAX_STEPS as i64,
        )
    }
}

/// The scenario's own simulation, when it has one (bundled simulated scenarios).
fn scenario_sim(session: &Session) -> Option<SimSpec> {
    if session.is_imported() {
        return None;
    }
    match catalogue::entry(&session.script().scenario.feed)?
        .spec
        .source
    {
        Source::Simulated(sim) => Some(SimSpec {
            seed: session.script().scenario.seed,
            ..sim
        }),
        Source::Recorded { .. } => None,
    }
}

fn model_name(m: &Model) -> &'static str {
    match m {
        Model::Gbm(_) => "geometric Brownian motion",
        Model::JumpDiffusion(_) => "jump-diffusion",
        Model::MeanRevert(_) => "mean reversion",
        Model::RegimeSwitching(_) => "regime switching",
        Model::Correlated(_) => "correlated basket",
    }
}

/// The past prices risk figures may use, and up to which tick: the whole bundled record up to
/// today for a recorded scenario, the session's own past otherwise.
pub fn history(session: &Session) -> (PathFeed, usize, String) {
    if !session.is_imported() {
        if let Some(e) = catalogue::entry(&session.script().scenario.feed) {
            if let Source::Recorded { dataset, .. } = e.spec.source {
                if let Ok(full) = replayed::load(dataset) {
                    let upto = full.index_at_time(session.time());
                    let from = full
                        .time(0)
                        .map(crate::engine::explain::when)
                        .unwrap_or_default();
                    return (
                        full,
                        upto,
                        format!(
                            "the recorded record from {} to today",
                            &from[..10.min(from.len())]
                        ),
                    );
                }
            }
        }
    }
    (
        session.feed().clone(),
        session.tick(),
        format!("this session's {} past tick(s)", session.tick()),
    )
}

/// Volatilities and correlations for the parametric figures (see the module docs).
pub fn estimate_for(session: &Session) -> Result<(Estimate, String), String> {
    let (hist, upto, what) = history(session);
    match estimate::estimate(&hist, upto, ESTIMATE_RETURNS) {
        Ok(e) => {
            let note = format!(
                "volatilities and correlations estimated from {} returns of {what}",
                e.returns
            );
            Ok((e, note))
        }
        Err(_) => {
            let Some(sim) = scenario_sim(session) else {
                return Err(format!(
                    "not enough history to estimate volatilities: {what} (30 needed); play on"
                ));
            };
            let pilot = SimSpec {
                seed: sim.seed ^ 0x5EED,
                ticks: PILOT_TICKS,
                ..sim.clone()
            }
            .generate()
            .map_err(|e| e.to_string())?;
            let e = estimate::estimate(&pilot, pilot.len() - 1, ESTIMATE_RETURNS)
                .map_err(|e| e.to_string())?;
            Ok((
                e,
                format!(
                    "fewer than 30 past ticks: volatilities and correlations estimated from {PILOT_TICKS} ticks of the scenario's own model ({})",
                    model_name(&sim.model)
                ),
            ))
        }
    }
}

/// The feed symbol an engine asset's price follows (itself, or the asset it tracks).
fn symbol_of(config: &EngineConfig, feed: &PathFeed, asset: &AssetId) -> Option<String> {
    let prices = feed.tick(0)?.prices;
    if prices.contains_key(asset.as_str()) {
        return Some(asset.to_string());
    }
    let params = config.asset(asset)?;
    peg_source(params, &prices).map(|s| s.to_string())
}

/// Exposures (quote, at market) summed per feed symbol, in the estimate's order.
fn symbol_exposures(
    session: &Session,
    est: &Estimate,
    exposures: &BTreeMap<AssetId, Decimal>,
) -> Vec<f64> {
    let mut e = vec![0.0; est.symbols.len()];
    for (asset, x) in exposures {
        let Some(sym) = symbol_of(session.config(), session.feed(), asset) else {
            continue;
        };
        if let Some(k) = est.symbols.iter().position(|s| *s == sym) {
            e[k] += stats::to_f64(*x);
        }
    }
    e
}

fn to_engine(config: &EngineConfig, path: SymbolPath) -> Vec<(i64, BTreeMap<AssetId, Decimal>)> {
    path.into_iter()
        .map(|(t, p)| (t, market_prices(config, &p)))
        .collect()
}

/// A value-at-risk computation in progress (paths run in chunks; see [`VarJob::step`]).
pub struct VarJob {
    req: VarRequest,
    config: EngineConfig,
    runner: PathRunner,
    mc: Option<(Model, BTreeMap<String, Decimal>)>,
    mc_note: String,
    steps: usize,
    step_secs: i64,
    mc_outcomes: Vec<PathOutcome>,
    hist_paths: Vec<SymbolPath>,
    hist_note: String,
    hist_outcomes: Vec<PathOutcome>,
    parametric: Option<Parametric>,
    param_note: String,
    joint: Vec<(AssetId, Decimal)>,
}

impl VarJob {
    /// Prepares the three methods for the learner's account at the session's current tick.
    pub fn new(session: &Session, req: VarRequest) -> Result<Self, String> {
        req.validate()?;
        let engine = session.engine();
        let runner = PathRunner::new(engine, AccountId::USER).map_err(|r| r.to_string())?;
        let start: BTreeMap<String, Decimal> = session
            .feed()
            .tick(session.tick())
            .map(|t| t.prices)
            .unwrap_or_default();
        let (steps, step_secs) = steps_for(req.horizon_secs);
        let est = estimate_for(session);
        // Monte Carlo source.
        let (mc, mc_note) = match (scenario_sim(session), &est) {
            (Some(sim), _) => {
                let note = format!(
                    "{} paths of the scenario's own simulator ({}) from today's prices, {steps} step(s) of {}",
                    req.paths,
                    model_name(&sim.model),
                    secs_text(step_secs)
                );
                (Some((sim.model, start.clone())), note)
            }
            (None, Ok((e, why))) => {
                let s0: Vec<Decimal> = e
                    .symbols
                    .iter()
                    .map(|s| start.get(s).copied().unwrap_or(Decimal::ONE))
                    .collect();
                let note = format!(
                    "{} paths of a correlated GBM ({why}), {steps} step(s) of {}",
                    req.paths,
                    secs_text(step_secs)
                );
                (Some((Model::Correlated(e.model(&s0)), start.clone())), note)
            }
            (None, Err(why)) => (None, format!("Monte Carlo unavailable: {why}")),
        };
        // Historical windows.
        let (hist, _, what) = history(session);
        let w = history::windows(
            &hist,
            session.time(),
            &start,
            engine.now(),
            req.horizon_secs,
            MAX_WINDOWS,
            MAX_STEPS,
        );
        let hist_note = if w.paths.is_empty() {
            format!(
                "Historical unavailable: {what} hold no complete {} window yet; play on",
                secs_text(req.horizon_secs)
            )
        } else {
            let mut n = format!(
                "{} window(s) of {what}{}",
                w.paths.len(),
                if w.paths.len() < w.available {
                    format!(
                        " (every {}-th of {})",
                        w.available.div_ceil(w.paths.len()),
                        w.available
                    )
                } else {
                    String::new()
                }
            );
            if w.sqrt_time_scaled {
                n.push_str(&format!(
                    "; the horizon is shorter than the data's {} ticks, so one-tick moves are scaled by √(horizon / tick)",
                    secs_text(w.interval_secs)
                ));
            }
            n
        };
        // Parametric and the joint move.
        let (parametric, param_note, joint) = match &est {
            Ok((e, note)) => {
                let x = symbol_exposures(session, e, runner.exposures());
                let zeros = vec![0.0; x.len()];
                let h = req.horizon_secs as f64 / crate::feed::sim::YEAR_SECS;
                let p = var::parametric(&x, &zeros, &e.vols, &e.corr, h, req.confidence);
                let ids: Vec<AssetId> = e.symbols.iter().map(|s| AssetId::new(s)).collect();
                let j = reverse::joint_move(&ids, &x, &e.vols, &e.corr, h, 0.99);
                (
                    Some(p),
                    format!("{note}; no drift assumed; sees no liquidation"),
                    j,
                )
            }
            Err(why) => (None, format!("Parametric unavailable: {why}"), Vec::new()),
        };
        Ok(Self {
            req,
            config: session.config().clone(),
            runner,
            mc,
            mc_note,
            steps,
            step_secs,
            mc_outcomes: Vec::new(),
            hist_paths: w.paths,
            hist_note,
            hist_outcomes: Vec::new(),
            parametric,
            param_note,
            joint,
        })
    }

    /// Paths to run in all (Monte Carlo, then historical windows).
    pub fn total(&self) -> usize {
        let mc = if self.mc.is_some() {
            self.req.paths as usize
        } else {
            0
        };
        mc + self.hist_paths.len()
    }

    /// Paths run so far.
    pub fn done(&self) -> usize {
        self.mc_outcomes.len() + self.hist_outcomes.len()
    }

    /// Whether the Monte Carlo part is complete.
    pub fn monte_carlo_done(&self) -> bool {
        self.mc.is_none() || self.mc_outcomes.len() >= self.req.paths as usize
    }

    /// Runs up to `max_paths` more paths; true when every path has run.
    pub fn step(&mut self, max_paths: usize) -> Result<bool, String> {
        let mut budget = max_paths;
        let start_time = self.runner.start_time();
        while budget > 0 && !self.monte_carlo_done() {
            let Some((model, start)) = &self.mc else {
                break;
            };
            let k = self.mc_outcomes.len() as u64;
            let path = montecarlo::path(
                model,
                start,
                start_time,
                self.step_secs,
                self.steps,
                self.req.seed,
                k,
            )
            .map_err(|e| e.to_string())?;
            let path = to_engine(&self.config, path);
            let o = self.runner.run(&path).map_err(|e| e.to_string())?;
            self.mc_outcomes.push(o);
            budget -= 1;
        }
        while budget > 0 && self.hist_outcomes.len() < self.hist_paths.len() {
            let p = self.hist_paths[self.hist_outcomes.len()].clone();
            let path = to_engine(&self.config, p);
            let o = self.runner.run(&path).map_err(|e| e.to_string())?;
            self.hist_outcomes.push(o);
            budget -= 1;
        }
        Ok(self.done() >= self.total())
    }

    /// The figures (of what has run so far).
    pub fn report(&self) -> VarReport {
        let summary = |o: &[PathOutcome]| -> Option<LossSummary> {
            (!o.is_empty()).then(|| var::summarize(o, self.req.confidence))
        };
        VarReport {
            horizon_secs: self.req.horizon_secs,
            confidence: self.req.confidence,
            seed: self.req.seed,
            equity: self.runner.equity0(),
            exposures: self
                .runner
                .exposures()
                .iter()
                .map(|(a, e)| (a.clone(), e.round_dp(2)))
                .collect(),
            monte_carlo: summary(&self.mc_outcomes),
            monte_carlo_note: self.mc_note.clone(),
            historical: summary(&self.hist_outcomes),
            historical_note: self.hist_note.clone(),
            parametric: self.parametric.clone(),
            parametric_note: self.param_note.clone(),
            joint_move: self.joint.clone(),
        }
    }

    /// The raw outcomes of the Monte Carlo paths (for tests and the histogram).
    pub fn monte_carlo_outcomes(&self) -> &[PathOutcome] {
        &self.mc_outcomes
    }
}

/// All three methods at once.
pub fn var_report(session: &Session, req: VarRequest) -> Result<VarReport, String> {
    let mut job = VarJob::new(session, req)?;
    while !job.step(usize::MAX)? {}
    Ok(job.report())
}

/// "1 hour", "15 hours", "2 days".
pub fn secs_text(secs: i64) -> String {
    if secs % 86_400 == 0 && secs >= 86_400 {
        let d = secs / 86_400;
        format!("{d} day{}", if d == 1 { "" } else { "s" })
    } else if secs % 3600 == 0 && secs >= 3600 {
        let h = secs / 3600;
        format!("{h} hour{}", if h == 1 { "" } else { "s" })
    } else if secs >= 3600 {
        format!("{:.1} hours", secs as f64 / 3600.0)
    } else {
        format!("{} minutes", secs / 60)
    }
}

/// A stress test of the learner's account; assets that track a shocked one move with it.
pub fn stress(
    session: &Session,
    shock: &StressShock,
    opts: StressOptions,
) -> Result<StressResult, String> {
    let shock = with_trackers(session, shock);
    session
        .engine()
        .stress(AccountId::USER, &shock, opts)
        .map_err(|e| e.to_string())
}

/// Adds, for every asset a shock names, the assets that track it in this session (stETH moving
/// with ETH when the feed does not price stETH).
fn with_trackers(session: &Session, shock: &StressShock) -> StressShock {
    let mut s = shock.clone();
    let Some(first) = session.feed().tick(0) else {
        return s;
    };
    for m in &shock.moves {
        if let stress::Target::Asset(t) = &m.target {
            for a in &session.config().assets {
                if peg_source(a, &first.prices).is_some_and(|src| src.as_str() == t) {
                    s.moves.push(stress::ShockMove {
                        target: stress::Target::Asset(a.id.to_string()),
                        change: m.change,
                    });
                }
            }
        }
    }
    s
}

/// Every shock of the library.
pub fn stress_library(session: &Session, opts: StressOptions) -> Result<Vec<StressResult>, String> {
    stress::library()
        .iter()
        .map(|s| stress(session, s, opts))
        .collect()
}

/// The reverse stress test of the learner's account.
pub fn reverse_stress(session: &Session) -> Result<ReverseResult, String> {
    session
        .engine()
        .reverse_stress(AccountId::USER)
        .map_err(|e| e.to_string())
}

/// The 99% joint move of the estimated correlations over `horizon_secs` for the learner's
/// exposures (per feed asset, as fractions), with where the estimates come from.
pub fn joint_move_for(
    session: &Session,
    horizon_secs: i64,
) -> Result<(Vec<(AssetId, Decimal)>, String), String> {
    let (e, note) = estimate_for(session)?;
    let exposures = session
        .engine()
        .exposures(&AccountId::USER)
        .map_err(|r| r.to_string())?;
    let x = symbol_exposures(session, &e, &exposures);
    let ids: Vec<AssetId> = e.symbols.iter().map(|s| AssetId::new(s)).collect();
    let h = horizon_secs as f64 / crate::feed::sim::YEAR_SECS;
    let moves = reverse::joint_move(&ids, &x, &e.vols, &e.corr, h, 0.99)
        .into_iter()
        .filter(|(_, d)| !d.is_zero())
        .collect();
    Ok((moves, note))
}

/// The 99% joint move applied through the engine.
pub fn joint_stress(
    session: &Session,
    moves: &[(AssetId, Decimal)],
    opts: StressOptions,
) -> Result<StressResult, String> {
    let mut shock = stress::custom(moves);
    shock.id = "joint-99".into();
    shock.name = "The 99% joint move of the correlations".into();
    shock.source = "the most likely move of every asset together that costs the parametric 99% VaR (estimated volatilities and correlations)".into();
    stress(session, &shock, opts)
}

/// The session's description for the report.
pub fn report_meta(session: &Session) -> ReportMeta {
    let s = &session.script().scenario;
    let entry = catalogue::entry(&s.feed);
    ReportMeta {
        scenario: entry
            .as_ref()
            .map(|e| e.name.to_string())
            .unwrap_or_else(|| crate::text::echo(&s.feed)),
        preset: format!("{:?}", s.preset),
        imitates: s.preset.imitates().into(),
        rules: s.rules.label().into(),
        design: s.design.to_string(),
        seed: s.seed,
        tick: session.tick(),
        data_source: entry
            .map(|e| format!("{} · {} · {}", e.provenance.label(), e.source, e.licence))
            .unwrap_or_else(|| "your own imported prices".into()),
    }
}

/// The risk report of the learner's account with what the desk computed.
pub fn report(
    session: &Session,
    var: Option<&VarReport>,
    stress: &[StressResult],
    reverse: Option<&ReverseResult>,
) -> Result<RiskReport, String> {
    session
        .engine()
        .risk_report(AccountId::USER, report_meta(session), var, stress, reverse)
        .map_err(|r| r.to_string())
}
