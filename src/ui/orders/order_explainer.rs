//! "Orders explained": why a stop, take or limit filled where it did (a gap, the slippage of its
//! size, a liquidation price it beat), why one could not fill, what a protection rule did or why
//! it could not act. Wording only: every figure is a field of an engine event or a recorded price.

use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::orders::{OrderKind, ProtectionRule, StrategyStep};
use crate::engine::{AccountId, Event, EventKind, Side};
use crate::feed::PriceFeed;
use crate::ui::state::use_lab;
use crate::ui::util::format;

/// Events the panel explains.
pub fn explained(kind: &EventKind) -> bool {
    matches!(kind,
        EventKind::OrderFilled { account, .. }
        | EventKind::OrderNotFilled { account, .. }
        | EventKind::RuleFired { account, .. }
        | EventKind::RuleCouldNotAct { account, .. }
        if *account == AccountId::USER)
        || matches!(kind, EventKind::StrategyActed { account, step: StrategyStep::CouldNotAct { .. }, .. } if *account == AccountId::USER)
}

/// A later mark beyond a liquidation price the order beat: `(tick time, mark)`.
pub type LaterCross = Option<(i64, Decimal)>;

/// The title and steps explaining event `seq`; `later` is the first later oracle price beyond
/// the position's old liquidation price, if the recorded prices have one.
pub fn explain(events: &[Event], seq: u64, later: LaterCross) -> Option<(String, Vec<String>)> {
    let event = events.iter().find(|e| e.seq == seq)?;
    let same_step: Vec<&Event> = events.iter().filter(|e| e.time == event.time).collect();
    let liquidated_after = same_step
        .iter()
        .any(|e| e.seq > seq && e.kind.is_liquidation_of(AccountId::USER));
    let when = format::time(event.time);
    let mut steps = Vec::new();
    let title = match &event.kind {
        EventKind::OrderFilled {
            id,
            kind,
            market,
            side,
            size,
            order_price,
            mark_price,
            fill_price,
            slippage,
            gap,
            remaining,
            realized_pnl,
            liquidation_price,
            ..
        } => {
            if *kind == OrderKind::Limit {
                let verb = if *side == Side::Long { "buy" } else { "sell" };
                steps.push(format!(
                    "Your {verb} limit #{id} on {market} rested at {}.",
                    format::price(*order_price)
                ));
                steps.push(format!(
                    "At {when} the mark price traded through it, to {}.",
                    format::price(*mark_price)
                ));
                steps.push(format!(
                    "It filled {} {market} at your price {} — a limit never fills worse than its price.",
                    format::money(*size, 6),
                    format::price(*fill_price)
                ));
                if !remaining.is_zero() {
                    steps.push(format!(
                        "Only that much traded beyond your price in this step (the slippage model: moving the market by a fraction x takes x × depth ÷ price units); {} still rests for the next steps.",
                        format::money(*remaining, 6)
                    ));
                }
                format!("Your {verb} limit #{id} filled at {when}")
            } else {
                let against = |a: Decimal, b: Decimal| match side {
                    Side::Long => a < b,
                    Side::Short => a > b,
                };
                let name = kind.name();
                steps.push(format!(
                    "Your {name} #{id} waited for the mark price of {market} to reach {} (your {side} position).",
                    format::price(*order_price)
                ));
                if gap.is_zero() {
                    steps.push(format!(
                        "At {when} the mark price reached {}.",
                        format::price(*mark_price)
                    ));
                } else {
                    steps.push(format!(
                        "At {when} the mark price was {}: it gapped through the trigger within one step, {} beyond it.",
                        format::price(*mark_price),
                        format::price((*mark_price - *order_price).abs())
                    ));
                }
                let beat_liquidation = *kind == OrderKind::StopLoss
                    && liquidation_price.is_some_and(|l| !against(l, *mark_price));
                if let (true, Some(l)) = (beat_liquidation, liquidation_price) {
                    steps.push(format!(
                        "That was also through your liquidation price {}. Orders act before the liquidation check of the same step, so your stop closed the position first: without it the position would have been liquidated there, paying the liquidation fee.",
                        format::price(*l)
                    ));
                } else if liquidated_after {
                    steps.push("Orders act before the liquidation check of the same step: your stop closed its part first, then the check ran on what was left and liquidated it (see “Liquidation explained”).".into());
                }
                steps.push(format!(
                    "It filled {} {market} at {}: {} lost to the gap and {} to the slippage of its size (a market order moves the price by size × price ÷ depth and pays about half that move).",
                    format::money(*size, 6),
                    format::price(*fill_price),
                    format::money(*gap, 2),
                    format::money(*slippage, 2)
                ));
                steps.push(format!(
                    "Realized PnL: {}.",
                    format::money(*realized_pnl, 2)
                ));
                if let (Some((t, p)), Some(l)) = (later, liquidation_price) {
                    if !beat_liquidation && *kind == OrderKind::StopLoss {
                        steps.push(format!(
                            "Later, at {}, the mark price reached {}, beyond your old liquidation price {}: the stop took you out before that — it saved the position from liquidation.",
                            format::time(t),
                            format::price(p),
                            format::price(*l)
                        ));
                    }
                }
                if gap.is_zero() {
                    format!("Your {name} #{id} filled at {when}")
                } else {
                    format!("Your {name} #{id} fired into a gap at {when} and filled worse than its trigger")
                }
            }
        }
        EventKind::OrderNotFilled {
            id, kind, reason, ..
        } => {
            steps.push(format!("It fired at {when} but could not fill: {reason}."));
            if liquidated_after {
                steps.push("The liquidation engine then took the position in the same step (see “Liquidation explained”).".into());
            }
            format!("Your {} #{id} could not fill", kind.name())
        }
        EventKind::RuleFired {
            id,
            rule,
            amount,
            value,
            before,
            after,
            reached_target,
            blocked_secs,
            ..
        } => {
            let what = match rule {
                ProtectionRule::TopUpBelow { .. } => "vault ratio",
                _ => "health factor",
            };
            steps.push(format!("Your rule #{id}: {}.", rule.summary()));
            steps.push(format!(
                "At {when}, on the oracle price the engine saw, your {what} was {} — past its trigger {}. Rules act before the liquidation check of the same step.",
                format::ratio(*before),
                format::ratio(Some(rule.trigger()))
            ));
            steps.push(match rule {
                ProtectionRule::RepayBelow { asset, .. } => format!(
                    "It repaid {} {asset} from your wallet (cost {}).",
                    format::money(*amount, 6),
                    format::money(*value, 2)
                ),
                ProtectionRule::BoostAbove { asset, .. } => format!(
                    "It borrowed {} {asset} more into your wallet ({} added to your debt).",
                    format::money(*amount, 6),
                    format::money(*value, 2)
                ),
                ProtectionRule::TopUpBelow { collateral, .. } => format!(
                    "It added {} {collateral} from your wallet to the vault (worth {}).",
                    format::money(*amount, 6),
                    format::money(*value, 2)
                ),
            });
            steps.push(format!("Your {what} is now {}.", format::ratio(*after)));
            if !reached_target {
                steps.push(format!(
                    "It could not reach its target {}: your wallet ran short or a limit applied.",
                    format::ratio(Some(rule.target()))
                ));
            }
            if let Some(s) = blocked_secs {
                steps.push(format!(
                    "It had been unable to act for {} hours before.",
                    format::money(Decimal::from(*s) / Decimal::from(3600), 1)
                ));
            }
            format!("Your {} acted at {when}", rule.name())
        }
        EventKind::RuleCouldNotAct {
            id,
            rule,
            level,
            reason,
            ..
        } => {
            steps.push(format!("Your rule #{id}: {}.", rule.summary()));
            steps.push(format!(
                "At {when} its condition held (level {}) but it could not act: {reason}.",
                format::ratio(*level)
            ));
            steps.push("It keeps watching every step and acts as soon as it can; its state in the rules table shows why it is waiting.".into());
            format!("Your {} could not act at {when}", rule.name())
        }
        EventKind::StrategyActed {
            name,
            step:
                StrategyStep::CouldNotAct {
                    reason,
                    retry_after_secs,
                },
            ..
        } => {
            steps.push(format!("It could not act: {reason}."));
            if let Some(s) = retry_after_secs {
                steps.push(format!(
                    "It tries again in {}.",
                    crate::engine::orders::strategy::duration(*s)
                ));
            }
            format!("Strategy \"{name}\" could not act at {when}")
        }
        _ => return None,
    };
    Some((title, steps))
}

