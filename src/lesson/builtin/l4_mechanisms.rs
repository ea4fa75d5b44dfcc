//! Lesson 4: liquidation mechanisms compared — partial with close factor and bonus (Aave v3.3),
//! full absorb (Compound III), Dutch auctions (Maker Liquidations 2.0), a stability pool with
//! redistribution (Liquity v1), perps with an insurance fund and auto-deleveraging. Every figure
//! is the presets' (README "What is modelled", DOMAIN.md).

use rust_decimal_macros::dec;

use super::{borrow, crash, deposit, make, step};
use crate::engine::PresetId;
use crate::lesson::model::{Goal, Lesson, Region, Tool};

pub fn lesson() -> Lesson {
    make(
        "Liquidation mechanisms compared",
        "Partial with a close factor, full absorb, Dutch auctions, a stability pool, and perps with an insurance fund.",
        crash(PresetId::AaveV3),
        vec![
            step(
                "When a loan's health factor falls below 1, *someone* must repay its debt and take \
                 its collateral. Systems differ in who, how much, and at what price:\n\
                 - **partial** (Aave): a liquidator repays part of the debt for collateral plus a bonus;\n\
                 - **absorb** (Compound III): the protocol takes the whole account at once;\n\
                 - **Dutch auction** (Maker): the collateral is sold at a falling price;\n\
                 - **stability pool** (Liquity): depositors' LUSD cancels the debt; the rest is \
                 redistributed to other troves;\n\
                 - **perps**: the exchange closes the position; an insurance fund covers losses \
                 beyond the margin, then auto-deleveraging.",
            ),
            step(
                "The lesson supplied 50 ETH and borrowed 6,000 USDC on the Aave-like pool (health \
                 factor about 1.4).",
            )
            .does(deposit("ETH", dec!(50)))
            .does(borrow("USDC", dec!(6000)))
            .asks(
                "How much of the debt may one Aave v3.3 liquidation repay while the health factor is above 0.95?",
                &["All of it", "Up to 50%: the close factor", "Nothing until it reaches 0.95"],
                1,
                "Aave v3.3's close factor is 50% while the position is large and the health factor \
                 is above 0.95; below 0.95 (or for small positions) the whole debt may go.",
            )
            .highlight(Region::Account),
            step("The crash plays.")
                .asks(
                    "What does the liquidator receive for the debt it repays?",
                    &["Collateral worth the debt repaid plus a 5% bonus", "The collateral at its market price, nothing more"],
                    0,
                    "The bonus (5% for ETH here) is the liquidator's reward, paid by you; part of it \
                     goes to the protocol's treasury. The explainer lists debt repaid, collateral \
                     seized and the penalty.",
                )
                .plays_to(80)
                .highlight(Region::Events),
            step(
                "Run the same actions under other mechanisms: open **Compare**, choose *Against \
                 another preset* (Compound III-like for absorb, Maker MCD-like for auctions, \
                 Liquity v1-like for the stability pool) and press *Run comparison*.",
            )
            .task(Goal::Used(Tool::Compare), None)
            .highlight(Region::Compare),
            step(
                "What to compare in the table: liquidations, penalties and fees paid, bad debt and \
                 the equity left. Partial liquidation takes less of you per event; absorb is \
                 simple but total; auctions depend on keepers and the price decay; a stability \
                 pool needs depositors; perps need an insurance fund for gaps.",
            ),
        ],
    )
}
