//! Decimal helpers: input bounds, checked arithmetic and human-readable formatting.
//!
//! Every quantity the engine accepts is bounded ([`MAX_AMOUNT`], [`MAX_PRICE`]) so products of an
//! amount and a price stay far inside `Decimal`'s range (about 7.9e28); sums that could still
//! overflow use the checked helpers here, which return [`EngineError::Overflow`] instead of panicking.

use super::error::EngineError;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Largest amount of one asset a command or a balance may carry (10^15 units).
pub const MAX_AMOUNT: Decimal = dec!(1_000_000_000_000_000);
/// Largest accepted price (10^9 quote units per unit).
pub const MAX_PRICE: Decimal = dec!(1_000_000_000);
/// Smallest accepted price.
pub const MIN_PRICE: Decimal = dec!(0.000000000001);
/// Seconds per year used for interest and fee accrual (365 days).
pub const SECONDS_PER_YEAR: Decimal = dec!(31_536_000);
/// Amounts below this are treated as zero (dust left by rounding).
pub const DUST: Decimal = dec!(0.000000000001);

pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, EngineError> {
    a.checked_add(b).ok_or(EngineError::Overflow)
}
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal, EngineError> {
    a.checked_sub(b).ok_or(EngineError::Overflow)
}
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, EngineError> {
    a.checked_mul(b).ok_or(EngineError::Overflow)
}
/// Division; dividing by zero is an error, never a panic.
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal, EngineError> {
    if b.is_zero() {
        return Err(EngineError::Overflow);
    }
    a.checked_div(b).ok_or(EngineError::Overflow)
}

/// `a / b`, or `None` when `b` is zero.
pub fn ratio(a: Decimal, b: Decimal) -> Option<Decimal> {
    if b.is_zero() {
        None
    } else {
        a.checked_div(b)
    }
}

/// Formats with thousands separators and at most `dp` decimal places, trailing zeros removed:
/// `fmt_num(dec!(5000), 2) == "5,000"`, `fmt_num(dec!(0.9234), 2) == "0.92"`.
pub fn fmt_num(value: Decimal, dp: u32) -> String {
    let v = value.round_dp(dp).normalize();
    group_thousands(v, &v.abs().to_string())
}

/// Formats with thousands separators and exactly `dp` decimal places, halves rounded away from
/// zero (money in tables): `fmt_fixed(dec!(1234567.891), 2) == "1,234,567.89"`.
pub fn fmt_fixed(value: Decimal, dp: u32) -> String {
    let v = value.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    group_thousands(v, &format!("{:.*}", dp as usize, v.abs()))
}

/// Every digit of `value`, with thousands separators and no rounding, for echoing a number the
/// user typed: `fmt_exact(dec!(1000000000000000.000000000001)) == "1,000,000,000,000,000.000000000001"`
/// where `fmt_num` would round it to the limit it exceeds.
pub fn fmt_exact(value: Decimal) -> String {
    let v = value.normalize();
    group_thousands(v, &v.abs().to_string())
}

/// `digits` (the absolute value of `v` as text) with commas between thousands and `v`'s sign.
fn group_thousands(v: Decimal, digits: &str) -> String {
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v.is_sign_negative() && !v.is_zero() {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A ratio as a fixed two-decimal figure (`0.92`, `1.00`) for health factors.
pub fn fmt_ratio(value: Decimal) -> String {
    format!("{:.2}", value.round_dp(2))
}

/// A fraction as a percentage (`0.5` -> `"50%"`).
pub fn fmt_pct(value: Decimal) -> String {
    format!("{}%", fmt_num(value * dec!(100), 2))
}

#[cfg(test)]
mod format_tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn number_formats() {
        // TC0..: (value, dp, fmt_num, fmt_fixed)
        for (v, dp, num, fixed) in [
            (dec!(5000), 2, "5,000", "5,000.00"),
            (dec!(0.9234), 2, "0.92", "0.92"),
            (dec!(1234567.891), 2, "1,234,567.89", "1,234,567.89"),
            (dec!(-1234.5), 0, "-1,234", "-1,235"),
            (dec!(0.005), 2, "0", "0.01"),
            (dec!(-0.001), 2, "0", "0.00"),
            (dec!(100), 0, "100", "100"),
        ] {
            assert_eq!(fmt_num(v, dp), num, "fmt_num({v}, {dp})");
            assert_eq!(fmt_fixed(v, dp), fixed, "fmt_fixed({v}, {dp})");
        }
        // fmt_exact keeps every digit (values from the messages that echo what was typed)
        for (v, exact) in [
            (dec!(1e28), "10,000,000,000,000,000,000,000,000,000"),
            (
                dec!(1_000_000_000_000_000.000000000001),
                "1,000,000,000,000,000.000000000001",
            ),
            (dec!(-0.0000000001), "-0.0000000001"),
            (dec!(1.500), "1.5"),
            (dec!(0), "0"),
        ] {
            assert_eq!(fmt_exact(v), exact, "fmt_exact({v})");
        }
    }
}
