//! Session playback natively: the S&P 500 2000–2020 scenario under the perpetuals exchange with one
//! 1× SPX long on cross margin (open to the end; an isolated one is liquidated in 2008, its margin
//! drained by funding), played from tick 0 to the end the way the page plays it at Max speed
//! (`Session::advance` in batches), in ticks per second. The browser figure (`./dev bench-wasm`)
//! adds the page's rendering and the wasm build (opt-level z); this one isolates the session's
//! own cost per tick (price lookup, engine step, checkpoints, chart series).
//!
//! Run: `cargo bench --bench playback`

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use criterion::{black_box, Criterion, Throughput};
    use margin_lab::engine::{AssetId, Command, MarginMode, PresetId, Side};
    use margin_lab::replay::{Scenario, Script, Session};
    use rust_decimal_macros::dec;
    use std::time::Duration;

    /// The scenario of `./dev bench-wasm`: S&P 500 2000–2020, one 1× SPX long on cross margin at
    /// tick 0.
    pub fn sp500_with_a_position() -> Session {
        let mut s = Session::open(Script::new(Scenario::new(
            "sp500-2000-2020",
            PresetId::PerpExchange,
        )))
        .expect("the scenario opens");
        s.act(Command::OpenPosition {
            market: AssetId::new("SPX"),
            side: Side::Long,
            size: dec!(1),
            leverage: dec!(1),
            mode: MarginMode::Cross,
        })
        .expect("the position opens");
        s
    }

    pub fn run(c: &mut Criterion) {
        let start = sp500_with_a_position();
        let ticks = (start.len() - 1) as u64;
        // The figure is for a position open at every tick.
        let mut end = start.clone();
        while !end.at_end() {
            end.advance(512, false).unwrap();
        }
        let open = end
            .engine()
            .account(&margin_lab::engine::AccountId::USER)
            .map_or(0, |a| a.positions.len());
        assert_eq!(open, 1, "the position must stay open to the end");
        let mut g = c.benchmark_group("playback");
        g.sample_size(10)
            .measurement_time(Duration::from_secs(10))
            .throughput(Throughput::Elements(ticks));
        g.bench_function("sp500_2000_2020_one_position_to_the_end", |b| {
            b.iter_batched(
                || start.clone(),
                |mut s| {
                    while !s.at_end() {
                        black_box(s.advance(512, false).unwrap());
                    }
                    s
                },
                criterion::BatchSize::LargeInput,
            )
        });
        g.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let mut c = criterion::Criterion::default().configure_from_args();
    bench::run(&mut c);
    c.final_summary();
}

#[cfg(target_arch = "wasm32")]
fn main() {}
