//! Coverage-guided fuzzing of the link decoder (`Shared::from_link`).
//! What every input must satisfy is in `checks.rs`; how to run it is in
//! `docs/hostile-inputs.md`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    checks::link(data);
});
