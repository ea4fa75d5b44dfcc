//! Runs a test across seeds without blocking the page.
//!
//! When it can, the work goes to module workers (one per core, at most four), each loading the
//! worker build (`src/bin/sweep_worker.rs`: the engine alone, optimised for speed; Trunk writes
//! it next to the page as `sweep-worker.js` and `sweep-worker_bg.wasm`) and calling
//! `margin_lab_sweep_batch`. Seeds are handed out in small batches as workers free up, so they
//! stay busy and the progress bar moves; outcomes are put back in seed order, so the digest does
//! not depend on which worker ran what. Where workers are not available (the browser tests mount
//! the app without the release build) or fail to start, the seeds run on the main thread in
//! slices of about 25 ms, yielding between slices, so no task blocks the page for long.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::replay::sweep::{BatchRequest, BatchResponse, SeedOutcome, Sweep, SweepSpec};
use crate::replay::Script;
use crate::ui::util::playback::now_ms;

/// Main-thread slices stop after this long (a task stays well under 50 ms).
const SLICE_MS: f64 = 25.0;

/// What a running test reports.
#[derive(Clone, Debug, PartialEq)]
pub enum Update {
    Progress {
        done: u32,
        total: u32,
    },
    Finished {
        outcomes: Vec<SeedOutcome>,
        elapsed_ms: f64,
        /// Workers used (0: the main thread).
        workers: u32,
    },
    Failed(String),
}

thread_local! {
    static POOL: RefCell<Option<Rc<Pool>>> = const { RefCell::new(None) };
    static NEXT_JOB: Cell<u64> = const { Cell::new(1) };
}

struct Pool {
    workers: Vec<web_sys::Worker>,
}

/// `file` next to the page (Trunk puts the worker build beside `index.html`).
fn beside_page(file: &str) -> Option<String> {
    let base = web_sys::window()?.location().href().ok()?;
    web_sys::Url::new_with_base(file, &base)
        .ok()
        .map(|u| u.href())
}

fn make_worker(glue: &str, wasm: &str) -> Result<web_sys::Worker, JsValue> {
    let source = format!(
        "import init, {{ margin_lab_sweep_batch }} from {glue:?};\n\
         const ready = init({{ module_or_path: {wasm:?} }});\n\
         self.onmessage = async (e) => {{\n\
           try {{ await ready; const out = margin_lab_sweep_batch(e.data); self.postMessage(out, [out.buffer]); }}\n\
           catch (err) {{ self.postMessage(String(err)); }}\n\
         }};\n"
    );
    let parts = js_sys::Array::of1(&JsValue::from_str(&source));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    web_sys::Worker::new_with_options(&url, &options)
}

/// The workers, started once (`None` when the page cannot have them).
fn pool() -> Option<Rc<Pool>> {
    POOL.with(|p| {
        if let Some(pool) = p.borrow().as_ref() {
            return (!pool.workers.is_empty()).then(|| pool.clone());
        }
        let n = web_sys::window()
            .map(|w| w.navigator().hardware_concurrency() as u32)
            .unwrap_or(1)
            .clamp(1, 4);
        let urls = beside_page("sweep-worker.js").zip(beside_page("sweep-worker_bg.wasm"));
        let workers: Vec<web_sys::Worker> = urls
            .map(|(glue, wasm)| {
                (0..n)
                    .filter_map(|_| make_worker(&glue, &wasm).ok())
                    .collect()
            })
            .unwrap_or_default();
        let pool = Rc::new(Pool { workers });
        *p.borrow_mut() = Some(pool.clone());
        (!pool.workers.is_empty()).then_some(pool)
    })
}

/// Forgets the workers (after one failed: the next test runs on the main thread).
fn drop_pool() {
    POOL.with(|p| {
        if let Some(pool) = p.borrow().as_ref() {
            for w in &pool.workers {
                w.terminate();
            }
        }
        *p.borrow_mut() = Some(Rc::new(Pool {
            workers: Vec::new(),
        }));
    });
}

/// A test in progress. Dropping every handle to it (or [`Job::cancel`]) stops it reporting.
pub struct Job {
    id: u64,
    cancelled: Cell<bool>,
}

impl Job {
    pub fn cancel(&self) {
        self.cancelled.set(true);
    }
}

struct State {
    job: Rc<Job>,
    script: Script,
    spec: SweepSpec,
    batch: u32,
    next: Cell<u32>,
    done: Cell<u32>,
    outcomes: RefCell<Vec<Option<SeedOutcome>>>,
    started: f64,
    report: Rc<dyn Fn(Update)>,
    finished: Cell<bool>,
    handlers: RefCell<Vec<Handler>>,
    error_handlers: RefCell<Vec<ErrorHandler>>,
}

/// A worker's `onmessage` and `onerror` handlers, kept alive while its test runs.
type Handler = Closure<dyn FnMut(web_sys::MessageEvent)>;
type ErrorHandler = Closure<dyn FnMut(web_sys::Event)>;

impl State {
    fn store(&self, from: u32, outs: Vec<SeedOutcome>) {
        let n = outs.len() as u32;
        {
            let mut all = self.outcomes.borrow_mut();
            for (i, o) in outs.into_iter().enumerate() {
                if let Some(slot) = all.get_mut(from as usize + i) {
                    *slot = Some(o);
                }
            }
        }
        self.done.set(self.done.get() + n);
        (self.report)(Update::Progress {
            done: self.done.get(),
            total: self.spec.seeds,
        });
    }

