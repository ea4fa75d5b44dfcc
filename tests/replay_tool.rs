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

/// True when `s` holds a character that could drive a terminal: any control character other than
/// the newline that ends each line (ESC, CR, BEL, C1 controls) or a bidi override / isolate.
fn has_terminal_controls(s: &str) -> bool {
    s.chars().any(|c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

// TC4: a link whose asset id is 100 KB of ANSI escapes drawing a fake green "replay verified"
// line (cursor home, clear line, green text, CR) is refused with the id escaped and cut short; the
// same string as the scenario id too. Before escaping, the tool printed the 100 KB id raw.
#[test]
fn hostile_ids_cannot_drive_the_terminal() {
    let fake = "\u{1b}[2K\u{1b}[1G\u{1b}[32mverification  replay verified: same hash as the author's\u{1b}[0m\r\u{7}\u{9b}2J\u{202e}";
    let hostile = fake.repeat(100_000 / fake.len() + 1);
    assert!(hostile.len() > 100_000);
    let (_, link, _) = fixture("v1-aave-borrow");
    let base = margin_lab::replay::Shared::from_link(&link).unwrap();

    let mut with_asset = base.clone();
    let tick = with_asset.tick;
    with_asset.script.actions.push(margin_lab::replay::Action {
        tick,
        command: margin_lab::engine::Command::Fund {
            asset: margin_lab::engine::AssetId::from(hostile.clone()),
            amount: rust_decimal::Decimal::ONE,
        },
    });
    let mut with_feed = base.clone();
    with_feed.script.scenario.feed = hostile.clone();

    for (case, shared) in [("asset id", with_asset), ("scenario id", with_feed)] {
        let link = shared.to_link();
        assert!(
            link.len() < margin_lab::replay::codec::MAX_LINK_CHARS,
            "{case}: the link fits"
        );
        let (code, out, err) = replay(&[&link]);
        assert_eq!(code, 2, "{case}: {out}{err}");
        assert!(out.is_empty(), "{case}: {out}");
        assert!(err.starts_with("error: This link"), "{case}: {err}");
        assert!(!has_terminal_controls(&err), "{case}: {err:?}");
        assert!(err.len() < 600, "{case}: {} bytes: {err}", err.len());
        assert!(
            err.contains("\\u{1b}[2K"),
            "{case}: the id is shown escaped: {err}"
        );
        if case == "asset id" {
            assert!(err.contains('…'), "{case}: the id is cut: {err}");
        }
    }
}

/// A fresh scratch directory for one test's files.
fn scratch_dir(test: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("margin-lab-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// TC5: files saved with a UTF-8 byte-order mark (as Notepad and some editors save them) replay
// like files without one: a session file and a link text file. Before, both were reported as a
// damaged link.
#[test]
fn files_with_a_byte_order_mark_replay() {
    let (_, link, hash) = fixture("v1-aave-borrow");
    let dir = scratch_dir("bom");
    let session = margin_lab::replay::file::SessionFile::new("study", link.clone()).to_json();
    for (name, body) in [
        ("session.json", session.clone()),
        ("session-crlf.json", session.replace('\n', "\r\n")),
        ("link.txt", format!("{link}\n{hash}\n")),
    ] {
        let file = dir.join(name);
        std::fs::write(&file, format!("\u{feff}{body}")).unwrap();
        let (code, out, err) = replay(&[file.to_str().unwrap()]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(
            out.contains(&format!("log hash      {hash}")),
            "{name}: {out}"
        );
        assert!(out.contains("replay verified"), "{name}: {out}");
    }
}

// TC6..: paths that do not lead to a session say what happened, not "damaged link".
#[test]
fn missing_and_unreadable_paths_are_named_as_such() {
    let dir = scratch_dir("paths");
    let binary = dir.join("binary.json");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x7b]).unwrap();
    let not_a_link = dir.join("notes.txt");
    std::fs::write(&not_a_link, "remember the milk\n").unwrap();
    let missing = dir.join("no-such-session.json");
    let cases = [
        // TC6: a missing file, absolute and relative, with and without an extension
        (missing.to_str().unwrap().to_string(), "no such file: "),
        (
            "sessions/crash.json".to_string(),
            "no such file: sessions/crash.json",
        ),
        ("./crash".to_string(), "no such file: ./crash"),
        // TC7: a directory
        (dir.to_str().unwrap().to_string(), "not a file"),
        // TC8: a file that is not text
        (binary.to_str().unwrap().to_string(), "not a text file"),
        // TC9: a text file whose first line is not a link: the file is named with the reason
        (
            not_a_link.to_str().unwrap().to_string(),
            "notes.txt: This link is damaged",
        ),
    ];
    for (arg, want) in cases {
        let (code, out, err) = replay(&[&arg]);
        assert_eq!(code, 2, "{arg}: {out}");
        assert!(err.contains(want), "{arg}: expected {want:?} in {err:?}");
        if want.starts_with("no such file") || want == "not a file" || want == "not a text file" {
            assert!(!err.contains("damaged"), "{arg}: {err}");
        }
    }
}

// TC: a link with a crowd prints the market's totals too (the crowd is rebuilt from the seed).
#[test]
fn a_crowd_link_prints_the_market_totals() {
    let (path, _, hash) = fixture("v2-crowd-crash");
    let (code, out, err) = replay(&[&path]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("log hash      {hash}")), "{out}");
    assert!(out.contains("market        1000 other borrowers"), "{out}");
    assert!(out.contains("market liq."), "{out}");
    assert!(out.contains("market value  collateral"), "{out}");
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

// TC10: a link file that gives the hash each link must replay to is checked against it. A fixture
// file (link, then its hash): "matches", exit 0; the same link with another hash: "DIFFERS", exit 1.
// A corpus (a `#` comment, lines of `<link> <hash>`): the count, exit 0; one wrong hash: that line
// named, exit 1; an unreadable link: its line named, exit 2; options that need one link refused.
#[test]
fn link_files_are_checked_against_their_hashes() {
    let dir = scratch_dir("hashes");
    let (_, link, hash) = fixture("v1-aave-borrow");
    let (_, other, other_hash) = fixture("v1-crash-10x-long");
    let wrong = "0".repeat(64);
    let write = |name: &str, body: String| {
        let file = dir.join(name);
        std::fs::write(&file, body).unwrap();
        file.to_str().unwrap().to_string()
    };

    let good = write("good.txt", format!("{link}\n{hash}\n"));
    let (code, out, err) = replay(&[&good]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("file's hash   {hash}: matches the replay")),
        "{out}"
    );
    let bad = write("bad.txt", format!("{link}\n{wrong}\n"));
    let (code, out, _) = replay(&[&bad]);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!("file's hash   {wrong}: DIFFERS")),
        "{out}"
    );

    let corpus = format!("# two links\n{link} {hash}\n\n{other} {other_hash}\n");
    let (code, out, err) = replay(&[&write("corpus.txt", corpus)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.trim(),
        "2 links: 2 replay to their hashes, 0 differ, 0 cannot be read"
    );
    let corpus = format!("# two links\n{link} {hash}\n{other} {wrong}\n");
    let (code, out, _) = replay(&[&write("corpus-wrong.txt", corpus)]);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!(
            "line 3: DIFFERS: replays to {other_hash}, the file says {wrong}"
        )),
        "{out}"
    );
    assert!(
        out.contains("2 links: 1 replay to their hashes, 1 differ"),
        "{out}"
    );
    let corpus = format!("{link} {hash}\ns=AQ {hash}\n");
    let (code, out, err) = replay(&[&write("corpus-damaged.txt", corpus)]);
    assert_eq!(code, 2);
    assert!(err.contains(", line 2: "), "{err}");
    assert!(out.contains("1 cannot be read"), "{out}");

    let corpus = write(
        "corpus-json.txt",
        format!("{link} {hash}\n{other} {other_hash}\n"),
    );
    let (code, out, err) = replay(&[&corpus, "--json"]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("a file of 2 links is checked link by link"),
        "{err}"
    );
    assert_eq!(replay(&[&write("empty.txt", "# nothing\n\n".into())]).0, 2);
}

// TC11: the committed corpus of published v1 links, through the tool as a user runs it.
#[test]
fn the_published_v1_corpus_verifies_with_the_tool() {
    let path = format!(
        "{}/tests/fixtures/links/v1-corpus.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let (code, out, err) = replay(&[&path]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out.trim(),
        "130 links: 130 replay to their hashes, 0 differ, 0 cannot be read"
    );
}
