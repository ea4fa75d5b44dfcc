use leptos::prelude::*;

use crate::engine::{AccountId, AssetId, Command};
use crate::ui::state::use_lab;
use crate::ui::util::format;

/// Open positions with reduce-by-half and close buttons.
#[component]
pub fn Positions() -> impl IntoView {
    let lab = use_lab();
    let positions = Memo::new(move |_| {
        lab.with(|s| {
            s.engine()
                .account_metrics(&AccountId::USER)
                .map(|m| m.positions)
                .unwrap_or_default()
        })
        .unwrap_or_default()
    });
    // The stop and take resting on each position ("—" for none).
    let brackets = Memo::new(move |_| {
        lab.with(|s| {
            s.engine()
                .account(&AccountId::USER)
                .map(|a| crate::ui::orders::order_form::brackets(&a.automation))
                .unwrap_or_default()
        })
        .unwrap_or_default()
    });
    let act = move |cmd: Command| match lab.update(|s| s.act(cmd)) {
        Some(Ok(_)) => {}
        Some(Err(e)) => lab.error(e),
        None => {}
    };
    view! {
        <Show when=move || !positions.get().is_empty()>
            <h3 class="sub">"Open positions"</h3>
            <div class="table-scroll">
            <table class="positions" data-testid="positions">
                <thead><tr><th>"Market"</th><th>"Size"</th><th>"Entry"</th><th>"Liq."</th><th>"Stop / take"</th><th>"PnL"</th><th></th></tr></thead>
                <tbody>
                    {move || positions.get().into_iter().map(|p| {
                        let market = p.market.to_string();
                        let half = (p.size / rust_decimal::Decimal::TWO).round_dp(8);
                        let m1 = market.clone();
                        let m2 = market.clone();
                        view! {
                            <tr class:liquidatable=p.liquidatable>
                                <td class=if p.side == crate::engine::Side::Long { "pos" } else { "neg" }>{format!("{} {} ({})", p.side, market, p.mode)}</td>
                                <td class="num">{format::money(p.size, 4)}</td>
                                <td class="num">{format::price(p.entry_price)}</td>
                                <td class="num">{p.liquidation_price.map(format::price).unwrap_or_else(|| "none".into())}</td>
                                <td class="num" data-testid="position-brackets">{brackets.get().get(&p.market).cloned().unwrap_or_else(|| "—".into())}</td>
                                <td class=if p.unrealized_pnl.is_sign_negative() { "num neg" } else { "num pos" }>{format::money(p.unrealized_pnl, 2)}</td>
                                <td class="actions">
                                    <button class="btn small" title="Reduce by half" on:click=move |_| act(Command::ReducePosition { market: AssetId::new(&m1), size: half })>"½"</button>
                                    <button class="btn small" data-testid="close-position" on:click=move |_| act(Command::ClosePosition { market: AssetId::new(&m2) })>"Close"</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </Show>
    }
}
