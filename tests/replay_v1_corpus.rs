//! Published v1 links keep verifying. `tests/fixtures/links/v1-corpus.txt` holds links written by
//! the 2026-11 build (payload version 1, rules of 2026-11) for every catalogue scenario × preset ×
//! design, with actions that exercise each mechanism (deposits, borrows near the limit, vault
//! debt, stability deposits, leveraged perps, oracle and liquidation overrides). Each line is
//! `<link> <event-log hash at the link's tick>`; the hashes were recorded by that build (the
//! generator of commit e2a581b, `tests/replay_v1_corpus.rs::generate`, run once before the rules
//! changed) and must never change.
#![cfg(not(target_arch = "wasm32"))]

use margin_lab::replay::{Session, Shared, Verification};

const CORPUS: &str = include_str!("fixtures/links/v1-corpus.txt");

fn corpus() -> Vec<(&'static str, &'static str)> {
    CORPUS
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (link, hash) = l.split_once(' ').expect("`<link> <hash>` per line");
            (link, hash.trim())
        })
        .collect()
}

// TC0: every committed v1 link replays to the hash the 2026-11 build recorded.
#[test]
fn every_v1_corpus_link_verifies() {
    let lines = corpus();
    assert!(lines.len() >= 100, "the corpus has {} links", lines.len());
    let mut liquidations = 0usize;
    for (i, (link, hash)) in lines.iter().enumerate() {
        let shared = Shared::from_link(link).unwrap_or_else(|e| panic!("line {i}: {e}"));
        let (session, v) = Session::open_shared(shared).unwrap_or_else(|e| panic!("line {i}: {e}"));
        assert_eq!(session.log_hash(), *hash, "line {i}: {link}");
        assert_eq!(v, Verification::Verified, "line {i}");
        liquidations += session
            .engine()
            .events()
            .iter()
            .filter(|e| e.kind.category() == margin_lab::engine::explain::Category::Liquidation)
            .count();
    }
    // The corpus is only a safety net if its sessions liquidate (every mechanism runs).
    assert!(
        liquidations >= 50,
        "only {liquidations} liquidation events in the corpus"
    );
}
