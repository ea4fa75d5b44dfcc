//! A running session: the script, the feed, the engine at the current tick, and the series the
//! charts draw. Everything is re-derived from the script, so scrubbing back is a replay.
//!
//! Tick semantics: opening a session steps tick 0; [`Session::advance`] steps the next tick; an
//! action taken while tick `t` is shown is recorded with `tick: t` and applied right after that
//! tick's price step. Replaying applies, for each tick, the step then that tick's actions in order.
//!
//! Scrubbing back to tick `t` rewinds the engine to the nearest checkpoint (one every
//! [`CHECKPOINT_EVERY`] ticks at first) and replays from there, keeping the later actions; acting
//! at `t` then discards the actions after `t` (the timeline branches). A checkpoint holds the
//! engine's state without its event log (the log is kept once and cut back on a rewind), and the
//! checkpoints together stay within [`CHECKPOINT_BUDGET_BYTES`]: when they would not, every other
//! one is dropped and the spacing doubles. Memory therefore grows linearly with the session.

use rust_decimal::Decimal;

use super::scenario;
use super::script::{Action, Script};
use crate::engine::system::MarketPricer;
use crate::engine::{
    AccountId, AccountMetrics, Checkpoint, Command, Engine, EngineConfig, Event, EventKind,
};
use crate::feed::{PathFeed, PriceFeed};

/// Ticks between engine checkpoints kept for scrubbing (at first; see [`CHECKPOINT_BUDGET_BYTES`]).
pub const CHECKPOINT_EVERY: usize = 250;
/// Most memory the checkpoints of one session may take, by [`Checkpoint::approx_bytes`].
pub const CHECKPOINT_BUDGET_BYTES: usize = 192 * 1024 * 1024;

/// Engine checkpoints at ticks, thinned to stay within the budget.
struct Checkpoints {
    every: usize,
    items: Vec<(usize, Checkpoint)>,
    /// Checkpoints thinning dropped, freed one per tick: a crowd's checkpoint is tens of
    /// thousands of allocations, and freeing half of them at once was the longest task of a
    /// crowd's playback in Chromium (52 ms for 10,000 borrowers).
    released: Vec<Checkpoint>,
}

impl Clone for Checkpoints {
    /// A copy without the checkpoints waiting to be freed.
    fn clone(&self) -> Self {
        Self {
            every: self.every,
            items: self.items.clone(),
            released: Vec::new(),
        }
    }
}

impl Checkpoints {
    fn new() -> Self {
        Self {
            every: CHECKPOINT_EVERY,
            items: Vec::new(),
            released: Vec::new(),
        }
    }

    /// Takes one at tick `i` when it is due (and frees one that thinning dropped, if any).
    fn maybe_take(&mut self, i: usize, engine: &Engine) {
        drop(self.released.pop());
        if !i.is_multiple_of(self.every) || self.items.iter().any(|(t, _)| *t == i) {
            return;
        }
        let cp = engine.checkpoint();
        let size = cp.approx_bytes().max(1);
        self.items.push((i, cp));
        while self.items.len() > 2 && self.items.len() * size > CHECKPOINT_BUDGET_BYTES {
            self.every *= 2;
            let every = self.every;
            let (kept, dropped) = std::mem::take(&mut self.items)
                .into_iter()
                .partition(|(t, _)| t.is_multiple_of(every));
            self.items = kept;
            self.released
                .extend(dropped.into_iter().map(|(_, cp): (usize, Checkpoint)| cp));
        }
    }

    /// The latest checkpoint at or before `tick`.
    fn at_or_before(&self, tick: usize) -> Option<&(usize, Checkpoint)> {
        self.items.iter().rev().find(|(t, _)| *t <= tick)
    }

    /// Drops those after `tick` (the timeline branched there).
    fn drop_after(&mut self, tick: usize) {
        self.items.retain(|(t, _)| *t <= tick);
    }
}

