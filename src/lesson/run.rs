//! A lesson in progress: which step is shown, what the learner answered and did, and the moves
//! that drive the session (rewind, perform, reveal, "do it for me").
//!
//! The session is an ordinary [`Session`]; the lesson only seeks, branches and acts through its
//! public API, so everything the learner sees is the engine's. Jumping to a step (or resuming a
//! stored lesson) rebuilds the session and plays the earlier steps as the lesson expects them
//! (its prepared actions and the hints of its tasks), so every step starts from a known state.

use serde::{Deserialize, Serialize};

use super::model::{Lesson, Step, Tool};
use crate::engine::AccountId;
use crate::replay::{Script, Session};

/// What became of a step's task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskState {
    /// Not reached yet (or the step has no task).
    #[default]
    Open,
    /// The learner did it.
    Done,
    /// "Do it for me": the lesson applied the hint.
    DoneForYou,
    /// Skipped, or played through as the lesson expected on a jump.
    Skipped,
}

/// What the learner did in one step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepState {
    /// The choice picked, if the step asks a question and it was answered.
    pub answer: Option<u8>,
    /// Whether the reveal (`play_to`) ran.
    pub revealed: bool,
    pub task: TaskState,
}

/// A lesson and the learner's progress through it.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonRun {
    pub lesson: Lesson,
    /// The step shown (`steps.len()` = the end summary).
    pub step: usize,
    pub states: Vec<StepState>,
    /// Tools used since the current step began (reported by the page).
    pub tools: Vec<Tool>,
    /// Messages from the last move (an action the engine refused, for instance).
    pub notes: Vec<String>,
}

/// A fresh session of the lesson's script, at tick 0 with its prepared actions kept to replay.
pub fn open_session(lesson: &Lesson) -> Result<Session, String> {
    let mut s = Session::open(lesson.script.clone())?;
    s.seek(0)?;
    Ok(s)
}

/// The session back at `tick` as it was before any action at that tick: the actions from `tick`
/// on are dropped (the timeline branches there), the others replay.
pub fn rewind(session: &Session, tick: u32) -> Result<Session, String> {
    let mut script: Script = session.script().clone();
    script.actions.retain(|a| a.tick < tick);
    let mut s = Session::open(script)?;
    s.seek(tick as usize)?;
    Ok(s)
}

