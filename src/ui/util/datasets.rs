//! The recorded datasets a scenario needs, fetched from the site when that scenario is opened.
//!
//! They are not in the wasm (see [`crate::feed::replayed`]): the page downloads them once, after
//! first paint, and hands them to [`replayed::provide`], which refuses bytes whose SHA-256 is not
//! the one this build expects. Opening a scenario waits for them ([`when_loaded`]); choosing one in
//! the picker starts the download early ([`prefetch`]).

use std::cell::RefCell;
use std::collections::BTreeMap;

use wasm_bindgen::JsCast;

use crate::feed::replayed::{self, DatasetFile};
use crate::feed::{catalogue, Dataset};
use crate::replay::Scenario;
use crate::ui::state::Lab;

type Waiter = Box<dyn FnOnce(Result<(), String>)>;

thread_local! {
    /// Downloads in flight and who waits for each.
    static IN_FLIGHT: RefCell<BTreeMap<Dataset, Vec<Waiter>>> = const { RefCell::new(BTreeMap::new()) };
}

/// The recorded dataset `scenario` needs and the page does not have yet.
pub fn missing(scenario: &Scenario) -> Option<Dataset> {
    catalogue::entry(&scenario.feed)
        .and_then(|e| e.spec.dataset())
        .filter(|d| !replayed::is_loaded(*d))
}

/// Runs `open` now when the scenario's prices are at hand (and returns what it returns), or after
/// they are downloaded and checked; the status bar says what is loading, and a failed or refused
/// download is reported there instead of opening anything.
pub fn when_loaded(
    lab: Lab,
    scenario: &Scenario,
    open: impl FnOnce() -> Result<(), String> + 'static,
) -> Result<(), String> {
    let Some(dataset) = missing(scenario) else {
        return open();
    };
    let f = replayed::file(dataset);
    lab.info(format!(
        "Loading the recorded prices ({}, {} KB)…",
        f.title,
        f.bytes.div_ceil(1000)
    ));
    ensure(dataset, move |loaded| {
        if let Err(e) = loaded.and_then(|()| open()) {
            lab.error(e);
        }
    });
    Ok(())
}

/// Starts downloading a dataset the user is likely to open (errors are reported when it is
/// opened).
pub fn prefetch(dataset: Dataset) {
    ensure(dataset, |_| {});
}

/// Calls `then` once `dataset` is loaded (now, if it is), downloading it at most once at a time.
fn ensure(dataset: Dataset, then: impl FnOnce(Result<(), String>) + 'static) {
    if replayed::is_loaded(dataset) {
        return then(Ok(()));
    }
    let first = IN_FLIGHT.with(|f| {
        let mut f = f.borrow_mut();
        let waiters = f.entry(dataset).or_default();
        waiters.push(Box::new(then));
        waiters.len() == 1
    });
    if !first {
        return;
    }
    leptos::task::spawn_local(async move {
        let result = download(replayed::file(dataset)).await;
        let waiters = IN_FLIGHT.with(|f| f.borrow_mut().remove(&dataset).unwrap_or_default());
        for waiter in waiters {
            waiter(result.clone());
        }
    });
}

/// Fetches, checks and provides one dataset from where the site serves it.
async fn download(f: DatasetFile) -> Result<(), String> {
    fetch_checked(f, f.path).await
}

/// Fetches `url` as the bytes of dataset `f`, checks them against its SHA-256 and provides them;
/// the message says what went wrong in plain words.
pub async fn fetch_checked(f: DatasetFile, url: &str) -> Result<(), String> {
    let failed = |why: &str| {
        format!(
            "The recorded prices ({}) could not be downloaded ({why}). Scenarios on simulated \
             prices work without them; try again when the connection is back.",
            f.title
        )
    };
    let window = web_sys::window().ok_or_else(|| failed("no window"))?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| failed("network error or offline"))?
        .dyn_into::<web_sys::Response>()
        .map_err(|_| failed("not a response"))?;
    if !response.ok() {
        return Err(failed(&format!("HTTP {}", response.status())));
    }
    let buffer = response
        .array_buffer()
        .map_err(|_| failed("unreadable body"))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(buffer)
        .await
        .map_err(|_| failed("the download stopped"))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    replayed::provide(f.dataset, &bytes).map_err(|e| format!("This scenario could not start: {e}."))
}