/// What the charts need per tick, recorded as the session steps.
#[derive(Clone, Debug, Default)]
pub struct Series {
    /// Per engine asset (config order): market and oracle price at each tick.
    pub market: Vec<Vec<Decimal>>,
    pub oracle: Vec<Vec<Decimal>>,
    /// The learner's health factor (None = no debt) and perp margin ratio at each tick.
    pub health: Vec<Option<Decimal>>,
    pub margin_ratio: Vec<Option<Decimal>>,
    /// The whole market at each tick: liquidations in the step, the value they took, and the
    /// bad debt recorded so far (at oracle prices).
    pub liquidations: Vec<u32>,
    pub liquidated_value: Vec<Decimal>,
    pub bad_debt: Vec<Decimal>,
    /// Changes whenever recorded values are cut or overwritten (a scrub back, an action at the
    /// tick shown), not when values are appended, and differs between sessions: a view that
    /// converts the series (the charts' `f64`s) converts only what was appended while it stays
    /// the same. Not part of equality.
    pub revision: u64,
}

impl PartialEq for Series {
    fn eq(&self, other: &Self) -> bool {
        self.market == other.market
            && self.oracle == other.oracle
            && self.health == other.health
            && self.margin_ratio == other.margin_ratio
            && self.liquidations == other.liquidations
            && self.liquidated_value == other.liquidated_value
            && self.bad_debt == other.bad_debt
    }
}

/// A revision no series had before (see [`Series::revision`]).
fn next_revision() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The outcome of stepping: how many ticks were stepped and whether a learner liquidation happened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Advance {
    pub stepped: usize,
    pub user_liquidated: bool,
    /// The last event of those ticks in which the learner was liquidated (its `seq`).
    pub user_liquidation: Option<u64>,
    /// A tick was left part-way ([`Session::advance_within`]): the next call goes on with it.
    pub mid_tick: bool,
    /// [`Session::advance_within`] stopped between two ticks because `pause` said so.
    pub out_of_time: bool,
}

#[derive(Clone)]
pub struct Session {
    script: Script,
    config: EngineConfig,
    feed: PathFeed,
    /// The market prices the engine is stepped with, per tick (see [`MarketPricer`]).
    pricer: MarketPricer,
    engine: Engine,
    /// The tick currently shown (already stepped, its actions applied).
    tick: usize,
    series: Series,
    /// For each asset the engine lists (by id), its place in the config's order (the series').
    chart_slots: Vec<Option<usize>>,
    checkpoints: Checkpoints,
    /// True when the feed is the user's import (it cannot be rebuilt from the script).
    imported: bool,
    /// A tick whose engine step [`Session::advance_within`] paused part-way (the tick shown is
    /// still the one before).
    mid_tick: Option<usize>,
    /// What ending such a tick outside `advance_within` found ([`Session::settle`]), for the next
    /// call to report.
    unreported: Result<Advance, String>,
    /// The checkpoint of tick 0 is still to be taken: it is taken before the engine first
    /// changes, or earlier when the page has idle time ([`Session::take_deferred_checkpoint`]).
    /// Copying a crowd's engine is a tenth of opening it (about 90 ms of 1 s with 100,000
    /// borrowers), and the page can show the new session first.
    checkpoint_owed: bool,
}

impl Session {
    /// Builds the session of a script and replays every action; a script whose actions the engine
    /// rejects (a hand-edited or hostile link) is refused with the reason.
    pub fn open(script: Script) -> Result<Self, String> {
        Self::open_with(script, None)
    }

    /// [`Session::open`] on the user's own prices (a scenario whose feed is
    /// [`scenario::IMPORTED_PREFIX`]`<name>`).
    pub fn open_with(script: Script, imported: Option<PathFeed>) -> Result<Self, String> {
        match &imported {
            Some(_) => script.check_shape(),
            None => script.check(),
        }
        .map_err(|e| e.to_string())?;
        let imported_feed = imported.is_some();
        let (config, feed) = scenario::build(&script.scenario, imported.as_ref())?;
        let engine = Engine::new(config.clone()).map_err(|e| e.to_string())?;
        let pricer = MarketPricer::new(&config, feed.assets());
        let mut session = Self {
            script: Script::new(script.scenario.clone()),
            config,
            feed,
            pricer,
            engine,
            tick: 0,
            series: Series {
                revision: next_revision(),
                ..Series::default()
            },
            chart_slots: Vec::new(),
            checkpoints: Checkpoints::new(),
            imported: imported_feed,
            mid_tick: None,
            unreported: Ok(Advance::default()),
            checkpoint_owed: false,
        };
        session.step_tick(0)?;
        let last_tick = script.actions.last().map_or(0, |a| a.tick as usize);
        if last_tick >= session.feed.len() {
            return Err(format!(
                "an action is at tick {last_tick}, after the scenario's last tick ({})",
                session.feed.len().saturating_sub(1)
            ));
        }
        for action in script.actions {
            while session.tick < action.tick as usize {
                session.step_tick(session.tick + 1)?;
            }
            session
                .engine_mut()
                .apply(AccountId::USER, action.command.clone())
                .map_err(|r| format!("the action at tick {} was refused: {r}", action.tick))?;
            session.script.actions.push(action);
        }
        session.record(session.tick);
        Ok(session)
    }

