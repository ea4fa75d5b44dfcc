//! The price chart and the health chart, fed from the session's recorded series.

use leptos::prelude::*;

use super::cache::F64Series;
use super::{CanvasChart, ChartData, HLine, Marker, Series};
use crate::engine::{AccountId, AlertKind, AssetClass, EventKind};
use crate::feed::PriceFeed;
use crate::ui::state::use_lab;
use crate::ui::util::format::to_f64;

const MARKET: &str = "#4c9dff";
const ORACLE: &str = "#f2b33d";
const ENTRY: &str = "#8b9bb0";
const LIQ: &str = "#ff4d5e";
const HEALTH: &str = "#2fc58a";
const MARGIN: &str = "#f0586a";

/// Which engine asset the chart shows: the chosen one, else the first non-stablecoin.
fn chart_asset(lab: crate::ui::state::Lab) -> Option<(usize, String)> {
    let chosen = lab.chart_asset.get();
    lab.with(|s| {
        let assets = &s.config().assets;
        chosen
            .and_then(|c| assets.iter().position(|a| a.id.as_str() == c))
            .or_else(|| {
                assets.iter().position(|a| {
                    a.class != AssetClass::Stablecoin
                        && s.feed().assets().iter().any(|f| f == a.id.as_str())
                })
            })
            .or_else(|| {
                s.feed()
                    .assets()
                    .first()
                    .and_then(|f| assets.iter().position(|a| a.id.as_str() == f))
            })
            .map(|i| (i, assets[i].id.to_string()))
    })
    .flatten()
}

#[component]
pub fn PriceChart() -> impl IntoView {
    let lab = use_lab();
    let log_scale = RwSignal::new(false);
    let selected = Memo::new(move |_| chart_asset(lab));
    let drawn = StoredValue::new_local(F64Series::default());
    let data = Signal::derive(move || {
        let Some((k, asset)) = selected.get() else {
            return ChartData::default();
        };
        let log = log_scale.get();
        lab.with(|s| {
            let series = s.series();
            let (market, oracle) = (series.market.get(k), series.oracle.get(k));
            let (market, oracle) = (
                market.map_or(&[][..], |v| v.as_slice()),
                oracle.map_or(&[][..], |v| v.as_slice()),
            );
            let values = drawn
                .try_update_value(|c| {
                    c.sync(series.revision, k, &[market, oracle], |d| to_f64(*d));
                    c.values.clone()
                })
                .unwrap_or_default();
            let mut values = values.into_iter();
            let mut hlines = Vec::new();
            if let Ok(m) = s.engine().account_metrics(&AccountId::USER) {
                for p in m.positions.iter().filter(|p| p.market.as_str() == asset) {
                    hlines.push(HLine {
                        label: format!("entry {}", crate::ui::util::format::price(p.entry_price)),
                        color: ENTRY,
                        value: to_f64(p.entry_price),
                    });
                    if let Some(l) = p.liquidation_price {
                        hlines.push(HLine {
                            label: format!("liquidation {}", crate::ui::util::format::price(l)),
                            color: LIQ,
                            value: to_f64(l),
                        });
                    }
                }
                for v in m
                    .vaults
                    .iter()
                    .filter(|v| v.collateral_asset.as_str() == asset)
                {
                    if let Some(l) = v.liquidation_price {
                        hlines.push(HLine {
                            label: format!(
                                "vault liquidation {}",
                                crate::ui::util::format::price(l)
                            ),
                            color: LIQ,
                            value: to_f64(l),
                        });
                    }
                }
                for c in m
                    .collateral_liquidation_prices
                    .iter()
                    .filter(|c| c.asset.as_str() == asset)
                {
                    if let Some(l) = c.liquidation_price {
                        hlines.push(HLine {
                            label: format!("liquidation {}", crate::ui::util::format::price(l)),
                            color: LIQ,
                            value: to_f64(l),
                        });
                    }
                }
            }
            hlines.extend(crate::ui::orders::chart_lines::order_lines(s, &asset));
            let mut markers = event_markers(s);
            markers.extend(crate::ui::orders::chart_lines::fill_markers(s));
            ChartData {
                len: s.len(),
                series: vec![
                    Series {
                        label: format!("{asset} market"),
                        color: MARKET,
                        values: values.next().unwrap_or_default(),
                        dashed: false,
                    },
                    Series {
                        label: format!("{asset} oracle"),
                        color: ORACLE,
                        values: values.next().unwrap_or_default(),
                        dashed: true,
                    },
                ],
                hlines,
                markers,
                cursor: Some(s.tick()),
                log_scale: log,
            }
        })
        .unwrap_or_default()
    });
    let assets = Memo::new(move |_| lab.with(|s| s.feed().assets().to_vec()).unwrap_or_default());
    let last = Memo::new(move |_| {
        let (k, _) = selected.get()?;
        lab.with(|s| {
            let series = s.series();
            Some((
                series.market.get(k)?.last().copied()?,
                series.oracle.get(k)?.last().copied()?,
            ))
        })
        .flatten()
    });
    view! {
        <div class="chart-head row wrap">
            <select aria-label="Asset shown" data-testid="chart-asset" on:change=move |ev| lab.chart_asset.set(Some(event_target_value(&ev)))>
                {move || assets.get().into_iter().map(|a| {
                    let sel = selected.get().is_some_and(|(_, s)| s == a);
                    view! { <option value=a.clone() selected=sel>{a.clone()}</option> }
                }).collect_view()}
            </select>
            <span class="legend"><i style=format!("background:{MARKET}")></i>"market"</span>
            <span class="legend"><i style=format!("background:{ORACLE}")></i>"oracle (what the engine uses)"</span>
            <span class="legend"><i style=format!("background:{LIQ}")></i>"liquidation"</span>
            <span class="legend"><i style=format!("background:{}", crate::ui::orders::chart_lines::STOP)></i>"stop"</span>
            <span class="legend"><i style=format!("background:{}", crate::ui::orders::chart_lines::TAKE)></i>"take"</span>
            <span class="legend"><i style=format!("background:{}", crate::ui::orders::chart_lines::LIMIT)></i>"limit"</span>
            <span class="mono small" data-testid="price-readout">{move || last.get().map(|(m, o)| format!("market {} · oracle {} · gap {}", crate::ui::util::format::price(m), crate::ui::util::format::price(o), crate::ui::util::format::price(o - m)))}</span>
            <label class="inline small"><input type="checkbox" prop:checked=log_scale on:change=move |ev| log_scale.set(event_target_checked(&ev)) />" log scale"</label>
        </div>
        <CanvasChart data=data height=300 label="Market and oracle price of the selected asset, with your entry and liquidation prices and markers where liquidations happened" test_id="price-chart" />
    }
}

