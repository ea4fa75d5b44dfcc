#![cfg(not(target_arch = "wasm32"))]
//! Fuzzing on the stable toolchain, as part of `cargo test`.
//!
//! - Every file of the fuzzers' committed corpus (`fuzz/corpus/<target>`, minimized from
//!   coverage-guided runs of `cargo fuzz`) and seeds (`fuzz/seeds/<target>`) goes through its entry
//!   point: the link decoder, the session-file reader or the price import. No panic, and either a
//!   success that keeps the invariants or a clear message (`fuzz/checks.rs`, shared with the fuzz
//!   targets).
//! - Proptest fuzz targets with a fixed case budget and seed: arbitrary bytes, and mutated seeds (bytes
//!   flipped, inserted, deleted, duplicated, cut), counting how many are accepted and refused so the
//!   mutations reach both paths.
//!
//! How to run the coverage-guided fuzzers: `docs/hostile-inputs.md`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;

#[path = "../fuzz/checks.rs"]
mod checks;

use checks::Outcome;

type Check = fn(&[u8]) -> Outcome;

/// The three entry points, by fuzz target name.
const TARGETS: [(&str, Check); 3] = [
    ("link", checks::link),
    ("session_file", checks::session_file),
    ("import", checks::import),
];

fn fuzz_dir(kind: &str, target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target)
}

/// The files of a directory, sorted by name (empty when it does not exist).
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .map(|p| {
                    let bytes = std::fs::read(&p).unwrap();
                    (p, bytes)
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Runs `check` on `data`, turning a panic into a failure message naming the input.
fn run(check: Check, data: &[u8], what: &str) -> Outcome {
    catch_unwind(AssertUnwindSafe(|| check(data))).unwrap_or_else(|e| {
        let why = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!("{what}: {why}")
    })
}

// TC0: the committed corpus of each target: no panic, each input accepted with its invariants or
// refused with a clear message. The corpus must be there (a few hundred files in all).
#[test]
fn every_corpus_file_is_accepted_or_clearly_refused() {
    let mut total = 0;
    for (target, check) in TARGETS {
        let corpus = files(&fuzz_dir("corpus", target));
        assert!(
            corpus.len() >= 20,
            "{target}: only {} corpus files",
            corpus.len()
        );
        let mut accepted = 0;
        for (path, bytes) in &corpus {
            if run(check, bytes, &path.display().to_string()) == Outcome::Accepted {
                accepted += 1;
            }
        }
        assert!(accepted > 0, "{target}: the corpus reaches no success path");
        total += corpus.len();
    }
    assert!(
        total <= 1500,
        "{total} corpus files: minimize with cargo fuzz cmin"
    );
}

// TC1: the seeds, written from the committed fixture links, the README's import formats and the
// bundled S&P 500 file: each opens, except those named `wrong-*`, which are refused.
#[test]
fn every_seed_opens_unless_it_is_meant_not_to() {
    for (target, check) in TARGETS {
        let seeds = files(&fuzz_dir("seeds", target));
        assert!(seeds.len() >= 5, "{target}: {} seeds", seeds.len());
        for (path, bytes) in &seeds {
            let wrong = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("wrong-"));
            let want = if wrong {
                Outcome::Refused
            } else {
                Outcome::Accepted
            };
            assert_eq!(
                run(check, bytes, &path.display().to_string()),
                want,
                "{}",
                path.display()
            );
        }
    }
}

/// One mutation of a byte string, as libFuzzer's simplest mutators do.
#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Set { at: usize, byte: u8 },
    Insert { at: usize, bytes: Vec<u8> },
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize },
    Cut { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<usize>();
    prop_oneof![
        (at, 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (at, any::<u8>()).prop_map(|(at, byte)| Mutation::Set { at, byte }),
        (
            at,
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 1..8),
                prop_oneof![
                    Just(b",".to_vec()),
                    Just(b"\n".to_vec()),
                    Just(b"\"".to_vec()),
                    Just(b"[".to_vec()),
                    Just(b"}".to_vec()),
                    Just(b"1e-27".to_vec()),
                    Just(b"9999999999".to_vec()),
                    Just("\u{feff}".as_bytes().to_vec()),
                    Just(b"\x1b[31m".to_vec()),
                ],
            ]
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (at, 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (at, 1usize..64).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        at.prop_map(|at| Mutation::Cut { at }),
    ]
}

fn mutate(mut data: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let n = data.len();
        let pos = |at: usize| if n == 0 { 0 } else { at % n };
        match m {
            Mutation::Flip { at, bit } if n > 0 => data[pos(*at)] ^= 1 << bit,
            Mutation::Set { at, byte } if n > 0 => data[pos(*at)] = *byte,
            Mutation::Insert { at, bytes } => {
                let i = pos(*at);
                data.splice(i..i, bytes.iter().copied());
            }
            Mutation::Delete { at, len } if n > 0 => {
                let i = pos(*at);
                data.drain(i..(i + len).min(n));
            }
            Mutation::Duplicate { at, len } if n > 0 => {
                let i = pos(*at);
                let piece: Vec<u8> = data[i..(i + len).min(n)].to_vec();
                data.splice(i..i, piece);
            }
            Mutation::Cut { at } => data.truncate(pos(*at)),
            _ => {}
        }
    }
    data
}

