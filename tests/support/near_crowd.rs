//! A crowd far from liquidation plus the same few hundred borrowers near it, for measuring that a
//! step's cost follows the accounts near liquidation (the liquidation-price index), not the crowd's
//! size. Shared by `benches/market.rs` (criterion) and `tests/web_bench_market.rs` (Chromium).

use margin_lab::engine::population::{PopulationParams, PopulationSpec};
use margin_lab::engine::{AccountId, AssetId, Command, Engine, PresetId};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

/// The first id of the near borrowers (the crowd's ids are below it).
pub const NEAR_FROM: u64 = 5_000_000;

/// Aave v3 with `far` crowd borrowers at health 6 or more (no agents) and `near` borrowers of
/// 10 ETH each at health 1.04 to 1.54 (just above the borrow limit), spread evenly, so a fall of 2% a step crosses a few of
/// them each step whatever the crowd's size.
pub fn near_crowd(far: u32, near: u32) -> Engine {
    let mut cfg = PresetId::AaveV3.config();
    cfg.population = Some(PopulationSpec {
        params: PopulationParams {
            active_share: Decimal::ZERO,
            health_floor: dec!(6),
            health_median: dec!(8),
            health_spread: dec!(0.1),
            ..PopulationParams::with_count(far)
        },
        seed: 7,
    });
    let mut e = Engine::new(cfg).expect("a valid crowd");
    let eth = AssetId::new("ETH");
    let usdc = AssetId::new("USDC");
    let price = e.oracle_prices()[&eth];
    let lt = e
        .config()
        .assets
        .iter()
        .find(|p| p.id == eth)
        .map(|p| p.liquidation_threshold)
        .expect("ETH is listed");
    for k in 0..u64::from(near) {
        let id = AccountId(NEAR_FROM + k);
        let health = dec!(1.04) + dec!(0.5) * Decimal::from(k) / Decimal::from(near.max(1));
        let debt = (dec!(10) * price * lt / health).round_dp(2);
        for cmd in [
            Command::CreateAccount {
                label: format!("near {k}"),
            },
            Command::Fund {
                asset: eth.clone(),
                amount: dec!(10),
            },
            Command::Deposit {
                asset: eth.clone(),
                amount: dec!(10),
            },
            Command::Borrow {
                asset: usdc.clone(),
                amount: debt,
            },
        ] {
            e.apply(id, cmd).expect("a near borrower opens");
        }
    }
    e
}

/// ETH's oracle price `steps` steps of −2% from the engine's current one, one per hour.
pub fn falling(e: &Engine, steps: u32) -> Vec<(i64, BTreeMap<AssetId, Decimal>)> {
    let eth = AssetId::new("ETH");
    let mut p = e.oracle_prices()[&eth];
    (1..=steps)
        .map(|i| {
            p *= dec!(0.98);
            (
                e.now() + 3600 * i64::from(i),
                BTreeMap::from([(eth.clone(), p)]),
            )
        })
        .collect()
}
