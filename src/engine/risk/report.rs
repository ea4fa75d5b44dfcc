//! The risk report: one document the learner can print or save as JSON, built from the engine's
//! state and the figures the risk desk computed — valuation with haircuts, limits, value at risk,
//! stress and reverse stress results, the credit tier's history and the audit trail of the
//! account's events. Every number is the engine's; the report only gathers them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::credit::{self, CreditTier};
use super::reverse::ReverseResult;
use super::stress::StressResult;
use super::var::VarReport;
use crate::engine::core::Engine;
use crate::engine::error::Rejection;
use crate::engine::event::EventKind;
use crate::engine::explain::when;
use crate::engine::ids::{AccountId, AssetId};

/// What the engine does not know about the session (names, the feed, the tick).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportMeta {
    pub scenario: String,
    pub preset: String,
    pub imitates: String,
    pub rules: String,
    pub design: String,
    pub seed: u64,
    pub tick: usize,
    pub data_source: String,
}

/// One collateral, valued.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValuationLine {
    pub asset: AssetId,
    pub amount: Decimal,
    pub market_price: Decimal,
    pub oracle_price: Decimal,
    /// Market value at the oracle price, before the haircut.
    pub gross_value: Decimal,
    pub haircut: Decimal,
    /// After the haircut.
    pub value: Decimal,
    /// After the account's credit tier.
    pub ltv: Decimal,
    pub liquidation_threshold: Decimal,
    pub borrowing_power: Decimal,
    pub maintenance_value: Decimal,
    pub liquidation_price: Option<Decimal>,
}

/// An amount of an asset and its value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Holding {
    pub asset: AssetId,
    pub amount: Decimal,
    pub value: Decimal,
}

/// Limits and where the account stands against them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    pub equity: Decimal,
    pub equity_at_market: Decimal,
    pub collateral_value: Decimal,
    pub debt: Decimal,
    /// What the collateral lends (initial requirement met up to here).
    pub borrow_limit: Decimal,
    pub available_to_borrow: Decimal,
    /// Collateral value minus what counts toward health: the maintenance requirement.
    pub maintenance_requirement: Decimal,
    pub initial_requirement: Decimal,
    pub health: Option<Decimal>,
    pub margin_ratio: Option<Decimal>,
    pub liquidatable: bool,
    pub margin_call_deadline: Option<i64>,
    pub margin_call_deficit: Option<Decimal>,
}

/// A credit-tier event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierChange {
    pub time: i64,
    pub when: String,
    pub description: String,
}

/// The credit tier now, its score item by item, and its history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditSection {
    pub tier: CreditTier,
    pub tier_label: String,
    pub score: Decimal,
    pub multiplier: Decimal,
    pub items: Vec<(String, Decimal, String)>,
    pub history: Vec<TierChange>,
    pub note: String,
}

/// One event of the account's audit trail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub seq: u64,
    pub time: i64,
    pub category: String,
    pub description: String,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskReport {
    pub title: String,
    pub note: String,
    pub meta: ReportMeta,
    pub account: AccountId,
    pub engine_time: i64,
    pub engine_time_text: String,
    pub valuation: Vec<ValuationLine>,
    pub wallet: Vec<Holding>,
    pub debts: Vec<Holding>,
    pub limits: Limits,
    pub value_at_risk: Option<VarReport>,
    pub stress_tests: Vec<StressResult>,
    pub reverse_stress: Option<ReverseResult>,
    pub credit: Option<CreditSection>,
    pub audit_trail: Vec<AuditLine>,
    /// The event-log hash the report was made at (the replay can be checked against it).
    pub log_hash: String,
}

impl RiskReport {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }
}

