//! Peak memory of a session played to the end, by length: 10k, 50k and 200k ticks of an
//! imported-like hourly ETH path (GBM, 60% a year), under two presets: the perpetuals exchange
//! with a 3× isolated long and an alert (oracle and funding events each tick), and Aave v3 with
//! 10 ETH deposited and 12,000 USDC borrowed (four assets priced and two interest events each
//! tick).
//!
//! Then the market: Aave v3 with a crowd of 1,000 / 10,000 / 100,000 other borrowers (Margin
//! Lab's default crowd, a quarter of them acting about once a week) for 10k ticks, and 10,000
//! borrowers for 100k ticks (the browser target: under 1 GB).
//!
//! Run: `cargo bench --bench session_memory`
//!
//! A counting global allocator records the peak of live heap bytes while the session is built
//! and played, so the figure is deterministic for a given build (not a timing). It covers the
//! feed, the engine (its event log kept once), the checkpoints kept for scrubbing and the chart
//! series. Checkpoints hold the engine's state without its log, so memory grows linearly with the
//! number of ticks; before that change every checkpoint copied the log and 5k / 10k / 20k / 40k
//! rows peaked at 52 MB / 190 MB / 733 MB / 2.9 GB.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use margin_lab::engine::population::PopulationParams;
use margin_lab::engine::{AlertKind, AssetId, Command, MarginMode, PresetId, Side};
use margin_lab::feed::gbm::Gbm;
use margin_lab::feed::{FeedSpec, Model, SimSpec, Source};
use margin_lab::replay::script::ScenarioOption;
use margin_lab::replay::{Scenario, Script, Session};
use rust_decimal_macros::dec;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                let grow = new_size - layout.size();
                let now = LIVE.fetch_add(grow, Ordering::Relaxed) + grow;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn play(ticks: u64, preset: PresetId, crowd: u32) -> (usize, usize) {
    let feed = FeedSpec {
        source: Source::Simulated(SimSpec {
            model: Model::Gbm(Gbm {
                symbol: "ETH".into(),
                s0: dec!(3000),
                drift: 0.0,
                vol: 0.6,
            }),
            seed: 7,
            start_time: 1_704_067_200,
            interval_secs: 3600,
            ticks,
        }),
        shocks: vec![],
    }
    .build_path()
    .expect("a valid path");
    let mut scenario = Scenario {
        feed: "import:memory-bench.csv".into(),
        ..Scenario::new("x", preset)
    };
    if crowd > 0 {
        scenario.set(ScenarioOption::Population(PopulationParams::with_count(
            crowd,
        )));
    }
    let mut s = Session::open_with(Script::new(scenario), Some(feed)).expect("opens");
    let commands = match preset {
        PresetId::PerpExchange => vec![
            Command::OpenPosition {
                market: AssetId::new("ETH"),
                side: Side::Long,
                size: dec!(1),
                leverage: dec!(3),
                mode: MarginMode::Isolated,
            },
            Command::SetAlert {
                kind: AlertKind::MarginRatioAbove,
                threshold: dec!(0.8),
            },
        ],
        _ => vec![
            Command::Deposit {
                asset: AssetId::new("ETH"),
                amount: dec!(10),
            },
            Command::Borrow {
                asset: AssetId::new("USDC"),
                amount: dec!(12000),
            },
        ],
    };
    for c in commands {
        s.act(c).expect("the opening actions fit");
    }
    while !s.at_end() {
        s.advance(10_000, false).expect("plays");
    }
    let events = s.engine().events().len();
    drop(s);
    (PEAK.load(Ordering::Relaxed), events)
}

fn main() {
    // `cargo bench` passes `--bench`; this harness takes no options.
    println!("session peak memory (counting allocator)");
    let mut runs: Vec<(PresetId, u64, u32)> = Vec::new();
    for preset in [PresetId::PerpExchange, PresetId::AaveV3] {
        for ticks in [10_000u64, 50_000, 200_000] {
            runs.push((preset, ticks, 0));
        }
    }
    for crowd in [1_000u32, 10_000, 100_000] {
        runs.push((PresetId::AaveV3, 10_000, crowd));
    }
    runs.push((PresetId::AaveV3, 100_000, 10_000));
    println!(
        "{:>14} {:>8} {:>8} {:>10} {:>10} {:>10}",
        "preset", "crowd", "ticks", "events", "peak MB", "bytes/tick"
    );
    for (preset, ticks, crowd) in runs {
        PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
        let base = LIVE.load(Ordering::Relaxed);
        let (peak, events) = play(ticks, preset, crowd);
        let used = peak - base;
        println!(
            "{:>14} {crowd:>8} {ticks:>8} {events:>10} {:>10.1} {:>10}",
            format!("{preset:?}"),
            used as f64 / 1e6,
            used / ticks as usize
        );
    }
}
