//! Orders and tests across seeds in headless Chromium: the browser computes the digest the native
//! build pins, the seed-test panel shows the engine's summary, and the order form places what
//! the engine accepts.
#![cfg(target_arch = "wasm32")]

use margin_lab::engine::PresetId;
use margin_lab::replay::sweep::{report, Sweep, SweepSpec};
use margin_lab::replay::{Scenario, Script, Session, Shared};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/dom.rs"]
mod dom;
use dom::*;
#[path = "support/bracket.rs"]
mod bracket;
use bracket::strategy_script;

/// `tests/replay_sweep.rs`'s pinned digest of 20 seeds × 300 ticks of the same strategy script.
const GOLDEN_DIGEST: &str = "35d8b3fe76597e5cb599fc1c7ab55c4215fcff0517fbe38f1696ee7c1ba94f45";

// TC0: the browser computes, seed by seed, the outcomes the native build computes.
#[wasm_bindgen_test]
fn the_browser_gives_the_native_digest() {
    let sweep = Sweep::new(
        &strategy_script(),
        SweepSpec {
            seeds: 20,
            ticks: Some(300),
        },
    )
    .unwrap();
    assert_eq!(report(&sweep.run_all().unwrap()).digest, GOLDEN_DIGEST);
}

// TC1: a strategy link opened in the page: the Automation tab shows it attached, and its test
// across seeds shows the digest of the engine's outcomes (here on the page, without workers).
#[wasm_bindgen_test]
async fn the_seed_test_panel_shows_the_engines_summary() {
    let script = strategy_script();
    let session = Session::open(script.clone()).unwrap();
    let link = Shared::new(script.clone(), 0, &session.log_hash()).to_link();
    let location = web_sys::window().unwrap().location();
    location.set_hash(&link).unwrap();
    let root = mount_app();
    settle().await;
    location.set_hash("").unwrap();
    by_id(&root, "tab-automation").click();
    settle().await;
    assert!(text(&root, "strategy-attached").contains("ETH bracket"));
    type_into(&root, "seed-count", "6");
    type_into(&root, "seed-ticks", "120");
    settle().await;
    by_id(&root, "seed-run").click();
    wait_for(&root, "seed-digest", 120).await;
    let expected = report(
        &Sweep::new(
            &script,
            SweepSpec {
                seeds: 6,
                ticks: Some(120),
            },
        )
        .unwrap()
        .run_all()
        .unwrap(),
    );
    assert_eq!(
        text(&root, "seed-digest"),
        format!("digest {}", expected.digest)
    );
    let summary = text(&root, "seed-summary");
    assert!(summary.contains("Final equity: median"), "{summary}");
    assert!(summary.contains("Runs with a liquidation"), "{summary}");
    assert!(text(&root, "seed-elapsed").contains("6 seeds × 120 ticks"));
}

// TC2: recorded prices: the panel says there is one path instead of running.
#[wasm_bindgen_test]
async fn recorded_prices_have_one_path() {
    // The page fetches the recorded prices (`public/data`); here the test hands over the same
    // bytes, checked against their SHA-256 like a download.
    margin_lab::feed::replayed::provide(
        margin_lab::feed::Dataset::Sp500Daily,
        include_bytes!("../public/data/sp500-2000.csv"),
    )
    .unwrap();
    let script = Script::new(Scenario::new("sp500-2008", PresetId::AaveV3));
    let session = Session::open(script.clone()).unwrap();
    let location = web_sys::window().unwrap().location();
    location
        .set_hash(&Shared::new(script, 0, &session.log_hash()).to_link())
        .unwrap();
    let root = mount_app();
    settle().await;
    location.set_hash("").unwrap();
    by_id(&root, "tab-automation").click();
    settle().await;
    assert!(text(&root, "seed-one-path").contains("recorded prices: there is one path"));
    let run: web_sys::HtmlButtonElement = by_id(&root, "seed-run").dyn_into().unwrap();
    assert!(run.disabled());
}

// TC3: the order form places a stop the engine accepts, the open-orders table and the positions
// table show it, and a stop on the wrong side of the mark is refused with the engine's reason.
#[wasm_bindgen_test]
async fn the_order_form_places_what_the_engine_accepts() {
    let root = mount_app();
    settle().await;
    by_id(&root, "start").click();
    settle().await;
    type_into(&root, "t-size", "10");
    settle().await;
    by_id(&root, "submit-order").click();
    settle().await;
    type_into(&root, "o-price", "1000");
    settle().await;
    assert!(text(&root, "o-rejection").contains("would fire at once"));
    type_into(&root, "o-price", "190");
    settle().await;
    assert!(text(&root, "o-preview").contains("placed a stop-loss #1"));
    by_id(&root, "o-submit").click();
    settle().await;
    assert!(text(&root, "open-orders").contains("Stop ETH long"));
    assert!(text(&root, "position-brackets").contains("190"));
    // Cancelling it by hand.
    by_id(&root, "cancel-order-1").click();
    settle().await;
    assert!(find(&root, "open-orders").is_none());
}
