#![cfg(not(target_arch = "wasm32"))]
//! The step's fast paths give exactly — representation included, since prices and rates end up
//! in hashed events — what the general formulas give: the perp mark when the index has not moved,
//! and interest rates of an idle pool. (The link corpus and fixtures check the same end to end.)

use margin_lab::engine::oracle::{Oracle, OracleSpec};
use margin_lab::engine::RateModel;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// The mark formula of `engine/oracle/mark.rs` without its fast path.
fn mark_reference(
    last: Decimal,
    dt: i64,
    smoothing: i64,
    premium: Decimal,
    index: Decimal,
) -> Decimal {
    let dt = Decimal::from(dt.max(0));
    let alpha = dt
        .checked_div(Decimal::from(smoothing) + dt)
        .unwrap_or(Decimal::ONE);
    let ema = index
        .checked_sub(last)
        .and_then(|d| d.checked_mul(alpha))
        .and_then(|d| last.checked_add(d))
        .map(|e| e.round_dp(12))
        .unwrap_or(index);
    let band = premium.clamp(Decimal::ZERO, Decimal::ONE);
    let lo = index.checked_mul(Decimal::ONE - band).unwrap_or(index);
    let hi = index.checked_mul(Decimal::ONE + band).unwrap_or(index);
    ema.clamp(lo.min(hi), hi.max(lo))
}

