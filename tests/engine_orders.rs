#![cfg(not(target_arch = "wasm32"))]
//! Perp orders against hand-computed examples: stop-loss, take-profit and limit orders, gaps
//! through the trigger, a stop and a liquidation in the same step (both orders of events),
//! partial fills under the slippage model, amendments, cancellations and refusals.
//!
//! The engine is the perps preset (Binance-style, 2026-12 rules) made exact: instant oracle, no
//! funding, and ETH infinitely deep unless a test gives it a depth. A 5× isolated long of 10 ETH
//! at 3,000 has margin 6,000, maintenance 0.4 % (first Binance tier), liquidation price
//! `(6,000 − 30,000) / (10 × 0.004 − 10) = 2,409.64` and bankruptcy price 2,400.

use margin_lab::engine::orders::{CancelReason, OrderKind, OrderRequest};
use margin_lab::engine::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

fn a(t: &str) -> AssetId {
    AssetId::new(t)
}

const ME: AccountId = AccountId::USER;

/// Instant oracle, no funding, no interest; ETH's market depth as given.
fn exact(mut cfg: EngineConfig, eth_depth: Option<Decimal>) -> EngineConfig {
    for x in &mut cfg.assets {
        x.oracle = OracleSpec::Instant;
        x.rate = RateModel::zero();
        x.stability_fee = Decimal::ZERO;
        if let Some(p) = &mut x.perp {
            p.funding_cap = Decimal::ZERO;
        }
        if x.id.as_str() == "ETH" {
            x.market_depth = eth_depth;
        }
    }
    cfg
}

fn perps(depth: Option<Decimal>) -> Engine {
    Engine::new(exact(PresetId::PerpExchange.config(), depth)).unwrap()
}

fn open(e: &mut Engine, side: Side, size: Decimal) {
    e.apply(
        ME,
        Command::OpenPosition {
            market: a("ETH"),
            side,
            size,
            leverage: dec!(5),
            mode: MarginMode::Isolated,
        },
    )
    .unwrap();
}

fn place(e: &mut Engine, order: OrderRequest) -> Result<Vec<Event>, Rejection> {
    e.apply(ME, Command::PlaceOrder { order })
}

fn stop(trigger: Decimal, size: Option<Decimal>) -> OrderRequest {
    OrderRequest::StopLoss {
        market: a("ETH"),
        trigger,
        size,
    }
}

fn take(trigger: Decimal) -> OrderRequest {
    OrderRequest::TakeProfit {
        market: a("ETH"),
        trigger,
        size: None,
    }
}

fn limit(side: Side, size: Decimal, price: Decimal) -> OrderRequest {
    OrderRequest::Limit {
        market: a("ETH"),
        side,
        size,
        price,
        leverage: dec!(5),
        mode: MarginMode::Isolated,
    }
}

fn step(e: &mut Engine, t: i64, eth: Decimal) -> Vec<Event> {
    let now = e.now() + t;
    e.step(now, &BTreeMap::from([(a("ETH"), eth)])).unwrap()
}

/// (fill price, size, gap, slippage, realized PnL, remaining) of the step's fills.
fn fills(events: &[Event]) -> Vec<(Decimal, Decimal, Decimal, Decimal, Decimal, Decimal)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::OrderFilled {
                fill_price,
                size,
                gap,
                slippage,
                realized_pnl,
                remaining,
                ..
            } => Some((
                *fill_price,
                *size,
                *gap,
                *slippage,
                *realized_pnl,
                *remaining,
            )),
            _ => None,
        })
        .collect()
}

fn seq_of(events: &[Event], pick: impl Fn(&EventKind) -> bool) -> Option<u64> {
    events.iter().find(|e| pick(&e.kind)).map(|e| e.seq)
}

/// The learner's ETH position (panics if there is none).
fn eth_position(e: &Engine) -> Position {
    e.account(&ME)
        .unwrap()
        .positions
        .get(&a("ETH"))
        .expect("the ETH position")
        .clone()
}

fn conserved(e: &Engine) {
    for (asset, r) in e
        .conservation_residual()
        .expect("every vault can be valued")
    {
        assert!(r.abs() < dec!(0.000001), "{asset}: residual {r}");
    }
}

