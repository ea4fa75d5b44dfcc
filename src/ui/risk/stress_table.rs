use leptos::prelude::*;

use super::store::{use_risk, Stamp};
use crate::engine::risk::stress::StressResult;
use crate::ui::state::use_lab;
use crate::ui::util::format;

fn moves(r: &StressResult) -> String {
    if r.applied.is_empty() {
        return "no asset of this scenario".into();
    }
    r.applied
        .iter()
        .map(|m| {
            let pct = if m.before.is_zero() {
                rust_decimal::Decimal::ZERO
            } else {
                m.after / m.before - rust_decimal::Decimal::ONE
            };
            format!("{} {}", m.asset, format::pct(pct))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn liquidated(r: &StressResult) -> String {
    let mut parts: Vec<String> = r
        .liquidated
        .iter()
        .map(|l| {
            format!(
                "{} {} ({})",
                crate::engine::num::fmt_num(l.amount, 4),
                l.asset,
                format::money(l.value, 2)
            )
        })
        .collect();
    if r.margin_call_issued && r.liquidated.is_empty() {
        parts.push(match r.margin_call_deadline {
            Some(d) => format!("margin call, due {}", crate::engine::explain::when(d)),
            None => "margin call (met)".into(),
        });
    }
    if parts.is_empty() {
        "nothing".into()
    } else {
        parts.join("; ")
    }
}

/// The stress results run so far, one row each, with the events of the one selected.
#[component]
pub fn StressTable() -> impl IntoView {
    let lab = use_lab();
    let store = use_risk();
    let selected = RwSignal::new(None::<String>);
    let current = Memo::new(move |_| lab.with(|s| (s.tick(), s.log_hash())).unwrap_or_default());
    let is_stale = move |st: &Stamp| (st.tick, st.log_hash.clone()) != current.get();
    view! {
        <Show when=move || !store.stress.get().is_empty()>
            <div class="table-scroll">
            <table class="risk-table" data-testid="stress-results">
                <thead><tr>
                    <th>"Shock"</th><th>"Moves"</th><th class="num">"Equity after"</th><th class="num">"Loss"</th>
                    <th class="num">"Health"</th><th class="num">"Margin ratio"</th><th>"Liquidated"</th>
                    <th class="num">"Penalties"</th><th class="num">"Bad debt"</th><th></th>
                </tr></thead>
                <tbody>
                    {move || store.stress.get().into_iter().map(|(st, r)| {
                        let id = r.id.clone();
                        let sel = id.clone();
                        let stale = is_stale(&st);
                        view! {
                            <tr data-testid=format!("stress-row-{id}") class:liquidatable=!r.liquidated.is_empty() || r.liquidatable_after>
                                <th scope="row" title=r.source.clone()>{r.name.clone()}{stale.then_some(view! { <span class="badge warn">"older tick"</span> })}</th>
                                <td class="small">{moves(&r)}</td>
                                <td class="num">{format::money(r.equity_after, 2)}</td>
                                <td class="num" data-testid=format!("stress-loss-{}", r.id)>{format::money(r.loss, 2)}</td>
                                <td class="num" data-testid=format!("stress-health-{}", r.id)>{if r.health_before.is_none() && r.health_after.is_none() { "—".to_string() } else { format!("{} → {}", format::ratio(r.health_before), format::ratio(r.health_after)) }}</td>
                                <td class="num">{format!("{} → {}", r.margin_ratio_before.map(format::pct).unwrap_or_else(|| "—".into()), r.margin_ratio_after.map(format::pct).unwrap_or_else(|| "—".into()))}</td>
                                <td class="small" data-testid=format!("stress-liquidated-{}", r.id)>{liquidated(&r)}</td>
                                <td class="num">{format::money(r.penalties, 2)}</td>
                                <td class="num">{format::money(r.bad_debt, 2)}</td>
                                <td><button class="btn small ghost" on:click=move |_| selected.set(Some(sel.clone()))>"Events"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            {move || selected.get().and_then(|id| store.stress.get().into_iter().find(|(_, r)| r.id == id)).map(|(_, r)| view! {
                <div class="stress-events">
                    <h3 class="sub">{format!("{} — what the engine did ({} after the shock)", r.name, crate::replay::risk::secs_text(r.horizon_secs))}</h3>
                    <p class="small muted">{format!("Source: {}", r.source)}</p>
                    <ul class="events" data-testid="stress-events">
                        {r.events.iter().filter(|e| !matches!(e.kind, crate::engine::EventKind::PricesObserved { .. })).map(|e| view! {
                            <li><span class="mono muted">{format!("+{}s", e.time - r.events.first().map(|f| f.time).unwrap_or(e.time))}</span><span class="muted">{e.kind.category().name()}</span><span>{e.describe()}</span></li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
        </Show>
    }
}
