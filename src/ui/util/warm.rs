//! Warming the engine up while the page is idle.
//!
//! Chromium's V8 runs wasm in its baseline tier first and compiles a function with its optimizing
//! tier once that function has been busy. A session's first Max-speed play therefore ran mostly
//! in baseline code: the S&P 500 2000–2020 scenario with one position took about 186 ms the first
//! time in a fresh page and 60 ms played again in the same page (`e2e/bench/playback.mjs` reports
//! both). So when the session changes while paused (opened, an order placed, scrubbed), the page
//! steps a throwaway copy of it in idle periods (`Session::rehearsal`: the same work per tick,
//! without the log, checkpoints and series gathered so far) — at most [`WARM_TICKS`] ticks and
//! [`WARM_BUDGET_MS`] of stepping, in slices of at most [`WARM_SLICE_MS`] — and drops the copy.
//! The session itself is never touched, and a newer change or Play cancels a warm-up under way.
//! Sessions with a crowd, or longer than [`WARM_MAX_TICKS`], are left alone: copying one would
//! cost more than a slice, and their runs are long enough for the engine to warm up within them.
//! A crowd's generation is warmed up once per page instead ([`use_crowd_warm_up`]).
//!
//! The same idle time takes a newly opened session's checkpoint of tick 0, which opening defers
//! (`Session::take_deferred_checkpoint`: copying a crowd of 100,000 borrowers is about a tenth
//! of opening it, and the page shows the session first).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::replay::Session;
use crate::ui::state::Lab;
use crate::ui::util::playback::now_ms;

/// Most ticks one warm-up steps.
pub const WARM_TICKS: usize = 3_000;
/// Most stepping (ms) one warm-up does, over all its slices.
pub const WARM_BUDGET_MS: f64 = 60.0;
/// Longest slice (ms), and never past the idle period the browser gave.
pub const WARM_SLICE_MS: f64 = 5.0;
/// Longest session warmed up: the copy carries the whole price path (a long import's would take
/// longer than a slice to copy, and its own run is long enough to warm the engine up).
pub const WARM_MAX_TICKS: usize = 50_000;

struct WarmUp {
    generation: u64,
    current: Rc<Cell<u64>>,
    copy: RefCell<Option<Session>>,
    stepped: Cell<usize>,
    spent: Cell<f64>,
    lab: Lab,
}

/// Warms the engine up after each change of the session while it is paused (see the module).
pub fn use_warm_up(lab: Lab) {
    let generation = Rc::new(Cell::new(0u64));
    Effect::new(move |_| {
        lab.version.track();
        generation.set(generation.get() + 1);
        if lab.playing.get() {
            return;
        }
        request_idle(move |_| lab.take_deferred_checkpoint());
        let warm = Rc::new(WarmUp {
            generation: generation.get(),
            current: generation.clone(),
            copy: RefCell::new(None),
            stepped: Cell::new(0),
            spent: Cell::new(0.0),
            lab,
        });
        when_idle(warm);
    });
}

impl WarmUp {
    fn live(&self) -> bool {
        self.current.get() == self.generation && !self.lab.playing.get_untracked()
    }

    /// One slice within `idle_ms`; false when the warm-up is over.
    fn slice(&self, idle_ms: f64) -> bool {
        if !self.live() {
            return false;
        }
        let start = now_ms();
        let mut copy = self.copy.borrow_mut();
        if copy.is_none() {
            let fresh = self.lab.with_untracked(|s| {
                let crowd = s
                    .script()
                    .scenario
                    .population()
                    .is_some_and(|p| p.count > 0);
                (!crowd && !s.at_end() && s.len() <= WARM_MAX_TICKS).then(|| s.rehearsal())
            });
            match fresh.flatten() {
                Some(s) => *copy = Some(s),
                None => return false,
            }
        }
        let Some(session) = copy.as_mut() else {
            return false;
        };
        let budget = idle_ms
            .min(WARM_SLICE_MS)
            .min(WARM_BUDGET_MS - self.spent.get());
        let mut batch = 8usize;
        loop {
            let ask = batch.min(WARM_TICKS - self.stepped.get());
            let stepped = session.advance(ask, false).map(|a| a.stepped).unwrap_or(0);
            self.stepped.set(self.stepped.get() + stepped);
            if stepped < ask || self.stepped.get() >= WARM_TICKS {
                return false;
            }
            let spent = now_ms() - start;
            if spent >= budget {
                self.spent.set(self.spent.get() + spent);
                return self.spent.get() < WARM_BUDGET_MS;
            }
            batch = (batch * 2).min(256);
        }
    }
}

