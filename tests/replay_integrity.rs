//! What a link claims is what it replays: the whole script with the tick being viewed, every value
//! validated as the picker validates it, canonical bytes only, and a check that binds the scenario
//! and the rules version (hardening issue, items 4, 6, 8 and 9).
#![cfg(not(target_arch = "wasm32"))]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use margin_lab::engine::{
    AssetId, Command, LiquidationKind, MarginMode, OracleSpec, PresetId, RulesVersion, Side,
};
use margin_lab::replay::codec::{self, LinkError};
use margin_lab::replay::script::Check;
use margin_lab::replay::{Scenario, Script, Session, Shared, Verification};
use rust_decimal_macros::dec;

fn perps() -> Scenario {
    Scenario {
        seed: 42,
        ..Scenario::new("eth-black-thursday", PresetId::PerpExchange)
    }
}

fn long(size: rust_decimal::Decimal) -> Command {
    Command::OpenPosition {
        market: AssetId::new("ETH"),
        side: Side::Long,
        size,
        leverage: dec!(5),
        mode: MarginMode::Isolated,
    }
}

fn fixture_link(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/links/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string()
}

/// The envelope's version and payload bytes of a link.
fn payload(link: &str) -> (u8, Vec<u8>) {
    codec::decode(link, margin_lab::replay::SCRIPT_VERSION).unwrap()
}

// Item 4 — TC0: act at tick 10, scrub back to tick 5, share: the link carries the whole script
// and tick 5, opens, verifies at tick 5, and playing on re-applies the tick-10 action to the same
// log as the author's.
#[test]
fn a_link_shared_after_scrubbing_back_opens_and_keeps_the_later_actions() {
    let mut s = Session::open(Script::new(perps())).unwrap();
    s.seek(10).unwrap();
    s.act(long(dec!(2))).unwrap();
    s.seek(30).unwrap();
    let hash_at_30 = s.log_hash();
    s.seek(5).unwrap();
    let link = s.share().to_link();
    let shared = Shared::from_link(&link).expect("the app's own link opens");
    assert_eq!(shared.tick, 5);
    assert_eq!(shared.script.actions.len(), 1);
    let (mut opened, v) = Session::open_shared(shared).unwrap();
    assert_eq!(v, Verification::Verified);
    assert_eq!(opened.tick(), 5);
    assert_eq!(opened.log_hash(), s.log_hash());
    opened.seek(30).unwrap();
    assert_eq!(opened.log_hash(), hash_at_30);
}

// Item 4 — TC1: acting after scrubbing back branches the timeline: the later action is discarded
// and the session is the one a fresh replay of the new script gives.
#[test]
fn acting_after_scrubbing_back_branches_the_timeline() {
    let mut s = Session::open(Script::new(perps())).unwrap();
    s.seek(10).unwrap();
    s.act(long(dec!(2))).unwrap();
    s.seek(300).unwrap();
    s.seek(5).unwrap();
    s.act(long(dec!(1))).unwrap();
    assert_eq!(s.script().actions.len(), 1);
    assert_eq!(s.script().actions[0].tick, 5);
    s.seek(30).unwrap();
    let mut fresh = Session::open(s.script().clone()).unwrap();
    fresh.seek(30).unwrap();
    assert_eq!(fresh.log_hash(), s.log_hash());
    // Scrubbing across a checkpoint (tick 250) after branching rewinds to the branch's own past.
    s.seek(400).unwrap();
    let at_400 = s.log_hash();
    s.seek(260).unwrap();
    s.seek(400).unwrap();
    assert_eq!(s.log_hash(), at_400);
}

// Item 6: a link goes through the same validation as the picker: nonsense oracle or auction
// parameters are refused with their name.
#[test]
fn oracle_and_auction_parameters_in_links_are_validated() {
    let bad_oracles = [
        OracleSpec::ManipulatedSpike {
            at: 0,
            duration: 60,
            factor: dec!(1_000_000),
        },
        OracleSpec::HeartbeatDeviation {
            heartbeat_secs: 0,
            deviation: dec!(0.005),
        },
        OracleSpec::FixedDelay { delay_secs: -5 },
    ];
    for spec in bad_oracles {
        let script = Script::new(Scenario {
            oracle: Some(spec.clone()),
            ..perps()
        });
        let link = Shared::new(script, 0, &"0".repeat(64)).to_link();
        let err = Shared::from_link(&link).unwrap_err();
        assert!(
            matches!(&err, LinkError::Invalid(m) if m.contains("oracle")),
            "{spec:?}: {err}"
        );
    }
    let mut auction = margin_lab::engine::system::maker::auction_eth_a();
    auction.buf = dec!(50);
    let script = Script::new(Scenario {
        liquidation: Some(LiquidationKind::DutchAuction(auction)),
        ..Scenario::new("eth-black-thursday", PresetId::MakerMcd)
    });
    let err = Shared::from_link(&Shared::new(script, 0, &"0".repeat(64)).to_link()).unwrap_err();
    assert!(
        matches!(&err, LinkError::Invalid(m) if m.contains("auction")),
        "{err}"
    );
}

