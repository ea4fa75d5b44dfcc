//! [`FeedCursor`]: play, step at any speed and seek through a feed.

use super::tick::Tick;
use super::PriceFeed;

/// A position in a feed. Stepping past the end stays on the last tick.
pub struct FeedCursor<F: PriceFeed> {
    feed: F,
    pos: usize,
}

impl<F: PriceFeed> FeedCursor<F> {
    pub fn new(feed: F) -> Self {
        Self { feed, pos: 0 }
    }

    pub fn feed(&self) -> &F {
        &self.feed
    }

    /// Current tick index.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The current tick (None only for an empty feed).
    pub fn current(&self) -> Option<Tick> {
        self.feed.tick(self.pos)
    }

    /// True on the last tick (or for an empty feed).
    pub fn at_end(&self) -> bool {
        self.pos + 1 >= self.feed.len()
    }

    /// Moves `n` ticks forward (the speed of play), stopping at the last tick; returns the tick.
    pub fn advance(&mut self, n: usize) -> Option<Tick> {
        let last = self.feed.len().saturating_sub(1);
        self.pos = self.pos.saturating_add(n).min(last);
        self.current()
    }

    /// Jumps to tick `i` (clamped to the feed).
    pub fn seek(&mut self, i: usize) -> Option<Tick> {
        self.pos = i.min(self.feed.len().saturating_sub(1));
        self.current()
    }

    /// Jumps to the last tick at or before time `t`.
    pub fn seek_time(&mut self, t: i64) -> Option<Tick> {
        self.pos = self.feed.index_at_time(t);
        self.current()
    }
}
