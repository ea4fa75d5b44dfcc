#![cfg(not(target_arch = "wasm32"))]
//! No input makes the engine panic: extreme amounts, leverages, prices and times either work or
//! come back as a typed error, and the conservation law still holds.

use margin_lab::engine::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

fn extreme() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (1i64..1000).prop_map(|n| Decimal::new(n, 12)),
        (1i64..1000).prop_map(|n| Decimal::new(n, 0)),
        (1i64..1_000_000).prop_map(|n| Decimal::from(n) * dec!(1_000_000_000)),
        Just(dec!(1_000_000_000_000_000)),
        Just(dec!(-1)),
        Just(Decimal::MAX),
    ]
}

fn command(kind: u8, asset: AssetId, x: Decimal, lev: Decimal) -> Command {
    match kind % 13 {
        0 => Command::Fund { asset, amount: x },
        1 => Command::Deposit { asset, amount: x },
        2 => Command::Withdraw { asset, amount: x },
        3 => Command::Borrow { asset, amount: x },
        4 => Command::Repay { asset, amount: x },
        5 => Command::VaultDeposit {
            collateral: asset,
            amount: x,
        },
        6 => Command::VaultBorrow {
            collateral: asset,
            amount: x,
        },
        7 => Command::VaultWithdraw {
            collateral: asset,
            amount: x,
        },
        8 => Command::OpenPosition {
            market: asset,
            side: if lev > dec!(10) {
                Side::Long
            } else {
                Side::Short
            },
            size: x,
            leverage: lev,
            mode: if x > Decimal::ONE {
                MarginMode::Cross
            } else {
                MarginMode::Isolated
            },
        },
        9 => Command::ReducePosition {
            market: asset,
            size: x,
        },
        10 => Command::StabilityDeposit { amount: x },
        11 => Command::SetAlert {
            kind: AlertKind::MarginRatioAbove,
            threshold: x,
        },
        _ => Command::ClosePosition { market: asset },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn never_panics(
        p in prop::sample::select(PresetId::ALL.to_vec()),
        ops in prop::collection::vec((any::<bool>(), 0u8..13, 0usize..4, extreme(), extreme(), 1i64..10_000_000), 1..30),
    ) {
        let mut e = Engine::new(p.config()).unwrap();
        let assets: Vec<AssetId> = e.config().assets.iter().map(|a| a.id.clone()).collect();
        let mut now = 0i64;
        for (is_step, kind, i, x, y, dt) in ops {
            let asset = assets[i % assets.len()].clone();
            if is_step {
                now = now.saturating_add(dt);
                let _ = e.step(now, &BTreeMap::from([(asset, x)]));
            } else {
                let cmd = command(kind, asset.clone(), x, y);
                let _ = e.preview(AccountId::USER, &cmd);
                let _ = e.apply(AccountId::USER, cmd);
                let _ = e.metrics_with_price_shock(AccountId::USER, &asset, dec!(-0.99));
            }
            let _ = e.account_metrics(&AccountId::USER);
            let _ = e.system_metrics();
        }
        for (asset, r) in e.conservation_residual().expect("every vault can be valued") {
            prop_assert!(r.abs() < dec!(0.001), "{} residual {}", asset, r);
        }
    }
}
