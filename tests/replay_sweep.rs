#![cfg(not(target_arch = "wasm32"))]
//! Tests across seeds: deterministic, the first seed is the author's own path, "no strategy" is
//! the script without its automation, refused actions are counted, recorded prices are refused,
//! and the summary's statistics are what they say.

use margin_lab::engine::orders::{OrderRequest, Plan};
use margin_lab::engine::*;
use margin_lab::replay::sweep::{
    has_automation, report, single_path_reason, without_automation, Stats, Sweep, SweepSpec,
};
use margin_lab::replay::{Action, Scenario, Script, Session};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

#[path = "support/bracket.rs"]
mod bracket;
use bracket::{bracket, strategy_script};

#[test]
fn same_script_same_outcomes_in_any_order() {
    let sweep = Sweep::new(
        &strategy_script(),
        SweepSpec {
            seeds: 12,
            ticks: Some(400),
        },
    )
    .unwrap();
    // TC0: two runs give the same outcomes and digest.
    let a = sweep.run_all().unwrap();
    let b = sweep.run_all().unwrap();
    assert_eq!(a, b);
    assert_eq!(report(&a).digest, report(&b).digest);
    // TC1: seeds run one by one, backwards, give the same outcomes (workers may run them in any
    // order).
    let mut c: Vec<_> = (0..12).rev().map(|k| sweep.run_seed(k).unwrap()).collect();
    c.reverse();
    assert_eq!(a, c);
    // TC2: seeds are the scenario's seed and the next ones.
    assert_eq!(
        a.iter().map(|o| o.seed).collect::<Vec<_>>(),
        (1..13).collect::<Vec<u64>>()
    );
    // TC3: the paths differ: not every seed ends at the same equity.
    assert!(a
        .iter()
        .any(|o| o.strategy.final_equity != a[0].strategy.final_equity));
}

/// The digest of 20 seeds × 300 ticks of [`strategy_script`], recorded from this build's native
/// run; `tests/web_sweep.rs` checks that the browser gives the same.
pub const GOLDEN_DIGEST: &str = "35d8b3fe76597e5cb599fc1c7ab55c4215fcff0517fbe38f1696ee7c1ba94f45";

#[test]
fn the_golden_digest() {
    // TC0: a fixed test's digest (a change means outcomes changed, for old links too).
    let sweep = Sweep::new(
        &strategy_script(),
        SweepSpec {
            seeds: 20,
            ticks: Some(300),
        },
    )
    .unwrap();
    let r = report(&sweep.run_all().unwrap());
    assert_eq!(r.digest, GOLDEN_DIGEST);
}

#[test]
fn the_first_seed_is_the_authors_own_path() {
    // TC0: run 0 of the test ends where the session ends after the same ticks, with the equity
    // the metrics show.
    let script = strategy_script();
    let sweep = Sweep::new(
        &script,
        SweepSpec {
            seeds: 1,
            ticks: Some(500),
        },
    )
    .unwrap();
    let first = sweep.run_seed(0).unwrap();
    let mut session = Session::open(script).unwrap();
    session.seek(499).unwrap();
    let m = session.engine().account_metrics(&AccountId::USER).unwrap();
    assert_eq!(first.strategy.final_equity, m.equity);
    // TC1: the worst drawdown is the largest fall from a running peak over those ticks.
    assert!(first.strategy.worst_drawdown > Decimal::ZERO);
    assert!(first.strategy.worst_drawdown < Decimal::ONE);
}

#[test]
fn no_strategy_is_the_script_without_its_automation() {
    let mut script = strategy_script();
    script.actions.push(Action {
        tick: 5,
        command: Command::PlaceOrder {
            order: OrderRequest::StopLoss {
                market: AssetId::new("ETH"),
                trigger: dec!(1000),
                size: None,
            },
        },
    });
    script.actions.push(Action {
        tick: 6,
        command: Command::Fund {
            asset: AssetId::new("USDC"),
            amount: dec!(100),
        },
    });
    let base = without_automation(&script);
    // TC0: the strategy keeps its entry only; the order goes; the deposit stays.
    assert_eq!(base.actions.len(), 2);
    assert_eq!(
        base.actions[0].command,
        Command::SetStrategy {
            strategy: bracket().entry_only()
        }
    );
    assert!(matches!(base.actions[1].command, Command::Fund { .. }));
    assert!(has_automation(&script));
    assert!(!has_automation(&base));
    // TC1: without automation, nothing fires and nothing re-enters.
    let sweep = Sweep::new(
        &script,
        SweepSpec {
            seeds: 8,
            ticks: Some(600),
        },
    )
    .unwrap();
    let r = report(&sweep.run_all().unwrap());
    assert_eq!(r.baseline.fired.stop_loss + r.baseline.fired.take_profit, 0);
    assert_eq!(r.baseline.fired.reentries, 0);
    assert!(r.strategy.fired.stop_loss + r.strategy.fired.take_profit > 0);
}

#[test]
fn actions_refused_on_a_path_are_skipped_and_counted() {
    // TC0: closing the position at tick 400 is refused on the paths where the stop or the take
    // already closed it (and the re-entry has not happened yet): counted, not an error.
    let mut script = strategy_script();
    if let Command::SetStrategy { strategy } = &mut script.actions[0].command {
        if let Plan::Perp(p) = &mut strategy.plan {
            p.reenter_after_secs = None;
        }
    }
    script.actions.push(Action {
        tick: 400,
        command: Command::ClosePosition {
            market: AssetId::new("ETH"),
        },
    });
    let sweep = Sweep::new(
        &script,
        SweepSpec {
            seeds: 30,
            ticks: Some(450),
        },
    )
    .unwrap();
    let r = report(&sweep.run_all().unwrap());
    assert!(r.strategy.skipped_actions > 0);
    assert!(r.strategy.skipped_actions < 30);
    // The held position ("no strategy") is only gone where it was liquidated.
    assert_eq!(r.baseline.skipped_actions, r.baseline.liquidated_runs);
}

