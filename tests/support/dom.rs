//! Driving the mounted app in a real DOM, for the browser tests (`tests/web_*.rs`, included with
//! `#[path]`): mount it, find elements by `data-testid`, type as a user does, let effects run.
#![allow(dead_code)] // each browser test uses its own subset

use wasm_bindgen::JsCast;

pub fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// Mounts the app into a fresh container and returns it.
pub fn mount_app() -> web_sys::HtmlElement {
    let container: web_sys::HtmlElement = document()
        .create_element("div")
        .unwrap()
        .dyn_into()
        .unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    leptos::mount::mount_to(container.clone(), margin_lab::ui::App).forget();
    container
}

pub fn find(root: &web_sys::HtmlElement, test_id: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(&format!("[data-testid='{test_id}']"))
        .unwrap()
        .map(|e| e.dyn_into().unwrap())
}

pub fn by_id(root: &web_sys::HtmlElement, test_id: &str) -> web_sys::HtmlElement {
    find(root, test_id).unwrap_or_else(|| panic!("no element with data-testid={test_id}"))
}

pub fn text(root: &web_sys::HtmlElement, test_id: &str) -> String {
    by_id(root, test_id).text_content().unwrap_or_default()
}

/// Types into an input the way a user does (value + a bubbling `input` event).
pub fn type_into(root: &web_sys::HtmlElement, test_id: &str, value: &str) {
    let input: web_sys::HtmlInputElement = by_id(root, test_id).dyn_into().unwrap();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

/// Lets the reactive system run its pending effects.
pub async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

/// Waits (yielding to the page) until `test_id` is on the page; panics after `seconds`.
pub async fn wait_for(root: &web_sys::HtmlElement, test_id: &str, seconds: u32) {
    for _ in 0..seconds * 20 {
        if find(root, test_id).is_some() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    panic!("{test_id} did not appear within {seconds} s");
}
