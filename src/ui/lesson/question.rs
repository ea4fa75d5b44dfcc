use leptos::prelude::*;

use crate::lesson::Question;
use crate::ui::lesson::markup::Markup;
use crate::ui::lesson::store::LessonStore;
use crate::ui::state::use_lab;

/// A prediction: one button per choice (a group with its prompt as the name); once answered, the
/// choices are marked right and wrong and the explanation is shown.
#[component]
pub fn QuestionView(question: Question, answer: Option<u8>) -> impl IntoView {
    let lab = use_lab();
    let store = expect_context::<LessonStore>();
    let right = question.answer;
    let choose = move |i: u8| {
        if let Some(Err(e)) = store.update(lab, |run, s| run.answer(s, i)) {
            lab.error(e);
        }
        // The choices are redrawn: the keyboard focus goes on to the explanation.
        request_animation_frame(|| {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| {
                    d.query_selector("[data-testid=lesson-explain]")
                        .ok()
                        .flatten()
                })
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = el.focus();
            }
        });
    };
    let choices = question
        .choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let i = i as u8;
            let class = match answer {
                None => "btn choice",
                Some(_) if i == right => "btn choice right",
                Some(a) if a == i => "btn choice wrong",
                Some(_) => "btn choice",
            };
            let mark = match answer {
                Some(_) if i == right => "✓ ",
                Some(a) if a == i => "✗ ",
                _ => "",
            };
            view! {
                <button class=class data-testid=format!("lesson-choice-{i}") disabled=answer.is_some()
                    aria-pressed=(answer == Some(i)).to_string() on:click=move |_| choose(i)>
                    {mark}{c.clone()}
                </button>
            }
        })
        .collect_view();
    let verdict = answer.map(|a| {
        let (class, text) = if a == right {
            ("lesson-verdict ok", "Right.")
        } else {
            ("lesson-verdict wrong", "Not quite.")
        };
        view! {
            <div class=class data-testid="lesson-explain" role="status" tabindex="-1">
                <p><strong>{text}</strong></p>
                <Markup text=question.explain.clone() />
            </div>
        }
    });
    view! {
        <div class="lesson-question" role="group" aria-labelledby="lesson-prompt" data-testid="lesson-question">
            <p class="lesson-prompt" id="lesson-prompt"><strong>"Predict: "</strong>{question.prompt.clone()}</p>
            <div class="lesson-choices">{choices}</div>
            {verdict}
        </div>
    }
}
