//! System-wide status the learner's account depends on: Liquity's recovery mode (the total
//! collateral ratio of every trove against the critical 150%), read from `Engine::system_metrics`.

use leptos::prelude::*;

use crate::ui::state::use_lab;
use crate::ui::util::format;

#[component]
pub fn SystemStatus() -> impl IntoView {
    let lab = use_lab();
    let recovery = Memo::new(move |_| lab.with(|s| s.engine().system_metrics().recovery).flatten());
    view! {
        {move || recovery.get().map(|r| {
            let tcr = r.total_collateral_ratio.map(format::pct).unwrap_or_else(|| "∞".into());
            let ccr = format::pct(r.critical_ratio);
            if r.active {
                view! {
                    <div class="recovery danger" role="status" data-testid="recovery-mode">
                        <strong>"Recovery mode"</strong>
                        <p class="small">{format!(
                            "The system's total collateral ratio is {tcr}, below {ccr}. Any trove under that ratio can be liquidated (above 110% it gives the stability pool collateral worth 110% of its debt and keeps the rest); no collateral may be withdrawn, and drawing debt needs a ratio of at least {ccr}."
                        )}</p>
                    </div>
                }.into_any()
            } else {
                view! {
                    <p class="small muted" data-testid="system-tcr">{format!(
                        "System total collateral ratio {tcr} (recovery mode below {ccr})."
                    )}</p>
                }.into_any()
            }
        })}
    }
}
