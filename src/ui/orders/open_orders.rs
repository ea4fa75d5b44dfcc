//! Resting orders: what each waits for, how much of it is filled, who placed it; amend or cancel.

use leptos::prelude::*;

use crate::engine::orders::{Order, OrderKind, Origin};
use crate::engine::{AccountId, Command, Side};
use crate::ui::state::use_lab;
use crate::ui::ticket::order_ticket::parse_amount;
use crate::ui::util::format;

/// "Stop", "Buy limit"…
pub fn kind_label(o: &Order) -> &'static str {
    match (o.kind, o.side) {
        (OrderKind::StopLoss, _) => "Stop",
        (OrderKind::TakeProfit, _) => "Take",
        (OrderKind::Limit, Side::Long) => "Buy limit",
        (OrderKind::Limit, Side::Short) => "Sell limit",
    }
}

fn size_label(o: &Order) -> String {
    match (o.kind, o.size) {
        (OrderKind::Limit, Some(s)) if !o.filled.is_zero() => format!(
            "{} of {} filled",
            format::money(o.filled, 4),
            format::money(s, 4)
        ),
        (_, Some(s)) => format::money(s, 4),
        (_, None) => "all".into(),
    }
}

#[component]
pub fn OpenOrders() -> impl IntoView {
    let lab = use_lab();
    let orders = Memo::new(move |_| {
        lab.with(|s| {
            s.engine()
                .account(&AccountId::USER)
                .map(|a| a.automation.orders.values().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
        .unwrap_or_default()
    });
    let editing: RwSignal<Option<u64>> = RwSignal::new(None);
    let new_price = RwSignal::new(String::new());
    let new_size = RwSignal::new(String::new());
    let act = move |cmd: Command| match lab.update(|s| s.act(cmd)) {
        Some(Ok(events)) => {
            editing.set(None);
            lab.info(events.first().map(|e| e.describe()).unwrap_or_default());
        }
        Some(Err(e)) => lab.error(e),
        None => {}
    };
    let save = move |id: u64| {
        let Some(price) = parse_amount(&new_price.get_untracked()) else {
            lab.error("The new price must be a number.");
            return;
        };
        let text = new_size.get_untracked();
        let size = if text.trim().is_empty() {
            None
        } else {
            match parse_amount(&text) {
                Some(s) => Some(s),
                None => {
                    lab.error("The new size must be a number, or empty to keep it.");
                    return;
                }
            }
        };
        act(Command::AmendOrder { id, price, size });
    };
    view! {
        <Show when=move || !orders.get().is_empty()>
            <h3 class="sub">"Open orders"</h3>
            <div class="table-scroll">
            <table class="positions compact" data-testid="open-orders">
                <thead><tr><th>"#"</th><th>"Order"</th><th>"Price"</th><th>"Size"</th><th></th></tr></thead>
                <tbody>
                    {move || orders.get().into_iter().map(|o| {
                        let id = o.id;
                        let price = o.price;
                        view! {
                            <tr data-testid=format!("order-row-{id}")>
                                <td class="num">{id}</td>
                                <td>
                                    {format!("{} {}", kind_label(&o), o.market)}
                                    {(o.kind != OrderKind::Limit).then(|| format!(" {}", o.side))}
                                    {(o.origin == Origin::Strategy).then_some(" · strategy")}
                                </td>
                                <td class="num">{format::price(o.price)}</td>
                                <td class="num">{size_label(&o)}</td>
                                <td class="actions">
                                    <button class="btn small" data-testid=format!("amend-order-{id}") on:click=move |_| {
                                        new_price.set(price.to_string());
                                        new_size.set(String::new());
                                        editing.set(Some(id));
                                    } title="Amend">"✎"</button>
                                    <button class="btn small" data-testid=format!("cancel-order-{id}") on:click=move |_| act(Command::CancelOrder { id }) title="Cancel">"✕"</button>
                                </td>
                            </tr>
                            <Show when=move || editing.get() == Some(id)>
                                <tr>
                                    <td></td>
                                    <td colspan="4">
                                        <div class="row wrap">
                                            <input class="input-short" aria-label="New price" data-testid="amend-price" inputmode="decimal" prop:value=new_price on:input=move |ev| new_price.set(event_target_value(&ev)) />
                                            <input class="input-short" aria-label="New size (empty: keep)" placeholder="keep size" data-testid="amend-size" inputmode="decimal" prop:value=new_size on:input=move |ev| new_size.set(event_target_value(&ev)) />
                                            <button class="btn small" data-testid="amend-save" on:click=move |_| save(id)>"Save"</button>
                                            <button class="btn small" on:click=move |_| editing.set(None)>"Back"</button>
                                        </div>
                                    </td>
                                </tr>
                            </Show>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </Show>
    }
}
