//! The app's state: one [`Session`] (non-reactive, it is large) plus a version signal that every
//! view tracks. Components read through [`Lab::with`] and change things through [`Lab::update`],
//! which bumps the version so the views that read the session re-render once.

use leptos::prelude::*;

use crate::replay::Session;
use crate::ui::util::playback::Speed;

/// A message shown in the status bar: what went wrong (in plain words) or what just happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    Info(String),
    Error(String),
}

/// Shared app state, provided as context by [`crate::ui::App`].
#[derive(Clone, Copy)]
pub struct Lab {
    session: StoredValue<Option<Session>, LocalStorage>,
    /// Bumped on every change to the session.
    pub version: RwSignal<u64>,
    /// The session changed without a re-render ([`Lab::update_quietly`]); [`Lab::publish`] re-renders.
    unpublished: StoredValue<bool, LocalStorage>,
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<Speed>,
    pub pause_on_liquidation: RwSignal<bool>,
    pub notice: RwSignal<Option<Notice>>,
    /// The asset the price chart shows.
    pub chart_asset: RwSignal<Option<String>>,
    /// Sequence number of the liquidation the explainer shows.
    pub explained: RwSignal<Option<u64>>,
    /// The hash the author of an opened link saw, when the link carried one.
    pub verified: RwSignal<Option<bool>>,
}

impl Lab {
    pub fn new() -> Self {
        Self {
            session: StoredValue::new_local(None),
            version: RwSignal::new(0),
            unpublished: StoredValue::new_local(false),
            playing: RwSignal::new(false),
            speed: RwSignal::new(Speed::PerSecond(20.0)),
            pause_on_liquidation: RwSignal::new(true),
            notice: RwSignal::new(None),
            chart_asset: RwSignal::new(None),
            explained: RwSignal::new(None),
            verified: RwSignal::new(None),
        }
    }

    /// Reads the session (tracked: the caller re-runs when the session changes).
    pub fn with<R>(&self, f: impl FnOnce(&Session) -> R) -> Option<R> {
        self.version.track();
        self.with_untracked(f)
    }

    /// Reads the session without tracking (event handlers).
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Session) -> R) -> Option<R> {
        self.settle();
        self.session.try_with_value(|s| s.as_ref().map(f)).flatten()
    }

    /// Whether playback left a tick part-way (`Session::advance_within`).
    pub fn mid_tick(&self) -> bool {
        self.session
            .try_with_value(|s| s.as_ref().is_some_and(Session::mid_tick))
            .unwrap_or(false)
    }

    /// Ends a tick playback left part-way, so that what reads the session sees whole ticks only
    /// (re-rendered at the next publish; the next stepping reports what the tick found).
    fn settle(&self) {
        if self.mid_tick() {
            self.session.update_value(|s| {
                if let Some(s) = s.as_mut() {
                    s.settle();
                }
            });
            self.unpublished.set_value(true);
        }
    }

    /// Changes the session and re-renders what reads it.
    pub fn update<R>(&self, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
        self.settle();
        let out = self
            .session
            .try_update_value(|s| s.as_mut().map(f))
            .flatten();
        self.unpublished.set_value(false);
        self.version.update(|v| *v += 1);
        out
    }

    /// Changes the session without re-rendering: playback steps many ticks between two frames
    /// and [`Lab::publish`]es once per frame. A tick left part-way stays so (playback goes on
    /// with it).
    pub fn update_quietly<R>(&self, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
        let out = self
            .session
            .try_update_value(|s| s.as_mut().map(f))
            .flatten();
        self.unpublished.set_value(true);
        out
    }

    /// Re-renders what reads the session if it changed quietly since the last render. Not while
    /// playback has a tick part-way: the views would end it in one go (they read whole ticks),
    /// which is the long task the slicing avoids; they are re-rendered once it has ended.
    pub fn publish(&self) {
        if self.unpublished.get_value() && !self.mid_tick() {
            self.unpublished.set_value(false);
            self.version.update(|v| *v += 1);
        }
    }

    /// Takes the session's checkpoint of tick 0 if opening deferred it
    /// (`Session::take_deferred_checkpoint`). Nothing the views show changes: no re-render.
    pub fn take_deferred_checkpoint(&self) {
        self.session.try_update_value(|s| {
            if let Some(s) = s.as_mut() {
                s.take_deferred_checkpoint();
            }
        });
    }

    pub fn has_session(&self) -> bool {
        self.version.track();
        self.session
            .try_with_value(|s| s.is_some())
            .unwrap_or(false)
    }

    /// Makes `session` the current one (resets playback and per-session views).
    pub fn install(&self, session: Session) {
        self.playing.set(false);
        self.chart_asset.set(None);
        self.explained.set(None);
        self.verified.set(None);
        self.session.set_value(Some(session));
        self.unpublished.set_value(false);
        self.version.update(|v| *v += 1);
    }

    pub fn error(&self, message: impl Into<String>) {
        self.notice.set(Some(Notice::Error(message.into())));
    }

    pub fn info(&self, message: impl Into<String>) {
        self.notice.set(Some(Notice::Info(message.into())));
    }
}

impl Default for Lab {
    fn default() -> Self {
        Self::new()
    }
}

/// The app state from context.
pub fn use_lab() -> Lab {
    expect_context::<Lab>()
}
