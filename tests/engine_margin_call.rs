#![cfg(not(target_arch = "wasm32"))]
//! A broker's margin call (`liquidation/margin_call.rs`, `system/broker.rs`): issued below
//! maintenance with a deadline, met by a deposit, a repayment or prices, missed (then a forced
//! sale at the deadline), or skipped below the hard floor (a sale at once); and the portfolio
//! margin requirement over its stress grid.

use margin_lab::engine::system::broker::margin_call_terms;
use margin_lab::engine::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

const DAY: i64 = 86_400;
const ME: AccountId = AccountId::USER;

fn a(t: &str) -> AssetId {
    AssetId::new(t)
}

/// The Reg T broker: 4 SPX (4,500 each) deposited, 7,650 USD borrowed — the most Reg T allows
/// after the 15% haircut (18,000 × 0.85 × 50%). Health 18,000 × 0.85 × 0.70 / 7,650 = 1.4.
fn levered(preset: PresetId) -> Engine {
    let mut e = Engine::new(preset.config()).unwrap();
    e.apply(
        ME,
        Command::Deposit {
            asset: a("SPX"),
            amount: dec!(4),
        },
    )
    .unwrap();
    let limit = e.account_metrics(&ME).unwrap().borrow_limit;
    e.apply(
        ME,
        Command::Borrow {
            asset: a("USD"),
            amount: limit,
        },
    )
    .unwrap();
    e
}

fn spx(p: Decimal) -> BTreeMap<AssetId, Decimal> {
    BTreeMap::from([(a("SPX"), p)])
}

fn kinds(events: &[Event]) -> Vec<&EventKind> {
    events.iter().map(|e| &e.kind).collect()
}

fn count(events: &[Event], f: impl Fn(&EventKind) -> bool) -> usize {
    events.iter().filter(|e| f(&e.kind)).count()
}

#[test]
fn reg_t_terms_and_the_first_borrow() {
    let e = levered(PresetId::Broker);
    let m = e.account_metrics(&ME).unwrap();
    // TC0: Reg T on the haircut value: 18,000 × 0.85 × 50% lent, 70% counted for maintenance.
    assert_eq!(m.debt_value, dec!(7650));
    assert_eq!(m.weighted_collateral, dec!(10710));
    assert_eq!(m.health_factor, Some(dec!(1.4)));
    let line = &m.collateral[0];
    assert_eq!(
        (line.haircut, line.ltv, line.liquidation_threshold),
        (dec!(0.15), dec!(0.5), dec!(0.7))
    );
    // TC1: the terms the preset states.
    let t = margin_call_terms();
    assert_eq!(
        (t.cure_secs, t.hard_floor, t.sale_fee),
        (2 * DAY, dec!(0.10), dec!(0.005))
    );
}

/// What happens over a cure period: (what the learner does at 1 day, SPX price at 1 day,
/// SPX price at the deadline, expect met, expect a forced sale).
#[derive(Debug)]
enum Cure {
    Nothing,
    Deposit(Decimal),
    Repay(Decimal),
}

