//! What the Automation tab keeps while the learner looks elsewhere: the strategy editor's fields
//! and the test across seeds (its settings, progress and results). Provided once by the app, so a
//! running test goes on, and its results stay, when the tab is closed and opened again.

use std::rc::Rc;

use leptos::prelude::*;

use super::runner::Job;
use super::strategy_editor::Fields;
use crate::replay::sweep::{Report, SweepSpec};
use crate::replay::Script;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Status {
    Idle,
    Running { done: u32, total: u32 },
    Failed(String),
}

/// A finished test: what ran, its report, and the values the histograms draw.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Tested {
    pub script: Script,
    pub spec: SweepSpec,
    pub report: Report,
    pub equity: (Vec<f64>, Vec<f64>),
    pub drawdown: (Vec<f64>, Vec<f64>),
    pub elapsed_ms: f64,
    pub workers: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shown {
    Equity,
    Drawdown,
}

/// The Automation tab's state, provided as context by the app.
#[derive(Clone, Copy)]
pub struct AutomationState {
    pub(super) fields: RwSignal<Fields>,
    pub(super) seeds: RwSignal<String>,
    pub(super) ticks: RwSignal<String>,
    pub(super) status: RwSignal<Status>,
    pub(super) tested: RwSignal<Option<Tested>>,
    pub(super) shown: RwSignal<Shown>,
    pub(super) job: StoredValue<Option<Rc<Job>>, LocalStorage>,
}

impl AutomationState {
    pub fn new() -> Self {
        Self {
            fields: RwSignal::new(Fields::default()),
            seeds: RwSignal::new("200".into()),
            ticks: RwSignal::new(String::new()),
            status: RwSignal::new(Status::Idle),
            tested: RwSignal::new(None),
            shown: RwSignal::new(Shown::Equity),
            job: StoredValue::new_local(None),
        }
    }
}

impl Default for AutomationState {
    fn default() -> Self {
        Self::new()
    }
}

/// The state from context (a fresh one where the app did not provide it).
pub(super) fn use_automation() -> AutomationState {
    use_context::<AutomationState>().unwrap_or_default()
}
