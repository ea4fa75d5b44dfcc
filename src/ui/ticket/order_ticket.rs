use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::{Command, MarginMode, Side};
use crate::ui::state::use_lab;
use crate::ui::util::format;

/// Parses a user-typed decimal ("1,000.5" allowed); `None` when it is not a number.
pub fn parse_amount(text: &str) -> Option<Decimal> {
    text.trim()
        .replace([',', '_', ' '], "")
        .parse::<Decimal>()
        .ok()
}

/// Builds the command from the ticket's fields, or says which field is wrong.
pub fn ticket_command(
    market: &str,
    side: Side,
    size: &str,
    leverage: &str,
    mode: MarginMode,
) -> Result<Command, String> {
    if market.is_empty() {
        return Err("Choose a market.".into());
    }
    let size = parse_amount(size).ok_or("Size must be a number, like 2.5.")?;
    let leverage = parse_amount(leverage).ok_or("Leverage must be a number, like 10.")?;
    Ok(Command::OpenPosition {
        market: crate::engine::AssetId::new(market),
        side,
        size,
        leverage,
        mode,
    })
}

#[component]
pub fn OrderTicket() -> impl IntoView {
    let lab = use_lab();
    // Tradable markets, those the scenario's feed moves first.
    let markets = Memo::new(move |_| {
        lab.with(|s| {
            s.assets_by_relevance()
                .into_iter()
                .filter(|id| s.config().asset(id).is_some_and(|a| a.perp.is_some()))
                .map(|id| id.to_string())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });

    let market = RwSignal::new(String::new());
    Effect::new(move |_| {
        let list = markets.get();
        if !list.contains(&market.get_untracked()) {
            market.set(list.first().cloned().unwrap_or_default());
        }
    });
    let side = RwSignal::new(Side::Long);
    let size = RwSignal::new("1".to_string());
    let leverage = RwSignal::new("10".to_string());
    let mode = RwSignal::new(MarginMode::Isolated);

    let command = Memo::new(move |_| {
        ticket_command(
            &market.get(),
            side.get(),
            &size.get(),
            &leverage.get(),
            mode.get(),
        )
    });
    let preview = Memo::new(move |_| {
        let cmd = command.get()?;
        lab.with(|s| s.preview(&cmd))
            .unwrap_or_else(|| Err("Start a scenario first.".into()))
    });
    let mark = Memo::new(move |_| {
        let m = market.get();
        lab.with(|s| {
            s.engine()
                .oracle_prices()
                .get(&crate::engine::AssetId::new(&m))
                .copied()
        })
        .flatten()
    });

    let submit = move |_| {
        let Ok(cmd) = command.get_untracked() else {
            if let Err(e) = command.get_untracked() {
                lab.error(e);
            }
            return;
        };
        match lab.update(|s| s.act(cmd)) {
            Some(Ok(_)) => lab.info(format!(
                "Order filled: {} {} {}.",
                side.get_untracked(),
                size.get_untracked(),
                market.get_untracked()
            )),
            Some(Err(e)) => lab.error(format!("Order rejected: {e}")),
            None => lab.error("Start a scenario first."),
        }
    };

    let no_markets = move || lab.has_session() && markets.get().is_empty();
    view! {
        <Show when=no_markets>
            <p class="muted small" data-testid="no-markets">
                "These rules have no perpetual markets: post collateral and borrow in the "
                <strong>"Collateral & debt"</strong>
                " tab, or pick the perpetuals exchange to trade with leverage."
            </p>
        </Show>
        <form class="ticket" data-testid="order-ticket" class:hidden=no_markets on:submit=move |ev| { ev.prevent_default(); submit(()); }>
            <div class="segmented" role="radiogroup" aria-label="Side">
                <button type="button" role="radio" class="seg long" aria-checked=move || (side.get() == Side::Long).to_string()
                    data-testid="side-long" on:click=move |_| side.set(Side::Long)>"Long"</button>
                <button type="button" role="radio" class="seg short" aria-checked=move || (side.get() == Side::Short).to_string()
                    data-testid="side-short" on:click=move |_| side.set(Side::Short)>"Short"</button>
            </div>
            <div class="grid2">
                <div class="field">
                    <label for="t-market">"Market"</label>
                    <select id="t-market" data-testid="t-market" on:change=move |ev| market.set(event_target_value(&ev))>
                        {move || markets.get().into_iter().map(|m| {
                            let selected = m == market.get_untracked();
                            view! { <option value=m.clone() selected=selected>{format!("{m}-PERP")}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="t-mode">"Margin"</label>
                    <select id="t-mode" data-testid="t-mode" on:change=move |ev| mode.set(if event_target_value(&ev) == "cross" { MarginMode::Cross } else { MarginMode::Isolated })>
                        <option value="isolated">"Isolated"</option>
                        <option value="cross">"Cross"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="t-size">"Size (units)"</label>
                    <input id="t-size" data-testid="t-size" inputmode="decimal" prop:value=size on:input=move |ev| size.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="t-lev">"Leverage ×"</label>
                    <input id="t-lev" data-testid="t-leverage" inputmode="decimal" prop:value=leverage on:input=move |ev| leverage.set(event_target_value(&ev)) />
                </div>
            </div>
            <div class="preview" aria-live="polite" data-testid="ticket-preview">
                {move || match preview.get() {
                    Ok(after) => {
                        let m = market.get();
                        let pos = after.positions.iter().find(|p| p.market.as_str() == m).cloned();
                        view! {
                            <table class="kv"><tbody>
                                <tr><th scope="row">"Mark price"</th><td class="num">{mark.get().map(format::price).unwrap_or_default()}</td></tr>
                                <tr><th scope="row">"Notional"</th><td class="num">{pos.as_ref().map(|p| format::money(p.notional, 2)).unwrap_or_default()}</td></tr>
                                <tr><th scope="row">"Margin required"</th><td class="num" data-testid="preview-margin">{pos.as_ref().map(|p| format::money(p.margin, 2)).unwrap_or_default()}</td></tr>
                                <tr><th scope="row">"Maintenance margin"</th><td class="num">{pos.as_ref().map(|p| format!("{} ({})", format::money(p.maintenance_margin, 2), format::pct(p.maintenance_rate))).unwrap_or_default()}</td></tr>
                                <tr><th scope="row">"Liquidation price"</th><td class="num" data-testid="preview-liq">{pos.as_ref().and_then(|p| p.liquidation_price).map(format::price).unwrap_or_else(|| "none".into())}</td></tr>
                                <tr><th scope="row">"Margin ratio after"</th><td class="num">{after.margin_ratio.map(format::pct).unwrap_or_else(|| "—".into())}</td></tr>
                                <tr><th scope="row">"Health after"</th><td class="num">{format::ratio(after.health_factor)}</td></tr>
                            </tbody></table>
                        }.into_any()
                    }
                    Err(reason) => view! { <p class="rejection" role="status" data-testid="ticket-rejection">{reason}</p> }.into_any(),
                }}
            </div>
            <button type="submit" data-testid="submit-order"
                class=move || if side.get() == Side::Long { "btn long wide" } else { "btn short wide" }
                disabled=move || preview.get().is_err()>
                {move || format!("{} {}", if side.get() == Side::Long { "Buy / Long" } else { "Sell / Short" }, market.get())}
            </button>
        </form>
    }
}
