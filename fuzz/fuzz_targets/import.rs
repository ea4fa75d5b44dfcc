//! Coverage-guided fuzzing of the price import (`csv_import::parse_bytes`).
//! What every input must satisfy is in `checks.rs`; how to run it is in
//! `docs/hostile-inputs.md`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    checks::import(data);
});
