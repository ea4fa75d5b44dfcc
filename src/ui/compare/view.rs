use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::PresetId;
use crate::replay::compare::{compare_designs, compare_presets, Outcome};
use crate::ui::chart::{CanvasChart, ChartData, HLine, Series};
use crate::ui::scenario::picker::{design_name, preset_name};
use crate::ui::state::use_lab;
use crate::ui::util::format::{self, to_f64};

fn title(o: &Outcome) -> String {
    format!(
        "{} · {}",
        preset_name(o.scenario.preset),
        design_name(o.scenario.design)
    )
}

/// One sentence on what differs, from the two outcomes' figures (compared as shown, in cents).
fn verdict(a: &Outcome, b: &Outcome) -> String {
    let cents = |v: Decimal| v.round_dp(2);
    let mut parts = Vec::new();
    let (la, lb) = (cents(a.peak_borrow_limit), cents(b.peak_borrow_limit));
    if la != lb {
        let (more, less) = if lb > la { (b, a) } else { (a, b) };
        parts.push(format!(
            "{} let you borrow up to {} more against the same collateral",
            title(more),
            format::money(more.peak_borrow_limit - less.peak_borrow_limit, 2)
        ));
    }
    if a.margin_calls != b.margin_calls {
        parts.push(format!(
            "margin calls with a cure period: {} vs {}",
            a.margin_calls, b.margin_calls
        ));
    }
    if a.liquidations != b.liquidations {
        parts.push(format!(
            "liquidations: {} vs {}",
            a.liquidations, b.liquidations
        ));
    }
    if cents(a.penalties_paid) != cents(b.penalties_paid) {
        parts.push(format!(
            "penalties paid: {} vs {}",
            format::money(a.penalties_paid, 2),
            format::money(b.penalties_paid, 2)
        ));
    }
    if cents(a.bad_debt) != cents(b.bad_debt) {
        parts.push(format!(
            "bad debt: {} vs {}",
            format::money(a.bad_debt, 2),
            format::money(b.bad_debt, 2)
        ));
    }
    let change = |o: &Outcome| o.final_equity - o.initial_equity;
    if cents(change(a)) != cents(change(b)) {
        parts.push(format!(
            "equity change over the scenario: {} vs {}",
            format::money(change(a), 2),
            format::money(change(b), 2)
        ));
    }
    if parts.is_empty() {
        "Both ran the same way for these actions.".into()
    } else {
        format!("{}.", parts.join("; "))
    }
}

/// Health above this is drawn at it (a nearly debt-free account reads in the thousands, which
/// would flatten everything else): the chart then draws and labels the clip line.
const HEALTH_CLIP: f64 = 20.0;

fn health_clipped(o: &Outcome) -> bool {
    o.health.iter().flatten().any(|h| to_f64(*h) > HEALTH_CLIP)
}

