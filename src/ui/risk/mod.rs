//! The risk desk: value at risk, stress tests, reverse stress tests, credit tier, the risk report,
//! and the broker's margin-call banner. Every figure comes from `replay::risk` / `engine::risk`
//! (the engine run on copies of the session); these components only ask and show.

mod credit_panel;
mod desk;
mod histogram;
mod margin_call;
mod report;
mod reverse_panel;
mod run;
mod store;
mod stress_panel;
mod stress_table;
mod var_panel;

pub use desk::RiskDesk;
pub use margin_call::MarginCallBanner;
pub use store::RiskStore;
