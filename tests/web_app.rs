//! The app's components in a real DOM (headless Chromium): what they show is what the engine says.
#![cfg(target_arch = "wasm32")]

use margin_lab::engine::{AccountId, AssetId, Command, MarginMode, Side};
use margin_lab::replay::{Scenario, Script, Session, Shared, Verification};
use margin_lab::ui::util::format;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/dom.rs"]
mod dom;
use dom::*;

/// The picker's default scenario: the Black Thursday-like ETH crash on the perpetuals exchange.
fn default_script() -> Script {
    Script::new(Scenario {
        seed: 42,
        ..Scenario::new(
            "eth-black-thursday",
            margin_lab::engine::PresetId::PerpExchange,
        )
    })
}

fn long(size: i64) -> Command {
    Command::OpenPosition {
        market: AssetId::new("ETH"),
        side: Side::Long,
        size: size.into(),
        leverage: 10.into(),
        mode: MarginMode::Isolated,
    }
}

#[wasm_bindgen_test]
async fn order_ticket_previews_the_engine_and_refuses_what_it_refuses() {
    let root = mount_app();
    settle().await;
    by_id(&root, "start").click();
    settle().await;

    // TC0: an order the account can carry: the preview is the engine's own preview.
    type_into(&root, "t-size", "40");
    settle().await;
    let expected = Session::open(default_script())
        .unwrap()
        .preview(&long(40))
        .unwrap();
    let pos = expected
        .positions
        .iter()
        .find(|p| p.market.as_str() == "ETH")
        .unwrap();
    assert_eq!(
        text(&root, "preview-liq"),
        format::price(pos.liquidation_price.unwrap())
    );
    assert_eq!(text(&root, "preview-margin"), format::money(pos.margin, 2));
    let submit: web_sys::HtmlButtonElement = by_id(&root, "submit-order").dyn_into().unwrap();
    assert!(!submit.disabled());

    // TC1: too big for the margin: the engine's reason, in words, and no way to submit.
    type_into(&root, "t-size", "100000");
    settle().await;
    let reason = Session::open(default_script())
        .unwrap()
        .preview(&long(100_000))
        .unwrap_err();
    assert_eq!(text(&root, "ticket-rejection"), reason);
    assert!(submit.disabled());

    // TC2: not a number.
    type_into(&root, "t-size", "ten");
    settle().await;
    assert_eq!(
        text(&root, "ticket-rejection"),
        "Size must be a number, like 2.5."
    );
}

#[wasm_bindgen_test]
async fn dashboard_shows_the_engine_metrics_after_a_trade() {
    let root = mount_app();
    settle().await;
    by_id(&root, "start").click();
    settle().await;
    type_into(&root, "t-size", "40");
    settle().await;
    by_id(&root, "submit-order").click();
    settle().await;

    let mut session = Session::open(default_script()).unwrap();
    session.act(long(40)).unwrap();
    let m = session.engine().account_metrics(&AccountId::USER).unwrap();
    assert_eq!(text(&root, "m-equity"), format::money(m.equity, 2));
    assert_eq!(
        text(&root, "m-margin-ratio"),
        format::pct(m.margin_ratio.unwrap())
    );
    assert_eq!(text(&root, "m-upnl"), format::money(m.unrealized_pnl, 2));
    let liq = m.positions[0].liquidation_price.unwrap();
    assert!(text(&root, "liq-prices").contains(&format::price(liq)));
    assert!(text(&root, "positions").contains("long ETH"));
}

#[wasm_bindgen_test]
async fn stepping_moves_the_tick_and_the_hash_matches_a_replay() {
    let root = mount_app();
    settle().await;
    by_id(&root, "start").click();
    settle().await;
    for _ in 0..5 {
        by_id(&root, "step").click();
        settle().await;
    }
    assert!(text(&root, "tick").starts_with("tick 5 /"));
    let mut session = Session::open(default_script()).unwrap();
    session.seek(5).unwrap();
    assert_eq!(
        text(&root, "log-hash"),
        format!("log {}…", &session.log_hash()[..16])
    );
}

