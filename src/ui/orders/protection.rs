//! Protection rules on a lending account or a vault: set, see their state (armed, or unable to
//! act and why), clear. The engine validates and runs them; this only sends commands.

use leptos::prelude::*;

use crate::engine::orders::{Origin, ProtectionRule, RuleState};
use crate::engine::{AccountId, AssetClass, AssetId, CollateralDesign, Command, EventKind};
use crate::ui::state::use_lab;
use crate::ui::ticket::order_ticket::parse_amount;
use crate::ui::util::format;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Repay,
    Boost,
    TopUp,
}

#[component]
pub fn ProtectionRules() -> impl IntoView {
    let lab = use_lab();
    let design = Memo::new(move |_| lab.with(|s| s.config().design));
    let has_perps = Memo::new(move |_| {
        lab.with(|s| s.config().assets.iter().any(|a| a.perp.is_some()))
            .unwrap_or(false)
    });
    let assets = Memo::new(move |_| {
        lab.with(|s| {
            let ids = s.assets_by_relevance();
            let borrowable: Vec<String> = ids
                .iter()
                .filter(|id| s.config().asset(id).is_some_and(|a| a.borrowable))
                .map(|id| id.to_string())
                .collect();
            let collateral: Vec<String> = ids
                .iter()
                .filter(|id| {
                    s.config().asset(id).is_some_and(|a| {
                        a.class != AssetClass::Stablecoin && **id != s.config().debt_asset
                    })
                })
                .map(|id| id.to_string())
                .collect();
            (borrowable, collateral, s.config().debt_asset.to_string())
        })
        .unwrap_or_default()
    });
    let kind = RwSignal::new(Kind::Repay);
    Effect::new(move |_| {
        if design.get() == Some(CollateralDesign::SingleCollateral) {
            kind.set(Kind::TopUp);
        } else if kind.get_untracked() == Kind::TopUp {
            kind.set(Kind::Repay);
        }
    });
    let asset = RwSignal::new(String::new());
    Effect::new(move |_| {
        let (borrowable, collateral, debt) = assets.get();
        let list = if kind.get() == Kind::TopUp {
            collateral
        } else {
            borrowable
        };
        if !list.contains(&asset.get_untracked()) {
            asset.set(
                list.iter()
                    .find(|a| **a == debt)
                    .or(list.first())
                    .cloned()
                    .unwrap_or_default(),
            );
        }
    });
    let trigger = RwSignal::new("1.3".to_string());
    let target = RwSignal::new("1.6".to_string());
    let rule = Memo::new(move |_| {
        let t = parse_amount(&trigger.get()).ok_or("The trigger must be a number.")?;
        let g = parse_amount(&target.get()).ok_or("The target must be a number.")?;
        let a = AssetId::new(&asset.get());
        Ok::<_, String>(match kind.get() {
            Kind::Repay => ProtectionRule::RepayBelow {
                asset: a,
                trigger: t,
                target: g,
            },
            Kind::Boost => ProtectionRule::BoostAbove {
                asset: a,
                trigger: t,
                target: g,
            },
            Kind::TopUp => ProtectionRule::TopUpBelow {
                collateral: a,
                trigger: t,
                target: g,
            },
        })
    });
    let check = Memo::new(move |_| {
        let r = rule.get()?;
        lab.with(|s| {
            s.engine()
                .preview_events(AccountId::USER, &Command::SetProtection { rule: r })
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .unwrap_or_else(|| Err("Start a scenario first.".into()))
    });
    let rules = Memo::new(move |_| {
        lab.with(|s| {
            let fired = |id: u64| {
                s.engine()
                    .events()
                    .iter()
                    .filter(|e| matches!(&e.kind, EventKind::RuleFired { account, id: i, .. } if *account == AccountId::USER && *i == id))
                    .count()
            };
            s.engine()
                .account(&AccountId::USER)
                .map(|a| {
                    a.automation
                        .rules
                        .values()
                        .map(|r| (r.clone(), fired(r.id)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
        .unwrap_or_default()
    });
    let act = move |cmd: Command, ok: &'static str| match lab.update(|s| s.act(cmd)) {
        Some(Ok(_)) => lab.info(ok),
        Some(Err(e)) => lab.error(format!("Rule refused: {e}")),
        None => lab.error("Start a scenario first."),
    };
    let set_rule = move |_| {
        if let Ok(r) = rule.get_untracked() {
            act(
                Command::SetProtection { rule: r },
                "Rule set: it acts in each step, before the liquidation checks.",
            );
        }
    };

    view! {
        <Show when=move || !has_perps.get()>
            <section class="protection" data-testid="protection-rules" aria-labelledby="prot-title">
                <h3 class="sub" id="prot-title">"Protection rules"</h3>
                <p class="small muted">"Like DeFi automation services: the engine checks them every step, on the oracle price, before it looks for liquidations. Each firing logs what it moved and what it cost; a rule that cannot act says why. Margin Lab charges no automation fee (real services charge a fee and gas)."</p>
                <div class="grid2">
                    <div class="field">
                        <label for="pr-kind">"Rule"</label>
                        <select id="pr-kind" data-testid="pr-kind" on:change=move |ev| kind.set(match event_target_value(&ev).as_str() { "boost" => Kind::Boost, "topup" => Kind::TopUp, _ => Kind::Repay })>
                            {move || if design.get() == Some(CollateralDesign::SingleCollateral) {
                                view! { <option value="topup">"Vault top-up: add collateral when the ratio falls"</option> }.into_any()
                            } else {
                                view! {
                                    <option value="repay" selected=move || kind.get() == Kind::Repay>"Auto-repay when health falls"</option>
                                    <option value="boost" selected=move || kind.get() == Kind::Boost>"Boost: borrow more when health rises"</option>
                                }.into_any()
                            }}
                        </select>
                    </div>
                    <div class="field">
                        <label for="pr-asset">{move || if kind.get() == Kind::TopUp { "Vault" } else { "Asset" }}</label>
                        <select id="pr-asset" data-testid="pr-asset" on:change=move |ev| asset.set(event_target_value(&ev))>
                            {move || {
                                let (b, c, _) = assets.get();
                                let list = if kind.get() == Kind::TopUp { c } else { b };
                                list.into_iter().map(|a| { let sel = a == asset.get_untracked(); view! { <option value=a.clone() selected=sel>{a.clone()}</option> } }).collect_view()
                            }}
                        </select>
                    </div>
                    <div class="field">
                        <label for="pr-trigger">{move || match kind.get() { Kind::Repay => "When health is below", Kind::Boost => "When health is above", Kind::TopUp => "When the ratio is below (e.g. 1.7 = 170%)" }}</label>
                        <input id="pr-trigger" data-testid="pr-trigger" inputmode="decimal" prop:value=trigger on:input=move |ev| trigger.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="pr-target">{move || match kind.get() { Kind::Boost => "Borrow down to health", Kind::Repay => "Repay back to health", Kind::TopUp => "Add back to ratio" }}</label>
                        <input id="pr-target" data-testid="pr-target" inputmode="decimal" prop:value=target on:input=move |ev| target.set(event_target_value(&ev)) />
                    </div>
                </div>
                {move || check.get().err().map(|e| view! { <p class="rejection" data-testid="pr-rejection">{e}</p> })}
                <button class="btn" data-testid="pr-set" disabled=move || check.get().is_err() on:click=set_rule>"Set rule"</button>
                <Show when=move || !rules.get().is_empty()>
                    <table class="positions" data-testid="rules">
                        <thead><tr><th>"#"</th><th>"Rule"</th><th>"State"</th><th>"Fired"</th><th></th></tr></thead>
                        <tbody>
                            {move || rules.get().into_iter().map(|(r, fired)| {
                                let id = r.id;
                                let state = match &r.state {
                                    RuleState::Armed => "armed".to_string(),
                                    RuleState::Blocked { since, reason } => format!("cannot act since {}: {reason}", format::time(*since)),
                                };
                                view! {
                                    <tr class:liquidatable=!matches!(r.state, RuleState::Armed)>
                                        <td class="num">{id}</td>
                                        <td>{r.rule.summary()}{if r.origin == Origin::Strategy { " (strategy)" } else { "" }}</td>
                                        <td class="small" data-testid=format!("rule-state-{id}")>{state}</td>
                                        <td class="num">{fired}</td>
                                        <td class="actions"><button class="btn small" data-testid=format!("clear-rule-{id}") on:click=move |_| act(Command::ClearProtection { id }, "Rule cleared.")>"Clear"</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </Show>
            </section>
        </Show>
    }
}