/// Runs slices in the browser's idle periods until the warm-up is over, then drops the copy.
fn when_idle(warm: Rc<WarmUp>) {
    let next = warm.clone();
    let scheduled = request_idle(move |idle_ms| {
        if next.slice(idle_ms) {
            when_idle(next);
        } else {
            next.copy.borrow_mut().take();
        }
    });
    if !scheduled {
        warm.copy.borrow_mut().take();
    }
}

/// Calls `f` with the idle time the browser gives (ms) in its next idle period
/// (`requestIdleCallback`; a short timer where the browser has none). False if nothing could be
/// scheduled.
fn request_idle(f: impl FnOnce(f64) + 'static) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let callback = Closure::once_into_js(move |deadline: wasm_bindgen::JsValue| {
        let idle_ms = deadline
            .dyn_into::<web_sys::IdleDeadline>()
            .map(|d| d.time_remaining())
            .unwrap_or(WARM_SLICE_MS);
        f(idle_ms);
    });
    window
        .request_idle_callback(callback.unchecked_ref())
        .is_ok()
        || window
            .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), 50)
            .is_ok()
}

/// The warm-up crowds generated once per page, by size: the first is small, as it also pays
/// for compiling the code it runs for the first time.
pub const CROWD_WARM_BORROWERS: [u32; 5] = [100, 200, 400, 800, 800];
/// The scenario the warm-up crowds open (simulated: nothing to download).
const CROWD_WARM_FEED: &str = "eth-black-thursday-crowd";
/// Idle time (ms) a warm-up crowd waits for before it is generated.
const CROWD_WARM_IDLE_MS: f64 = 25.0;
/// Idle periods a warm-up waits through for that much time before it gives up.
const CROWD_WARM_TRIES: u32 = 40;

/// Warms up the crowd's generation once per page, in idle time. A fresh page generated its
/// first crowd mostly in cold code: the same 100,000 borrowers took 1,160 ms the first time in a
/// page, 1,023 ms the second and 898 ms the third, and 1,009 ms after a crowd of 2,000 had been
/// generated first (`e2e/bench/market.mjs` measures a fresh page). So the page opens throwaway
/// sessions with the crowds of [`CROWD_WARM_BORROWERS`] (the Black Thursday-like crash under
/// Aave v3, one per idle period of at least [`CROWD_WARM_IDLE_MS`], never while playing) and
/// drops them: the page's session is never touched.
pub fn use_crowd_warm_up(lab: Lab) {
    crowd_round(lab, 0, 0);
}

fn crowd_round(lab: Lab, done: usize, tries: u32) {
    let Some(&borrowers) = CROWD_WARM_BORROWERS.get(done) else {
        return;
    };
    if tries >= CROWD_WARM_TRIES {
        return;
    }
    request_idle(move |idle_ms| {
        // A page whose app was taken down (a test's mount) stops warming up.
        let Some(playing) = lab.playing.try_get_untracked() else {
            return;
        };
        if idle_ms < CROWD_WARM_IDLE_MS || playing {
            return crowd_round(lab, done, tries + 1);
        }
        let mut scenario = crate::replay::Scenario {
            seed: done as u64,
            ..crate::replay::Scenario::new(CROWD_WARM_FEED, crate::engine::PresetId::AaveV3)
        };
        scenario.set(crate::replay::script::ScenarioOption::Population(
            crate::engine::population::PopulationParams::with_count(borrowers),
        ));
        drop(Session::open(crate::replay::Script::new(scenario)));
        crowd_round(lab, done + 1, tries);
    });
}