/// The page fetches the recorded prices (`public/data`); here the test hands over the same bytes,
/// checked against their SHA-256 like a download.
fn provide_recorded_data() {
    use margin_lab::feed::replayed::provide;
    use margin_lab::feed::Dataset;
    provide(
        Dataset::Sp500Daily,
        include_bytes!("../public/data/sp500-2000.csv"),
    )
    .unwrap();
    provide(
        Dataset::StocksMonthly,
        include_bytes!("../public/data/stocks.csv"),
    )
    .unwrap();
}

// Every committed fixture link — the 130 published v1 links of the corpus (every scenario ×
// preset × design, recorded prices included) and the v1 and v2 fixtures — replays in this browser
// to the hash recorded natively: the engine, the feeds and the codec are deterministic across
// platforms and browsers (`./dev test-wasm` runs this in Chromium and in Firefox).
#[wasm_bindgen_test]
fn fixture_links_verify_in_the_browser() {
    provide_recorded_data();
    let corpus = include_str!("fixtures/links/v1-corpus.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_once(' ').expect("`<link> <hash>` per line"));
    let fixtures = [
        include_str!("fixtures/links/v1-crash-10x-long.txt"),
        include_str!("fixtures/links/v1-aave-borrow.txt"),
        include_str!("fixtures/links/v2-crash-10x-long.txt"),
        include_str!("fixtures/links/v2-aave-borrow.txt"),
    ]
    .map(|f| {
        let mut lines = f.lines();
        (lines.next().unwrap(), lines.next().unwrap())
    });
    let mut checked = 0;
    for (link, hash) in corpus.chain(fixtures) {
        let (session, verification) = Session::open_shared(Shared::from_link(link).unwrap())
            .unwrap_or_else(|e| panic!("{link}: {e}"));
        assert_eq!(verification, Verification::Verified, "{link}");
        assert_eq!(session.log_hash(), hash.trim(), "{link}");
        checked += 1;
    }
    assert_eq!(checked, 134);
}

#[wasm_bindgen_test]
async fn a_link_in_the_address_opens_verified_and_a_hostile_one_is_explained() {
    let link = include_str!("fixtures/links/v1-crash-10x-long.txt")
        .lines()
        .next()
        .unwrap();
    let location = web_sys::window().unwrap().location();
    location.set_hash(link).unwrap();
    let root = mount_app();
    settle().await;
    assert!(text(&root, "replay-verified").contains("Replay verified"));

    location.set_hash("s=AQAB____").unwrap();
    let root = mount_app();
    settle().await;
    assert!(text(&root, "status-error").starts_with("This link"));
    assert!(
        root.query_selector("[data-testid='tick']")
            .unwrap()
            .is_none(),
        "no session was loaded"
    );
    location.set_hash("").unwrap();
}

/// A picked file of `len` bytes, made in the page.
fn file_of(len: usize, name: &str) -> web_sys::File {
    let bytes = js_sys::Uint8Array::new_with_length(len as u32);
    bytes.fill(b'1', 0, len as u32);
    let parts = js_sys::Array::of1(&bytes);
    web_sys::File::new_with_u8_array_sequence(&parts, name).unwrap()
}

// A file above the cap is refused from its size, before it is read into wasm memory (before, the
// whole file was copied in and the parser refused it afterwards); one at the cap is read.
#[wasm_bindgen_test]
async fn an_oversized_file_is_refused_before_it_is_read() {
    use margin_lab::feed::csv_import::MAX_BYTES;
    use margin_lab::ui::util::upload::read_bytes;
    let big = file_of(MAX_BYTES + 1, "big.csv");
    let err = read_bytes(&big, MAX_BYTES).await.unwrap_err();
    assert_eq!(
        err,
        format!(
            "big.csv was not read: it is {} bytes; the limit is {MAX_BYTES} bytes.",
            MAX_BYTES + 1
        )
    );
    let at_cap = file_of(MAX_BYTES, "ok.csv");
    assert_eq!(
        read_bytes(&at_cap, MAX_BYTES).await.unwrap().len(),
        MAX_BYTES
    );
    let session = file_of(margin_lab::replay::file::MAX_FILE_BYTES + 1, "s.json");
    assert!(
        read_bytes(&session, margin_lab::replay::file::MAX_FILE_BYTES)
            .await
            .unwrap_err()
            .contains("was not read")
    );
}
