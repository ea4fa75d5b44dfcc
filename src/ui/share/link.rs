use leptos::prelude::*;

use crate::replay::codec::{check_share_url, DISCORD_MESSAGE_CHARS};
use crate::replay::file::SessionFile;
use crate::replay::{Session, Shared, Verification};
use crate::ui::state::{use_lab, Lab};
use crate::ui::util::datasets;
use crate::ui::util::download::download_text;

/// The link fragment (`s=…`) of the current session at the current tick, or why there is none.
/// A session on imported prices carries them (see `Scenario::carry_prices`).
pub fn current_link(lab: Lab) -> Result<String, String> {
    lab.with_untracked(|s| {
        if !s.can_share() {
            return Err("This session runs on prices that are not part of it, so a link or a saved session cannot carry them. \
                        Keep the price file to replay it."
                .to_string());
        }
        Ok(s.share().to_link())
    })
    .unwrap_or_else(|| Err("Start a scenario first.".to_string()))
}

/// Downloads the current session as a session file (`name.json`): what to send when the link is
/// too long to paste (imported prices, thousands of actions). It verifies to the same hash.
pub fn export_file(lab: Lab, name: &str) {
    let link = match current_link(lab) {
        Ok(l) => l,
        Err(e) => return lab.error(e),
    };
    let label = name.trim();
    let label = if label.is_empty() {
        "margin-lab-session"
    } else {
        label
    };
    let text = SessionFile::new(label, link).to_json();
    match download_text(&format!("{label}.json"), "application/json", &text) {
        Ok(()) => lab.info(format!(
            "Saved {label}.json ({} KB). Opening it (Saved sessions → Import file) replays this session exactly.",
            text.len().div_ceil(1000)
        )),
        Err(e) => lab.error(e),
    }
}

/// Opens a link: replays it to the author's tick and checks the event-log hash. On any failure the
/// current session is left as it was and the reason is shown. A link on recorded prices the page
/// has not downloaded yet opens once they are (see [`datasets::when_loaded`]); errors after that
/// go to the status bar.
pub fn open_link(lab: Lab, link: &str) -> Result<(), String> {
    open(lab, Shared::from_link(link).map_err(|e| e.to_string())?)
}

/// [`open_link`] for the link of a session file or a saved session, which may be longer than a
/// pasted link (it can carry a whole price import).
pub fn open_file_link(lab: Lab, link: &str) -> Result<(), String> {
    open(
        lab,
        Shared::from_file_link(link).map_err(|e| e.to_string())?,
    )
}

fn open(lab: Lab, shared: Shared) -> Result<(), String> {
    let scenario = shared.script.scenario.clone();
    datasets::when_loaded(lab, &scenario, move || open_shared(lab, shared))
}

fn open_shared(lab: Lab, shared: Shared) -> Result<(), String> {
    let (session, verification) = Session::open_shared(shared)?;
    lab.install(session);
    lab.verified.set(match verification {
        Verification::Verified => Some(true),
        Verification::Differs => Some(false),
        Verification::Unchecked => None,
    });
    match verification {
        Verification::Verified => lab.info("Replay verified: same event log as the author's."),
        Verification::Differs => {
            lab.error("Replay differs from the author's: the event-log hash does not match.")
        }
        Verification::Unchecked => lab.info("Session opened (the link carried no hash to verify)."),
    }
    Ok(())
}

/// Copy-link button, the verification badge and the hash.
#[component]
pub fn ShareBar() -> impl IntoView {
    let lab = use_lab();
    let hash = move || lab.with(|s| s.log_hash()).unwrap_or_default();
    let copy = move |_| {
        let fragment = match current_link(lab) {
            Ok(l) => l,
            Err(e) => return lab.error(e),
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        let url = window
            .location()
            .href()
            .ok()
            .map(|h| h.split('#').next().unwrap_or_default().to_string())
            .unwrap_or_default();
        let link = format!("{url}#{fragment}");
        // Longer than chat apps and mail carry: refused, the file offered instead.
        if let Err(e) = check_share_url(&link) {
            return lab.error(e.to_string());
        }
        let _ = window.location().set_hash(&fragment);
        let _ = window.navigator().clipboard().write_text(&link);
        let chars = link.chars().count();
        let discord = if chars > DISCORD_MESSAGE_CHARS {
            format!(" Discord without Nitro takes {DISCORD_MESSAGE_CHARS} characters: send the file (\"Save file\") there.")
        } else {
            String::new()
        };
        lab.info(format!(
            "Link copied ({chars} characters). Anyone who opens it replays this session exactly.{discord}"
        ));
    };
    view! {
        <div class="sharebar">
            {move || match lab.verified.get() {
                Some(true) => view! { <span class="badge ok" data-testid="replay-verified">"✓ Replay verified"</span> }.into_any(),
                Some(false) => view! { <span class="badge danger" data-testid="replay-mismatch">"✗ Replay differs"</span> }.into_any(),
                None => view! { <span></span> }.into_any(),
            }}
            <span class="mono muted small hash" title="SHA-256 hash chain of the event log" data-testid="log-hash">
                {move || { let h = hash(); if h.len() > 16 { format!("log {}…", &h[..16]) } else { h } }}
            </span>
            <button class="btn" data-testid="copy-link" on:click=copy>"Copy link"</button>
            <button class="btn" data-testid="save-file" title="Download the session as a file: for links too long to paste" on:click=move |_| export_file(lab, "margin-lab-session")>"Save file"</button>
        </div>
    }
}
