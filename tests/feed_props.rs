#![cfg(not(target_arch = "wasm32"))]
//! Laws over arbitrary inputs: building any spec never panics and accepted feeds are sane;
//! oracles never panic on any call sequence; same spec, same path.

use margin_lab::feed::correlated::{Correlated, CorrelatedAsset};
use margin_lab::feed::gbm::Gbm;
use margin_lab::feed::jump::JumpDiffusion;
use margin_lab::feed::mean_revert::MeanRevert;
use margin_lab::feed::regime::{RegimeParams, RegimeSwitching};
use margin_lab::feed::{
    FeedSpec, Model, Oracle, OracleSpec, PriceFeed, Shock, ShockKind, SimSpec, Source,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        -20.0..20.0f64,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-0.0),
        Just(0.0),
        any::<f64>()
    ]
}

fn any_dec() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (any::<i64>(), 0u32..28).prop_map(|(m, s)| Decimal::new(m, s)),
        Just(Decimal::MAX),
        Just(Decimal::ZERO),
        (1i64..100_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
    ]
}

fn any_model() -> impl Strategy<Value = Model> {
    prop_oneof![
        (any_dec(), any_f64(), any_f64()).prop_map(|(s0, drift, vol)| Model::Gbm(Gbm {
            symbol: "X".into(),
            s0,
            drift,
            vol
        })),
        (any_dec(), any_f64(), any_f64(), any_f64(), any_f64()).prop_map(|(s0, vol, l, m, v)| {
            Model::JumpDiffusion(JumpDiffusion {
                symbol: "X".into(),
                s0,
                drift: 0.0,
                vol,
                jumps_per_year: l,
                jump_mean: m,
                jump_vol: v,
            })
        }),
        (any_dec(), any_dec(), any_f64(), any_f64()).prop_map(|(s0, mean, reversion, vol)| {
            Model::MeanRevert(MeanRevert {
                symbol: "X".into(),
                s0,
                mean,
                reversion,
                vol,
            })
        }),
        (any_dec(), any_f64(), any_f64(), any_f64()).prop_map(|(s0, vol, c, t)| {
            Model::RegimeSwitching(RegimeSwitching {
                symbol: "X".into(),
                s0,
                calm: RegimeParams { drift: 0.0, vol },
                turbulent: RegimeParams {
                    drift: -1.0,
                    vol: 1.0,
                },
                calm_days: c,
                turbulent_days: t,
            })
        }),
        (any_dec(), any_f64(), any_f64(), any_f64()).prop_map(|(s0, vol, rev, rho)| {
            let a = |s: &str| CorrelatedAsset {
                symbol: s.into(),
                s0,
                drift: 0.0,
                vol,
                reversion: rev,
            };
            Model::Correlated(Correlated {
                assets: vec![a("A"), a("B")],
                correlation: vec![vec![1.0, rho], vec![rho, 1.0]],
            })
        }),
    ]
}

fn any_shock() -> impl Strategy<Value = Shock> {
    let kind = prop_oneof![
        (any_dec(), any::<u64>())
            .prop_map(|(drop, over_ticks)| ShockKind::Crash { drop, over_ticks }),
        (
            any_dec(),
            0u64..50,
            0u64..50,
            proptest::option::of(0u64..50)
        )
            .prop_map(|(to, r, h, rec)| {
                ShockKind::Depeg {
                    to,
                    ramp_ticks: r,
                    hold_ticks: h,
                    recover_ticks: rec,
                }
            }),
        any_dec().prop_map(|factor| ShockKind::Gap { factor }),
        (any::<u64>(), any::<i64>()).prop_map(|(ticks, max_age_secs)| ShockKind::OracleFreeze {
            ticks,
            max_age_secs
        }),
    ];
    (
        0u64..300,
        prop_oneof![Just("X"), Just("A"), Just("Q")],
        kind,
    )
        .prop_map(|(at, asset, kind)| Shock {
            at,
            asset: asset.into(),
            kind,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_spec_builds_or_errors_and_accepted_feeds_are_sane(
        model in any_model(),
        seed in any::<u64>(),
        start_time in prop_oneof![any::<i64>(), Just(1_700_000_000i64)],
        interval_secs in prop_oneof![any::<i64>(), 1i64..700_000],
        ticks in 0u64..200,
        shocks in proptest::collection::vec(any_shock(), 0..4),
    ) {
        let spec = FeedSpec { source: Source::Simulated(SimSpec { model, seed, start_time, interval_secs, ticks }), shocks };
        if let Ok(f) = spec.build() {
            prop_assert_eq!(f.len() as u64, ticks);
            for i in 0..f.len() {
                for a in 0..f.assets().len() {
                    let p = f.price(i, a).unwrap();
                    prop_assert!(p > Decimal::ZERO && p <= Decimal::from(1_000_000_000_000i64));
                }
            }
            let again = spec.build_path().unwrap();
            prop_assert_eq!(margin_lab::feed::feed_hash(f.as_ref()), margin_lab::feed::feed_hash(&again));
            if let Ok(r) = f.resample(3600) {
                prop_assert!(!r.is_empty());
            }
        }
    }

    #[test]
    fn oracles_never_panic(
        spec in prop_oneof![
            Just(OracleSpec::Instant),
            any::<i64>().prop_map(|d| OracleSpec::FixedDelay { delay_secs: d }),
            any::<i64>().prop_map(|h| OracleSpec::OsmHop { hop_secs: h }),
            (any::<i64>(), any_dec()).prop_map(|(h, d)| OracleSpec::HeartbeatDeviation { heartbeat_secs: h, deviation: d }),
            (any::<i64>(), proptest::option::of(any::<i64>()), any::<i64>()).prop_map(|(f, u, m)| OracleSpec::Frozen { from_secs: f, until_secs: u, max_age_secs: m }),
            (any::<i64>(), any::<i64>(), any_dec()).prop_map(|(at, duration, factor)| OracleSpec::ManipulatedSpike { at, duration, factor }),
            (any::<i64>(), any_dec()).prop_map(|(s, m)| OracleSpec::Mark { smoothing_secs: s, max_premium: m }),
        ],
        calls in proptest::collection::vec((prop_oneof![any::<i64>(), 0i64..10_000], any_dec()), 0..40),
    ) {
        let mut o = Oracle::new(spec);
        let mut copy = o.clone();
        for (t, p) in calls {
            let a = o.observe(t, p);
            let b = copy.observe(t, p);
            prop_assert_eq!(a, b);
        }
    }
}