impl LessonRun {
    pub fn new(lesson: Lesson) -> Self {
        let n = lesson.steps.len();
        Self {
            lesson,
            step: 0,
            states: vec![StepState::default(); n],
            tools: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn current(&self) -> Option<&Step> {
        self.lesson.steps.get(self.step)
    }

    pub fn at_end(&self) -> bool {
        self.step >= self.lesson.steps.len()
    }

    /// Opens the session and enters step 0.
    pub fn start(&mut self) -> Result<Session, String> {
        let mut session = open_session(&self.lesson)?;
        self.step = 0;
        self.states = vec![StepState::default(); self.lesson.steps.len()];
        self.enter(&mut session)?;
        Ok(session)
    }

    /// Enters the current step: rewind, perform, and the reveal when there is no question.
    pub fn enter(&mut self, session: &mut Session) -> Result<(), String> {
        self.tools.clear();
        self.notes.clear();
        let Some(step) = self.current().cloned() else {
            return Ok(());
        };
        if let Some(t) = step.rewind {
            if t as usize >= session.len() {
                return Err(format!(
                    "step {} rewinds to tick {t}, after the scenario's last tick",
                    self.step + 1
                ));
            }
            *session = rewind(session, t)?;
        }
        for command in step.perform {
            if let Err(e) = session.act(command) {
                self.notes
                    .push(format!("The lesson's action was refused: {e}"));
            }
        }
        if step.question.is_none() {
            self.reveal(session)?;
        }
        Ok(())
    }

    /// Plays to the step's tick (once).
    pub fn reveal(&mut self, session: &mut Session) -> Result<(), String> {
        let Some(step) = self.current().cloned() else {
            return Ok(());
        };
        if let Some(state) = self.states.get_mut(self.step) {
            if state.revealed {
                return Ok(());
            }
            state.revealed = true;
        }
        if let Some(t) = step.play_to {
            if t as usize >= session.len() {
                return Err(format!(
                    "step {} plays to tick {t}, after the scenario's last tick",
                    self.step + 1
                ));
            }
            if (t as usize) > session.tick() {
                session.seek(t as usize)?;
            }
        }
        Ok(())
    }

    /// Records the learner's answer to the current step's question and reveals. A second answer
    /// changes nothing (the prediction came before the reveal).
    pub fn answer(&mut self, session: &mut Session, choice: u8) -> Result<(), String> {
        let Some(q) = self.current().and_then(|s| s.question.as_ref()) else {
            return Ok(());
        };
        if usize::from(choice) >= q.choices.len() {
            return Err("That is not one of the choices.".into());
        }
        if let Some(state) = self.states.get_mut(self.step) {
            if state.answer.is_some() {
                return Ok(());
            }
            state.answer = Some(choice);
        }
        self.reveal(session)
    }

    /// Whether the current step's task is met by the engine's state now.
    pub fn task_met(&self, session: &Session) -> bool {
        let Some(task) = self.current().and_then(|s| s.task.as_ref()) else {
            return true;
        };
        session
            .engine()
            .account_metrics(&AccountId::USER)
            .is_ok_and(|m| task.goal.met(&m, &self.tools))
    }

    /// Records that a tool was used during this step.
    pub fn used(&mut self, tool: Tool) {
        if !self.tools.contains(&tool) {
            self.tools.push(tool);
        }
    }

    /// "Do it for me": applies the task's hint.
    pub fn do_for_me(&mut self, session: &mut Session) -> Result<(), String> {
        let Some(hint) = self
            .current()
            .and_then(|s| s.task.as_ref())
            .and_then(|t| t.hint.clone())
        else {
            return Err("This task is one you do yourself in the page.".into());
        };
        session.act(hint)?;
        if let Some(state) = self.states.get_mut(self.step) {
            state.task = TaskState::DoneForYou;
        }
        Ok(())
    }

    /// Whether "Next" may be pressed: the question answered and the reveal done.
    pub fn can_advance(&self) -> bool {
        let Some(step) = self.current() else {
            return false;
        };
        let state = self.states.get(self.step).copied().unwrap_or_default();
        step.question.is_none() || state.answer.is_some()
    }

    /// To the next step; the task is marked done (if met), or skipped.
    pub fn next(&mut self, session: &mut Session) -> Result<(), String> {
        if self.at_end() {
            return Ok(());
        }
        self.reveal(session)?;
        let met = self.task_met(session);
        if let Some(state) = self.states.get_mut(self.step) {
            if self.lesson.steps[self.step].task.is_some() && state.task == TaskState::Open {
                state.task = if met {
                    TaskState::Done
                } else {
                    TaskState::Skipped
                };
            }
        }
        self.step += 1;
        self.enter(session)
    }

    /// A fresh session at step `target`, the earlier steps played as the lesson expects (their
    /// reveals and the hints of their tasks; answers already given are kept).
    pub fn jump(&mut self, target: usize) -> Result<Session, String> {
        let target = target.min(self.lesson.steps.len());
        let kept = self.states.clone();
        let mut session = open_session(&self.lesson)?;
        self.states = vec![StepState::default(); self.lesson.steps.len()];
        for i in 0..target {
            self.step = i;
            self.enter(&mut session)?;
            self.reveal(&mut session)?;
            let mut state = kept.get(i).copied().unwrap_or_default();
            state.revealed = true;
            if !self.task_met(&session) {
                let _ = self.do_for_me(&mut session);
                if state.task == TaskState::Open {
                    state.task = TaskState::Skipped;
                }
            }
            self.states[i] = state;
        }
        self.step = target;
        self.enter(&mut session)?;
        Ok(session)
    }

    /// The end summary: per step, what the learner answered and did beside what was expected.
    pub fn summary(&self) -> Vec<SummaryLine> {
        let mut out = Vec::new();
        for (i, (step, state)) in self.lesson.steps.iter().zip(&self.states).enumerate() {
            if let Some(q) = &step.question {
                let expected = q
                    .choices
                    .get(usize::from(q.answer))
                    .cloned()
                    .unwrap_or_default();
                let given = state
                    .answer
                    .and_then(|a| q.choices.get(usize::from(a)).cloned());
                out.push(SummaryLine {
                    step: i + 1,
                    what: q.prompt.clone(),
                    expected,
                    ok: state.answer == Some(q.answer),
                    got: given.unwrap_or_else(|| "not answered".into()),
                });
            }
            if let Some(task) = &step.task {
                out.push(SummaryLine {
                    step: i + 1,
                    what: "Task".into(),
                    expected: task.goal.describe(),
                    ok: state.task == TaskState::Done,
                    got: match state.task {
                        TaskState::Done => "you did it".into(),
                        TaskState::DoneForYou => "the lesson did it for you".into(),
                        TaskState::Skipped => "skipped".into(),
                        TaskState::Open => "not reached".into(),
                    },
                });
            }
        }
        out
    }
}

/// One line of the end summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryLine {
    pub step: usize,
    pub what: String,
    pub expected: String,
    pub got: String,
    pub ok: bool,
}