#[test]
fn stop_loss_and_take_profit_fill_at_the_price_reached() {
    // (side, order, step price, fill price, gap, realized PnL)
    let cases = [
        // TC0: a long's stop at 2,700, the mark reaches it exactly: fills at 2,700.
        (
            Side::Long,
            stop(dec!(2700), None),
            dec!(2700),
            dec!(2700),
            dec!(0),
            dec!(-3000),
        ),
        // TC1: a gap through the stop to 2,500 (above the liquidation price): fills at 2,500,
        // 200 × 10 = 2,000 worse than its trigger.
        (
            Side::Long,
            stop(dec!(2700), None),
            dec!(2500),
            dec!(2500),
            dec!(2000),
            dec!(-5000),
        ),
        // TC2: a short's stop at 3,300, gap to 3,400.
        (
            Side::Short,
            stop(dec!(3300), None),
            dec!(3400),
            dec!(3400),
            dec!(1000),
            dec!(-4000),
        ),
        // TC3: a long's take at 3,300, the mark jumps to 3,350: a gap in the trader's favour
        // fills better (no gap cost).
        (
            Side::Long,
            take(dec!(3300)),
            dec!(3350),
            dec!(3350),
            dec!(0),
            dec!(3500),
        ),
        // TC4: a short's take at 2,700, the mark falls to 2,650.
        (
            Side::Short,
            take(dec!(2700)),
            dec!(2650),
            dec!(2650),
            dec!(0),
            dec!(3500),
        ),
    ];
    for (i, (side, order, price, fill, gap, pnl)) in cases.into_iter().enumerate() {
        let mut e = perps(None);
        open(&mut e, side, dec!(10));
        place(&mut e, order).unwrap();
        let evs = step(&mut e, 3600, price);
        assert_eq!(
            fills(&evs),
            vec![(fill, dec!(10), gap, dec!(0), pnl, dec!(0))],
            "TC{i}"
        );
        assert!(e.account(&ME).unwrap().positions.is_empty(), "TC{i}");
        assert!(
            e.account(&ME).unwrap().automation.orders.is_empty(),
            "TC{i}"
        );
        conserved(&e);
    }
}

#[test]
fn orders_do_not_fire_before_their_price() {
    // TC0: the long's stop at 2,700 and take at 3,300 rest while the mark stays between them.
    let mut e = perps(None);
    open(&mut e, Side::Long, dec!(10));
    place(&mut e, stop(dec!(2700), None)).unwrap();
    place(&mut e, take(dec!(3300))).unwrap();
    for p in [dec!(2800), dec!(3200), dec!(2700.01), dec!(3299.99)] {
        let evs = step(&mut e, 3600, p);
        assert!(fills(&evs).is_empty(), "at {p}");
    }
    assert_eq!(e.account(&ME).unwrap().automation.orders.len(), 2);
    // TC1: the stop fires; the take, left without its position, is cancelled in the same step.
    let evs = step(&mut e, 3600, dec!(2650));
    assert_eq!(fills(&evs).len(), 1);
    assert!(evs.iter().any(|x| matches!(
        x.kind,
        EventKind::OrderCancelled {
            kind: OrderKind::TakeProfit,
            reason: CancelReason::PositionClosed,
            ..
        }
    )));
    assert!(e.account(&ME).unwrap().automation.orders.is_empty());
}

