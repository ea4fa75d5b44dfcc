//! Playback: stepping ticks and drawing them are separate.
//!
//! The page is redrawn at most once per animation frame, however many ticks were stepped since
//! the last one (`publish`). At a set speed the ticks due are stepped in the frame itself. At Max
//! speed the session steps in short tasks between frames ([`SLICE_MS`] each, scheduled through a
//! `MessageChannel` so they follow each other without timer clamping): the browser answers input
//! and paints between them and no task comes near 50 ms. A redraw (the views' effects, style,
//! layout, paint) is measured as the time from the frame to the next stepping task, and at Max
//! speed the next redraw waits until stepping had [`MAX_SPEED_RENDER_SHARE`] times that long (and
//! at least [`MAX_SPEED_MIN_REDRAW_MS`]), so redrawing takes at most about a sixth of the time
//! however costly the page is — from the start of a run: the first redraw waits too, budgeted from
//! the cost the page measured last (`LAST_RENDER_COST`). Before, each batch of ticks re-rendered
//! every view, and rendering cost more than stepping (profiled in Chromium:
//! `e2e/bench/profile.mjs`).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// At a set speed, the stepping done inside one frame stops after this many milliseconds.
pub const FRAME_BUDGET_MS: f64 = 10.0;
/// At Max speed, one stepping task stops after this many milliseconds.
pub const SLICE_MS: f64 = 8.0;
/// At Max speed, stepping gets at least this many times the measured cost of a redraw between
/// two redraws.
pub const MAX_SPEED_RENDER_SHARE: f64 = 5.0;
/// At Max speed, redraws come at most this often (about 30 a second: a chart racing through years
/// needs no more, and each redraw also costs the compositor).
pub const MAX_SPEED_MIN_REDRAW_MS: f64 = 33.0;

/// Ticks per second, or as fast as the page can step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    PerSecond(f64),
    Max,
}

impl Speed {
    pub const CHOICES: [(Speed, &'static str); 6] = [
        (Speed::PerSecond(1.0), "1×"),
        (Speed::PerSecond(5.0), "5×"),
        (Speed::PerSecond(20.0), "20×"),
        (Speed::PerSecond(100.0), "100×"),
        (Speed::PerSecond(500.0), "500×"),
        (Speed::Max, "Max"),
    ];
}

thread_local! {
    /// The page's last measured redraw cost (ms): a new run budgets its first redraws from it
    /// instead of from zero (a run of a few hundred milliseconds is over before the measurement
    /// settles, and redrawing took half its time).
    static LAST_RENDER_COST: Cell<f64> = const { Cell::new(0.0) };
}

thread_local! {
    /// The page's `Performance` object, looked up once: playback reads the clock after every
    /// tick and every few liquidation re-checks.
    static PERFORMANCE: Option<web_sys::Performance> =
        web_sys::window().and_then(|w| w.performance());
}

/// `performance.now()` in milliseconds (0 where there is none).
pub(crate) fn now_ms() -> f64 {
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, |p| p.now()))
}

/// While `playing` is true: steps with `advance(n, deadline)` (up to `n` ticks without
/// redrawing, a tick's own work pausing at `deadline` — `performance.now()`, ms — to go on at the
/// next call; returns how many ticks ended, `None` to stop playback: the end of the feed, a pause
/// on a liquidation) and redraws with `publish()` once per animation frame and when playback
/// stops.
pub fn use_playback(
    playing: RwSignal<bool>,
    speed: Signal<Speed>,
    advance: impl Fn(usize, f64) -> Option<usize> + 'static,
    publish: impl Fn() + 'static,
) {
    let hooks = Rc::new(Hooks {
        advance: Box::new(advance),
        publish: Box::new(publish),
        playing,
        speed,
    });
    let generation = Rc::new(Cell::new(0u64));
    Effect::new(move |_| {
        // A new generation cancels the loops of the previous play.
        generation.set(generation.get() + 1);
        if playing.get() {
            let state = Rc::new(Loop {
                generation: generation.get(),
                current: generation.clone(),
                last: Cell::new(now_ms()),
                owed: Cell::new(0.0),
                slicing: Cell::new(false),
                stopped: Cell::new(false),
                render_cost: Cell::new(LAST_RENDER_COST.get()),
                // The first redraw also waits for stepping to have had its share.
                published_at: Cell::new(now_ms()),
                rendering_since: Cell::new(None),
                hooks: hooks.clone(),
            });
            // At Max speed stepping starts now, not at the next frame.
            if speed.get_untracked() == Speed::Max {
                state.slicing.set(true);
                slice(state.clone());
            }
            frame(state);
        }
    });
}

struct Hooks {
    advance: Box<dyn Fn(usize, f64) -> Option<usize>>,
    publish: Box<dyn Fn()>,
    playing: RwSignal<bool>,
    speed: Signal<Speed>,
}

struct Loop {
    generation: u64,
    current: Rc<Cell<u64>>,
    last: Cell<f64>,
    owed: Cell<f64>,
    /// A Max-speed stepping task is scheduled.
    slicing: Cell<bool>,
    /// Playback reached its end (or a pause) in a stepping task.
    stopped: Cell<bool>,
    /// Smoothed cost of one redraw (ms), and when the last one was asked for.
    render_cost: Cell<f64>,
    published_at: Cell<f64>,
    /// Set when a frame published: the next stepping task measures the redraw from it.
    rendering_since: Cell<Option<f64>>,
    hooks: Rc<Hooks>,
}

