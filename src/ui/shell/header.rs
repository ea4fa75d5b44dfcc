use leptos::prelude::*;

use crate::ui::theme::Theme;

/// The top bar: product name, what it is, and the theme switch.
#[component]
pub fn Header(theme: RwSignal<Theme>) -> impl IntoView {
    let label = move || match theme.get() {
        Theme::Dark => "Switch to light theme",
        Theme::Light => "Switch to dark theme",
    };
    view! {
        <header class="topbar">
            <div class="brand">
                <img src="public/favicon.svg" alt="" width="24" height="24" />
                <h1>"Margin Lab"</h1>
                <span class="tagline">"Paper-trading sandbox for collateral, margin calls and liquidations"</span>
            </div>
            <div class="topbar-actions">
                <span class="badge" title="Nothing leaves this page: the engine runs in your browser">
                    "Runs locally"
                </span>
                <button
                    class="btn ghost"
                    data-testid="theme-toggle"
                    aria-label=label
                    title=label
                    on:click=move |_| theme.update(|t| *t = t.toggled())
                >
                    {move || if theme.get() == Theme::Dark { "☀" } else { "☾" }}
                </button>
            </div>
        </header>
    }
}
