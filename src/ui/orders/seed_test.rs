//! "Test across seeds": the session's script on N seeds of its simulated scenario, next to the
//! same script without its automation, as a histogram and a summary table. Every figure comes
//! from `replay::sweep` (the engine's outcomes); the runner keeps the page responsive.

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::histogram::{Histogram, HistogramData, BASELINE, STRATEGY};
use super::runner::{self, Update};
use crate::replay::sweep::{
    has_automation, report, single_path_reason, Report, Stats, Summary, SweepSpec, MAX_SEEDS,
};
use crate::ui::state::use_lab;
use crate::ui::util::format;

use super::state::{use_automation, Shown, Status, Tested};

fn parse_count(text: &str) -> Option<u32> {
    text.trim().replace([',', '_', ' '], "").parse().ok()
}

#[component]
pub fn SeedTest() -> impl IntoView {
    let lab = use_lab();
    // Kept by the app, not this panel: a test goes on, and its results stay, across tab changes.
    let st = use_automation();
    let (seeds, ticks, status, tested, shown, job) =
        (st.seeds, st.ticks, st.status, st.tested, st.shown, st.job);

    let one_path = Memo::new(move |_| lab.with(|s| single_path_reason(s.script())).flatten());
    let automated = Memo::new(move |_| lab.with(|s| has_automation(s.script())).unwrap_or(false));
    let length = Memo::new(move |_| lab.with(|s| s.len()).unwrap_or(0));
    let stale = Memo::new(move |_| {
        let t = tested.get()?;
        lab.with(|s| *s.script() != t.script)
    });

    let run = move |_| {
        let Some(n) = parse_count(&seeds.get_untracked()).filter(|n| (1..=MAX_SEEDS).contains(n))
        else {
            status.set(Status::Failed(format!(
                "The number of seeds must be a whole number from 1 to {MAX_SEEDS}."
            )));
            return;
        };
        let t = ticks.get_untracked();
        let horizon = if t.trim().is_empty() {
            None
        } else {
            match parse_count(&t).filter(|t| *t > 0) {
                Some(t) => Some(t),
                None => {
                    status.set(Status::Failed(
                        "Ticks per run must be a whole number above 0, or empty for the whole scenario.".into(),
                    ));
                    return;
                }
            }
        };
        let Some(script) = lab.with_untracked(|s| s.script().clone()) else {
            return;
        };
        let spec = SweepSpec {
            seeds: n,
            ticks: horizon,
        };
        if let Err(e) = crate::replay::sweep::Sweep::new(&script, spec) {
            status.set(Status::Failed(e));
            return;
        }
        if let Some(old) = job.get_value() {
            old.cancel();
        }
        status.set(Status::Running { done: 0, total: n });
        let for_result = script.clone();
        let handle = runner::start(script, spec, move |u| match u {
            Update::Progress { done, total } => status.set(Status::Running { done, total }),
            Update::Finished {
                outcomes,
                elapsed_ms,
                workers,
            } => {
                let to_f64 = |v: Decimal| format::to_f64(v);
                tested.set(Some(Tested {
                    script: for_result.clone(),
                    spec,
                    report: report(&outcomes),
                    equity: (
                        outcomes
                            .iter()
                            .map(|o| to_f64(o.strategy.final_equity))
                            .collect(),
                        outcomes
                            .iter()
                            .map(|o| to_f64(o.baseline.final_equity))
                            .collect(),
                    ),
                    drawdown: (
                        outcomes
                            .iter()
                            .map(|o| to_f64(o.strategy.worst_drawdown))
                            .collect(),
                        outcomes
                            .iter()
                            .map(|o| to_f64(o.baseline.worst_drawdown))
                            .collect(),
                    ),
                    elapsed_ms,
                    workers,
                }));
                status.set(Status::Idle);
            }
            Update::Failed(e) => status.set(Status::Failed(e)),
        });
        job.set_value(Some(handle));
    };
    let cancel = move |_| {
        if let Some(j) = job.get_value() {
            j.cancel();
        }
        status.set(Status::Idle);
    };

    let hist = Signal::derive(move || {
        tested
            .get()
            .map(|t| match shown.get() {
                Shown::Equity => HistogramData {
                    strategy: t.equity.0,
                    baseline: t.equity.1,
                    percent: false,
                },
                Shown::Drawdown => HistogramData {
                    strategy: t.drawdown.0,
                    baseline: t.drawdown.1,
                    percent: true,
                },
            })
            .unwrap_or_default()
    });
    let running = move || matches!(status.get(), Status::Running { .. });

    view! {
        <section class="seed-test" data-testid="seed-test" aria-labelledby="seed-title">
            <h3 class="sub" id="seed-title">"Test across seeds"</h3>
            <p class="small muted">
                "Runs this session's script — its actions at their ticks, orders, rules and strategy — on other seeds of the same simulated scenario, next to the same script without its automation ("
                <em>"no strategy"</em>
                ": a strategy's entry is kept and held, with no stops, takes, re-entries or rules). Every figure comes from the engine; the same link gives the same results and digest in any browser and in the native tool."
            </p>
            {move || one_path.get().map(|reason| view! { <p class="warning small" data-testid="seed-one-path">{format!("Not available: {reason}")}</p> })}
            <Show when=move || one_path.get().is_none() && !automated.get()>
                <p class="small muted" data-testid="seed-no-automation">"This session has no orders, rules or strategy yet: both columns will be the same. Attach a strategy above first."</p>
            </Show>
            <div class="row wrap">
                <label class="inline" for="seed-n">"Seeds"</label>
                <input id="seed-n" class="input-short" inputmode="numeric" data-testid="seed-count" prop:value=seeds on:input=move |ev| seeds.set(event_target_value(&ev)) />
                <label class="inline" for="seed-ticks">"Ticks per run"</label>
                <input id="seed-ticks" class="input-short" inputmode="numeric" data-testid="seed-ticks"
                    placeholder=move || format!("all {}", length.get())
                    prop:value=ticks on:input=move |ev| ticks.set(event_target_value(&ev)) />
                <button class="btn" data-testid="seed-run" disabled=move || running() || one_path.get().is_some() on:click=run>"Run test"</button>
                <Show when=running>
                    <button class="btn small" data-testid="seed-cancel" on:click=cancel>"Cancel"</button>
                </Show>
            </div>
            {move || match status.get() {
                Status::Running { done, total } => view! {
                    <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax=total aria-valuenow=done data-testid="seed-progress">
                        <div class="progress-fill" style=format!("width:{}%", (f64::from(done) / f64::from(total.max(1)) * 100.0).round())></div>
                        <span class="small mono">{format!("{done} / {total} seeds")}</span>
                    </div>
                }.into_any(),
                Status::Failed(e) => view! { <p class="rejection" role="status" data-testid="seed-error">{e}</p> }.into_any(),
                Status::Idle => ().into_any(),
            }}
            {move || tested.get().map(|t| {
                let r = t.report.clone();
                view! {
                    <div class="seed-result" class:stale=move || stale.get().unwrap_or(false)>
                        <Show when=move || stale.get().unwrap_or(false)>
                            <p class="warning small" data-testid="seed-stale">"The session changed since this test: run it again to test what it does now."</p>
                        </Show>
                        <p class="small" data-testid="seed-elapsed">
                            {format!(
                                "{} seeds × {} ticks, strategy and no strategy: ran in {:.2} s {}.",
                                t.spec.seeds,
                                t.spec.ticks.map(|x| x.to_string()).unwrap_or_else(|| "all".into()),
                                t.elapsed_ms / 1000.0,
                                if t.workers == 0 { "on this page".to_string() } else { format!("on {} worker{}", t.workers, if t.workers == 1 { "" } else { "s" }) }
                            )}
                        </p>
                        <div class="row">
                            <div class="segmented" role="radiogroup" aria-label="Histogram of">
                                <button type="button" role="radio" class="seg" aria-checked=move || (shown.get() == Shown::Equity).to_string() data-testid="hist-equity" on:click=move |_| shown.set(Shown::Equity)>"Final equity"</button>
                                <button type="button" role="radio" class="seg" aria-checked=move || (shown.get() == Shown::Drawdown).to_string() data-testid="hist-drawdown" on:click=move |_| shown.set(Shown::Drawdown)>"Worst drawdown"</button>
                            </div>
                            <span class="legend"><i style=format!("background:{STRATEGY}")></i>"strategy"</span>
                            <span class="legend"><i style=format!("background:{BASELINE}")></i>"no strategy (outline)"</span>
                        </div>
                        <Histogram data=hist label="How many runs ended in each range, with the strategy (bars) and without it (outlines)" test_id="seed-histogram" />
                        <SummaryTable report=r.clone() />
                        <p class="small mono" data-testid="seed-digest" title="Equal digests mean equal outcomes, seed by seed">{format!("digest {}", r.digest)}</p>
                    </div>
                }
            })}
        </section>
    }
}

