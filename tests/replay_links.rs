//! Share links: size, exact reproduction, committed fixtures of every payload version, and hostile
//! links (each refused with a reason, none panics).
#![cfg(not(target_arch = "wasm32"))]

use margin_lab::engine::{AlertKind, AssetId, Command, MarginMode, PresetId, Side};
use margin_lab::replay::codec::{self, LinkError, MAX_LINK_CHARS};
use margin_lab::replay::{Action, Scenario, Script, Session, Shared, Verification};
use proptest::prelude::*;
use rust_decimal_macros::dec;

#[path = "support/bracket.rs"]
mod bracket;

fn scenario(feed: &str) -> Scenario {
    Scenario {
        seed: 7,
        starting_cash: dec!(100000),
        ..Scenario::new(feed, PresetId::PerpExchange)
    }
}

/// A session with `n` accepted actions: small longs and shorts, partial closes and alerts, spread
/// over the scenario's ticks.
fn busy_session(n: usize) -> Session {
    let mut s = Session::open(Script::new(scenario("calm-gbm"))).unwrap();
    let eth = AssetId::new("ETH");
    let mut i = 0usize;
    while s.script().actions.len() < n {
        s.advance(3, false).unwrap();
        let cmd = match i % 4 {
            0 => Command::OpenPosition {
                market: eth.clone(),
                side: Side::Long,
                size: dec!(0.5),
                leverage: dec!(5),
                mode: MarginMode::Cross,
            },
            1 => Command::ReducePosition {
                market: eth.clone(),
                size: dec!(0.25),
            },
            2 => Command::SetAlert {
                kind: AlertKind::MarginRatioAbove,
                threshold: dec!(0.8),
            },
            _ => Command::OpenPosition {
                market: eth.clone(),
                side: Side::Long,
                size: dec!(0.1),
                leverage: dec!(3),
                mode: MarginMode::Cross,
            },
        };
        s.act(cmd)
            .unwrap_or_else(|e| panic!("action {i} refused: {e}"));
        i += 1;
    }
    s
}

fn share(s: &Session) -> Shared {
    s.share()
}

// TC0: a 200-action session fits in 2,000 characters and replays to the same hash.
#[test]
fn two_hundred_actions_fit_in_two_thousand_chars() {
    let s = busy_session(200);
    let link = share(&s).to_link();
    println!("200-action link: {} characters", link.len());
    assert!(link.len() <= 2000, "{} characters", link.len());
    let (replayed, v) = Session::open_shared(Shared::from_link(&link).unwrap()).unwrap();
    assert_eq!(v, Verification::Verified);
    assert_eq!(replayed.log_hash(), s.log_hash());
}

/// Committed links of every payload version ever written, with the hash their author saw.
/// Regenerate the current version's with `MARGIN_LAB_WRITE_FIXTURES=1 cargo test --test replay_links`
/// (only before they are published: a published link never changes).
const FIXTURES: &[&str] = &[
    "v1-crash-10x-long",
    "v1-aave-borrow",
    "v2-crash-10x-long",
    "v2-aave-borrow",
    "v2-crowd-crash",
    "v2-strategy-bracket",
];

fn fixture_session(name: &str) -> Session {
    match name {
        "v2-crash-10x-long" => {
            let mut s = Session::open(Script::new(Scenario {
                feed: "eth-black-thursday".into(),
                seed: 42,
                starting_cash: dec!(10000),
                ..scenario("x")
            }))
            .unwrap();
            s.act(Command::OpenPosition {
                market: AssetId::new("ETH"),
                side: Side::Long,
                size: dec!(40),
                leverage: dec!(10),
                mode: MarginMode::Isolated,
            })
            .unwrap();
            s.advance(100, false).unwrap();
            s
        }
        "v2-aave-borrow" => {
            let sc = Scenario {
                feed: "eth-black-thursday".into(),
                seed: 42,
                preset: PresetId::AaveV3,
                ..scenario("x")
            };
            let mut s = Session::open(Script::new(sc)).unwrap();
            s.act(Command::Deposit {
                asset: AssetId::new("ETH"),
                amount: dec!(100),
            })
            .unwrap();
            s.act(Command::Borrow {
                asset: AssetId::new("USDC"),
                amount: dec!(15000),
            })
            .unwrap();
            s.advance(120, false).unwrap();
            s
        }
        "v2-crowd-crash" => {
            let mut sc = Scenario {
                seed: 42,
                ..Scenario::new("eth-black-thursday-crowd", PresetId::AaveV3)
            };
            sc.set(margin_lab::replay::script::ScenarioOption::Population(
                margin_lab::engine::population::PopulationParams::with_count(1000),
            ));
            let mut s = Session::open(Script::new(sc)).unwrap();
            s.act(Command::Deposit {
                asset: AssetId::new("ETH"),
                amount: dec!(100),
            })
            .unwrap();
            s.act(Command::Borrow {
                asset: AssetId::new("USDC"),
                amount: dec!(12000),
            })
            .unwrap();
            s.advance(120, false).unwrap();
            s
        }
        "v2-strategy-bracket" => {
            // The script `tests/support/bracket.rs` pins, its strategy attached at tick 0.
            let strategy = bracket::bracket();
            let mut s = Session::open(Script::new(Scenario {
                seed: 1,
                ..Scenario::new("eth-jumps", PresetId::PerpExchange)
            }))
            .unwrap();
            s.act(Command::SetStrategy { strategy }).unwrap();
            s.advance(200, false).unwrap();
            s
        }
        other => {
            panic!("{other} is a published fixture of an older payload: it is never rewritten")
        }
    }
}