/// A seed of `target` and a few mutations of it.
fn mutated(target: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let seeds: Vec<Vec<u8>> = files(&fuzz_dir("seeds", target))
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    (
        proptest::sample::select(seeds),
        proptest::collection::vec(mutation(), 1..4),
    )
        .prop_map(|(seed, ms)| mutate(seed, &ms))
}

/// Accepted / refused counts of the mutation targets, per entry point.
static COUNTS: [(AtomicU64, AtomicU64); 3] = [
    (AtomicU64::new(0), AtomicU64::new(0)),
    (AtomicU64::new(0), AtomicU64::new(0)),
    (AtomicU64::new(0), AtomicU64::new(0)),
];

fn count(k: usize, outcome: Outcome) {
    let (accepted, refused) = &COUNTS[k];
    match outcome {
        Outcome::Accepted => accepted.fetch_add(1, Ordering::Relaxed),
        Outcome::Refused => refused.fetch_add(1, Ordering::Relaxed),
    };
}

proptest! {
    // A fixed budget and a fixed seed: the same inputs on every run, so the counts below are
    // reproducible (PROPTEST_RNG_SEED does not apply to an explicit seed).
    #![proptest_config(ProptestConfig {
        cases: 1500,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x6d61_7267_696e),
        ..ProptestConfig::default()
    })]

    #[test]
    fn fuzz_link_with_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        checks::link(&data);
    }

    #[test]
    fn fuzz_session_file_with_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        checks::session_file(&data);
    }

    #[test]
    fn fuzz_import_with_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        checks::import(&data);
    }

    #[test]
    fn fuzz_link_with_mutated_seeds(data in mutated("link")) {
        count(0, checks::link(&data));
    }

    #[test]
    fn fuzz_session_file_with_mutated_seeds(data in mutated("session_file")) {
        count(1, checks::session_file(&data));
    }

    #[test]
    fn fuzz_import_with_mutated_seeds(data in mutated("import")) {
        count(2, checks::import(&data));
    }
}

// TC2: the mutation targets reach both the success and the refusal path of every entry point
// (a mutation budget that only ever produced garbage would test the first check and nothing else).
// Most mutations of a link break its base64 or its canonical payload (a changed digit, an extra
// byte), so a few percent accepted is expected; at least 1% (30 of 3,000) must be.
#[test]
fn the_mutation_targets_are_not_vacuous() {
    fuzz_link_with_mutated_seeds();
    fuzz_session_file_with_mutated_seeds();
    fuzz_import_with_mutated_seeds();
    for (k, (target, _)) in TARGETS.iter().enumerate() {
        let accepted = COUNTS[k].0.load(Ordering::Relaxed);
        let refused = COUNTS[k].1.load(Ordering::Relaxed);
        let tried = accepted + refused;
        println!("{target}: {accepted} mutated inputs accepted, {refused} refused");
        assert!(tried >= 1500, "{target}: {tried} cases");
        assert!(
            accepted * 100 >= tried,
            "{target}: only {accepted} of {tried} accepted"
        );
        assert!(
            refused * 20 >= tried,
            "{target}: only {refused} of {tried} refused"
        );
    }
}
