use leptos::prelude::*;

use crate::lesson::TaskState;
use crate::ui::lesson::highlight;
use crate::ui::lesson::markup::Markup;
use crate::ui::lesson::question::QuestionView;
use crate::ui::lesson::store::{LessonStore, Source};
use crate::ui::lesson::summary::LessonSummary;
use crate::ui::state::use_lab;

/// Moves the keyboard focus to the step just shown (after Next, Back or a jump), so a keyboard
/// user reads on from there.
pub fn focus_step() {
    request_animation_frame(|| {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("[data-testid=lesson-step]").ok().flatten())
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = el.focus();
        }
    });
}

/// The lesson in progress: its step's text, question, task and the way on.
#[component]
pub fn LessonPanel() -> impl IntoView {
    let lab = use_lab();
    let store = expect_context::<LessonStore>();
    Effect::new(move |_| {
        let region = store
            .with(|_, run| run.current().and_then(|s| s.highlight))
            .flatten();
        // After the page has drawn the regions the step points at.
        request_animation_frame(move || highlight::show(region));
    });
    let title = move || {
        store
            .with(|_, r| r.lesson.title.clone())
            .unwrap_or_default()
    };
    let shared = move || {
        store
            .with(|s, _| matches!(s, Source::Shared { .. }))
            .unwrap_or(false)
    };
    let count = move || store.with(|_, r| r.lesson.steps.len()).unwrap_or(0);
    let step_no = move || store.with(|_, r| r.step).unwrap_or(0);
    let go = move |target: usize| {
        if let Err(e) = store.jump(lab, target) {
            lab.error(e);
        }
        focus_step();
    };
    let next = move |_| {
        if let Some(Err(e)) = store.update(lab, |run, s| run.next(s)) {
            lab.error(e);
        }
        focus_step();
    };
    let do_it = move |_| {
        if let Some(Err(e)) = store.update(lab, |run, s| run.do_for_me(s)) {
            lab.error(e);
        }
        focus_step();
    };
    // Space is the timeline's play shortcut; inside the lesson it presses the focused button.
    let keep_space = |e: leptos::ev::KeyboardEvent| {
        if e.key() == " " {
            e.stop_propagation();
        }
    };

    let body = move || {
        let (step, state, at_end, notes, can) = store.with(|_, run| {
            (
                run.current().cloned(),
                run.states.get(run.step).copied().unwrap_or_default(),
                run.at_end(),
                run.notes.clone(),
                run.can_advance(),
            )
        })?;
        // A session started some other way (Start, a session link, a saved session) is not the
        // lesson's: its steps would act on prices and rules it was not written for.
        let ours = store.with(|_, r| r.lesson.script.scenario.clone());
        let shown = lab.with(|s| s.script().scenario.clone());
        if ours != shown {
            let here = step_no();
            return Some(
                view! {
                    <div class="lesson-step" data-testid="lesson-foreign" tabindex="-1">
                        <p>"Another session replaced the lesson's. The lesson is paused; its progress is kept."</p>
                        <div class="row">
                            <button class="btn primary" data-testid="lesson-return" on:click=move |_| go(here)>"Back to the lesson"</button>
                            <button class="btn" data-testid="lesson-foreign-leave" on:click=move |_| store.leave()>"Leave the lesson"</button>
                        </div>
                    </div>
                }
                .into_any(),
            );
        }
        if at_end {
            return Some(view! { <LessonSummary /> }.into_any());
        }
        let step = step?;
        let met = lab
            .with(|s| store.with(|_, run| run.task_met(s)).unwrap_or(false))
            .unwrap_or(false);
        let last = step_no() + 1 == count();
        let task = step.task.clone().map(|t| {
            let done = met || state.task != TaskState::Open;
            let has_hint = t.hint.is_some();
            view! {
                <div class=if done { "lesson-task done" } else { "lesson-task" } data-testid="lesson-task">
                    <p>
                        <strong>"Your turn: "</strong>{t.goal.describe()}"."
                        <span class="lesson-task-state" data-testid="lesson-task-state">
                            {if done { " ✓ Done." } else { " Waiting for you…" }}
                        </span>
                    </p>
                    <Show when=move || has_hint && !done>
                        <button class="btn small" data-testid="lesson-do-it" on:click=do_it>"Do it for me"</button>
                    </Show>
                </div>
            }
        });
        let question = step
            .question
            .clone()
            .map(|q| view! { <QuestionView question=q answer=state.answer /> });
        let highlight = step.highlight.map(|r| {
            view! { <p class="muted small" data-testid="lesson-look">"Look at " {r.label()} " (outlined)."</p> }
        });
        let next_label = match (
            last,
            step.task.is_some() && !met && state.task == TaskState::Open,
        ) {
            (true, _) => "Finish",
            (false, true) => "Skip and go on",
            (false, false) => "Next",
        };
        Some(
            view! {
                <div class="lesson-step" data-testid="lesson-step" tabindex="-1">
                    <Markup text=step.text.clone() />
                    {highlight}
                    {question}
                    {task}
                    {notes.into_iter().map(|n| view! { <p class="rejection" data-testid="lesson-note">{n}</p> }).collect_view()}
                </div>
                <div class="lesson-nav row">
                    <button class="btn" data-testid="lesson-back" disabled=step_no() == 0 on:click=move |_| go(step_no().saturating_sub(1))>"Back"</button>
                    <button class="btn primary" data-testid="lesson-next" disabled=!can on:click=next>{next_label}</button>
                    {(!can).then(|| view! { <span class="muted small">"Answer the question to go on."</span> })}
                </div>
            }
            .into_any(),
        )
    };

    view! {
        <section class="lesson panel" aria-labelledby="lesson-title" data-testid="lesson" on:keydown=keep_space>
            <div class="lesson-head row wrap">
                <h2 class="panel-title" id="lesson-title">"Lesson: " {title}</h2>
                <span class="badge" data-testid="lesson-progress">
                    {move || if step_no() >= count() { "Summary".to_string() } else { format!("Step {} of {}", step_no() + 1, count()) }}
                </span>
                <label class="inline small">"Go to step "
                    <select data-testid="lesson-jump" on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<usize>() { go(n); }
                    }>
                        {move || (0..=count()).map(|i| {
                            let label = if i == count() { "Summary".to_string() } else { (i + 1).to_string() };
                            view! { <option value=i.to_string() selected=i == step_no()>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <button class="btn small" data-testid="lesson-restart" on:click=move |_| {
                    if let Err(e) = store.restart(lab) { lab.error(e); }
                    focus_step();
                }>"Restart"</button>
                <button class="btn small ghost" data-testid="lesson-leave" on:click=move |_| store.leave()>"Leave the lesson"</button>
            </div>
            {move || shared().then(|| view! {
                <p class="muted small" data-testid="lesson-untrusted">"This lesson came from a link or a file: its text was written by whoever made it, not by Margin Lab."</p>
            })}
            {body}
        </section>
    }
}
