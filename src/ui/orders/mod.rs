//! Orders and automation: the order form and open orders (under the ticket), the automation tab
//! (strategy editor, protection rules, test across seeds), the orders explainer, and the runner
//! that keeps a test across seeds off the main thread.

pub mod chart_lines;
mod histogram;
mod open_orders;
mod order_explainer;
pub mod order_form;
mod panel;
mod protection;
pub mod runner;
mod seed_test;
mod state;
mod strategy_editor;

pub use open_orders::OpenOrders;
pub use order_explainer::OrderExplainer;
pub use order_form::OrderForm;
pub use panel::AutomationPanel;
pub use state::AutomationState;
