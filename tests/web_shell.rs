//! The app shell mounted in a real DOM (headless Chromium through wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// Mounts the app into a fresh container and returns it.
fn mount_app() -> web_sys::HtmlElement {
    let container: web_sys::HtmlElement = document()
        .create_element("div")
        .expect("create div")
        .dyn_into()
        .expect("an HtmlElement");
    document()
        .body()
        .expect("body")
        .append_child(&container)
        .expect("append");
    let handle = leptos::mount::mount_to(container.clone(), margin_lab::ui::App);
    handle.forget();
    container
}

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
