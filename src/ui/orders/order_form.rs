//! The order form under the ticket: stop-loss and take-profit on a position, limit orders to open
//! or add. What the order would do is the engine's own event text (a stop beyond the liquidation
//! price says so), and a refusal is the engine's reason.

use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::orders::OrderRequest;
use crate::engine::{AccountId, AssetId, Command, MarginMode, Side};
use crate::ui::state::use_lab;
use crate::ui::ticket::order_ticket::parse_amount;
use crate::ui::util::format;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    StopLoss,
    TakeProfit,
    BuyLimit,
    SellLimit,
}

impl Type {
    fn value(self) -> &'static str {
        match self {
            Type::StopLoss => "stop",
            Type::TakeProfit => "take",
            Type::BuyLimit => "buy",
            Type::SellLimit => "sell",
        }
    }

    fn how(self) -> &'static str {
        match self {
            Type::StopLoss | Type::TakeProfit => "A market order that waits: when the mark price reaches the trigger it closes the position (or the size you give) at the price reached, paying the slippage of its size — a gap fills worse than the trigger. Orders act before the liquidation check of the same step, so a stop above your liquidation price fires first.",
            Type::BuyLimit | Type::SellLimit => "Rests on the book: once the mark trades through your price it fills at your price, never worse. How much fills depends on how far the market traded through it (the slippage model: depth); the rest keeps resting. Margin is checked when it fills.",
        }
    }
}

/// Builds the order from the form's fields, or says which field is wrong.
pub fn order_request(
    kind: Type,
    market: &str,
    price: &str,
    size: &str,
    leverage: &str,
    mode: MarginMode,
) -> Result<OrderRequest, String> {
    if market.is_empty() {
        return Err("Choose a market.".into());
    }
    let market = AssetId::new(market);
    let price = parse_amount(price).ok_or("The price must be a number, like 2,760.")?;
    let size = if size.trim().is_empty() {
        None
    } else {
        Some(parse_amount(size).ok_or("Size must be a number, like 2.5.")?)
    };
    Ok(match kind {
        Type::StopLoss => OrderRequest::StopLoss {
            market,
            trigger: price,
            size,
        },
        Type::TakeProfit => OrderRequest::TakeProfit {
            market,
            trigger: price,
            size,
        },
        Type::BuyLimit | Type::SellLimit => OrderRequest::Limit {
            market,
            side: if kind == Type::BuyLimit {
                Side::Long
            } else {
                Side::Short
            },
            size: size.ok_or("A limit order needs a size.")?,
            price,
            leverage: parse_amount(leverage).ok_or("Leverage must be a number, like 5.")?,
            mode,
        },
    })
}

