use leptos::prelude::*;

use crate::engine::explain::{events_csv, events_json, Category};
use crate::engine::{AccountId, Event};
use crate::ui::state::use_lab;
use crate::ui::util::{download::download_text, format};

/// Rows shown at once (newest first); exports always hold every matching event.
const SHOWN: usize = 300;

#[component]
pub fn EventLog() -> impl IntoView {
    let lab = use_lab();
    // Prices and interest are every tick: off by default so the log reads like a story.
    let enabled = RwSignal::new(vec![
        Category::Account,
        Category::Trade,
        Category::Liquidation,
        Category::Alert,
        Category::Automation,
    ]);
    // With a crowd, the learner's own events first (the crowd's are in the Market tab as
    // aggregates; they stay in the log and the hash, one click away).
    let crowd = lab
        .with_untracked(|s| s.script().scenario.population().map(|p| p.count))
        .flatten()
        .unwrap_or(0);
    let mine_only = RwSignal::new(crowd > 0);
    let search = RwSignal::new(String::new());

    let keep = move |e: &Event, cats: &[Category], mine: bool, needle: &str| {
        cats.contains(&e.kind.category())
            && (!mine || e.kind.account() == Some(AccountId::USER))
            && (needle.is_empty() || e.describe().to_lowercase().contains(needle))
    };
    // The count changes every tick; the rows shown rarely do. Two memos, so playback re-renders
    // the count and leaves the list alone until a row changes.
    let total = Memo::new(move |_| lab.with(|s| s.engine().events().len()).unwrap_or(0));
    let rows = Memo::new(move |_| {
        let cats = enabled.get();
        let mine = mine_only.get();
        let needle = search.get().to_lowercase();
        lab.with(|s| {
            s.engine()
                .events()
                .iter()
                .rev()
                .filter(|e| keep(e, &cats, mine, &needle))
                .take(SHOWN)
                .map(|e| {
                    (
                        e.seq,
                        e.time,
                        e.kind.category(),
                        e.describe(),
                        e.kind.is_liquidation_of(AccountId::USER),
                    )
                })
                .collect::<Vec<(u64, i64, Category, String, bool)>>()
        })
        .unwrap_or_default()
    });
    let export = move |json: bool| {
        let cats = enabled.get_untracked();
        let mine = mine_only.get_untracked();
        let needle = search.get_untracked().to_lowercase();
        let text = lab.with_untracked(|s| {
            let filtered = s
                .engine()
                .events()
                .iter()
                .filter(|e| keep(e, &cats, mine, &needle));
            if json {
                events_json(filtered)
            } else {
                events_csv(filtered)
            }
        });
        let Some(text) = text else {
            return lab.error("Start a scenario first.");
        };
        let (name, mime) = if json {
            ("margin-lab-events.json", "application/json")
        } else {
            ("margin-lab-events.csv", "text/csv")
        };
        if let Err(e) = download_text(name, mime, &text) {
            lab.error(e);
        }
    };

    view! {
        <div class="eventlog">
            <div class="row wrap filters" role="group" aria-label="Filter events">
                {Category::ALL.into_iter().map(|c| view! {
                    <label class="chip">
                        <input type="checkbox" prop:checked=move || enabled.get().contains(&c)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                enabled.update(|v| { v.retain(|x| *x != c); if on { v.push(c); } });
                            } />
                        {c.name()}
                    </label>
                }).collect_view()}
                <label class="chip"><input type="checkbox" prop:checked=mine_only on:change=move |ev| mine_only.set(event_target_checked(&ev)) />"Only my account"</label>
                <input type="search" placeholder="Search" aria-label="Search events" prop:value=search on:input=move |ev| search.set(event_target_value(&ev)) />
                <button class="btn small" data-testid="export-csv" on:click=move |_| export(false)>"Export CSV"</button>
                <button class="btn small" data-testid="export-json" on:click=move |_| export(true)>"Export JSON"</button>
            </div>
            <p class="muted small">{move || format!("{} events in the log; showing the newest {} that match.", total.get(), rows.with(Vec::len))}</p>
            {(crowd > 0).then(|| view! {
                <p class="muted small" data-testid="crowd-events-note">{format!("The {crowd} other borrowers' events are in the log and its hash too; the Market tab shows them as totals. Untick “Only my account” to list them.")}</p>
            })}
            <ol class="events" data-testid="event-list" reversed tabindex="0" aria-label="Events, newest first">
                {move || rows.get().into_iter().map(|(seq, time, cat, text, mine_liq)| view! {
                    <li class=format!("ev cat-{:?}", cat).to_lowercase() class:highlight=mine_liq>
                        <span class="mono muted">{format!("#{seq}")}</span>
                        <span class="mono muted">{format::time(time)}</span>
                        <span>{text}</span>
                    </li>
                }).collect_view()}
            </ol>
        </div>
    }
}