/// Liquidations (red) and alerts (amber) of the learner, at the tick they happened.
fn event_markers(s: &crate::replay::Session) -> Vec<Marker> {
    s.engine()
        .events()
        .iter()
        .filter_map(|e| {
            let color = match &e.kind {
                k if k.is_liquidation_of(AccountId::USER) => LIQ,
                EventKind::AlertTriggered { account, .. } if *account == AccountId::USER => ORACLE,
                _ => return None,
            };
            Some(Marker {
                index: s.feed().index_at_time(e.time),
                label: e.describe(),
                color,
            })
        })
        .collect()
}

#[component]
pub fn HealthChart() -> impl IntoView {
    let lab = use_lab();
    let drawn = StoredValue::new_local(F64Series::default());
    let data = Signal::derive(move || {
        lab.with(|s| {
            let series = s.series();
            // ∞ (no debt) is drawn as a gap; values above 5 are clipped so 1.0 stays readable.
            let clip = |v: &Option<rust_decimal::Decimal>| {
                v.map(|d| to_f64(d).min(5.0)).unwrap_or(f64::NAN)
            };
            let values = drawn
                .try_update_value(|c| {
                    c.sync(
                        series.revision,
                        0,
                        &[&series.health[..], &series.margin_ratio[..]],
                        clip,
                    );
                    c.values.clone()
                })
                .unwrap_or_default();
            let mut values = values.into_iter();
            let alert_line = s
                .engine()
                .events()
                .iter()
                .rev()
                .find_map(|e| match &e.kind {
                    EventKind::AlertSet {
                        account,
                        kind: AlertKind::HealthFactorBelow,
                        threshold,
                    } if *account == AccountId::USER => Some(to_f64(*threshold)),
                    _ => None,
                });
            let mut hlines = vec![HLine {
                label: "liquidation at 1.00".into(),
                color: LIQ,
                value: 1.0,
            }];
            if let Some(a) = alert_line {
                hlines.push(HLine {
                    label: format!("your alert {a:.2}"),
                    color: ORACLE,
                    value: a,
                });
            }
            ChartData {
                len: s.len(),
                series: vec![
                    Series {
                        label: "health".into(),
                        color: HEALTH,
                        values: values.next().unwrap_or_default(),
                        dashed: false,
                    },
                    Series {
                        label: "margin ratio".into(),
                        color: MARGIN,
                        values: values.next().unwrap_or_default(),
                        dashed: true,
                    },
                ],
                hlines,
                markers: event_markers(s),
                cursor: Some(s.tick()),
                log_scale: false,
            }
        })
        .unwrap_or_default()
    });
    view! {
        <div class="chart-head row">
            <span class="legend"><i style=format!("background:{HEALTH}")></i>"health factor (or vault ratio ÷ liquidation ratio)"</span>
            <span class="legend"><i style=format!("background:{MARGIN}")></i>"perp margin ratio (liquidated at 1)"</span>
        </div>
        <CanvasChart data=data height=120 label="Your health factor and margin ratio over time, with the liquidation threshold at 1" test_id="health-chart" />
    }
}