    /// Steps tick `i`; returns how many events the step logged (the last of the engine's events),
    /// the scenario's scripted commands at this tick included.
    fn step_tick(&mut self, i: usize) -> Result<usize, String> {
        match self.step_tick_within(i, &mut || false)? {
            Some(logged) => Ok(logged),
            // Never asked to pause, the step cannot be left part-way; it would end here.
            None => Ok(self
                .resume_tick(&mut || false)?
                .map_or(0, |(_, logged)| logged)),
        }
    }

    /// Goes on with the tick left part-way, if any, pausing as `pause` says: once it has ended
    /// (with [`Session::end_tick`]'s work), `Some((tick, events logged))`.
    fn resume_tick(
        &mut self,
        pause: &mut dyn FnMut() -> bool,
    ) -> Result<Option<(usize, usize)>, String> {
        let Some(i) = self.mid_tick else {
            return Ok(None);
        };
        let Some(logged) = self.engine_mut().resume_step(pause) else {
            return Ok(None);
        };
        self.mid_tick = None;
        Ok(Some((i, self.end_tick(i, logged)?)))
    }

    /// [`Session::step_tick`] whose engine step pauses when `pause` says so (see
    /// `Engine::step_within`): `None` leaves tick `i` part-way ([`Session::mid_tick`]).
    fn step_tick_within(
        &mut self,
        i: usize,
        pause: &mut dyn FnMut() -> bool,
    ) -> Result<Option<usize>, String> {
        const PAST_END: &str = "past the end of the feed";
        let time = self.feed.time(i).ok_or(PAST_END)?;
        self.take_deferred_checkpoint();
        let feed = &self.feed;
        let prices = self.pricer.prices(|k| feed.price(i, k)).ok_or(PAST_END)?;
        let logged = self
            .engine
            .step_within(time, prices, pause)
            .map_err(|e| e.to_string())?;
        match logged {
            Some(logged) => self.end_tick(i, logged).map(Some),
            None => {
                self.mid_tick = Some(i);
                Ok(None)
            }
        }
    }

    /// What follows tick `i`'s engine step: the scenario's scripted commands, checkpoints, chart
    /// values. Takes and returns how many events the tick logged.
    fn end_tick(&mut self, i: usize, mut logged: usize) -> Result<usize, String> {
        // What the scenario scripts at this tick (a rating downgrade); an account it does not
        // apply to (outside the credit tiers) is left as it is.
        for command in self.script.scenario.scripted_commands(i as u32) {
            if let Ok(evs) = self.engine.apply(AccountId::USER, command) {
                logged += evs.len();
            }
        }
        self.tick = i;
        if i == 0 {
            self.checkpoint_owed = true;
        } else {
            self.checkpoints.maybe_take(i, &self.engine);
        }
        self.record(i);
        self.record_market(i, logged);
        Ok(logged)
    }

    /// Appends (or overwrites) the chart values of tick `i`.
    fn record(&mut self, i: usize) {
        if i < self.series.health.len() {
            self.series.revision = next_revision();
        }
        let n = self.config.assets.len();
        if self.series.market.len() != n {
            self.series.market = vec![Vec::new(); n];
            self.series.oracle = vec![Vec::new(); n];
        }
        if self.chart_slots.len() != self.engine.asset_prices().count() {
            // The engine lists its assets by id; the series follow the config's order.
            self.chart_slots = self
                .engine
                .asset_prices()
                .map(|(id, _, _)| self.config.assets.iter().position(|a| &a.id == id))
                .collect();
        }
        for v in self.series.market.iter_mut().chain(&mut self.series.oracle) {
            v.truncate(i);
        }
        for (slot, (_, m, o)) in self.chart_slots.iter().zip(self.engine.asset_prices()) {
            if let Some(k) = *slot {
                self.series.market[k].push(m);
                self.series.oracle[k].push(o);
            }
        }
        // An asset of the config the engine does not price (none today) keeps the chart aligned.
        for v in self.series.market.iter_mut().chain(&mut self.series.oracle) {
            if v.len() == i {
                v.push(Decimal::ZERO);
            }
        }
        let (health, margin) = self
            .engine
            .risk_ratios(&AccountId::USER)
            .unwrap_or((None, None));
        self.series.health.truncate(i);
        self.series.margin_ratio.truncate(i);
        self.series.health.push(health);
        self.series.margin_ratio.push(margin);
    }

