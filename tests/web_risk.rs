#![cfg(target_arch = "wasm32")]
//! The risk desk in headless Chromium: the same session state and seed give the same figures as
//! natively, bit for bit (the golden values are those `tests/replay_risk.rs` checks natively),
//! and the desk's components show the engine's figures.

use margin_lab::engine::{AssetId, Command, PresetId};
use margin_lab::replay::risk::{self, VarRequest};
use margin_lab::replay::{Scenario, Script, Session};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/dom.rs"]
mod dom;
use dom::*;
#[path = "support/basket_account.rs"]
mod basket_account;
use basket_account::basket_account;

const GOLDEN_MC_VAR: f64 = 8409.096130212;
const GOLDEN_VAR: &str = "c686317ad39134b38f8058454a8c68bd6c04f3a2d97dae29bb5ba7f7c59828d6";
const GOLDEN_STRESS: &str = "5a12a427bae609c790e792f6784495baadbcf9f929483516c6f8a3bc7b565e3f";
const GOLDEN_REVERSE: &str = "4cdd514124e39158d00e89107ef49476d8ec1d88efd469a4c8587318642d8a36";

fn golden_session() -> Session {
    basket_account(48)
}

#[wasm_bindgen_test]
fn risk_figures_match_native_bit_for_bit() {
    let s = golden_session();
    let digest = |text: String| margin_lab::feed::hash::hex_sha256(text.as_bytes());
    let var = risk::var_report(&s, VarRequest::default()).unwrap();
    // TC0: Monte Carlo (1,000 paths through the engine), historical and parametric figures.
    assert_eq!(var.monte_carlo.as_ref().unwrap().var, GOLDEN_MC_VAR);
    assert_eq!(digest(serde_json::to_string(&var).unwrap()), GOLDEN_VAR);
    // TC1: every stress shock and the reverse stress test.
    let stress = risk::stress_library(&s, Default::default()).unwrap();
    assert_eq!(
        digest(serde_json::to_string(&stress).unwrap()),
        GOLDEN_STRESS
    );
    let rev = risk::reverse_stress(&s).unwrap();
    assert_eq!(digest(serde_json::to_string(&rev).unwrap()), GOLDEN_REVERSE);
}

/// The stress row shows the engine's own result for the open position.
#[wasm_bindgen_test]
async fn the_desk_shows_the_engines_stress_result() {
    use margin_lab::engine::risk::stress::library;
    use margin_lab::engine::{MarginMode, Side};
    use margin_lab::ui::util::format;
    let root = mount_app();
    settle().await;
    by_id(&root, "start").click();
    settle().await;
    // TC0: a 10× long on the default Black Thursday-like scenario, then the Black Thursday shock.
    let input: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::dyn_into(by_id(&root, "t-size")).unwrap();
    input.set_value("40");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    settle().await;
    by_id(&root, "submit-order").click();
    settle().await;
    by_id(&root, "tab-risk").click();
    settle().await;
    by_id(&root, "risk-tab-stress").click();
    settle().await;
    by_id(&root, "stress-run-black-thursday").click();
    settle().await;
    let mut s = Session::open(Script::new(Scenario {
        seed: 42,
        ..Scenario::new("eth-black-thursday", PresetId::PerpExchange)
    }))
    .unwrap();
    s.act(Command::OpenPosition {
        market: AssetId::new("ETH"),
        side: Side::Long,
        size: 40.into(),
        leverage: 10.into(),
        mode: MarginMode::Isolated,
    })
    .unwrap();
    let shock = library()
        .into_iter()
        .find(|x| x.id == "black-thursday")
        .unwrap();
    let r = risk::stress(&s, &shock, Default::default()).unwrap();
    assert_eq!(
        text(&root, "stress-loss-black-thursday"),
        format::money(r.loss, 2)
    );
    // TC1: a 10× long does not survive −43%: the row says what was liquidated.
    assert!(!r.liquidated.is_empty());
    assert!(text(&root, "stress-liquidated-black-thursday").contains("ETH"));
}
