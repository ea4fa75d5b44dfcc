#![cfg(not(target_arch = "wasm32"))]
//! Oracle models at their boundaries, and the market-vs-oracle gap series.

use margin_lab::engine::oracle::{oracle_gap, presets, Oracle, OracleReading, OracleSpec};
use margin_lab::feed::{PathFeed, PriceFeed};

/// `(time, price)` of one asset of a feed.
fn points(feed: &PathFeed, asset: &str) -> Vec<(i64, rust_decimal::Decimal)> {
    let a = feed.asset_index(asset).unwrap();
    (0..feed.len())
        .map(|i| (feed.time(i).unwrap(), feed.price(i, a).unwrap()))
        .collect()
}
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn r(price: Decimal, updated_at: i64, stale: bool) -> OracleReading {
    OracleReading {
        price,
        updated_at,
        stale,
    }
}

#[test]
fn instant_publishes_the_market() {
    let mut o = Oracle::new(OracleSpec::Instant);
    assert_eq!(o.observe(10, dec!(5)), r(dec!(5), 10, false));
}

#[test]
fn fixed_delay_publishes_the_price_exactly_delay_seconds_old() {
    let mut o = Oracle::new(OracleSpec::MAKER_OSM);
    // TC0: warm-up publishes the first price
    assert_eq!(o.observe(0, dec!(100)), r(dec!(100), 0, false));
    assert_eq!(o.observe(1800, dec!(90)), r(dec!(100), 0, false));
    // TC1: one second short of the delay, still the first price
    assert_eq!(o.observe(5399, dec!(80)), r(dec!(100), 0, false));
    // TC2: exactly delay after 1800 -> the 1800 price (boundary inclusive)
    assert_eq!(o.observe(5400, dec!(70)), r(dec!(90), 1800, false));
    // TC3: long gap: the newest price at or before now - delay
    assert_eq!(o.observe(100_000, dec!(60)), r(dec!(70), 5400, false));
}

#[test]
fn osm_rotates_cur_and_nxt_on_the_first_observation_after_each_hop() {
    let mut o = Oracle::new(OracleSpec::OsmHop { hop_secs: 3600 });
    assert_eq!(o.observe(100, dec!(100)), r(dec!(100), 100, false));
    assert_eq!(o.observe(3599, dec!(90)), r(dec!(100), 100, false));
    // TC0: boundary 3600 (inclusive): cur <- nxt (the first price), nxt <- 80
    assert_eq!(o.observe(3600, dec!(80)), r(dec!(100), 100, false));
    assert_eq!(o.observe(7199, dec!(70)), r(dec!(100), 100, false));
    // TC1: next hop: the price queued at 3600 goes live, an hour old
    assert_eq!(o.observe(7200, dec!(60)), r(dec!(80), 3600, false));
    // TC2: a skipped hour: one rotation only (the keeper pokes once)
    assert_eq!(o.observe(20_000, dec!(50)), r(dec!(60), 7200, false));
    assert_eq!(o.observe(21_599, dec!(40)), r(dec!(60), 7200, false));
    assert_eq!(o.observe(21_600, dec!(30)), r(dec!(50), 20_000, false));
}

#[test]
fn heartbeat_deviation_updates_on_threshold_or_heartbeat_inclusive() {
    let spec = OracleSpec::HeartbeatDeviation {
        heartbeat_secs: 3600,
        deviation: dec!(0.01),
    };
    let mut o = Oracle::new(spec);
    assert_eq!(o.observe(0, dec!(100)), r(dec!(100), 0, false));
    // TC0: just under 1 % -> no update
    assert_eq!(o.observe(60, dec!(100.99)), r(dec!(100), 0, false));
    assert_eq!(o.observe(120, dec!(99.01)), r(dec!(100), 0, false));
    // TC1: exactly 1 % -> update
    assert_eq!(o.observe(180, dec!(101)), r(dec!(101), 180, false));
    // TC2: heartbeat: 3599 s after last update no, 3600 s yes
    assert_eq!(o.observe(3779, dec!(101.5)), r(dec!(101), 180, false));
    assert_eq!(o.observe(3780, dec!(101.5)), r(dec!(101.5), 3780, false));
}

#[test]
fn frozen_holds_inside_the_window_and_flags_stale_strictly_after_max_age() {
    let spec = OracleSpec::Frozen {
        from_secs: 100,
        until_secs: Some(1000),
        max_age_secs: 300,
    };
    let mut o = Oracle::new(spec);
    assert_eq!(o.observe(0, dec!(1)), r(dec!(1), 0, false));
    assert_eq!(o.observe(99, dec!(1.01)), r(dec!(1.01), 99, false));
    // TC0: freeze starts at 100 (inclusive)
    assert_eq!(o.observe(100, dec!(0.9)), r(dec!(1.01), 99, false));
    // TC1: age exactly max_age is not stale, one second more is
    assert_eq!(o.observe(399, dec!(0.9)), r(dec!(1.01), 99, false));
    assert_eq!(o.observe(400, dec!(0.9)), r(dec!(1.01), 99, true));
    // TC2: window ends at 1000 (exclusive): fresh again
    assert_eq!(o.observe(999, dec!(0.8)), r(dec!(1.01), 99, true));
    assert_eq!(o.observe(1000, dec!(0.8)), r(dec!(0.8), 1000, false));
}

