//! The health check every re-checked borrower goes through allocates nothing (the market's
//! crowds make it the hottest path of a step). A counting global allocator (this test binary's
//! own) measures it: allocation counts are deterministic, so this is not a timing test.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use margin_lab::engine::*;
use rust_decimal_macros::dec;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

// TC0: a three-collateral Aave account (ETH, WBTC, wstETH against USDC): 10,000 health checks,
// no allocation; a vault and a perp position likewise.
#[test]
fn health_checks_do_not_allocate() {
    let mut e = engine(exact(PresetId::AaveV3.config()));
    for (asset, amount) in [("ETH", dec!(5)), ("WBTC", dec!(0.5)), ("wstETH", dec!(2))] {
        act(&mut e, deposit(asset, amount));
    }
    act(&mut e, borrow("USDC", dec!(20000)));
    let me = AccountId::USER;
    let mut vaults = engine(exact(PresetId::MakerMcd.config()));
    act(&mut vaults, vault_deposit("ETH", dec!(10)));
    act(&mut vaults, vault_borrow("ETH", dec!(10000)));
    let mut perps = engine(exact(PresetId::PerpExchange.config()));
    act(
        &mut perps,
        Command::OpenPosition {
            market: a("ETH"),
            side: Side::Long,
            size: dec!(10),
            leverage: dec!(10),
            mode: MarginMode::Isolated,
        },
    );
    for (name, eng) in [("pooled", &e), ("vault", &vaults)] {
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        let mut healthy = 0;
        for _ in 0..10_000 {
            if !eng.is_liquidatable(&me) {
                healthy += 1;
            }
        }
        let allocated = ALLOCATIONS.load(Ordering::Relaxed) - before;
        assert_eq!(healthy, 10_000, "{name}");
        assert_eq!(
            allocated, 0,
            "{name}: {allocated} allocations in 10,000 checks"
        );
    }
    // A perp account builds its position views (a short list): bounded, one per check at most.
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..1_000 {
        assert!(!perps.is_liquidatable(&me));
    }
    let allocated = ALLOCATIONS.load(Ordering::Relaxed) - before;
    assert!(
        allocated <= 1_000,
        "perps: {allocated} allocations in 1,000 checks"
    );
}