// TC1: every committed fixture still opens and reproduces its author's hash.
#[test]
fn committed_fixture_links_still_verify() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links");
    for name in FIXTURES {
        let path = dir.join(format!("{name}.txt"));
        if std::env::var_os("MARGIN_LAB_WRITE_FIXTURES").is_some()
            && name.starts_with(&format!("v{}-", margin_lab::replay::SCRIPT_VERSION))
        {
            let s = fixture_session(name);
            std::fs::write(
                &path,
                format!("{}\n{}\n", share(&s).to_link(), s.log_hash()),
            )
            .unwrap();
        }
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut lines = text.lines();
        let (link, hash) = (lines.next().unwrap(), lines.next().unwrap());
        let (session, v) = Session::open_shared(Shared::from_link(link).unwrap()).unwrap();
        assert_eq!(v, Verification::Verified, "{name}");
        assert_eq!(session.log_hash(), hash, "{name}");
    }
}

// TC2: hostile links, each refused with a message and no panic.
#[test]
fn hostile_links_are_refused() {
    let good = share(&busy_session(10)).to_link();
    let body = good.trim_start_matches("s=");
    let cases: Vec<(&str, String)> = vec![
        ("truncated", format!("s={}", &body[..body.len() / 2])),
        ("one char cut", format!("s={}", &body[..body.len() - 1])),
        ("bad characters", format!("s={body}%%")),
        (
            "oversized",
            format!("s={}", "A".repeat(MAX_LINK_CHARS + 10)),
        ),
        (
            "unknown version",
            format!("s={}", codec::encode(200, b"whatever")),
        ),
        (
            "version zero",
            format!("s={}", codec::encode(0, b"whatever")),
        ),
        (
            "not postcard",
            format!("s={}", codec::encode(1, &[0xff; 40])),
        ),
        ("empty", "#".into()),
    ];
    for (what, link) in cases {
        let err = Shared::from_link(&link).expect_err(what);
        assert!(!err.to_string().is_empty(), "{what}");
    }
}

// TC3: links that decode but ask for absurd things are refused when replayed, with the reason.
#[test]
fn absurd_values_are_refused_with_a_reason() {
    let base = share(&busy_session(2));
    let mut unknown_feed = base.clone();
    unknown_feed.script.scenario.feed = "no-such-scenario".into();
    let mut huge_cash = base.clone();
    huge_cash.script.scenario.starting_cash = dec!(1e20);
    let mut past_end = base.clone();
    past_end.script.actions.push(Action {
        tick: 1_000_000,
        command: Command::ClosePosition {
            market: AssetId::new("ETH"),
        },
    });
    past_end.tick = 1_000_000;
    let mut negative = base.clone();
    negative.script.actions.push(Action {
        tick: base.tick,
        command: Command::OpenPosition {
            market: AssetId::new("ETH"),
            side: Side::Short,
            size: dec!(-5),
            leverage: dec!(1000000),
            mode: MarginMode::Isolated,
        },
    });
    let mut unordered = base.clone();
    unordered.script.actions.reverse();
    for (what, shared) in [
        ("unknown feed", unknown_feed),
        ("huge cash", huge_cash),
        ("past end", past_end),
        ("negative size", negative),
        ("unordered", unordered),
    ] {
        let link = shared.to_link();
        let outcome = Shared::from_link(&link)
            .map_err(|e| e.to_string())
            .and_then(Session::open_shared);
        let err = outcome
            .err()
            .unwrap_or_else(|| panic!("{what} was accepted"));
        println!("{what}: {err}");
        assert!(err.len() > 10, "{what}: {err}");
    }
}

