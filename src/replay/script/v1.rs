//! Payload 1: the link schema of the 2026-11 build, frozen. Links of this version replay under the
//! 2026-11 rules and verify the event-log hash alone.
//!
//! **Never change these types.** They are a copy of what that build serialised; engine types
//! whose wire form has not changed since ([`Command`], [`OracleSpec`], [`PresetId`],
//! [`CollateralDesign`], [`PriceDecay`]) are used as they are (new variants only ever go at the end of
//! those enums), the others are copied here.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{payload_error, Action, Scenario, Script};
use crate::engine::{
    AuctionParams, CollateralDesign, Command, LiquidationKind, OracleSpec, PresetId, PriceDecay,
    RulesVersion,
};
use crate::replay::codec::LinkError;

#[derive(Serialize, Deserialize)]
struct SharedV1 {
    script: ScriptV1,
    tick: u32,
    log_hash: Option<[u8; 32]>,
}

#[derive(Serialize, Deserialize)]
struct ScriptV1 {
    scenario: ScenarioV1,
    actions: Vec<ActionV1>,
}

#[derive(Serialize, Deserialize)]
struct ActionV1 {
    tick: u32,
    command: Command,
}

#[derive(Serialize, Deserialize)]
struct ScenarioV1 {
    feed: String,
    seed: u64,
    preset: PresetId,
    design: CollateralDesign,
    liquidation: Option<LiquidationKindV1>,
    oracle: Option<OracleSpec>,
    starting_cash: Decimal,
}

#[derive(Serialize, Deserialize)]
enum LiquidationKindV1 {
    Partial,
    Full,
    StabilityPool,
    DutchAuction(AuctionParamsV1),
}

#[derive(Serialize, Deserialize)]
struct AuctionParamsV1 {
    buf: Decimal,
    tail_secs: i64,
    cusp: Decimal,
    decay: PriceDecay,
    keeper_discount: Decimal,
    keeper_capacity: Option<Decimal>,
}

/// Decodes a payload-1 body into the current script (rules 2026-11), the tick and the hash.
pub fn decode(payload: &[u8]) -> Result<(Script, u32, Option<[u8; 32]>), LinkError> {
    let wire: SharedV1 =
        postcard::from_bytes(payload).map_err(|e| LinkError::Payload(payload_error(e)))?;
    let s = wire.script.scenario;
    let liquidation = s.liquidation.map(|k| match k {
        LiquidationKindV1::Partial => LiquidationKind::Partial,
        LiquidationKindV1::Full => LiquidationKind::Full,
        LiquidationKindV1::StabilityPool => LiquidationKind::StabilityPool,
        LiquidationKindV1::DutchAuction(p) => LiquidationKind::DutchAuction(AuctionParams {
            buf: p.buf,
            tail_secs: p.tail_secs,
            cusp: p.cusp,
            decay: p.decay,
            keeper_discount: p.keeper_discount,
            keeper_capacity: p.keeper_capacity,
            tip: Decimal::ZERO,
            chip: Decimal::ZERO,
        }),
    });
    let script = Script {
        scenario: Scenario {
            feed: s.feed,
            seed: s.seed,
            preset: s.preset,
            design: s.design,
            liquidation,
            oracle: s.oracle,
            starting_cash: s.starting_cash,
            rules: RulesVersion::V2026_11,
            options: Vec::new(),
        },
        actions: wire
            .script
            .actions
            .into_iter()
            .map(|a| Action {
                tick: a.tick,
                command: a.command,
            })
            .collect(),
    };
    Ok((script, wire.tick, wire.log_hash))
}

/// Encodes a script as payload 1 (used to check a payload is canonical, and to re-share a
/// payload-1 link as it was). `None` when the script holds something payload 1 cannot say.
pub fn encode(script: &Script, tick: u32, log_hash: Option<[u8; 32]>) -> Option<Vec<u8>> {
    let s = &script.scenario;
    if s.rules != RulesVersion::V2026_11 || !s.options.is_empty() {
        return None;
    }
    let liquidation = match &s.liquidation {
        None => None,
        Some(LiquidationKind::Partial) => Some(LiquidationKindV1::Partial),
        Some(LiquidationKind::Full) => Some(LiquidationKindV1::Full),
        Some(LiquidationKind::StabilityPool) => Some(LiquidationKindV1::StabilityPool),
        Some(LiquidationKind::MarginCall(_)) => return None,
        Some(LiquidationKind::DutchAuction(p)) => {
            if !p.tip.is_zero() || !p.chip.is_zero() {
                return None;
            }
            Some(LiquidationKindV1::DutchAuction(AuctionParamsV1 {
                buf: p.buf,
                tail_secs: p.tail_secs,
                cusp: p.cusp,
                decay: p.decay.clone(),
                keeper_discount: p.keeper_discount,
                keeper_capacity: p.keeper_capacity,
            }))
        }
    };
    let wire = SharedV1 {
        script: ScriptV1 {
            scenario: ScenarioV1 {
                feed: s.feed.clone(),
                seed: s.seed,
                preset: s.preset,
                design: s.design,
                liquidation,
                oracle: s.oracle.clone(),
                starting_cash: s.starting_cash,
            },
            actions: script
                .actions
                .iter()
                .map(|a| ActionV1 {
                    tick: a.tick,
                    command: a.command.clone(),
                })
                .collect(),
        },
        tick,
        log_hash,
    };
    postcard::to_allocvec(&wire).ok()
}