#[test]
fn margin_call_deadline_table() {
    let cases = [
        // TC0: nothing done, prices stay down: missed at the deadline, then a forced sale.
        (Cure::Nothing, dec!(3000), dec!(3000), false, true),
        // TC1: a cash deposit that covers the deficit before the deadline: met at once.
        (
            Cure::Deposit(dec!(700)),
            dec!(3000),
            dec!(3000),
            true,
            false,
        ),
        // TC2: a repayment that covers it: met at once.
        (Cure::Repay(dec!(700)), dec!(3000), dec!(3000), true, false),
        // TC3: a deposit too small: still missed.
        (
            Cure::Deposit(dec!(100)),
            dec!(3000),
            dec!(3000),
            false,
            true,
        ),
        // TC4: nothing done but prices recover before the deadline: met at the deadline.
        (Cure::Nothing, dec!(3000), dec!(3600), true, false),
    ];
    for (k, (cure, p1, p2, met, sold)) in cases.into_iter().enumerate() {
        let mut e = levered(PresetId::Broker);
        // SPX falls to 3,000: health 4 × 3,000 × 0.595 / 7,650 ≈ 0.93, equity 36% of value.
        let issued = e.step(3600, &spx(dec!(3000))).unwrap();
        let call = issued.iter().find_map(|ev| match &ev.kind {
            EventKind::MarginCallIssued {
                deadline, deficit, ..
            } => Some((*deadline, *deficit)),
            _ => None,
        });
        let (deadline, deficit) = call.unwrap_or_else(|| panic!("TC{k}: no call"));
        assert_eq!(deadline, 3600 + 2 * DAY, "TC{k}");
        let m = e.account_metrics(&ME).unwrap();
        assert_eq!(deficit, m.debt_value - m.weighted_collateral, "TC{k}");
        assert!(
            deficit > dec!(500) && deficit < dec!(520),
            "TC{k}: {deficit}"
        );
        assert_eq!(count(&issued, |x| x.is_liquidation_of(ME)), 0, "TC{k}");
        // A day later: the learner acts.
        e.step(3600 + DAY, &spx(p1)).unwrap();
        let acted = match cure {
            Cure::Nothing => Vec::new(),
            Cure::Deposit(x) => e
                .apply(
                    ME,
                    Command::Deposit {
                        asset: a("USD"),
                        amount: x,
                    },
                )
                .unwrap(),
            Cure::Repay(x) => e
                .apply(
                    ME,
                    Command::Repay {
                        asset: a("USD"),
                        amount: x,
                    },
                )
                .unwrap(),
        };
        let met_now = count(&acted, |x| matches!(x, EventKind::MarginCallMet { .. }));
        // One second before the deadline nothing is sold whatever happened.
        let before = e.step(deadline - 1, &spx(p2)).unwrap();
        assert_eq!(
            count(&before, |x| x.is_liquidation_of(ME)),
            0,
            "TC{k}: {:?}",
            kinds(&before)
        );
        let at = e.step(deadline, &spx(p2)).unwrap();
        let met_later = count(&at, |x| matches!(x, EventKind::MarginCallMet { .. }));
        let missed = count(&at, |x| matches!(x, EventKind::MarginCallMissed { .. }));
        let sales = count(&at, |x| {
            matches!(x, EventKind::MarginCallForcedSale { .. }) || x.is_liquidation_of(ME)
        });
        assert_eq!(met_now + met_later == 1, met, "TC{k}: met");
        assert_eq!(missed == 1, sold, "TC{k}: missed");
        assert_eq!(sales > 0, sold, "TC{k}: sold {:?}", kinds(&at));
        assert!(e.margin_call(&ME).is_none(), "TC{k}: the call is closed");
        // The credit record counts it at the next step (reviews come before liquidation checks).
        e.step(deadline + 60, &spx(p2)).unwrap();
        let rec = e.account(&ME).unwrap().credit.clone().unwrap();
        assert_eq!(
            (rec.calls_met, rec.calls_missed),
            (met as u32, sold as u32),
            "TC{k}"
        );
        if sold {
            // The sale restores the initial requirement: the debt equals the borrow limit, so
            // health is LT / LTV = 0.7 / 0.5 (before the credit review that follows it, which
            // then tightens the account's tier); it pays the broker 0.5% of what it sold and
            // moves the market.
            let (sold_value, fee, after) = at
                .iter()
                .find_map(|ev| match &ev.kind {
                    EventKind::MarginCallForcedSale {
                        sold_value,
                        fee,
                        health_after,
                        ..
                    } => Some((*sold_value, *fee, *health_after)),
                    _ => None,
                })
                .unwrap();
            assert!(
                (after.unwrap() - dec!(1.4)).abs() < dec!(0.000001),
                "TC{k}: {after:?}"
            );
            assert_eq!(rec.liquidations, 0, "TC{k}: counted as the missed call");
            assert!(
                (fee - sold_value * dec!(0.005)).abs() < dec!(0.000001),
                "TC{k}"
            );
            assert!(
                count(&at, |x| matches!(x, EventKind::MarketImpact { .. })) > 0,
                "TC{k}"
            );
            for r in e
                .conservation_residual()
                .expect("conservation is computable")
                .values()
            {
                assert!(r.abs() < dec!(0.0001), "TC{k}: residual {r}");
            }
        }
    }
}

