//! The liquidation-price index: accounts are indexed by the prices at which they *could* become
//! liquidatable, so a step only re-checks accounts whose band a price has left.
//!
//! **Band.** For an account at oracle prices, let `r` be the largest uniform relative move such that,
//! if every price it depends on stays within `[p × (1 − r), p × (1 + r)]`, it stays healthy:
//! - lending: weighted collateral `C`, debt `D`: `C(1 − r) ≥ D(1 + r)` ⇒ `r = (C − D) / (C + D)`;
//! - vault: `C = collateral value`, `D = debt value × liquidation ratio`, same formula;
//! - perps (isolated position or cross book): equity `E`, notional `N`, maintenance `M` (at the tier
//!   of twice the notional, as a price rise may move it up a tier): `E − N r ≥ M (1 + r)` ⇒
//!   `r = (E − M) / (N + M)`;
//!
//! and `r` is the minimum over the account's parts. The account is stored under each asset it
//! depends on with a lower bound `p(1 − r)` and an upper bound `p(1 + r)`; a step pulls only the
//! accounts whose bound the new price crossed (two ordered-set range queries per moved asset), so
//! the per-step cost does not grow with accounts far from liquidation. Accounts with `r` below
//! [`MIN_BAND`] are checked every step. A lending account with one collateral is banded
//! one-sided instead: its collateral gets no upper bound and a lower bound about 1.5 r below,
//! its debts' prices `± r/2` (`one_collateral_band`).
//!
//! **Drift.** Interest and stability fees move health without a price move; so does funding.
//! - Interest and fees: each band budgets for its own account. A lending account's debts are
//!   taken as `D × (1 + b)` and each borrow index it owes is indexed with the limit
//!   `index × (1 + b)` (a vault's debt and its collateral's fee index the same way); a step
//!   re-checks the accounts whose limit an index passed (one ordered-set range query per asset,
//!   as for prices). The budget `b` grows with the account's slack — a quarter of it, between
//!   [`DRIFT`] and [`MAX_DRIFT`], less up to half by a seeded spread so that accounts banded
//!   together do not all come due together: a borrower near liquidation is re-banded after 2% of
//!   interest, one at health 1.6 after 5–10%. (With one budget for everyone, every band was
//!   recomputed after every 1% of interest, which was most of a calm crowd's work.)
//! - Funding: perp equity is taken as `E − N × FUNDING_DRIFT`. The index remembers each asset's
//!   cumulative funding at the start of the epoch every band was computed in; when it moves more
//!   than half of `FUNDING_DRIFT` of the price, that budget is spent.
//!
//! **Re-banding in slices.** A band computed later than the epoch's start is valid past the epoch's
//! end. So once 80% of the funding budget is spent, a new epoch starts at that tick's funding and a
//! sweep re-checks the accounts in id order, a slice per step, paced to pass them all by 95%.
//! Accounts re-banded for any other reason meanwhile are banded in the new epoch too; when the
//! sweep passes the last account, the new epoch replaces the old. Only if a single step spends the
//! rest of the budget at once (or Liquity's recovery mode flips) is every account re-checked in
//! that step.

use super::account::{Account, Accounts};
use super::command::MarginMode;
use super::error::EngineError;
use super::health::{lending_view, vault_view};
use super::ids::{AccountId, AssetId};
use super::margin::perp_view;
use super::params::config::EngineConfig;
use super::state::World;
use rust_decimal::{Decimal, RoundingStrategy};
use rust_decimal_macros::dec;
use smallvec::SmallVec;
use std::cell::RefCell;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

/// The smallest interest / fee budget of a band (and the protection rules' budget).
pub const DRIFT: Decimal = dec!(0.02);
/// The largest interest / fee budget of a band.
pub const MAX_DRIFT: Decimal = dec!(0.1);
/// Funding budget (fraction of notional) between rebuilds.
pub const FUNDING_DRIFT: Decimal = dec!(0.005);
/// Half of [`FUNDING_DRIFT`]: funding's share of the budget (checked every step, so not divided
/// there).
const FUNDING_BUDGET: Decimal = dec!(0.0025);
/// Bands narrower than this are checked every step.
pub const MIN_BAND: Decimal = dec!(0.001);
/// Bands are capped at this width (a 90% move).
pub const MAX_BAND: Decimal = dec!(0.9);

/// Every key of the index is a price at this many decimal places, held as an integer
/// ([`Key`]), so the index's sets compare machine integers (a crowd's arrival compares keys
/// millions of times; a step's re-checks thousands). 18 places keep `MIN_PRICE` (10^-12) to six
/// digits, and `MAX_PRICE × (1 + MAX_BAND)` × 10^18 is far inside an `i128`.
const KEY_SCALE: u32 = 18;

/// A price × 10^[`KEY_SCALE`], as an integer (saturating far beyond any price the engine takes).
type Key = i128;

/// `x` × 10^[`KEY_SCALE`] rounded down (`up` false) or up (`up` true) to an integer: exact when
/// `x` has at most [`KEY_SCALE`] places. Queries compare a price with the keys through its floor
/// or ceiling (see [`LiqIndex::crossed`]), which answers exactly as comparing the prices.
fn to_key(x: Decimal, up: bool) -> Key {
    let (m, s) = (x.mantissa(), x.scale());
    if s <= KEY_SCALE {
        m.saturating_mul(10i128.pow(KEY_SCALE - s))
    } else {
        let f = 10i128.pow(s - KEY_SCALE);
        if up {
            -((-m).div_euclid(f))
        } else {
            m.div_euclid(f)
        }
    }
}

