//! Runs a value-at-risk job in slices of at most [`SLICE_MS`] so no main-thread task gets long:
//! between slices it yields to the browser through a `MessageChannel` message (a macrotask that,
//! unlike a zero-delay timeout, is not clamped to 4 ms).

use wasm_bindgen::JsCast;

use crate::replay::risk::VarJob;
use crate::ui::util::playback::now_ms;

/// Work per slice, in milliseconds (a task over 50 ms is a "long task").
pub const SLICE_MS: f64 = 12.0;

/// Lets the browser paint and handle input, then resumes.
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let Ok(channel) = web_sys::MessageChannel::new() else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            return;
        };
        let done = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
        channel
            .port1()
            .set_onmessage(Some(done.unchecked_ref::<js_sys::Function>()));
        let _ = channel.port2().post_message(&wasm_bindgen::JsValue::NULL);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Runs `job` to the end in slices, reporting `(done, total)` after each; returns the
/// milliseconds until the Monte Carlo part was done and in all.
pub async fn run_sliced(
    job: &mut VarJob,
    mut progress: impl FnMut(usize, usize),
) -> Result<(f64, f64), String> {
    let t0 = now_ms();
    let mut mc_ms = None;
    // The first batch is one path: cold code (before the browser optimises it) can be slow.
    let mut per_path = SLICE_MS;
    loop {
        let start = now_ms();
        let mut finished = false;
        loop {
            let left = SLICE_MS - (now_ms() - start);
            if left <= 0.0 {
                break;
            }
            let n = ((0.8 * left / per_path) as usize).clamp(1, 64);
            let before = job.done();
            let t = now_ms();
            finished = job.step(n)?;
            let ran = job.done() - before;
            if ran > 0 {
                per_path = ((now_ms() - t) / ran as f64).max(0.01);
            }
            if mc_ms.is_none() && job.monte_carlo_done() {
                mc_ms = Some(now_ms() - t0);
            }
            if finished {
                break;
            }
        }
        progress(job.done(), job.total());
        if finished {
            break;
        }
        yield_now().await;
    }
    let total = now_ms() - t0;
    Ok((mc_ms.unwrap_or(total), total))
}
