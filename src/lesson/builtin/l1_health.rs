//! Lesson 1: the health factor and over-collateralization, on an Aave v3-like pool in the
//! Black Thursday-like week. Figures: ETH's 80.5% LTV and 83% liquidation threshold are the
//! preset's (`engine::system::aave_v3::weth`, DOMAIN.md's Aave v3 snapshot).

use rust_decimal_macros::dec;

use super::{borrow, crash, deposit, make, step};
use crate::engine::PresetId;
use crate::lesson::model::{Goal, Lesson, Region};

pub fn lesson() -> Lesson {
    make(
        "Health factor and over-collateralization",
        "Why a loan needs more collateral than it borrows, and what the health factor measures.",
        crash(PresetId::AaveV3),
        vec![
            step(
                "Welcome. This lesson lends against ETH on an **Aave v3-like** pool during a week \
                 modelled on Black Thursday 2020, when ETH fell 43% in a day and a half.\n\n\
                 Your wallet holds the preset's basket: 10,000 USDC and some ETH, WBTC and wstETH \
                 (see *Wallet* in the account panel).",
            )
            .highlight(Region::Account),
            step(
                "The lesson supplied **50 ETH** (about $10,000) to the pool as collateral.\n\n\
                 Two numbers govern a loan against it:\n\
                 - the *loan-to-value* (LTV, 80.5% for ETH): the most you may borrow;\n\
                 - the *liquidation threshold* (83%): past it, anyone may liquidate you.",
            )
            .does(deposit("ETH", dec!(50)))
            .asks(
                "How much USDC can you borrow against $10,000 of ETH at most?",
                &["$10,000: the full value", "About $8,050: the value times the 80.5% LTV", "$5,000: half of it"],
                1,
                "Borrowing power is collateral value × LTV: about $8,050. A loan always needs more \
                 collateral than it borrows: that is **over-collateralization**.",
            )
            .highlight(Region::Account),
            step(
                "The lesson borrowed **5,000 USDC**. The *health factor* is collateral × liquidation \
                 threshold ÷ debt: about 10,000 × 0.83 ÷ 5,000 = **1.66**. Below 1, the loan is \
                 liquidated. Watch it in the account panel and under the price chart.",
            )
            .does(borrow("USDC", dec!(5000)))
            .highlight(Region::Chart),
            step(
                "Now the week plays. ETH will fall about 43%.",
            )
            .asks(
                "Will a loan of half the collateral's value be liquidated?",
                &["No: a health factor of 1.66 is far above 1", "Yes: 1.66 × 0.57 is about 0.95, below 1"],
                1,
                "The health factor moves with the collateral's price: a 43% fall takes 1.66 to about \
                 0.95. The pool liquidated part of the loan, and the liquidator took ETH worth the \
                 debt it repaid plus a 5% bonus. The event log and the explainer show every figure.",
            )
            .plays_to(80)
            .highlight(Region::Events),
            step(
                "Back to the start of the week, with the same deposit and loan. This time, give the \
                 loan a bigger cushion: **supply more ETH** (Collateral & debt, or the order ticket) \
                 until the health factor is at least **2.2**. *Do it for me* supplies 30 ETH.",
            )
            .rewind_to(0)
            .does(deposit("ETH", dec!(50)))
            .does(borrow("USDC", dec!(5000)))
            .task(Goal::HealthAtLeast(dec!(2.2)), Some(deposit("ETH", dec!(30))))
            .highlight(Region::Ticket),
            step("The same 43% fall, with a health factor above 2.2.")
                .asks(
                    "Does the loan survive this time?",
                    &["Yes: 2.2 × 0.57 is still above 1", "No: any crash liquidates a loan"],
                    0,
                    "A health factor of h survives a fall of up to 1 − 1/h: 2.2 survives 55%. How \
                     much over-collateralization you keep is how big a fall you can take.",
                )
                .plays_to(80)
                .highlight(Region::Chart),
            step(
                "What to remember:\n\
                 - a loan must be **over-collateralized** because prices move;\n\
                 - health factor = collateral × liquidation threshold ÷ debt, liquidation below 1;\n\
                 - a health factor of *h* survives a fall of 1 − 1/*h* (1.66: 40%; 2.2: 55%).",
            ),
        ],
    )
}
