//! The lesson in progress (non-reactive, beside the session) and a version signal the lesson
//! views track, provided as context by the app.

use leptos::prelude::*;
use sha2::{Digest, Sha256};

use super::progress::{self, Progress};
use crate::lesson::builtin;
use crate::lesson::{Lesson, LessonRun, Tool};
use crate::ui::state::Lab;

/// Where the lesson came from: its progress key.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Builtin(&'static str),
    /// A lesson from a link or a file, keyed by a hash of its payload; the link to share it.
    Shared {
        key: String,
        link: String,
    },
    /// The editor's preview (no progress kept).
    Preview,
}

impl Source {
    fn key(&self) -> Option<String> {
        match self {
            Source::Builtin(id) => Some(id.to_string()),
            Source::Shared { key, .. } => Some(key.clone()),
            Source::Preview => None,
        }
    }
}

#[derive(Clone, Copy)]
pub struct LessonStore {
    run: StoredValue<Option<(Source, LessonRun)>, LocalStorage>,
    pub version: RwSignal<u64>,
    /// The lesson list is open.
    pub list_open: RwSignal<bool>,
    /// The editor is open.
    pub editor_open: RwSignal<bool>,
}

impl LessonStore {
    pub fn new() -> Self {
        Self {
            run: StoredValue::new_local(None),
            version: RwSignal::new(0),
            list_open: RwSignal::new(false),
            editor_open: RwSignal::new(false),
        }
    }

    /// Reads the lesson in progress (tracked).
    pub fn with<R>(&self, f: impl FnOnce(&Source, &LessonRun) -> R) -> Option<R> {
        self.version.track();
        self.run
            .try_with_value(|r| r.as_ref().map(|(s, run)| f(s, run)))
            .flatten()
    }

    pub fn active(&self) -> bool {
        self.with(|_, _| ()).is_some()
    }

    /// Changes the lesson (and the session with it), then keeps the progress.
    pub fn update<R>(
        &self,
        lab: Lab,
        f: impl FnOnce(&mut LessonRun, &mut crate::replay::Session) -> R,
    ) -> Option<R> {
        let out = self
            .run
            .try_update_value(|r| {
                let (_, run) = r.as_mut()?;
                lab.update(|s| f(run, s))
            })
            .flatten();
        self.version.update(|v| *v += 1);
        self.save();
        out
    }

    fn save(&self) {
        self.run.with_value(|r| {
            if let Some((source, run)) = r {
                if let Some(key) = source.key() {
                    progress::save(
                        &key,
                        &Progress {
                            step: run.step,
                            states: run.states.clone(),
                        },
                    );
                }
            }
        });
    }

    /// Starts (or resumes, from the stored progress) a lesson; the session replaces the current one.
    pub fn begin(
        &self,
        lab: Lab,
        source: Source,
        lesson: Lesson,
        resume: bool,
    ) -> Result<(), String> {
        progress::mark_visited();
        let mut run = LessonRun::new(lesson);
        let stored = source
            .key()
            .and_then(|k| progress::load(&k))
            .filter(|_| resume);
        let session = match stored {
            Some(p) if p.states.len() == run.lesson.steps.len() => {
                run.states = p.states;
                run.jump(p.step)?
            }
            _ => run.start()?,
        };
        lab.install(session);
        self.run.set_value(Some((source, run)));
        self.list_open.set(false);
        self.version.update(|v| *v += 1);
        self.save();
        Ok(())
    }

    /// Starts a built-in lesson by id.
    pub fn begin_builtin(&self, lab: Lab, id: &str, resume: bool) -> Result<(), String> {
        let b = builtin::by_id(id).ok_or("This lesson does not exist.")?;
        self.begin(lab, Source::Builtin(b.id), b.lesson, resume)
    }

    /// Jumps to a step (earlier steps played as the lesson expects).
    pub fn jump(&self, lab: Lab, target: usize) -> Result<(), String> {
        let session = self
            .run
            .try_update_value(|r| r.as_mut().map(|(_, run)| run.jump(target)))
            .flatten()
            .ok_or("No lesson is running.")??;
        lab.install(session);
        self.version.update(|v| *v += 1);
        self.save();
        Ok(())
    }

    /// Back to step 1 with nothing answered.
    pub fn restart(&self, lab: Lab) -> Result<(), String> {
        self.run.update_value(|r| {
            if let Some((_, run)) = r {
                run.states = vec![Default::default(); run.lesson.steps.len()];
            }
        });
        self.jump(lab, 0)
    }

    /// Leaves the lesson (its progress stays stored; the list is shown to resume it); the session
    /// stays as it is.
    pub fn leave(&self) {
        self.run.set_value(None);
        self.list_open.set(true);
        self.version.update(|v| *v += 1);
        crate::ui::lesson::highlight::clear();
    }

    /// The lesson being run, for the editor's "share" and the file export.
    pub fn lesson(&self) -> Option<Lesson> {
        self.run
            .try_with_value(|r| r.as_ref().map(|(_, run)| run.lesson.clone()))
            .flatten()
    }

    pub fn note(&self, tool: Tool) {
        let active = self.run.try_with_value(|r| r.is_some()).unwrap_or(false);
        if active {
            self.run.update_value(|r| {
                if let Some((_, run)) = r {
                    run.used(tool);
                }
            });
            self.version.update(|v| *v += 1);
        }
    }
}

impl Default for LessonStore {
    fn default() -> Self {
        Self::new()
    }
}

/// The progress key of a lesson from a link or file: a hash of its payload.
pub fn shared_key(lesson: &Lesson) -> String {
    let digest = Sha256::digest(lesson.to_payload());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("shared-{hex}")
}

/// Opens a lesson link (whole URL, `#l=…`): refused with the reason, or started (resumed when
/// its progress is stored).
pub fn open_lesson_link(lab: Lab, store: LessonStore, link: &str) -> Result<(), String> {
    let lesson = Lesson::from_link(link).map_err(|e| match e {
        // What the lesson itself got wrong (its text, its questions, its scenario).
        crate::replay::LinkError::Invalid(m) => format!("Lesson not opened: {m}."),
        other => format!("Lesson not opened. {other}"),
    })?;
    let key = shared_key(&lesson);
    let link = lesson.to_link();
    store.begin(lab, Source::Shared { key, link }, lesson, true)?;
    lab.info("Lesson opened from a link. Its text was written by whoever made the link.");
    Ok(())
}
