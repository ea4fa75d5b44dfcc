//! Credit tiers: **Margin Lab's own** transparent credit score, not any real system's.
//!
//! DOMAIN.md ("Traditional margin and risk"): better-rated borrowers may post less margin; a
//! downgrade tightens requirements. A broker's house requirement depends on the client; DeFi
//! protocols treat every address alike, so under the DeFi presets the tiers are Margin Lab's
//! invention and an account opts in ([`Command::JoinCreditTiers`]). The broker presets enrol their
//! client from the start.
//!
//! **Score** (0 to 100, every point from the account's own engine history, shown item by item):
//!
//! | item | points |
//! |---|---|
//! | base | 45 |
//! | time active | +2 per full day since joining, at most +10 |
//! | repayments | +3 per repayment of at least 1% of the debt, at most +12 |
//! | margin calls met on time | +5 each, at most +10 |
//! | margin calls missed | −20 each |
//! | liquidations (at most one a step; a forced sale after a missed call counts as the missed call) | −15 each |
//! | rating downgrades (scripted by the scenario) | −15 per notch |
//! | collateral quality | 0 to 10: value-weighted class points (cash 10, T-bills 10, stablecoins 8, equities 7, wrapped BTC 4, ETH and other crypto 3); 5 without collateral |
//! | diversification | 0 to 10: `10 × (1 − Σ wᵢ²)` over collateral values (one asset 0, four equal 7.5) |
//!
//! **Tiers**: A ≥ 85, B ≥ 70, C ≥ 50, D ≥ 30, E below. Each scales the account's margin
//! requirements by a multiplier: A ×0.85, B ×0.92, C ×1, D ×1.20, E ×1.50. A requirement is what
//! the LTV and liquidation threshold leave uncovered: `LT' = 1 − (1 − LT) × m`,
//! `LTV' = 1 − (1 − LTV) × m` (so under the broker's 30% maintenance, tier B needs 27.6%). Under
//! the Reg T broker a better tier never goes below FINRA 4210's 25% maintenance or Reg T's 50%
//! initial margin. Tiers apply to pooled (multi-collateral) accounts: vaults and perpetual
//! positions keep their own rules.
//!
//! **Reviews**: right after a repayment or a rating action (at the command), at the next step
//! after a liquidation or a margin call met or missed, and otherwise once per simulated day. A
//! step reviews before it checks for liquidations, so the checks use the new tier. A tier change
//! is an event ([`EventKind::CreditTierChanged`]) with the reason and the maintenance requirement
//! before and after, and the account is re-indexed so the liquidation-price index stays exact.
//! Nothing here exists under the 2026-11 rules.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use crate::engine::account::Account;
use crate::engine::command::Command;
use crate::engine::core::Engine;
use crate::engine::error::Rejection;
use crate::engine::event::{EventKind, LendingAction};
use crate::engine::health::{collateral_amount, collateral_line};
use crate::engine::ids::AccountId;
use crate::engine::params::{AssetClass, CollateralDesign, EngineConfig, PresetId, RulesVersion};
use crate::engine::state::World;

/// Seconds between routine reviews.
pub const REVIEW_SECS: i64 = 86_400;

/// A credit tier, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CreditTier {
    A,
    B,
    C,
    D,
    E,
}

impl CreditTier {
    pub const ALL: [CreditTier; 5] = [
        CreditTier::A,
        CreditTier::B,
        CreditTier::C,
        CreditTier::D,
        CreditTier::E,
    ];

    /// "A (prime)".
    pub fn label(self) -> &'static str {
        match self {
            CreditTier::A => "A (prime)",
            CreditTier::B => "B (strong)",
            CreditTier::C => "C (standard)",
            CreditTier::D => "D (watch)",
            CreditTier::E => "E (restricted)",
        }
    }

    /// The lowest score of the tier.
    pub fn min_score(self) -> Decimal {
        match self {
            CreditTier::A => dec!(85),
            CreditTier::B => dec!(70),
            CreditTier::C => dec!(50),
            CreditTier::D => dec!(30),
            CreditTier::E => Decimal::ZERO,
        }
    }

    /// What the tier multiplies margin requirements by.
    pub fn multiplier(self) -> Decimal {
        match self {
            CreditTier::A => dec!(0.85),
            CreditTier::B => dec!(0.92),
            CreditTier::C => Decimal::ONE,
            CreditTier::D => dec!(1.20),
            CreditTier::E => dec!(1.50),
        }
    }

    /// The tier of a score.
    pub fn from_score(score: Decimal) -> Self {
        Self::ALL
            .into_iter()
            .find(|t| score >= t.min_score())
            .unwrap_or(CreditTier::E)
    }

    /// One tier worse (E stays E).
    pub fn worse(self) -> Self {
        match self {
            CreditTier::A => CreditTier::B,
            CreditTier::B => CreditTier::C,
            CreditTier::C => CreditTier::D,
            _ => CreditTier::E,
        }
    }
}

