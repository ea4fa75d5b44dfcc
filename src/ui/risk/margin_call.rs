use leptos::prelude::*;
use rust_decimal::RoundingStrategy;

use crate::engine::{AccountId, Command};
use crate::ui::state::use_lab;
use crate::ui::util::format;

/// The broker's open margin call: what is owed, by when (simulated time), and one-click ways to
/// meet it — repaying or depositing the deficit — before the broker sells.
#[component]
pub fn MarginCallBanner() -> impl IntoView {
    let lab = use_lab();
    let call = Memo::new(move |_| {
        lab.with(|s| {
            let e = s.engine();
            let c = e.margin_call(&AccountId::USER)?;
            let deficit = e.margin_call_deficit(&AccountId::USER)?;
            let debt = s.config().debt_asset.clone();
            let cash = e
                .account(&AccountId::USER)
                .map(|a| a.wallet(&debt))
                .unwrap_or_default();
            Some((c.deadline, c.deadline - s.time(), deficit, debt, cash))
        })
        .flatten()
    });
    let act = move |repay: bool| {
        let Some((_, _, deficit, debt, _)) = call.get_untracked() else {
            return;
        };
        // Rounded up to the cent, so the account ends at or above maintenance.
        let amount = deficit.round_dp_with_strategy(2, RoundingStrategy::AwayFromZero);
        let command = if repay {
            Command::Repay {
                asset: debt,
                amount,
            }
        } else {
            Command::Deposit {
                asset: debt,
                amount,
            }
        };
        match lab.update(|s| s.act(command)) {
            Some(Ok(_)) => {
                lab.info("Margin call met: your account is back at its maintenance requirement.")
            }
            Some(Err(e)) => lab.error(e),
            None => {}
        }
    };
    view! {
        {move || call.get().map(|(deadline, left, deficit, debt, cash)| {
            let hours = left as f64 / 3600.0;
            let can = cash >= deficit;
            view! {
                <div class="margin-call" role="alert" data-testid="margin-call">
                    <strong>"Margin call"</strong>
                    <p class="small">
                        {format!("Your equity is below the broker's maintenance requirement. Bring in {} {debt} — deposit it or repay it — or sell, by ", format::money(deficit, 2))}
                        <span class="mono" data-testid="margin-call-deadline">{crate::engine::explain::when(deadline)}</span>
                        {format!(" ({hours:.0} hours of simulated time left), or the broker sells your collateral.")}
                    </p>
                    <div class="row wrap">
                        <button class="btn primary small" data-testid="margin-call-repay" disabled=!can on:click=move |_| act(true)>{format!("Repay {}", format::money(deficit, 2))}</button>
                        <button class="btn small" data-testid="margin-call-deposit" disabled=!can on:click=move |_| act(false)>{format!("Deposit {} {debt}", format::money(deficit, 2))}</button>
                    </div>
                </div>
            }
        })}
    }
}
