//! The app shell mounted in a real DOM (headless Chromium through wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/dom.rs"]
mod dom;
use dom::*;

#[wasm_bindgen_test]
fn shell_has_every_region_with_its_heading() {
    let root = mount_app();
    for (area, title) in [
        ("chart", "Price"),
        ("ticket", "Order ticket"),
        ("account", "Account"),
    ] {
        let region = root
            .query_selector(&format!("[data-testid='{area}']"))
            .expect("valid selector")
            .unwrap_or_else(|| panic!("region {area} is missing"));
        let heading = region
            .query_selector("h2")
            .expect("valid selector")
            .expect("a heading");
        assert_eq!(heading.text_content().as_deref(), Some(title));
        assert_eq!(
            region.get_attribute("aria-labelledby"),
            heading.get_attribute("id"),
            "region {area} is labelled by its heading"
        );
    }
    // The lower region holds tabs: the event log first, then the tools.
    let events = root
        .query_selector("[data-testid='events']")
        .unwrap()
        .expect("the events region");
    assert_eq!(
        events.get_attribute("aria-label").as_deref(),
        Some("Event log and tools")
    );
    let tabs: Vec<String> = ["events", "collateral", "compare", "saved"]
        .iter()
        .filter_map(|t| {
            events
                .query_selector(&format!("[data-testid='tab-{t}']"))
                .ok()??
                .text_content()
        })
        .collect();
    assert_eq!(
        tabs,
        [
            "Event log",
            "Collateral & debt",
            "Compare",
            "Saved sessions"
        ]
    );
    assert_eq!(
        root.query_selector("h1")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Margin Lab")
    );
}

#[wasm_bindgen_test]
async fn theme_toggle_switches_and_remembers() {
    let root = mount_app();
    leptos::task::tick().await;
    let html = document().document_element().unwrap();
    let before = html
        .get_attribute("data-theme")
        .expect("a theme is applied on mount");
    let button: web_sys::HtmlElement = root
        .query_selector("[data-testid='theme-toggle']")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
    // Effects run in a microtask; flush them before reading the DOM.
    leptos::task::tick().await;
    let after = html.get_attribute("data-theme").unwrap();
    assert_ne!(before, after);
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("margin-lab.theme")
        .unwrap();
    assert_eq!(stored.as_deref(), Some(format!("\"{after}\"").as_str()));
}

/// Waits (up to about 5 s) until `done` holds, letting the page run in between.
async fn until(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..250 {
        if done() {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    done()
}

fn choose(root: &web_sys::HtmlElement, test_id: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = root
        .query_selector(&format!("[data-testid='{test_id}']"))
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    select.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

fn status(root: &web_sys::HtmlElement) -> String {
    root.query_selector("[data-testid='status']")
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

// The recorded prices are not in the wasm: opening a recorded scenario downloads them (the test
// server serves the crate's `public/data`), checks their SHA-256 and then opens it. A download
// that fails or brings other bytes is explained in plain words and nothing is kept.
#[wasm_bindgen_test]
async fn a_recorded_scenario_waits_for_its_prices_and_bad_downloads_are_explained() {
    use margin_lab::feed::replayed::{file, is_loaded};
    use margin_lab::feed::Dataset;
    use margin_lab::ui::util::datasets::fetch_checked;
    assert!(!is_loaded(Dataset::Sp500Daily), "nothing is compiled in");
    let sp500 = file(Dataset::Sp500Daily);
    // TC0: not there (HTTP 404).
    let missing = fetch_checked(sp500, "public/data/missing.csv")
        .await
        .unwrap_err();
    assert!(
        missing.contains("could not be downloaded (HTTP 404)"),
        "{missing}"
    );
    assert!(missing.contains("S&P 500, daily, 2000–2020"), "{missing}");
    // TC1: other bytes (the stocks file served for the S&P 500): refused by their SHA-256.
    let swapped = fetch_checked(sp500, file(Dataset::StocksMonthly).path)
        .await
        .unwrap_err();
    assert!(swapped.contains("were not used"), "{swapped}");
    assert!(!is_loaded(Dataset::Sp500Daily));

    // TC2: the picker: Start on a recorded scenario says what is loading, then opens it.
    let root = mount_app();
    leptos::task::tick().await;
    choose(&root, "pick-preset", "AaveV3");
    choose(&root, "pick-feed", "sp500-2008");
    root.query_selector("[data-testid='start']")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    let opened = until(|| status(&root).contains("Scenario ready")).await;
    assert!(opened, "status: {}", status(&root));
    assert!(is_loaded(Dataset::Sp500Daily));
    let tick = root
        .query_selector("[data-testid='tick']")
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert!(tick.starts_with("tick 0 / "), "{tick}");
    let credit = root
        .query_selector("[data-testid='credit']")
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert!(credit.starts_with("Recorded data"), "{credit}");
}
