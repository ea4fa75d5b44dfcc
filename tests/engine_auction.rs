#![cfg(not(target_arch = "wasm32"))]
//! Dutch auction liquidation (Maker Liquidations 2.0) against hand-computed examples.

use margin_lab::engine::system::rules_2026_11::auction_eth_a;
use margin_lab::engine::system::rules_2026_11::maker_mcd;
mod common;

use common::{a, conserved, prices};
use margin_lab::engine::*;
use margin_lab::engine::{AuctionParams, PriceDecay};
use rust_decimal::{Decimal, MathematicalOps};
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

fn eth(p: Decimal) -> BTreeMap<AssetId, Decimal> {
    prices(&[("ETH", p)])
}

/// Maker MCD vault 10 ETH / 15000 DAI, no fees, no market impact.
fn engine(params: AuctionParams) -> Engine {
    let mut cfg = maker_mcd();
    cfg.liquidation = LiquidationKind::DutchAuction(params);
    for x in &mut cfg.assets {
        x.market_depth = None;
        x.stability_fee = Decimal::ZERO;
    }
    let mut e = Engine::new(cfg).unwrap();
    let me = AccountId::USER;
    e.apply(
        me,
        Command::VaultDeposit {
            collateral: a("ETH"),
            amount: dec!(10),
        },
    )
    .unwrap();
    e.apply(
        me,
        Command::VaultBorrow {
            collateral: a("ETH"),
            amount: dec!(15000),
        },
    )
    .unwrap();
    e
}

#[test]
fn decay_curves() {
    let p = auction_eth_a();
    let cases = [
        // TC0: at the start the price is top
        (0, dec!(1000)),
        // TC1: within the first 90 s step nothing changes
        (89, dec!(1000)),
        // TC2: after one step, 1% cut
        (90, dec!(990)),
        // TC3: after two steps
        (180, dec!(980.1)),
    ];
    for (t, price) in cases {
        assert_eq!(p.price(dec!(1000), t), price, "t = {t}");
    }
    // TC4: linear decay reaches zero at tau
    let lin = AuctionParams {
        decay: PriceDecay::Linear { tau_secs: 100 },
        ..p
    };
    assert_eq!(lin.price(dec!(1000), 25), dec!(750));
    assert_eq!(lin.price(dec!(1000), 100), dec!(0));
}

#[test]
fn auction_sells_at_the_first_price_keepers_accept() {
    let mut e = engine(auction_eth_a());
    let me = AccountId::USER;
    // TC0: ETH 2200 -> CR 1.4667 < 1.5: vault confiscated; lot 10, tab 15000 x 1.13 = 16950, top 2200 x 1.2
    let events = e.step(1, &eth(dec!(2200))).unwrap();
    let started = events.iter().find_map(|ev| match &ev.kind {
        EventKind::AuctionStarted {
            lot,
            tab,
            start_price,
            ..
        } => Some((*lot, *tab, *start_price)),
        _ => None,
    });
    assert_eq!(started, Some((dec!(10), dec!(16950), dec!(2640))));
    assert!(e.account_metrics(&me).unwrap().vaults.is_empty());
    assert_eq!(e.system_metrics().active_auctions, 1);
    conserved(&e);
    // TC1: keepers want 2% under the market (2156): after 20 cuts the price is 2159.1 -> no take
    let events = e.step(1 + 20 * 90, &eth(dec!(2200))).unwrap();
    assert!(!events
        .iter()
        .any(|ev| matches!(ev.kind, EventKind::AuctionTake { .. })));
    // TC2: after 21 cuts (2640 x 0.99^21 = 2137.5) a keeper buys 16950 / price ETH; the rest goes back
    let events = e.step(1 + 21 * 90, &eth(dec!(2200))).unwrap();
    let price = dec!(2640) * dec!(0.99).powi(21);
    let take = events.iter().find_map(|ev| match &ev.kind {
        EventKind::AuctionTake {
            amount,
            price,
            paid,
            ..
        } => Some((*amount, *price, *paid)),
        _ => None,
    });
    let (amount, p, paid) = take.unwrap();
    assert_eq!(p, price);
    assert_eq!(paid, dec!(16950));
    assert!((amount - dec!(16950) / price).abs() < dec!(0.0000001));
    let returned = e.account(&me).unwrap().wallet(&a("ETH"));
    assert!((returned - (dec!(10) - amount)).abs() < dec!(0.0000001));
    // the penalty (1950 DAI) went to the protocol surplus
    let dai = e
        .system_metrics()
        .assets
        .into_iter()
        .find(|x| x.asset == a("DAI"))
        .unwrap();
    assert_eq!(dai.reserves, dec!(1950));
    assert_eq!(e.system_metrics().active_auctions, 0);
    conserved(&e);
}

#[test]
fn auction_resets_after_tail_and_records_bad_debt() {
    let mut e = engine(auction_eth_a());
    e.step(1, &eth(dec!(2200))).unwrap();
    // TC0: the market crashes to 1000: keepers will not pay 2000+; after the tail (8400 s) the
    // auction restarts from 1000 x 1.2
    let events = e.step(1 + 8401, &eth(dec!(1000))).unwrap();
    assert!(events.iter().any(|ev| matches!(&ev.kind, EventKind::AuctionReset { start_price, .. } if *start_price == dec!(1200))));
    // TC1: 21 cuts later (1200 x 0.99^21 = 971.6) keepers buy the whole lot; 15000 - 9716 is bad debt
    let events = e.step(1 + 8401 + 21 * 90, &eth(dec!(1000))).unwrap();
    let price = dec!(1200) * dec!(0.99).powi(21);
    let ended = events.iter().find_map(|ev| match &ev.kind {
        EventKind::AuctionEnded {
            bad_debt,
            returned_to_owner,
            ..
        } => Some((*bad_debt, *returned_to_owner)),
        _ => None,
    });
    let (bad, returned) = ended.unwrap();
    assert_eq!(returned, dec!(0));
    assert!(
        (bad - (dec!(15000) - dec!(10) * price)).abs() < dec!(0.000001),
        "{bad}"
    );
    assert!((e.system_metrics().bad_debt_value - bad).abs() < dec!(0.000001));
    conserved(&e);
}

#[test]
fn keepers_that_fail_leave_the_auction_running() {
    // TC0: Black Thursday: keeper capacity zero -> no takes, the auction keeps resetting, the lot
    // stays unsold and nothing is hidden (the debt is still owed by the auction).
    let mut e = engine(AuctionParams {
        keeper_capacity: Some(dec!(0)),
        ..auction_eth_a()
    });
    e.step(1, &eth(dec!(2200))).unwrap();
    for k in 1..=5 {
        let events = e.step(1 + k * 9000, &eth(dec!(1500))).unwrap();
        assert!(!events
            .iter()
            .any(|ev| matches!(ev.kind, EventKind::AuctionTake { .. })));
    }
    let auctions = e.auctions();
    assert_eq!(auctions.len(), 1);
    assert_eq!((auctions[0].lot, auctions[0].debt), (dec!(10), dec!(15000)));
    conserved(&e);
}
