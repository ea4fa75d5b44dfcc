//! The page frame: header and the layout regions the feature panels live in.

mod header;
mod region;

pub use header::Header;
pub use region::Region;