#[test]
fn one_path_scenarios_and_bad_requests_are_refused() {
    // TC0: recorded prices.
    let recorded = Script::new(Scenario::new("sp500-2008", PresetId::AaveV3));
    assert!(single_path_reason(&recorded)
        .unwrap()
        .contains("recorded prices"));
    let err = Sweep::new(
        &recorded,
        SweepSpec {
            seeds: 10,
            ticks: None,
        },
    )
    .unwrap_err();
    assert!(err.contains("one path"), "{err}");
    // TC1: imported prices.
    let imported = Script::new(Scenario::new("import:mine.csv", PresetId::AaveV3));
    assert!(single_path_reason(&imported).unwrap().contains("imported"));
    // TC2, TC3: seed counts.
    for seeds in [0, 1001] {
        let err = Sweep::new(&strategy_script(), SweepSpec { seeds, ticks: None }).unwrap_err();
        assert!(err.contains("1 to 1000"), "{err}");
    }
    // TC4: no ticks.
    assert!(Sweep::new(
        &strategy_script(),
        SweepSpec {
            seeds: 1,
            ticks: Some(0)
        }
    )
    .is_err());
    // TC5: simulated scenarios have many paths.
    assert_eq!(single_path_reason(&strategy_script()), None);
}

#[test]
fn statistics_by_nearest_rank() {
    // (values, mean, min, p5, median, p95, max)
    let one_to_twenty: Vec<Decimal> = (1..=20).map(Decimal::from).collect();
    let cases = [
        // TC0: 1..20: p5 is the 1st value, the median the 10th, p95 the 19th.
        (
            one_to_twenty,
            dec!(10.5),
            dec!(1),
            dec!(1),
            dec!(10),
            dec!(19),
            dec!(20),
        ),
        // TC1: one value.
        (
            vec![dec!(7)],
            dec!(7),
            dec!(7),
            dec!(7),
            dec!(7),
            dec!(7),
            dec!(7),
        ),
        // TC2: unsorted input.
        (
            vec![dec!(3), dec!(1), dec!(2)],
            dec!(2),
            dec!(1),
            dec!(1),
            dec!(2),
            dec!(3),
            dec!(3),
        ),
    ];
    for (i, (v, mean, min, p5, median, p95, max)) in cases.into_iter().enumerate() {
        let s = Stats::of(&v);
        assert_eq!(
            (s.mean, s.min, s.p5, s.median, s.p95, s.max),
            (mean, min, p5, median, p95, max),
            "TC{i}"
        );
    }
    // TC3: nothing.
    assert_eq!(Stats::of(&[]), Stats::default());
}

#[test]
fn the_price_stream_gives_the_prices_of_prices_at() {
    use margin_lab::feed::PriceFeed;
    use margin_lab::replay::scenario::{build, prices_at, PriceStream};
    // TC0..: every catalogue scenario under every preset (pegged assets included: wstETH follows
    // ETH under Aave), at every tick of the first 60 and a few later ones.
    let mut checked = 0;
    for entry in margin_lab::feed::catalogue() {
        for preset in PresetId::ALL {
            let (config, feed) = build(&Scenario::new(entry.id, preset), None).unwrap();
            let mut stream = PriceStream::new(&config, &feed).unwrap();
            for i in (0..60).chain([feed.len() / 2, feed.len() - 1]) {
                let Some(expected) = prices_at(&config, &feed, i) else {
                    continue;
                };
                let (t, p) = stream.at(i).unwrap();
                assert_eq!(
                    (t, p),
                    (expected.0, &expected.1),
                    "{} {preset:?} tick {i}",
                    entry.id
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 3000, "{checked}");
}

#[test]
fn a_worker_batch_answers_with_the_outcomes_of_its_seeds() {
    use margin_lab::replay::sweep::{run_batch, BatchRequest, BatchResponse};
    let spec = SweepSpec {
        seeds: 6,
        ticks: Some(200),
    };
    let sweep = Sweep::new(&strategy_script(), spec).unwrap();
    let request = |from, to| {
        postcard::to_allocvec(&BatchRequest {
            job: 7,
            script: strategy_script(),
            spec,
            from,
            to,
        })
        .unwrap()
    };
    // TC0: seeds 2..5 come back in order, tagged with the job, equal to running them here.
    let r: BatchResponse = postcard::from_bytes(&run_batch(&request(2, 5))).unwrap();
    assert_eq!((r.job, r.from), (7, 2));
    let expected: Vec<_> = (2..5).map(|k| sweep.run_seed(k).unwrap()).collect();
    assert_eq!(r.result, Ok(expected));
    // TC1: a range past the test's seeds stops at its last seed.
    let r: BatchResponse = postcard::from_bytes(&run_batch(&request(5, 9))).unwrap();
    assert_eq!(r.result.unwrap().len(), 1);
    // TC2: bytes that are not a request get an error answer, not a panic.
    let r: BatchResponse = postcard::from_bytes(&run_batch(&[1, 2, 3])).unwrap();
    assert!(r.result.unwrap_err().contains("cannot read"));
}
