use leptos::prelude::*;

use super::histogram::{HistogramData, LossHistogram};
use super::run::run_sliced;
use super::store::{money_f64, pct_f64, use_risk, Stamp, VarRun};
use crate::engine::risk::var::{LossSummary, VarReport};
use crate::replay::risk::{secs_text, VarJob, VarRequest, CONFIDENCES, HORIZONS, MIN_PATHS};
use crate::ui::state::use_lab;
use crate::ui::util::format;

fn cell(v: Option<String>) -> String {
    v.unwrap_or_else(|| "—".into())
}

/// Value at risk and expected shortfall by three methods side by side, the probability of being
/// liquidated within the horizon and what liquidations add, and the loss histogram.
#[component]
pub fn VarPanel() -> impl IntoView {
    let lab = use_lab();
    let store = use_risk();
    let horizon = RwSignal::new(86_400i64);
    let confidence = RwSignal::new(0.99f64);
    let paths = RwSignal::new(MIN_PATHS.to_string());
    let seed = RwSignal::new("1".to_string());

    // A lesson in progress may be waiting for value at risk.
    let lessons = use_context::<crate::ui::lesson::LessonStore>();
    let run = move |_| {
        if store.progress.get_untracked().is_some() {
            return;
        }
        let Ok(paths) = paths.get_untracked().trim().parse::<u32>() else {
            return lab.error("The number of paths must be a whole number.");
        };
        let Ok(seed) = seed.get_untracked().trim().parse::<u64>() else {
            return lab.error("The seed must be a whole number.");
        };
        let req = VarRequest {
            horizon_secs: horizon.get_untracked(),
            confidence: confidence.get_untracked(),
            paths,
            seed,
        };
        let built = lab.with_untracked(|s| {
            VarJob::new(s, req).map(|job| {
                (
                    job,
                    Stamp {
                        tick: s.tick(),
                        log_hash: s.log_hash(),
                    },
                )
            })
        });
        let (mut job, stamp) = match built {
            Some(Ok(x)) => x,
            Some(Err(e)) => return lab.error(e),
            None => return lab.error("Start a scenario first."),
        };
        store.progress.set(Some((0, job.total())));
        leptos::task::spawn_local(async move {
            let result = run_sliced(&mut job, |d, t| store.progress.set(Some((d, t)))).await;
            store.progress.set(None);
            match result {
                Ok((mc, total)) => {
                    if let Some(l) = lessons {
                        l.note(crate::lesson::Tool::ValueAtRisk);
                    }
                    store.var.set(Some(VarRun {
                        stamp,
                        report: job.report(),
                        monte_carlo_ms: mc,
                        total_ms: total,
                    }))
                }
                Err(e) => lab.error(format!("The value at risk could not be computed: {e}")),
            }
        });
    };

    let current = Memo::new(move |_| lab.with(|s| (s.tick(), s.log_hash())).unwrap_or_default());
    let report = Memo::new(move |_| store.var.get());
    let stale = move || {
        report
            .get()
            .is_some_and(|r| (r.stamp.tick, r.stamp.log_hash.clone()) != current.get())
    };
    let hist = Signal::derive(move || {
        report
            .get()
            .and_then(|r| r.report.monte_carlo.clone())
            .map(|m| HistogramData {
                histogram: m.histogram,
                var: m.var,
                es: m.es,
            })
            .unwrap_or_default()
    });
    let row = move |label: &'static str,
                    test: &'static str,
                    f: fn(&VarReport, usize) -> Option<String>| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                {(0..3usize).map(|k| {
                    let id = format!("var-{test}-{}", ["mc", "hist", "param"][k]);
                    view! { <td class="num" data-testid=id>{move || cell(report.get().and_then(|r| f(&r.report, k)))}</td> }
                }).collect_view()}
            </tr>
        }
    };
    fn sim(r: &VarReport, k: usize) -> Option<&LossSummary> {
        match k {
            0 => r.monte_carlo.as_ref(),
            1 => r.historical.as_ref(),
            _ => None,
        }
    }

    view! {
        <div class="risk-var" data-testid="var-panel">
            <div class="row wrap">
                <label class="inline">"Horizon"
                    <select data-testid="var-horizon" on:change=move |ev| horizon.set(event_target_value(&ev).parse().unwrap_or(86_400))>
                        {HORIZONS.iter().map(|(s, l)| view! { <option value=s.to_string() selected=move || horizon.get() == *s>{*l}</option> }).collect_view()}
                    </select>
                </label>
                <label class="inline">"Confidence"
                    <select data-testid="var-confidence" on:change=move |ev| confidence.set(event_target_value(&ev).parse().unwrap_or(0.99))>
                        {CONFIDENCES.iter().map(|c| view! { <option value=c.to_string() selected=move || confidence.get() == *c>{format!("{:.0}%", c * 100.0)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="inline">"Paths"
                    <input class="input-short" inputmode="numeric" data-testid="var-paths" prop:value=paths on:input=move |ev| paths.set(event_target_value(&ev)) />
                </label>
                <label class="inline">"Seed"
                    <input class="input-short" inputmode="numeric" data-testid="var-seed" prop:value=seed on:input=move |ev| seed.set(event_target_value(&ev)) />
                </label>
                <button class="btn primary" data-testid="var-run" disabled=move || store.progress.get().is_some() on:click=run>"Compute"</button>
                <span class="muted small mono" data-testid="var-progress">
                    {move || store.progress.get().map(|(d, t)| format!("running… {d} / {t} paths"))}
                </span>
            </div>
            <p class="muted small">"Every path is replayed through a copy of the engine from this tick, so interest, oracles, margin calls, liquidations (bonus, penalty, fees), the slippage of forced sales and bad debt are in the losses — not a linear P&L. Losses are of your equity at market prices."</p>
            {move || report.get().map(|r| {
                let v = &r.report;
                let meta = format!(
                    "{}% over {} · computed at tick {} on equity {} · seed {} · Monte Carlo in {:.0} ms, all methods in {:.0} ms",
                    (v.confidence * 100.0).round(), secs_text(v.horizon_secs), r.stamp.tick,
                    format::money(v.equity, 2), v.seed, r.monte_carlo_ms, r.total_ms
                );
                view! {
                    <p class="small mono" data-testid="var-meta" data-mc-ms=format!("{:.1}", r.monte_carlo_ms) data-total-ms=format!("{:.1}", r.total_ms)>{meta}</p>
                }
            })}
            <Show when=stale>
                <p class="warning small" data-testid="var-stale">"These figures are from another moment of the session: compute again for this tick."</p>
            </Show>
            <div class="table-scroll">
            <table class="kv risk-table" data-testid="var-table">
                <thead><tr><th></th><th class="num">"Monte Carlo"</th><th class="num">"Historical"</th><th class="num">"Parametric"</th></tr></thead>
                <tbody>
                    {row("Value at risk", "var", |r, k| match k { 2 => r.parametric.as_ref().map(|p| money_f64(p.var)), _ => sim(r, k).map(|s| money_f64(s.var)) })}
                    {row("Expected shortfall", "es", |r, k| match k { 2 => r.parametric.as_ref().map(|p| money_f64(p.es)), _ => sim(r, k).map(|s| money_f64(s.es)) })}
                    {row("VaR of the linear P&L (nothing liquidated)", "linvar", |r, k| sim(r, k).map(|s| money_f64(s.linear_var)))}
                    {row("Probability of liquidation in the horizon", "pliq", |r, k| sim(r, k).map(|s| if k == 0 { format!("{} ± {}", pct_f64(s.liquidation_probability), pct_f64(s.liquidation_probability_se)) } else { pct_f64(s.liquidation_probability) }))}
                    {row("Probability of a margin call", "pcall", |r, k| sim(r, k).map(|s| pct_f64(s.margin_call_probability)))}
                    {row("Expected liquidation loss", "eliq", |r, k| sim(r, k).map(|s| money_f64(s.expected_liquidation_loss)))}
                    {row("Mean loss when liquidated", "lgl", |r, k| sim(r, k).map(|s| s.loss_given_liquidation.map(money_f64).unwrap_or_else(|| "no liquidation".into())))}
                    {row("Expected penalties and fees", "epen", |r, k| sim(r, k).map(|s| money_f64(s.expected_penalties)))}
                    {row("Expected bad debt", "ebad", |r, k| sim(r, k).map(|s| money_f64(s.expected_bad_debt)))}
                    {row("Paths / windows", "n", |r, k| sim(r, k).map(|s| s.paths.to_string()))}
                </tbody>
            </table>
            </div>
            {move || report.get().map(|r| view! {
                <ul class="small muted risk-notes">
                    <li><strong>"Monte Carlo: "</strong>{r.report.monte_carlo_note.clone()}</li>
                    <li><strong>"Historical: "</strong>{r.report.historical_note.clone()}</li>
                    <li><strong>"Parametric: "</strong>{r.report.parametric_note.clone()}</li>
                    <li>"Expected liquidation loss: what liquidations added to the loss beyond the price move itself (penalties, fees, slippage, selling at the low), averaged over every path."</li>
                </ul>
            })}
            <h3 class="sub">"Monte Carlo losses"</h3>
            <LossHistogram data=hist height=150 />
        </div>
    }
}