/// `x` at [`KEY_SCALE`] places, rounded by `strategy` (bounds round towards the price, so a band
/// only ever narrows: an account may be re-checked a little early, never late), as a [`Key`].
fn key(x: Decimal, strategy: RoundingStrategy) -> Key {
    match strategy {
        RoundingStrategy::ToPositiveInfinity => to_key(x, true),
        RoundingStrategy::ToNegativeInfinity => to_key(x, false),
        // In integers what `round_dp_with_strategy` does in `Decimal`s (it showed in profiles).
        RoundingStrategy::MidpointAwayFromZero if x.scale() > KEY_SCALE => {
            let f = 10i128.pow(x.scale() - KEY_SCALE);
            let (q, r) = (x.mantissa().abs() / f, x.mantissa().abs() % f);
            let q = if 2 * r >= f { q + 1 } else { q };
            if x.mantissa() < 0 {
                -q
            } else {
                q
            }
        }
        other => to_key(x.round_dp_with_strategy(KEY_SCALE, other), false),
    }
}

/// The keys of a band `r` around price `p`: `p(1 − r)` and `p(1 + r)`, each rounded towards `p`.
fn bounds(p: &PriceBand) -> (Key, Key) {
    (
        key(
            p.price.saturating_mul(Decimal::ONE - p.down),
            RoundingStrategy::ToPositiveInfinity,
        ),
        p.up.map_or(NO_UPPER, |up| {
            key(
                p.price.saturating_mul(Decimal::ONE + up),
                RoundingStrategy::ToNegativeInfinity,
            )
        }),
    )
}

/// The upper key of a price with no upper bound: never crossed, and not stored in the upper sets.
const NO_UPPER: Key = Key::MAX;

/// One price a band depends on: safe while it stays above `price × (1 − down)` and, when `up`
/// is given, below `price × (1 + up)`.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceBand {
    pub asset: AssetId,
    pub price: Decimal,
    pub down: Decimal,
    pub up: Option<Decimal>,
}

impl PriceBand {
    /// `price × (1 ± r)`.
    pub fn both(asset: AssetId, price: Decimal, r: Decimal) -> Self {
        Self {
            asset,
            price,
            down: r,
            up: Some(r),
        }
    }
}

// An account depends on a few prices and indices (a collateral or two and a debt): the lists of
// a band and of its liquidation points are kept inline up to these sizes, so a re-check
// (thousands a tick in a crash) allocates none of them. They live only until they are indexed.
/// The prices a band depends on.
pub type BandPrices = SmallVec<[PriceBand; 3]>;
/// The interest and fee limits of a band: `(asset, index, limit)`.
pub type BandLimits = SmallVec<[(AssetId, Accrual, Decimal); 2]>;
/// An account's liquidation points.
pub type PointList = SmallVec<[LiquidationPoint; 2]>;

/// Where an account sits in the index.
// Large on purpose: its lists are inline so that computing a band allocates nothing (a band
// lives only between its computation and its keys' insertion; it is never stored).
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Band {
    /// Nothing can be liquidated.
    None,
    /// Close to (or past) liquidation: check every step.
    Always,
    /// Safe while every listed price stays within its bounds and every listed index stays at or
    /// below its limit.
    Range {
        prices: BandPrices,
        limits: BandLimits,
    },
}

/// An index that makes debts grow without a price move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Accrual {
    /// A lending market's borrow index.
    Borrow,
    /// A vault collateral's stability-fee index.
    Fee,
}

impl Accrual {
    fn of(self, st: &super::state::AssetState) -> Decimal {
        match self {
            Accrual::Borrow => st.borrow_index,
            Accrual::Fee => st.fee_index,
        }
    }
}

/// The interest budget of a part with `c` against debts `d` (see the module's documentation):
/// a quarter of the slack `c / d − 1`, between [`DRIFT`] and [`MAX_DRIFT`], less up to half by
/// the account's seeded spread.
fn budget(id: AccountId, c: Decimal, d: Decimal) -> Decimal {
    // Most accounts sit at either clamp (`c/d ≤ 1 + 4 × DRIFT` or `≥ 1 + 4 × MAX_DRIFT`): those
    // need no division.
    const LOW: Decimal = dec!(1.08);
    const HIGH: Decimal = dec!(1.4);
    let quarter = if d <= Decimal::ZERO || c <= d.saturating_mul(LOW) {
        DRIFT
    } else if c >= d.saturating_mul(HIGH) {
        MAX_DRIFT
    } else {
        c.checked_div(d).map_or(DRIFT, |h| {
            ((h - Decimal::ONE) / dec!(4)).clamp(DRIFT, MAX_DRIFT)
        })
    };
    // 64 levels from the id (SplitMix64's multiplier): (128 − level) / 128 of the budget, exactly
    // (1/128 = 0.0078125).
    let level = (id.0.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58) as i64;
    quarter * Decimal::new((128 - level) * 78_125, 7)
}

