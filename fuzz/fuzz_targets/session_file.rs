//! Coverage-guided fuzzing of the session-file reader (`SessionFile::parse`, then the file's
//! link). What every input must satisfy is in `checks.rs`; how to run it is in
//! `docs/hostile-inputs.md`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    checks::session_file(data);
});
