//! "How much over-collateralization is enough?": the same crowd and crash run under two buffers
//! side by side, or under a sweep of liquidation thresholds drawn as a curve of bad debt and
//! liquidated value. Each run is the engine's (`replay::compare::Run`), done a few milliseconds at
//! a time so the page stays responsive.

use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::population::BufferParams;
use crate::replay::compare::{self, Outcome, Run};
use crate::replay::Scenario;
use crate::ui::chart::canvas::{CanvasChart, ChartData, Series};
use crate::ui::state::use_lab;
use crate::ui::util::format;
use crate::ui::util::playback::now_ms;

fn parse(label: &str, s: &str) -> Result<Decimal, String> {
    s.trim()
        .parse::<Decimal>()
        .map_err(|_| format!("{label} must be a number."))
}

#[component]
pub fn BufferLab() -> impl IntoView {
    let lab = use_lab();
    let shift_a = RwSignal::new("0".to_string());
    let shift_b = RwSignal::new("0.05".to_string());
    let depth_a = RwSignal::new("1".to_string());
    let depth_b = RwSignal::new("1".to_string());
    let sweep_from = RwSignal::new("-0.1".to_string());
    let sweep_to = RwSignal::new("0.1".to_string());
    let results = RwSignal::new(Vec::<(String, Outcome)>::new());
    let progress = RwSignal::new(String::new());
    let job = RwSignal::new(0u64);

    let launch = move |runs: Vec<(String, Scenario)>| {
        let id = job.get_untracked() + 1;
        job.set(id);
        results.set(Vec::new());
        let total = runs.len();
        leptos::task::spawn_local(async move {
            for (k, (label, scenario)) in runs.into_iter().enumerate() {
                progress.set(format!("Run {} of {total}: building the crowd…", k + 1));
                gloo_timers::future::TimeoutFuture::new(0).await;
                let mut run = match lab.with_untracked(|s| Run::start(s, scenario)) {
                    Some(Ok(r)) => r,
                    Some(Err(e)) => {
                        progress.set(String::new());
                        return lab.error(format!("This comparison could not start: {e}"));
                    }
                    None => return,
                };
                loop {
                    if job.get_untracked() != id {
                        return;
                    }
                    let t0 = now_ms();
                    let done = loop {
                        match run.work(4) {
                            Ok(true) => break true,
                            Ok(false) if now_ms() - t0 < 12.0 => continue,
                            Ok(false) => break false,
                            Err(e) => {
                                progress.set(String::new());
                                return lab.error(format!("This comparison stopped: {e}"));
                            }
                        }
                    };
                    let (t, end) = run.progress();
                    progress.set(format!(
                        "Run {} of {total} ({label}): tick {t} / {end}",
                        k + 1
                    ));
                    if done {
                        break;
                    }
                    gloo_timers::future::TimeoutFuture::new(0).await;
                }
                results.update(|r| r.push((label, run.outcome())));
            }
            progress.set(String::new());
        });
    };

    let compare = move |_| {
        let make = |shift: &str, depth: &str| -> Result<BufferParams, String> {
            Ok(BufferParams {
                threshold_shift: parse("The threshold shift", shift)?,
                depth_scale: parse("The depth scale", depth)?,
                ..BufferParams::default()
            })
        };
        let pair = make(&shift_a.get_untracked(), &depth_a.get_untracked())
            .and_then(|a| Ok((a, make(&shift_b.get_untracked(), &depth_b.get_untracked())?)));
        let (a, b) = match pair {
            Ok(x) => x,
            Err(e) => return lab.error(e),
        };
        for x in [&a, &b] {
            if let Err(e) = x.validate() {
                return lab.error(e);
            }
        }
        let Some(runs) = lab.with_untracked(|s| {
            vec![
                ("A".to_string(), compare::with_buffer(s, a.clone())),
                ("B".to_string(), compare::with_buffer(s, b.clone())),
            ]
        }) else {
            return lab.error("Start a scenario first.");
        };
        launch(runs);
    };
    let sweep = move |_| {
        let (from, to) = match (
            parse("The sweep's start", &sweep_from.get_untracked()),
            parse("The sweep's end", &sweep_to.get_untracked()),
        ) {
            (Ok(f), Ok(t)) if f < t => (f, t),
            (Ok(_), Ok(_)) => return lab.error("The sweep's start must be below its end."),
            (Err(e), _) | (_, Err(e)) => return lab.error(e),
        };
        let shifts: Vec<Decimal> = (0..8)
            .map(|i| (from + (to - from) * Decimal::from(i) / Decimal::from(7)).round_dp(4))
            .collect();
        for s in &shifts {
            let b = BufferParams {
                threshold_shift: *s,
                ..BufferParams::default()
            };
            if let Err(e) = b.validate() {
                return lab.error(e);
            }
        }
        let Some(runs) = lab.with_untracked(|s| {
            compare::threshold_sweep(s, &shifts)
                .into_iter()
                .zip(&shifts)
                .map(|(sc, x)| (format!("{:+}", x.normalize()), sc))
                .collect::<Vec<_>>()
        }) else {
            return lab.error("Start a scenario first.");
        };
        launch(runs);
    };
    let curve = Signal::derive(move || {
        let r = results.get();
        if r.len() < 3 {
            return ChartData::default();
        }
        ChartData {
            len: r.len(),
            series: vec![
                Series {
                    label: "bad debt".into(),
                    color: "#a855f7",
                    values: r
                        .iter()
                        .map(|(_, o)| format::to_f64(o.market_bad_debt))
                        .collect(),
                    dashed: false,
                },
                Series {
                    label: "liquidated value".into(),
                    color: "#e5484d",
                    values: r
                        .iter()
                        .map(|(_, o)| format::to_f64(o.market_liquidated_value))
                        .collect(),
                    dashed: true,
                },
            ],
            ..ChartData::default()
        }
    });
    let field = |id: &'static str, label: &'static str, s: RwSignal<String>| {
        view! {
            <div class="field narrow">
                <label for=id>{label}</label>
                <input id=id data-testid=id inputmode="decimal" prop:value=s on:input=move |ev| s.set(event_target_value(&ev)) />
            </div>
        }
    };
    view! {
        <section class="buffer-lab" data-testid="buffer-lab">
            <h3 class="sub">"How much over-collateralization is enough?"</h3>
            <p class="small muted">"Run this scenario's crowd and crash again with the liquidation thresholds shifted (−0.05 = five points lower: liquidation sooner, more buffer) or the market thinner or deeper. The crowd borrowed under the preset's rules each time."</p>
            <div class="row wrap">
                {field("buffer-a-shift", "A: threshold shift", shift_a)}
                {field("buffer-a-depth", "A: depth scale", depth_a)}
                {field("buffer-b-shift", "B: threshold shift", shift_b)}
                {field("buffer-b-depth", "B: depth scale", depth_b)}
                <button class="btn" data-testid="buffer-compare" on:click=compare>"Compare A and B"</button>
            </div>
            <div class="row wrap">
                {field("sweep-from", "Sweep from", sweep_from)}
                {field("sweep-to", "to", sweep_to)}
                <button class="btn" data-testid="buffer-sweep" on:click=sweep>"Sweep 8 thresholds"</button>
            </div>
            <p class="small" aria-live="polite" data-testid="buffer-progress">{move || progress.get()}</p>
            <Show when=move || !results.get().is_empty()>
                <table class="compare small" data-testid="buffer-results">
                    <thead><tr><th>"Run"</th><th class="num">"Liquidations"</th><th class="num">"Liquidated value"</th><th class="num">"Bad debt"</th><th class="num">"Your equity"</th></tr></thead>
                    <tbody>
                        {move || results.get().into_iter().map(|(label, o)| view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td class="num">{o.market_liquidations}</td>
                                <td class="num" data-testid="br-liquidated">{format::money(o.market_liquidated_value, 0)}</td>
                                <td class="num" data-testid="br-bad-debt">{format::money(o.market_bad_debt, 2)}</td>
                                <td class="num">{format::money(o.final_equity, 2)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                // The curve is for a sweep (three runs or more), not for an A/B comparison.
                <Show when=move || results.with(|r| r.len() >= 3)>
                    <CanvasChart data=curve height=120 label="Bad debt and liquidated value across the sweep of liquidation thresholds" test_id="sweep-curve" />
                </Show>
            </Show>
        </section>
    }
}
