//! Sessions: scenario → engine + feed, actions at ticks, scrubbing, links that reproduce the log.
#![cfg(not(target_arch = "wasm32"))]

use margin_lab::engine::{
    AccountId, AssetId, CollateralDesign, Command, EventKind, LendingAction, MarginMode, PresetId,
    Side,
};
use margin_lab::replay::session::Advance;
use margin_lab::replay::{Scenario, Script, Session, Shared};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn crash(preset: PresetId, design: CollateralDesign) -> Scenario {
    Scenario {
        seed: 42,
        design,
        ..Scenario::new("eth-black-thursday", preset)
    }
}

fn long_eth_10x() -> Command {
    Command::OpenPosition {
        market: AssetId::new("ETH"),
        side: Side::Long,
        size: dec!(20),
        leverage: dec!(10),
        mode: MarginMode::Isolated,
    }
}

// TC0: a learner's 10x long in the crash scenario is liquidated, and the session pauses on it.
#[test]
fn ten_x_long_in_the_crash_is_liquidated() {
    // The 2026-11 rules' skew funding is zero for a lone long at zero premium, so the realized
    // loss is the trading loss alone (under Binance funding the position also collects funding
    // in the crash, which it then loses with its margin).
    let mut s = Session::open(Script::new(Scenario {
        rules: margin_lab::engine::RulesVersion::V2026_11,
        ..crash(PresetId::PerpExchange, CollateralDesign::MultiCollateral)
    }))
    .unwrap();
    s.act(long_eth_10x())
        .expect("the order fits the starting cash");
    let mut liquidated = false;
    while !s.at_end() {
        let adv = s.advance(50, true).unwrap();
        if adv.user_liquidated {
            liquidated = true;
            break;
        }
    }
    assert!(liquidated, "a 10x long does not survive a 40% crash");
    assert!(s
        .engine()
        .events()
        .iter()
        .any(|e| e.kind.is_liquidation_of(AccountId::USER)));
    // An isolated position loses at most its margin (20 ETH × 200 / 10 = 400): the equity falls
    // by exactly that, and the realized trading loss never shows more than was lost (fees and
    // funding make up the rest; a loss beyond the margin is the insurance fund's).
    let m = s.engine().account_metrics(&AccountId::USER).unwrap();
    assert_eq!(m.equity, dec!(10000) - dec!(400));
    assert!(
        m.realized_pnl >= -dec!(400) && m.realized_pnl < Decimal::ZERO,
        "{}",
        m.realized_pnl
    );
}

// TC1: replaying the script gives the same log hash; a link carries it and verifies.
#[test]
fn link_reproduces_the_session_bit_for_bit() {
    let mut s = Session::open(Script::new(crash(
        PresetId::PerpExchange,
        CollateralDesign::MultiCollateral,
    )))
    .unwrap();
    s.advance(5, false).unwrap();
    s.act(long_eth_10x()).unwrap();
    s.advance(200, false).unwrap();
    let shared = s.share();
    let link = shared.to_link();
    let opened = Shared::from_link(&format!("https://example.test/#{link}")).unwrap();
    assert_eq!(opened, shared);
    let mut replayed = Session::open(opened.script.clone()).unwrap();
    replayed.seek(opened.tick as usize).unwrap();
    assert_eq!(replayed.log_hash(), s.log_hash());
    assert_eq!(opened.verifies(&s.log_hash()), Some(true));
}

// TC2: scrubbing back and forth lands on the same state as playing straight through.
#[test]
fn scrubbing_back_is_a_replay() {
    let mut straight = Session::open(Script::new(crash(
        PresetId::AaveV3,
        CollateralDesign::MultiCollateral,
    )))
    .unwrap();
    straight
        .act(Command::Deposit {
            asset: AssetId::new("ETH"),
            amount: dec!(10),
        })
        .unwrap();
    straight
        .act(Command::Borrow {
            asset: AssetId::new("USDC"),
            amount: dec!(1000),
        })
        .unwrap();
    straight.advance(600, false).unwrap();
    let hash_at_600 = straight.log_hash();
    let tick = straight.tick();

    let mut scrubbed = straight.clone();
    scrubbed.seek(17).unwrap();
    assert_eq!(scrubbed.tick(), 17);
    scrubbed.seek(tick).unwrap();
    assert_eq!(scrubbed.log_hash(), hash_at_600);
    scrubbed.seek(0).unwrap();
    scrubbed.seek(tick).unwrap();
    assert_eq!(scrubbed.log_hash(), hash_at_600);
}

