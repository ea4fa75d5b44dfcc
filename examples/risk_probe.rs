use margin_lab::engine::{AccountId, AssetId, Command, PresetId};
use margin_lab::feed::PriceFeed;
use margin_lab::replay::risk::{self, VarRequest};
use margin_lab::replay::{Scenario, Script, Session};
use rust_decimal_macros::dec;
use std::time::Instant;

fn main() {
    // 4-asset Aave account on the crypto basket.
    let mut s = Session::open(Script::new(Scenario::new(
        "crypto-basket",
        PresetId::AaveV3,
    )))
    .unwrap();
    s.advance(48, false).unwrap();
    for (a, q) in [
        ("ETH", dec!(10)),
        ("WBTC", dec!(1)),
        ("wstETH", dec!(5)),
        ("USDC", dec!(5000)),
    ] {
        s.act(Command::Deposit {
            asset: AssetId::new(a),
            amount: q,
        })
        .unwrap();
    }
    s.act(Command::Borrow {
        asset: AssetId::new("USDC"),
        amount: dec!(60000),
    })
    .unwrap();
    println!(
        "metrics hf {:?}",
        s.engine()
            .account_metrics(&AccountId::USER)
            .unwrap()
            .health_factor
    );
    let t = Instant::now();
    let r = risk::var_report(&s, VarRequest::default()).unwrap();
    println!("var report in {:?}", t.elapsed());
    let mc = r.monte_carlo.as_ref().unwrap();
    println!(
        "MC: {} | var {:.0} es {:.0} lin {:.0} pliq {:.3} eliq {:.1}",
        r.monte_carlo_note,
        mc.var,
        mc.es,
        mc.linear_var,
        mc.liquidation_probability,
        mc.expected_liquidation_loss
    );
    if let Some(h) = &r.historical {
        println!("H: {} | var {:.0} es {:.0}", r.historical_note, h.var, h.es);
    }
    if let Some(p) = &r.parametric {
        println!("P: {} | var {:.0} es {:.0}", r.parametric_note, p.var, p.es);
    }
    println!("joint {:?}", r.joint_move);
    let t = Instant::now();
    let mut job = risk::VarJob::new(
        &s,
        VarRequest {
            paths: 1000,
            ..VarRequest::default()
        },
    )
    .unwrap();
    let mut n = 0;
    while job.done() < 1000 {
        job.step(10).unwrap();
        n += 1;
    }
    println!("1000 MC paths x 24 steps: {:?} ({} chunks)", t.elapsed(), n);
    // Components.
    let e = s.engine().scratch();
    let cp = e.checkpoint();
    let mut e2 = e.clone();
    let prices = s.engine().market_prices();
    let t = Instant::now();
    for k in 0..24000 {
        if k % 24 == 0 {
            e2.rewind(&cp).unwrap();
        }
        e2.step(e.now() + 1 + (k % 24) as i64 * 3600, &prices)
            .unwrap();
    }
    println!("24000 bare steps: {:?}", t.elapsed());
    let sim = margin_lab::feed::catalogue::crypto_basket();
    let start = s.feed().tick(s.tick()).unwrap().prices;
    let t = Instant::now();
    for k in 0..1000 {
        let p = margin_lab::feed::montecarlo::path(
            &margin_lab::feed::Model::Correlated(sim.clone()),
            &start,
            0,
            3600,
            24,
            1,
            k,
        )
        .unwrap();
        let _q: Vec<_> = p
            .into_iter()
            .map(|(t, p)| (t, margin_lab::engine::system::market_prices(s.config(), &p)))
            .collect();
    }
    println!("1000 paths generated+mapped: {:?}", t.elapsed());
    let t = Instant::now();
    let st = risk::stress_library(&s, Default::default()).unwrap();
    println!("stress in {:?}", t.elapsed());
    for x in &st {
        println!(
            "{}: loss {} hf {:?} -> {:?} liq {:?}",
            x.id,
            x.loss.round_dp(2),
            x.health_before.map(|h| h.round_dp(3)),
            x.health_after.map(|h| h.round_dp(3)),
            x.liquidated.len()
        );
    }
    let t = Instant::now();
    let rv = risk::reverse_stress(&s).unwrap();
    println!("reverse in {:?}: {:?}", t.elapsed(), rv);
}

#[allow(dead_code)]
fn unused() {}
