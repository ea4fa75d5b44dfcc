//! Protection rules on lending accounts and vaults, as DeFi automation services offer them
//! (DeFi Saver "Automated Repay / Boost", Maker vault "auto top-up"):
//! - repay: when the health factor falls below a trigger, repay debt from the wallet until it is
//!   back at a target (`needed = debt − weighted collateral / target`, in value);
//! - boost: when the health factor rises above a trigger, borrow more until it is down to a target
//!   (`more = weighted collateral / target − debt`), within the borrow limit. Margin Lab leaves the
//!   borrowed funds in the wallet (services swap them into more collateral; swaps are not modelled);
//! - vault top-up: when a vault's collateral ratio falls below a trigger, add collateral from the
//!   wallet until it is at a target (`needed = target × debt value / price − collateral`).
//!
//! A rule acts through the ordinary command handlers (repay, borrow, vault deposit), so every
//! limit of the imitated system applies. When it cannot act (an empty wallet, the borrow limit, an
//! empty pool) it logs why when that starts or the reason changes, and shows it in its state
//! until it can act or the condition clears — never a silent skip.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{ceil_amount, floor_amount, Origin};
use crate::engine::account::Account;
use crate::engine::actions::{lending, need_design, vault};
use crate::engine::error::{EngineError, Rejection};
use crate::engine::event::{EventKind, LendingAction};
use crate::engine::health::{debt_amount, lending_view, vault_view};
use crate::engine::ids::AssetId;
use crate::engine::index::{
    limits_of, Accrual, AssetSet, Band, BandLimits, DRIFT, MAX_BAND, MIN_BAND,
};
use crate::engine::num::{fmt_num, fmt_ratio, mul, MAX_AMOUNT};
use crate::engine::params::config::{CollateralDesign, EngineConfig};
use crate::engine::state::World;

/// Highest trigger or target a rule accepts (a health factor or ratio of 100).
pub const MAX_LEVEL: Decimal = Decimal::ONE_HUNDRED;

/// A protection rule's kind and parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProtectionRule {
    /// Pooled account: when the health factor falls below `trigger`, repay `asset` from the
    /// wallet until it is back at `target`.
    RepayBelow {
        asset: AssetId,
        trigger: Decimal,
        target: Decimal,
    },
    /// Pooled account with debt: when the health factor rises above `trigger`, borrow more
    /// `asset` (into the wallet) until it is down to `target`.
    BoostAbove {
        asset: AssetId,
        trigger: Decimal,
        target: Decimal,
    },
    /// The vault of `collateral`: when its collateral ratio falls below `trigger`, add collateral
    /// from the wallet until the ratio is `target`.
    TopUpBelow {
        collateral: AssetId,
        trigger: Decimal,
        target: Decimal,
    },
}

impl ProtectionRule {
    pub fn asset(&self) -> &AssetId {
        match self {
            ProtectionRule::RepayBelow { asset, .. } | ProtectionRule::BoostAbove { asset, .. } => {
                asset
            }
            ProtectionRule::TopUpBelow { collateral, .. } => collateral,
        }
    }

    pub fn trigger(&self) -> Decimal {
        match self {
            ProtectionRule::RepayBelow { trigger, .. }
            | ProtectionRule::BoostAbove { trigger, .. }
            | ProtectionRule::TopUpBelow { trigger, .. } => *trigger,
        }
    }

    pub fn target(&self) -> Decimal {
        match self {
            ProtectionRule::RepayBelow { target, .. }
            | ProtectionRule::BoostAbove { target, .. }
            | ProtectionRule::TopUpBelow { target, .. } => *target,
        }
    }

