//! Lesson 3: single- vs multi-collateral — architecture, risk (contagion in a pool, isolation in
//! vaults), capital efficiency, development complexity and when to choose each, with compare
//! mode. The design switch and its derived parameters are Margin Lab's (`engine::system::setup`).

use rust_decimal_macros::dec;

use super::{borrow, crash, deposit, make, step};
use crate::engine::PresetId;
use crate::lesson::model::{Goal, Lesson, Region, Tool};

pub fn lesson() -> Lesson {
    make(
        "Single- vs multi-collateral",
        "One vault per collateral or one pooled account: architecture, risk, capital efficiency, complexity, and when to choose each.",
        crash(PresetId::AaveV3),
        vec![
            step(
                "Two architectures lend against collateral:\n\
                 - **single-collateral vaults** (Maker SCD, Liquity): one vault per collateral \
                 asset, each with its own debt and its own liquidation price;\n\
                 - **multi-collateral pools** (Aave, Compound III): one account whose collateral \
                 together backs one health factor.\n\n\
                 The picker's *Collateral design* switches between them for the same prices.",
            )
            .highlight(Region::Picker),
            step(
                "This session uses the pooled design. The lesson supplied **60 ETH** and **0.1 WBTC** \
                 to one account.",
            )
            .does(deposit("ETH", dec!(60)))
            .does(deposit("WBTC", dec!(0.1)))
            .asks(
                "In the pooled account, what backs a loan?",
                &["All the collateral together: borrowing power adds up", "Only the asset you name when you borrow"],
                0,
                "A pool adds every collateral's value × LTV into one borrowing limit. That is its \
                 **capital efficiency**: no collateral sits idle in a vault that does not need it.",
            )
            .highlight(Region::Account),
            step(
                "Borrow against the whole account: about **11,000 USDC** (the ticket's Borrow, or \
                 Collateral & debt). *Do it for me* borrows exactly 11,000.",
            )
            .task(Goal::Debt, Some(borrow("USDC", dec!(11000))))
            .highlight(Region::Ticket),
            step("ETH falls 43%; WBTC does not move in this scenario.")
                .asks(
                    "In the pooled account, what does the ETH crash put at risk?",
                    &["Only the ETH", "The whole account, the WBTC included"],
                    1,
                    "One health factor covers everything: the ETH fall pulled the whole account under \
                     1 though WBTC did not move, and the account was liquidated. Here the liquidator \
                     took ETH, but a pool's liquidator may choose *any* collateral: the WBTC was \
                     exposed too. That is **contagion**. In vaults, each loan sits in one vault: an \
                     ETH crash liquidates only the ETH vault, and a WBTC vault is **isolated**.",
                )
                .plays_to(80)
                .highlight(Region::Events),
            step(
                "See both designs side by side: open the **Compare** tab, keep *Single vs \
                 multi-collateral* and press *Run comparison*. Your actions are replayed in vaults \
                 too (the loan goes to the ETH vault).",
            )
            .task(Goal::Used(Tool::Compare), None)
            .highlight(Region::Compare),
            step(
                "What each design must track (**development complexity**):\n\
                 - vaults: one ratio per vault, a price per collateral, simple liquidations of one \
                 asset; users must split and manage their debt themselves;\n\
                 - pools: every asset's value, LTV and threshold in one sum, interest indexes, \
                 caps, isolation and e-mode rules, and a choice of which collateral to seize.",
            ),
            step(
                "When to choose each:\n\
                 - **vaults** when assets are risky or correlated badly, when one asset's crash must \
                 not spread, or when the code must stay small and auditable;\n\
                 - **pools** when users hold baskets and want all of it to count, and the system \
                 can afford careful per-asset parameters (caps, isolation mode).",
            ),
        ],
    )
}
