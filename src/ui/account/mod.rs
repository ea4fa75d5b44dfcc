//! The learner's account: health gauge, margin, liquidation prices, PnL, alerts, and the system
//! status it depends on (Liquity's recovery mode).

mod alerts;
mod dashboard;
mod gauge;
mod system_status;

pub use alerts::Alerts;
pub use dashboard::Dashboard;
pub use gauge::HealthGauge;
pub use system_status::SystemStatus;
