use leptos::prelude::*;

use super::protection::ProtectionRules;
use super::seed_test::SeedTest;
use super::strategy_editor::StrategyEditor;

/// The "Automation" tab: a strategy, protection rules, and the test across seeds.
#[component]
pub fn AutomationPanel() -> impl IntoView {
    view! {
        <div class="stack" data-testid="automation">
            <StrategyEditor />
            <ProtectionRules />
            <SeedTest />
        </div>
    }
}
