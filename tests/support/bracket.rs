//! The strategy script the tests across seeds pin (`tests/replay_sweep.rs`, `tests/web_sweep.rs`),
//! the committed `v2-strategy-bracket` fixture link (`tests/replay_links.rs`) and the README use:
//! a 5× ETH bracket (stop −8%, take +15%, re-enter after 24 h) on the jump-diffusion ETH feed
//! under the perpetuals exchange, seed 1, attached at tick 0.
#![allow(dead_code)] // each test uses its own part

use margin_lab::engine::orders::{PerpPlan, Plan, Strategy};
use margin_lab::engine::{AssetId, Command, MarginMode, PresetId, Side};
use margin_lab::replay::{Action, Scenario, Script};
use rust_decimal_macros::dec;

pub fn bracket() -> Strategy {
    Strategy {
        name: "ETH bracket".into(),
        plan: Plan::Perp(PerpPlan {
            market: AssetId::new("ETH"),
            side: Side::Long,
            leverage: dec!(5),
            mode: MarginMode::Isolated,
            margin_share: dec!(0.5),
            stop_loss: Some(dec!(0.08)),
            take_profit: Some(dec!(0.15)),
            reenter_after_secs: Some(86_400),
        }),
    }
}

pub fn strategy_script() -> Script {
    Script {
        scenario: Scenario {
            seed: 1,
            ..Scenario::new("eth-jumps", PresetId::PerpExchange)
        },
        actions: vec![Action {
            tick: 0,
            command: Command::SetStrategy {
                strategy: bracket(),
            },
        }],
    }
}