    /// The market's aggregates of tick `i`, from its step's events (the engine's last `logged`).
    fn record_market(&mut self, i: usize, logged: usize) {
        let (mut n, mut value) = (0u32, Decimal::ZERO);
        let events = self.engine.events();
        for e in &events[events.len().saturating_sub(logged)..] {
            if let Some(v) = e.kind.liquidated_value() {
                n += 1;
                value += v;
            }
        }
        let s = &mut self.series;
        s.liquidations.truncate(i);
        s.liquidated_value.truncate(i);
        s.bad_debt.truncate(i);
        s.liquidations.push(n);
        s.liquidated_value.push(value);
        s.bad_debt.push(self.engine.bad_debt_value());
    }

    /// Steps up to `n` ticks; stops early at the end of the feed or, when `pause_on_liquidation`,
    /// right after a tick in which the learner was liquidated.
    pub fn advance(&mut self, n: usize, pause_on_liquidation: bool) -> Result<Advance, String> {
        let out = self.advance_within(n, pause_on_liquidation, &mut || false)?;
        // Nothing paused the engine, but a tick a read ended (`settle`) may be reported here.
        debug_assert!(!out.mid_tick);
        Ok(out)
    }

    /// [`Session::advance`] that stops when `pause` says so: asked after each tick, and inside a
    /// tick every few liquidation re-checks (`Engine::step_within`), so that a crash tick
    /// re-checking thousands of borrowers is cut into slices the page runs between frames. A tick left part-way is
    /// gone on with first at the next call (even with `n` = 0), and ends as it would have whole.
    /// Until then the session shows the tick before; [`Session::act`], [`Session::seek`] and
    /// [`Session::settle`] end it first.
    pub fn advance_within(
        &mut self,
        n: usize,
        pause_on_liquidation: bool,
        pause: &mut dyn FnMut() -> bool,
    ) -> Result<Advance, String> {
        let mut out = std::mem::replace(&mut self.unreported, Ok(Advance::default()))?;
        if out.user_liquidated && pause_on_liquidation {
            return Ok(out);
        }
        if self.mid_tick.is_some() {
            let Some((i, logged)) = self.resume_tick(pause)? else {
                out.mid_tick = true;
                return Ok(out);
            };
            self.close_tick(i, logged, &mut out)?;
            if out.user_liquidated && pause_on_liquidation {
                return Ok(out);
            }
        }
        while out.stepped < n && self.tick + 1 < self.feed.len() {
            let next = self.tick + 1;
            let Some(logged) = self.step_tick_within(next, pause)? else {
                out.mid_tick = true;
                break;
            };
            self.close_tick(next, logged, &mut out)?;
            if out.user_liquidated && pause_on_liquidation {
                break;
            }
            if out.stepped < n && pause() {
                out.out_of_time = true;
                break;
            }
        }
        Ok(out)
    }

    /// After tick `i` (its step logged `logged` events): whether the learner was liquidated in
    /// it, and the actions recorded at it re-applied (after a scrub back), with the tick's chart
    /// values recorded again after them.
    fn close_tick(&mut self, i: usize, logged: usize, out: &mut Advance) -> Result<(), String> {
        let events = self.engine.events();
        if let Some(e) = events[events.len() - logged..]
            .iter()
            .rev()
            .find(|e| is_user_liquidation(&e.kind))
        {
            out.user_liquidated = true;
            out.user_liquidation = Some(e.seq);
        }
        if self.apply_recorded(i)? > 0 {
            self.record(i);
        }
        out.stepped += 1;
        Ok(())
    }

    /// Whether a tick was left part-way by [`Session::advance_within`].
    pub fn mid_tick(&self) -> bool {
        self.mid_tick.is_some()
    }