    /// "repay" / "boost" / "top-up".
    pub fn name(&self) -> &'static str {
        match self {
            ProtectionRule::RepayBelow { .. } => "auto-repay",
            ProtectionRule::BoostAbove { .. } => "boost",
            ProtectionRule::TopUpBelow { .. } => "vault top-up",
        }
    }

    /// One line: "auto-repay USDC when health < 1.30, back to 1.60".
    pub fn summary(&self) -> String {
        match self {
            ProtectionRule::RepayBelow {
                asset,
                trigger,
                target,
            } => format!(
                "auto-repay {asset} when health < {}, back to {}",
                fmt_ratio(*trigger),
                fmt_ratio(*target)
            ),
            ProtectionRule::BoostAbove {
                asset,
                trigger,
                target,
            } => format!(
                "boost: borrow {asset} when health > {}, down to {}",
                fmt_ratio(*trigger),
                fmt_ratio(*target)
            ),
            ProtectionRule::TopUpBelow {
                collateral,
                trigger,
                target,
            } => format!(
                "top up the {collateral} vault when its ratio < {}, back to {}",
                fmt_ratio(*trigger),
                fmt_ratio(*target)
            ),
        }
    }

    fn same_slot(&self, other: &ProtectionRule) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
            && self.asset() == other.asset()
    }
}

/// Whether a rule is ready, or waiting because it could not act.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleState {
    Armed,
    /// Its condition held but it could not act (since `since`, for `reason`).
    Blocked {
        since: i64,
        reason: String,
    },
}

/// A protection rule on an account.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Per account, shared with orders.
    pub id: u64,
    pub rule: ProtectionRule,
    pub origin: Origin,
    pub state: RuleState,
}

fn invalid(m: String) -> Result<(), Rejection> {
    Err(Rejection::InvalidRule(m))
}

fn check_levels(rule: &ProtectionRule, floor: Decimal, what: &str) -> Result<(), Rejection> {
    let (trigger, target) = (rule.trigger(), rule.target());
    if trigger <= floor || trigger > MAX_LEVEL || target <= floor || target > MAX_LEVEL {
        return invalid(format!(
            "its trigger and target must be above {} (where {what}) and at most {}",
            fmt_ratio(floor),
            fmt_num(MAX_LEVEL, 0)
        ));
    }
    match rule {
        ProtectionRule::BoostAbove { .. } if target >= trigger => invalid(format!(
            "a boost borrows down to its target, so the target ({}) must be below the trigger ({})",
            fmt_ratio(target),
            fmt_ratio(trigger)
        )),
        ProtectionRule::RepayBelow { .. } | ProtectionRule::TopUpBelow { .. }
            if target <= trigger =>
        {
            invalid(format!(
                "it brings the level back up to its target, so the target ({}) must be above the trigger ({})",
                fmt_ratio(target),
                fmt_ratio(trigger)
            ))
        }
        _ => Ok(()),
    }
}

/// Checks a rule against the scenario and the account's other rules.
pub(crate) fn validate(
    cfg: &EngineConfig,
    acc: &Account,
    rule: &ProtectionRule,
) -> Result<(), Rejection> {
    let asset = rule.asset();
    let params = cfg
        .asset(asset)
        .ok_or_else(|| Rejection::UnknownAsset(asset.clone()))?;
    match rule {
        ProtectionRule::RepayBelow { .. } | ProtectionRule::BoostAbove { .. } => {
            need_design(
                cfg,
                CollateralDesign::MultiCollateral,
                "A repay or boost rule",
            )?;
            if !params.borrowable {
                return Err(Rejection::NotBorrowable(asset.clone()));
            }
            check_levels(rule, Decimal::ONE, "the account is liquidated")?;
        }
        ProtectionRule::TopUpBelow { .. } => {
            need_design(
                cfg,
                CollateralDesign::SingleCollateral,
                "A vault top-up rule",
            )?;
            if asset == &cfg.debt_asset {
                return Err(Rejection::NotBorrowable(asset.clone()));
            }
            check_levels(rule, params.liquidation_ratio, "the vault is liquidated")?;
        }
    }
    // A repay and a boost must not undo each other: the boost must stop above the repay trigger,
    // and the repay must stop below the boost trigger.
    for other in acc.automation.rules.values() {
        if other.rule.same_slot(rule) {
            continue;
        }
        let (repay, boost) = match (rule, &other.rule) {
            (r @ ProtectionRule::RepayBelow { .. }, b @ ProtectionRule::BoostAbove { .. })
            | (b @ ProtectionRule::BoostAbove { .. }, r @ ProtectionRule::RepayBelow { .. }) => {
                (r, b)
            }
            _ => continue,
        };
        if repay.target() >= boost.trigger() || boost.target() <= repay.trigger() {
            return invalid(format!(
                "with {} and {}, one rule would undo the other: the repay target must be below the boost trigger, and the boost target above the repay trigger",
                repay.summary(),
                boost.summary()
            ));
        }
    }
    Ok(())
}

