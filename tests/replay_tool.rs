//! The native replay tool, run as a user runs it.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

fn replay(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_replay"))
        .args(args)
        .output()
        .expect("the tool runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture(name: &str) -> (String, String, String) {
    let path = format!(
        "{}/tests/fixtures/links/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    (
        path,
        lines.next().unwrap().to_string(),
        lines.next().unwrap().to_string(),
    )
}

// TC0: a fixture file and the same link given directly: summary, same hash, verified, exit 0.
#[test]
fn replays_a_link_and_prints_the_browser_hash() {
    let (path, link, hash) = fixture("v1-crash-10x-long");
    for input in [path.as_str(), link.as_str()] {
        let (code, out, err) = replay(&[input]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(&format!("log hash      {hash}")), "{out}");
        assert!(out.contains("replay verified"), "{out}");
        assert!(
            out.contains("scenario      eth-black-thursday (seed 42)"),
            "{out}"
        );
        assert!(out.contains("liquidations"), "{out}");
    }
}

// TC1: --json prints the event log as a JSON array with descriptions.
#[test]
fn json_prints_the_event_log() {
    let (_, link, _) = fixture("v1-aave-borrow");
    let (code, out, _) = replay(&[&link, "--json"]);
    assert_eq!(code, 0);
    let events: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let events = events.as_array().unwrap();
    assert!(events.len() > 10);
    assert!(events
        .iter()
        .all(|e| e["description"].is_string() && e["seq"].is_u64()));
}

// TC2: a damaged link exits 2 with the reason; a session file with the wrong format too.
#[test]
fn bad_input_exits_2_with_a_reason() {
    let (code, _, err) = replay(&["s=AQAB____"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error: This link"), "{err}");
    let dir = std::env::temp_dir().join(format!("margin-lab-replay-tool-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("not-a-session.json");
    std::fs::write(
        &file,
        r#"{"format":"something-else","name":"x","link":"s=A"}"#,
    )
    .unwrap();
    let (code, _, err) = replay(&[file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not a Margin Lab session"), "{err}");
    let (code, _, _) = replay(&[]);
    assert_eq!(code, 2);
}

// TC3: a link whose recorded hash does not match its replay exits 1.
#[test]
fn a_hash_mismatch_exits_1() {
    let (_, link, _) = fixture("v1-crash-10x-long");
    let mut shared = margin_lab::replay::Shared::from_link(&link).unwrap();
    shared.check = margin_lab::replay::script::Check::LogHash(Some([0; 32]));
    let (code, out, _) = replay(&[&shared.to_link()]);
    assert_eq!(code, 1);
    assert!(out.contains("DIFFERS"), "{out}");
}

/// The digest `tests/replay_sweep.rs` pins for 20 seeds × 300 ticks of the same strategy script.
const BRACKET_DIGEST: &str = "35d8b3fe76597e5cb599fc1c7ab55c4215fcff0517fbe38f1696ee7c1ba94f45";

// TC: --seeds tests the link's strategy across seeds and prints the summary and its digest, the
// one the library computes for the same script.
#[test]
fn seeds_prints_the_distribution_and_its_digest() {
    let (path, _, _) = fixture("v2-strategy-bracket");
    let (code, out, err) = replay(&[&path, "--seeds", "20", "--ticks", "300"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("seeds 1 to 20, the first 300 ticks each"),
        "{out}"
    );
    assert!(
        out.contains("\"ETH bracket\" at tick 0: 5× long ETH"),
        "{out}"
    );
    assert!(out.contains("final equity, median"), "{out}");
    assert!(out.contains("stop-loss fills"), "{out}");
    assert!(
        out.contains(&format!("digest        {BRACKET_DIGEST}")),
        "{out}"
    );
    // --json: every seed's outcomes and the report.
    let (code, out, _) = replay(&[&path, "--seeds", "3", "--ticks", "50", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["outcomes"].as_array().unwrap().len(), 3);
    assert!(v["report"]["digest"].is_string());
}

// TC: --expect pins the digest for CI: 0 when it matches, 1 when it differs.
#[test]
fn seeds_expect_pins_the_digest() {
    let (path, _, _) = fixture("v2-strategy-bracket");
    let args = ["--seeds", "20", "--ticks", "300", "--expect"];
    let (code, _, _) = replay(&[
        &path,
        args[0],
        args[1],
        args[2],
        args[3],
        args[4],
        BRACKET_DIGEST,
    ]);
    assert_eq!(code, 0);
    let (code, _, err) = replay(&[&path, args[0], args[1], args[2], args[3], args[4], "0000"]);
    assert_eq!(code, 1);
    assert!(err.contains("differs"), "{err}");
}

// TC: recorded prices have one path; bad counts and missing values are bad input (exit 2).
#[test]
fn seeds_refuses_what_it_cannot_test() {
    use margin_lab::engine::PresetId;
    use margin_lab::replay::{Scenario, Script, Session};
    let recorded = Session::open(Script::new(Scenario::new("sp500-2008", PresetId::AaveV3)))
        .unwrap()
        .share()
        .to_link();
    let (code, _, err) = replay(&[&recorded, "--seeds", "10"]);
    assert_eq!(code, 2);
    assert!(err.contains("recorded prices: there is one path"), "{err}");
    let (strategy, _, _) = fixture("v2-strategy-bracket");
    for args in [
        vec!["--seeds", "0"],
        vec!["--seeds", "5000"],
        vec!["--seeds"],
        vec!["--seeds", "x"],
    ] {
        let mut all = vec![strategy.as_str()];
        all.extend(args.iter().copied());
        let (code, _, err) = replay(&all);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
}
