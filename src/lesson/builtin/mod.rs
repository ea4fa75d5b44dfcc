//! The lessons that ship with Margin Lab, one per file. Each is plain data: a scenario, the
//! learner's starting point and the steps; the native tests (`tests/lesson_builtin.rs`) play
//! every one as a learner would and check that each question's right answer is what the engine
//! does.
//!
//! A lesson is shown only when the features it uses exist; every one below uses features that
//! are in this build (compare mode, the market crowd, the risk desk, the broker's margin calls).

mod l1_health;
mod l2_leverage;
mod l3_designs;
mod l4_mechanisms;
mod l5_oracles;
mod l6_cascades;
mod l7_risk;
mod l8_margin_calls;

use rust_decimal::Decimal;

use super::model::{Goal, Lesson, Question, Region, Step, Task};
use crate::engine::{AssetId, Command, MarginMode, PresetId, Side};
use crate::replay::{Scenario, Script};

/// A built-in lesson and the id its progress is stored under.
#[derive(Clone, Debug, PartialEq)]
pub struct Builtin {
    pub id: &'static str,
    pub lesson: Lesson,
}

/// Every built-in lesson, in teaching order.
pub fn all() -> Vec<Builtin> {
    vec![
        Builtin {
            id: "health-factor",
            lesson: l1_health::lesson(),
        },
        Builtin {
            id: "leverage",
            lesson: l2_leverage::lesson(),
        },
        Builtin {
            id: "single-vs-multi",
            lesson: l3_designs::lesson(),
        },
        Builtin {
            id: "liquidation-mechanisms",
            lesson: l4_mechanisms::lesson(),
        },
        Builtin {
            id: "oracles",
            lesson: l5_oracles::lesson(),
        },
        Builtin {
            id: "cascades",
            lesson: l6_cascades::lesson(),
        },
        Builtin {
            id: "measuring-risk",
            lesson: l7_risk::lesson(),
        },
        Builtin {
            id: "margin-calls",
            lesson: l8_margin_calls::lesson(),
        },
    ]
}

/// A built-in lesson by id.
pub fn by_id(id: &str) -> Option<Builtin> {
    all().into_iter().find(|b| b.id == id)
}

// Builders the lesson files share.

pub(crate) fn make(title: &str, summary: &str, scenario: Scenario, steps: Vec<Step>) -> Lesson {
    Lesson {
        title: title.into(),
        summary: summary.into(),
        script: Script::new(scenario),
        steps,
    }
}

/// The Black Thursday-like ETH week (hourly, a 43% fall over 30 hours from tick 48) under
/// `preset`, seed 42.
pub(crate) fn crash(preset: PresetId) -> Scenario {
    Scenario {
        seed: 42,
        ..Scenario::new("eth-black-thursday", preset)
    }
}

pub(crate) fn step(text: &str) -> Step {
    Step {
        text: text.into(),
        ..Step::default()
    }
}

impl Step {
    pub(crate) fn highlight(mut self, r: Region) -> Self {
        self.highlight = Some(r);
        self
    }
    pub(crate) fn rewind_to(mut self, t: u32) -> Self {
        self.rewind = Some(t);
        self
    }
    pub(crate) fn does(mut self, c: Command) -> Self {
        self.perform.push(c);
        self
    }
    pub(crate) fn asks(
        mut self,
        prompt: &str,
        choices: &[&str],
        answer: u8,
        explain: &str,
    ) -> Self {
        self.question = Some(Question {
            prompt: prompt.into(),
            choices: choices.iter().map(|c| c.to_string()).collect(),
            answer,
            explain: explain.into(),
        });
        self
    }
    pub(crate) fn plays_to(mut self, t: u32) -> Self {
        self.play_to = Some(t);
        self
    }
    pub(crate) fn task(mut self, goal: Goal, hint: Option<Command>) -> Self {
        self.task = Some(Task { goal, hint });
        self
    }
}

pub(crate) fn a(s: &str) -> AssetId {
    AssetId::new(s)
}

pub(crate) fn long(market: &str, size: Decimal, leverage: Decimal) -> Command {
    Command::OpenPosition {
        market: a(market),
        side: Side::Long,
        size,
        leverage,
        mode: MarginMode::Isolated,
    }
}

pub(crate) fn deposit(asset: &str, amount: Decimal) -> Command {
    Command::Deposit {
        asset: a(asset),
        amount,
    }
}

pub(crate) fn borrow(asset: &str, amount: Decimal) -> Command {
    Command::Borrow {
        asset: a(asset),
        amount,
    }
}

pub(crate) fn vault_deposit(collateral: &str, amount: Decimal) -> Command {
    Command::VaultDeposit {
        collateral: a(collateral),
        amount,
    }
}

pub(crate) fn vault_borrow(collateral: &str, amount: Decimal) -> Command {
    Command::VaultBorrow {
        collateral: a(collateral),
        amount,
    }
}

pub(crate) fn repay(asset: &str, amount: Decimal) -> Command {
    Command::Repay {
        asset: a(asset),
        amount,
    }
}
