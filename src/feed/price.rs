//! Bit-exact conversion of simulated `f64` prices to `Decimal`.
//!
//! Simulations run in `f64`; the engine wants `Decimal`. The conversion must give the same digits
//! natively and in the browser, so it uses only IEEE-exact operations (multiplication by exact powers
//! of ten, `libm::round`) and `libm::log10`, never std transcendental functions or `powi`.

use rust_decimal::Decimal;

/// Significant digits kept from a simulated price.
pub const SIG_DIGITS: i32 = 10;
/// The lowest price a simulation may produce (prices stay strictly positive); inside the engine's
/// range, which starts at `engine::num::MIN_PRICE` (1e-12).
pub const MIN_PRICE: f64 = 1e-9;
/// The highest price a simulation may produce: the engine's `engine::num::MAX_PRICE` (1e9), so a
/// simulated or shocked path never holds a price the engine refuses (one range, one place).
pub const MAX_PRICE: f64 = 1e9;

/// 10^0 ..= 10^22: all exactly representable in f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Clamps a simulated price into `[MIN_PRICE, MAX_PRICE]` (NaN becomes `MIN_PRICE`).
pub fn clamp_price(x: f64) -> f64 {
    if x.is_nan() {
        MIN_PRICE
    } else {
        x.clamp(MIN_PRICE, MAX_PRICE)
    }
}

/// Converts a simulated price to a `Decimal` with [`SIG_DIGITS`] significant digits, bit-exactly.
///
/// The input is clamped first, so the result is always in `[MIN_PRICE, MAX_PRICE]` and > 0.
pub fn price_to_decimal(x: f64) -> Decimal {
    let x = clamp_price(x);
    // exponent of the leading digit: -9 ..= 9
    let e = libm::floor(libm::log10(x)) as i32;
    let scale = (SIG_DIGITS - 1 - e).clamp(0, 22);
    let m = libm::round(x * POW10[scale as usize]);
    // m <= 1e9 * 10^(small) < 2^63 because scale shrinks as e grows.
    let m = if m < 1.0 { 1 } else { m as i64 };
    Decimal::new(m, scale as u32)
}

/// Converts a `Decimal` to `f64` (exact for the values this module produces up to f64 precision).
pub fn decimal_to_f64(d: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn converts_with_ten_significant_digits() {
        // TC0: ordinary prices
        assert_eq!(price_to_decimal(1455.219971), dec!(1455.219971));
        assert_eq!(price_to_decimal(1.0), dec!(1.000000000));
        // TC1: clamps
        assert_eq!(price_to_decimal(0.0), dec!(0.000000001));
        assert_eq!(price_to_decimal(-5.0), dec!(0.000000001));
        assert_eq!(price_to_decimal(f64::NAN), dec!(0.000000001));
        assert_eq!(price_to_decimal(f64::INFINITY), dec!(1000000000));
        assert_eq!(price_to_decimal(3e12), dec!(1000000000));
        assert_eq!(price_to_decimal(999_999_999.4), dec!(999999999.4));
    }

    // TC2: the bounds are the engine's, or inside them.
    #[test]
    fn bounds_are_within_the_engine_range() {
        use crate::engine::num;
        assert_eq!(price_to_decimal(MAX_PRICE), num::MAX_PRICE);
        assert!(price_to_decimal(MIN_PRICE) >= num::MIN_PRICE);
    }
}
