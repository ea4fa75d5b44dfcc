//! Lesson 6: cascades and bad debt — a crowd of borrowers in the crash (the market population,
//! `engine::population`), their liquidation sales moving the price (market depth, slippage), and
//! the buffer that keeps bad debt away (the Market tab's buffer comparison).

use rust_decimal_macros::dec;

use super::{borrow, deposit, make, step};
use crate::engine::population::PopulationParams;
use crate::engine::PresetId;
use crate::lesson::model::{Lesson, Region};
use crate::replay::script::ScenarioOption;
use crate::replay::Scenario;

/// Crowd size of the lesson: the crowded Black Thursday's default.
pub const CROWD: u32 = 3000;

pub fn lesson() -> Lesson {
    let mut scenario = Scenario {
        seed: 42,
        ..Scenario::new("eth-black-thursday-crowd", PresetId::AaveV3)
    };
    scenario.set(ScenarioOption::Population(PopulationParams::with_count(
        CROWD,
    )));
    make(
        "Cascades and bad debt",
        "A crowd of borrowers in a crash: liquidations that push the price down, and the buffer that prevents bad debt.",
        scenario,
        vec![
            step(
                "You are not alone: **3,000 other borrowers** share this Aave-like pool, drawn \
                 from the scenario's seed with health factors mostly between 1.1 and 2. The \
                 **Market** tab shows their health histogram and the market's totals.",
            )
            .highlight(Region::Market),
            step(
                "The lesson supplied 50 ETH and borrowed 5,000 USDC for you (health about 1.66), \
                 like a typical member of the crowd.",
            )
            .does(deposit("ETH", dec!(50)))
            .does(borrow("USDC", dec!(5000))),
            step("ETH starts to fall.")
                .asks(
                    "Liquidators sell the ETH they seize. What does that do?",
                    &["Nothing: the market absorbs it", "It pushes the price lower, which liquidates more borrowers: a cascade"],
                    1,
                    "Liquidation sales move the market (slippage against its depth), so each wave of \
                     liquidations lowers the price a little for the next. The Market tab counts the \
                     liquidations per tick and the value they took.",
                )
                .plays_to(80)
                .highlight(Region::Market),
            step(
                "**Bad debt** is debt left when the collateral is worth less than it: nobody will \
                 repay it, so the lenders (or the protocol's reserves) lose. The Market tab's \
                 totals show it, never hidden.\n\n\
                 The **buffer** between the loan-to-value at which you may borrow and the \
                 liquidation threshold, and the liquidation bonus, decide whether liquidators act \
                 before collateral falls below the debt.",
            )
            .highlight(Region::Market),
            step("Think of the buffer.")
                .asks(
                    "Which change makes bad debt less likely in a crash like this one?",
                    &["Lower the thresholds (liquidate earlier) and keep a bonus that pays liquidators to act", "Raise the liquidation thresholds"],
                    0,
                    "Lower thresholds liquidate earlier, while collateral still covers debt plus \
                     bonus. The Market tab's *buffer comparison* replays this crash with the \
                     thresholds moved, and shows liquidations and bad debt for each.",
                ),
            step(
                "What to remember:\n\
                 - liquidations sell into the market and can **cascade**;\n\
                 - **bad debt** appears when the price falls faster than liquidators can act;\n\
                 - the buffer (thresholds, bonus, depth) is the lender's defence.",
            ),
        ],
    )
}