/// A stop and a liquidation in the same step: the stop acts first (orders run after the prices
/// are observed and before the liquidation checks).
#[test]
fn stop_and_liquidation_in_the_same_step() {
    let liquidated =
        |evs: &[Event]| seq_of(evs, |k| matches!(k, EventKind::PositionLiquidated { .. }));
    let filled = |evs: &[Event]| seq_of(evs, |k| matches!(k, EventKind::OrderFilled { .. }));

    // TC0: control, no stop: a gap to 2,405 (below the liquidation price 2,409.64, above the
    // bankruptcy price 2,400) liquidates the long; the 50 of equity left goes in the fee.
    let mut e = perps(None);
    open(&mut e, Side::Long, dec!(10));
    let evs = step(&mut e, 3600, dec!(2405));
    assert!(liquidated(&evs).is_some());
    assert_eq!(e.account(&ME).unwrap().wallet(&a("USDC")), dec!(4000));

    // TC1: the same gap with a stop at 2,700: the stop fills first, at 2,405 (2,950 worse than
    // its trigger), the position is gone before the liquidation check, and the 50 left is the
    // owner's: the stop saved it from the liquidation fee.
    let mut e = perps(None);
    open(&mut e, Side::Long, dec!(10));
    place(&mut e, stop(dec!(2700), None)).unwrap();
    let evs = step(&mut e, 3600, dec!(2405));
    assert_eq!(
        fills(&evs),
        vec![(
            dec!(2405),
            dec!(10),
            dec!(2950),
            dec!(0),
            dec!(-5950),
            dec!(0)
        )]
    );
    assert_eq!(liquidated(&evs), None);
    assert_eq!(e.account(&ME).unwrap().wallet(&a("USDC")), dec!(4050));
    let liq_at_fill = evs.iter().find_map(|x| match &x.kind {
        EventKind::OrderFilled {
            liquidation_price, ..
        } => *liquidation_price,
        _ => None,
    });
    assert_eq!(liq_at_fill.map(|l| l.round_dp(2)), Some(dec!(2409.64)));
    conserved(&e);

    // TC2: a partial stop (4 of 10 ETH) in the same gap: it fills first (realizing
    // 4 × −595 = −2,380 and releasing 40 % of the margin, 20 paid out), then the liquidation
    // check runs on what is left (6 ETH, equity 30 below maintenance 57.72) and liquidates it.
    let mut e = perps(None);
    open(&mut e, Side::Long, dec!(10));
    place(&mut e, stop(dec!(2700), Some(dec!(4)))).unwrap();
    let evs = step(&mut e, 3600, dec!(2405));
    assert_eq!(
        fills(&evs),
        vec![(
            dec!(2405),
            dec!(4),
            dec!(1180),
            dec!(0),
            dec!(-2380),
            dec!(0)
        )]
    );
    assert!(filled(&evs).unwrap() < liquidated(&evs).unwrap());
    assert!(e.account(&ME).unwrap().positions.is_empty());
    conserved(&e);

    // TC3: a gap past the bankruptcy price (2,300): the loss (7,000) exceeds the margin, so the
    // stop cannot close the position; it says why, then the liquidation engine takes it.
    let mut e = perps(None);
    open(&mut e, Side::Long, dec!(10));
    place(&mut e, stop(dec!(2700), None)).unwrap();
    place(&mut e, take(dec!(3300))).unwrap();
    let evs = step(&mut e, 3600, dec!(2300));
    let not_filled = seq_of(&evs, |k| matches!(k, EventKind::OrderNotFilled { .. })).unwrap();
    assert!(not_filled < liquidated(&evs).unwrap());
    let reason = evs
        .iter()
        .find_map(|x| match &x.kind {
            EventKind::OrderNotFilled { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .unwrap();
    assert!(reason.contains("bankruptcy"), "{reason}");
    // The take, left without a position by the liquidation, is cancelled after it.
    let cancelled = seq_of(&evs, |k| {
        matches!(
            k,
            EventKind::OrderCancelled {
                kind: OrderKind::TakeProfit,
                reason: CancelReason::PositionClosed,
                ..
            }
        )
    })
    .unwrap();
    assert!(cancelled > liquidated(&evs).unwrap());
    assert!(e.account(&ME).unwrap().automation.is_empty());
    conserved(&e);

    // TC4: a stop beyond the liquidation price (2,380, below 2,409.64): the mark at 2,405 does
    // not reach it, the liquidation takes the position, and the stop is cancelled after.
    let mut e = perps(None);
    open(&mut e, Side::Long, dec!(10));
    let placed = place(&mut e, stop(dec!(2380), None)).unwrap();
    assert!(placed[0].describe().contains("liquidated before it fires"));
    let evs = step(&mut e, 3600, dec!(2405));
    assert!(fills(&evs).is_empty());
    assert!(liquidated(&evs).is_some());
    assert!(e.account(&ME).unwrap().automation.is_empty());
}

#[test]
fn market_fills_pay_the_slippage_of_their_size() {
    // Depth 50M: 10 ETH at 2,700 moves the market by 10 × 2,700 / 50M = 0.054 %; the stop
    // pays half of that on average: 2,700 × (1 − 0.00027) = 2,699.271, 7.29 of slippage.
    let mut e = perps(Some(dec!(50_000_000)));
    open(&mut e, Side::Long, dec!(10));
    place(&mut e, stop(dec!(2700), None)).unwrap();
    let evs = step(&mut e, 3600, dec!(2700));
    // TC0: fill price, slippage, realized PnL.
    assert_eq!(
        fills(&evs),
        vec![(
            dec!(2699.271),
            dec!(10),
            dec!(0),
            dec!(7.290),
            dec!(-3007.290),
            dec!(0)
        )]
    );
    // TC1: the sale moved the market like a liquidation sale: 2,700 × (1 − 0.00054).
    let impact = evs.iter().find_map(|x| match &x.kind {
        EventKind::FillImpact {
            sold, price_after, ..
        } => Some((*sold, *price_after)),
        _ => None,
    });
    assert_eq!(impact, Some((dec!(10), dec!(2698.54200))));
    conserved(&e);

    // TC2: a larger stop on a shallower market pays more: 100 ETH, depth 5M, mark 2,700 →
    // impact 5.4 %, fill 2,700 × 0.973 = 2,627.1.
    let mut e = perps(Some(dec!(5_000_000)));
    e.apply(
        ME,
        Command::Fund {
            asset: a("USDC"),
            amount: dec!(100_000),
        },
    )
    .unwrap();
    open(&mut e, Side::Long, dec!(100));
    place(&mut e, stop(dec!(2700), None)).unwrap();
    let evs = step(&mut e, 3600, dec!(2700));
    let f = fills(&evs);
    assert_eq!((f[0].0, f[0].3), (dec!(2627.1), dec!(7290.0)));
    conserved(&e);
}

#[test]
fn limit_orders_fill_at_their_price_part_by_part() {
    // TC0: infinitely deep: a buy limit at 2,900 rests at 2,950, is not filled by a touch at
    // 2,900, and fills whole at its price once the mark trades through it.
    let mut e = perps(None);
    place(&mut e, limit(Side::Long, dec!(2), dec!(2900))).unwrap();
    assert!(fills(&step(&mut e, 3600, dec!(2950))).is_empty());
    assert!(fills(&step(&mut e, 3600, dec!(2900))).is_empty());
    let evs = step(&mut e, 3600, dec!(2899.99));
    assert_eq!(
        fills(&evs),
        vec![(dec!(2900), dec!(2), dec!(0), dec!(0), dec!(0), dec!(0))]
    );
    let pos = eth_position(&e);
    assert_eq!(
        (pos.side, pos.size, pos.entry_price),
        (Side::Long, dec!(2), dec!(2900))
    );
    conserved(&e);

    // TC1: depth 50M: a cross of 1 below a 2,900 limit is a move of 1 / 2,900, which takes
    // 50M / 2,900 / 2,900 = 5.94530321 ETH: that part fills at 2,900 and the rest keeps resting.
    let mut e = perps(Some(dec!(50_000_000)));
    place(&mut e, limit(Side::Long, dec!(10), dec!(2900))).unwrap();
    let evs = step(&mut e, 3600, dec!(2899));
    assert_eq!(
        fills(&evs),
        vec![(
            dec!(2900),
            dec!(5.94530321),
            dec!(0),
            dec!(0),
            dec!(0),
            dec!(4.05469679)
        )]
    );
    // The fill is a buy: it pushed the market back up.
    assert!(evs.iter().any(|x| matches!(
        &x.kind,
        EventKind::FillImpact { sold, .. } if *sold == dec!(-5.94530321)
    )));
    // TC2: a deeper fall fills the rest at the limit; the position is 10 at 2,900.
    let evs = step(&mut e, 3600, dec!(2800));
    assert_eq!(
        fills(&evs),
        vec![(
            dec!(2900),
            dec!(4.05469679),
            dec!(0),
            dec!(0),
            dec!(0),
            dec!(0)
        )]
    );
    let pos = eth_position(&e);
    assert_eq!((pos.size, pos.entry_price), (dec!(10), dec!(2900)));
    assert!(e.account(&ME).unwrap().automation.orders.is_empty());
    conserved(&e);

    // TC3: a sell limit opens a short at its price.
    let mut e = perps(None);
    place(&mut e, limit(Side::Short, dec!(1), dec!(3100))).unwrap();
    let evs = step(&mut e, 3600, dec!(3150));
    assert_eq!(fills(&evs)[0].0, dec!(3100));
    assert_eq!(eth_position(&e).side, Side::Short);

    // TC4: a limit that cannot be paid when it fills (the cash went into another position) is
    // cancelled with the reason.
    let mut e = perps(None);
    place(&mut e, limit(Side::Long, dec!(10), dec!(2900))).unwrap();
    e.apply(
        ME,
        Command::OpenPosition {
            market: a("BTC"),
            side: Side::Long,
            size: dec!(0.5),
            leverage: dec!(5),
            mode: MarginMode::Isolated,
        },
    )
    .unwrap();
    let evs = step(&mut e, 3600, dec!(2800));
    assert!(fills(&evs).is_empty());
    assert!(evs.iter().any(
        |x| matches!(&x.kind, EventKind::OrderNotFilled { reason, .. } if reason.contains("margin"))
    ));
    assert!(e.account(&ME).unwrap().automation.orders.is_empty());
}

#[test]
fn amend_and_cancel() {
    let mut e = perps(None);
    open(&mut e, Side::Long, dec!(10));
    place(&mut e, stop(dec!(2700), None)).unwrap();
    // TC0: move the stop up and halve it.
    let evs = e
        .apply(
            ME,
            Command::AmendOrder {
                id: 1,
                price: dec!(2800),
                size: Some(dec!(5)),
            },
        )
        .unwrap();
    assert!(matches!(
        evs[0].kind,
        EventKind::OrderAmended { previous_price, price, size: Some(s), .. }
            if previous_price == dec!(2700) && price == dec!(2800) && s == dec!(5)
    ));
    // TC1: the amended stop fires at its new price for its new size.
    let evs = step(&mut e, 3600, dec!(2790));
    assert_eq!(fills(&evs)[0].1, dec!(5));
    // TC2: cancelling a take by hand.
    place(&mut e, take(dec!(3300))).unwrap();
    let id = e.account(&ME).unwrap().automation.last_id;
    let evs = e.apply(ME, Command::CancelOrder { id }).unwrap();
    assert!(matches!(
        evs[0].kind,
        EventKind::OrderCancelled {
            reason: CancelReason::ByYou,
            ..
        }
    ));
    // TC3: closing the position by hand cancels its orders in the same command.
    place(&mut e, stop(dec!(2500), None)).unwrap();
    let evs = e
        .apply(ME, Command::ClosePosition { market: a("ETH") })
        .unwrap();
    assert!(matches!(evs[0].kind, EventKind::PositionReduced { .. }));
    assert!(matches!(
        evs[1].kind,
        EventKind::OrderCancelled {
            reason: CancelReason::PositionClosed,
            ..
        }
    ));
    assert!(e.account(&ME).unwrap().automation.is_empty());
}

#[test]
fn refused_orders_change_nothing() {
    let mut base = perps(None);
    open(&mut base, Side::Long, dec!(10));
    place(&mut base, stop(dec!(2700), None)).unwrap();
    let cases: Vec<(Command, &str)> = vec![
        // TC0: a long's stop above the mark would fire at once.
        (
            Command::PlaceOrder {
                order: stop(dec!(3100), None),
            },
            "fire at once",
        ),
        // TC1: a long's take below the mark.
        (
            Command::PlaceOrder {
                order: take(dec!(2900)),
            },
            "fire at once",
        ),
        // TC2: no position to protect.
        (
            Command::PlaceOrder {
                order: OrderRequest::StopLoss {
                    market: a("BTC"),
                    trigger: dec!(50000),
                    size: None,
                },
            },
            "no open BTC position",
        ),
        // TC3: more than the position.
        (
            Command::PlaceOrder {
                order: stop(dec!(2700), Some(dec!(11))),
            },
            "more than your open size",
        ),
        // TC4: a zero price.
        (
            Command::PlaceOrder {
                order: stop(dec!(0), None),
            },
            "price must be above 0",
        ),
        // TC5: a buy limit at the mark would trade at once.
        (
            Command::PlaceOrder {
                order: limit(Side::Long, dec!(1), dec!(3000)),
            },
            "fill at once",
        ),
        // TC6: a sell limit while long.
        (
            Command::PlaceOrder {
                order: limit(Side::Short, dec!(1), dec!(3100)),
            },
            "other side",
        ),
        // TC7: leverage above the market's maximum.
        (
            Command::PlaceOrder {
                order: OrderRequest::Limit {
                    market: a("ETH"),
                    side: Side::Long,
                    size: dec!(1),
                    price: dec!(2900),
                    leverage: dec!(200),
                    mode: MarginMode::Isolated,
                },
            },
            "above this market's maximum",
        ),
        // TC8: more margin than the wallet holds at the limit price.
        (
            Command::PlaceOrder {
                order: limit(Side::Long, dec!(100), dec!(2900)),
            },
            "needs $",
        ),
        // TC9: not a perp market.
        (
            Command::PlaceOrder {
                order: OrderRequest::Limit {
                    market: a("USDC"),
                    side: Side::Long,
                    size: dec!(1),
                    price: dec!(0.9),
                    leverage: dec!(1),
                    mode: MarginMode::Isolated,
                },
            },
            "cannot be traded as a perpetual",
        ),
        // TC10, TC11: unknown orders.
        (Command::CancelOrder { id: 99 }, "no open order or rule #99"),
        (
            Command::AmendOrder {
                id: 99,
                price: dec!(2600),
                size: None,
            },
            "#99",
        ),
        // TC12: an amendment to the wrong side of the mark.
        (
            Command::AmendOrder {
                id: 1,
                price: dec!(3050),
                size: None,
            },
            "fire at once",
        ),
        // TC13: a negative size.
        (
            Command::AmendOrder {
                id: 1,
                price: dec!(2600),
                size: Some(dec!(-1)),
            },
            "above zero",
        ),
    ];
    for (i, (cmd, words)) in cases.into_iter().enumerate() {
        let mut e = base.clone();
        let before = format!("{e:?}");
        let err = e.apply(ME, cmd).unwrap_err().to_string();
        assert!(err.contains(words), "TC{i}: {err}");
        assert_eq!(before, format!("{e:?}"), "TC{i}");
    }
}

#[test]
fn nothing_of_this_exists_under_the_2026_11_rules() {
    // TC0: every automation command is refused under the 2026-11 rules.
    let mut e = Engine::new(PresetId::PerpExchange.config_for(RulesVersion::V2026_11)).unwrap();
    open(&mut e, Side::Long, dec!(1));
    let before = format!("{e:?}");
    for cmd in [
        Command::PlaceOrder {
            order: stop(dec!(2000), None),
        },
        Command::CancelOrder { id: 1 },
        Command::ClearStrategy,
    ] {
        let err = e.apply(ME, cmd).unwrap_err();
        assert!(matches!(err, Rejection::AutomationUnavailable(_)), "{err}");
    }
    assert_eq!(before, format!("{e:?}"));
    // TC1: a step emits no automation event there.
    let evs = step(&mut e, 3600, dec!(2000));
    assert!(evs
        .iter()
        .all(|x| x.kind.category() != margin_lab::engine::explain::Category::Automation));
}

#[test]
fn stops_cascade_across_accounts_within_a_step() {
    // TC0: two accounts with stops at 2,700 and 2,690 on a shallow market (depth 10M): the mark
    // reaches 2,700; the first stop's sale of 100 ETH pushes the market below 2,690, which fires
    // the second stop in the same step.
    let mut cfg = exact(PresetId::PerpExchange.config(), Some(dec!(10_000_000)));
    cfg.initial_accounts.push(InitialAccount {
        id: AccountId(7),
        label: "other".into(),
        commands: vec![Command::Fund {
            asset: a("USDC"),
            amount: dec!(1_000_000),
        }],
    });
    let mut e = Engine::new(cfg).unwrap();
    e.apply(
        ME,
        Command::Fund {
            asset: a("USDC"),
            amount: dec!(1_000_000),
        },
    )
    .unwrap();
    for (who, trigger) in [(ME, dec!(2700)), (AccountId(7), dec!(2690))] {
        e.apply(
            who,
            Command::OpenPosition {
                market: a("ETH"),
                side: Side::Long,
                size: dec!(100),
                leverage: dec!(2),
                mode: MarginMode::Isolated,
            },
        )
        .unwrap();
        e.apply(
            who,
            Command::PlaceOrder {
                order: stop(trigger, None),
            },
        )
        .unwrap();
    }
    let evs = step(&mut e, 3600, dec!(2700));
    // 100 × 2,700 / 10M = 2.7 %: the market falls to 2,627.1, through the second stop.
    let f = fills(&evs);
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(f[1].0 < dec!(2690));
    conserved(&e);
}
