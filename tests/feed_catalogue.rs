#![cfg(not(target_arch = "wasm32"))]
//! The bundled catalogue, replayed data, shocks, resampling, seeking and spec round trips.

use margin_lab::engine::oracle::{oracle_gap, summarize, OracleSpec};
use margin_lab::feed::catalogue::entry;
use margin_lab::feed::replayed::{file, load, provide, verify_and_parse};
use margin_lab::feed::OracleOutage;
use margin_lab::feed::{
    catalogue, Dataset, FeedCursor, FeedError, FeedSpec, PathFeed, PriceFeed, Provenance, Shock,
    ShockKind,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

#[test]
fn every_entry_builds_with_its_listed_assets_and_is_honestly_labelled() {
    let entries = catalogue();
    assert!(entries.len() >= 10);
    for e in &entries {
        let f = e
            .spec
            .build()
            .unwrap_or_else(|err| panic!("{}: {err}", e.id));
        let assets: Vec<&str> = f.assets().iter().map(String::as_str).collect();
        assert_eq!(assets, e.assets, "{}", e.id);
        assert!(!f.is_empty());
        assert!(
            !e.name.is_empty()
                && !e.description.is_empty()
                && !e.source.is_empty()
                && !e.licence.is_empty()
        );
        match &e.provenance {
            Provenance::Recorded => {
                assert!(e.source.contains("vega-datasets") && e.licence == "BSD-3-Clause")
            }
            Provenance::Synthetic { .. } => {
                assert!(e.provenance.label().starts_with("Synthetic"));
                assert!(!e.source.contains("vega"));
            }
        }
    }
    let bt = entry("eth-black-thursday").unwrap();
    assert_eq!(
        bt.provenance.label(),
        "Synthetic — modelled on Black Thursday, 12 Mar 2020, not recorded data"
    );
    let ids: std::collections::BTreeSet<_> = entries.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), entries.len(), "ids are unique");
}

#[test]
fn sp500_bundle_covers_2000_to_april_2020_including_12_march() {
    let f = load(Dataset::Sp500Daily).unwrap();
    assert_eq!(f.len(), 5105);
    assert_eq!(f.time(0), Some(946_857_600)); // 2000-01-03
    assert_eq!(f.price(0, 0), Some(dec!(1455.219971)));
    let i = f.index_at_time(1_583_971_200); // 2020-03-12
    assert_eq!(f.time(i), Some(1_583_971_200));
    assert_eq!(f.price(i, 0), Some(dec!(2480.639893)));
    let crash = entry("sp500-2008").unwrap().spec.build().unwrap();
    let min = (0..crash.len())
        .map(|i| crash.price(i, 0).unwrap())
        .min()
        .unwrap();
    assert_eq!(min, dec!(676.530029)); // 9 March 2009 close
}

// The page fetches the recorded files; each must be the exact bytes this build was made with.
#[test]
fn served_datasets_match_their_recorded_length_and_sha256() {
    // TC0: the files under public/data are the ones `replayed::file` names (length and SHA-256),
    // and `load` (compiled-in natively) builds them.
    for dataset in [Dataset::Sp500Daily, Dataset::StocksMonthly] {
        let f = file(dataset);
        let path = format!("{}/{}", env!("CARGO_MANIFEST_DIR"), f.path);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(bytes.len(), f.bytes, "{path}");
        assert_eq!(
            margin_lab::feed::hash::hex_sha256(&bytes),
            f.sha256,
            "{path}"
        );
        assert_eq!(verify_and_parse(dataset, &bytes), load(dataset), "{path}");
        assert_eq!(provide(dataset, &bytes), Ok(()));
    }
}