/// Opening defers the checkpoint of tick 0 (copying a crowd is a tenth of opening it): the page
/// takes it in idle time, or the first change of the engine does. Either way it is of tick 0
/// before any action: a checkpoint taken after the learner's first action would re-apply that
/// action on a scrub back, and the hashes below would differ.
#[test]
fn the_deferred_checkpoint_of_tick_0_is_of_tick_0_as_it_was() {
    let scenario = crash(PresetId::AaveV3, CollateralDesign::MultiCollateral);
    let deposit = Command::Deposit {
        asset: AssetId::new("ETH"),
        amount: dec!(10),
    };
    let borrow = Command::Borrow {
        asset: AssetId::new("USDC"),
        amount: dec!(1200),
    };
    // Taken in idle time, before the first action.
    let mut idle = Session::open(Script::new(scenario.clone())).unwrap();
    assert!(idle.take_deferred_checkpoint(), "opening defers it");
    assert!(!idle.take_deferred_checkpoint(), "taken once");
    // Taken by the first action.
    let mut first_action = Session::open(Script::new(scenario.clone())).unwrap();
    for s in [&mut idle, &mut first_action] {
        s.act(deposit.clone()).unwrap();
        s.act(borrow.clone()).unwrap();
    }
    assert!(
        !first_action.take_deferred_checkpoint(),
        "the action took it"
    );
    // Opened from a link whose actions are at tick 0: replaying them took it.
    let (mut linked, _) = Session::open_shared(first_action.share()).unwrap();
    assert!(
        !linked.take_deferred_checkpoint(),
        "the link's actions took it"
    );
    let mut hashes = Vec::new();
    for s in [&mut idle, &mut first_action, &mut linked] {
        s.advance(400, false).unwrap();
        let end = s.tick();
        let at_end = s.log_hash();
        s.seek(3).unwrap();
        let at_3 = s.log_hash();
        s.seek(end).unwrap();
        assert_eq!(s.log_hash(), at_end, "scrubbed back to 3 and forward again");
        hashes.push((at_3, at_end));
    }
    assert!(hashes.windows(2).all(|w| w[0] == w[1]), "{hashes:?}");
    // And the same as stepping straight to tick 3.
    let mut straight = Session::open(Script::new(scenario)).unwrap();
    straight.act(deposit).unwrap();
    straight.act(borrow).unwrap();
    straight.advance(3, false).unwrap();
    assert_eq!(straight.log_hash(), hashes[0].0);
}

/// The page warms its wasm up by stepping a `Session::rehearsal` (ui::util::warm). A rehearsal
/// must do the session's own work — the same events at the same times, recorded actions
/// re-applied at their ticks — while the session is left as it was.
#[test]
fn a_rehearsal_steps_as_the_session_would_and_leaves_it_alone() {
    let mut s = Session::open(Script::new(crash(
        PresetId::AaveV3,
        CollateralDesign::MultiCollateral,
    )))
    .unwrap();
    s.act(Command::Deposit {
        asset: AssetId::new("ETH"),
        amount: dec!(10),
    })
    .unwrap();
    s.advance(40, false).unwrap();
    // Recorded at tick 40, re-applied when stepping through it again after the scrub below.
    s.act(Command::Borrow {
        asset: AssetId::new("USDC"),
        amount: dec!(1000),
    })
    .unwrap();
    s.advance(400, false).unwrap();
    s.seek(10).unwrap();
    let (hash, tick, logged) = (s.log_hash(), s.tick(), s.engine().events().len());

    let mut rehearsal = s.rehearsal();
    assert!(
        rehearsal.engine().events().is_empty(),
        "the log is not copied"
    );
    let mut reference = s.clone();
    let a = rehearsal.advance(300, false).unwrap();
    let b = reference.advance(300, false).unwrap();
    // The same liquidation, numbered in each one's own log (the rehearsal's starts empty).
    assert_eq!(
        a.user_liquidation.map(|seq| seq + logged as u64),
        b.user_liquidation
    );
    assert_eq!(
        Advance {
            user_liquidation: None,
            ..a
        },
        Advance {
            user_liquidation: None,
            ..b
        }
    );
    let mine: Vec<_> = rehearsal
        .engine()
        .events()
        .iter()
        .map(|e| (e.time, &e.kind))
        .collect();
    let theirs: Vec<_> = reference.engine().events()[logged..]
        .iter()
        .map(|e| (e.time, &e.kind))
        .collect();
    assert_eq!(mine.len(), theirs.len());
    assert!(
        mine == theirs,
        "the rehearsal's events differ from the session's"
    );
    assert!(
        theirs.iter().any(|(_, k)| matches!(
            k,
            EventKind::Lending {
                action: LendingAction::Borrow,
                ..
            }
        )),
        "the recorded borrow is re-applied in the stepped range"
    );
    assert_eq!(
        (s.log_hash(), s.tick(), s.engine().events().len()),
        (hash, tick, logged)
    );
}

