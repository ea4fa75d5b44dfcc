use leptos::prelude::*;

use crate::engine::risk::credit::CreditTier;
use crate::engine::{AccountId, Command, EventKind};
use crate::ui::state::use_lab;
use crate::ui::util::format;

/// Margin Lab's credit tier of the account: the score item by item, what each tier would ask of
/// this account, and the tier's history (engine events with their reasons).
#[component]
pub fn CreditPanel() -> impl IntoView {
    let lab = use_lab();
    let me = AccountId::USER;
    let record = Memo::new(move |_| {
        lab.with(|s| s.engine().account(&me).and_then(|a| a.credit.clone()))
            .flatten()
    });
    let offered = Memo::new(move |_| {
        lab.with(|s| s.engine().credit_tiers_offered())
            .unwrap_or(false)
    });
    let score = Memo::new(move |_| lab.with(|s| s.engine().credit_score(&me)).flatten());
    let by_tier = Memo::new(move |_| {
        lab.with(|s| s.engine().maintenance_by_tier(&me))
            .unwrap_or_default()
    });
    let history = Memo::new(move |_| {
        lab.with(|s| {
            s.engine()
                .events()
                .iter()
                .filter(|e| {
                    e.kind.account() == Some(me)
                        && matches!(
                            e.kind,
                            EventKind::CreditJoined { .. }
                                | EventKind::CreditTierChanged { .. }
                                | EventKind::RatingDowngraded { .. }
                        )
                })
                .map(|e| (e.time, e.describe()))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    let join = move |_| {
        if let Some(Err(e)) = lab.update(|s| s.act(Command::JoinCreditTiers)) {
            lab.error(e);
        } else {
            lab.info("You joined Margin Lab's credit tiers.");
        }
    };
    view! {
        <div class="risk-credit" data-testid="credit-panel">
            <p class="small"><strong>"Margin Lab's own credit score"</strong>" — not any real system's. Every point comes from this account's history in the engine: time active, repayments, margin calls met or missed, liquidations, rating downgrades, collateral quality and diversification. The tier scales what your collateral must keep: "<span class="mono">"LT' = 1 − (1 − LT) × m"</span>"; under the broker, never below FINRA's 25% maintenance or Reg T's 50% initial margin. Vaults and perpetual positions keep their own rules."</p>
            {move || match record.get() {
                None => view! {
                    <div>
                        <p class="muted" data-testid="credit-none">"Your account does not take part in the credit tiers."</p>
                        <Show when=move || offered.get()>
                            <button class="btn primary" data-testid="credit-join" on:click=join>"Join the credit tiers"</button>
                        </Show>
                    </div>
                }.into_any(),
                Some(rec) => view! {
                    <p>
                        <span class="badge ok" data-testid="credit-tier">{format!("Tier {}", rec.tier.label())}</span>
                        " score "<strong class="mono" data-testid="credit-score">{crate::engine::num::fmt_num(rec.score, 1)}</strong>
                        <span class="muted small">{format!(" (×{} on margin requirements)", rec.tier.multiplier())}</span>
                    </p>
                }.into_any(),
            }}
            {move || score.get().map(|s| view! {
                <table class="credit-items" data-testid="credit-items">
                    <thead><tr><th>"Item"</th><th>"How"</th><th class="num">"Points"</th></tr></thead>
                    <tbody>
                        {s.items.iter().map(|i| view! { <tr><th scope="row">{i.label}</th><td class="small muted">{i.detail.clone()}</td><td class="num">{crate::engine::num::fmt_num(i.points, 1)}</td></tr> }).collect_view()}
                        <tr><th scope="row">"Now"</th><td class="small muted">"reviewed daily, and after repayments, margin calls, liquidations and rating actions"</td><td class="num"><strong>{crate::engine::num::fmt_num(s.total, 1)}</strong></td></tr>
                    </tbody>
                </table>
            })}
            <Show when=move || record.get().is_some()>
                <h3 class="sub">"Tiers and your maintenance margin"</h3>
                <table class="kv" data-testid="credit-tiers">
                    <thead><tr><th>"Tier"</th><th class="num">"Score"</th><th class="num">"Multiplier"</th><th class="num">"Your maintenance margin"</th></tr></thead>
                    <tbody>
                        {move || by_tier.get().into_iter().map(|(t, m)| {
                            let mine = record.get().is_some_and(|r| r.tier == t);
                            view! {
                                <tr class:current=mine>
                                    <th scope="row">{t.label()}</th>
                                    <td class="num">{if t == CreditTier::E { "below 30".to_string() } else { format!("{} +", t.min_score()) }}</td>
                                    <td class="num">{format!("×{}", t.multiplier())}</td>
                                    <td class="num">{format::pct(m)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
            <h3 class="sub">"History"</h3>
            <ul class="events credit-history" data-testid="credit-history">
                {move || history.get().into_iter().rev().map(|(t, d)| view! {
                    <li><span class="mono muted">{crate::engine::explain::when(t)}</span><span></span><span>{d}</span></li>
                }).collect_view()}
            </ul>
        </div>
    }
}
