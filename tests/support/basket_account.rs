//! The risk desk's reference account: the correlated crypto basket (seed 8) under Aave v3 with
//! 10 ETH, 1 WBTC, 5 wstETH and 5,000 USDC deposited and 60,000 USDC borrowed. Shared by the
//! native and browser golden tests (`tests/replay_risk.rs`, `tests/web_risk.rs`, which must build
//! the same account for their figures to agree) and the criterion bench (`benches/risk.rs`).

use margin_lab::engine::{AssetId, Command, PresetId};
use margin_lab::replay::{Scenario, Script, Session};
use rust_decimal_macros::dec;

/// The account, opened at tick `at` (0: at the scenario's start, with no history).
pub fn basket_account(at: usize) -> Session {
    let mut s = Session::open(Script::new(Scenario {
        seed: 8,
        ..Scenario::new("crypto-basket", PresetId::AaveV3)
    }))
    .unwrap();
    s.advance(at, false).unwrap();
    for (t, q) in [
        ("ETH", dec!(10)),
        ("WBTC", dec!(1)),
        ("wstETH", dec!(5)),
        ("USDC", dec!(5000)),
    ] {
        let c = Command::Deposit {
            asset: AssetId::new(t),
            amount: q,
        };
        s.act(c.clone()).unwrap_or_else(|e| panic!("{c:?}: {e}"));
    }
    let c = Command::Borrow {
        asset: AssetId::new("USDC"),
        amount: dec!(60000),
    };
    s.act(c.clone()).unwrap_or_else(|e| panic!("{c:?}: {e}"));
    s
}