impl Loop {
    fn live(&self) -> bool {
        self.current.get() == self.generation
            && !self.stopped.get()
            && self.hooks.playing.get_untracked()
    }

    fn stop(&self) {
        self.stopped.set(true);
        (self.hooks.publish)();
        self.hooks.playing.set(false);
    }
}

/// One animation frame: steps what a set speed owes, or starts the Max-speed tasks, then redraws.
fn frame(state: Rc<Loop>) {
    request_animation_frame(move || {
        if !state.live() {
            return;
        }
        let start = now_ms();
        let elapsed = (start - state.last.get()).clamp(0.0, 250.0);
        state.last.set(start);
        let keep_going = match state.hooks.speed.get_untracked() {
            Speed::PerSecond(rate) => {
                let owed = state.owed.get() + rate * elapsed / 1000.0;
                let due = owed.floor() as usize;
                state.owed.set(owed - due as f64);
                run_budgeted(&*state.hooks.advance, due, start, FRAME_BUDGET_MS)
            }
            Speed::Max => {
                if !state.slicing.replace(true) {
                    slice(state.clone());
                }
                let due = state.published_at.get()
                    + (MAX_SPEED_RENDER_SHARE * state.render_cost.get())
                        .max(MAX_SPEED_MIN_REDRAW_MS);
                if start >= due {
                    state.published_at.set(start);
                    (state.hooks.publish)();
                    state.rendering_since.set(Some(now_ms()));
                }
                return frame(state);
            }
        };
        if !keep_going {
            return state.stop();
        }
        (state.hooks.publish)();
        frame(state);
    });
}

/// One Max-speed stepping task; schedules the next while playback goes on at Max speed.
fn slice(state: Rc<Loop>) {
    post_task(move || {
        if let Some(since) = state.rendering_since.take() {
            let cost = now_ms() - since;
            let smoothed = 0.5 * state.render_cost.get() + 0.5 * cost;
            state.render_cost.set(smoothed);
            LAST_RENDER_COST.set(smoothed);
        }
        if !state.live() || state.hooks.speed.get_untracked() != Speed::Max {
            state.slicing.set(false);
            return;
        }
        if run_budgeted(&*state.hooks.advance, usize::MAX, now_ms(), SLICE_MS) {
            slice(state);
        } else {
            state.slicing.set(false);
            state.stop();
        }
    });
}

/// Steps up to `due` ticks in batches sized from the measured cost per tick, so the work stays
/// within `budget_ms` of `start` (what is left is picked up next time); a tick whose own work
/// outlasts the budget pauses part-way and goes on next time. False when playback must stop.
fn run_budgeted(
    advance: &dyn Fn(usize, f64) -> Option<usize>,
    due: usize,
    start: f64,
    budget_ms: f64,
) -> bool {
    let deadline = start + budget_ms;
    let mut remaining = due;
    let mut batch = 4usize;
    while remaining > 0 {
        let ask = batch.min(remaining);
        let t0 = now_ms();
        let Some(done) = advance(ask, deadline) else {
            // The end of the feed, or a pause the session asked for (a liquidation).
            return false;
        };
        remaining = remaining.saturating_sub(done);
        let now = now_ms();
        let left = deadline - now;
        if left <= 0.0 {
            break;
        }
        // `performance.now()` is coarse (0.1 ms in most browsers): a fast batch measures as 0.
        let per_tick = ((now - t0) / done.max(1) as f64).max(0.001);
        batch = ((left / per_tick) as usize).clamp(1, 1024);
    }
    true
}

type Task = Box<dyn FnOnce()>;

thread_local! {
    /// Tasks waiting for their `MessageChannel` message, and the channel (made once).
    static TASKS: RefCell<VecDeque<Task>> = const { RefCell::new(VecDeque::new()) };
    static CHANNEL: Option<(web_sys::MessagePort, web_sys::MessagePort)> = channel();
}

fn channel() -> Option<(web_sys::MessagePort, web_sys::MessagePort)> {
    let ch = web_sys::MessageChannel::new().ok()?;
    let on_message = Closure::<dyn FnMut()>::new(|| {
        if let Some(task) = TASKS.with(|t| t.borrow_mut().pop_front()) {
            task();
        }
    });
    ch.port1()
        .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // One handler for the page's lifetime.
    on_message.forget();
    // Both ends are kept: the receiving port must stay reachable to keep its handler.
    Some((ch.port1(), ch.port2()))
}

/// Runs `task` in a task of its own, as soon as the browser gets to it (after pending input and
/// rendering), without `setTimeout`'s clamping to 4 ms.
fn post_task(task: impl FnOnce() + 'static) {
    TASKS.with(|t| t.borrow_mut().push_back(Box::new(task)));
    let posted = CHANNEL.with(|port| {
        port.as_ref()
            .is_some_and(|(_, p)| p.post_message(&wasm_bindgen::JsValue::NULL).is_ok())
    });
    if !posted {
        // No channel (should not happen in a browser): run it on the next frame instead.
        request_animation_frame(|| {
            if let Some(task) = TASKS.with(|t| t.borrow_mut().pop_front()) {
                task();
            }
        });
    }
}