// TC3: a rejected action changes nothing and is not recorded.
#[test]
fn rejected_action_records_nothing() {
    let mut s = Session::open(Script::new(crash(
        PresetId::PerpExchange,
        CollateralDesign::MultiCollateral,
    )))
    .unwrap();
    let before = (s.log_hash(), s.script().clone());
    let err = s
        .act(Command::OpenPosition {
            market: AssetId::new("ETH"),
            side: Side::Long,
            size: dec!(10000),
            leverage: dec!(10),
            mode: MarginMode::Isolated,
        })
        .unwrap_err();
    assert!(!err.is_empty());
    assert_eq!((s.log_hash(), s.script().clone()), before);
}

// TC4: the same scenario switches design; a vault preset also runs pooled, and the reverse.
#[test]
fn every_preset_runs_under_both_designs() {
    for preset in PresetId::ALL {
        for design in [
            CollateralDesign::SingleCollateral,
            CollateralDesign::MultiCollateral,
        ] {
            let mut s = Session::open(Script::new(crash(preset, design)))
                .unwrap_or_else(|e| panic!("{preset:?} / {design:?}: {e}"));
            s.advance(100, false).unwrap();
        }
    }
}

// TC5: compare mode runs the same intent under both designs and reports what differs.
#[test]
fn compare_designs_reports_both_outcomes() {
    let mut s = Session::open(Script::new(crash(
        PresetId::AaveV3,
        CollateralDesign::MultiCollateral,
    )))
    .unwrap();
    s.act(Command::Deposit {
        asset: AssetId::new("ETH"),
        amount: dec!(100),
    })
    .unwrap();
    s.act(Command::Deposit {
        asset: AssetId::new("WBTC"),
        amount: dec!(1),
    })
    .unwrap();
    s.act(Command::Borrow {
        asset: AssetId::new("USDC"),
        amount: dec!(14000),
    })
    .unwrap();
    let (single, multi) = margin_lab::replay::compare::compare_designs(&s).unwrap();
    assert_eq!(single.scenario.design, CollateralDesign::SingleCollateral);
    assert_eq!(multi.scenario.design, CollateralDesign::MultiCollateral);
    // Pooled collateral backs one loan; vaults cannot pool, so the same borrow either fits one
    // vault or is reported as skipped — never silently dropped.
    assert!(multi.skipped.is_empty(), "{:?}", multi.skipped);
    assert!(multi.peak_borrow_limit > single.peak_borrow_limit || !single.skipped.is_empty());
    assert_eq!(single.health.len(), multi.health.len());
    assert_ne!(single.log_hash, multi.log_hash);
}

