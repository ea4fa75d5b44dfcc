//! A stable fingerprint of a feed, for golden tests natively and in the browser.

use sha2::{Digest, Sha256};

use super::PriceFeed;

/// SHA-256 (hex) over the assets, then each tick's time and prices as decimal strings.
pub fn feed_hash<F: PriceFeed + ?Sized>(feed: &F) -> String {
    let mut h = Sha256::new();
    for a in feed.assets() {
        h.update(a.as_bytes());
        h.update(b"\n");
    }
    let n = feed.assets().len();
    for i in 0..feed.len() {
        h.update(feed.time(i).unwrap_or(0).to_le_bytes());
        for a in 0..n {
            if let Some(p) = feed.price(i, a) {
                h.update(p.to_string().as_bytes());
            }
            h.update(b",");
        }
    }
    hex(&h.finalize())
}

/// SHA-256 (hex) of bytes.
pub fn hex_sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}
