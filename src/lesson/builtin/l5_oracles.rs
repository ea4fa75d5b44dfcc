//! Lesson 5: oracles — Maker's OSM (the price an hour late, DOMAIN.md) and a heartbeat oracle
//! in a fast crash. The lesson runs on a Maker MCD-like vault with the OSM; compare mode
//! replays it under the Aave-like preset's Chainlink-style heartbeat + deviation oracle.

use rust_decimal_macros::dec;

use super::{crash, make, step, vault_borrow, vault_deposit};
use crate::engine::PresetId;
use crate::lesson::model::{Goal, Lesson, Region, Tool};

pub fn lesson() -> Lesson {
    make(
        "Oracles: late and stale prices",
        "Maker's one-hour-late price (OSM) and a heartbeat oracle during a fast crash.",
        crash(PresetId::MakerMcd),
        vec![
            step(
                "A lending system never sees the market directly: it reads an **oracle**. The \
                 chart draws both: the market price and the oracle's.\n\n\
                 Maker's *Oracle Security Module* (OSM) publishes each hour the price of the hour \
                 before, so its price is 1 to 2 hours late.",
            )
            .highlight(Region::Chart),
            step(
                "The lesson opened an ETH vault: 50 ETH deposited, 5,000 DAI drawn (collateral \
                 ratio about 200%; liquidation at 145%).",
            )
            .does(vault_deposit("ETH", dec!(50)))
            .does(vault_borrow("ETH", dec!(5000)))
            .asks(
                "In a fast crash, when is the vault liquidated?",
                &["As soon as the market crosses its liquidation price", "An hour or more later, when the delayed price crosses it"],
                1,
                "The vault is judged on the OSM's price. The market crossed the liquidation price \
                 first; the oracle followed an hour or more later, and only then could keepers \
                 start the auction — at a market price already lower.",
            )
            .plays_to(80)
            .highlight(Region::Chart),
            step("Who pays for the delay?")
                .asks(
                    "The delay gives vault owners an hour's warning. What does it cost?",
                    &["The auction starts from a staler price, so less is recovered and bad debt is likelier", "Nothing"],
                    0,
                    "Warning time for owners is paid for by the system: in a crash the collateral is \
                     worth less by the time it can be sold. Black Thursday's zero-bid auctions were \
                     the extreme case.",
                ),
            step(
                "A **heartbeat** oracle (Chainlink-style) publishes when the price moves more than \
                 its deviation threshold, or at least once per heartbeat. In a fast crash it \
                 updates often; if it stops (a stale feed), the system acts on an old price. Open \
                 **Compare**, choose *Against another preset*, pick the *Aave v3-like* preset (its \
                 oracle is heartbeat + deviation) and run it.",
            )
            .task(Goal::Used(Tool::Compare), None)
            .highlight(Region::Compare),
            step(
                "What to remember:\n\
                 - the engine acts on the **oracle** price, not the market's;\n\
                 - a delay (OSM) warns owners but liquidates late, at worse prices;\n\
                 - a stale heartbeat hides a crash until it updates; the picker's *Oracle* lets you \
                 try a frozen one.",
            ),
        ],
    )
}
