use leptos::prelude::*;

use crate::ui::lesson::store::LessonStore;
use crate::ui::state::use_lab;

/// The end of a lesson: what the learner answered and did, beside what the lesson expected.
#[component]
pub fn LessonSummary() -> impl IntoView {
    let lab = use_lab();
    let store = expect_context::<LessonStore>();
    let lines = store.with(|_, run| run.summary()).unwrap_or_default();
    let right = lines.iter().filter(|l| l.ok).count();
    let total = lines.len();
    view! {
        <div class="lesson-summary lesson-step" data-testid="lesson-summary" tabindex="-1">
            <p><strong>"Lesson complete."</strong>" " {format!("{right} of {total} as the lesson expected.")}</p>
            <table class="kv">
                <caption class="visually-hidden">"What you answered and did, and what the lesson expected"</caption>
                <thead><tr><th scope="col">"Step"</th><th scope="col">"Question or task"</th><th scope="col">"Expected"</th><th scope="col">"You"</th><th scope="col">""<span class="visually-hidden">"Match"</span></th></tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr data-testid="lesson-summary-row" class=if l.ok { "ok" } else { "miss" }>
                            <td class="num">{l.step}</td>
                            <td>{l.what}</td>
                            <td>{l.expected}</td>
                            <td>{l.got}</td>
                            <td>{if l.ok { "✓" } else { "✗" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="row">
                <button class="btn" data-testid="lesson-summary-restart" on:click=move |_| { if let Err(e) = store.restart(lab) { lab.error(e); } }>"Restart"</button>
                <button class="btn primary" data-testid="lesson-summary-list" on:click=move |_| { store.leave(); store.list_open.set(true); }>"Back to the lessons"</button>
            </div>
        </div>
    }
}