/// Replaces the only occurrence of the postcard string `from` by `to` in `bytes`.
fn replace_string(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let mut needle = vec![from.len() as u8];
    needle.extend_from_slice(from.as_bytes());
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle.as_slice())
        .expect("the string is in the payload");
    let mut out = bytes[..at].to_vec();
    out.push(to.len() as u8);
    out.extend_from_slice(to.as_bytes());
    out.extend_from_slice(&bytes[at + needle.len()..]);
    out
}

// Item 8: only canonical payloads open: no trailing bytes, numbers written as Margin Lab writes
// them, and a flipped hash tag is caught.
#[test]
fn malleable_links_are_refused() {
    let mut s = Session::open(Script::new(perps())).unwrap();
    s.act(long(dec!(1.5))).unwrap();
    let link = s.share().to_link();
    let (version, body) = payload(&link);
    assert!(Shared::from_payload(version, &body).is_ok());
    // TC0: extra bytes after a valid payload.
    for extra in [1usize, 1000, 200_000] {
        let mut long_body = body.clone();
        long_body.extend(std::iter::repeat_n(0u8, extra));
        let err = Shared::from_link(&codec::encode(version, &long_body)).unwrap_err();
        assert!(matches!(err, LinkError::Payload(_)), "{extra} bytes: {err}");
    }
    // TC1: amounts written `+1.5`, `1_5e-1`-like, or with 50 fraction digits parse to the same
    // number but are not what Margin Lab writes.
    for alt in ["+1.5", "1_.5", &format!("1.5{}", "0".repeat(48))] {
        let tampered = replace_string(&body, "1.5", alt);
        let err = Shared::from_link(&codec::encode(version, &tampered)).unwrap_err();
        assert!(matches!(err, LinkError::Payload(_)), "{alt}: {err}");
    }
    // TC2: a payload-1 link whose hash tag is flipped from Some to None (the 32 hash bytes stay
    // behind as trailing bytes) is refused, not opened unverified.
    let v1 = fixture_link("v1-crash-10x-long");
    let (v, mut b) = payload(&v1);
    assert_eq!(v, 1);
    let tag = b.len() - 33;
    assert_eq!(b[tag], 1, "the Option tag of the hash");
    b[tag] = 0;
    let err = Shared::from_link(&codec::encode(1, &b)).unwrap_err();
    assert!(matches!(err, LinkError::Payload(_)), "{err}");
}

// Item 9: what a payload-2 link verifies binds the scenario and the rules version, not only the
// event log: a changed liquidation rule (which a perp session never uses, so the log is the
// same), design or rules version says "differs".
#[test]
fn verification_binds_the_scenario_and_the_rules() {
    let mut s = Session::open(Script::new(perps())).unwrap();
    s.act(long(dec!(2))).unwrap();
    s.seek(60).unwrap();
    let shared = s.share();
    let tamper = |f: &dyn Fn(&mut Scenario)| {
        let mut t = shared.clone();
        f(&mut t.script.scenario);
        // Re-encoded with the author's check: only the scenario changed.
        Shared::from_link(&t.to_link()).unwrap()
    };
    for (what, t) in [
        (
            "liquidation rule",
            tamper(&|sc| sc.liquidation = Some(LiquidationKind::Full)),
        ),
        (
            "rules version",
            tamper(&|sc| sc.rules = RulesVersion::V2026_11),
        ),
        ("seed", tamper(&|sc| sc.seed += 1)),
    ] {
        let (replayed, v) = Session::open_shared(t).unwrap();
        assert_eq!(v, Verification::Differs, "{what}");
        if what == "liquidation rule" {
            assert_eq!(
                replayed.log_hash(),
                s.log_hash(),
                "the log alone would not tell"
            );
        }
    }
    let (_, v) = Session::open_shared(shared).unwrap();
    assert_eq!(v, Verification::Verified);
}

// A payload-1 link still verifies under the rules it was made with, and re-sharing it keeps those
// rules (as a payload-2 link).
#[test]
fn v1_links_reshare_under_their_rules() {
    let shared = Shared::from_link(&fixture_link("v1-aave-borrow")).unwrap();
    assert_eq!(shared.version, 1);
    assert!(matches!(shared.check, Check::LogHash(Some(_))));
    assert_eq!(shared.script.scenario.rules, RulesVersion::V2026_11);
    let (session, v) = Session::open_shared(shared).unwrap();
    assert_eq!(v, Verification::Verified);
    let again = Shared::from_link(&session.share().to_link()).unwrap();
    assert_eq!(again.version, 2);
    assert_eq!(again.script.scenario.rules, RulesVersion::V2026_11);
    let (reopened, v) = Session::open_shared(again).unwrap();
    assert_eq!(v, Verification::Verified);
    assert_eq!(reopened.log_hash(), session.log_hash());
}

// The base64 alphabet of the link is what the envelope writes (a guard for the helpers above).
#[test]
fn envelope_round_trip() {
    let link = Session::open(Script::new(perps()))
        .unwrap()
        .share()
        .to_link();
    let text = link.trim_start_matches("s=");
    let bytes = URL_SAFE_NO_PAD.decode(text).unwrap();
    assert_eq!(bytes[0], margin_lab::replay::SCRIPT_VERSION);
}
