use leptos::prelude::*;

use crate::lesson::{Lesson, Question, Region, Step};
use crate::ui::lesson::panel::focus_step;
use crate::ui::lesson::store::{open_lesson_link, LessonStore, Source};
use crate::ui::state::use_lab;
use crate::ui::util::download::download_text;
use crate::ui::util::upload::{picked_file, read_bytes};

/// Largest lesson file read (a lesson link is at most 32 KB of text).
const MAX_FILE_BYTES: usize = 64 * 1024;

/// The file form of a lesson: its link text in a small JSON object.
#[derive(serde::Serialize, serde::Deserialize)]
struct LessonFile {
    kind: String,
    link: String,
}

/// Where an educator writes a lesson on the session they recorded: steps of text, a highlight
/// and a question at ticks; a preview; a link and a file to share it.
#[component]
pub fn LessonEditor() -> impl IntoView {
    let lab = use_lab();
    let store = expect_context::<LessonStore>();
    let title = RwSignal::new(String::new());
    let steps: RwSignal<Vec<Step>> = RwSignal::new(Vec::new());
    let text = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let prompt = RwSignal::new(String::new());
    let choices = RwSignal::new(String::new());
    let answer = RwSignal::new("1".to_string());
    let explain = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());

    let build = move || -> Result<Lesson, String> {
        let script = lab
            .with_untracked(|s| {
                if s.is_imported() {
                    Err(
                        "This session runs on imported prices: a lesson link cannot carry them."
                            .to_string(),
                    )
                } else {
                    Ok(s.script().clone())
                }
            })
            .unwrap_or_else(|| Err("Start a scenario and record your actions first.".into()))?;
        let lesson = Lesson {
            title: title.get_untracked().trim().to_string(),
            summary: "Written in Margin Lab's lesson editor.".into(),
            script,
            steps: steps.get_untracked(),
        };
        lesson
            .validate()
            .map_err(|e| format!("The lesson is not ready: {e}."))?;
        Ok(lesson)
    };
    let add = move |_| {
        let Some(tick) = lab.with_untracked(|s| s.tick() as u32) else {
            return lab.error("Start a scenario first: a step is placed at the tick shown.");
        };
        let question = if prompt.get_untracked().trim().is_empty() {
            None
        } else {
            let list: Vec<String> = choices
                .get_untracked()
                .lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect();
            let Ok(n) = answer.get_untracked().trim().parse::<u8>() else {
                return lab.error("The right choice is a number: 1 for the first line.");
            };
            if n == 0 || usize::from(n) > list.len() {
                return lab.error(
                    "The right choice must be the number of one of the choices (one per line).",
                );
            }
            Some(Question {
                prompt: prompt.get_untracked().trim().to_string(),
                choices: list,
                answer: n - 1,
                explain: explain.get_untracked().trim().to_string(),
            })
        };
        let step = Step {
            text: text.get_untracked().trim().to_string(),
            highlight: Region::from_key(&region.get_untracked()),
            question,
            play_to: Some(tick),
            ..Step::default()
        };
        if step.text.is_empty() {
            return lab.error("Write the step's text first.");
        }
        steps.update(|all| {
            all.push(step);
            all.sort_by_key(|s| s.play_to);
        });
        text.set(String::new());
        prompt.set(String::new());
        choices.set(String::new());
        explain.set(String::new());
        lab.info(format!("Step added at tick {tick}."));
    };
    let preview = move |_| match build() {
        Ok(lesson) => {
            if let Err(e) = store.begin(lab, Source::Preview, lesson, false) {
                lab.error(e);
            }
            focus_step();
        }
        Err(e) => lab.error(e),
    };
    let share = move |_| match build() {
        Ok(lesson) => {
            let l = lesson.to_link();
            lab.info(format!(
                "Lesson link made ({} characters). Anyone who opens it follows your lesson.",
                l.len()
            ));
            if let Some(w) = web_sys::window() {
                let url = w
                    .location()
                    .href()
                    .ok()
                    .map(|h| h.split('#').next().unwrap_or_default().to_string())
                    .unwrap_or_default();
                let _ = w.navigator().clipboard().write_text(&format!("{url}#{l}"));
                link.set(format!("{url}#{l}"));
            }
        }
        Err(e) => lab.error(e),
    };
    let export = move |_| match build() {
        Ok(lesson) => {
            let file = LessonFile {
                kind: "margin-lab-lesson".into(),
                link: lesson.to_link(),
            };
            match serde_json::to_string_pretty(&file) {
                Ok(json) => {
                    if let Err(e) = download_text("lesson.json", "application/json", &json) {
                        lab.error(e);
                    }
                }
                Err(e) => lab.error(e.to_string()),
            }
        }
        Err(e) => lab.error(e),
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(file) = picked_file(&ev) else { return };
        leptos::task::spawn_local(async move {
            let bytes = match read_bytes(&file, MAX_FILE_BYTES).await {
                Ok(b) => b,
                Err(e) => return lab.error(e),
            };
            let text = String::from_utf8_lossy(&bytes).to_string();
            let link = serde_json::from_str::<LessonFile>(&text)
                .map(|f| f.link)
                .unwrap_or_else(|_| text.trim().to_string());
            if let Err(e) = open_lesson_link(lab, store, &link) {
                lab.error(e);
            } else {
                focus_step();
            }
        });
    };

    view! {
        <section class="lesson-editor panel" aria-labelledby="lesson-editor-title" data-testid="lesson-editor">
            <h2 class="panel-title" id="lesson-editor-title">"Write a lesson"</h2>
            <p class="muted small">"Start a scenario and act as you want your learners to see it (your actions are recorded). Then, at each tick worth a stop, write a step. Text may use **bold**, *emphasis* and lines starting with \"- \" for lists."</p>
            <div class="field">
                <label for="le-title">"Title"</label>
                <input id="le-title" data-testid="le-title" maxlength="80" prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="le-text">"Step text"</label>
                <textarea id="le-text" data-testid="le-text" rows="3" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
            <div class="row wrap">
                <div class="field">
                    <label for="le-region">"Highlight"</label>
                    <select id="le-region" data-testid="le-region" on:change=move |ev| region.set(event_target_value(&ev))>
                        <option value="" selected=true>"nothing"</option>
                        {Region::ALL.into_iter().map(|r| view! { <option value=r.key()>{r.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field grow">
                    <label for="le-prompt">"Question (optional)"</label>
                    <input id="le-prompt" data-testid="le-prompt" prop:value=prompt on:input=move |ev| prompt.set(event_target_value(&ev)) />
                </div>
            </div>
            <div class="row wrap">
                <div class="field grow">
                    <label for="le-choices">"Choices, one per line"</label>
                    <textarea id="le-choices" data-testid="le-choices" rows="3" prop:value=choices on:input=move |ev| choices.set(event_target_value(&ev))></textarea>
                </div>
                <div class="field narrow">
                    <label for="le-answer">"Right choice (line number)"</label>
                    <input id="le-answer" data-testid="le-answer" inputmode="numeric" prop:value=answer on:input=move |ev| answer.set(event_target_value(&ev)) />
                </div>
                <div class="field grow">
                    <label for="le-explain">"Explanation after the answer"</label>
                    <textarea id="le-explain" data-testid="le-explain" rows="3" prop:value=explain on:input=move |ev| explain.set(event_target_value(&ev))></textarea>
                </div>
            </div>
            <div class="row wrap">
                <button class="btn" data-testid="le-add" on:click=add>
                    {move || format!("Add step at tick {}", lab.with(|s| s.tick()).unwrap_or(0))}
                </button>
                <button class="btn" data-testid="le-preview" on:click=preview>"Preview"</button>
                <button class="btn primary" data-testid="le-share" on:click=share>"Make link"</button>
                <button class="btn" data-testid="le-export" on:click=export>"Export file"</button>
                <label class="btn file">"Import file…"
                    <input type="file" accept=".json,application/json,text/plain" class="visually-hidden" data-testid="le-import" on:change=import />
                </label>
            </div>
            <ol class="small" data-testid="le-steps">
                {move || steps.get().into_iter().enumerate().map(|(i, s)| view! {
                    <li>
                        {format!("tick {}: ", s.play_to.unwrap_or(0))}
                        <span>{crate::lesson::markup::plain(&s.text)}</span>
                        {s.question.as_ref().map(|q| format!(" — asks: {}", q.prompt))}
                        " "
                        <button class="btn ghost small" aria-label=format!("Remove step {}", i + 1) on:click=move |_| steps.update(|all| { all.remove(i); })>"✕"</button>
                    </li>
                }).collect_view()}
            </ol>
            <Show when=move || !link.get().is_empty()>
                <label class="field">"Lesson link"
                    <input readonly=true data-testid="le-link" prop:value=link />
                </label>
            </Show>
        </section>
    }
}
