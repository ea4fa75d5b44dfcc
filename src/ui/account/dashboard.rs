use leptos::prelude::*;

use crate::engine::{AccountId, AccountMetrics};
use crate::ui::account::{Alerts, HealthGauge, SystemStatus};
use crate::ui::state::use_lab;
use crate::ui::util::format;

/// Numbers straight from `Engine::account_metrics`; nothing is computed here.
#[component]
pub fn Dashboard() -> impl IntoView {
    let lab = use_lab();
    let metrics = Memo::new(move |_| {
        lab.with(|s| s.engine().account_metrics(&AccountId::USER).ok())
            .flatten()
    });
    let debt_asset = Memo::new(move |_| {
        lab.with(|s| s.config().debt_asset.to_string())
            .unwrap_or_default()
    });
    let health = Signal::derive(move || metrics.get().and_then(|m| m.health()));
    let health_label = move || {
        if metrics
            .get()
            .is_some_and(|m| m.health_factor.is_none() && m.vault_health.is_some())
        {
            "Collateral ratio ÷ liquidation ratio"
        } else {
            "Health factor"
        }
    };

    let row = |label: &'static str,
               test: &'static str,
               value: Box<dyn Fn() -> String + Send + Sync>| {
        view! { <tr><th scope="row">{label}</th><td class="num" data-testid=test>{value}</td></tr> }
    };
    let m = move |f: fn(&AccountMetrics) -> String| {
        move || metrics.get().map(|m| f(&m)).unwrap_or_else(|| "—".into())
    };

    view! {
        <div class="dashboard" data-testid="dashboard">
            <Show when=move || metrics.get().is_some() fallback=|| view! { <p class="muted">"Start a scenario to see your account."</p> }>
                <SystemStatus />
                <HealthGauge value=health label="Health" />
                <p class="muted small">{health_label}</p>
                <table class="kv">
                    <tbody>
                        {row("Equity", "m-equity", Box::new(m(|m| format::money(m.equity, 2))))}
                        {row("Collateral value", "m-collateral", Box::new(m(|m| format::money(m.collateral_value, 2))))}
                        {row("Debt", "m-debt", Box::new(m(|m| format::money(m.debt_value, 2))))}
                        {row("Borrow limit", "m-borrow-limit", Box::new(m(|m| format::money(m.borrow_limit, 2))))}
                        {row("Available to borrow", "m-available", Box::new(m(|m| format::money(m.available_to_borrow, 2))))}
                        {row("Margin ratio", "m-margin-ratio", Box::new(m(|m| m.margin_ratio.map(format::pct).unwrap_or_else(|| "—".into()))))}
                        {row("Unrealized PnL", "m-upnl", Box::new(m(|m| format::money(m.unrealized_pnl, 2))))}
                        {row("Realized PnL", "m-rpnl", Box::new(m(|m| format::money(m.realized_pnl, 2))))}
                    </tbody>
                </table>
                <LiquidationPrices metrics=metrics />
                <p class="muted small">{move || format!("Values in {} at oracle prices.", debt_asset.get())}</p>
            </Show>
            <Alerts />
        </div>
    }
}

/// Every liquidation price the engine reports: per position, per vault, per collateral.
#[component]
fn LiquidationPrices(metrics: Memo<Option<AccountMetrics>>) -> impl IntoView {
    let rows = move || {
        let Some(m) = metrics.get() else {
            return Vec::new();
        };
        let mut rows = Vec::new();
        for p in &m.positions {
            rows.push((
                format!(
                    "{} {} {}× {}",
                    p.side,
                    p.market,
                    (p.notional / p.margin.max(rust_decimal::Decimal::new(1, 8))).round_dp(1),
                    p.mode
                ),
                p.liquidation_price,
                p.liquidatable,
            ));
        }
        for v in &m.vaults {
            rows.push((
                format!("{} vault", v.collateral_asset),
                v.liquidation_price,
                v.liquidatable,
            ));
        }
        for c in &m.collateral_liquidation_prices {
            rows.push((
                format!("{} collateral", c.asset),
                c.liquidation_price,
                false,
            ));
        }
        rows
    };
    view! {
        <h3 class="sub">"Liquidation prices"</h3>
        <table class="liq-prices" data-testid="liq-prices">
            <tbody>
                <Show when=move || !rows().is_empty() fallback=|| view! { <tr><td class="muted">"No open risk."</td></tr> }>
                    {move || rows().into_iter().map(|(what, price, now)| view! {
                        <tr class:liquidatable=now>
                            <th scope="row">{what}</th>
                            <td class="num">{price.map(format::price).unwrap_or_else(|| "none".into())}</td>
                        </tr>
                    }).collect_view()}
                </Show>
            </tbody>
        </table>
    }
}
