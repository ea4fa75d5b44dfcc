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

/// Longest plain form of a `Decimal`: a sign, 29 digits, a leading `0` and a point.
const PLAIN_MAX: usize = 32;

/// Writes `value` into `buf` exactly as `rust_decimal` writes it (`Display`, and its `serde-str`
/// serialization): every digit of the mantissa, the scale's trailing zeros kept, `0.` before a
/// fraction, `-` for a negative sign (negative zero included). Event hashes are taken over that
/// form, and the crate's own routine divides the 96-bit mantissa by ten once per digit, a tenth
/// of a step's time in the browser; this writes a `u64` mantissa (every price and amount the
/// engine bounds fits) two digits at a time.
pub fn write_plain(value: &Decimal, buf: &mut [u8; PLAIN_MAX]) -> usize {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";
    // Digits of the mantissa, least significant last, in the tail of `digits`.
    let mut digits = [b'0'; PLAIN_MAX];
    let mut start = PLAIN_MAX;
    let m = value.mantissa().unsigned_abs();
    let (mut high, mut low) = if m > u128::from(u64::MAX) {
        const E19: u128 = 10_000_000_000_000_000_000;
        ((m / E19) as u64, (m % E19) as u64)
    } else {
        (0, m as u64)
    };
    if high > 0 {
        // The low part is exactly 19 digits, leading zeros included.
        for _ in 0..19 {
            start -= 1;
            digits[start] = b'0' + (low % 10) as u8;
            low /= 10;
        }
        low = std::mem::take(&mut high);
    }
    while low >= 100 {
        let pair = (low % 100) as usize * 2;
        low /= 100;
        start -= 2;
        digits[start..start + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if low >= 10 {
        let pair = low as usize * 2;
        start -= 2;
        digits[start..start + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else if low > 0 {
        start -= 1;
        digits[start] = b'0' + low as u8;
    }
    // A zero mantissa has no digit; the scale's zeros are written as leading zeros.
    let scale = value.scale() as usize;
    let start = start.min(PLAIN_MAX - scale);
    let len = PLAIN_MAX - start;
    let whole = len - scale;
    let mut at = 0;
    let mut put = |bytes: &[u8]| {
        buf[at..at + bytes.len()].copy_from_slice(bytes);
        at += bytes.len();
    };
    if value.is_sign_negative() {
        put(b"-");
    }
    if len == 0 {
        put(b"0");
    } else if scale == 0 {
        put(&digits[start..]);
    } else {
        if whole == 0 {
            put(b"0");
        }
        put(&digits[start..start + whole]);
        put(b".");
        put(&digits[start + whole..]);
    }
    at
}

/// `serialize_with` for a `Decimal` field of a hashed event: the same string `rust_decimal`'s own
/// serialization gives ([`write_plain`]), without its cost.
pub fn serialize_plain<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; PLAIN_MAX];
    let n = write_plain(value, &mut buf);
    // Only ASCII digits, `-`, `.` were written.
    s.serialize_str(std::str::from_utf8(&buf[..n]).unwrap_or_default())
}

/// [`serialize_plain`] for an optional field: what serde writes for `Option<Decimal>`.
pub fn serialize_plain_opt<S: serde::Serializer>(
    value: &Option<Decimal>,
    s: S,
) -> Result<S::Ok, S::Error> {
    struct Plain<'a>(&'a Decimal);
    impl serde::Serialize for Plain<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_plain(self.0, s)
        }
    }
    match value {
        Some(d) => s.serialize_some(&Plain(d)),
        None => s.serialize_none(),
    }
}

/// `value` as an `f64`, for drawing and estimates, never for money: the mantissa converted once
/// and divided by a power of ten (a relative error below 1e-15). `rust_decimal`'s own conversion
/// gives the nearest `f64` but cost several times more in wasm (4% of a crowd's playback).
pub fn approx_f64(value: Decimal) -> f64 {
    const POW10: [f64; 29] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28,
    ];
    value.mantissa() as f64 / POW10[(value.scale() as usize).min(28)]
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
