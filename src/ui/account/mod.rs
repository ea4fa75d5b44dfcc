//! The learner's account: health gauge, margin, liquidation prices, PnL, alerts.

mod alerts;
mod dashboard;
mod gauge;

pub use alerts::Alerts;
pub use dashboard::Dashboard;
pub use gauge::HealthGauge;
