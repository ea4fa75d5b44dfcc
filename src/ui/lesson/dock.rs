use leptos::prelude::*;

use crate::lesson::builtin;
use crate::ui::lesson::editor::LessonEditor;
use crate::ui::lesson::list::LessonList;
use crate::ui::lesson::panel::{focus_step, LessonPanel};
use crate::ui::lesson::progress;
use crate::ui::lesson::store::LessonStore;
use crate::ui::state::use_lab;

/// The lessons' place in the page, between the status bar and the workspace: the lesson in
/// progress, or the way to the lessons (and, on a first visit, an offer of the first one).
#[component]
pub fn LessonDock() -> impl IntoView {
    let lab = use_lab();
    let store = expect_context::<LessonStore>();
    // A first visit (nothing opened from a link either) offers lesson 1.
    let offer = RwSignal::new(!progress::visited() && !lab.has_session());
    let first_id = builtin::all().first().map(|b| b.id).unwrap_or_default();
    let first_title = move || {
        builtin::by_id(first_id)
            .map(|b| b.lesson.title)
            .unwrap_or_default()
    };
    let start_first = move |_| {
        offer.set(false);
        if let Err(e) = store.begin_builtin(lab, first_id, true) {
            lab.error(format!("The lesson could not start: {e}"));
        }
        focus_step();
    };
    let count = builtin::all().len();
    view! {
        <div class="lesson-dock" id="lessons">
            {move || if store.active() {
                view! { <LessonPanel /> }.into_any()
            } else {
                view! {
                    <div class="lesson-bar row wrap">
                        <Show when=move || offer.get()>
                            <div class="lesson-offer row wrap" role="region" aria-label="First visit" data-testid="lesson-offer">
                                <span>"New here? Lesson 1 takes a few minutes: " <strong>{first_title()}</strong> "."</span>
                                <button class="btn primary small" data-testid="lesson-offer-start" on:click=start_first>"Start lesson 1"</button>
                                <button class="btn small ghost" data-testid="lesson-offer-dismiss" on:click=move |_| { offer.set(false); progress::mark_visited(); }>"No thanks"</button>
                            </div>
                        </Show>
                        <button class="btn small" data-testid="lessons-toggle" aria-expanded=move || store.list_open.get().to_string()
                            on:click=move |_| store.list_open.update(|o| *o = !*o)>{format!("Lessons ({count})")}</button>
                        <button class="btn small" data-testid="lesson-editor-toggle" aria-expanded=move || store.editor_open.get().to_string()
                            on:click=move |_| store.editor_open.update(|o| *o = !*o)>"Write a lesson"</button>
                    </div>
                    <Show when=move || store.list_open.get()>
                        <LessonList />
                    </Show>
                }.into_any()
            }}
            <Show when=move || store.editor_open.get()>
                <LessonEditor />
            </Show>
        </div>
    }
}
