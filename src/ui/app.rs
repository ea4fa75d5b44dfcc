use leptos::prelude::*;

use crate::ui::account::Dashboard;
use crate::ui::chart::{HealthChart, PriceChart};
use crate::ui::collateral::{CollateralPanel, WhatIf};
use crate::ui::compare::ComparePanel;
use crate::ui::events::EventLog;
use crate::ui::lesson::{open_lesson_link, LessonDock, LessonStore};
use crate::ui::liquidation::LiquidationExplainer;
use crate::ui::market::MarketPanel;
use crate::ui::orders::{AutomationPanel, AutomationState, OpenOrders, OrderExplainer, OrderForm};
use crate::ui::risk::{MarginCallBanner, RiskDesk, RiskStore};
use crate::ui::scenario::ScenarioPicker;
use crate::ui::share::{current_link, open_link, RulesNotice, SavedSessions, ShareBar};
use crate::ui::shell::{Header, Region, StatusBar};
use crate::ui::state::Lab;
use crate::ui::theme;
use crate::ui::ticket::{OrderTicket, Positions};
use crate::ui::timeline::Timeline;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Events,
    Market,
    Collateral,
    Compare,
    Saved,
    Risk,
    Automation,
}

/// The whole app. Mounted by `main.rs` and by the browser tests.
#[component]
pub fn App() -> impl IntoView {
    let theme = RwSignal::new(theme::initial());
    Effect::new(move |_| theme::apply(theme.get()));
    let lab = Lab::new();
    provide_context(lab);
    crate::ui::util::warm::use_warm_up(lab);
    crate::ui::util::warm::use_crowd_warm_up(lab);
    provide_context(RiskStore::new());
    provide_context(AutomationState::new());
    let lessons = LessonStore::new();
    provide_context(lessons);
    // A lesson link (`#l=…`) opens the lesson; anything else is a session link.
    let open_any = move |link: &str| {
        if crate::lesson::link::is_lesson_link(link) {
            open_lesson_link(lab, lessons, link)
        } else {
            open_link(lab, link)
        }
    };

    // A shared link in the address opens that session; anything wrong with it is explained and the
    // page starts empty.
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if hash.len() > 1 {
        if let Err(e) = open_any(&hash) {
            lab.error(e);
        }
    }
    // A link pasted into the address bar of an open page (only the `#…` changes, no reload).
    let on_hash = window_event_listener(leptos::ev::hashchange, move |_| {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        let fragment = hash.trim_start_matches('#');
        if fragment.is_empty() || current_link(lab).is_ok_and(|l| l == fragment) {
            return;
        }
        if let Err(e) = open_any(fragment) {
            lab.error(e);
        }
    });
    on_cleanup(move || on_hash.remove());
    let tab = RwSignal::new(Tab::Events);

    let tab_button = move |t: Tab, label: &'static str, id: &'static str| {
        view! {
            <button role="tab" class="tab" aria-selected=move || (tab.get() == t).to_string() data-testid=id on:click=move |_| tab.set(t)>{label}</button>
        }
    };
    let credit = Memo::new(move |_| {
        lab.with(|s| crate::feed::catalogue::entry(&s.script().scenario.feed))
            .flatten()
            .map(|e| (e.provenance.label(), e.source, e.licence))
    });

    view! {
        <div class="app">
            <Header theme=theme />
            <section class="scenario-bar" aria-label="Scenario">
                <ScenarioPicker />
            </section>
            <StatusBar />
            <LessonDock />
            <main class="workspace" id="main">
                <Region title="Price" area="chart">
                    <Show when=move || lab.has_session() fallback=move || view! {
                        <div class="empty">
                            <p>"Pick a scenario and press " <strong>"Start"</strong> ". Then open a position or post collateral, press " <strong>"Play"</strong> " and watch what the market does to it."</p>
                            <p class="muted">"Everything runs in this page; nothing is sent anywhere."</p>
                            <p>"New to margin and liquidation? " <a href="#lessons" data-testid="empty-lessons" on:click=move |ev| { ev.prevent_default(); lessons.list_open.set(true); }>"Follow a lesson"</a> " — eight guided walk-throughs, from the health factor to margin calls."</p>
                        </div>
                    }>
                        <PriceChart />
                        <HealthChart />
                        <Timeline />
                        <ShareBar />
                        <RulesNotice />
                        <p class="credit muted small" data-testid="credit">
                            {move || credit.get().map(|(prov, source, licence)| format!("{prov} · Source: {source} · {licence}"))}
                        </p>
                    </Show>
                </Region>
                <Region title="Order ticket" area="ticket">
                    <OrderTicket />
                    <Positions />
                    <OrderForm />
                    <OpenOrders />
                </Region>
                <Region title="Account" area="account">
                    <MarginCallBanner />
                    <Dashboard />
                    <WhatIf />
                </Region>
                <div class="area-events stack">
                    <LiquidationExplainer />
                    <OrderExplainer />
                    <section class="panel" data-testid="events" aria-label="Event log and tools">
                        <div class="tabs" role="tablist">
                            {tab_button(Tab::Events, "Event log", "tab-events")}
                            {tab_button(Tab::Market, "Market", "tab-market")}
                            {tab_button(Tab::Collateral, "Collateral & debt", "tab-collateral")}
                            {tab_button(Tab::Compare, "Compare", "tab-compare")}
                            {tab_button(Tab::Saved, "Saved sessions", "tab-saved")}
                            {tab_button(Tab::Risk, "Risk desk", "tab-risk")}
                            {tab_button(Tab::Automation, "Automation", "tab-automation")}
                        </div>
                        <div class="panel-body" role="tabpanel">
                            {move || match tab.get() {
                                Tab::Events => view! { <EventLog /> }.into_any(),
                                Tab::Market => view! { <MarketPanel /> }.into_any(),
                                Tab::Collateral => view! { <CollateralPanel /> }.into_any(),
                                Tab::Compare => view! { <ComparePanel /> }.into_any(),
                                Tab::Saved => view! { <SavedSessions /> }.into_any(),
                                Tab::Risk => view! { <RiskDesk /> }.into_any(),
                                Tab::Automation => view! { <AutomationPanel /> }.into_any(),
                            }}
                        </div>
                    </section>
                </div>
            </main>
            <footer class="footer muted small">
                "Margin Lab is a paper-trading sandbox: no real money, no advice. Presets imitate public parameters of the named systems and simplify them; see each preset's note. Recorded prices: "
                {crate::feed::replayed::SOURCE_CREDIT}
            </footer>
        </div>
    }
}