/// What the account's history has shown so far (kept on its [`Account`]).
#[derive(Clone, Debug, PartialEq)]
pub struct CreditRecord {
    pub tier: CreditTier,
    pub score: Decimal,
    pub joined_at: i64,
    pub repayments: u32,
    pub calls_met: u32,
    pub calls_missed: u32,
    pub liquidations: u32,
    pub downgrade_notches: u32,
    pub last_review: i64,
    /// The points of each item at the last review (for the reason of the next change).
    pub last_items: Vec<Decimal>,
}

/// Limits a tier cannot cross: under the Reg T broker, FINRA 4210's 25% maintenance and Reg T's
/// 50% initial margin (they apply to requirements that start at or above them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditPolicy {
    pub maintenance_floor: Option<Decimal>,
    pub initial_floor: Option<Decimal>,
}

/// The tier policy of a configuration: `None` under the 2026-11 rules.
pub fn policy(cfg: &EngineConfig) -> Option<CreditPolicy> {
    if cfg.rules == RulesVersion::V2026_11 {
        return None;
    }
    Some(match cfg.preset {
        PresetId::Broker => CreditPolicy {
            maintenance_floor: Some(dec!(0.25)),
            initial_floor: Some(dec!(0.50)),
        },
        _ => CreditPolicy {
            maintenance_floor: None,
            initial_floor: None,
        },
    })
}

/// `1 − (1 − factor) × m`, the requirement held at `floor` when it started at or above it.
fn scale(factor: Decimal, m: Decimal, floor: Option<Decimal>) -> Decimal {
    let req = Decimal::ONE - factor;
    let mut scaled = req * m;
    if let Some(f) = floor {
        if req >= f {
            scaled = scaled.max(f);
        }
    }
    (Decimal::ONE - scaled).clamp(Decimal::ZERO, Decimal::ONE)
}

/// The LTV and liquidation threshold `tier` gives collateral whose own are `ltv` and `lt`.
pub fn adjust(
    policy: CreditPolicy,
    tier: CreditTier,
    ltv: Decimal,
    lt: Decimal,
) -> (Decimal, Decimal) {
    let m = tier.multiplier();
    if m == Decimal::ONE {
        return (ltv, lt);
    }
    let lt2 = scale(lt, m, policy.maintenance_floor);
    let ltv2 = scale(ltv, m, policy.initial_floor).min(lt2);
    (ltv2, lt2)
}

/// The account's LTV and liquidation threshold after its tier (unchanged when it has none).
pub fn tiered(cfg: &EngineConfig, acc: &Account, ltv: Decimal, lt: Decimal) -> (Decimal, Decimal) {
    match (&acc.credit, policy(cfg)) {
        (Some(rec), Some(p)) => adjust(p, rec.tier, ltv, lt),
        _ => (ltv, lt),
    }
}

/// One item of the score.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreItem {
    pub label: &'static str,
    pub points: Decimal,
    /// How it was counted ("3 days active").
    pub detail: String,
}

/// A score with its items and tier.
#[derive(Clone, Debug, PartialEq)]
pub struct CreditScore {
    pub total: Decimal,
    pub tier: CreditTier,
    pub items: Vec<ScoreItem>,
}

/// Class points for collateral quality (the debt asset, i.e. cash, scores 10).
fn class_quality(class: AssetClass) -> Decimal {
    match class {
        AssetClass::TokenizedTBill => dec!(10),
        AssetClass::Stablecoin => dec!(8),
        AssetClass::TokenizedEquity => dec!(7),
        AssetClass::WrappedBtc => dec!(4),
        AssetClass::StakedEth | AssetClass::VolatileAlt => dec!(3),
    }
}

