use leptos::prelude::*;

use super::store::{money_f64, pct_f64, use_risk};
use crate::engine::risk::report::RiskReport;
use crate::replay::risk::{self, secs_text};
use crate::ui::state::use_lab;
use crate::ui::util::{download::download_text, format};

fn opt_money(v: Option<rust_decimal::Decimal>) -> String {
    v.map(|x| format::money(x, 2)).unwrap_or_else(|| "—".into())
}

/// The risk report as one page to print (the print stylesheet shows only it) or save as JSON.
#[component]
pub fn ReportPage() -> impl IntoView {
    let lab = use_lab();
    let store = use_risk();
    let report = Memo::new(move |_| {
        if !store.report_open.get() {
            return None;
        }
        // Only what was computed at this very state of the session goes in.
        let now = lab.with(|s| (s.tick(), s.log_hash()))?;
        let here = |st: &super::store::Stamp| (st.tick, st.log_hash.clone()) == now;
        let var = store.var.get().filter(|v| here(&v.stamp)).map(|v| v.report);
        let stress: Vec<_> = store
            .stress
            .get()
            .into_iter()
            .filter(|(st, _)| here(st))
            .map(|(_, r)| r)
            .collect();
        let reverse = store
            .reverse
            .get()
            .filter(|(st, _)| here(st))
            .map(|(_, r)| r);
        lab.with(|s| risk::report(s, var.as_ref(), &stress, reverse.as_ref()))
            .and_then(|r| r.ok())
    });
    let save = move |_| {
        if let Some(r) = report.get_untracked() {
            if let Err(e) = download_text(
                "margin-lab-risk-report.json",
                "application/json",
                &r.to_json(),
            ) {
                lab.error(e);
            }
        }
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        {move || report.get().map(|r: RiskReport| view! {
            <div class="report-page" role="dialog" aria-label="Risk report" data-testid="risk-report">
                <div class="row no-print report-actions">
                    <button class="btn primary" data-testid="report-print" on:click=print>"Print"</button>
                    <button class="btn" data-testid="report-json" on:click=save>"Save JSON"</button>
                    <button class="btn ghost" data-testid="report-close" on:click=move |_| store.report_open.set(false)>"Close"</button>
                </div>
                <h1>{r.title.clone()}</h1>
                <p class="small">{format!("{} · rules imitate {} ({}) · {} · rules {} · seed {} · tick {} · {}", r.meta.scenario, r.meta.preset, r.meta.imitates, r.meta.design, r.meta.rules, r.meta.seed, r.meta.tick, r.engine_time_text)}</p>
                <p class="small muted">{r.note.clone()}" Data: "{r.meta.data_source.clone()}</p>

                <h2>"Valuation"</h2>
                <table data-testid="report-valuation">
                    <thead><tr><th>"Collateral"</th><th class="num">"Amount"</th><th class="num">"Market"</th><th class="num">"Oracle"</th><th class="num">"Gross value"</th><th class="num">"Haircut"</th><th class="num">"Value"</th><th class="num">"LTV"</th><th class="num">"LT"</th><th class="num">"Liquidation price"</th></tr></thead>
                    <tbody>
                        {r.valuation.iter().map(|v| view! { <tr>
                            <th scope="row">{v.asset.to_string()}</th><td class="num">{crate::engine::num::fmt_num(v.amount, 6)}</td>
                            <td class="num">{format::price(v.market_price)}</td><td class="num">{format::price(v.oracle_price)}</td>
                            <td class="num">{format::money(v.gross_value, 2)}</td><td class="num">{format::pct(v.haircut)}</td>
                            <td class="num">{format::money(v.value, 2)}</td><td class="num">{format::pct(v.ltv)}</td><td class="num">{format::pct(v.liquidation_threshold)}</td>
                            <td class="num">{v.liquidation_price.map(format::price).unwrap_or_else(|| "—".into())}</td>
                        </tr> }).collect_view()}
                        {r.wallet.iter().map(|h| view! { <tr class="muted"><th scope="row">{format!("{} (wallet)", h.asset)}</th><td class="num">{crate::engine::num::fmt_num(h.amount, 6)}</td><td></td><td></td><td class="num">{format::money(h.value, 2)}</td><td></td><td></td><td></td><td></td><td></td></tr> }).collect_view()}
                        {r.debts.iter().map(|h| view! { <tr class="neg"><th scope="row">{format!("{} (debt)", h.asset)}</th><td class="num">{crate::engine::num::fmt_num(h.amount, 6)}</td><td></td><td></td><td class="num">{format::money(-h.value, 2)}</td><td></td><td></td><td></td><td></td><td></td></tr> }).collect_view()}
                    </tbody>
                </table>

                <h2>"Limits"</h2>
                <table class="kv" data-testid="report-limits"><tbody>
                    <tr><th scope="row">"Equity (oracle / market prices)"</th><td class="num">{format!("{} / {}", format::money(r.limits.equity, 2), format::money(r.limits.equity_at_market, 2))}</td></tr>
                    <tr><th scope="row">"Collateral value after haircuts"</th><td class="num">{format::money(r.limits.collateral_value, 2)}</td></tr>
                    <tr><th scope="row">"Debt"</th><td class="num">{format::money(r.limits.debt, 2)}</td></tr>
                    <tr><th scope="row">"Borrow limit (initial requirement met up to)"</th><td class="num">{format::money(r.limits.borrow_limit, 2)}</td></tr>
                    <tr><th scope="row">"Initial / maintenance requirement"</th><td class="num">{format!("{} / {}", format::money(r.limits.initial_requirement, 2), format::money(r.limits.maintenance_requirement, 2))}</td></tr>
                    <tr><th scope="row">"Health / margin ratio"</th><td class="num">{format!("{} / {}", format::ratio(r.limits.health), r.limits.margin_ratio.map(format::pct).unwrap_or_else(|| "—".into()))}</td></tr>
                    <tr><th scope="row">"Margin call"</th><td class="num">{match (r.limits.margin_call_deadline, r.limits.margin_call_deficit) { (Some(d), def) => format!("{} due {}", opt_money(def), crate::engine::explain::when(d)), _ => "none".into() }}</td></tr>
                </tbody></table>

                <h2>"Value at risk"</h2>
                {match r.value_at_risk.clone() {
                    None => view! { <p class="muted">"Not computed at this tick (Risk desk → Value at risk)."</p> }.into_any(),
                    Some(v) => view! {
                        <p class="small">{format!("{:.0}% over {}, equity {} at market prices, seed {}.", v.confidence * 100.0, secs_text(v.horizon_secs), format::money(v.equity, 2), v.seed)}</p>
                        <table class="kv" data-testid="report-var"><thead><tr><th></th><th class="num">"VaR"</th><th class="num">"ES"</th><th class="num">"P(liquidation)"</th><th class="num">"Expected liquidation loss"</th></tr></thead><tbody>
                            {v.monte_carlo.as_ref().map(|m| view! { <tr><th scope="row">"Monte Carlo"</th><td class="num">{money_f64(m.var)}</td><td class="num">{money_f64(m.es)}</td><td class="num">{pct_f64(m.liquidation_probability)}</td><td class="num">{money_f64(m.expected_liquidation_loss)}</td></tr> })}
                            {v.historical.as_ref().map(|m| view! { <tr><th scope="row">"Historical"</th><td class="num">{money_f64(m.var)}</td><td class="num">{money_f64(m.es)}</td><td class="num">{pct_f64(m.liquidation_probability)}</td><td class="num">{money_f64(m.expected_liquidation_loss)}</td></tr> })}
                            {v.parametric.as_ref().map(|p| view! { <tr><th scope="row">"Parametric"</th><td class="num">{money_f64(p.var)}</td><td class="num">{money_f64(p.es)}</td><td class="num">"—"</td><td class="num">"—"</td></tr> })}
                        </tbody></table>
                        <ul class="small muted"><li>{v.monte_carlo_note.clone()}</li><li>{v.historical_note.clone()}</li><li>{v.parametric_note.clone()}</li></ul>
                    }.into_any(),
                }}

                <h2>"Stress tests"</h2>
                {if r.stress_tests.is_empty() { view! { <p class="muted">"None run at this tick (Risk desk → Stress tests)."</p> }.into_any() } else { view! {
                    <table data-testid="report-stress"><thead><tr><th>"Shock"</th><th>"Source"</th><th class="num">"Loss"</th><th class="num">"Health after"</th><th class="num">"Penalties"</th><th class="num">"Bad debt"</th><th>"Liquidated"</th></tr></thead><tbody>
                        {r.stress_tests.iter().map(|s| view! { <tr>
                            <th scope="row">{s.name.clone()}</th><td class="small">{s.source.clone()}</td>
                            <td class="num">{format::money(s.loss, 2)}</td><td class="num">{format::ratio(s.health_after)}</td>
                            <td class="num">{format::money(s.penalties, 2)}</td><td class="num">{format::money(s.bad_debt, 2)}</td>
                            <td class="small">{if s.liquidated.is_empty() { if s.margin_call_issued { "margin call".to_string() } else { "nothing".to_string() } } else { s.liquidated.iter().map(|l| format!("{} {}", crate::engine::num::fmt_num(l.amount, 4), l.asset)).collect::<Vec<_>>().join(", ") }}</td>
                        </tr> }).collect_view()}
                    </tbody></table>
                }.into_any() }}

                <h2>"Reverse stress test"</h2>
                {match r.reverse_stress.clone() {
                    None => view! { <p class="muted">"Not run at this tick."</p> }.into_any(),
                    Some(x) => view! {
                        <p class="small">{format!("Smallest uniform drop that triggers a liquidation: {}. ", x.uniform.map(|d| format!("−{}", format::pct(d))).unwrap_or_else(|| "none up to −99%".into()))}
                        {x.per_asset.iter().map(|(a, d)| format!("{a} alone: {}", d.map(|d| format!("−{}", format::pct(d))).unwrap_or_else(|| "none".into()))).collect::<Vec<_>>().join("; ")}</p>
                    }.into_any(),
                }}

                <h2>"Credit tier"</h2>
                {match r.credit.clone() {
                    None => view! { <p class="muted">"The account does not take part in Margin Lab's credit tiers."</p> }.into_any(),
                    Some(c) => view! {
                        <p class="small">{format!("Tier {} — score {} (×{} on requirements). {}", c.tier_label, crate::engine::num::fmt_num(c.score, 1), c.multiplier, c.note)}</p>
                        <ul class="small">{c.history.iter().map(|h| view! { <li><span class="mono">{h.when.clone()}</span>" "{h.description.clone()}</li> }).collect_view()}</ul>
                    }.into_any(),
                }}

                <h2>"Audit trail"</h2>
                <p class="small muted">{format!("{} event(s) of your account; event-log hash {}", r.audit_trail.len(), r.log_hash)}</p>
                <ol class="small audit" data-testid="report-audit">
                    {r.audit_trail.iter().map(|a| view! { <li><span class="mono">{format!("#{} {}", a.seq, crate::engine::explain::when(a.time))}</span>" "<span class="muted">{a.category.clone()}</span>" "{a.description.clone()}</li> }).collect_view()}
                </ol>
            </div>
        })}
    }
}
