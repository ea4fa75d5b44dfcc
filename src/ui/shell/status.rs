use leptos::prelude::*;

use crate::ui::state::{use_lab, Notice};

/// The last message: errors in plain words (rejected orders, bad links), or what just happened.
#[component]
pub fn StatusBar() -> impl IntoView {
    let lab = use_lab();
    view! {
        <div class="statusbar" role="status" aria-live="polite" data-testid="status">
            {move || match lab.notice.get() {
                Some(Notice::Error(m)) => view! { <p class="notice error" data-testid="status-error">{m}<button class="btn ghost small" aria-label="Dismiss" on:click=move |_| lab.notice.set(None)>"✕"</button></p> }.into_any(),
                Some(Notice::Info(m)) => view! { <p class="notice info" data-testid="status-info">{m}</p> }.into_any(),
                None => view! { <span></span> }.into_any(),
            }}
        </div>
    }
}