#[test]
fn a_tampered_dataset_is_refused_with_a_reason() {
    let f = file(Dataset::Sp500Daily);
    let good = std::fs::read(format!("{}/{}", env!("CARGO_MANIFEST_DIR"), f.path)).unwrap();
    // TC0: one close changed by a cent (still a valid CSV that would replay differently).
    let text = String::from_utf8(good.clone()).unwrap();
    let edited = text.replacen("1455.219971,1455.219971", "1455.229971,1455.219971", 1);
    assert_ne!(edited, text);
    // TC1: cut short (a download that stopped); TC2: empty; TC3: another dataset's file.
    let stocks = std::fs::read(format!(
        "{}/{}",
        env!("CARGO_MANIFEST_DIR"),
        file(Dataset::StocksMonthly).path
    ))
    .unwrap();
    for (case, bytes) in [
        ("edited", edited.into_bytes()),
        ("cut", good[..good.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("swapped", stocks),
    ] {
        let err = verify_and_parse(Dataset::Sp500Daily, &bytes).unwrap_err();
        assert!(matches!(err, FeedError::Tampered { .. }), "{case}: {err:?}");
        let msg = err.to_string();
        assert!(msg.contains("public/data/sp500-2000.csv"), "{case}: {msg}");
        assert!(msg.contains("were not used"), "{case}: {msg}");
        assert!(
            msg.contains("9409e9342d06"),
            "{case}: names the expected hash: {msg}"
        );
        assert_eq!(provide(Dataset::Sp500Daily, &bytes), Err(err), "{case}");
    }
}

#[test]
fn stocks_bundle_keeps_the_months_all_five_share() {
    let f = load(Dataset::StocksMonthly).unwrap();
    assert_eq!(f.len(), 68);
    assert_eq!(f.tick(0).unwrap().price("GOOG"), Some(dec!(102.37)));
}

#[test]
fn crash_shock_falls_by_the_given_fraction_over_the_given_ticks() {
    let f = entry("eth-black-thursday")
        .unwrap()
        .spec
        .build_path()
        .unwrap();
    let mut plain = entry("eth-black-thursday").unwrap().spec;
    plain.shocks.clear();
    let g = plain.build_path().unwrap();
    assert_eq!(f.price(47, 0), g.price(47, 0));
    let ratio = |i| f.price(i, 0).unwrap() / g.price(i, 0).unwrap();
    assert_eq!(ratio(77).round_dp(6), dec!(0.57));
    assert_eq!(ratio(150).round_dp(6), dec!(0.57));
    assert!(ratio(60) > dec!(0.57) && ratio(60) < dec!(1));
}

#[test]
fn depeg_reaches_its_level_and_recovers() {
    let f = entry("stablecoin-depeg")
        .unwrap()
        .spec
        .build_path()
        .unwrap();
    let usdc = f.series("USDC").unwrap();
    let low = usdc.iter().min().unwrap();
    assert!((*low - dec!(0.88)).abs() < dec!(0.01), "low {low}");
    assert!(
        (usdc[150] - dec!(1)).abs() < dec!(0.01),
        "recovered {}",
        usdc[150]
    );
    assert!((usdc[40] - dec!(1)).abs() < dec!(0.01));
}

#[test]
fn oracle_freeze_shock_sets_an_outage_and_the_gap_shows_stale_readings() {
    let f = entry("tbill-oracle-freeze").unwrap().spec.build().unwrap();
    let outages = f.oracle_outages();
    let o: OracleOutage = outages["TBILL"];
    assert_eq!(o.max_age_secs, 86_400);
    assert!(!outages.contains_key("USDC"));
    let spec = OracleSpec::Frozen {
        from_secs: o.from_secs,
        until_secs: o.until_secs,
        max_age_secs: o.max_age_secs,
    };
    let a = f.asset_index("TBILL").unwrap();
    let g = oracle_gap(
        (0..f.len()).map(|i| (f.time(i).unwrap(), f.price(i, a).unwrap())),
        &spec,
    );
    assert!(!g[47].stale && g[47].gap == dec!(0));
    assert!(
        g[70].gap > dec!(0.04),
        "oracle above the 5 % gapped market: {}",
        g[70].gap
    );
    assert!(!g[71].stale && g[72].stale && g[119].stale);
    assert!(!g[120].stale && g[120].gap == dec!(0));
    let s = summarize(&g);
    assert_eq!(s.stale_ticks, 48);
    assert!(s.max_over > dec!(0.04) && s.max_under <= dec!(0) && s.max_under > dec!(-0.01));
}

#[test]
fn shocks_describe_themselves() {
    let bt = entry("eth-black-thursday").unwrap().spec;
    assert_eq!(
        bt.shocks[0].describe(),
        "ETH −43 % over 30 ticks from tick 48"
    );
    let tb = entry("tbill-oracle-freeze").unwrap().spec;
    assert_eq!(
        tb.shocks[0].describe(),
        "TBILL oracle frozen for 72 ticks (stale after 86400 s) from tick 48"
    );
    assert_eq!(tb.shocks[1].describe(), "TBILL gaps −5 % from tick 60");
    let dp = entry("stablecoin-depeg").unwrap().spec;
    assert_eq!(
        dp.shocks[0].describe(),
        "USDC depegs to 0.88 over 10 ticks, holds 20, recovers over 30 from tick 46"
    );
}

#[test]
fn gap_shock_and_bad_shocks() {
    let base = entry("calm-gbm").unwrap().spec;
    let mut s = base.clone();
    s.shocks.push(Shock {
        at: 10,
        asset: "ETH".into(),
        kind: ShockKind::Gap { factor: dec!(1.15) },
    });
    let (a, b) = (base.build_path().unwrap(), s.build_path().unwrap());
    assert_eq!(
        (b.price(10, 0).unwrap() / a.price(10, 0).unwrap()).round_dp(6),
        dec!(1.15)
    );
    let bad = |kind: ShockKind, at: u64, asset: &str| {
        let mut s = base.clone();
        s.shocks = vec![Shock {
            at,
            asset: asset.into(),
            kind,
        }];
        s.build().err().unwrap()
    };
    assert_eq!(
        bad(ShockKind::Gap { factor: dec!(1) }, 0, "BTC"),
        FeedError::UnknownAsset("BTC".into())
    );
    assert!(matches!(
        bad(ShockKind::Gap { factor: dec!(1) }, 10_000, "ETH"),
        FeedError::BadParam { .. }
    ));
    assert!(matches!(
        bad(ShockKind::Gap { factor: dec!(0) }, 1, "ETH"),
        FeedError::BadParam { .. }
    ));
    assert!(matches!(
        bad(
            ShockKind::Crash {
                drop: dec!(1),
                over_ticks: 3
            },
            1,
            "ETH"
        ),
        FeedError::BadParam { .. }
    ));
    // compounding huge gaps stays bounded and positive
    let mut s = base.clone();
    for at in 0..20 {
        s.shocks.push(Shock {
            at,
            asset: "ETH".into(),
            kind: ShockKind::Gap { factor: dec!(1000) },
        });
    }
    let f = s.build_path().unwrap();
    assert_eq!(f.price(100, 0), Some(margin_lab::engine::num::MAX_PRICE));
}

#[test]
fn resample_keeps_the_last_price_and_holds_it_on_finer_grids() {
    let f = PathFeed::new(
        vec!["X".into()],
        vec![0, 60, 120, 300],
        vec![dec!(1), dec!(2), dec!(3), dec!(4)],
    )
    .unwrap();
    let coarse = f.resample(120).unwrap();
    assert_eq!(coarse.times(), &[0, 120, 240]);
    assert_eq!(coarse.prices(), &[dec!(1), dec!(3), dec!(3)]);
    let fine = f.resample(60).unwrap();
    assert_eq!(
        fine.prices(),
        &[dec!(1), dec!(2), dec!(3), dec!(3), dec!(3), dec!(4)]
    );
    assert!(f.resample(59).is_err() && f.resample(604_801).is_err());
    let daily = entry("crypto-basket")
        .unwrap()
        .spec
        .build()
        .unwrap()
        .resample(86_400)
        .unwrap();
    assert_eq!(daily.len(), 30);
    let decades = PathFeed::new(
        vec!["X".into()],
        vec![0, 1_000_000_000],
        vec![dec!(1), dec!(2)],
    )
    .unwrap();
    assert!(matches!(
        decades.resample(60),
        Err(FeedError::TooLarge { .. })
    ));
}

#[test]
fn cursor_steps_at_any_speed_and_seeks() {
    let f = entry("calm-gbm").unwrap().spec.build().unwrap();
    let mut c = FeedCursor::new(f);
    assert_eq!(c.current().unwrap().index, 0);
    assert_eq!(c.advance(10).unwrap().index, 10);
    assert_eq!(c.advance(1000).unwrap().index, 719);
    assert!(c.at_end());
    assert_eq!(c.seek(5).unwrap().index, 5);
    let t = c.feed().time(100).unwrap();
    assert_eq!(c.seek_time(t + 1).unwrap().index, 100);
    assert_eq!(c.seek_time(i64::MIN).unwrap().index, 0);
}

#[test]
fn feed_specs_round_trip_through_postcard() {
    for e in catalogue() {
        let bytes = postcard::to_allocvec(&e.spec).unwrap();
        let back: FeedSpec = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, e.spec, "{}", e.id);
    }
}

#[test]
fn scenarios_build_by_id_and_seed() {
    use margin_lab::feed::catalogue::build;
    let a = build("calm-gbm", 1).unwrap();
    let b = build("calm-gbm", 2).unwrap();
    assert_eq!(
        margin_lab::feed::feed_hash(a.as_ref()),
        margin_lab::feed::feed_hash(entry("calm-gbm").unwrap().spec.build().unwrap().as_ref())
    );
    assert_ne!(a.price(5, 0), b.price(5, 0));
    assert_eq!(
        build("sp500-2020", 1).unwrap().price(3, 0),
        build("sp500-2020", 99).unwrap().price(3, 0)
    );
    assert_eq!(
        build("nope", 1).err(),
        Some(FeedError::UnknownScenario("nope".into()))
    );
}

#[test]
fn ticks_convert_to_engine_prices() {
    let f = entry("crypto-basket").unwrap().spec.build().unwrap();
    let t = f.tick(3).unwrap();
    assert_eq!(t.prices.len(), 8);
    assert!(t.prices.values().all(|p| *p > Decimal::ZERO));
}