// TC6: each system's own oracle: Maker's OSM shows the engine prices one hour late (hourly feed:
// one tick), a perps exchange marks to the index, and a chosen oracle overrides the system's.
#[test]
fn sessions_use_the_imitated_systems_oracle() {
    let eth_series = |s: &Session| {
        let k = s
            .config()
            .assets
            .iter()
            .position(|a| a.id.as_str() == "ETH")
            .unwrap();
        (s.series().market[k].clone(), s.series().oracle[k].clone())
    };
    let mut maker = Session::open(Script::new(crash(
        PresetId::MakerScd,
        CollateralDesign::SingleCollateral,
    )))
    .unwrap();
    maker.advance(60, false).unwrap();
    let (market, oracle) = eth_series(&maker);
    for t in 1..market.len() {
        assert_eq!(
            oracle[t],
            market[t - 1],
            "tick {t}: the OSM price is the market price an hour before"
        );
    }
    let mut instant = Session::open(Script::new(Scenario {
        oracle: Some(margin_lab::engine::OracleSpec::Instant),
        ..crash(PresetId::MakerScd, CollateralDesign::SingleCollateral)
    }))
    .unwrap();
    instant.advance(60, false).unwrap();
    let (market, oracle) = eth_series(&instant);
    assert_eq!(market, oracle);
}

// TC7: a session on imported prices runs, scrubs and compares on those prices, and refuses to be
// shared as a link (the prices are not in it).
#[test]
fn imported_prices_run_but_cannot_be_linked() {
    let csv =
        "date,close\n2024-01-01,100\n2024-01-02,101\n2024-01-03,80\n2024-01-04,60\n2024-01-05,62\n";
    let feed = margin_lab::feed::csv_import::parse_bytes(csv.as_bytes())
        .unwrap()
        .into_feed("ETH")
        .unwrap();
    let scenario = Scenario {
        feed: "import:my.csv".into(),
        ..crash(PresetId::PerpExchange, CollateralDesign::MultiCollateral)
    };
    assert!(
        Session::open(Script::new(scenario.clone())).is_err(),
        "no feed, no session"
    );
    let mut s = Session::open_with(Script::new(scenario), Some(feed)).unwrap();
    assert!(s.is_imported());
    s.act(long_eth_10x()).unwrap();
    s.advance(10, false).unwrap();
    assert_eq!(s.tick(), 4);
    assert!(s
        .engine()
        .events()
        .iter()
        .any(|e| e.kind.is_liquidation_of(AccountId::USER)));
    let hash = s.log_hash();
    s.seek(0).unwrap();
    s.seek(4).unwrap();
    assert_eq!(s.log_hash(), hash);
    let (single, multi) = margin_lab::replay::compare::compare_designs(&s).unwrap();
    assert_eq!(single.health.len(), 5);
    assert_eq!(multi.health.len(), 5);
    let shared = s.share();
    let err = Shared::from_link(&shared.to_link())
        .unwrap_err()
        .to_string();
    assert!(err.contains("imported prices"), "{err}");
}

// TC8: preset assets the feed does not price follow the one they track: wstETH moves with ETH at
// the preset's ratio (3,500 / 3,000), and the preset's wstETH balance keeps its value.
#[test]
fn staked_eth_tracks_eth_when_the_feed_has_only_eth() {
    let mut s = Session::open(Script::new(crash(
        PresetId::AaveV3,
        CollateralDesign::MultiCollateral,
    )))
    .unwrap();
    s.advance(80, false).unwrap();
    let col = |id: &str| {
        s.config()
            .assets
            .iter()
            .position(|a| a.id.as_str() == id)
            .unwrap()
    };
    let (eth, wsteth) = (col("ETH"), col("wstETH"));
    for t in [0, 40, 80] {
        let ratio = s.series().market[wsteth][t] / s.series().market[eth][t];
        assert_eq!(
            ratio.round_dp(6),
            (dec!(3500) / dec!(3000)).round_dp(6),
            "tick {t}"
        );
    }
    let m = s.engine().account_metrics(&AccountId::USER).unwrap();
    let wallet = |id: &str| {
        m.wallet
            .iter()
            .find(|(a, _)| a.as_str() == id)
            .map(|(_, v)| *v)
            .unwrap()
    };
    // 5 wstETH at 3,500 = 17,500 of value, now at the feed's ETH price × 3,500/3,000.
    assert_eq!(
        (wallet("wstETH") * s.config().assets[wsteth].initial_price).round_dp(2),
        dec!(17500)
    );
}