#[component]
pub fn OrderExplainer() -> impl IntoView {
    let lab = use_lab();
    let chosen: RwSignal<Option<u64>> = RwSignal::new(None);
    let all = Memo::new(move |_| {
        lab.with(|s| {
            s.engine()
                .events()
                .iter()
                .filter(|e| explained(&e.kind))
                .map(|e| (e.seq, e.time))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    let content = Memo::new(move |_| {
        let list = all.get();
        let seq = chosen
            .get()
            .filter(|c| list.iter().any(|(s, _)| s == c))
            .or_else(|| list.last().map(|(s, _)| *s))?;
        lab.with(|s| {
            let events = s.engine().events();
            let later = later_cross(s, events, seq);
            explain(events, seq, later)
        })
        .flatten()
    });
    view! {
        <Show when=move || !all.get().is_empty()>
            <section class="panel explainer orders" data-testid="order-explainer" aria-labelledby="ord-title">
                <h2 class="panel-title" id="ord-title">"Orders explained"</h2>
                <div class="panel-body">
                    {move || content.get().map(|(title, steps)| view! {
                        <h3 class="sub" data-testid="order-explainer-title">{title}</h3>
                        <ol class="steps" data-testid="order-explainer-steps">{steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ol>
                    })}
                    <div class="row wrap">
                        {move || all.get().into_iter().map(|(seq, time)| view! {
                            <button class="btn small" class:active=move || content.get().is_some() && chosen.get().is_none_or(|c| c == seq)
                                on:click=move |_| chosen.set(Some(seq))>{format::time(time)}</button>
                        }).collect_view()}
                    </div>
                </div>
            </section>
        </Show>
    }
}

/// For a stop fill: the first later recorded oracle price beyond the position's old liquidation
/// price (the stop took the position out before the market got there).
fn later_cross(s: &crate::replay::Session, events: &[Event], seq: u64) -> LaterCross {
    let e = events.iter().find(|e| e.seq == seq)?;
    let EventKind::OrderFilled {
        kind: OrderKind::StopLoss,
        market,
        side,
        liquidation_price: Some(l),
        ..
    } = &e.kind
    else {
        return None;
    };
    let k = s.config().assets.iter().position(|a| &a.id == market)?;
    let series = s.series().oracle.get(k)?;
    let from = s.feed().index_at_time(e.time) + 1;
    series
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, p)| match side {
            Side::Long => *p <= l,
            Side::Short => *p >= l,
        })
        .and_then(|(i, p)| Some((s.feed().time(i)?, *p)))
}
