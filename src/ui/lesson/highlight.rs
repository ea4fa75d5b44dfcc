//! Points at the region a step names: a `data-lesson-highlight` attribute on that part of the
//! page (the stylesheet draws the outline). Only that attribute changes; no markup is written.

use crate::lesson::Region;

const ATTR: &str = "data-lesson-highlight";

/// The element a region is, by the page's own test ids.
fn selector(region: Region) -> &'static str {
    match region {
        Region::Picker => ".scenario-bar",
        Region::Chart => "[data-testid=chart]",
        Region::Timeline => ".timeline, [data-testid=scrub]",
        Region::Ticket => "[data-testid=ticket]",
        Region::Account => "[data-testid=account]",
        Region::Events => "[data-testid=events]",
        Region::Market => "[data-testid=tab-market]",
        Region::Compare => "[data-testid=tab-compare]",
        Region::Risk => "[data-testid=tab-risk]",
    }
}

/// Removes every highlight.
pub fn clear() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // One at a time: the attribute comes off each element found.
    while let Ok(Some(el)) = doc.query_selector(&format!("[{ATTR}]")) {
        if el.remove_attribute(ATTR).is_err() {
            break;
        }
    }
}

/// Highlights `region` (and nothing else); `None` clears.
pub fn show(region: Option<Region>) {
    clear();
    let Some(region) = region else { return };
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(Some(el)) = doc.query_selector(selector(region)) {
        let _ = el.set_attribute(ATTR, region.key());
    }
}