#[component]
pub fn ComparePanel() -> impl IntoView {
    let lab = use_lab();
    // A lesson in progress may be waiting for a comparison.
    let lessons = use_context::<crate::ui::lesson::LessonStore>();
    let mode_presets = RwSignal::new(false);
    let other = RwSignal::new(PresetId::CompoundIII);
    let result: RwSignal<Option<Result<(Outcome, Outcome), String>>> = RwSignal::new(None);

    let run = move |_| {
        let presets = mode_presets.get_untracked();
        let other = other.get_untracked();
        let outcome = lab.with_untracked(|s| {
            if presets {
                compare_presets(s, other)
            } else {
                compare_designs(s)
            }
        });
        let Some(outcome) = outcome else {
            return lab.error("Start a scenario first.");
        };
        if outcome.is_ok() {
            if let Some(l) = lessons {
                l.note(crate::lesson::Tool::Compare);
            }
        }
        result.set(Some(outcome));
    };
    let chart = Signal::derive(move || match result.get() {
        Some(Ok((a, b))) => {
            // Scaled to the data; only a health above HEALTH_CLIP (a tiny debt) is drawn at the
            // clip line, which is then drawn and labelled.
            let clipped = [&a, &b].iter().any(|o| health_clipped(o));
            let line = |o: &Outcome| {
                o.health
                    .iter()
                    .map(|h| h.map(|d| to_f64(d).min(HEALTH_CLIP)).unwrap_or(f64::NAN))
                    .collect::<Vec<_>>()
            };
            ChartData {
                len: a.health.len().max(b.health.len()),
                series: vec![
                    Series {
                        label: title(&a),
                        color: "#4c9dff",
                        values: line(&a),
                        dashed: false,
                    },
                    Series {
                        label: title(&b),
                        color: "#f2b33d",
                        values: line(&b),
                        dashed: true,
                    },
                ],
                hlines: std::iter::once(HLine {
                    label: "liquidation at 1.00".into(),
                    color: "#ff4d5e",
                    value: 1.0,
                })
                .chain(clipped.then(|| HLine {
                    label: format!("clipped: health above {HEALTH_CLIP} is drawn at {HEALTH_CLIP}"),
                    color: "#8a94a6",
                    value: HEALTH_CLIP,
                }))
                .collect(),
                markers: Vec::new(),
                cursor: None,
                log_scale: false,
            }
        }
        _ => ChartData::default(),
    });
    let row = move |label: &'static str, f: fn(&Outcome) -> String| {
        view! {
            <tr><th scope="row">{label}</th>
                <td class="num">{move || match result.get() { Some(Ok((a, _))) => f(&a), _ => String::new() }}</td>
                <td class="num">{move || match result.get() { Some(Ok((_, b))) => f(&b), _ => String::new() }}</td>
            </tr>
        }
    };

    view! {
        <div class="compare" data-testid="compare">
            <div class="row wrap">
                <label class="inline"><input type="radio" name="cmp" prop:checked=move || !mode_presets.get() on:change=move |_| mode_presets.set(false) />" Single vs multi-collateral"</label>
                <label class="inline"><input type="radio" name="cmp" prop:checked=mode_presets on:change=move |_| mode_presets.set(true) />" Against another preset: "</label>
                <select aria-label="Other preset" disabled=move || !mode_presets.get() on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(p) = PresetId::ALL.into_iter().find(|p| format!("{p:?}") == v) { other.set(p); }
                }>
                    {PresetId::ALL.into_iter().map(|p| view! { <option value=format!("{p:?}") selected=move || other.get() == p>{preset_name(p)}</option> }).collect_view()}
                </select>
                <button class="btn primary" data-testid="run-compare" on:click=run>"Run comparison"</button>
            </div>
            <p class="muted small">"Your actions are replayed under both to the end of the scenario. Deposits and borrows are translated between designs; an action that does not fit is listed, not dropped silently."</p>
            {move || match result.get() {
                None => view! { <span></span> }.into_any(),
                Some(Err(e)) => view! { <p class="rejection">{e}</p> }.into_any(),
                Some(Ok((a, b))) => view! {
                    <p class="verdict" data-testid="compare-verdict">{verdict(&a, &b)}</p>
                    <table class="kv compare-table" data-testid="compare-table">
                        <thead><tr><th></th><th>{title(&a)}</th><th>{title(&b)}</th></tr></thead>
                        <tbody>
                            {row("Peak borrowing power", |o| format::money(o.peak_borrow_limit, 2))}
                            {row("Liquidations", |o| o.liquidations.to_string())}
                            {row("Margin calls (met / missed)", |o| if o.margin_calls == 0 { "none".into() } else { format!("{} ({} / {})", o.margin_calls, o.calls_met, o.calls_missed) })}
                            {row("Collateral / notional liquidated", |o| format::money(o.collateral_seized_value, 2))}
                            {row("Penalties and fees paid", |o| format::money(o.penalties_paid, 2))}
                            {row("Bad debt", |o| format::money(o.bad_debt, 2))}
                            {row("Lowest health", |o| format::ratio(o.lowest_health))}
                            {row("Final equity", |o| format::money(o.final_equity, 2))}
                            {row("Equity change over the scenario", |o| format::money(o.final_equity - o.initial_equity, 2))}
                            {row("Actions that did not fit", |o| if o.skipped.is_empty() { "none".into() } else { o.skipped.iter().map(|(t, r)| format!("tick {t}: {r}")).collect::<Vec<_>>().join(" · ") })}
                        </tbody>
                    </table>
                }.into_any(),
            }}
            <CanvasChart data=chart height=140 label="Health over time under both set-ups" test_id="compare-chart" />
            <p class="muted small" data-testid="compare-chart-scale">
                {move || match result.get() {
                    Some(Ok((a, b))) if health_clipped(&a) || health_clipped(&b) => format!("The health axis is scaled to the data; values above {HEALTH_CLIP} are drawn at {HEALTH_CLIP} (clipped, marked by a grey line)."),
                    Some(Ok(_)) => "The health axis is scaled to the data (nothing clipped).".to_string(),
                    _ => String::new(),
                }}
            </p>
        </div>
    }
}