    /// Ends a tick left part-way, if any (whatever reads the session needs whole ticks); the
    /// next [`Session::advance_within`] reports what it found (a liquidation of the learner, an
    /// error).
    pub fn settle(&mut self) {
        if self.mid_tick.is_none() {
            return;
        }
        let found = std::mem::replace(&mut self.unreported, Ok(Advance::default()));
        // The tick ends whatever was found before it; the first error is the one reported.
        let mut out = found.as_ref().copied().unwrap_or_default();
        let ended = self.resume_tick(&mut || false).and_then(|done| match done {
            Some((i, logged)) => self.close_tick(i, logged, &mut out),
            None => Ok(()),
        });
        self.unreported = found.and(ended).map(|()| out);
    }

    /// A throwaway copy that steps on from the current tick doing the work this session's steps
    /// do (the engine's step with a hashed log, the chart series, checkpoints) without copying
    /// what the session has gathered: its log, checkpoints and series start empty. Nothing it
    /// does comes back to this session. The page warms its wasm up with one
    /// (`ui::util::warm`).
    pub fn rehearsal(&self) -> Session {
        Session {
            script: self.script.clone(),
            config: self.config.clone(),
            feed: self.feed.clone(),
            pricer: self.pricer.clone(),
            engine: self.engine.rehearsal(),
            tick: self.tick,
            series: Series::default(),
            chart_slots: self.chart_slots.clone(),
            checkpoints: Checkpoints::new(),
            imported: self.imported,
            mid_tick: self.mid_tick,
            unreported: Ok(Advance::default()),
            checkpoint_owed: false,
        }
    }

    /// Takes the checkpoint of tick 0 if it is still owed (opening defers it, as copying a crowd
    /// is a tenth of opening it); true if it did. The page calls it in idle time after opening a
    /// session; anything that changes the engine calls it first, so the checkpoint is always of
    /// tick 0 as it was.
    pub fn take_deferred_checkpoint(&mut self) -> bool {
        if !std::mem::take(&mut self.checkpoint_owed) {
            return false;
        }
        self.checkpoints.maybe_take(0, &self.engine);
        true
    }

    /// The engine, to change (the checkpoint of tick 0 is taken first if it is still owed).
    fn engine_mut(&mut self) -> &mut Engine {
        self.take_deferred_checkpoint();
        &mut self.engine
    }

    /// Re-applies the recorded actions of `tick`, in order, after that tick's price step; returns
    /// how many. Actions are in tick order, so they are found by binary search (this runs every
    /// tick).
    fn apply_recorded(&mut self, tick: usize) -> Result<usize, String> {
        let actions = &self.script.actions;
        let from = actions.partition_point(|a| (a.tick as usize) < tick);
        let to = from + actions[from..].partition_point(|a| a.tick as usize == tick);
        for k in from..to {
            let command = self.script.actions[k].command.clone();
            self.engine_mut()
                .apply(AccountId::USER, command)
                .map_err(|r| format!("a recorded action no longer applies: {r}"))?;
        }
        Ok(to - from)
    }

    /// Applies a learner action at the current tick. A rejection changes nothing (the engine
    /// guarantees it) and records nothing. Actions recorded after this tick are discarded.
    pub fn act(&mut self, command: Command) -> Result<Vec<Event>, String> {
        self.settle();
        let events = self
            .engine_mut()
            .apply(AccountId::USER, command.clone())
            .map_err(|r| r.to_string())?;
        let tick = self.tick;
        self.script.actions.retain(|a| (a.tick as usize) <= tick);
        self.checkpoints.drop_after(tick);
        self.script.actions.push(Action {
            tick: tick as u32,
            command,
        });
        self.record(tick);
        Ok(events)
    }

    /// A fresh session (no actions) of `scenario` on the same prices when they were imported.
    pub fn reopen_as(&self, scenario: super::Scenario) -> Result<Self, String> {
        let imported = self.imported.then(|| self.feed.clone());
        Self::open_with(Script::new(scenario), imported)
    }

    /// True when the prices were imported by the user.
    pub fn is_imported(&self) -> bool {
        self.imported
    }

    /// Whether the script rebuilds this session on its own (what a link or session file needs):
    /// a bundled scenario, or imported prices the scenario carries
    /// ([`Scenario::carry_prices`](super::Scenario::carry_prices)).
    pub fn can_share(&self) -> bool {
        !self.imported || self.script.scenario.imported_prices().is_some()
    }