// Hardening item 1: a tiny (or huge) first price used to overflow the preset's starting balances
// and panic (70 of 1,248 combinations crashed). Every preset × design × symbol × in-range first
// price now opens or is refused with a reason; the sizes and the asset followed are named.
#[test]
fn absurd_first_prices_are_refused_with_a_reason() {
    let prices = [
        Decimal::new(1, 12),
        Decimal::new(1, 6),
        Decimal::ONE,
        Decimal::from(1_000_000),
        Decimal::from(900_000_000),
        Decimal::from(1_000_000_000),
    ];
    let (mut opened, mut refused) = (0, 0);
    for preset in PresetId::ALL {
        for design in [
            CollateralDesign::SingleCollateral,
            CollateralDesign::MultiCollateral,
        ] {
            for symbol in ["ETH", "USDC", "WBTC", "TBILL", "XYZ"] {
                for p in prices {
                    let csv = format!("date,close\n2024-01-01,{p}\n2024-01-02,{p}\n");
                    let feed = margin_lab::feed::csv_import::parse_bytes(csv.as_bytes())
                        .unwrap()
                        .into_feed(symbol)
                        .unwrap();
                    let scenario = Scenario {
                        feed: "import:edge.csv".into(),
                        design,
                        ..Scenario::new("x", preset)
                    };
                    match Session::open_with(Script::new(scenario), Some(feed)) {
                        Ok(_) => opened += 1,
                        Err(e) => {
                            assert!(!e.is_empty());
                            refused += 1;
                        }
                    }
                }
            }
        }
    }
    assert_eq!(opened + refused, PresetId::ALL.len() * 2 * 5 * 6);
    assert!(opened > refused, "{opened} opened, {refused} refused");
    // The two reasons, worded for the learner.
    let open_eth = |p: Decimal, preset: PresetId| {
        let csv = format!("date,close\n2024-01-01,{p}\n2024-01-02,{p}\n");
        let feed = margin_lab::feed::csv_import::parse_bytes(csv.as_bytes())
            .unwrap()
            .into_feed("ETH")
            .unwrap();
        let scenario = Scenario {
            feed: "import:edge.csv".into(),
            ..Scenario::new("x", preset)
        };
        Session::open_with(Script::new(scenario), Some(feed)).err()
    };
    // 10 ETH worth 30,000 would be 3·10^16 ETH at 10^-12: more than an account can hold.
    let tiny = open_eth(Decimal::new(1, 12), PresetId::CompoundIII).expect("refused");
    assert!(tiny.contains("starting balance of 10 ETH"), "{tiny}");
    // wstETH starts at 3,500 / 3,000 of ETH: above 10^9 when ETH starts at 9·10^8.
    let huge = open_eth(Decimal::from(900_000_000), PresetId::AaveV3).expect("refused");
    assert!(huge.contains("wstETH, which follows it"), "{huge}");
}

