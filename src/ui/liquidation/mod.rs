//! The liquidation explainer: what triggered it, what was repaid and seized, what it cost.

mod explainer;

pub use explainer::LiquidationExplainer;