    /// Previews a command's effect on the learner's metrics without changing anything.
    pub fn preview(&self, command: &Command) -> Result<AccountMetrics, String> {
        self.engine
            .preview(AccountId::USER, command)
            .map_err(|r| r.to_string())
    }

    /// Moves to tick `target` (backwards by replay from a checkpoint, forwards by stepping).
    pub fn seek(&mut self, target: usize) -> Result<(), String> {
        self.settle();
        let target = target.min(self.feed.len().saturating_sub(1));
        if target < self.tick {
            self.take_deferred_checkpoint();
            let rewound = match self.checkpoints.at_or_before(target) {
                Some((t, cp)) => self.engine.rewind(cp).ok().map(|_| *t),
                None => None,
            };
            let Some(t) = rewound else {
                let reopened = self.reopen_as(self.script.scenario.clone())?;
                let actions = std::mem::take(&mut self.script.actions);
                *self = reopened;
                self.script.actions = actions;
                return self.seek(target);
            };
            self.tick = t;
            // Re-apply the checkpoint tick's actions (the checkpoint was taken before them).
            self.apply_recorded(t)?;
            self.record(t);
        }
        while self.tick < target {
            self.advance(target - self.tick, false)?;
        }
        Ok(())
    }

    pub fn script(&self) -> &Script {
        &self.script
    }
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }
    pub fn feed(&self) -> &PathFeed {
        &self.feed
    }
    pub fn engine(&self) -> &Engine {
        &self.engine
    }
    pub fn tick(&self) -> usize {
        self.tick
    }
    pub fn len(&self) -> usize {
        self.feed.len()
    }
    pub fn is_empty(&self) -> bool {
        self.feed.len() == 0
    }
    pub fn at_end(&self) -> bool {
        self.tick + 1 >= self.feed.len()
    }
    pub fn series(&self) -> &Series {
        &self.series
    }
    pub fn time(&self) -> i64 {
        self.feed.time(self.tick).unwrap_or_default()
    }
    pub fn log_hash(&self) -> String {
        self.engine.log_hash()
    }

    /// Engine assets with those the feed moves first (the ones worth charting, trading, shocking).
    pub fn assets_by_relevance(&self) -> Vec<crate::engine::AssetId> {
        let moved =
            |id: &crate::engine::AssetId| self.feed.assets().iter().any(|f| f == id.as_str());
        let mut ids: Vec<_> = self.config.assets.iter().map(|a| a.id.clone()).collect();
        ids.sort_by_key(|id| !moved(id));
        ids
    }
}

/// True for an event that liquidated (part of) the learner's account.
pub fn is_user_liquidation(kind: &EventKind) -> bool {
    kind.is_liquidation_of(AccountId::USER)
}

/// Whether a replay reproduced the author's event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verification {
    /// Same script, tick and event log as the author's (payload 1: same event-log hash).
    Verified,
    /// The hashes differ: the replay is not the author's session.
    Differs,
    /// A payload-1 link that carried no hash.
    Unchecked,
}

impl Session {
    /// The link of this session: its whole script (actions after the tick shown included) and
    /// the tick shown, with what this replay saw there for the opener to verify.
    pub fn share(&self) -> super::Shared {
        super::Shared::new(self.script.clone(), self.tick as u32, &self.log_hash())
    }
}

impl Session {
    /// Replays a shared session (the whole script, its later actions included) and shows the
    /// author's tick; checks what the link carries (payload 2: the digest binding the script, the
    /// tick and the event log; payload 1: the event-log hash alone).
    pub fn open_shared(shared: super::Shared) -> Result<(Self, Verification), String> {
        let tick = shared.tick as usize;
        let mut session = Self::open(shared.script.clone())
            .map_err(|e| format!("This link could not be replayed: {e}"))?;
        if tick >= session.len() {
            return Err(format!(
                "This link could not be replayed: it stops at tick {tick}, after the scenario's last tick ({}).",
                session.len().saturating_sub(1)
            ));
        }
        session
            .seek(tick)
            .map_err(|e| format!("This link could not be replayed: {e}"))?;
        let verification = match shared.verifies(&session.log_hash()) {
            None => Verification::Unchecked,
            Some(true) => Verification::Verified,
            Some(false) => Verification::Differs,
        };
        Ok((session, verification))
    }
}
