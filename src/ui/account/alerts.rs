use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::{AccountId, AlertKind, Command, EventKind};
use crate::ui::state::use_lab;
use crate::ui::util::{format, notify};

fn alert_name(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::HealthFactorBelow => "Health factor below",
        AlertKind::CollateralRatioBelow => "Vault collateral ratio below",
        AlertKind::MarginRatioAbove => "Margin ratio above",
    }
}

/// Alert thresholds the learner sets (recorded as actions, so a replay shows them too) and the
/// warning raised when one fires, in the page and as a browser notification if permitted.
#[component]
pub fn Alerts() -> impl IntoView {
    let lab = use_lab();
    let kind = RwSignal::new(AlertKind::HealthFactorBelow);
    let threshold = RwSignal::new("1.2".to_string());

    // The latest alert that fired for the learner, if it is still the newest alert event.
    let fired = Memo::new(move |_| {
        lab.with(|s| {
            s.engine()
                .events()
                .iter()
                .rev()
                .find_map(|e| match &e.kind {
                    EventKind::AlertTriggered {
                        account,
                        kind,
                        value,
                        threshold,
                    } if *account == AccountId::USER => Some((e.seq, *kind, *value, *threshold)),
                    _ => None,
                })
        })
        .flatten()
    });
    let notified = StoredValue::new(None::<u64>);
    Effect::new(move |_| {
        if let Some((seq, kind, value, threshold)) = fired.get() {
            if notified.get_value() != Some(seq) {
                notified.set_value(Some(seq));
                notify::notify(
                    "Margin Lab: margin warning",
                    &format!(
                        "{} {}: now {}",
                        alert_name(kind),
                        format::money(threshold, 2),
                        format::money(value, 3)
                    ),
                );
            }
        }
    });

    let set_alert = move |_| {
        let Ok(t) = threshold.get_untracked().trim().parse::<Decimal>() else {
            return lab.error("The alert threshold must be a number, like 1.2.");
        };
        match lab.update(|s| {
            s.act(Command::SetAlert {
                kind: kind.get_untracked(),
                threshold: t,
            })
        }) {
            Some(Ok(_)) => lab.info(format!(
                "Alert set: {} {}.",
                alert_name(kind.get_untracked()),
                t
            )),
            Some(Err(e)) => lab.error(e),
            None => lab.error("Start a scenario first."),
        }
    };

    view! {
        <div class="alerts">
            <h3 class="sub">"Alerts"</h3>
            {move || fired.get().map(|(_, kind, value, threshold)| view! {
                <div class="warning" role="alert" data-testid="alert-warning">
                    <strong>"Margin warning: "</strong>
                    {format!("{} {} — now {}. Add collateral or reduce risk before liquidation.",
                        alert_name(kind), format::money(threshold, 2), format::money(value, 3))}
                </div>
            })}
            <div class="row wrap">
                <select aria-label="Alert on" on:change=move |ev| {
                    kind.set(match event_target_value(&ev).as_str() {
                        "cr" => AlertKind::CollateralRatioBelow,
                        "mr" => AlertKind::MarginRatioAbove,
                        _ => AlertKind::HealthFactorBelow,
                    })
                }>
                    <option value="hf">{alert_name(AlertKind::HealthFactorBelow)}</option>
                    <option value="cr">{alert_name(AlertKind::CollateralRatioBelow)}</option>
                    <option value="mr">{alert_name(AlertKind::MarginRatioAbove)}</option>
                </select>
                <input class="input-short" aria-label="Alert threshold" inputmode="decimal" prop:value=threshold
                    on:input=move |ev| threshold.set(event_target_value(&ev)) />
                <button class="btn" data-testid="set-alert" on:click=set_alert>"Set"</button>
                <button class="btn ghost small" title="Also show alerts as browser notifications" on:click=move |_| notify::request_permission()>"Notify me"</button>
            </div>
        </div>
    }
}
