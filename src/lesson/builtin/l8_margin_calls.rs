//! Lesson 8: margin calls and credit — a US broker's margin call with a 2-day deadline (Reg T /
//! FINRA 4210 with Margin Lab's house terms, `engine::system::broker`) against DeFi's instant
//! liquidation, and a rating downgrade in Margin Lab's own credit tiers that tightens the
//! requirement.

use rust_decimal_macros::dec;

use super::{borrow, crash, deposit, make, repay, step};
use crate::engine::PresetId;
use crate::lesson::model::{Goal, Lesson, Region, Tool};
use crate::replay::script::ScenarioOption;

/// The tick of the scripted downgrade, and its notches.
pub const DOWNGRADE_TICK: u32 = 24;
pub const DOWNGRADE_NOTCHES: u8 = 2;

pub fn lesson() -> Lesson {
    let mut scenario = crash(PresetId::Broker);
    scenario.set(ScenarioOption::RatingDowngrade {
        tick: DOWNGRADE_TICK,
        notches: DOWNGRADE_NOTCHES,
    });
    make(
        "Margin calls and credit",
        "A broker's margin call with a deadline vs instant DeFi liquidation, and a credit downgrade that tightens the requirement.",
        scenario,
        vec![
            step(
                "A **US broker's margin account**: you may borrow up to 50% of what you buy \
                 (Reg T), and must keep equity above a maintenance requirement (FINRA's 25%, plus \
                 the house's 5%, and 15% more on crypto here). Your account is in Margin Lab's \
                 **credit tiers**: a worse tier scales the requirement up.",
            )
            .highlight(Region::Account),
            step(
                "The lesson posted 50 ETH and borrowed 4,500 USD against it. At tick 24 the \
                 scenario scripts a **rating downgrade** of 2 notches.",
            )
            .does(deposit("ETH", dec!(50)))
            .does(borrow("USD", dec!(4500)))
            .asks(
                "What does a downgrade do to this account?",
                &["Nothing: prices have not moved", "It raises the requirement: this account falls short and gets a margin call"],
                1,
                "Credit tiers scale margin requirements: after the downgrade this loan no longer \
                 meets its requirement, and the broker **issued a margin call** — without any \
                 price moving. The banner over the account shows the call and its deadline.",
            )
            .plays_to(30)
            .highlight(Region::Account),
            step(
                "The call gives you 2 days (48 hourly ticks). ETH starts to fall at tick 48.",
            )
            .asks(
                "You do nothing. What happens by the end of the fall?",
                &["The broker sells your collateral (a forced sale, with a fee)", "The call lapses"],
                0,
                "A missed call ends in a **forced sale** (with a 0.5% fee here), and the broker \
                 sells at once, without waiting, if equity falls under the hard floor (10% of the \
                 collateral). The event log records the call and the sale.",
            )
            .plays_to(80)
            .highlight(Region::Events),
            step(
                "Back to tick 30, the call just issued. This time **meet the call**: repay part of \
                 the loan from your cash (Collateral & debt, Repay) until the requirement is met \
                 (health 1 or more). *Do it for me* repays 2,500 USD.",
            )
            .rewind_to(30)
            .task(Goal::HealthAtLeast(dec!(1)), Some(repay("USD", dec!(2500))))
            .highlight(Region::Account),
            step("The same fall, with the call met.")
                .asks(
                    "Is the account sold this time?",
                    &["Yes, a crash always forces a sale", "No: with the smaller loan its equity stays above the requirement"],
                    1,
                    "Meeting the call bought the account room: the fall no longer takes equity under \
                     the requirement.",
                )
                .plays_to(80)
                .highlight(Region::Account),
            step(
                "DeFi has no deadline: a pool liquidates the moment health falls below 1. Compare \
                 the two: open **Compare**, choose *Against another preset*, pick *Aave v3-like* \
                 and run it.",
            )
            .task(Goal::Used(Tool::Compare), None)
            .highlight(Region::Compare),
            step(
                "What to remember:\n\
                 - a broker gives **time** (a margin call and a deadline) where DeFi liquidates \
                 **instantly**;\n\
                 - a deadline is not safety: prices keep moving while it runs;\n\
                 - your **credit** can tighten the requirement without any price moving.",
            ),
        ],
    )
}