/// Sets a rule, replacing one of the same kind on the same asset.
pub(crate) fn set(
    cfg: &EngineConfig,
    _w: &mut World,
    acc: &mut Account,
    rule: &ProtectionRule,
    origin: Origin,
) -> Result<Vec<EventKind>, Rejection> {
    validate(cfg, acc, rule)?;
    let replaced = acc
        .automation
        .rules
        .values()
        .find(|r| r.rule.same_slot(rule))
        .map(|r| r.id);
    match replaced {
        Some(old) => {
            acc.automation.rules.remove(&old);
        }
        None => acc.automation.room()?,
    }
    let id = acc.automation.next_id();
    acc.automation.rules.insert(
        id,
        Rule {
            id,
            rule: rule.clone(),
            origin,
            state: RuleState::Armed,
        },
    );
    Ok(vec![EventKind::RuleSet {
        account: acc.id,
        id,
        rule: rule.clone(),
        origin,
        replaced,
    }])
}

pub(crate) fn clear(acc: &mut Account, id: u64) -> Result<Vec<EventKind>, Rejection> {
    let rule = acc
        .automation
        .rules
        .remove(&id)
        .ok_or(Rejection::UnknownOrder(id))?;
    Ok(vec![EventKind::RuleCleared {
        account: acc.id,
        id,
        rule: rule.rule,
    }])
}

/// The level a rule watches now: the health factor (pooled) or the vault's collateral ratio;
/// `None` when there is no debt (nothing to protect or boost).
pub fn level(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
    rule: &ProtectionRule,
) -> Result<Option<Decimal>, EngineError> {
    match rule {
        ProtectionRule::RepayBelow { .. } | ProtectionRule::BoostAbove { .. } => {
            if acc.debt_scaled.is_empty() {
                return Ok(None);
            }
            Ok(lending_view(cfg, w, acc)?.health_factor())
        }
        ProtectionRule::TopUpBelow { collateral, .. } => match acc.vaults.get(collateral) {
            Some(v) if v.debt_scaled > Decimal::ZERO => {
                Ok(vault_view(cfg, w, collateral, v)?.ratio())
            }
            _ => Ok(None),
        },
    }
}

/// What a rule did this step.
pub(crate) enum Acted {
    /// Its condition does not hold (its state may have re-armed): `account` carries that.
    Idle { account: Option<Account> },
    /// It acted: the new world and account, and the events.
    Done {
        world: Box<World>,
        account: Account,
        events: Vec<EventKind>,
    },
    /// It could not act: the account with the rule's new state, and the event when it is news.
    Blocked {
        account: Account,
        events: Vec<EventKind>,
    },
}

