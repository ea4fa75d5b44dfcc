use leptos::prelude::*;

use crate::ui::shell::{Header, Region};
use crate::ui::theme;

/// The whole app. Mounted by `main.rs` and by the browser tests.
#[component]
pub fn App() -> impl IntoView {
    let theme = RwSignal::new(theme::initial());
    Effect::new(move |_| theme::apply(theme.get()));

    view! {
        <div class="app">
            <Header theme=theme />
            <main class="workspace" id="main">
                <Region title="Price" area="chart">
                    <p class="muted">"Market and oracle prices, entry and liquidation lines."</p>
                </Region>
                <Region title="Order ticket" area="ticket">
                    <p class="muted">"Open leveraged longs and shorts, post collateral, borrow."</p>
                </Region>
                <Region title="Account" area="account">
                    <p class="muted">"Health factor, margin ratio, liquidation prices."</p>
                </Region>
                <Region title="Event log" area="events">
                    <p class="muted">"Every change, in order: the audit trail."</p>
                </Region>
            </main>
        </div>
    }
}