/// The limits `index × (1 + b)` of `assets`' indices of `kind`, rounded down.
pub(crate) fn limits_of<'a>(
    w: &World,
    kind: Accrual,
    b: Decimal,
    assets: impl Iterator<Item = &'a AssetId>,
    out: &mut BandLimits,
) {
    for a in assets {
        if let Ok(st) = w.asset(a) {
            out.push((
                a.clone(),
                kind,
                kind.of(st).saturating_mul(Decimal::ONE + b),
            ));
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct EpochBase {
    /// Cumulative funding at the epoch's start.
    funding: Decimal,
}

impl EpochBase {
    fn at(st: &super::state::AssetState) -> Self {
        Self {
            funding: st.funding_cumulative,
        }
    }
}

/// The share of the funding budget spent when a sweep starts, and by when it must have passed
/// every account.
const SWEEP_FROM: Decimal = dec!(0.8);
const SWEEP_BY: Decimal = dec!(0.95);

/// Where an account's band sits in the index's sets.
#[derive(Clone, Debug, Default, PartialEq)]
struct Placed {
    /// Per asset, the lower and upper price bounds. Vectors rather than inline lists: every
    /// checkpoint copies every account's `Placed`, and inline lists took a crowd's sessions
    /// 25–45% more memory; a re-check reuses them (`LiqIndex::insert` takes and refills them).
    bounds: Vec<(AssetId, Key, Key)>,
    /// Per index, its limit.
    limits: Vec<(AssetId, Accrual, Key)>,
}

impl Placed {
    /// The keys of the bounds of `prices` and of the index `limits`, in place of what was
    /// here: bounds rounded towards the price ([`bounds`]), limits down (an account may be
    /// re-checked a little early, never late).
    fn set(&mut self, prices: BandPrices, limits: BandLimits) {
        self.bounds.clear();
        self.bounds.extend(prices.into_iter().map(|p| {
            let (lo, hi) = bounds(&p);
            (p.asset, lo, hi)
        }));
        self.limits.clear();
        self.limits
            .extend(limits.into_iter().map(|(asset, kind, limit)| {
                (
                    asset,
                    kind,
                    key(limit, RoundingStrategy::ToNegativeInfinity),
                )
            }));
    }
}

/// A re-banding in progress (see the module's documentation).
#[derive(Clone, Debug, PartialEq)]
struct Sweep {
    /// The epoch every account is banded in once the sweep has passed them all.
    next: BTreeMap<AssetId, EpochBase>,
    /// The last account swept (none yet: the sweep starts from the first).
    cursor: Option<AccountId>,
    /// Accounts passed, and how many there were when the sweep started.
    swept: usize,
    total: usize,
}

#[derive(Clone, Debug, Default)]
pub struct LiqIndex {
    lower: BTreeMap<AssetId, BTreeSet<(Key, AccountId)>>,
    upper: BTreeMap<AssetId, BTreeSet<(Key, AccountId)>>,
    /// Interest and fee limits, by index.
    limits: BTreeMap<(AssetId, Accrual), BTreeSet<(Key, AccountId)>>,
    entries: BTreeMap<AccountId, Placed>,
    always: BTreeSet<AccountId>,
    epoch: BTreeMap<AssetId, EpochBase>,
    sweep: Option<Sweep>,
    /// Each account's liquidation prices (see [`Points`]). Behind a `RefCell`: the market's
    /// liquidation curve, which reads it through `&self`, first sorts in what re-checks set since
    /// it was last read.
    points: RefCell<Points>,
}

/// Indexes are equal when they would answer alike: points not sorted in yet count as sorted.
impl PartialEq for LiqIndex {
    fn eq(&self, other: &Self) -> bool {
        let settled = |i: &Self| {
            let mut p = i.points.borrow().clone();
            p.settle();
            p
        };
        self.lower == other.lower
            && self.upper == other.upper
            && self.limits == other.limits
            && self.entries == other.entries
            && self.always == other.always
            && self.epoch == other.epoch
            && self.sweep == other.sweep
            && settled(self) == settled(other)
    }
}

/// Each account's liquidation prices, per asset (for price falls): the price of that asset at
/// which it becomes liquidatable, other prices unchanged, with the value at stake there (the
/// collateral's, or a long's notional), as of the account's last re-check. Read by the market's
/// liquidation curve, a few times a second at most, while a crash re-checks thousands of
/// accounts a tick, some of them many times between two reads: a re-check leaves its points in
/// `pending`, and a read sorts in the latest of each account first. The sorted maps are then
/// exactly what sorting each in as it came would have made (only an account's latest points
/// count); the curve does not depend on when it is read.
#[derive(Clone, Debug, Default, PartialEq)]
struct Points {
    by_asset: BTreeMap<AssetId, BTreeMap<(Key, AccountId), Decimal>>,
    entries: BTreeMap<AccountId, PlacedPoints>,
    /// Points set since the maps were last brought up to date (an empty list removes).
    pending: BTreeMap<AccountId, PointList>,
}

/// Where an account's points sit in the per-asset maps: `(asset, key)`. A vector, as
/// [`Placed`]'s lists (checkpoints copy it; `Points::put` refills it).
type PlacedPoints = Vec<(AssetId, Key)>;

/// Takes `id`'s points at `placed` (asset, key) out of the per-asset maps.
fn unsort(
    by_asset: &mut BTreeMap<AssetId, BTreeMap<(Key, AccountId), Decimal>>,
    id: AccountId,
    placed: impl IntoIterator<Item = (AssetId, Key)>,
) {
    for (asset, price) in placed {
        if let Some(map) = by_asset.get_mut(&asset) {
            map.remove(&(price, id));
        }
    }
}

impl Points {
    /// Sorts the pending points in.
    fn settle(&mut self) {
        for (id, points) in std::mem::take(&mut self.pending) {
            self.put(id, points);
        }
    }

    /// Replaces an account's points in the sorted maps (its entry is updated in place: one
    /// lookup in the per-account map rather than a removal and an insertion).
    fn put(&mut self, id: AccountId, points: PointList) {
        let Self {
            by_asset, entries, ..
        } = self;
        let mut slot = entries.entry(id);
        let mut mine = match &mut slot {
            Entry::Occupied(o) => std::mem::take(o.get_mut()),
            Entry::Vacant(_) => PlacedPoints::new(),
        };
        unsort(by_asset, id, mine.drain(..));
        if points.is_empty() {
            if let Entry::Occupied(o) = slot {
                o.remove();
            }
            return;
        }
        for (asset, price, value) in points {
            let price = key(price, RoundingStrategy::MidpointAwayFromZero);
            by_asset
                .entry(asset.clone())
                .or_default()
                .insert((price, id), value);
            mine.push((asset, price));
        }
        match slot {
            Entry::Occupied(mut o) => *o.get_mut() = mine,
            Entry::Vacant(v) => {
                v.insert(mine);
            }
        }
    }
}

/// Each asset's indices now, as an epoch's start.
fn epoch_at(w: &World) -> BTreeMap<AssetId, EpochBase> {
    w.assets
        .iter()
        .map(|(id, st)| (id.clone(), EpochBase::at(st)))
        .collect()
}

/// True when cumulative funding has moved more than `share` of the price since the epoch's
/// start. Funding far inside its budget (below a tenth of a percent of the price; the shares
/// asked are above it) needs no division to be sure of.
fn funding_past(st: &super::state::AssetState, base: &EpochBase, share: Decimal) -> bool {
    let moved = (st.funding_cumulative - base.funding).abs();
    moved
        .checked_mul(Decimal::ONE_THOUSAND)
        .is_none_or(|m| m >= st.price)
        && moved > st.price * share
}

/// Where an account would be liquidated if one asset fell: `(asset, price, value at stake)`.
pub type LiquidationPoint = (AssetId, Decimal, Decimal);

/// The views of an account that its band and its liquidation points both read, computed once
/// (a re-check or a crowd's arrival needs both).
struct Views {
    lending: Option<Result<super::health::LendingView, EngineError>>,
    perp: Option<Result<super::margin::PerpView, EngineError>>,
}

impl Views {
    fn of(cfg: &EngineConfig, w: &World, acc: &Account) -> Self {
        Self {
            lending: (!acc.debt_scaled.is_empty()).then(|| lending_view(cfg, w, acc)),
            perp: (!acc.positions.is_empty()).then(|| perp_view(cfg, w, acc)),
        }
    }
}

/// An account's band and liquidation points (see [`band`] and [`liquidation_points`]), each
/// view of the account computed once.
pub fn band_and_points(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
) -> (Result<Band, EngineError>, Result<PointList, EngineError>) {
    let views = Views::of(cfg, w, acc);
    (
        band_with(cfg, w, acc, &views),
        points_with(cfg, w, acc, &views),
    )
}

/// An account's liquidation prices for falls of each asset it depends on (see `LiqIndex`).
pub fn liquidation_points(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
) -> Result<PointList, EngineError> {
    points_with(cfg, w, acc, &Views::of(cfg, w, acc))
}

fn points_with(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
    views: &Views,
) -> Result<PointList, EngineError> {
    let mut out = PointList::new();
    if let Some(lv) = &views.lending {
        let lv = lv.as_ref().map_err(Clone::clone)?;
        for c in acc.collateral_scaled.keys() {
            if let Some(p) = super::health::collateral_liquidation_price(cfg, w, acc, lv, c) {
                let amount = super::health::collateral_amount(w, acc, c);
                out.push((c.clone(), p, amount.saturating_mul(w.price(c))));
            }
        }
    }
    for (c, v) in &acc.vaults {
        let vv = vault_view(cfg, w, c, v)?;
        if let Some(p) = vv.liquidation_price() {
            out.push((c.clone(), p, vv.collateral_value));
        }
    }
    if let Some(pv) = &views.perp {
        let pv = pv.as_ref().map_err(Clone::clone)?;
        for p in &pv.positions {
            if p.side == super::command::Side::Long {
                if let Some(price) = pv.liquidation_price(&p.market) {
                    out.push((p.market.clone(), price, p.notional));
                }
            }
        }
    }
    Ok(out)
}

/// The assets a band depends on, in id order and each once (a `BTreeSet`'s order, kept inline).
#[derive(Default)]
pub(crate) struct AssetSet(SmallVec<[AssetId; 4]>);

impl AssetSet {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn insert(&mut self, asset: AssetId) {
        if let Err(at) = self.0.binary_search(&asset) {
            self.0.insert(at, asset);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each asset's band `± r` around its price.
    pub(crate) fn bands(self, w: &World, r: Decimal) -> BandPrices {
        self.0
            .into_iter()
            .map(|a| {
                let p = w.price(&a);
                PriceBand::both(a, p, r)
            })
            .collect()
    }
}

impl Extend<AssetId> for AssetSet {
    fn extend<I: IntoIterator<Item = AssetId>>(&mut self, iter: I) {
        for a in iter {
            self.insert(a);
        }
    }
}

fn part(c: Decimal, d: Decimal) -> Decimal {
    let denom = c + d;
    if denom <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    (c - d) / denom
}

/// Computes an account's band.
pub fn band(cfg: &EngineConfig, w: &World, acc: &Account) -> Result<Band, EngineError> {
    if !acc.has_risk() {
        return Ok(Band::None);
    }
    band_with(cfg, w, acc, &Views::of(cfg, w, acc))
}

fn band_with(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
    views: &Views,
) -> Result<Band, EngineError> {
    if !acc.has_risk() {
        return Ok(Band::None);
    }
    if super::system::broker::checked_every_step(cfg, acc) {
        return Ok(Band::Always);
    }
    let mut r = MAX_BAND;
    let mut assets = AssetSet::new();
    let mut limits = BandLimits::new();
    // A lending account's weighted collateral and its debts with their interest budget.
    let mut lending = None;
    if let Some(lv) = &views.lending {
        let lv = lv.as_ref().map_err(Clone::clone)?;
        let b = budget(acc.id, lv.weighted_collateral, lv.debt_value);
        let debt = lv.debt_value.saturating_mul(Decimal::ONE + b);
        r = r.min(part(lv.weighted_collateral, debt));
        lending = Some((lv.weighted_collateral, debt));
        assets.extend(acc.collateral_scaled.keys().cloned());
        assets.extend(acc.debt_scaled.keys().cloned());
        limits_of(w, Accrual::Borrow, b, acc.debt_scaled.keys(), &mut limits);
    }
    for (c, v) in &acc.vaults {
        if v.debt_scaled > Decimal::ZERO {
            let vv = vault_view(cfg, w, c, v)?;
            // In Liquity's recovery mode a trove can be liquidated below the total collateral
            // ratio, itself below the critical ratio: the band is taken against the latter.
            let ratio = match &cfg.liquity {
                Some(l) if w.recovery_mode => vv.liquidation_ratio.max(l.critical_ratio),
                _ => vv.liquidation_ratio,
            };
            let d = vv.debt_value.saturating_mul(ratio);
            let b = budget(acc.id, vv.collateral_value, d);
            r = r.min(part(
                vv.collateral_value,
                d.saturating_mul(Decimal::ONE + b),
            ));
            assets.insert(c.clone());
            assets.insert(cfg.debt_asset.clone());
            limits_of(w, Accrual::Fee, b, std::iter::once(c), &mut limits);
        }
    }
    if let Some(pv) = &views.perp {
        let pv = pv.as_ref().map_err(Clone::clone)?;
        let (mut cross_n, mut cross_m) = (Decimal::ZERO, Decimal::ZERO);
        for p in &pv.positions {
            let mmr_hi = cfg
                .asset(&p.market)
                .map(|a| a.maintenance_rate(p.notional.saturating_mul(Decimal::TWO)))
                .unwrap_or(p.maintenance_rate)
                .max(p.maintenance_rate);
            let m = p.notional * mmr_hi;
            assets.insert(p.market.clone());
            match p.mode {
                MarginMode::Isolated => {
                    let e = p.equity - p.notional * FUNDING_DRIFT;
                    r = r.min((e - m) / (p.notional + m).max(dec!(0.000001)));
                }
                MarginMode::Cross => {
                    cross_n += p.notional;
                    cross_m += m;
                }
            }
        }
        if pv.has_cross {
            let e = pv.cross_equity - cross_n * FUNDING_DRIFT;
            r = r.min((e - cross_m) / (cross_n + cross_m).max(dec!(0.000001)));
        }
    }
    if r < MIN_BAND {
        return Ok(Band::Always);
    }
    if let Some(prices) = lending.and_then(|(c, d)| one_collateral_band(acc, w, c, d, r)) {
        return Ok(Band::Range { prices, limits });
    }
    Ok(Band::Range {
        prices: assets.bands(w, r),
        limits,
    })
}

/// The band of a lending account with one collateral asset (not also borrowed), no vault and
/// no position, of weighted collateral `c` against debts `debt` (with their interest budget),
/// when its uniform band is `r`: its health only falls when that collateral falls
/// or a debt asset rises, and the collateral's liquidation price (its point) does not move with
/// the collateral's own price. So the collateral gets no upper bound, and the debts' prices half
/// of the uniform band (both ways: their fall moves the point), which leaves the collateral a
/// lower bound `1 − (1 + r/2) / H` below its price (`H = C / (D × (1 + b))`, `r = (H − 1) /
/// (H + 1)`; about 1.5 r). With the uniform band every such borrower was re-checked whenever
/// the collateral rose by `r`, and sooner when it fell.
fn one_collateral_band(
    acc: &Account,
    w: &World,
    c: Decimal,
    debt: Decimal,
    r: Decimal,
) -> Option<BandPrices> {
    if acc.collateral_scaled.len() != 1 || !acc.vaults.is_empty() || !acc.positions.is_empty() {
        return None;
    }
    let collateral = acc.collateral_scaled.keys().next()?;
    if acc.debt_scaled.contains_key(collateral) {
        return None;
    }
    let s = r / Decimal::TWO;
    // C (1 − u) = D (1 + b) (1 + s).
    let u = Decimal::ONE - debt.saturating_mul(Decimal::ONE + s).checked_div(c)?;
    if u < r {
        return None;
    }
    let mut prices = BandPrices::new();
    prices.push(PriceBand {
        asset: collateral.clone(),
        price: w.price(collateral),
        down: u.min(MAX_BAND),
        up: None,
    });
    prices.extend(
        acc.debt_scaled
            .keys()
            .map(|a| PriceBand::both(a.clone(), w.price(a), s)),
    );
    Some(prices)
}

impl LiqIndex {
    /// Replaces an account's liquidation points (sorted in when the curve is next read, see
    /// [`Points`]).
    pub fn set_points(&mut self, id: AccountId, points: PointList) {
        self.points.get_mut().pending.insert(id, points);
    }

    /// Sorts in the liquidation points re-checks left aside (see [`Points`]): a checkpoint
    /// copies the index, and would otherwise copy both an account's sorted and latest points.
    pub fn settle_points(&self) {
        self.points.borrow_mut().settle();
    }

    /// The value that becomes liquidatable as `asset` falls from `price` by each of `drops`
    /// (fractions, ascending): the sum over accounts whose liquidation price is at or above
    /// `price × (1 − drop)`, and how many accounts that is. As of each account's last re-check.
    pub fn liquidation_curve(
        &self,
        asset: &AssetId,
        price: Decimal,
        drops: &[Decimal],
    ) -> Vec<(Decimal, Decimal, u64)> {
        let mut points = self.points.borrow_mut();
        points.settle();
        let Some(map) = points.by_asset.get(asset) else {
            return drops.iter().map(|d| (*d, Decimal::ZERO, 0)).collect();
        };
        let mut out = Vec::with_capacity(drops.len());
        let mut iter = map.iter().rev().peekable();
        let (mut value, mut count) = (Decimal::ZERO, 0u64);
        for d in drops {
            // Liquidation prices below the level stop the sum: `k/10^18 < level ⇔ k < ⌈level·10^18⌉`.
            let level = to_key(price.saturating_mul(Decimal::ONE - *d), true);
            while let Some(((p, _), v)) = iter.peek() {
                if *p < level {
                    break;
                }
                value = value.saturating_add(**v);
                count += 1;
                iter.next();
            }
            out.push((*d, value, count));
        }
        out
    }

    pub fn remove(&mut self, id: AccountId) {
        self.always.remove(&id);
        if let Some(placed) = self.entries.remove(&id) {
            for (asset, lo, hi) in placed.bounds {
                if let Some(set) = self.lower.get_mut(&asset) {
                    set.remove(&(lo, id));
                }
                if hi == NO_UPPER {
                    continue;
                }
                if let Some(set) = self.upper.get_mut(&asset) {
                    set.remove(&(hi, id));
                }
            }
            for (asset, kind, k) in placed.limits {
                if let Some(set) = self.limits.get_mut(&(asset, kind)) {
                    set.remove(&(k, id));
                }
            }
        }
    }

    /// Puts an account in the index with `band`, replacing where it was (its entry is updated
    /// in place, as in [`LiqIndex::set_points`]).
    pub fn insert(&mut self, id: AccountId, band: Band) {
        let Self {
            lower,
            upper,
            limits,
            entries,
            always,
            ..
        } = self;
        always.remove(&id);
        let mut slot = entries.entry(id);
        let mut mine = match &mut slot {
            Entry::Occupied(o) => std::mem::take(o.get_mut()),
            Entry::Vacant(_) => Placed::default(),
        };
        for (asset, lo, hi) in mine.bounds.drain(..) {
            if let Some(set) = lower.get_mut(&asset) {
                set.remove(&(lo, id));
            }
            if hi == NO_UPPER {
                continue;
            }
            if let Some(set) = upper.get_mut(&asset) {
                set.remove(&(hi, id));
            }
        }
        for (asset, kind, k) in mine.limits.drain(..) {
            if let Some(set) = limits.get_mut(&(asset, kind)) {
                set.remove(&(k, id));
            }
        }
        let Band::Range {
            prices,
            limits: new_limits,
        } = band
        else {
            if let Entry::Occupied(o) = slot {
                o.remove();
            }
            if band == Band::Always {
                always.insert(id);
            }
            return;
        };
        mine.set(prices, new_limits);
        for (asset, lo, hi) in &mine.bounds {
            lower.entry(asset.clone()).or_default().insert((*lo, id));
            if *hi != NO_UPPER {
                upper.entry(asset.clone()).or_default().insert((*hi, id));
            }
        }
        for (asset, kind, k) in &mine.limits {
            limits
                .entry((asset.clone(), *kind))
                .or_default()
                .insert((*k, id));
        }
        match slot {
            Entry::Occupied(mut o) => *o.get_mut() = mine,
            Entry::Vacant(v) => {
                v.insert(mine);
            }
        }
    }

    /// Adds accounts the index does not hold yet, all at once: each structure is rebuilt from
    /// one sorted list instead of taking an insertion per account (a crowd of 100,000 joins at
    /// once). The same index as [`LiqIndex::insert`] and [`LiqIndex::set_points`] one by one.
    pub fn insert_new(&mut self, accounts: impl IntoIterator<Item = (AccountId, Band, PointList)>) {
        type Keys<K> = BTreeMap<K, Vec<(Key, AccountId)>>;
        type Values = BTreeMap<AssetId, Vec<((Key, AccountId), Decimal)>>;
        fn merge<K: Ord>(sets: &mut BTreeMap<K, BTreeSet<(Key, AccountId)>>, new: Keys<K>) {
            for (asset, mut keys) in new {
                keys.sort_unstable();
                let set = sets.entry(asset).or_default();
                if set.is_empty() {
                    // Already in order: collecting checks it in one pass.
                    *set = keys.into_iter().collect();
                } else {
                    let old = std::mem::take(set);
                    *set = old.into_iter().chain(keys).collect();
                }
            }
        }
        let (mut lower, mut upper) = (Keys::new(), Keys::new());
        let mut limits = Keys::new();
        let mut values = Values::new();
        let points = self.points.get_mut();
        points.settle();
        for (id, band, pts) in accounts {
            self.remove(id);
            let points = self.points.get_mut();
            if let Some(old) = points.entries.remove(&id) {
                unsort(&mut points.by_asset, id, old);
            }
            match band {
                Band::None => {}
                Band::Always => {
                    self.always.insert(id);
                }
                Band::Range {
                    prices,
                    limits: new_limits,
                } => {
                    let mut mine = Placed::default();
                    mine.set(prices, new_limits);
                    for (asset, lo, hi) in &mine.bounds {
                        lower.entry(asset.clone()).or_default().push((*lo, id));
                        if *hi != NO_UPPER {
                            upper.entry(asset.clone()).or_default().push((*hi, id));
                        }
                    }
                    for (asset, kind, k) in &mine.limits {
                        limits
                            .entry((asset.clone(), *kind))
                            .or_default()
                            .push((*k, id));
                    }
                    // Straight into the map (ids come in order, so each goes to its end): a
                    // list of a crowd's entries would be tens of megabytes, copied as it grows.
                    self.entries.insert(id, mine);
                }
            }
            if !pts.is_empty() {
                let mut mine = PlacedPoints::with_capacity(pts.len());
                for (asset, price, value) in pts {
                    let price = key(price, RoundingStrategy::MidpointAwayFromZero);
                    values
                        .entry(asset.clone())
                        .or_default()
                        .push(((price, id), value));
                    mine.push((asset, price));
                }
                self.points.get_mut().entries.insert(id, mine);
            }
        }
        merge(&mut self.lower, lower);
        merge(&mut self.upper, upper);
        merge(&mut self.limits, limits);
        let points = self.points.get_mut();
        for (asset, mut new) in values {
            new.sort_unstable_by_key(|x| x.0);
            let map = points.by_asset.entry(asset).or_default();
            if map.is_empty() {
                *map = new.into_iter().collect();
            } else {
                let old = std::mem::take(map);
                *map = old.into_iter().chain(new).collect();
            }
        }
    }

    /// Forgets every account (the epoch stays).
    pub fn clear_accounts(&mut self) {
        let epoch = std::mem::take(&mut self.epoch);
        *self = Self {
            epoch,
            ..Self::default()
        };
    }

    /// Accounts checked every step.
    pub fn always(&self) -> impl Iterator<Item = AccountId> + '_ {
        self.always.iter().copied()
    }

    /// Accounts whose band on `asset` the price `price` has left.
    pub fn crossed(&self, asset: &AssetId, price: Decimal, out: &mut BTreeSet<AccountId>) {
        // A key k is the bound k/10^18: `k/10^18 > price ⇔ k > ⌊price·10^18⌋` and
        // `k/10^18 < price ⇔ k < ⌈price·10^18⌉` (k an integer), so the integer sets answer
        // exactly as comparing the prices would.
        if let Some(set) = self.lower.get(asset) {
            // Lower bounds above the new price.
            let floor = to_key(price, false);
            for (_, id) in set.range((floor, AccountId(u64::MAX))..) {
                out.insert(*id);
            }
        }
        if let Some(set) = self.upper.get(asset) {
            // Upper bounds below it.
            let ceil = to_key(price, true);
            for (_, id) in set.range(..(ceil, AccountId(0))) {
                out.insert(*id);
            }
        }
    }

    /// Accounts whose interest or fee budget an index has used up: those with a limit below
    /// the index now (`k/10^18 < index ⇔ k < ⌈index·10^18⌉`, as for upper price bounds).
    pub fn drifted(&self, w: &World, out: &mut BTreeSet<AccountId>) {
        for ((asset, kind), set) in &self.limits {
            let Ok(st) = w.asset(asset) else {
                continue;
            };
            let ceil = to_key(kind.of(st), true);
            for (_, id) in set.range(..(ceil, AccountId(0))) {
                out.insert(*id);
            }
        }
    }

    /// True when funding since the epoch's start exceeds the bands' budget.
    pub fn needs_rebuild(&self, w: &World) -> bool {
        w.assets.iter().any(|(id, st)| {
            self.epoch
                .get(id)
                .is_none_or(|base| funding_past(st, base, FUNDING_BUDGET))
        })
    }

    /// Starts a new epoch at the current funding (every account was just re-checked).
    pub fn reset_epoch(&mut self, w: &World) {
        self.epoch = epoch_at(w);
        self.sweep = None;
    }

    /// The accounts to re-check in this step so that every band is recomputed before the
    /// funding budget runs out (see the module's documentation): none until `SWEEP_FROM` of it
    /// is spent, then a slice in id order, as many as the budget spent since calls for (those
    /// with anything to liquidate are returned).
    pub fn sweep_slice(&mut self, w: &World, accounts: &Accounts) -> Vec<AccountId> {
        if self.sweep.is_none() {
            let due = w.assets.iter().any(|(id, st)| {
                self.epoch
                    .get(id)
                    .is_none_or(|base| funding_past(st, base, FUNDING_BUDGET * SWEEP_FROM))
            });
            if !due {
                return Vec::new();
            }
            self.sweep = Some(Sweep {
                next: epoch_at(w),
                cursor: None,
                swept: 0,
                total: accounts.len(),
            });
        }
        let spent = self.budget_spent(w);
        let Some(sweep) = self.sweep.as_mut() else {
            return Vec::new();
        };
        // Accounts due by now: the share of the budget spent past `SWEEP_FROM`, over the
        // sweep's span, of the accounts there were (all that remain once `SWEEP_BY` is passed).
        let due = if spent >= SWEEP_BY {
            usize::MAX
        } else {
            let share = ((spent - SWEEP_FROM) / (SWEEP_BY - SWEEP_FROM)).max(Decimal::ZERO);
            let n = (share * Decimal::from(sweep.total)).ceil();
            rust_decimal::prelude::ToPrimitive::to_usize(&n).unwrap_or(usize::MAX)
        };
        let mut out = Vec::new();
        let mut rest = accounts.after(sweep.cursor);
        while sweep.swept < due {
            let Some((&id, acc)) = rest.next() else {
                // Past the last account: every band is now in the new epoch.
                let next = std::mem::take(&mut sweep.next);
                self.epoch = next;
                self.sweep = None;
                return out;
            };
            sweep.cursor = Some(id);
            sweep.swept += 1;
            if acc.has_risk() {
                out.push(id);
            }
        }
        out
    }

    /// The largest share of its budget any asset's funding has spent since the epoch's start
    /// (one when it cannot be worked out: the sweep then finishes at once).
    fn budget_spent(&self, w: &World) -> Decimal {
        let mut spent = Decimal::ZERO;
        for (id, st) in &w.assets {
            let Some(base) = self.epoch.get(id) else {
                return Decimal::ONE;
            };
            match (st.funding_cumulative - base.funding)
                .abs()
                .checked_div(st.price * FUNDING_BUDGET)
            {
                Some(s) => spent = spent.max(s),
                None => return Decimal::ONE,
            }
        }
        spent
    }

    /// Number of accounts indexed with a price band, and checked every step.
    pub fn sizes(&self) -> (usize, usize) {
        (self.entries.len(), self.always.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // TC: an account's interest budget is a quarter of its slack, clamped to [DRIFT, MAX_DRIFT],
    // times the account's own spread in (1/2, 1]; the shortcuts at either clamp answer as the
    // division does (a wrong shortcut would give a budget the band does not cover: a late
    // liquidation), and the spread takes many values (accounts banded together come due apart).
    #[test]
    fn funding_budget_is_half_the_drift() {
        assert_eq!(FUNDING_BUDGET, FUNDING_DRIFT / Decimal::TWO);
    }

    #[test]
    fn interest_budget_follows_the_slack() {
        let full = |c: Decimal, d: Decimal| {
            if d.is_zero() {
                DRIFT
            } else {
                ((c / d - Decimal::ONE) / dec!(4)).clamp(DRIFT, MAX_DRIFT)
            }
        };
        let cases = [
            (dec!(1), dec!(1)),
            (dec!(1.08), dec!(1)),
            (dec!(1.0800001), dec!(1)),
            (dec!(1.2), dec!(1)),
            (dec!(1.3999999), dec!(1)),
            (dec!(1.4), dec!(1)),
            (dec!(3), dec!(1)),
            (dec!(5), dec!(0)),
            (dec!(123456.78), dec!(100000)),
        ];
        let mut spreads = BTreeSet::new();
        let mut checked = 0;
        for id in 0..200u64 {
            let spread = budget(AccountId(id), Decimal::ONE, Decimal::ONE) / DRIFT;
            assert!(spread > dec!(0.5) && spread <= Decimal::ONE, "{spread}");
            spreads.insert(spread);
            for (c, d) in cases {
                assert_eq!(
                    budget(AccountId(id), c, d),
                    full(c, d) * spread,
                    "{c} / {d}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 1800);
        assert!(spreads.len() >= 50, "{} spreads", spreads.len());
    }

    // TC: a key k stands for the price k/10^18; a query compares a price with the keys through
    // its floor or ceiling. For prices with more places than the keys (up to 28), fewer, negative
    // and zero, and keys on, next to and far from them, the integer comparisons answer as the
    // prices would. A bug here would re-check an account one tick late (a missed liquidation).
    #[test]
    fn keys_compare_as_the_prices_they_stand_for() {
        let prices = [
            Decimal::from_i128_with_scale(1_234_567_890_123_456_789_012_345, 25),
            Decimal::from_i128_with_scale(-1_234_567_890_123_456_789_012_345, 25),
            Decimal::from_i128_with_scale(1, 28),
            Decimal::from_i128_with_scale(5, 19),
            Decimal::from_i128_with_scale(-5, 19),
            Decimal::from_i128_with_scale(2_000_000_000_000_000_000_000, 18),
            Decimal::new(1_999_999, 3),
            Decimal::ZERO,
            Decimal::from(1_000_000_000u64),
        ];
        let mut checked = 0;
        for p in prices {
            let (floor, ceil) = (to_key(p, false), to_key(p, true));
            assert!(ceil - floor <= 1, "{p}");
            for k in [
                floor - 2,
                floor - 1,
                floor,
                floor + 1,
                ceil,
                ceil + 1,
                ceil + 2,
            ] {
                let bound = Decimal::from_i128_with_scale(k, KEY_SCALE);
                assert_eq!(k > floor, bound > p, "{k} vs {p}");
                assert_eq!(k < ceil, bound < p, "{k} vs {p}");
                checked += 1;
            }
        }
        assert_eq!(checked, 63);
        // Each rounding a key is made with, in integers, against `Decimal`'s own rounding.
        for p in prices {
            for strategy in [
                RoundingStrategy::ToPositiveInfinity,
                RoundingStrategy::ToNegativeInfinity,
                RoundingStrategy::MidpointAwayFromZero,
            ] {
                let want = p.round_dp_with_strategy(KEY_SCALE, strategy);
                assert_eq!(
                    Decimal::from_i128_with_scale(key(p, strategy), KEY_SCALE),
                    want,
                    "{p} {strategy:?}"
                );
            }
        }
        let half = Decimal::from_i128_with_scale(25, 19);
        assert_eq!(key(half, RoundingStrategy::MidpointAwayFromZero), 3);
        assert_eq!(key(-half, RoundingStrategy::MidpointAwayFromZero), -3);
        // Rounding to a key keeps the price when it has at most 18 places.
        let p = Decimal::new(1_999_999, 3);
        assert_eq!(
            Decimal::from_i128_with_scale(key(p, RoundingStrategy::ToZero), KEY_SCALE),
            p
        );
    }
}