impl Engine {
    /// The risk report of `account` with the figures the desk computed.
    pub fn risk_report(
        &self,
        account: AccountId,
        meta: ReportMeta,
        var: Option<&VarReport>,
        stress: &[StressResult],
        reverse: Option<&ReverseResult>,
    ) -> Result<RiskReport, Rejection> {
        let m = self.account_metrics(&account)?;
        let market = self.market_prices();
        let liq: std::collections::BTreeMap<AssetId, Option<Decimal>> = m
            .collateral_liquidation_prices
            .iter()
            .map(|l| (l.asset.clone(), l.liquidation_price))
            .collect();
        let valuation = m
            .collateral
            .iter()
            .map(|c| ValuationLine {
                asset: c.asset.clone(),
                amount: c.amount,
                market_price: market.get(&c.asset).copied().unwrap_or(c.price),
                oracle_price: c.price,
                gross_value: c.amount * c.price,
                haircut: c.haircut,
                value: c.value,
                ltv: c.ltv,
                liquidation_threshold: c.liquidation_threshold,
                borrowing_power: c.borrowing_power,
                maintenance_value: c.weighted,
                liquidation_price: liq.get(&c.asset).copied().flatten(),
            })
            .collect();
        let oracle = self.oracle_prices();
        let price = |a: &AssetId| oracle.get(a).copied().unwrap_or_default();
        let wallet = m
            .wallet
            .iter()
            .map(|(a, q)| Holding {
                asset: a.clone(),
                amount: *q,
                value: *q * price(a),
            })
            .collect();
        let acc = self
            .account(&account)
            .ok_or(Rejection::UnknownAccount(account))?;
        let debts = acc
            .debt_scaled
            .keys()
            .map(|a| {
                let q = crate::engine::health::debt_amount(&self.world, acc, a);
                Holding {
                    asset: a.clone(),
                    amount: q,
                    value: q * price(a),
                }
            })
            .collect();
        let call = self.margin_call(&account);
        let limits = Limits {
            equity: m.equity,
            equity_at_market: self.market_equity(&account)?,
            collateral_value: m.collateral_value,
            debt: m.debt_value,
            borrow_limit: m.borrow_limit,
            available_to_borrow: m.available_to_borrow,
            maintenance_requirement: (m.collateral_value - m.weighted_collateral)
                .max(Decimal::ZERO),
            initial_requirement: (m.collateral_value - m.borrow_limit).max(Decimal::ZERO),
            health: m.health(),
            margin_ratio: m.margin_ratio,
            liquidatable: m.liquidatable,
            margin_call_deadline: call.map(|c| c.deadline),
            margin_call_deficit: call.and_then(|_| self.margin_call_deficit(&account)),
        };
        let credit = acc.credit.as_ref().map(|rec| {
            let s = credit::score(&self.cfg, &self.world, acc, rec, self.now());
            CreditSection {
                tier: rec.tier,
                tier_label: rec.tier.label().into(),
                score: s.total,
                multiplier: rec.tier.multiplier(),
                items: s
                    .items
                    .iter()
                    .map(|i| (i.label.to_string(), i.points, i.detail.clone()))
                    .collect(),
                history: self
                    .events()
                    .iter()
                    .filter(|e| {
                        e.kind.account() == Some(account)
                            && matches!(
                                e.kind,
                                EventKind::CreditJoined { .. }
                                    | EventKind::CreditTierChanged { .. }
                                    | EventKind::RatingDowngraded { .. }
                            )
                    })
                    .map(|e| TierChange {
                        time: e.time,
                        when: when(e.time),
                        description: e.describe(),
                    })
                    .collect(),
                note: "Margin Lab's own credit score (not any real system's): every point comes from this account's history in the engine.".into(),
            }
        });
        let audit_trail = self
            .events()
            .iter()
            .filter(|e| e.kind.account() == Some(account))
            .map(|e| AuditLine {
                seq: e.seq,
                time: e.time,
                category: e.kind.category().name().into(),
                description: e.describe(),
            })
            .collect();
        Ok(RiskReport {
            title: "Margin Lab risk report".into(),
            note: "A paper-trading sandbox: no real money, no advice. Values in the scenario's quote currency; equity at market prices where stated, otherwise at the oracle prices the engine acts on. Losses come from running the engine (liquidations, penalties and slippage included), not from a linear P&L.".into(),
            meta,
            account,
            engine_time: self.now(),
            engine_time_text: when(self.now()),
            valuation,
            wallet,
            debts,
            limits,
            value_at_risk: var.cloned(),
            stress_tests: stress.to_vec(),
            reverse_stress: reverse.cloned(),
            credit,
            audit_trail,
            log_hash: self.log_hash(),
        })
    }
}
