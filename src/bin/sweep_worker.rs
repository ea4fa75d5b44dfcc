//! The worker of a test across seeds (`replay::sweep`), loaded by the page's runner
//! (`ui::orders::runner`) in web workers. It is the engine without the interface, built by Trunk
//! with the `worker` profile (opt-level 3: about 1.7× faster than the page's size-optimised
//! build on this work, measured in V8), and only downloaded when a test runs.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::wasm_bindgen;

/// Runs a batch of seeds: postcard `BatchRequest` in, postcard `BatchResponse` out.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn margin_lab_sweep_batch(request: &[u8]) -> Vec<u8> {
    margin_lab::replay::sweep::run_batch(request)
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    {
        eprintln!(
            "This is the browser worker of a test across seeds; natively, run \
             `cargo run --release --bin replay -- '<link>' --seeds N`."
        );
        std::process::exit(2);
    }
}