/// The account's score now (`rec` holds its history).
pub fn score(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
    rec: &CreditRecord,
    now: i64,
) -> CreditScore {
    let mut items = Vec::new();
    let mut item = |label, points: Decimal, detail: String| {
        items.push(ScoreItem {
            label,
            points,
            detail,
        })
    };
    item("Base", dec!(45), "every account starts here".into());
    let days = ((now - rec.joined_at).max(0) / 86_400) as u32;
    item(
        "Time active",
        Decimal::from((2 * days).min(10)),
        format!("{days} full day(s) since joining"),
    );
    item(
        "Repayments",
        Decimal::from((3 * rec.repayments).min(12)),
        format!("{} repayment(s) of at least 1% of the debt", rec.repayments),
    );
    item(
        "Margin calls met",
        Decimal::from((5 * rec.calls_met).min(10)),
        format!("{} met on time", rec.calls_met),
    );
    item(
        "Margin calls missed",
        -Decimal::from(20 * rec.calls_missed),
        format!("{} missed", rec.calls_missed),
    );
    item(
        "Liquidations",
        -Decimal::from(15 * rec.liquidations),
        format!("{} liquidation(s) or forced sale(s)", rec.liquidations),
    );
    item(
        "Rating downgrades",
        -Decimal::from(15 * rec.downgrade_notches),
        format!("{} notch(es)", rec.downgrade_notches),
    );
    // Collateral quality and diversification, by value at oracle prices.
    let mut values = Vec::new();
    for asset in acc.collateral_scaled.keys() {
        if acc.collateral_off.contains(asset) {
            continue;
        }
        let Some(p) = cfg.asset(asset) else { continue };
        let v = collateral_amount(w, acc, asset).saturating_mul(w.price(asset));
        if v > Decimal::ZERO {
            let q = if *asset == cfg.debt_asset {
                dec!(10)
            } else {
                class_quality(p.class)
            };
            values.push((v, q));
        }
    }
    let total: Decimal = values.iter().map(|(v, _)| *v).sum();
    let (quality, diversification) = if total > Decimal::ZERO {
        let q: Decimal = values.iter().map(|(v, q)| *v * *q).sum::<Decimal>() / total;
        let hhi: Decimal = values
            .iter()
            .map(|(v, _)| {
                let s = *v / total;
                s * s
            })
            .sum();
        (q, (Decimal::ONE - hhi) * dec!(10))
    } else {
        (dec!(5), Decimal::ZERO)
    };
    let quality = quality.round_dp(1);
    let diversification = diversification.round_dp(1);
    item(
        "Collateral quality",
        quality,
        if total > Decimal::ZERO {
            "value-weighted class points".into()
        } else {
            "no collateral: neutral".into()
        },
    );
    item(
        "Diversification",
        diversification,
        format!("{} collateral asset(s)", values.len()),
    );
    let total_points: Decimal = items.iter().map(|i| i.points).sum();
    let total_points = total_points.clamp(Decimal::ZERO, dec!(100));
    CreditScore {
        total: total_points,
        tier: CreditTier::from_score(total_points),
        items,
    }
}

/// The account's maintenance requirement under `tier`: `1 − LT'` weighted by collateral value, or
/// for an account without collateral, that of the scenario's first asset other than its debt asset.
pub fn maintenance_under(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
    tier: CreditTier,
) -> Decimal {
    let Some(p) = policy(cfg) else {
        return Decimal::ZERO;
    };
    let mut num = Decimal::ZERO;
    let mut den = Decimal::ZERO;
    for asset in acc.collateral_scaled.keys() {
        let (Some(params), Ok(line)) = (cfg.asset(asset), collateral_line(cfg, w, acc, asset))
        else {
            continue;
        };
        if acc.collateral_off.contains(asset) {
            continue;
        }
        let (_, lt) = adjust(p, tier, params.ltv, params.liquidation_threshold);
        num += line.value * (Decimal::ONE - lt);
        den += line.value;
    }
    if den > Decimal::ZERO {
        return (num / den).round_dp(6);
    }
    cfg.assets
        .iter()
        .find(|a| a.id != cfg.debt_asset && a.liquidation_threshold > Decimal::ZERO)
        .map(|a| Decimal::ONE - adjust(p, tier, a.ltv, a.liquidation_threshold).1)
        .unwrap_or_default()
}

