use leptos::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::ui::util::format;

/// Health zone of a health factor (or collateral ratio over the liquidation ratio).
pub fn zone(hf: Option<Decimal>) -> &'static str {
    match hf {
        None => "safe",
        Some(h) if h < Decimal::ONE => "liquidatable",
        Some(h) if h < dec!(1.1) => "danger",
        Some(h) if h < dec!(1.5) => "caution",
        Some(_) => "safe",
    }
}

/// A horizontal gauge from 0 to 3 with the liquidation line at 1.
#[component]
pub fn HealthGauge(value: Signal<Option<Decimal>>, label: &'static str) -> impl IntoView {
    let pct = move || {
        let v = value.get().map(format::to_f64).unwrap_or(3.0);
        (v / 3.0 * 100.0).clamp(0.0, 100.0)
    };
    view! {
        <div class=move || format!("gauge zone-{}", zone(value.get()))
             role="meter" aria-label=label aria-valuemin="0" aria-valuemax="3"
             aria-valuenow=move || value.get().map(|v| v.round_dp(3).to_string()).unwrap_or_else(|| "3".into())>
            <div class="gauge-head">
                <span class="gauge-label">{label}</span>
                <span class="gauge-value mono" data-testid="health-value">{move || format::ratio(value.get())}</span>
            </div>
            <div class="gauge-track">
                <div class="gauge-fill" style=move || format!("width:{:.1}%", pct())></div>
                <div class="gauge-one" title="Liquidation at 1.00" style="left:33.33%"></div>
            </div>
            <div class="gauge-scale mono"><span>"0"</span><span>"1 · liquidation"</span><span>"3+"</span></div>
        </div>
    }
}
