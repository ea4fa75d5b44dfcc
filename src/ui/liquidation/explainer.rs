use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::margin::MARGIN_RATIO_CAP;
use crate::engine::{AccountId, Event, EventKind};
use crate::ui::state::use_lab;
use crate::ui::util::format;

/// Builds the explanation of liquidation event `seq` from it and the events of the same step.
/// Wording only: every figure is a field of an engine event.
pub fn explain(events: &[Event], seq: u64) -> Option<(String, Vec<String>)> {
    let event = events.iter().find(|e| e.seq == seq)?;
    let same_step: Vec<&Event> = events.iter().filter(|e| e.time == event.time).collect();
    let mut steps = Vec::new();
    let price_line = |asset: &crate::engine::AssetId| {
        same_step.iter().find_map(|e| match &e.kind {
            EventKind::PricesObserved { prices } => {
                prices.iter().find(|p| &p.asset == asset).map(|p| {
                    format!(
                        "Trigger: the oracle price of {} was {} (market {}){}.",
                        p.asset,
                        format::price(p.oracle),
                        format::price(p.market),
                        if p.stale {
                            ", and the oracle was stale"
                        } else {
                            ""
                        }
                    )
                })
            }
            _ => None,
        })
    };
    let title = match &event.kind {
        EventKind::Liquidated {
            mechanism,
            vault,
            debt_asset,
            debt_repaid,
            collateral_asset,
            collateral_seized,
            price_used,
            penalty_value,
            receiver,
            returned_to_owner,
            health_before,
            health_after,
            bad_debt,
            ..
        } => {
            steps.extend(price_line(collateral_asset));
            steps.push(match vault {
                Some(v) => format!(
                    "Your {v} vault's collateral ratio fell to {}, below its liquidation ratio: the vault could be liquidated.",
                    health_before.map(format::pct).unwrap_or_else(|| "∞".into())
                ),
                None => format!(
                    "Your health factor fell to {}, below 1.00: the position could be liquidated.",
                    format::ratio(*health_before)
                ),
            });
            steps.push(format!("Mechanism: {mechanism}."));
            steps.push(format!(
                "Debt repaid for you: {} {debt_asset}.",
                format::money(*debt_repaid, 2)
            ));
            steps.push(format!(
                "Collateral taken: {} {collateral_asset} at {} = {} {debt_asset}, received by {receiver}.",
                format::money(*collateral_seized, 6),
                format::price(*price_used),
                format::money(*collateral_seized * *price_used, 2)
            ));
            steps.push(format!(
                "Penalty / liquidation bonus you paid: {} {debt_asset}.",
                format::money(*penalty_value, 2)
            ));
            if !returned_to_owner.is_zero() {
                steps.push(format!(
                    "Returned to you: {} {collateral_asset}.",
                    format::money(*returned_to_owner, 6)
                ));
            }
            steps.push(match vault {
                Some(_) => format!(
                    "Collateral ratio after: {}.",
                    health_after
                        .map(format::pct)
                        .unwrap_or_else(|| "closed".into())
                ),
                None => format!("Health after: {}.", format::ratio(*health_after)),
            });
            if !bad_debt.is_zero() {
                steps.push(format!("Bad debt left: {} {debt_asset} — debt no collateral covers; the protocol records it.", format::money(*bad_debt, 2)));
            }
            format!(
                "Liquidation of your {}",
                vault
                    .as_ref()
                    .map(|v| format!("{v} vault"))
                    .unwrap_or_else(|| "account".into())
            )
        }
        EventKind::PositionLiquidated {
            market,
            side,
            mode,
            size,
            mark_price,
            bankruptcy_price,
            margin_ratio_before,
            fee_to_insurance,
            insurance_used,
            covered_by_adl,
            returned_to_owner,
            bad_debt,
            ..
        } => {
            steps.extend(price_line(market));
            steps.push(if *margin_ratio_before >= MARGIN_RATIO_CAP {
                "Your equity was gone: the price jumped past the bankruptcy price within one step, \
                 so the margin ratio (maintenance margin ÷ equity) went beyond 100%, where positions are liquidated."
                    .to_string()
            } else {
                format!(
                    "Your margin ratio (maintenance margin ÷ equity) reached {}: at 100% the position is liquidated.",
                    format::pct(*margin_ratio_before)
                )
            });

            steps.push(format!(
                "Position closed: {side} {} {market} ({mode}) at the mark price {}.",
                format::money(*size, 4),
                format::price(*mark_price)
            ));
            steps.push(format!(
                "Bankruptcy price (where your margin is gone): {}.",
                format::price(*bankruptcy_price)
            ));
            steps.push(format!(
                "Liquidation fee to the insurance fund: {}.",
                format::money(*fee_to_insurance, 2)
            ));
            if !returned_to_owner.is_zero() {
                steps.push(format!(
                    "Margin returned to you: {}.",
                    format::money(*returned_to_owner, 2)
                ));
            }
            if !insurance_used.is_zero() {
                steps.push(format!(
                    "The insurance fund covered a loss beyond your margin: {}.",
                    format::money(*insurance_used, 2)
                ));
            }
            if !covered_by_adl.is_zero() {
                steps.push(format!("The fund was short, so auto-deleveraging closed profitable opposite positions for {}.", format::money(*covered_by_adl, 2)));
            }
            if !bad_debt.is_zero() {
                steps.push(format!("Bad debt left: {}.", format::money(*bad_debt, 2)));
            }
            format!("Liquidation of your {side} {market} position")
        }
        EventKind::AuctionStarted {
            id,
            collateral,
            lot,
            tab,
            start_price,
            collateral_ratio,
            debt,
            oracle_price,
            ..
        } => {
            steps.extend(price_line(collateral));
            steps.push(format!(
                "Your {collateral} vault's collateral ratio was {}, below its minimum: the whole vault was taken (Maker Liquidations 2.0).",
                collateral_ratio.map(format::pct).unwrap_or_else(|| "∞".into())
            ));
            steps.push(format!(
                "Dutch auction #{id}: {} {collateral} (worth {} at the oracle {}) for sale, starting at {} and falling over time.",
                format::money(*lot, 6),
                format::money(*lot * *oracle_price, 2),
                format::price(*oracle_price),
                format::price(*start_price)
            ));
            steps.push(format!(
                "It must raise {}: your debt {} plus the liquidation penalty {}.",
                format::money(*tab, 2),
                format::money(*debt, 2),
                format::money(*tab - *debt, 2)
            ));
            // The auction's later steps: keepers' purchases, resets and the end.
            for e in events.iter().filter(|e| e.seq > seq) {
                match &e.kind {
                    EventKind::AuctionTake { id: i, .. }
                    | EventKind::AuctionReset { id: i, .. }
                    | EventKind::AuctionEnded { id: i, .. }
                        if i == id =>
                    {
                        steps.push(format!("{}: {}", format::time(e.time), e.describe()))
                    }
                    _ => {}
                }
            }
            format!("Auction of your {collateral} vault")
        }
        _ => return None,
    };

    // Who gained what from it (the current rules log each party's share right after).
    if let Some(shares) = events
        .iter()
        .filter(|e| e.seq > seq && e.time == event.time)
        .find_map(|e| match &e.kind {
            EventKind::LiquidationShares { account, shares } if *account == AccountId::USER => {
                Some(shares)
            }
            _ => None,
        })
    {
        let parts: Vec<String> = shares
            .iter()
            .map(|x| {
                format!(
                    "{} {} {} (worth {})",
                    x.party.name(),
                    format::money(x.amount, 6),
                    x.asset,
                    format::money(x.value, 2)
                )
            })
            .collect();
        steps.push(format!(
            "Who gained what from what you lost beyond the debt repaid: {}.",
            parts.join("; ")
        ));
    }
    for e in &same_step {
        match &e.kind {
            EventKind::RecoveryMode { .. } | EventKind::KeeperIncentive { .. } => {
                steps.push(e.describe())
            }
            EventKind::MarketImpact { .. }
            | EventKind::AutoDeleveraged { .. }
            | EventKind::Redistributed { .. } => steps.push(e.describe()),
            EventKind::BadDebt { account, .. } if *account == AccountId::USER => {
                steps.push(e.describe())
            }
            // Orders and rules act before the liquidation check of the same step (`orders`).
            EventKind::OrderFilled { account, .. } | EventKind::OrderNotFilled { account, .. }
                if *account == AccountId::USER && e.seq < seq =>
            {
                steps.push(format!(
                    "Before this liquidation, in the same step (orders act first): {}",
                    e.describe()
                ))
            }
            _ => {}
        }
    }
    Some((format!("{title} at {}", format::time(event.time)), steps))
}

