use leptos::ev;
use leptos::prelude::*;

use crate::ui::state::{use_lab, Lab};
use crate::ui::util::format;
use crate::ui::util::playback::{now_ms, use_playback, Speed};

/// Steps `n` ticks and re-renders; returns how many were stepped. A learner liquidation pauses
/// (if asked) and opens the explainer on it.
pub fn step_ticks(lab: Lab, n: usize) -> usize {
    let stepped = step_quietly(lab, n, None).unwrap_or(0);
    lab.publish();
    stepped
}

/// [`step_ticks`] without re-rendering the session's views (playback publishes once per frame).
/// With a `deadline` (`performance.now()`, ms) a tick's liquidation checks pause there and the
/// tick goes on at the next call (`Session::advance_within`). `None` when playback must stop (the
/// end of the feed, a pause on the learner's liquidation, an error), otherwise how many ticks
/// ended.
fn step_quietly(lab: Lab, n: usize, deadline: Option<f64>) -> Option<usize> {
    let pause = lab.pause_on_liquidation.get_untracked();
    let result = lab.update_quietly(|s| match deadline {
        Some(at) => s.advance_within(n, pause, &mut || now_ms() >= at),
        None => s.advance(n, pause),
    })?;
    match result {
        Ok(adv) => {
            if let Some(seq) = adv.user_liquidation {
                lab.explained.set(Some(seq));
            }
            if adv.user_liquidated && pause {
                lab.info(
                    "Paused: your account was liquidated. The explanation is below the chart.",
                );
                return None;
            }
            (adv.mid_tick || adv.out_of_time || adv.stepped >= n).then_some(adv.stepped)
        }
        Err(e) => {
            lab.error(e);
            None
        }
    }
}

fn seek(lab: Lab, tick: usize) {
    lab.playing.set(false);
    if let Some(Err(e)) = lab.update(|s| s.seek(tick)) {
        lab.error(e);
    }
}

/// The transport bar under the chart.
#[component]
pub fn Timeline() -> impl IntoView {
    let lab = use_lab();
    use_playback(
        lab.playing,
        lab.speed.into(),
        move |n, deadline| step_quietly(lab, n, Some(deadline)),
        move || lab.publish(),
    );
    // A pause can leave a tick part-way: it ends now, reporting what it found.
    Effect::new(move |_| {
        if !lab.playing.get() && lab.mid_tick() {
            step_ticks(lab, 0);
        }
    });

    let handle = window_event_listener(ev::keydown, move |e| {
        // Shortcuts only when the focus is not in a text field.
        let typing = e
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if typing || !lab.has_session() {
            return;
        }
        match e.key().as_str() {
            " " => {
                e.prevent_default();
                lab.playing.update(|p| *p = !*p);
            }
            "ArrowRight" => {
                e.prevent_default();
                lab.playing.set(false);
                step_ticks(lab, if e.shift_key() { 10 } else { 1 });
            }
            "ArrowLeft" => {
                e.prevent_default();
                let back = if e.shift_key() { 10 } else { 1 };
                let tick = lab.with_untracked(|s| s.tick()).unwrap_or(0);
                seek(lab, tick.saturating_sub(back));
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());

    let tick = move || lab.with(|s| s.tick()).unwrap_or(0);
    let len = move || lab.with(|s| s.len()).unwrap_or(1);
    let time = move || lab.with(|s| format::time(s.time())).unwrap_or_default();
    let at_end = move || lab.with(|s| s.at_end()).unwrap_or(true);

    view! {
        <div class="timeline" role="group" aria-label="Playback">
            <button class="btn" data-testid="play" aria-keyshortcuts="Space"
                disabled=at_end
                on:click=move |_| lab.playing.update(|p| *p = !*p)>
                {move || if lab.playing.get() { "❚❚ Pause" } else { "▶ Play" }}
            </button>
            <button class="btn" data-testid="step" aria-keyshortcuts="ArrowRight" title="Step one tick (→; Shift+→ for 10)"
                disabled=at_end
                on:click=move |_| { lab.playing.set(false); step_ticks(lab, 1); }>
                "Step ›"
            </button>
            <label class="inline" for="speed">"Speed"</label>
            <select id="speed" data-testid="speed" on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some((s, _)) = Speed::CHOICES.iter().find(|(_, l)| *l == v) { lab.speed.set(*s); }
            }>
                {Speed::CHOICES.iter().map(|(s, l)| {
                    let s = *s;
                    view! { <option value=*l selected=move || lab.speed.get() == s>{*l}</option> }
                }).collect_view()}
            </select>
            <input type="range" class="scrub" data-testid="scrub" aria-label="Scrub to tick"
                min="0" max=move || len().saturating_sub(1) prop:value=tick
                on:change=move |ev| {
                    if let Ok(t) = event_target_value(&ev).parse::<usize>() { seek(lab, t); }
                } />
            <span class="mono tick-readout" data-testid="tick">{move || format!("tick {} / {}", tick(), len().saturating_sub(1))}</span>
            <span class="mono muted">{time}</span>
            <label class="inline">
                <input type="checkbox" data-testid="pause-on-liquidation"
                    prop:checked=lab.pause_on_liquidation
                    on:change=move |ev| lab.pause_on_liquidation.set(event_target_checked(&ev)) />
                " Pause on liquidation"
            </label>
        </div>
    }
}
