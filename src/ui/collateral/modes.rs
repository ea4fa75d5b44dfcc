//! Aave's e-mode switch and isolation-mode status for a pooled account: what each does to the
//! learner's borrowing power, from the engine's metrics.

use leptos::prelude::*;

use crate::engine::{AccountId, CollateralDesign, Command};
use crate::ui::state::use_lab;
use crate::ui::util::format;

/// The e-mode selector (shown when the scenario has e-mode categories) and the isolation note.
#[component]
pub fn AccountModes() -> impl IntoView {
    let lab = use_lab();
    let categories = Memo::new(move |_| {
        lab.with(|s| {
            if s.config().design == CollateralDesign::MultiCollateral {
                s.config().emode_categories.clone()
            } else {
                Vec::new()
            }
        })
        .unwrap_or_default()
    });
    let metrics = Memo::new(move |_| {
        lab.with(|s| s.engine().account_metrics(&AccountId::USER).ok())
            .flatten()
    });
    let members = move |id: u8| {
        lab.with(|s| {
            s.config()
                .assets
                .iter()
                .filter(|a| a.emode_category == Some(id))
                .map(|a| a.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
    };
    let switch = move |value: String| {
        let category = value.parse::<u8>().ok();
        match lab.update(|s| s.act(Command::SetEMode { category })) {
            Some(Ok(events)) => {
                if let Some(e) = events.first() {
                    lab.info(e.describe());
                }
            }
            Some(Err(e)) => lab.error(e),
            None => lab.error("Start a scenario first."),
        }
    };
    view! {
        <Show when=move || !categories.get().is_empty()>
            <div class="modes" data-testid="emode">
                <div class="field inline">
                    <label for="emode-select">"E-mode"</label>
                    <select id="emode-select" data-testid="emode-select" on:change=move |ev| switch(event_target_value(&ev))>
                        <option value="" selected=move || metrics.get().and_then(|m| m.emode).is_none()>"Off"</option>
                        {move || categories.get().into_iter().map(|c| {
                            let id = c.id;
                            view! {
                                <option value=id.to_string() selected=move || metrics.get().and_then(|m| m.emode) == Some(id)>
                                    {format!("{} (LTV {}, LT {}, bonus {})", c.label, format::pct(c.ltv), format::pct(c.liquidation_threshold), format::pct(c.liquidation_bonus))}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                    <span class="small" data-testid="borrowing-power">
                        {move || metrics.get().map(|m| format!("Borrowing power {}", format::money(m.borrow_limit, 2))).unwrap_or_default()}
                    </span>
                </div>
                <p class="small muted">
                    {move || categories.get().first().map(|c| format!(
                        "Aave's efficiency mode: while every debt is in the {} category ({}), collateral of that category counts at its LTV and liquidation threshold, and liquidators earn its smaller bonus. Borrowing outside the category is refused while it is on.",
                        c.label, members(c.id)
                    ))}
                </p>
            </div>
        </Show>
        {move || metrics.get().and_then(|m| m.isolation).map(|iso| view! {
            <p class="small notice-inline" data-testid="isolation">
                {format!(
                    "Isolation mode: {} is your only collateral. It can back at most {} of stablecoin debt over every borrower ({} used); other assets you supply do not count as collateral while it is posted.",
                    iso.asset,
                    format::money(iso.debt_ceiling, 0),
                    format::money(iso.debt_used, 0)
                )}
            </p>
        })}
    }
}
