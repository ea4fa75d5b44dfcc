//! Lesson 2: leverage and the liquidation price — a 2×, 5× and 10× long through the same dip on
//! a Binance-style perpetuals preset (isolated margin; maintenance by bracket, DOMAIN.md).

use rust_decimal_macros::dec;

use super::{crash, long, make, step};
use crate::engine::{PresetId, Side};
use crate::lesson::model::{Goal, Lesson, Region};

pub fn lesson() -> Lesson {
    make(
        "Leverage and the liquidation price",
        "A 2×, 5× and 10× long through the same dip: how far each can fall before it is liquidated.",
        crash(PresetId::PerpExchange),
        vec![
            step(
                "A perpetuals exchange lets you hold a position bigger than your cash: at **N×** \
                 leverage, the margin is 1/N of the position's value. Your wallet holds 10,000 USDC \
                 of paper money and nothing else.",
            )
            .highlight(Region::Ticket),
            step(
                "The lesson opened a **2× long** of 20 ETH (about $4,000) with $2,000 of margin. \
                 The positions table shows its liquidation price.",
            )
            .does(long("ETH", dec!(20), dec!(2)))
            .asks(
                "Where is a 2× long liquidated?",
                &["About 2% below the entry", "About 10% below", "About 50% below, a little less for the maintenance margin"],
                2,
                "A 2× long loses its margin when the price falls by about 1/2, and it is liquidated \
                 a little before, when what is left reaches the maintenance margin.",
            )
            .highlight(Region::Ticket),
            step("The week plays to the bottom of the dip.")
                .asks(
                    "Will the 2× long survive a 43% fall?",
                    &["Yes", "No"],
                    0,
                    "It survives: a 2× long is liquidated only near a 50% fall.",
                )
                .plays_to(80)
                .highlight(Region::Chart),
            step(
                "Back to the start of the week. The lesson opened the same 20 ETH long, this time \
                 at **5×** ($800 of margin).",
            )
            .rewind_to(0)
            .does(long("ETH", dec!(20), dec!(5)))
            .asks(
                "Does the 5× long survive the same dip?",
                &["Yes", "No: it is liquidated"],
                1,
                "A 5× long can take about a 20% fall (1/5) minus the maintenance margin; the dip \
                 is 43%. The explainer shows the trigger price and the fee to the insurance fund.",
            )
            .plays_to(80)
            .highlight(Region::Events),
            step(
                "Back to the start again. Now **you** open the position: a long of 20 ETH at \
                 **10×** in the order ticket (Long, size 20, leverage 10, then Submit).",
            )
            .rewind_to(0)
            .task(
                Goal::Position { side: Side::Long, min_leverage: dec!(10) },
                Some(long("ETH", dec!(20), dec!(10))),
            )
            .highlight(Region::Ticket),
            step("The same dip again.")
                .asks(
                    "Which is liquidated first as ETH falls: the 5× or the 10× long?",
                    &["The 5× long", "The 10× long", "Both at the same tick"],
                    1,
                    "The 10× long's liquidation price is only about 10% under the entry, so the first \
                     leg of the fall reaches it; the 5× long lasted until about 20%.",
                )
                .plays_to(80)
                .highlight(Region::Chart),
            step(
                "What to remember:\n\
                 - at N× a position is liquidated after a fall of about **1/N**, a little less for \
                 the maintenance margin;\n\
                 - the same dip can be harmless at 2× and fatal at 5× or 10×;\n\
                 - isolated margin loses at most the margin put up.",
            ),
        ],
    )
}