// Playback prices each tick with a `MarketPricer` built once per session instead of rebuilding
// `market_prices`' map: it must give exactly the same prices, for every bundled scenario under
// every preset and design (pegged assets such as stETH following ETH included) and for edge
// prices of an imported feed.
#[test]
fn the_market_pricer_gives_exactly_the_market_prices_of_every_tick() {
    use margin_lab::engine::system::{market_prices, MarketPricer};
    use margin_lab::feed::PriceFeed;
    use margin_lab::replay::scenario;
    let edge = margin_lab::feed::PathFeed::new(
        vec!["ETH".into(), "WBTC".into()],
        vec![0, 60, 120, 180],
        [
            dec!(3000),
            dec!(60000),
            dec!(0.000000000001),
            dec!(1),
            dec!(1_000_000_000),
            dec!(1_000_000_000),
            dec!(2999.999999999999),
            dec!(0.5),
        ]
        .to_vec(),
    )
    .unwrap();
    let (mut compared, mut pegged) = (0usize, 0usize);
    for preset in PresetId::ALL.into_iter().filter(|p| *p != PresetId::Custom) {
        for design in [
            CollateralDesign::SingleCollateral,
            CollateralDesign::MultiCollateral,
        ] {
            let mut feeds: Vec<(Scenario, Option<margin_lab::feed::PathFeed>)> =
                margin_lab::feed::catalogue()
                    .iter()
                    .map(|e| {
                        (
                            Scenario {
                                design,
                                ..Scenario::new(e.id, preset)
                            },
                            None,
                        )
                    })
                    .collect();
            feeds.push((
                Scenario {
                    feed: "import:edge.csv".into(),
                    design,
                    ..Scenario::new("x", preset)
                },
                Some(edge.clone()),
            ));
            for (scenario, imported) in feeds {
                let Ok((config, feed)) = scenario::build(&scenario, imported.as_ref()) else {
                    continue;
                };
                let mut pricer = MarketPricer::new(&config, feed.assets());
                let n = feed.len();
                for i in (0..n).filter(|i| *i < 3 || *i + 3 > n || i % 97 == 0) {
                    let tick = feed.tick(i).unwrap();
                    let expected = market_prices(&config, &tick.prices);
                    let got = pricer.prices(|k| feed.price(i, k)).unwrap();
                    assert_eq!(
                        got, &expected,
                        "{} {preset:?} {design:?} tick {i}",
                        scenario.feed
                    );
                    compared += 1;
                    pegged += usize::from(
                        expected.keys().any(|a| a.as_str() == "stETH")
                            && tick.prices.contains_key("ETH"),
                    );
                }
                assert!(
                    pricer.prices(|k| feed.price(n, k)).is_none(),
                    "past the end"
                );
            }
        }
    }
    // Enough ticks reached the comparison, pegged assets among them.
    assert!(compared > 2_000, "{compared} ticks compared");
    assert!(pegged > 100, "{pegged} ticks with a pegged asset");
}

// The health chart records `Engine::risk_ratios` every tick instead of the whole
// `account_metrics`: the same health and margin ratio, over the 130 published v1 sessions (every
// scenario × preset × design, positions, loans, vaults, stability deposits, liquidations) at their
// author's tick and then tick by tick for up to 60 more ticks (many end earlier, at their feed's
// end); and open perp positions of both perp presets, isolated and cross, for 300 ticks.
#[test]
fn risk_ratios_are_the_metrics_health_and_margin_ratio() {
    let corpus = include_str!("fixtures/links/v1-corpus.txt");
    let (mut compared, mut with_health, mut with_margin) = (0usize, 0usize, 0usize);
    for line in corpus
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let link = line.split(' ').next().unwrap();
        let (mut s, _) = Session::open_shared(Shared::from_link(link).unwrap()).unwrap();
        for _ in 0..60 {
            let m = s.engine().account_metrics(&AccountId::USER).unwrap();
            let r = s.engine().risk_ratios(&AccountId::USER).unwrap();
            assert_eq!(r, (m.health(), m.margin_ratio), "{link} tick {}", s.tick());
            compared += 1;
            with_health += usize::from(r.0.is_some());
            with_margin += usize::from(r.1.is_some());
            if s.advance(1, false).unwrap().stepped == 0 {
                break;
            }
        }
    }
    // Open perp positions, isolated and cross, under both perp presets, tick by tick.
    for preset in [PresetId::PerpExchange, PresetId::PerpSkew] {
        for mode in [MarginMode::Isolated, MarginMode::Cross] {
            let mut s = Session::open(Script::new(Scenario::new("eth-jumps", preset))).unwrap();
            s.act(Command::OpenPosition {
                market: AssetId::new("ETH"),
                side: Side::Long,
                size: dec!(1),
                leverage: dec!(4),
                mode,
            })
            .unwrap();
            for _ in 0..300 {
                s.advance(1, false).unwrap();
                let m = s.engine().account_metrics(&AccountId::USER).unwrap();
                let r = s.engine().risk_ratios(&AccountId::USER).unwrap();
                assert_eq!(
                    r,
                    (m.health(), m.margin_ratio),
                    "{preset:?} {mode:?} tick {}",
                    s.tick()
                );
                compared += 1;
                with_margin += usize::from(r.1.is_some());
            }
        }
    }
    println!(
        "{compared} ticks compared: {with_health} with a health, {with_margin} with a margin ratio"
    );
    assert!(compared > 3_000, "{compared} ticks compared");
    assert!(
        with_health > 500 && with_margin > 500,
        "{with_health} with a health, {with_margin} with a margin ratio"
    );
}
