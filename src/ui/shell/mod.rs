//! The page frame: header and the layout regions the feature panels live in.

mod header;
mod region;
mod status;

pub use header::Header;
pub use region::Region;
pub use status::StatusBar;