#[component]
pub fn LiquidationExplainer() -> impl IntoView {
    let lab = use_lab();
    let content = Memo::new(move |_| {
        let seq = lab.explained.get()?;
        lab.with(|s| explain(s.engine().events(), seq)).flatten()
    });
    let all = Memo::new(move |_| {
        lab.with(|s| {
            s.engine()
                .events()
                .iter()
                .filter_map(|e| {
                    e.kind
                        .liquidation_summary(AccountId::USER)
                        .map(|l| (e.seq, e.time, l))
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    let total_cost = move || all.get().iter().map(|(_, _, l)| l.penalty).sum::<Decimal>();
    view! {
        <Show when=move || !all.get().is_empty()>
            <section class="panel explainer" data-testid="liquidation-explainer" aria-labelledby="liq-title">
                <h2 class="panel-title" id="liq-title">"Liquidation explained"</h2>
                <div class="panel-body">
                    {move || content.get().map(|(title, steps)| view! {
                        <h3 class="sub danger-text">{title}</h3>
                        <ol class="steps">{steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ol>
                    })}
                    <p class="small">
                        {move || format!("{} liquidation(s) so far; penalties and fees paid: {}.", all.get().len(), format::money(total_cost(), 2))}
                    </p>
                    <div class="row wrap">
                        {move || all.get().into_iter().map(|(seq, time, _)| view! {
                            <button class="btn small" class:active=move || lab.explained.get() == Some(seq)
                                on:click=move |_| lab.explained.set(Some(seq))>{format::time(time)}</button>
                        }).collect_view()}
                    </div>
                </div>
            </section>
        </Show>
    }
}
