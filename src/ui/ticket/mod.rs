//! The order ticket: leveraged longs and shorts with a preview of the result before submitting.

pub mod order_ticket;
mod positions;

pub use order_ticket::OrderTicket;
pub use positions::Positions;
