//! What the desk computed, kept while the learner switches tabs (provided by the app), with the
//! tick and event-log hash it was computed at, so a result from another moment is marked stale.

use leptos::prelude::*;

use crate::engine::risk::reverse::ReverseResult;
use crate::engine::risk::stress::StressResult;
use crate::engine::risk::var::VarReport;
use crate::engine::AssetId;
use rust_decimal::Decimal;

/// When a result was computed: the session's tick and event-log hash then.
#[derive(Clone, Debug, PartialEq)]
pub struct Stamp {
    pub tick: usize,
    pub log_hash: String,
}

/// A value-at-risk run and how long it took in this browser.
#[derive(Clone, Debug, PartialEq)]
pub struct VarRun {
    pub stamp: Stamp,
    pub report: VarReport,
    /// Milliseconds until the Monte Carlo paths were done, and in all.
    pub monte_carlo_ms: f64,
    pub total_ms: f64,
}

/// The 99% joint move: when, the move per asset, and where its estimates come from.
pub type JointMove = (Stamp, Vec<(AssetId, Decimal)>, String);

#[derive(Clone, Copy)]
pub struct RiskStore {
    pub var: RwSignal<Option<VarRun>>,
    /// Paths run so far and in all, while a run is going.
    pub progress: RwSignal<Option<(usize, usize)>>,
    pub stress: RwSignal<Vec<(Stamp, StressResult)>>,
    pub reverse: RwSignal<Option<(Stamp, ReverseResult)>>,
    pub joint: RwSignal<Option<JointMove>>,
    pub report_open: RwSignal<bool>,
}

impl RiskStore {
    pub fn new() -> Self {
        Self {
            var: RwSignal::new(None),
            progress: RwSignal::new(None),
            stress: RwSignal::new(Vec::new()),
            reverse: RwSignal::new(None),
            joint: RwSignal::new(None),
            report_open: RwSignal::new(false),
        }
    }
}

impl Default for RiskStore {
    fn default() -> Self {
        Self::new()
    }
}

/// The store from context.
pub fn use_risk() -> RiskStore {
    expect_context::<RiskStore>()
}

/// A loss or value in f64 (statistics), shown like money.
pub fn money_f64(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    crate::ui::util::format::money(crate::engine::risk::stats::to_decimal(x, 2), 2)
}

/// A probability as a percentage with one decimal.
pub fn pct_f64(p: f64) -> String {
    if !p.is_finite() {
        return "—".into();
    }
    format!("{:.1}%", p * 100.0)
}
