//! The picker's crowd and buffer settings: how many other borrowers, the distribution they are
//! drawn from (every parameter shown and explained), and the preset's buffer to change. The engine
//! checks every value (`PopulationParams::validate`, `BufferParams::validate`).

use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::population::{BufferParams, PopulationParams};
use crate::replay::script::ScenarioOption;

/// The form's fields, as typed.
#[derive(Clone, Copy)]
pub struct CrowdForm {
    pub count: RwSignal<String>,
    fields: [RwSignal<String>; 12],
    buffer: [RwSignal<String>; 4],
}

/// `(label, help, default)` of each distribution field, in `PopulationParams` order after `count`.
const FIELDS: [(&str, &str, &str); 12] = [
    ("Median health", "Half the crowd starts below this health factor (collateral ratio ÷ liquidation ratio for vaults).", "1.6"),
    ("Health spread", "σ of ln(health − 1): 0 puts everyone at the median; 0.6 spreads most between about 1.2 and 2.7.", "0.6"),
    ("Health floor", "Nobody starts below this health (nor above what the LTV allows).", "1.05"),
    ("Smallest position", "Value posted by the smallest borrower, in the debt asset (Pareto tail from here).", "2000"),
    ("Size tail exponent", "Pareto α: lower means heavier tails (a few whales hold most of the value).", "1.3"),
    ("Largest position", "No borrower posts more than this.", "5000000"),
    ("Second collateral share", "Share of borrowers who put 30% of their value in a second collateral.", "0.3"),
    ("Active share", "Share of borrowers who act: repay when their health falls to 85% of its start, borrow again above 130%.", "0.25"),
    ("Actions per week", "How often an active borrower looks at its position, on average (random, seeded times).", "1"),
    ("Long share", "Perpetuals: share of traders who are long (the rest are short).", "0.6"),
    ("Isolated share", "Perpetuals: share of traders on isolated margin (the rest use cross margin).", "0.5"),
    ("Median leverage", "Perpetuals: half the traders use less (spread ×e^±0.5, capped by the brackets).", "5"),
];

const BUFFER: [(&str, &str, &str); 4] = [
    ("Liquidation threshold shift", "Added to every liquidation threshold after the crowd borrowed (−0.05 = five points lower: liquidation comes sooner, more buffer). Vault ratios move to match.", "0"),
    ("Bonus scale", "Multiplies every liquidation bonus and penalty.", "1"),
    ("Close factor", "Share of a debt a liquidator may repay at once (blank: the preset's).", ""),
    ("Market depth scale", "Multiplies every asset's market depth: below 1 makes liquidation sales move the price more (cascades), above 1 less.", "1"),
];

impl CrowdForm {
    pub fn new() -> Self {
        Self {
            count: RwSignal::new("0".into()),
            fields: FIELDS.map(|(_, _, d)| RwSignal::new(d.to_string())),
            buffer: BUFFER.map(|(_, _, d)| RwSignal::new(d.to_string())),
        }
    }

    /// The scenario options the form describes, or what is wrong with it.
    pub fn options(&self) -> Result<Vec<ScenarioOption>, String> {
        let num = |label: &str, s: &RwSignal<String>| {
            s.get_untracked()
                .trim()
                .replace(',', "")
                .parse::<Decimal>()
                .map_err(|_| format!("{label} must be a number."))
        };
        let count = self
            .count
            .get_untracked()
            .trim()
            .replace(',', "")
            .parse::<u32>()
            .map_err(|_| {
                "The crowd must be a whole number of borrowers (0 to 100,000).".to_string()
            })?;
        let mut out = Vec::new();
        if count > 0 {
            let v: Vec<Decimal> = FIELDS
                .iter()
                .zip(&self.fields)
                .map(|((label, _, _), s)| num(label, s))
                .collect::<Result<_, _>>()?;
            let p = PopulationParams {
                count,
                health_median: v[0],
                health_spread: v[1],
                health_floor: v[2],
                size_min: v[3],
                size_alpha: v[4],
                size_max: v[5],
                second_collateral_share: v[6],
                active_share: v[7],
                actions_per_week: v[8],
                long_share: v[9],
                isolated_share: v[10],
                leverage_median: v[11],
            };
            p.validate()?;
            out.push(ScenarioOption::Population(p));
        }
        let close = self.buffer[2].get_untracked();
        let b = BufferParams {
            threshold_shift: num(BUFFER[0].0, &self.buffer[0])?,
            bonus_scale: num(BUFFER[1].0, &self.buffer[1])?,
            close_factor: if close.trim().is_empty() {
                None
            } else {
                Some(num(BUFFER[2].0, &self.buffer[2])?)
            },
            depth_scale: num(BUFFER[3].0, &self.buffer[3])?,
        };
        if b != BufferParams::default() {
            b.validate()?;
            out.push(ScenarioOption::Buffer(b));
        }
        Ok(out)
    }
}

impl Default for CrowdForm {
    fn default() -> Self {
        Self::new()
    }
}

/// The crowd's fields in a disclosure under the picker.
#[component]
pub fn CrowdSettings(form: CrowdForm) -> impl IntoView {
    let input = |id: String, label: &'static str, help: &'static str, s: RwSignal<String>| {
        view! {
            <div class="field narrow" title=help>
                <label for=id.clone()>{label}</label>
                <input id=id.clone() data-testid=id inputmode="decimal" prop:value=s on:input=move |ev| s.set(event_target_value(&ev)) />
            </div>
        }
    };
    view! {
        <div class="field narrow">
            <label for="crowd-count">"Other borrowers"</label>
            <input id="crowd-count" data-testid="crowd-count" inputmode="numeric" prop:value=form.count
                on:input=move |ev| form.count.set(event_target_value(&ev)) />
        </div>
        <details class="crowd" data-testid="crowd-settings">
            <summary>"Crowd and buffer"</summary>
            <p class="small muted">
                "The other borrowers are ordinary accounts of the engine, drawn from the scenario's seed under its rules: sizes are heavy-tailed (Pareto), starting health is 1 + (median − 1) × e^(spread × Z) with most of the mass between about 1.1 and 2, as lending dashboards show; their forced sales move the market for everyone. Margin Lab's model, not data: hover a field for what it does."
            </p>
            <div class="row wrap">
                {FIELDS.iter().zip(form.fields).enumerate().map(|(i, ((label, help, _), s))| input(format!("crowd-{i}"), label, help, s)).collect_view()}
            </div>
            <p class="small muted">"The buffer: applied after the crowd has borrowed under the preset's own rules, so the same crowd meets other thresholds."</p>
            <div class="row wrap">
                {BUFFER.iter().zip(form.buffer).enumerate().map(|(i, ((label, help, _), s))| input(format!("buffer-{i}"), label, help, s)).collect_view()}
            </div>
        </details>
    }
}
