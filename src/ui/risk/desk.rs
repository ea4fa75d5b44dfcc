use leptos::prelude::*;

use super::credit_panel::CreditPanel;
use super::report::ReportPage;
use super::reverse_panel::ReversePanel;
use super::store::use_risk;
use super::stress_panel::StressPanel;
use super::var_panel::VarPanel;
use crate::ui::state::use_lab;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Var,
    Stress,
    Reverse,
    Credit,
    Report,
}

/// The risk desk tab: value at risk, stress tests, reverse stress, credit tier and the report.
#[component]
pub fn RiskDesk() -> impl IntoView {
    let lab = use_lab();
    let store = use_risk();
    let section = RwSignal::new(Section::Var);
    let button = move |s: Section, label: &'static str, id: &'static str| {
        view! {
            <button role="tab" class="tab" aria-selected=move || (section.get() == s).to_string() data-testid=id on:click=move |_| section.set(s)>{label}</button>
        }
    };
    view! {
        <div class="risk-desk" data-testid="risk-desk">
            <Show when=move || lab.has_session() fallback=|| view! { <p class="muted">"Start a scenario to use the risk desk."</p> }>
                <div class="tabs subtabs" role="tablist">
                    {button(Section::Var, "Value at risk", "risk-tab-var")}
                    {button(Section::Stress, "Stress tests", "risk-tab-stress")}
                    {button(Section::Reverse, "Reverse stress", "risk-tab-reverse")}
                    {button(Section::Credit, "Credit tier", "risk-tab-credit")}
                    {button(Section::Report, "Report", "risk-tab-report")}
                </div>
                <div class="risk-body">
                    {move || match section.get() {
                        Section::Var => view! { <VarPanel /> }.into_any(),
                        Section::Stress => view! { <StressPanel /> }.into_any(),
                        Section::Reverse => view! { <ReversePanel /> }.into_any(),
                        Section::Credit => view! { <CreditPanel /> }.into_any(),
                        Section::Report => view! {
                            <div>
                                <p class="small">"One page with the valuation (haircuts), limits, the value at risk and stress results computed at this tick, the credit tier's history and the audit trail of your account — to print or save as JSON."</p>
                                <button class="btn primary" data-testid="risk-open-report" on:click=move |_| store.report_open.set(true)>"Open the risk report"</button>
                            </div>
                        }.into_any(),
                    }}
                </div>
            </Show>
            <ReportPage />
        </div>
    }
}
