//! Display formatting for money and ratios (the numbers stay `Decimal` until shown).

use rust_decimal::Decimal;

/// `1234567.891` → `1,234,567.89` with `dp` decimals.
pub fn money(value: Decimal, dp: u32) -> String {
    crate::engine::num::fmt_fixed(value, dp)
}

/// A price with a number of decimals that suits its size.
pub fn price(value: Decimal) -> String {
    let a = value.abs();
    let dp = if a >= Decimal::from(1000) {
        2
    } else if a >= Decimal::ONE {
        3
    } else {
        5
    };
    money(value, dp)
}

/// `0.8250` → `82.50%`.
pub fn pct(value: Decimal) -> String {
    format!("{}%", money(value * Decimal::ONE_HUNDRED, 2))
}

/// A health factor or ratio: `None` (no debt) shows as ∞.
pub fn ratio(value: Option<Decimal>) -> String {
    match value {
        Some(v) => money(v, 3),
        None => "∞".to_string(),
    }
}

/// For charts only (`engine::num::approx_f64`).
pub fn to_f64(value: Decimal) -> f64 {
    crate::engine::num::approx_f64(value)
}

/// Unix seconds → `2020-03-12 14:00` (UTC).
pub fn time(unix: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0));
    let iso: String = date.to_iso_string().into();
    iso.get(..16).map(|s| s.replace('T', " ")).unwrap_or(iso)
}
