//! A session made under older rules (an old link) says so, and can be replayed under the current
//! ones: same scenario and actions, today's parameters and mechanisms.

use leptos::prelude::*;

use crate::engine::RulesVersion;
use crate::replay::{Script, Session};
use crate::ui::state::use_lab;

#[component]
pub fn RulesNotice() -> impl IntoView {
    let lab = use_lab();
    let rules = Memo::new(move |_| lab.with(|s| s.script().scenario.rules));
    let upgrade = move |_| {
        let Some((mut script, tick)) = lab.with_untracked(|s| (s.script().clone(), s.tick()))
        else {
            return;
        };
        script.scenario.rules = RulesVersion::CURRENT;
        let opened = Session::open(Script {
            scenario: script.scenario,
            actions: script.actions,
        })
        .and_then(|mut s| s.seek(tick).map(|_| s));
        match opened {
            Ok(session) => {
                lab.install(session);
                lab.info(format!(
                    "Replaying the same actions under the {} rules: figures now follow each system's sourced parameters. Copy the link to share this version.",
                    RulesVersion::CURRENT.label()
                ));
            }
            Err(e) => lab.error(format!(
                "These actions do not replay under the {} rules: {e}. The session stays under its own rules.",
                RulesVersion::CURRENT.label()
            )),
        }
    };
    view! {
        {move || rules.get().filter(|r| *r != RulesVersion::CURRENT).map(|r| view! {
            <p class="notice info small" data-testid="rules-notice">
                {format!(
                    "Made with the {} rules: it replays under them, so it shows what its author saw. Some presets have changed since (sourced parameters, new mechanisms).",
                    r.label()
                )}
                " "
                <button class="btn small" data-testid="replay-current-rules" on:click=upgrade>
                    {format!("Replay under the {} rules", RulesVersion::CURRENT.label())}
                </button>
            </p>
        })}
    }
}
