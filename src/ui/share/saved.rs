use leptos::prelude::*;

use super::link::{current_link, export_file, open_file_link};
use super::storage;
use crate::replay::file::SessionFile;
use crate::ui::state::use_lab;
use crate::ui::util::upload::{picked_file, read_bytes};

/// Save, open, delete, export and import sessions.
#[component]
pub fn SavedSessions() -> impl IntoView {
    let lab = use_lab();
    let refresh = RwSignal::new(0u32);
    let name = RwSignal::new(String::new());
    let listing = Memo::new(move |_| {
        refresh.track();
        storage::list()
    });

    let save = move |_| {
        let link = match current_link(lab) {
            Ok(l) => l,
            Err(e) => return lab.error(e),
        };
        match storage::save(&name.get_untracked(), &link) {
            Ok(()) => {
                lab.info(format!("Saved \"{}\".", name.get_untracked().trim()));
                refresh.update(|n| *n += 1);
            }
            Err(e) => lab.error(e),
        }
    };
    let export = move |_| export_file(lab, &name.get_untracked());
    let import = move |ev: leptos::ev::Event| {
        let Some(file) = picked_file(&ev) else { return };
        leptos::task::spawn_local(async move {
            let result = read_bytes(&file, crate::replay::file::MAX_FILE_BYTES)
                .await
                .and_then(|b| {
                    String::from_utf8(b).map_err(|_| "This file is not text.".to_string())
                })
                .and_then(|t| SessionFile::parse(&t))
                .and_then(|f| open_file_link(lab, &f.link));
            if let Err(e) = result {
                lab.error(e);
            }
        });
    };

    view! {
        <div class="saved" data-testid="saved-sessions">
            <div class="row">
                <input aria-label="Session name" placeholder="Session name" prop:value=name
                    on:input=move |ev| name.set(event_target_value(&ev)) data-testid="save-name" />
                <button class="btn" on:click=save data-testid="save-session">"Save"</button>
                <button class="btn" on:click=export data-testid="export-session">"Export file"</button>
                <label class="btn file">
                    "Import file"
                    <input type="file" accept=".json,application/json" class="visually-hidden" on:change=import data-testid="import-session" />
                </label>
            </div>
            <ul class="saved-list">
                {move || listing.get().1.into_iter().map(|msg| view! { <li class="warning small" role="status">{msg}</li> }).collect_view()}
                {move || listing.get().0.into_iter().map(|s| {
                    let link = s.link.clone();
                    let key = s.name.clone();
                    view! {
                        <li>
                            <span class="grow">{s.name.clone()}</span>
                            <button class="btn small" on:click=move |_| {
                                if let Err(e) = open_file_link(lab, &link) { lab.error(e); }
                            }>"Open"</button>
                            <button class="btn small ghost" aria-label=format!("Delete {}", s.name) on:click=move |_| {
                                storage::remove(&key);
                                refresh.update(|n| *n += 1);
                            }>"✕"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
