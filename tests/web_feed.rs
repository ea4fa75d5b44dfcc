#![cfg(target_arch = "wasm32")]
//! The same seeds give the same prices in the browser as natively: the golden hashes below are
//! the ones `tests/feed_sim.rs` checks.

use margin_lab::feed::catalogue::crypto_basket;
use margin_lab::feed::gbm::Gbm;
use margin_lab::feed::hash::hex_sha256;
use margin_lab::feed::{catalogue, feed_hash, FeedSpec, Model, SimSpec, Source};
use rust_decimal_macros::dec;
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN_GBM: &str = "6570d231124cabf6d32c07e764077fa644edb684cb733bac477affe899e370eb";
const GOLDEN_CORRELATED: &str = "4a4624e801a59b295b9b01fd24bb9e12a7910142b8d2f8ef3e048319571998c2";
// Every catalogue feed, hashed in order: recorded natively when the crowded Black Thursday entry
// was added (its feed is the Black Thursday one; the other feeds' hashes are unchanged).
const GOLDEN_CATALOGUE: &str = "a0078cf52134beff5b00c450fcc77d46725e38315fc9c092fe643d3640442eda";

fn sim(model: Model, seed: u64, interval_secs: i64, ticks: u64) -> FeedSpec {
    FeedSpec {
        source: Source::Simulated(SimSpec {
            model,
            seed,
            start_time: 1_600_000_000,
            interval_secs,
            ticks,
        }),
        shocks: vec![],
    }
}

/// The page fetches the recorded files; here the test hands over the same bytes (checked against
/// their SHA-256 like a download).
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

#[wasm_bindgen_test]
fn golden_hashes_match_native() {
    provide_recorded_data();
    let gbm = Model::Gbm(Gbm {
        symbol: "ETH".into(),
        s0: dec!(2000),
        drift: 0.05,
        vol: 0.8,
    });
    let g = sim(gbm, 42, 3600, 1000).build().unwrap();
    assert_eq!(feed_hash(g.as_ref()), GOLDEN_GBM);
    let c = sim(Model::Correlated(crypto_basket()), 42, 60, 2000)
        .build()
        .unwrap();
    assert_eq!(feed_hash(c.as_ref()), GOLDEN_CORRELATED);
    let all: String = catalogue()
        .iter()
        .map(|e| feed_hash(e.spec.build().unwrap().as_ref()))
        .collect();
    assert_eq!(hex_sha256(all.as_bytes()), GOLDEN_CATALOGUE);
}
