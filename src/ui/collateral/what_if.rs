use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::{AccountId, AssetId};
use crate::ui::state::use_lab;
use crate::ui::util::format;

/// "If X moved by N%": the engine recomputes the account at the shocked oracle price.
#[component]
pub fn WhatIf() -> impl IntoView {
    let lab = use_lab();
    let assets = Memo::new(move |_| {
        lab.with(|s| {
            s.assets_by_relevance()
                .into_iter()
                .map(|id| id.to_string())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    let asset = RwSignal::new(String::new());
    let pct = RwSignal::new(-20i32);
    Effect::new(move |_| {
        let list = assets.get();
        if !list.contains(&asset.get_untracked()) {
            asset.set(list.first().cloned().unwrap_or_default());
        }
    });
    let result = Memo::new(move |_| {
        let a = AssetId::new(&asset.get());
        let shock = Decimal::new(i64::from(pct.get()), 2);
        lab.with(|s| {
            s.engine()
                .metrics_with_price_shock(AccountId::USER, &a, shock)
                .map_err(|r| r.to_string())
        })
        .unwrap_or_else(|| Err(String::new()))
    });
    view! {
        <div class="whatif" data-testid="what-if">
            <h3 class="sub">"What if the price moved?"</h3>
            <div class="row">
                <select aria-label="Asset to shock" on:change=move |ev| asset.set(event_target_value(&ev))>
                    {move || assets.get().into_iter().map(|a| view! { <option value=a.clone() selected=move || asset.get() == a>{a.clone()}</option> }).collect_view()}
                </select>
                <input type="range" min="-90" max="100" step="1" aria-label="Price change in percent" data-testid="what-if-slider"
                    prop:value=move || pct.get().to_string() on:input=move |ev| pct.set(event_target_value(&ev).parse().unwrap_or(0)) />
                <span class="mono">{move || format!("{:+}%", pct.get())}</span>
            </div>
            <p class="small" data-testid="what-if-result">
                {move || match result.get() {
                    Ok(m) => {
                        let verdict = if m.liquidatable { "you would be liquidatable" } else { "you would stay above the liquidation line" };
                        format!("Health {} · margin ratio {} · {verdict}.", format::ratio(m.health()), m.margin_ratio.map(format::pct).unwrap_or_else(|| "—".into()))
                    }
                    Err(e) => e,
                }}
            </p>
        </div>
    }
}
