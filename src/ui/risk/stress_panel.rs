use leptos::prelude::*;
use rust_decimal::Decimal;

use super::store::{use_risk, Stamp};
use super::stress_table::StressTable;
use crate::engine::risk::stress::{self, StressOptions, StressResult, StressShock};
use crate::engine::{AccountId, AssetId};
use crate::replay::risk;
use crate::ui::state::use_lab;

const HORIZONS: [(i64, &str); 3] = [(3600, "1 hour"), (86_400, "1 day"), (3 * 86_400, "3 days")];

/// The stress library, each shock with its source, and custom shocks, applied to the current
/// portfolio through a copy of the engine.
#[component]
pub fn StressPanel() -> impl IntoView {
    let lab = use_lab();
    let store = use_risk();
    let horizon = RwSignal::new(86_400i64);
    // Custom percentages per asset the account is exposed to.
    let custom_pct: RwSignal<Vec<(String, String)>> = RwSignal::new(Vec::new());
    let exposed = Memo::new(move |_| {
        lab.with(|s| {
            s.engine()
                .exposures(&AccountId::USER)
                .map(|e| e.keys().map(|a| a.to_string()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
        .unwrap_or_default()
    });
    let keep = move |results: Vec<(Stamp, StressResult)>| {
        store.stress.update(|all| {
            for (st, r) in results {
                all.retain(|(_, x)| x.id != r.id);
                all.push((st, r));
            }
        });
    };
    // A lesson in progress may be waiting for a stress test.
    let lessons = use_context::<crate::ui::lesson::LessonStore>();
    let run = move |shocks: Vec<StressShock>| {
        let opts = StressOptions {
            horizon_secs: horizon.get_untracked(),
            ..StressOptions::default()
        };
        let out = lab.with_untracked(|s| {
            let stamp = Stamp {
                tick: s.tick(),
                log_hash: s.log_hash(),
            };
            shocks
                .iter()
                .map(|sh| risk::stress(s, sh, opts).map(|r| (stamp.clone(), r)))
                .collect::<Result<Vec<_>, String>>()
        });
        match out {
            Some(Ok(r)) => {
                if let Some(l) = lessons {
                    l.note(crate::lesson::Tool::StressTest);
                }
                keep(r)
            }
            Some(Err(e)) => lab.error(format!("The stress test could not run: {e}")),
            None => lab.error("Start a scenario first."),
        }
    };
    let run_custom = move |_| {
        let mut moves = Vec::new();
        for (asset, text) in custom_pct.get_untracked() {
            let t = text.trim().trim_end_matches('%');
            if t.is_empty() {
                continue;
            }
            match t.parse::<Decimal>() {
                Ok(p) if p > Decimal::from(-100) && p <= Decimal::from(1000) => {
                    moves.push((AssetId::new(&asset), p / Decimal::ONE_HUNDRED))
                }
                _ => {
                    return lab.error(format!(
                        "{asset}: a change in percent above −100 and at most 1000, e.g. −30"
                    ))
                }
            }
        }
        if moves.is_empty() {
            return lab.error("Enter a percentage for at least one asset.");
        }
        run(vec![stress::custom(&moves)]);
    };
    let set_pct = move |asset: String, v: String| {
        custom_pct.update(|all| {
            all.retain(|(a, _)| *a != asset);
            all.push((asset, v));
        })
    };
    view! {
        <div class="risk-stress" data-testid="stress-panel">
            <div class="row wrap">
                <label class="inline">"Hold the shocked prices for"
                    <select data-testid="stress-horizon" on:change=move |ev| horizon.set(event_target_value(&ev).parse().unwrap_or(86_400))>
                        {HORIZONS.iter().map(|(s, l)| view! { <option value=s.to_string() selected=move || horizon.get() == *s>{*l}</option> }).collect_view()}
                    </select>
                </label>
                <button class="btn" data-testid="stress-run-all" on:click=move |_| run(stress::library())>"Run every shock"</button>
            </div>
            <p class="muted small">"Each shock moves the market one second from now on a copy of the engine, which then runs at the shocked prices: oracles catch up, liquidations, auctions and margin-call deadlines play out, forced sales move the market. Equity is at market prices."</p>
            <ul class="shock-list">
                {stress::library().into_iter().map(|s| {
                    let one = s.clone();
                    view! {
                        <li>
                            <button class="btn small" data-testid=format!("stress-run-{}", s.id) on:click=move |_| run(vec![one.clone()])>"Run"</button>
                            <span><strong>{s.name.clone()}</strong><br /><span class="muted small">{s.source.clone()}</span></span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h3 class="sub">"Custom shock (% per asset)"</h3>
            <div class="row wrap">
                {move || exposed.get().into_iter().map(|a| {
                    let asset = a.clone();
                    view! {
                        <label class="inline">{a.clone()}
                            <input class="input-short" inputmode="decimal" placeholder="0" data-testid=format!("stress-custom-{a}")
                                on:input=move |ev| set_pct(asset.clone(), event_target_value(&ev)) />
                        </label>
                    }
                }).collect_view()}
                <button class="btn" data-testid="stress-run-custom" on:click=run_custom>"Run custom"</button>
            </div>
            <StressTable />
        </div>
    }
}
