//! The market beside the learner: totals, the health of every borrower, the liquidation curve,
//! liquidations over time, and runs of the same crowd under other buffers.

mod bars;
mod buffer;
mod panel;

pub use panel::MarketPanel;