#[test]
fn frozen_from_the_start_keeps_its_first_price() {
    let p = presets().into_iter().find(|p| p.id == "frozen").unwrap();
    let mut o = Oracle::new(p.spec);
    assert_eq!(o.observe(0, dec!(5)), r(dec!(5), 0, false));
    assert_eq!(o.observe(3600, dec!(6)), r(dec!(5), 0, false));
    assert_eq!(o.observe(3601, dec!(6)), r(dec!(5), 0, true));
}

#[test]
fn spike_multiplies_only_inside_its_window() {
    let spec = OracleSpec::ManipulatedSpike {
        at: 100,
        duration: 60,
        factor: dec!(3),
    };
    let mut o = Oracle::new(spec);
    assert_eq!(o.observe(99, dec!(10)).price, dec!(10));
    assert_eq!(o.observe(100, dec!(10)).price, dec!(30));
    assert_eq!(o.observe(159, dec!(10)).price, dec!(30));
    assert_eq!(o.observe(160, dec!(10)).price, dec!(10));
}

#[test]
fn mark_price_smooths_and_clamps_the_premium() {
    let spec = OracleSpec::Mark {
        smoothing_secs: 300,
        max_premium: dec!(0.005),
    };
    let mut o = Oracle::new(spec);
    assert_eq!(o.observe(0, dec!(100)).price, dec!(100));
    // TC0: small move: EMA with alpha = 60/360 -> 100 + 0.2/6
    let m = o.observe(60, dec!(100.2)).price;
    assert_eq!(m.round_dp(6), dec!(100.033333));
    // TC1: a 10 % drop: the EMA lags, the clamp keeps it within 0.5 % of the index
    assert_eq!(o.observe(120, dec!(90)).price, dec!(90.45));
    // TC2: zero smoothing is the index itself
    let mut o = Oracle::new(OracleSpec::Mark {
        smoothing_secs: 0,
        max_premium: dec!(0.005),
    });
    o.observe(0, dec!(1));
    assert_eq!(o.observe(1, dec!(2)).price, dec!(2));
}

#[test]
fn nonsense_parameters_never_panic_and_validate_reports_them() {
    let specs = [
        OracleSpec::FixedDelay { delay_secs: -5 },
        OracleSpec::HeartbeatDeviation {
            heartbeat_secs: -1,
            deviation: dec!(-1),
        },
        OracleSpec::Frozen {
            from_secs: i64::MAX,
            until_secs: Some(i64::MIN),
            max_age_secs: -1,
        },
        OracleSpec::ManipulatedSpike {
            at: i64::MAX,
            duration: i64::MAX,
            factor: Decimal::MAX,
        },
        OracleSpec::Mark {
            smoothing_secs: -1,
            max_premium: dec!(5),
        },
    ];
    for s in specs {
        assert!(s.validate().is_err(), "{s:?}");
        let mut o = Oracle::new(s);
        for (t, p) in [
            (i64::MIN, Decimal::MAX),
            (0, dec!(0)),
            (i64::MAX, Decimal::MIN),
            (5, dec!(-3)),
        ] {
            let _ = o.observe(t, p);
        }
    }
    for p in presets() {
        assert!(p.spec.validate().is_ok(), "{}", p.id);
        assert!(!p.spec.explanation().is_empty() && !p.spec.label().is_empty());
    }
}

#[test]
fn gap_series_charts_market_against_oracle() {
    let feed = PathFeed::new(
        vec!["ETH".into()],
        vec![0, 3600, 7200],
        vec![dec!(100), dec!(80), dec!(60)],
    )
    .unwrap();
    let g = oracle_gap(points(&feed, "ETH"), &OracleSpec::MAKER_OSM);
    assert_eq!(g.len(), feed.len());
    assert_eq!(
        (g[1].market, g[1].oracle, g[1].gap),
        (dec!(80), dec!(100), dec!(0.25))
    );
    assert_eq!((g[2].oracle, g[2].updated_at), (dec!(80), 3600));
    assert_eq!(feed.asset_index("BTC"), None);
}

#[test]
fn specs_round_trip_through_postcard_and_json() {
    for p in presets() {
        let bytes = postcard::to_allocvec(&p.spec).unwrap();
        let back: OracleSpec = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, p.spec);
        let json = serde_json::to_string(&p.spec).unwrap();
        assert_eq!(serde_json::from_str::<OracleSpec>(&json).unwrap(), p.spec);
    }
}

#[test]
fn repeated_observations_at_one_time_keep_the_latest_price() {
    let mut o = Oracle::new(OracleSpec::FixedDelay { delay_secs: 60 });
    o.observe(0, dec!(1));
    for k in 0..1000 {
        o.observe(30, Decimal::from(k + 2));
    }
    // the t=30 observation is the last one seen at t=30
    assert_eq!(o.observe(90, dec!(5)), r(dec!(1001), 30, false));
    let mut p = o.clone();
    assert_eq!(p.observe(150, dec!(6)), o.observe(150, dec!(6)));
}