fn money(v: Decimal) -> String {
    format::money(v, 2)
}

fn stat_rows(name: &'static str, a: &Stats, b: &Stats, pct: bool) -> Vec<(String, String, String)> {
    let f = |v: Decimal| if pct { format::pct(v) } else { money(v) };
    [
        ("mean", a.mean, b.mean),
        ("5th percentile", a.p5, b.p5),
        ("median", a.median, b.median),
        ("95th percentile", a.p95, b.p95),
        (
            "worst",
            if pct { a.max } else { a.min },
            if pct { b.max } else { b.min },
        ),
        (
            "best",
            if pct { a.min } else { a.max },
            if pct { b.min } else { b.max },
        ),
    ]
    .into_iter()
    .map(|(label, x, y)| (format!("{name}: {label}"), f(x), f(y)))
    .collect()
}

fn count_rows(a: &Summary, b: &Summary) -> Vec<(String, String, String)> {
    let mut rows = vec![
        (
            "Runs with a liquidation".to_string(),
            format!("{} of {}", a.liquidated_runs, a.runs),
            format!("{} of {}", b.liquidated_runs, b.runs),
        ),
        (
            "Liquidations in all".to_string(),
            a.liquidations.to_string(),
            b.liquidations.to_string(),
        ),
    ];
    if !a.bad_debt.is_zero() || !b.bad_debt.is_zero() {
        rows.push(("Bad debt left".into(), money(a.bad_debt), money(b.bad_debt)));
    }
    for (k, ((name, x), (_, y))) in a.fired.rows().iter().zip(b.fired.rows()).enumerate() {
        if *x > 0 || y > 0 {
            rows.push((
                format!("{}{}", name[..1].to_uppercase(), &name[1..]),
                format!("{x} (in {} runs)", a.runs_with[k]),
                format!("{y} (in {} runs)", b.runs_with[k]),
            ));
        }
    }
    if a.skipped_actions + b.skipped_actions > 0 {
        rows.push((
            "Actions refused on a path (skipped)".into(),
            a.skipped_actions.to_string(),
            b.skipped_actions.to_string(),
        ));
    }
    rows
}

#[component]
fn SummaryTable(report: Report) -> impl IntoView {
    let mut rows = stat_rows(
        "Final equity",
        &report.strategy.final_equity,
        &report.baseline.final_equity,
        false,
    );
    rows.extend(stat_rows(
        "Worst drawdown",
        &report.strategy.worst_drawdown,
        &report.baseline.worst_drawdown,
        true,
    ));
    rows.extend(count_rows(&report.strategy, &report.baseline));
    view! {
        <div class="table-scroll">
            <table class="positions" data-testid="seed-summary">
                <thead><tr><th scope="col">""</th><th scope="col" class="num">"Strategy"</th><th scope="col" class="num">"No strategy"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(label, a, b)| view! {
                        <tr><th scope="row">{label}</th><td class="num">{a}</td><td class="num">{b}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