/// Runs rule `id` of `acc` against the prices of the step.
pub(crate) fn run(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
    id: u64,
    now: i64,
) -> Result<Acted, EngineError> {
    let Some(rule) = acc.automation.rules.get(&id).cloned() else {
        return Ok(Acted::Idle { account: None });
    };
    let before = level(cfg, w, acc, &rule.rule)?;
    let holds = match (&rule.rule, before) {
        (_, None) => false,
        (ProtectionRule::BoostAbove { trigger, .. }, Some(l)) => l > *trigger,
        (r, Some(l)) => l < r.trigger(),
    };
    if !holds {
        if rule.state == RuleState::Armed {
            return Ok(Acted::Idle { account: None });
        }
        let mut account = acc.clone();
        if let Some(r) = account.automation.rules.get_mut(&id) {
            r.state = RuleState::Armed;
        }
        return Ok(Acted::Idle {
            account: Some(account),
        });
    }
    let mut world = w.clone();
    let mut account = acc.clone();
    let attempt = match &rule.rule {
        ProtectionRule::RepayBelow { asset, target, .. } => {
            repay(cfg, &mut world, &mut account, asset, *target)
        }
        ProtectionRule::BoostAbove { asset, target, .. } => {
            boost(cfg, &mut world, &mut account, asset, *target)
        }
        ProtectionRule::TopUpBelow {
            collateral, target, ..
        } => top_up(cfg, &mut world, &mut account, collateral, *target),
    }?;
    match attempt {
        Ok((amount, trade)) => {
            let after = level(cfg, &world, &account, &rule.rule)?;
            let reached = match (&rule.rule, after) {
                (_, None) => true,
                (ProtectionRule::BoostAbove { target, .. }, Some(l)) => l <= *target,
                (r, Some(l)) => l >= r.target(),
            };
            let price = world.price(rule.rule.asset());
            let blocked_for = match &rule.state {
                RuleState::Blocked { since, .. } => Some(now - since),
                RuleState::Armed => None,
            };
            if let Some(r) = account.automation.rules.get_mut(&id) {
                r.state = RuleState::Armed;
            }
            let mut events = trade;
            events.push(EventKind::RuleFired {
                account: acc.id,
                id,
                rule: rule.rule.clone(),
                amount,
                value: mul(amount, price)?,
                before,
                after,
                reached_target: reached,
                blocked_secs: blocked_for,
                origin: rule.origin,
            });
            Ok(Acted::Done {
                world: Box::new(world),
                account,
                events,
            })
        }
        Err(reason) => {
            let mut account = acc.clone();
            let news = !matches!(&rule.state, RuleState::Blocked { reason: r, .. } if *r == reason);
            if let Some(r) = account.automation.rules.get_mut(&id) {
                r.state = RuleState::Blocked {
                    since: match &rule.state {
                        RuleState::Blocked { since, .. } => *since,
                        RuleState::Armed => now,
                    },
                    reason: reason.clone(),
                };
            }
            let events = if news {
                vec![EventKind::RuleCouldNotAct {
                    account: acc.id,
                    id,
                    rule: rule.rule.clone(),
                    level: before,
                    reason,
                }]
            } else {
                Vec::new()
            };
            Ok(Acted::Blocked { account, events })
        }
    }
}

/// `Ok(Ok((amount, events)))` when it acted, `Ok(Err(reason))` when it could not.
type Attempt = Result<Result<(Decimal, Vec<EventKind>), String>, EngineError>;

fn repay(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    asset: &AssetId,
    target: Decimal,
) -> Attempt {
    let lv = lending_view(cfg, w, acc)?;
    let needed_value = lv.debt_value - lv.weighted_collateral / target;
    let price = w.price(asset);
    let owed = debt_amount(w, acc, asset);
    if owed <= Decimal::ZERO {
        return Ok(Err(format!(
            "you owe no {asset}, the asset this rule repays"
        )));
    }
    let wallet = acc.wallet(asset);
    if wallet <= Decimal::ZERO {
        return Ok(Err(format!(
            "your wallet holds no {asset} to repay with (you owe {} {asset})",
            fmt_num(owed, 2)
        )));
    }
    let amount = ceil_amount(needed_value / price).min(owed).min(wallet);
    if amount <= Decimal::ZERO {
        return Ok(Err(format!(
            "repaying {asset} cannot lift the health factor (the debt is in other assets)"
        )));
    }
    Ok(
        match lending(cfg, w, acc, LendingAction::Repay, asset, amount) {
            Ok(events) => Ok((amount, events)),
            Err(r) => Err(r.to_string()),
        },
    )
}

fn boost(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    asset: &AssetId,
    target: Decimal,
) -> Attempt {
    let lv = lending_view(cfg, w, acc)?;
    let price = w.price(asset);
    let wanted = lv.weighted_collateral / target - lv.debt_value;
    let room = lv.borrow_limit - lv.debt_value;
    let cash = w.asset(asset)?.cash;
    let amount = floor_amount((wanted.min(room) / price).min(cash).min(MAX_AMOUNT));
    if amount <= Decimal::ZERO {
        return Ok(Err(if floor_amount(room / price) <= Decimal::ZERO {
            "your debt is already at your borrow limit".into()
        } else {
            format!("the {asset} pool has nothing left to lend")
        }));
    }
    Ok(
        match lending(cfg, w, acc, LendingAction::Borrow, asset, amount) {
            Ok(events) => Ok((amount, events)),
            Err(r) => Err(r.to_string()),
        },
    )
}

