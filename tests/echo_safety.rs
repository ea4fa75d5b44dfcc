#![cfg(not(target_arch = "wasm32"))]
//! Every message that quotes user input (asset ids from links, symbols typed in the picker,
//! column headers and values from price files, session-file fields, link details) shows it escaped
//! and cut: no control character, bidi override or 100 KB string reaches a terminal or the page.

use margin_lab::engine::{AccountId, AssetId, Command, Engine, PresetId};
use margin_lab::feed::csv_import::{parse_bytes, Imported};
use margin_lab::replay::codec::LinkError;
use margin_lab::replay::file::SessionFile;
use rust_decimal_macros::dec;

/// ANSI: clear the line, draw green text, reset, carriage return, bell; a C1 CSI; a right-to-left
/// override. Repeated past 100 KB.
fn hostile() -> String {
    let unit = "\u{1b}[2K\u{1b}[32mreplay verified\u{1b}[0m\r\u{7}\u{9b}2J\u{202e}";
    unit.repeat(100_000 / unit.len() + 1)
}

/// What is wrong with `message` as an echo of `hostile()`, if anything. The unsafe set is spelled
/// out here rather than taken from `margin_lab::text`, so the test checks the helper, not itself.
fn problem(message: &str) -> Option<String> {
    let bad = message
        .chars()
        .filter(|c| {
            c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .count();
    let chars = message.chars().count();
    if bad > 0 {
        Some(format!("{bad} control characters"))
    } else if chars >= 400 {
        Some(format!("{chars} characters"))
    } else if !message.contains("\\u{1b}") {
        Some(format!("the escape is not shown: {message}"))
    } else {
        None
    }
}

// TC0..: one row per place a user string is echoed.
#[test]
fn every_echo_is_escaped_and_cut() {
    let h = hostile();
    let mut engine = Engine::new(PresetId::AaveV3.config()).unwrap();
    let rejection = engine
        .apply(
            AccountId::USER,
            Command::Deposit {
                asset: AssetId::from(h.clone()),
                amount: dec!(1),
            },
        )
        .unwrap_err()
        .to_string();
    let symbol = Imported {
        bars: parse_bytes(b"date,close\n2020-01-01,1\n").unwrap().bars,
        has_ohlc: false,
    }
    .into_feed(&h)
    .unwrap_err()
    .to_string();
    let csv_value = parse_bytes(format!("date,close\n2020-01-01,{h}\n").as_bytes())
        .unwrap_err()
        .to_string();
    // Column names are matched on their letters and digits, so these controls keep it `close`.
    let noise = "\u{1b}[;\u{7}\r\u{9b}\u{202e}".repeat(20_000);
    let csv_column = parse_bytes(format!("date,close{noise}\n2020-01-01,\n").as_bytes())
        .unwrap_err()
        .to_string();
    let json_key = parse_bytes(
        serde_json::json!([{ "date": "2020-01-01", format!("close{noise}"): null }])
            .to_string()
            .as_bytes(),
    )
    .unwrap_err()
    .to_string();
    let file_format = SessionFile::parse(
        &serde_json::json!({"format": h, "name": "x", "link": "s=A"}).to_string(),
    )
    .unwrap_err();
    let file_json =
        SessionFile::parse(&serde_json::Value::String(h.clone()).to_string()).unwrap_err();
    let link_detail = LinkError::Invalid(h.clone()).to_string();
    let account_label = margin_lab::engine::EventKind::AccountCreated {
        account: AccountId(7),
        label: h.clone(),
    }
    .describe();
    let mut failures = Vec::new();
    for message in [
        ("engine rejection naming an asset", rejection),
        ("import symbol", symbol),
        ("import value", csv_value),
        ("import column", csv_column),
        ("import JSON key", json_key),
        ("session file format", file_format),
        ("session file parser message", file_json),
        ("link detail", link_detail),
        ("account label in the event log", account_label),
    ]
    .into_iter()
    .filter_map(|(case, message)| problem(&message).map(|p| format!("{case}: {p}")))
    .collect::<Vec<_>>()
    {
        failures.push(message);
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