#[component]
pub fn OrderForm() -> impl IntoView {
    let lab = use_lab();
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
    let kind = RwSignal::new(Type::StopLoss);
    let market = RwSignal::new(String::new());
    Effect::new(move |_| {
        let list = markets.get();
        if !list.contains(&market.get_untracked()) {
            market.set(list.first().cloned().unwrap_or_default());
        }
    });
    let price = RwSignal::new(String::new());
    let size = RwSignal::new(String::new());
    let leverage = RwSignal::new("5".to_string());
    let mode = RwSignal::new(MarginMode::Isolated);
    // The position on the market and the mark, as the engine has them.
    let context = Memo::new(move |_| {
        let m = market.get();
        lab.with(|s| {
            let mark = s.engine().oracle_prices().get(&AssetId::new(&m)).copied();
            let pos = s
                .engine()
                .account_metrics(&AccountId::USER)
                .ok()
                .and_then(|x| x.positions.into_iter().find(|p| p.market.as_str() == m));
            (mark, pos)
        })
        .unwrap_or((None, None))
    });
    // A starting price 5 % away from the mark on the side the order rests (a suggestion only),
    // when the type or the market changes — never while the learner types or plays.
    Effect::new(move |_| {
        let k = kind.get();
        market.track();
        let (mark, pos) = context.get_untracked();
        let Some(mark) = mark else { return };
        let long = pos.map(|p| p.side == Side::Long).unwrap_or(true);
        let below = match k {
            Type::StopLoss => long,
            Type::TakeProfit => !long,
            Type::BuyLimit => true,
            Type::SellLimit => false,
        };
        let f = if below {
            Decimal::new(95, 2)
        } else {
            Decimal::new(105, 2)
        };
        price.set((mark * f).round_dp(2).to_string());
    });
    let request = Memo::new(move |_| {
        order_request(
            kind.get(),
            &market.get(),
            &price.get(),
            &size.get(),
            &leverage.get(),
            mode.get(),
        )
    });
    let preview = Memo::new(move |_| {
        let order = request.get()?;
        lab.with(|s| {
            s.engine()
                .preview_events(AccountId::USER, &Command::PlaceOrder { order })
                .map_err(|r| r.to_string())
        })
        .unwrap_or_else(|| Err("Start a scenario first.".into()))
    });
    let submit = move |_| {
        let Ok(order) = request.get_untracked() else {
            return;
        };
        match lab.update(|s| s.act(Command::PlaceOrder { order })) {
            Some(Ok(events)) => lab.info(events.first().map(|e| e.describe()).unwrap_or_default()),
            Some(Err(e)) => lab.error(format!("Order refused: {e}")),
            None => lab.error("Start a scenario first."),
        }
    };
    let limit = move || matches!(kind.get(), Type::BuyLimit | Type::SellLimit);

    view! {
        <Show when=move || !markets.get().is_empty()>
            <form class="ticket order-form" data-testid="order-form" on:submit=move |ev| { ev.prevent_default(); submit(()); }>
                <h3 class="sub">"Orders"</h3>
                <div class="grid2">
                    <div class="field">
                        <label for="o-type">"Type"</label>
                        <select id="o-type" data-testid="o-type" on:change=move |ev| kind.set(match event_target_value(&ev).as_str() {
                            "take" => Type::TakeProfit, "buy" => Type::BuyLimit, "sell" => Type::SellLimit, _ => Type::StopLoss })>
                            {[(Type::StopLoss, "Stop-loss"), (Type::TakeProfit, "Take-profit"), (Type::BuyLimit, "Limit buy (open / add long)"), (Type::SellLimit, "Limit sell (open / add short)")]
                                .into_iter().map(|(t, l)| view! { <option value=t.value() selected=move || kind.get() == t>{l}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="o-market">"Market"</label>
                        <select id="o-market" data-testid="o-market" on:change=move |ev| market.set(event_target_value(&ev))>
                            {move || markets.get().into_iter().map(|m| { let sel = m == market.get_untracked(); view! { <option value=m.clone() selected=sel>{format!("{m}-PERP")}</option> } }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="o-price">{move || if limit() { "Limit price" } else { "Trigger (mark price)" }}</label>
                        <input id="o-price" data-testid="o-price" inputmode="decimal" prop:value=price on:input=move |ev| price.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="o-size">"Size (units)"</label>
                        <input id="o-size" data-testid="o-size" inputmode="decimal" placeholder=move || if limit() { "required" } else { "whole position" }
                            prop:value=size on:input=move |ev| size.set(event_target_value(&ev)) />
                    </div>
                    <Show when=limit>
                        <div class="field">
                            <label for="o-lev">"Leverage ×"</label>
                            <input id="o-lev" data-testid="o-leverage" inputmode="decimal" prop:value=leverage on:input=move |ev| leverage.set(event_target_value(&ev)) />
                        </div>
                        <div class="field">
                            <label for="o-mode">"Margin"</label>
                            <select id="o-mode" on:change=move |ev| mode.set(if event_target_value(&ev) == "cross" { MarginMode::Cross } else { MarginMode::Isolated })>
                                <option value="isolated">"Isolated"</option>
                                <option value="cross">"Cross"</option>
                            </select>
                        </div>
                    </Show>
                </div>
                <p class="small muted" data-testid="o-context">
                    {move || {
                        let (mark, pos) = context.get();
                        let mut s = mark.map(|m| format!("Mark {}.", format::price(m))).unwrap_or_default();
                        if let Some(p) = pos {
                            s.push_str(&format!(" Your {} {} {}: entry {}, liquidation price {}.", p.side, format::money(p.size, 4), p.market, format::price(p.entry_price),
                                p.liquidation_price.map(format::price).unwrap_or_else(|| "none".into())));
                        }
                        s
                    }}
                </p>
                <p class="small muted">{move || kind.get().how()}</p>
                <div class="preview" aria-live="polite" data-testid="o-preview">
                    {move || match preview.get() {
                        Ok(events) => view! { <p class="small">{events.first().map(|e| format!("If placed: {}", e.describe())).unwrap_or_default()}</p> }.into_any(),
                        Err(e) => view! { <p class="rejection" data-testid="o-rejection">{e}</p> }.into_any(),
                    }}
                </div>
                <button type="submit" class="btn wide" data-testid="o-submit" disabled=move || preview.get().is_err()>"Place order"</button>
            </form>
        </Show>
    }
}

/// Per market, the learner's stop and take prices as "2,760.00 / 3,450.00" ("—" for a missing
/// side), for the positions table.
pub fn brackets(
    a: &crate::engine::orders::Automation,
) -> std::collections::BTreeMap<AssetId, String> {
    use crate::engine::orders::OrderKind;
    let mut out = std::collections::BTreeMap::new();
    let markets: std::collections::BTreeSet<AssetId> = a
        .orders
        .values()
        .filter(|o| o.reduce_only())
        .map(|o| o.market.clone())
        .collect();
    for m in markets {
        let price = |k: OrderKind| {
            let p: Vec<String> = a
                .orders
                .values()
                .filter(|o| o.market == m && o.kind == k)
                .map(|o| format::price(o.price))
                .collect();
            if p.is_empty() {
                "—".to_string()
            } else {
                p.join(", ")
            }
        };
        out.insert(
            m.clone(),
            format!(
                "{} / {}",
                price(OrderKind::StopLoss),
                price(OrderKind::TakeProfit)
            ),
        );
    }
    out
}
