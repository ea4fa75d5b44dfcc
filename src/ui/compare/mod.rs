//! Compare mode: one scenario and one set of actions under two designs or two presets.

mod view;

pub use view::ComparePanel;