    fn finish(&self, workers: u32) {
        if self.finished.replace(true) || self.job.cancelled.get() {
            return;
        }
        let outcomes: Option<Vec<SeedOutcome>> = self.outcomes.borrow_mut().drain(..).collect();
        (self.report)(match outcomes {
            Some(outcomes) => Update::Finished {
                outcomes,
                elapsed_ms: now_ms() - self.started,
                workers,
            },
            None => Update::Failed("some seeds did not run".into()),
        });
        self.handlers.borrow_mut().clear();
        self.error_handlers.borrow_mut().clear();
    }

    fn fail(&self, message: String) {
        if self.finished.replace(true) || self.job.cancelled.get() {
            return;
        }
        (self.report)(Update::Failed(message));
    }

    /// The next batch of seeds, if any are left.
    fn take(&self) -> Option<(u32, u32)> {
        let from = self.next.get();
        if from >= self.spec.seeds {
            return None;
        }
        let to = (from + self.batch).min(self.spec.seeds);
        self.next.set(to);
        Some((from, to))
    }
}

/// Starts a test of `script` and reports to `report` (progress, then the outcomes in seed order).
pub fn start(script: Script, spec: SweepSpec, report: impl Fn(Update) + 'static) -> Rc<Job> {
    let id = NEXT_JOB.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    let job = Rc::new(Job {
        id,
        cancelled: Cell::new(false),
    });
    let workers = pool();
    let lanes = workers.as_ref().map_or(1, |p| p.workers.len() as u32);
    let state = Rc::new(State {
        job: job.clone(),
        script,
        spec,
        // Workers take a few seeds at a time; the main thread one at a time (each slice checks
        // the clock between seeds).
        batch: if workers.is_some() {
            (spec.seeds / (lanes * 8)).clamp(1, 25)
        } else {
            1
        },
        next: Cell::new(0),
        done: Cell::new(0),
        outcomes: RefCell::new(vec![None; spec.seeds as usize]),
        started: now_ms(),
        report: Rc::new(report),
        finished: Cell::new(false),
        handlers: RefCell::new(Vec::new()),
        error_handlers: RefCell::new(Vec::new()),
    });
    match workers {
        Some(pool) => run_on_workers(state, pool),
        None => run_on_main_thread(state),
    }
    job
}

fn send(worker: &web_sys::Worker, state: &State, from: u32, to: u32) -> bool {
    let request = BatchRequest {
        job: state.job.id,
        script: state.script.clone(),
        spec: state.spec,
        from,
        to,
    };
    let Ok(bytes) = postcard::to_allocvec(&request) else {
        return false;
    };
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    worker.post_message(&array).is_ok()
}

/// The workers could not start (a missing build, a failed import): forget them and run the whole
/// test on the main thread instead.
fn fall_back(st: &Rc<State>) {
    if st.finished.replace(true) || st.job.cancelled.get() {
        return;
    }
    drop_pool();
    let rest = Rc::new(State {
        job: st.job.clone(),
        script: st.script.clone(),
        spec: st.spec,
        batch: 1,
        next: Cell::new(0),
        done: Cell::new(0),
        outcomes: RefCell::new(vec![None; st.spec.seeds as usize]),
        started: st.started,
        report: st.report.clone(),
        finished: Cell::new(false),
        handlers: RefCell::new(Vec::new()),
        error_handlers: RefCell::new(Vec::new()),
    });
    run_on_main_thread(rest);
}

fn run_on_workers(state: Rc<State>, pool: Rc<Pool>) {
    let lanes = pool.workers.len() as u32;
    for worker in &pool.workers {
        let st = state.clone();
        let me = worker.clone();
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if st.job.cancelled.get() || st.finished.get() {
                    return;
                }
                let Some(bytes) = e.data().dyn_ref::<js_sys::Uint8Array>().map(|a| a.to_vec())
                else {
                    // The worker could not load its module (its message is the error).
                    return fall_back(&st);
                };
                match postcard::from_bytes::<BatchResponse>(&bytes) {
                    Ok(r) if r.job == st.job.id => match r.result {
                        Ok(outs) => st.store(r.from, outs),
                        Err(e) => return st.fail(e),
                    },
                    Ok(_) => return,
                    Err(e) => return st.fail(format!("a worker answered nonsense: {e}")),
                }
                if st.done.get() >= st.spec.seeds {
                    st.finish(lanes);
                } else if let Some((from, to)) = st.take() {
                    if !send(&me, &st, from, to) {
                        fall_back(&st);
                    }
                }
            });
        let st = state.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            fall_back(&st);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        state.handlers.borrow_mut().push(on_message);
        state.error_handlers.borrow_mut().push(on_error);
    }
    for worker in &pool.workers {
        if let Some((from, to)) = state.take() {
            if !send(worker, &state, from, to) {
                return fall_back(&state);
            }
        }
    }
}

fn run_on_main_thread(state: Rc<State>) {
    leptos::task::spawn_local(async move {
        let sweep = match Sweep::new(&state.script, state.spec) {
            Ok(s) => s,
            Err(e) => return state.fail(e),
        };
        loop {
            if state.job.cancelled.get() {
                return;
            }
            let slice = now_ms();
            while now_ms() - slice < SLICE_MS {
                let Some((from, to)) = state.take() else {
                    break;
                };
                match (from..to).map(|k| sweep.run_seed(k)).collect() {
                    Ok(outs) => state.store(from, outs),
                    Err(e) => return state.fail(e),
                }
            }
            if state.done.get() >= state.spec.seeds {
                return state.finish(0);
            }
            gloo_timers::future::TimeoutFuture::new(0).await;
        }
    });
}
