use leptos::prelude::*;

use crate::lesson::builtin;
use crate::ui::lesson::panel::focus_step;
use crate::ui::lesson::progress;
use crate::ui::lesson::store::LessonStore;
use crate::ui::state::use_lab;

/// The built-in lessons with each one's stored progress: start, resume or restart.
#[component]
pub fn LessonList() -> impl IntoView {
    let lab = use_lab();
    let store = expect_context::<LessonStore>();
    let begin = move |id: &'static str, resume: bool| {
        if let Err(e) = store.begin_builtin(lab, id, resume) {
            lab.error(format!("The lesson could not start: {e}"));
        }
        focus_step();
    };
    view! {
        <nav class="lesson-list" aria-label="Lessons" data-testid="lesson-list">
            <ol>
                {builtin::all().into_iter().enumerate().map(|(i, b)| {
                    let id = b.id;
                    let n = b.lesson.steps.len();
                    let stored = progress::load(id).filter(|p| p.states.len() == n);
                    let status = match &stored {
                        None => "not started".to_string(),
                        Some(p) if p.step >= n => "finished".to_string(),
                        Some(p) => format!("at step {} of {n}", p.step + 1),
                    };
                    let started = stored.is_some();
                    view! {
                        <li data-testid=format!("lesson-item-{id}")>
                            <div class="grow">
                                <strong>{format!("{}. {}", i + 1, b.lesson.title)}</strong>
                                <span class="muted small">{format!(" · {n} steps · {status}")}</span>
                                <br />
                                <span class="muted small">{b.lesson.summary.clone()}</span>
                            </div>
                            <button class="btn primary small" data-testid=format!("lesson-start-{id}")
                                aria-label=format!("{} lesson {}: {}", if started { "Resume" } else { "Start" }, i + 1, b.lesson.title)
                                on:click=move |_| begin(id, true)>{if started { "Resume" } else { "Start" }}</button>
                            {started.then(|| view! {
                                <button class="btn small" data-testid=format!("lesson-restart-{id}")
                                    aria-label=format!("Restart lesson {}", i + 1)
                                    on:click=move |_| { progress::forget(id); begin(id, false); }>"Restart"</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </nav>
    }
}
