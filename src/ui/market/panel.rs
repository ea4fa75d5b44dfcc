//! The Market tab: the lender's view of everyone — totals, the health histogram that moves with
//! playback, the liquidation curve per asset, liquidations per tick and bad debt — all read from
//! the engine (`Engine::system_metrics`, `health_histogram`, `liquidation_curves`) and the
//! session's per-tick series. Heavy views refresh a few times a second while playing.

use std::time::Duration;

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::bars::{Bar, BarChart};
use super::buffer::BufferLab;
use crate::ui::account::SystemStatus;
use crate::ui::chart::cache::F64Series;
use crate::ui::chart::canvas::{CanvasChart, ChartData, Series};
use crate::ui::state::use_lab;
use crate::ui::util::format;

/// Drops the liquidation curve is read at: 0%, 5%, … 80%.
fn drops() -> Vec<Decimal> {
    (0..=16).map(|i| Decimal::new(5 * i, 2)).collect()
}

#[component]
pub fn MarketPanel() -> impl IntoView {
    let lab = use_lab();
    // Recomputed on every change while paused, and every 400 ms while playing.
    let refresh = RwSignal::new(0u64);
    Effect::new(move |_| {
        lab.version.track();
        if !lab.playing.get_untracked() {
            refresh.update(|n| *n += 1);
        }
    });
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if lab.playing.get_untracked() {
                refresh.update(|n| *n += 1);
            }
        },
        Duration::from_millis(400),
    ) {
        on_cleanup(move || handle.clear());
    }
    let system = Memo::new(move |_| {
        refresh.track();
        lab.with_untracked(|s| s.engine().system_metrics())
    });
    let histogram = Memo::new(move |_| {
        refresh.track();
        lab.with_untracked(|s| s.engine().health_histogram())
            .unwrap_or_default()
    });
    let curves = Memo::new(move |_| {
        refresh.track();
        lab.with_untracked(|s| s.engine().liquidation_curves(&drops()))
            .unwrap_or_default()
    });
    let crowd = Memo::new(move |_| {
        lab.with(|s| s.script().scenario.population().map(|p| p.count))
            .flatten()
            .unwrap_or(0)
    });
    let curve_asset = RwSignal::new(None::<String>);
    let bars = Signal::derive(move || {
        histogram
            .get()
            .into_iter()
            .map(|b| Bar {
                label: match b.to {
                    Some(_) if b.from.is_zero() => "<1".into(),
                    Some(_) => format!("{}", b.from.normalize()),
                    None => format!("≥{}", b.from.normalize()),
                },
                value: b.accounts as f64,
                color: if b.to.is_some_and(|t| t <= Decimal::ONE) {
                    "#e5484d"
                } else if b.to.is_some_and(|t| t <= Decimal::new(12, 1)) {
                    "#f5a524"
                } else {
                    "#3e9cf0"
                },
            })
            .collect()
    });
    let curve = Signal::derive(move || {
        let all = curves.get();
        let chosen = curve_asset.get();
        let c = all
            .iter()
            .find(|c| Some(c.asset.to_string()) == chosen)
            .or(all.first());
        let Some(c) = c else {
            return ChartData::default();
        };
        ChartData {
            len: c.points.len(),
            series: vec![Series {
                label: format!("{} liquidatable", c.asset),
                color: "#e5484d",
                values: c.points.iter().map(|p| format::to_f64(p.1)).collect(),
                dashed: false,
            }],
            ..ChartData::default()
        }
    });
    // Converted as the series grow (the whole of both after a scrub back), not on every redraw.
    let drawn = StoredValue::new_local(F64Series::default());
    let activity = Signal::derive(move || {
        lab.with(|s| {
            let series = s.series();
            let mut values = drawn
                .try_update_value(|c| {
                    c.sync(
                        series.revision,
                        0,
                        &[&series.liquidated_value, &series.bad_debt],
                        |d| format::to_f64(*d),
                    );
                    c.values.clone()
                })
                .unwrap_or_default()
                .into_iter();
            ChartData {
                len: s.len(),
                series: vec![
                    Series {
                        label: "liquidated value".into(),
                        color: "#e5484d",
                        values: values.next().unwrap_or_default(),
                        dashed: false,
                    },
                    Series {
                        label: "bad debt (cumulative)".into(),
                        color: "#a855f7",
                        values: values.next().unwrap_or_default(),
                        dashed: true,
                    },
                ],
                cursor: Some(s.tick()),
                ..ChartData::default()
            }
        })
        .unwrap_or_default()
    });
    let this_tick = move || {
        lab.with(|s| {
            let t = s.tick();
            let series = s.series();
            (
                series.liquidations.get(t).copied().unwrap_or(0),
                series.liquidated_value.get(t).copied().unwrap_or_default(),
                series
                    .liquidations
                    .iter()
                    .map(|n| u64::from(*n))
                    .sum::<u64>(),
                series.liquidated_value.iter().copied().sum::<Decimal>(),
            )
        })
        .unwrap_or_default()
    };
    let totals = move || {
        system.get().map(|m| {
            let (mut collateral, mut debt) = (Decimal::ZERO, Decimal::ZERO);
            for a in &m.assets {
                collateral += (a.supplied + a.vault_collateral) * a.oracle_price;
                debt += (a.borrowed + a.vault_debt) * a.oracle_price;
            }
            (m, collateral, debt)
        })
    };
    view! {
        <div class="market" data-testid="market">
            <p class="small muted">
                {move || match crowd.get() {
                    0 => "No crowd in this scenario: these are the market's totals with you and the preset's lenders. Start a scenario with other borrowers (the crowded crash, or set “Other borrowers” in the picker) to see a whole market.".to_string(),
                    n => format!("You and {} other borrowers, drawn from the scenario's seed. Their events are in the log and in the hash; here they are shown as aggregates.", format::money(Decimal::from(n), 0)),
                }}
            </p>
            <SystemStatus />
            <table class="kv" data-testid="market-totals">
                <tbody>
                    {move || totals().map(|(m, collateral, debt)| view! {
                        <tr><th scope="row">"Collateral posted"</th><td class="num" data-testid="mt-collateral">{format::money(collateral, 0)}</td></tr>
                        <tr><th scope="row">"Debt"</th><td class="num" data-testid="mt-debt">{format::money(debt, 0)}</td></tr>
                        <tr><th scope="row">"Reserves"</th><td class="num">{format::money(m.reserves_value, 0)}</td></tr>
                        <tr><th scope="row">"Insurance fund"</th><td class="num">{format::money(m.insurance_fund, 0)}</td></tr>
                        <tr><th scope="row">"Stability pool"</th><td class="num">{format::money(m.stability_pool, 0)}</td></tr>
                        <tr><th scope="row">"Bad debt so far"</th><td class="num" data-testid="mt-bad-debt">{format::money(m.bad_debt_value, 2)}</td></tr>
                        <tr><th scope="row">"Accounts"</th><td class="num">{format::money(Decimal::from(m.accounts), 0)}</td></tr>
                    })}
                </tbody>
            </table>
            <table class="assets small">
                <thead><tr><th>"Asset"</th><th class="num">"Utilization"</th><th class="num">"Borrow rate"</th><th class="num">"Supply rate"</th><th class="num">"Oracle"</th></tr></thead>
                <tbody>
                    {move || system.get().map(|m| m.assets.into_iter().filter(|a| a.borrowed > Decimal::ZERO || a.vault_debt > Decimal::ZERO).map(|a| view! {
                        <tr>
                            <th scope="row">{a.asset.to_string()}</th>
                            <td class="num">{format::pct(a.utilization)}</td>
                            <td class="num">{format::pct(a.borrow_rate)}</td>
                            <td class="num">{format::pct(a.supply_rate)}</td>
                            <td class="num">{format::price(a.oracle_price)}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
            <h3 class="sub">"Health of every borrower"</h3>
            <BarChart bars=bars height=150 label="Number of accounts by health factor; below 1 is liquidatable" test_id="health-histogram" />
            <p class="small muted">"Accounts by health factor (collateral ratio ÷ liquidation ratio for vaults, equity ÷ maintenance margin for traders): red is liquidatable, amber within 20% of it."</p>
            <h3 class="sub">"Liquidation curve"</h3>
            <div class="row">
                <label for="curve-asset" class="small">"If this asset falls"</label>
                <select id="curve-asset" data-testid="curve-asset" on:change=move |ev| curve_asset.set(Some(event_target_value(&ev)))>
                    {move || curves.get().into_iter().map(|c| {
                        let id = c.asset.to_string();
                        view! { <option value=id.clone()>{id.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <CanvasChart data=curve height=140 label="Value that becomes liquidatable as the asset falls from 0% to 80%" test_id="liquidation-curve" />
            <p class="small muted">
                {move || {
                    let all = curves.get();
                    let c = all.iter().find(|c| Some(c.asset.to_string()) == curve_asset.get()).or(all.first());
                    c.map(|c| {
                        let at = |d: usize| c.points.get(d).map(|p| (p.1, p.2)).unwrap_or_default();
                        let (v10, n10) = at(2);
                        let (v30, n30) = at(6);
                        format!(
                            "Left to right: the value at stake in accounts liquidated as {} falls 0% to 80% from {} (as of each account's last check). A 10% fall liquidates {} accounts ({}); 30%, {} ({}).",
                            c.asset, format::price(c.price), n10, format::money(v10, 0), n30, format::money(v30, 0)
                        )
                    }).unwrap_or_else(|| "Nobody can be liquidated by a fall in price now.".into())
                }}
            </p>
            <h3 class="sub">"Liquidations over time"</h3>
            <CanvasChart data=activity height=120 label="Value liquidated per tick and cumulative bad debt" test_id="market-activity" />
            <p class="small" data-testid="market-activity-summary">
                {move || {
                    let (n, v, total_n, total_v) = this_tick();
                    format!("This tick: {n} liquidations, {} taken. So far: {total_n} liquidations, {} taken.", format::money(v, 0), format::money(total_v, 0))
                }}
            </p>
            <BufferLab />
        </div>
    }
}
