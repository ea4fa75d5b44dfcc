//! The event log: the audit trail, filterable and exportable.

mod log;

pub use log::EventLog;