#[test]
fn an_unmoved_mark_is_what_the_formula_gives() {
    let mut checked = 0;
    // The same value written with several scales, as feeds and earlier marks write prices.
    let values = [
        (dec!(60000), dec!(60000.000000000000)),
        (dec!(60000.5), dec!(60000.50)),
        (dec!(2999.123456789012), dec!(2999.1234567890120000)),
        (dec!(0.000001), dec!(0.00000100)),
        (dec!(1), dec!(1.0)),
    ];
    for (a, b) in values {
        for (first, second) in [(a, b), (b, a), (a, a)] {
            for (smoothing, premium, dt) in [
                (300, dec!(0.005), 3600),
                (1, dec!(0), 1),
                (86_400, dec!(1), 60),
            ] {
                let mut o = Oracle::new(OracleSpec::Mark {
                    smoothing_secs: smoothing,
                    max_premium: premium,
                });
                // TC: a first reading sets the mark; the second, at an equal index, keeps it.
                let r1 = o.observe(1_000, first);
                let r2 = o.observe(1_000 + dt, second);
                let expected = mark_reference(r1.price, dt, smoothing, premium, second);
                assert_eq!(r2.price, expected);
                assert_eq!(
                    r2.price.to_string(),
                    expected.to_string(),
                    "{first} then {second}"
                );
                assert_eq!(r2.updated_at, 1_000 + dt);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 45);
}

#[test]
fn an_idle_pool_has_the_rates_of_its_curves_at_zero() {
    let kinked = RateModel::kinked(dec!(0.01), dec!(0.04), dec!(0.75), dec!(0.8));
    let no_kink = RateModel::kinked(dec!(0.02), dec!(0.04), dec!(0.75), dec!(1));
    let comet = margin_lab::engine::PresetId::CompoundIII
        .config()
        .assets
        .into_iter()
        .map(|a| a.rate)
        .find(|r| r.has_supply_curve())
        .expect("Compound III has Comet curves");
    for (i, model) in [kinked, no_kink, comet, RateModel::zero()]
        .iter()
        .enumerate()
    {
        for zero in [Decimal::ZERO, dec!(0.0000), -Decimal::ZERO] {
            // TC: the borrow rate at zero utilization is the base rate, written as the formula
            // writes it; the supply rate is its value at zero.
            let (reference_borrow, reference_supply) = match model {
                RateModel::Kinked {
                    base,
                    slope1,
                    optimal_utilization: kink,
                    ..
                } => {
                    let b = if *kink <= Decimal::ZERO || *kink >= Decimal::ONE {
                        *base + *slope1 * zero
                    } else {
                        *base + *slope1 * zero / *kink
                    };
                    (b, b * zero * (Decimal::ONE - dec!(0.1)))
                }
                RateModel::Comet { borrow, supply, .. } => (
                    borrow.base + borrow.low * zero,
                    supply.base + supply.low * zero,
                ),
            };
            let b = model.borrow_rate(zero);
            assert_eq!(b.to_string(), reference_borrow.to_string(), "TC{i}");
            let s = model.supply_rate(zero, dec!(0.1));
            assert_eq!(s.to_string(), reference_supply.to_string(), "TC{i}");
        }
    }
}

/// `num::write_plain` (the hashed events' decimals, through `serialize_plain` and
/// `serialize_plain_opt`) writes what `rust_decimal` writes, byte for byte, over the whole `Decimal` range: 96-bit mantissas above and below `u64::MAX`, every scale,
/// both signs, zeros with a scale and negative zero. A differing digit would change every log hash.
#[test]
fn plain_decimals_are_written_as_rust_decimal_writes_them() {
    use margin_lab::engine::num::write_plain;
    let check = |d: Decimal| {
        let mut buf = [0u8; 32];
        let n = write_plain(&d, &mut buf);
        let mine = std::str::from_utf8(&buf[..n]).unwrap().to_string();
        assert_eq!(mine, d.to_string(), "{d:?}");
        // And through serde, as the event log hashes it.
        #[derive(serde::Serialize)]
        struct Plain(#[serde(serialize_with = "margin_lab::engine::num::serialize_plain")] Decimal);
        assert_eq!(
            serde_json::to_string(&Plain(d)).unwrap(),
            serde_json::to_string(&d).unwrap()
        );
        assert_eq!(
            postcard::to_allocvec(&Plain(d)).unwrap(),
            postcard::to_allocvec(&d).unwrap()
        );
        #[derive(serde::Serialize)]
        struct MaybePlain(
            #[serde(serialize_with = "margin_lab::engine::num::serialize_plain_opt")]
            Option<Decimal>,
        );
        for o in [Some(d), None] {
            assert_eq!(
                postcard::to_allocvec(&MaybePlain(o)).unwrap(),
                postcard::to_allocvec(&o).unwrap()
            );
            assert_eq!(
                serde_json::to_string(&MaybePlain(o)).unwrap(),
                serde_json::to_string(&o).unwrap()
            );
        }
    };
    let mut edges = vec![
        Decimal::ZERO,
        Decimal::from_parts(0, 0, 0, true, 0),
        Decimal::from_parts(0, 0, 0, false, 28),
        Decimal::from_parts(0, 0, 0, true, 5),
        Decimal::MAX,
        Decimal::MIN,
        Decimal::from_parts(u32::MAX, u32::MAX, 0, false, 3),
        Decimal::from_parts(0, 0, 1, false, 19),
        Decimal::from_parts(1, 0, 0, true, 28),
        dec!(2783.576051256905),
        dec!(1.00),
        dec!(-0.05),
        dec!(100),
        dec!(10),
        dec!(9),
    ];
    // Around u64::MAX and 10^19, where the writer splits the mantissa.
    for m in [
        u64::MAX as i128,
        u64::MAX as i128 + 1,
        10_i128.pow(19),
        10_i128.pow(19) - 1,
        10_i128.pow(19) + 7,
    ] {
        for scale in [0, 1, 18, 19, 20, 28] {
            edges.push(Decimal::from_i128_with_scale(m, scale));
            edges.push(Decimal::from_i128_with_scale(-m, scale));
        }
    }
    for d in &edges {
        check(*d);
    }
    every_width(20_000, check);
}

/// `num::approx_f64` (charts, the crowd agents' estimates) is within 1e-15 of `rust_decimal`'s
/// nearest `f64`, over mantissas of every width and every scale, both signs.
#[test]
fn approximate_floats_are_within_a_few_ulps() {
    use margin_lab::engine::num::approx_f64;
    use rust_decimal::prelude::ToPrimitive;
    let check = |d: Decimal| {
        let (mine, nearest) = (approx_f64(d), d.to_f64().unwrap());
        if nearest == 0.0 {
            assert_eq!(mine, 0.0, "{d}");
        } else {
            assert!(
                ((mine - nearest) / nearest).abs() < 1e-15,
                "{d}: {mine} against {nearest}"
            );
        }
    };
    for d in [
        Decimal::ZERO,
        Decimal::MAX,
        Decimal::MIN,
        dec!(0.1),
        dec!(2783.576051256905),
        Decimal::from_parts(1, 0, 0, false, 28),
    ] {
        check(d);
    }
    every_width(20_000, check);
}

/// Runs `check` on `cases` generated decimals: mantissas under a thousand (zero included) and of
/// one, two or three 32-bit words, every scale, both signs. Fails unless every case reached it.
fn every_width(cases: u32, check: impl Fn(Decimal)) {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    let reached = std::cell::Cell::new(0u32);
    runner
        .run(
            &(
                any::<u32>(),
                any::<u32>(),
                0u32..=3,
                any::<u32>(),
                any::<bool>(),
                0u32..=28,
            ),
            |(lo, mid, width, hi, negative, scale)| {
                let (mid, hi) = match width {
                    0 | 1 => (0, 0),
                    2 => (mid, 0),
                    _ => (mid, hi),
                };
                let lo = if width == 0 { lo % 1000 } else { lo };
                check(Decimal::from_parts(lo, mid, hi, negative, scale));
                reached.set(reached.get() + 1);
                Ok(())
            },
        )
        .unwrap();
    assert!(
        reached.get() >= cases,
        "only {} cases reached the comparison",
        reached.get()
    );
}
