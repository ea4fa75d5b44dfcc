use leptos::prelude::*;

use super::store::{use_risk, Stamp};
use crate::engine::risk::stress::StressOptions;
use crate::replay::risk;
use crate::ui::state::use_lab;
use crate::ui::util::format;

fn drop_text(d: Option<rust_decimal::Decimal>) -> String {
    match d {
        Some(x) if x.is_zero() => "already liquidatable".into(),
        Some(x) => format!("−{}", format::pct(x)),
        None => "none up to −99%".into(),
    }
}

/// The smallest drops that break the account, found against the engine, and the 99% joint
/// move of the estimated correlations applied through it.
#[component]
pub fn ReversePanel() -> impl IntoView {
    let lab = use_lab();
    let store = use_risk();
    let stamp = move |s: &crate::replay::Session| Stamp {
        tick: s.tick(),
        log_hash: s.log_hash(),
    };
    let run = move |_| {
        match lab.with_untracked(|s| risk::reverse_stress(s).map(|r| (stamp(s), r))) {
            Some(Ok(r)) => store.reverse.set(Some(r)),
            Some(Err(e)) => lab.error(format!("The reverse stress test could not run: {e}")),
            None => lab.error("Start a scenario first."),
        }
        match lab.with_untracked(|s| risk::joint_move_for(s, 86_400).map(|(m, n)| (stamp(s), m, n)))
        {
            Some(Ok(j)) => store.joint.set(Some(j)),
            Some(Err(e)) => store.joint.set(Some((
                Stamp {
                    tick: 0,
                    log_hash: String::new(),
                },
                Vec::new(),
                e,
            ))),
            None => {}
        }
    };
    let apply_joint = move |_| {
        let Some((_, moves, _)) = store.joint.get_untracked() else {
            return;
        };
        let out = lab.with_untracked(|s| {
            risk::joint_stress(s, &moves, StressOptions::default()).map(|r| (stamp(s), r))
        });
        match out {
            Some(Ok((st, r))) => store.stress.update(|all| {
                all.retain(|(_, x)| x.id != r.id);
                all.push((st, r));
            }),
            Some(Err(e)) => lab.error(e),
            None => {}
        }
    };
    view! {
        <div class="risk-reverse" data-testid="reverse-panel">
            <button class="btn primary" data-testid="reverse-run" on:click=run>"Find what breaks the account"</button>
            <p class="muted small">"Bisection against the engine: each trial drops prices at once on a copy whose oracles see the drop immediately, and asks whether you are liquidated or called. Exact to 0.01 percentage point (the reported drop triggers; one 0.01 point smaller may not)."</p>
            {move || store.reverse.get().map(|(st, r)| view! {
                <table class="kv" data-testid="reverse-table">
                    <tbody>
                        <tr><th scope="row">{format!("Every risky asset together ({})", r.uniform_assets.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", "))}</th>
                            <td class="num" data-testid="reverse-uniform">{drop_text(r.uniform)}</td></tr>
                        {r.per_asset.iter().map(|(a, d)| view! {
                            <tr><th scope="row">{format!("{a} alone")}</th><td class="num" data-testid=format!("reverse-{a}")>{drop_text(*d)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p class="small muted">{format!("Computed at tick {} with {} engine trials.", st.tick, r.trials)}</p>
            })}
            {move || store.joint.get().map(|(_, moves, note)| view! {
                <h3 class="sub">"The 99% joint move (one day)"</h3>
                <p class="small muted">{format!("The most likely move of every asset together that costs the parametric 99% VaR; {note}.")}</p>
                <p class="mono small" data-testid="joint-move">{if moves.is_empty() { "—".to_string() } else { moves.iter().map(|(a, d)| format!("{a} {}", format::pct(*d))).collect::<Vec<_>>().join(" · ") }}</p>
                <button class="btn" data-testid="joint-apply" disabled=moves.is_empty() on:click=apply_joint>"Apply it through the engine"</button>
                <span class="muted small">" (the result appears in the stress tests)"</span>
            })}
        </div>
    }
}
