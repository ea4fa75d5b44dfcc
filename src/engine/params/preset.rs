//! Which system a scenario imitates, and under which version of Margin Lab's rules.
//!
//! Both are plain identifiers carried by links; what each means (parameters, mechanisms, oracle,
//! design switch) is defined once, in `engine::system`.

use serde::{Deserialize, Serialize};

/// A named preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PresetId {
    AaveV3,
    CompoundIII,
    MakerScd,
    LiquityV1,
    PerpExchange,
    /// A hand-made scenario.
    Custom,
    MakerMcd,
    /// Perpetuals with GMX / Synthetix-style skew funding (added with the 2026-12 rules).
    PerpSkew,
    /// A US broker's margin account: Reg T, FINRA 4210 and a house requirement, margin calls with
    /// a deadline (added with the 2026-12 rules; `engine::system::broker`).
    Broker,
    /// The same broker under portfolio margin: the requirement is the worst loss over a ±15%
    /// stress grid (OCC TIMS-style).
    BrokerPortfolio,
}

/// A version of Margin Lab's rules: the parameter sets and mechanisms of every preset as a build
/// defined them. A link records the version it was made with and replays under it, so an update
/// that changes a preset never changes a published replay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RulesVersion {
    /// The first published rules (payload-1 links): illustrative, rounded parameters.
    V2026_11,
    /// Parameters and mechanisms checked against each protocol's code and configuration
    /// (`shared/DOMAIN.md`): Aave v3.3 close factor and dust rules, protocol fees, e-mode and
    /// isolation mode, Maker ETH-A since the 2022-10 spell with keeper incentives, Compound III's
    /// own curves and store front, Liquity's gas compensation, fee and recovery mode, Binance
    /// tiers and funding.
    V2026_12,
}

impl RulesVersion {
    /// The rules new sessions use.
    pub const CURRENT: RulesVersion = RulesVersion::V2026_12;
    pub const ALL: [RulesVersion; 2] = [RulesVersion::V2026_11, RulesVersion::V2026_12];

    /// How the app names it: "the 2026-11 rules".
    pub fn label(self) -> &'static str {
        match self {
            RulesVersion::V2026_11 => "2026-11",
            RulesVersion::V2026_12 => "2026-12",
        }
    }
}
