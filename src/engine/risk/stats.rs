//! Statistics shown to the learner: quantiles, expected shortfall, the normal distribution and
//! histograms, in `f64`. Nothing here feeds back into the engine's state. Only IEEE-exact
//! operations and `libm` are used (never std's transcendental functions), so the same inputs give
//! the same figures natively and in the browser.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// 10^0 ..= 10^28 as `f64` constants (the first 23 exactly).
const POW10: [f64; 29] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28,
];

/// A `Decimal` as `f64` by one correctly rounded division (the same bits everywhere).
pub fn to_f64(d: Decimal) -> f64 {
    let m = d.mantissa() as f64;
    m / POW10[(d.scale() as usize).min(28)]
}

/// An `f64` statistic back as a `Decimal` rounded to `dp` places (0 for NaN or infinities).
pub fn to_decimal(x: f64, dp: u32) -> Decimal {
    if !x.is_finite() {
        return Decimal::ZERO;
    }
    Decimal::from_f64_retain(x)
        .map(|d| d.round_dp(dp))
        .unwrap_or_default()
}

/// Standard normal density.
pub fn norm_pdf(x: f64) -> f64 {
    0.398_942_280_401_432_7 * libm::exp(-0.5 * x * x)
}

/// Standard normal distribution function, `Φ(x) = erfc(−x/√2) / 2`.
pub fn norm_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x * std::f64::consts::FRAC_1_SQRT_2)
}

/// The standard normal quantile `Φ⁻¹(p)` for `0 < p < 1`: Acklam's rational approximation
/// (relative error 1.15e-9) refined by one Halley step on `Φ` (then accurate to ~1e-15).
pub fn norm_inv(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let x = if p < LOW {
        let q = libm::sqrt(-2.0 * libm::log(p));
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = libm::sqrt(-2.0 * libm::log(1.0 - p));
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    // One Halley step.
    let e = norm_cdf(x) - p;
    let u = e * libm::sqrt(std::f64::consts::TAU) * libm::exp(0.5 * x * x);
    x - u / (1.0 + 0.5 * x * u)
}

/// Losses sorted ascending (NaN-free input; `total_cmp` keeps the order the same everywhere).
pub fn sorted(losses: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = losses.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(|a, b| a.total_cmp(b));
    v
}

/// Value at risk at `confidence` of an ascending sample: the loss at rank `⌈confidence × n⌉`
/// (the smallest loss that at least `confidence` of the sample does not exceed).
pub fn var(sorted: &[f64], confidence: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let n = sorted.len();
    let rank = libm::ceil(confidence * n as f64) as usize;
    sorted[rank.clamp(1, n) - 1]
}

/// Expected shortfall: the mean of the losses at or beyond the VaR's rank (the worst
/// `n − ⌈confidence × n⌉ + 1` of the sample).
pub fn expected_shortfall(sorted: &[f64], confidence: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let n = sorted.len();
    let rank = libm::ceil(confidence * n as f64) as usize;
    let tail = &sorted[rank.clamp(1, n) - 1..];
    tail.iter().sum::<f64>() / tail.len() as f64
}

/// Mean of a sample (NaN when empty).
pub fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// A histogram of losses: `counts[k]` losses in `[lo + k × width, lo + (k + 1) × width)`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub lo: f64,
    pub width: f64,
    pub counts: Vec<u32>,
}

impl Histogram {
    /// `bins` equal bins from the smallest to the largest of `sorted`.
    pub fn of(sorted: &[f64], bins: usize) -> Self {
        let (Some(lo), Some(hi)) = (sorted.first(), sorted.last()) else {
            return Self::default();
        };
        let bins = bins.max(1);
        let span = hi - lo;
        let width = if span > 0.0 { span / bins as f64 } else { 1.0 };
        let mut counts = vec![0u32; bins];
        for x in sorted {
            let k = if span > 0.0 {
                (libm::floor((x - lo) / width) as usize).min(bins - 1)
            } else {
                0
            };
            counts[k] += 1;
        }
        Self {
            lo: *lo,
            width,
            counts,
        }
    }

    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantiles_match_tables() {
        // TC0..: z-values from standard tables (Abramowitz & Stegun 26.2), to 1e-9.
        for (p, z) in [
            (0.5, 0.0),
            (0.95, 1.644_853_626_951_472_2),
            (0.99, 2.326_347_874_040_841),
            (0.975, 1.959_963_984_540_054),
            (0.01, -2.326_347_874_040_841),
            (0.001, -3.090_232_306_167_813_6),
        ] {
            assert!((norm_inv(p) - z).abs() < 1e-9, "p = {p}: {}", norm_inv(p));
            assert!((norm_cdf(z) - p).abs() < 1e-12);
        }
    }

    #[test]
    fn var_and_es_follow_the_rank_rule() {
        // TC0: 1..=100, 95%: VaR is the 95th smallest, ES the mean of 95..=100.
        let xs: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(var(&xs, 0.95), 95.0);
        assert_eq!(expected_shortfall(&xs, 0.95), 97.5);
        // TC1: 99% of 1,000 draws: rank 990.
        let ys: Vec<f64> = (1..=1000).map(f64::from).collect();
        assert_eq!(var(&ys, 0.99), 990.0);
        // TC2: the histogram holds every loss.
        let h = Histogram::of(&ys, 40);
        assert_eq!(h.total(), 1000);
        assert_eq!(h.counts.len(), 40);
    }

    #[test]
    fn decimals_convert_exactly() {
        // TC0: values with an exact binary form, and a typical price.
        assert_eq!(to_f64(Decimal::new(15, 1)), 1.5);
        assert_eq!(to_f64(Decimal::new(-250, 2)), -2.5);
        assert_eq!(to_f64(Decimal::new(300_012_345, 5)), 3000.12345);
    }
}
