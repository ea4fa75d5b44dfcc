//! Collateral and debt: deposit, withdraw, borrow, repay; each asset's risk parameters and its
//! contribution to borrowing power; a what-if price slider.

mod modes;
mod panel;
mod what_if;

pub use modes::AccountModes;
pub use panel::CollateralPanel;
pub use what_if::WhatIf;
