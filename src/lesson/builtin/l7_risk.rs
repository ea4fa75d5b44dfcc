//! Lesson 7: measuring risk before opening a position — a stress test from the sourced library
//! (Black Thursday) and value at risk, both from the risk desk (`engine::risk`), on a 5× long.

use rust_decimal_macros::dec;

use super::{a, crash, long, make, step};
use crate::engine::{Command, PresetId};
use crate::lesson::model::{Goal, Lesson, Region, Tool};

pub fn lesson() -> Lesson {
    make(
        "Measuring risk: value at risk and stress tests",
        "Before the crash comes: what a stress test and value at risk say about a 5× long.",
        crash(PresetId::PerpExchange),
        vec![
            step(
                "Two questions before taking a risk:\n\
                 - **value at risk** (VaR): how much could I lose on a bad day, 1 day in 100?\n\
                 - a **stress test**: what happens in a named disaster, like Black Thursday?\n\n\
                 The **Risk desk** answers both by running copies of the engine.",
            )
            .highlight(Region::Risk),
            step(
                "The lesson opened a **5× long** of 20 ETH. Nothing has happened yet: the crash \
                 starts at tick 48.",
            )
            .does(long("ETH", dec!(20), dec!(5)))
            .highlight(Region::Ticket),
            step(
                "Open the **Risk desk** tab, then *Stress tests*, and press *Run every shock*. \
                 Each shock is applied to a copy of your account and played for a day.",
            )
            .task(Goal::Used(Tool::StressTest), None)
            .highlight(Region::Risk),
            step("Read the Black Thursday line.")
                .asks(
                    "In the Black Thursday stress (ETH −43%), what happens to the 5× long?",
                    &["It loses 43% of its margin", "It is liquidated: a 5× long can take only about a 20% fall"],
                    1,
                    "A 5× long is liquidated after about 1/5 of a fall; the stress test runs the \
                     liquidation through the engine and counts its fee.",
                ),
            step(
                "Now compute **value at risk**: in the Risk desk's *Value at risk*, keep 1 day and 99% \
                 and press *Compute*.",
            )
            .task(Goal::Used(Tool::ValueAtRisk), None)
            .highlight(Region::Risk),
            step("Read VaR and expected shortfall.")
                .asks(
                    "Is the 99% one-day VaR the worst that can happen?",
                    &["No: 1 day in 100 is worse; expected shortfall is the average of those days", "Yes, by definition"],
                    0,
                    "VaR is a threshold, not a maximum. Expected shortfall averages the tail beyond it, \
                     and the stress test shows one named disaster in full.",
                ),
            step(
                "Given what the desk showed, **close the position** before the crash (Close in the \
                 positions table).",
            )
            .task(
                Goal::NoPosition,
                Some(Command::ClosePosition { market: a("ETH") }),
            )
            .highlight(Region::Ticket),
            step("The crash plays. Your account is out of the market.")
                .asks(
                    "What did measuring first buy you?",
                    &["Nothing", "Your margin: a 5× long would have been liquidated"],
                    1,
                    "The stress test predicted the liquidation; the crash came as tested.",
                )
                .plays_to(80)
                .highlight(Region::Chart),
        ],
    )
}