fn top_up(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    collateral: &AssetId,
    target: Decimal,
) -> Attempt {
    let Some(v) = acc.vaults.get(collateral).cloned() else {
        return Ok(Err(format!("you have no {collateral} vault")));
    };
    let vv = vault_view(cfg, w, collateral, &v)?;
    let price = w.price(collateral);
    let needed = target * vv.debt_value / price - vv.collateral;
    let wallet = acc.wallet(collateral);
    if wallet <= Decimal::ZERO {
        return Ok(Err(format!(
            "your wallet holds no {collateral} to add to the vault"
        )));
    }
    let amount = ceil_amount(needed).min(wallet);
    if amount <= Decimal::ZERO {
        return Ok(Err("the vault needs no collateral".into()));
    }
    Ok(
        match vault(cfg, w, acc, LendingAction::Deposit, collateral, amount) {
            Ok(events) => Ok((amount, events)),
            Err(r) => Err(r.to_string()),
        },
    )
}

fn part(c: Decimal, d: Decimal) -> Decimal {
    let denom = c + d;
    if denom <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    (c - d) / denom
}

/// The account's band for the rule index (the same construction as the liquidation index, see
/// `engine::index`): the largest uniform relative move of every price the rules depend on that
/// cannot make any rule's condition true. A repay or top-up rule is reached from below like a
/// liquidation, with the level `trigger` in place of 1 and an interest budget of [`DRIFT`] (the
/// borrow or fee indices it owes are indexed with their limits); a boost is reached from above
/// (collateral up, debt down) and needs no budget (interest only lowers the health factor).
pub(crate) fn band(cfg: &EngineConfig, w: &World, acc: &Account) -> Result<Band, EngineError> {
    let mut r = MAX_BAND;
    let mut assets = AssetSet::new();
    let mut limits = BandLimits::new();
    let drift = Decimal::ONE + DRIFT;
    for rule in acc.automation.rules.values() {
        match &rule.rule {
            ProtectionRule::RepayBelow { trigger, .. }
            | ProtectionRule::BoostAbove { trigger, .. } => {
                if acc.debt_scaled.is_empty() {
                    continue;
                }
                let lv = lending_view(cfg, w, acc)?;
                let d = lv.debt_value.saturating_mul(*trigger);
                r = r.min(if matches!(rule.rule, ProtectionRule::BoostAbove { .. }) {
                    part(d, lv.weighted_collateral)
                } else {
                    limits_of(
                        w,
                        Accrual::Borrow,
                        DRIFT,
                        acc.debt_scaled.keys(),
                        &mut limits,
                    );
                    part(lv.weighted_collateral, d.saturating_mul(drift))
                });
                assets.extend(acc.collateral_scaled.keys().cloned());
                assets.extend(acc.debt_scaled.keys().cloned());
            }
            ProtectionRule::TopUpBelow {
                collateral,
                trigger,
                ..
            } => {
                let Some(v) = acc
                    .vaults
                    .get(collateral)
                    .filter(|v| v.debt_scaled > Decimal::ZERO)
                else {
                    continue;
                };
                let vv = vault_view(cfg, w, collateral, v)?;
                let d = vv.debt_value.saturating_mul(*trigger).saturating_mul(drift);
                r = r.min(part(vv.collateral_value, d));
                limits_of(
                    w,
                    Accrual::Fee,
                    DRIFT,
                    std::iter::once(collateral),
                    &mut limits,
                );
                assets.insert(collateral.clone());
                assets.insert(cfg.debt_asset.clone());
            }
        }
    }
    if assets.is_empty() {
        return Ok(Band::None);
    }
    if r < MIN_BAND {
        return Ok(Band::Always);
    }
    Ok(Band::Range {
        prices: assets.bands(w, r),
        limits,
    })
}