// TC4: a tampered action is caught by the hash even when it is valid.
#[test]
fn tampered_link_does_not_verify() {
    let mut shared = share(&busy_session(6));
    if let Command::OpenPosition { size, .. } = &mut shared.script.actions[0].command {
        *size = dec!(0.4);
    }
    let (_, v) = Session::open_shared(Shared::from_link(&shared.to_link()).unwrap()).unwrap();
    assert_eq!(v, Verification::Differs);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

    // Fuzz: arbitrary bytes behind a valid envelope never panic the payload decoder.
    #[test]
    fn arbitrary_payloads_never_panic(version in 0u8..4, payload in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = Shared::from_link(&codec::encode(version, &payload));
    }

    // Fuzz: arbitrary link text never panics the envelope decoder.
    #[test]
    fn arbitrary_text_never_panics(text in "[A-Za-z0-9_#=%-]{0,600}") {
        let _ = Shared::from_link(&text);
    }

    // Round trip: any script of valid shape survives encode/decode unchanged.
    #[test]
    fn scripts_round_trip(seed in any::<u64>(), ticks in proptest::collection::vec(0u32..700, 0..60), cash in 0u64..1_000_000) {
        let mut ticks = ticks;
        ticks.sort_unstable();
        let script = Script {
            scenario: Scenario { seed, starting_cash: cash.into(), ..scenario("calm-gbm") },
            actions: ticks.iter().map(|&t| Action { tick: t, command: Command::SetAlert { kind: AlertKind::HealthFactorBelow, threshold: dec!(1.25) } }).collect(),
        };
        let shared = Shared::new(script, ticks.last().copied().unwrap_or(0), &"7".repeat(64));
        prop_assert_eq!(Shared::from_link(&shared.to_link()).unwrap(), shared);
    }
}

#[test]
fn link_errors_read_as_sentences() {
    let e = Shared::from_link("s=A").unwrap_err();
    assert!(matches!(e, LinkError::Truncated));
    assert!(e.to_string().starts_with("This link"));
}

/// `[version, encoding, body…]` as link text.
fn envelope(bytes: &[u8]) -> String {
    use base64::Engine as _;
    format!(
        "s={}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

// TC4..: only an envelope a later build could have written is called "newer"; random bytes are
// told they are not a Margin Lab link. Before, any first byte above 1 claimed a newer version.
#[test]
fn only_plausible_envelopes_are_called_newer() {
    let newer = "This link was made by a newer Margin Lab";
    let not_ours = "This link is not a Margin Lab session";
    for (bytes, want) in [
        // TC4: the next versions (this build writes 2), raw or deflated
        (&[3u8, 0, 1, 2, 3][..], newer),
        (&[10, 1, 0xab, 0xcd][..], newer),
        // TC5: too far ahead, or an encoding byte no version writes
        (&[11, 0, 1, 2][..], not_ours),
        (&[200, 1, 1, 2][..], not_ours),
        (&[3, 7, 1, 2][..], not_ours),
        (&[0xff, 0xfe, 0x00][..], not_ours),
        // TC6: version zero
        (&[0, 0, 1][..], not_ours),
    ] {
        let msg = Shared::from_link(&envelope(bytes)).unwrap_err().to_string();
        assert!(msg.starts_with(want), "{bytes:?}: {msg}");
    }
}

// TC7: of 20,000 random byte strings (a fixed splitmix64 stream), the only ones called newer are
// those whose first two bytes happen to form a plausible envelope: about 8/256 × 2/256 of them.
#[test]
fn random_bytes_are_almost_never_called_newer() {
    let mut state = 0x5eed_u64;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let (mut called_newer, mut plausible, mut tried) = (0, 0, 0);
    for _ in 0..20_000 {
        let len = 2 + (next() % 60) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let msg = Shared::from_link(&envelope(&bytes))
            .unwrap_err()
            .to_string();
        tried += 1;
        called_newer += usize::from(msg.contains("newer"));
        plausible += usize::from((2..=9).contains(&bytes[0]) && bytes[1] <= 1);
    }
    assert_eq!(tried, 20_000);
    assert_eq!(called_newer, plausible);
    assert!(
        called_newer * 1000 < tried,
        "{called_newer} of {tried} called newer"
    );
}
