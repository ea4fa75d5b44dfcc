//! A crowd of borrowers (or traders) beside the learner: ordinary engine accounts, drawn from the
//! scenario's seed under its preset and design, liquidated by the same mechanisms, logged in the
//! same event log.
//!
//! - [`params`]: the distribution ([`PopulationParams`]) and the buffer a scenario may change
//!   ([`BufferParams`]).
//! - [`generate`]: the engine creates the crowd when it starts ([`Engine::new`]), after the
//!   preset's own accounts: a lender supplies what the crowd borrows (pooled design, at 80%
//!   utilization), then each borrower is funded with paper money and posts, borrows or trades
//!   through the same command handlers as anyone, inside the engine; one `BorrowerJoined` event
//!   records what it holds (one event each keeps a crowd of 100,000 cheap to create and to hash).
//!   A borrower whose draw the rules refuse is left out and counted.
//! - [`agents`]: the active part of the crowd acts at seeded random times through ordinary
//!   commands (events and all).
//!
//! Randomness: a ChaCha8 stream seeded from the scenario's seed (identical natively and in wasm)
//! with `libm` for the exponential and power functions, and a SplitMix64 hash for the agents'
//! times; the engine's state never depends on anything else.

pub mod agents;
pub mod generate;
pub mod params;

pub use agents::AgentBook;
pub use params::{BufferParams, PopulationParams, MAX_BORROWERS};

use serde::{Deserialize, Serialize};

/// A population in a configuration: its parameters and the seed it is drawn from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopulationSpec {
    pub params: PopulationParams,
    pub seed: u64,
}

/// Account number of the crowd's lender.
pub const LENDER: crate::engine::AccountId = crate::engine::AccountId(999);
/// The crowd's first account number (`FIRST + i` for borrower `i`).
pub const FIRST: u64 = 1_000;

/// Whether `id` belongs to the generated crowd (or its lender).
pub fn is_crowd(id: crate::engine::AccountId) -> bool {
    id == LENDER || id.0 >= FIRST
}

#[cfg(test)]
mod tests {
    use super::{PopulationParams, PopulationSpec, FIRST};
    use crate::engine::{AccountId, Engine, PresetId};

    /// The crowd is indexed in one go when it joins (and again when the buffer changes): the
    /// index must be exactly the one that re-indexing each account in turn builds, for pooled
    /// loans, troves and perps, with most of the crowd actually in it.
    #[test]
    fn a_crowd_indexed_at_once_is_indexed_as_one_account_at_a_time() {
        for preset in [
            PresetId::AaveV3,
            PresetId::LiquityV1,
            PresetId::PerpExchange,
        ] {
            let mut cfg = preset.config();
            cfg.population = Some(PopulationSpec {
                params: PopulationParams::with_count(400),
                seed: 11,
            });
            let e = Engine::new(cfg).unwrap();
            let mut one = e.clone();
            one.index.clear_accounts();
            let ids: Vec<AccountId> = one.accounts.keys().copied().collect();
            for id in ids {
                one.reindex(id);
            }
            assert!(one.index == e.index, "{preset:?}");
            let (ranged, always) = e.index.sizes();
            assert!(ranged + always >= 300, "{preset:?}: {ranged} + {always}");
            assert!(e.accounts.keys().any(|id| id.0 >= FIRST));
        }
    }
}