/// `JoinCreditTiers`: current rules, pooled design.
pub(crate) fn join(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
) -> Result<Vec<EventKind>, Rejection> {
    if policy(cfg).is_none() {
        return Err(Rejection::NotInRules(
            "Margin Lab's credit tiers".into(),
            cfg.rules.label().into(),
        ));
    }
    if cfg.design != CollateralDesign::MultiCollateral {
        return Err(Rejection::WrongDesign {
            action: "Joining the credit tiers (they scale pooled collateral)".into(),
            design: cfg.design.to_string(),
        });
    }
    if acc.credit.is_some() {
        return Err(Rejection::CreditAlreadyJoined);
    }
    let mut rec = CreditRecord {
        tier: CreditTier::C,
        score: Decimal::ZERO,
        joined_at: w.now,
        repayments: 0,
        calls_met: 0,
        calls_missed: 0,
        liquidations: 0,
        downgrade_notches: 0,
        last_review: w.now,
        last_items: Vec::new(),
    };
    let s = score(cfg, w, acc, &rec, w.now);
    rec.tier = s.tier;
    rec.score = s.total;
    rec.last_items = s.items.iter().map(|i| i.points).collect();
    acc.credit = Some(rec);
    w.risk.credit_accounts.insert(acc.id);
    Ok(vec![EventKind::CreditJoined {
        account: acc.id,
        tier: s.tier,
        score: s.total,
    }])
}

/// `RatingDowngrade`: takes 15 points per notch and reviews the tier at once.
pub(crate) fn downgrade(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    notches: u8,
) -> Result<Vec<EventKind>, Rejection> {
    if !(1..=4).contains(&notches) {
        return Err(Rejection::InvalidNotches(notches));
    }
    let before = match &acc.credit {
        Some(r) => r.score,
        None => return Err(Rejection::CreditNotJoined),
    };
    if let Some(r) = acc.credit.as_mut() {
        r.downgrade_notches += u32::from(notches);
    }
    let now = w.now;
    let mut events = vec![EventKind::RatingDowngraded {
        account: acc.id,
        notches,
        score_before: before,
        score_after: before,
    }];
    events.extend(review(cfg, w, acc, now, "a rating downgrade"));
    if let (Some(EventKind::RatingDowngraded { score_after, .. }), Some(r)) =
        (events.first_mut(), &acc.credit)
    {
        *score_after = r.score;
    }
    Ok(events)
}

/// Re-scores the account; a tier change is returned as an event (`cause` leads its reason).
pub(crate) fn review(
    cfg: &EngineConfig,
    w: &World,
    acc: &mut Account,
    now: i64,
    cause: &str,
) -> Option<EventKind> {
    let rec = acc.credit.clone()?;
    let s = score(cfg, w, acc, &rec, now);
    let from = rec.tier;
    let mut changes = Vec::new();
    for (k, it) in s.items.iter().enumerate() {
        let before = rec.last_items.get(k).copied().unwrap_or_default();
        if it.points != before {
            let d = it.points - before;
            let sign = if d > Decimal::ZERO { "+" } else { "−" };
            changes.push(format!(
                "{} {sign}{}",
                it.label.to_lowercase(),
                d.abs().normalize()
            ));
        }
    }
    let reason = if changes.is_empty() {
        format!("{cause}; score {}", s.total.normalize())
    } else {
        format!(
            "{cause}: {}; score {} → {}",
            changes.join(", "),
            rec.score.normalize(),
            s.total.normalize()
        )
    };
    let event = (s.tier != from).then(|| EventKind::CreditTierChanged {
        account: acc.id,
        from,
        to: s.tier,
        score: s.total,
        reason,
        maintenance_before: maintenance_under(cfg, w, acc, from),
        maintenance_after: maintenance_under(cfg, w, acc, s.tier),
    });
    if let Some(r) = acc.credit.as_mut() {
        r.tier = s.tier;
        r.score = s.total;
        r.last_review = now;
        r.last_items = s.items.iter().map(|i| i.points).collect();
    }
    event
}

/// After a command on a member account: a repayment of at least 1% of the debt counts, and is
/// reviewed at once.
pub(crate) fn after_command(
    cfg: &EngineConfig,
    w: &World,
    acc: &mut Account,
    command: &Command,
    kinds: &mut Vec<EventKind>,
) {
    if acc.credit.is_none() {
        return;
    }
    let repaid = matches!(command, Command::Repay { .. } | Command::VaultRepay { .. })
        && kinds.iter().any(|k| match k {
            EventKind::Lending {
                action: LendingAction::Repay,
                amount,
                asset,
                ..
            } => {
                let after = crate::engine::health::lending_view(cfg, w, acc)
                    .map(|v| v.debt_value)
                    .unwrap_or_default();
                let value = amount.saturating_mul(w.price(asset));
                value * dec!(100) >= value + after
            }
            _ => false,
        });
    if repaid {
        if let Some(r) = acc.credit.as_mut() {
            r.repayments += 1;
        }
        kinds.extend(review(cfg, w, acc, w.now, "a repayment"));
    }
}

