//! Playback driven by animation frames. Each frame advances as many ticks as the speed asks for,
//! but stops within a time budget, so at maximum speed the page still gets to paint and answer
//! input every frame (no long task).

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;

/// Work done per frame stops after this many milliseconds.
pub const FRAME_BUDGET_MS: f64 = 10.0;

/// Ticks per second, or as fast as the frame budget allows.
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

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Runs `advance(n)` on every animation frame while `playing` is true. `advance` steps up to `n`
/// ticks and returns how many it stepped; returning fewer than asked (end of the feed, a pause on a
/// liquidation) stops playback.
pub fn use_playback(
    playing: RwSignal<bool>,
    speed: Signal<Speed>,
    advance: impl Fn(usize) -> usize + 'static,
) {
    let advance = Rc::new(advance);
    let generation = Rc::new(Cell::new(0u64));
    Effect::new(move |_| {
        // A new generation cancels the loop of the previous play.
        generation.set(generation.get() + 1);
        if playing.get() {
            let state = Rc::new(Loop {
                generation: generation.get(),
                current: generation.clone(),
                last: Cell::new(now_ms()),
                owed: Cell::new(0.0),
            });
            schedule(state, advance.clone(), playing, speed);
        }
    });
}

struct Loop {
    generation: u64,
    current: Rc<Cell<u64>>,
    last: Cell<f64>,
    owed: Cell<f64>,
}

fn schedule(
    state: Rc<Loop>,
    advance: Rc<dyn Fn(usize) -> usize>,
    playing: RwSignal<bool>,
    speed: Signal<Speed>,
) {
    request_animation_frame(move || {
        if state.current.get() != state.generation || !playing.get_untracked() {
            return;
        }
        let start = now_ms();
        let elapsed = (start - state.last.get()).clamp(0.0, 250.0);
        state.last.set(start);
        let keep_going = match speed.get_untracked() {
            Speed::PerSecond(rate) => {
                let owed = state.owed.get() + rate * elapsed / 1000.0;
                let due = owed.floor() as usize;
                state.owed.set(owed - due as f64);
                run_budgeted(&*advance, due, start)
            }
            Speed::Max => run_budgeted(&*advance, usize::MAX, start),
        };
        if keep_going {
            schedule(state, advance, playing, speed);
        } else {
            playing.set(false);
        }
    });
}

/// Steps up to `due` ticks in batches sized from the measured cost per tick, so the frame's work
/// stays within [`FRAME_BUDGET_MS`] (the next frame picks up what is left). False when playback
/// must stop.
fn run_budgeted(advance: &dyn Fn(usize) -> usize, due: usize, start: f64) -> bool {
    let mut remaining = due;
    let mut batch = 4usize;
    while remaining > 0 {
        let ask = batch.min(remaining);
        let t0 = now_ms();
        let done = advance(ask);
        if done < ask {
            // The end of the feed, or a pause the session asked for (a liquidation).
            return false;
        }
        remaining -= done;
        let now = now_ms();
        let left = FRAME_BUDGET_MS - (now - start);
        if left <= 0.0 {
            break;
        }
        let per_tick = ((now - t0) / done as f64).max(0.001);
        batch = ((left / per_tick) as usize).clamp(1, 512);
    }
    true
}
