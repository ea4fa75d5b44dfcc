//! Canvas charts: price (market vs oracle, entry and liquidation lines, event markers) and health.

pub mod cache;
pub mod canvas;
pub mod decimate;
mod panels;

pub use canvas::{CanvasChart, ChartData, HLine, Marker, Series};
pub use panels::{HealthChart, PriceChart};