impl Engine {
    /// Credit work at the start of a step, before any liquidation check: what happened to
    /// members since the last step (liquidations, margin calls met or missed — read from the
    /// log) is counted and reviewed at once, and every member is reviewed once a day. A tier
    /// change re-indexes the account, so this step's liquidation checks already use the new
    /// tier: no account is left liquidatable at the end of a step because its tier changed.
    pub(crate) fn credit_review(&mut self, now: i64) -> Vec<EventKind> {
        let len = self.log.events().len();
        let start = self.world.risk.credit_cursor.min(len);
        self.world.risk.credit_cursor = len;
        if self.world.risk.credit_accounts.is_empty() || policy(&self.cfg).is_none() {
            return Vec::new();
        }
        // Per member: liquidated (at most one a step's worth), calls met, calls missed.
        let mut seen: Vec<(AccountId, bool, u32, u32)> = Vec::new();
        for e in &self.log.events()[start..] {
            let (id, liq, met, missed) = match &e.kind {
                EventKind::Liquidated { account, .. }
                | EventKind::PositionLiquidated { account, .. }
                | EventKind::AuctionStarted { account, .. } => (*account, true, 0, 0),
                EventKind::MarginCallMet { account, .. } => (*account, false, 1, 0),
                EventKind::MarginCallMissed { account, .. } => (*account, false, 0, 1),
                _ => continue,
            };
            if !self.world.risk.credit_accounts.contains(&id) {
                continue;
            }
            match seen.iter_mut().find(|x| x.0 == id) {
                Some(x) => {
                    x.1 |= liq;
                    x.2 += met;
                    x.3 += missed;
                }
                None => seen.push((id, liq, met, missed)),
            }
        }
        let mut out = Vec::new();
        let members: Vec<AccountId> = self.world.risk.credit_accounts.iter().copied().collect();
        for id in members {
            let Some(mut acc) = self.accounts.get(&id).cloned() else {
                continue;
            };
            let Some(rec) = acc.credit.as_mut() else {
                continue;
            };
            let mut causes = Vec::new();
            if let Some(&(_, liq, met, missed)) = seen.iter().find(|x| x.0 == id) {
                // A forced sale after a missed call is counted as the missed call.
                if liq && missed == 0 {
                    rec.liquidations += 1;
                    causes.push("a liquidation");
                }
                if met > 0 {
                    rec.calls_met += met;
                    causes.push("a margin call met on time");
                }
                if missed > 0 {
                    rec.calls_missed += missed;
                    causes.push("a margin call missed");
                }
            }
            let due = now.div_euclid(REVIEW_SECS) != rec.last_review.div_euclid(REVIEW_SECS);
            if causes.is_empty() && !due {
                continue;
            }
            let cause = if causes.is_empty() {
                "daily review".to_string()
            } else {
                causes.join(" and ")
            };
            let changed = review(&self.cfg, &self.world, &mut acc, now, &cause);
            self.accounts.insert(id, acc);
            if let Some(e) = changed {
                out.push(e);
                self.reindex(id);
            }
        }
        out
    }
}

impl Engine {
    /// The account's credit score now, item by item (`None` outside the tiers).
    pub fn credit_score(&self, account: &AccountId) -> Option<CreditScore> {
        let acc = self.accounts.get(account)?;
        let rec = acc.credit.as_ref()?;
        Some(score(&self.cfg, &self.world, acc, rec, self.now()))
    }

    /// The account's maintenance requirement under each tier (for the tier table).
    pub fn maintenance_by_tier(&self, account: &AccountId) -> Vec<(CreditTier, Decimal)> {
        let Some(acc) = self.accounts.get(account) else {
            return Vec::new();
        };
        CreditTier::ALL
            .iter()
            .map(|t| (*t, maintenance_under(&self.cfg, &self.world, acc, *t)))
            .collect()
    }

    /// Whether this engine offers credit tiers to an account that has not joined (current rules,
    /// pooled design).
    pub fn credit_tiers_offered(&self) -> bool {
        policy(&self.cfg).is_some() && self.cfg.design == CollateralDesign::MultiCollateral
    }
}