#[test]
fn below_the_hard_floor_the_broker_sells_at_once() {
    let mut e = levered(PresetId::Broker);
    // TC0: SPX at 2,000: equity 8,000 − 7,650 = 4.4% of value, below the 10% floor.
    let ev = e.step(3600, &spx(dec!(2000))).unwrap();
    assert_eq!(
        count(&ev, |x| matches!(x, EventKind::MarginCallIssued { .. })),
        0
    );
    let reason = ev
        .iter()
        .find_map(|x| match &x.kind {
            EventKind::MarginCallForcedSale { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .expect("a forced sale");
    assert!(reason.contains("hard floor"), "{reason}");
    // TC1: sold just enough for the initial requirement: debt equals the borrow limit, health
    // LT / LTV = 1.4, some collateral left.
    let after = ev
        .iter()
        .find_map(|x| match &x.kind {
            EventKind::MarginCallForcedSale { health_after, .. } => *health_after,
            _ => None,
        })
        .unwrap();
    assert!((after - dec!(1.4)).abs() < dec!(0.000001), "{after}");
    assert!(e.account_metrics(&ME).unwrap().collateral_value > Decimal::ZERO);
    // TC2: a liquidation counts against the credit score (at the next step's review).
    e.step(7200, &spx(dec!(2000))).unwrap();
    assert_eq!(
        e.account(&ME)
            .unwrap()
            .credit
            .as_ref()
            .unwrap()
            .liquidations,
        1
    );
}

#[test]
fn a_deeper_gap_sells_everything_and_records_the_shortfall() {
    let mut e = levered(PresetId::Broker);
    // SPX at 1,500: 6,000 of value against 7,650 of debt.
    let ev = e.step(3600, &spx(dec!(1500))).unwrap();
    let bad: Decimal = ev
        .iter()
        .filter_map(|x| match &x.kind {
            EventKind::BadDebt { amount, .. } => Some(*amount),
            _ => None,
        })
        .sum();
    // 6,000 × 0.995 repaid; the rest (plus an hour's interest) is an unsecured debit.
    let debt = dec!(7650) * (Decimal::ONE + dec!(0.08) * dec!(3600) / dec!(31536000));
    assert!((bad - (debt - dec!(5970))).abs() < dec!(0.01), "{bad}");
    assert!(e.account(&ME).unwrap().collateral_scaled.is_empty());
    for r in e
        .conservation_residual()
        .expect("conservation is computable")
        .values()
    {
        assert!(r.abs() < dec!(0.0001));
    }
}

#[test]
fn portfolio_margin_is_the_worst_loss_over_the_grid() {
    let mut e = Engine::new(PresetId::BrokerPortfolio.config()).unwrap();
    let (spx_p, eth_p) = (dec!(4500), dec!(3000));
    e.apply(
        ME,
        Command::Deposit {
            asset: a("SPX"),
            amount: dec!(4),
        },
    )
    .unwrap();
    e.apply(
        ME,
        Command::Deposit {
            asset: a("ETH"),
            amount: dec!(5),
        },
    )
    .unwrap();
    let world_req = |e: &Engine| {
        let m = e.account_metrics(&ME).unwrap();
        (
            m.collateral_value - m.weighted_collateral,
            m.collateral_value - m.borrow_limit,
        )
    };
    // TC0: long only: each class loses its range at −15% (−20% for new borrowing).
    let long = dec!(4) * spx_p + dec!(5) * eth_p;
    assert_eq!(world_req(&e), (long * dec!(0.15), long * dec!(0.20)));
    // TC1: borrowing USD adds nothing (cash does not move in the grid).
    e.apply(
        ME,
        Command::Borrow {
            asset: a("USD"),
            amount: dec!(5000),
        },
    )
    .unwrap();
    assert_eq!(world_req(&e).0, long * dec!(0.15));
    // TC2: health is (collateral − requirement) / debt.
    let m = e.account_metrics(&ME).unwrap();
    assert_eq!(
        m.health_factor,
        Some((m.collateral_value - long * dec!(0.15)) / dec!(5000))
    );
    // TC3: liquidatable exactly when equity falls below the requirement: a margin call.
    let ev = e
        .step(
            3600,
            // 4 × 750 + 5 × 560 = 5,800 of value: equity 800 (13.8%, above the hard floor) is
            // below the 870 the grid requires.
            &BTreeMap::from([(a("SPX"), dec!(750)), (a("ETH"), dec!(560))]),
        )
        .unwrap();
    let m = e.account_metrics(&ME).unwrap();
    let equity = m.collateral_value - m.debt_value;
    let req = m.collateral_value - m.weighted_collateral;
    assert!(equity < req);
    assert_eq!(
        count(&ev, |x| matches!(x, EventKind::MarginCallIssued { .. })),
        1
    );
}

#[test]
fn margin_calls_need_pooled_accounts_and_the_current_rules() {
    // TC0: a vault design cannot carry a margin call.
    let mut cfg = PresetId::Broker.config();
    cfg.design = CollateralDesign::SingleCollateral;
    assert!(Engine::new(cfg).is_err());
    // TC1: the 2026-11 rules have no broker preset.
    assert!(!PresetId::Broker.exists_in(RulesVersion::V2026_11));
    assert!(!PresetId::BrokerPortfolio.exists_in(RulesVersion::V2026_11));
    // TC2: nonsense terms are refused with the parameter named.
    let mut cfg = PresetId::Broker.config();
    cfg.liquidation = LiquidationKind::MarginCall(MarginCallParams {
        cure_secs: -1,
        ..margin_call_terms()
    });
    let err = Engine::new(cfg).unwrap_err().to_string();
    assert!(err.contains("cure period"), "{err}");
}
