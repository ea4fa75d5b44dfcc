use leptos::prelude::*;

use crate::engine::explain::{events_csv, events_json, Category};
use crate::engine::{AccountId, Event};
use crate::ui::state::use_lab;
use crate::ui::util::{download::download_text, format};

/// Rows shown at once (newest first); exports always hold every matching event.
const SHOWN: usize = 300;

/// One row of the list.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    seq: u64,
    time: i64,
    category: Category,
    text: String,
    mine_liquidated: bool,
}

/// The rows as of the log's first `len` events under `filter` (categories, the learner's only,
/// the search, the session's series revision: it changes when the log is cut back or branches).
struct Scan {
    filter: (Vec<Category>, bool, String, u64),
    len: usize,
    /// The last event read (`seq`, time): a log that is not an extension of what was read
    /// differs there.
    last: Option<(u64, i64)>,
    rows: Vec<Row>,
}

impl Scan {
    /// Whether `events` begins with what was read.
    fn still_prefix_of(&self, events: &[Event]) -> bool {
        self.len <= events.len()
            && self
                .len
                .checked_sub(1)
                .map(|i| (events[i].seq, events[i].time))
                == self.last
    }
}

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
    // aggregates; they stay in the log and the hash, one click away). The log outlives sessions:
    // opening one with a crowd ticks the filter, one without unticks it.
    let crowd = Memo::new(move |_| {
        lab.with(|s| s.script().scenario.population().map(|p| p.count))
            .flatten()
            .unwrap_or(0)
    });
    let mine_only = RwSignal::new(crowd.get_untracked() > 0);
    Effect::new(move |_| mine_only.set(crowd.get() > 0));
    let search = RwSignal::new(String::new());

    let keep = move |e: &Event, cats: &[Category], mine: bool, needle: &str| {
        cats.contains(&e.kind.category())
            && (!mine || e.kind.account() == Some(AccountId::USER))
            && (needle.is_empty() || e.describe().to_lowercase().contains(needle))
    };
    // The count changes every tick; the rows shown rarely do. Two memos, so playback re-renders
    // the count and leaves the list alone until a row changes.
    let total = Memo::new(move |_| lab.with(|s| s.engine().events().len()).unwrap_or(0));
    // The rows are kept between redraws with how far the log was read: while the log only grows
    // (playback), a redraw reads the events appended since, not the whole log again (with the
    // learner's events only, that was every event of a long crowd session at every frame).
    let scanned: StoredValue<Option<Scan>, LocalStorage> = StoredValue::new_local(None);
    let rows = Memo::new(move |_| {
        let cats = enabled.get();
        let mine = mine_only.get();
        let needle = search.get().to_lowercase();
        lab.with(|s| {
            let events = s.engine().events();
            let filter = (cats.clone(), mine, needle.clone(), s.series().revision);
            let row = |e: &Event| Row {
                seq: e.seq,
                time: e.time,
                category: e.kind.category(),
                text: e.describe(),
                mine_liquidated: e.kind.is_liquidation_of(AccountId::USER),
            };
            scanned.update_value(|cache| {
                let from = cache
                    .as_ref()
                    .filter(|c| c.filter == filter && c.still_prefix_of(events))
                    .map_or(0, |c| c.len);
                let mut fresh: Vec<Row> = events[from..]
                    .iter()
                    .rev()
                    .filter(|e| keep(e, &cats, mine, &needle))
                    .take(SHOWN)
                    .map(row)
                    .collect();
                if from > 0 {
                    if let Some(old) = cache.take() {
                        let room = SHOWN - fresh.len();
                        fresh.extend(old.rows.into_iter().take(room));
                    }
                }
                *cache = Some(Scan {
                    filter,
                    len: events.len(),
                    last: events.last().map(|e| (e.seq, e.time)),
                    rows: fresh,
                });
            });
            scanned.with_value(|c| c.as_ref().map(|c| c.rows.clone()).unwrap_or_default())
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
            {move || (crowd.get() > 0).then(|| view! {
                <p class="muted small" data-testid="crowd-events-note">{format!("The {} other borrowers' events are in the log and its hash too; the Market tab shows them as totals. Untick “Only my account” to list them.", crowd.get())}</p>
            })}
            <ol class="events" data-testid="event-list" reversed tabindex="0" aria-label="Events, newest first">
                {move || rows.get().into_iter().map(|r| view! {
                    <li class=format!("ev cat-{:?}", r.category).to_lowercase() class:highlight=r.mine_liquidated>
                        <span class="mono muted">{format!("#{}", r.seq)}</span>
                        <span class="mono muted">{format::time(r.time)}</span>
                        <span>{r.text}</span>
                    </li>
                }).collect_view()}
            </ol>
        </div>
    }
}
