//! What a lesson is made of, and the limits a lesson must keep.
//!
//! Everything here is serialized into lesson links (postcard, see [`super::link`]): new variants
//! of [`Region`], [`Tool`] and [`Goal`] are appended at the end, never inserted or reordered.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::engine::{AccountMetrics, Command, Side};
use crate::replay::Script;

/// Most steps of one lesson (the issue asks for 5 to 15 in the built-in ones).
pub const MAX_STEPS: usize = 40;
/// Longest text of one step, in characters.
pub const MAX_TEXT_CHARS: usize = 1_500;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 80;
/// Longest summary line, in characters.
pub const MAX_SUMMARY_CHARS: usize = 300;
/// Longest question prompt, choice and explanation, in characters.
pub const MAX_PROMPT_CHARS: usize = 300;
pub const MAX_CHOICE_CHARS: usize = 120;
pub const MAX_EXPLAIN_CHARS: usize = 800;
/// Choices of one question.
pub const MAX_CHOICES: usize = 5;
/// Commands the lesson performs for the learner in one step.
pub const MAX_PERFORM: usize = 8;

/// One lesson: a script (scenario and an educator's recorded actions) and its steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    pub title: String,
    /// One line under the title in the lesson list.
    pub summary: String,
    /// The scenario and the prepared actions, replayed as the lesson plays forward.
    pub script: Script,
    pub steps: Vec<Step>,
}

/// One step. On entering it, in this order: `rewind`, `perform`; then `question` is asked, and
/// once it is answered (at once when there is none) `play_to` plays the session forward — the
/// reveal; then `task` waits for the learner.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Plain text with the tiny markup of [`super::markup`].
    pub text: String,
    /// The part of the page to look at.
    pub highlight: Option<Region>,
    /// Back to this tick as it was before any action at it (the learner's later actions are
    /// dropped: the timeline branches there), to run the same prices again.
    pub rewind: Option<u32>,
    /// Commands the lesson applies for the learner at the current tick.
    pub perform: Vec<Command>,
    /// A prediction asked before the reveal.
    pub question: Option<Question>,
    /// Play to this tick (the reveal). Never backwards: a tick already passed is ignored.
    pub play_to: Option<u32>,
    /// Something the learner is asked to do, checked on the engine's state.
    pub task: Option<Task>,
}

/// A prediction with choices, explained after it is answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub prompt: String,
    pub choices: Vec<String>,
    /// Index of the right choice.
    pub answer: u8,
    /// Shown after the answer, right or wrong.
    pub explain: String,
}

/// Something the learner is asked to do, and what the lesson does when asked to "do it for me".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub goal: Goal,
    /// The command "Do it for me" applies (none for tools: the learner runs those).
    pub hint: Option<Command>,
}

/// A part of the page a step points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Region {
    Picker,
    Chart,
    Timeline,
    Ticket,
    Account,
    Events,
    Market,
    Compare,
    Risk,
}

impl Region {
    pub const ALL: [Region; 9] = [
        Region::Picker,
        Region::Chart,
        Region::Timeline,
        Region::Ticket,
        Region::Account,
        Region::Events,
        Region::Market,
        Region::Compare,
        Region::Risk,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Region::Picker => "the scenario picker",
            Region::Chart => "the price chart",
            Region::Timeline => "the timeline",
            Region::Ticket => "the order ticket",
            Region::Account => "the account panel",
            Region::Events => "the event log",
            Region::Market => "the Market tab",
            Region::Compare => "the Compare tab",
            Region::Risk => "the Risk desk tab",
        }
    }

    /// A stable name for forms and page attributes.
    pub fn key(self) -> &'static str {
        match self {
            Region::Picker => "picker",
            Region::Chart => "chart",
            Region::Timeline => "timeline",
            Region::Ticket => "ticket",
            Region::Account => "account",
            Region::Events => "events",
            Region::Market => "market",
            Region::Compare => "compare",
            Region::Risk => "risk",
        }
    }

    pub fn from_key(key: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// A tool of the page whose use a lesson can ask for (the page reports the use).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tool {
    Compare,
    StressTest,
    ValueAtRisk,
}

impl Tool {
    pub fn label(self) -> &'static str {
        match self {
            Tool::Compare => "run a comparison in the Compare tab",
            Tool::StressTest => "run a stress test in the Risk desk",
            Tool::ValueAtRisk => "compute value at risk in the Risk desk",
        }
    }
}

/// What the learner is asked to reach, read from the engine's metrics of the learner's account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Goal {
    /// A position on `side` with leverage of at least `min_leverage`.
    Position { side: Side, min_leverage: Decimal },
    /// No open position.
    NoPosition,
    /// Some collateral posted (pooled or in a vault).
    Collateral,
    /// Some debt.
    Debt,
    /// Health (health factor, or the weakest vault's ratio over its liquidation ratio) at least
    /// this, with debt.
    HealthAtLeast(Decimal),
    /// A deposit in the stability pool.
    StabilityDeposit,
    /// A tool used since the step began.
    Used(Tool),
}

impl Goal {
    /// Whether the learner's account meets the goal (`tools`: the tools used during the step).
    pub fn met(&self, m: &AccountMetrics, tools: &[Tool]) -> bool {
        match self {
            Goal::Position { side, min_leverage } => m
                .positions
                .iter()
                .any(|p| p.side == *side && p.leverage >= *min_leverage),
            Goal::NoPosition => m.positions.is_empty(),
            Goal::Collateral => {
                m.collateral_value > Decimal::ZERO
                    || m.vaults.iter().any(|v| v.collateral > Decimal::ZERO)
            }
            Goal::Debt => {
                m.debt_value > Decimal::ZERO || m.vaults.iter().any(|v| v.debt > Decimal::ZERO)
            }
            Goal::HealthAtLeast(h) => m.health().is_some_and(|x| x >= *h),
            Goal::StabilityDeposit => m.stability_deposit > Decimal::ZERO,
            Goal::Used(t) => tools.contains(t),
        }
    }

    /// What is expected, in words.
    pub fn describe(&self) -> String {
        match self {
            Goal::Position { side, min_leverage } => {
                format!("open a {side} position at {min_leverage}× leverage or more")
            }
            Goal::NoPosition => "close your positions".into(),
            Goal::Collateral => "post collateral".into(),
            Goal::Debt => "borrow".into(),
            Goal::HealthAtLeast(h) => format!("bring your health to {h} or more"),
            Goal::StabilityDeposit => "deposit into the stability pool".into(),
            Goal::Used(t) => t.label().into(),
        }
    }
}

/// Why a lesson is refused: the message says what is wrong, quoting at most a short, escaped
/// piece of what the lesson carries.
fn text_ok(what: &str, s: &str, max: usize, allow_newlines: bool) -> Result<(), String> {
    let chars = s.chars().count();
    if chars > max {
        return Err(format!(
            "its {what} is {chars} characters long (the limit is {max})"
        ));
    }
    if let Some(c) = s
        .chars()
        .find(|&c| crate::text::is_unsafe(c) && !(allow_newlines && c == '\n'))
    {
        return Err(format!(
            "its {what} contains a control or direction-changing character ({})",
            crate::text::echo(&c.to_string())
        ));
    }
    Ok(())
}

impl Lesson {
    /// The checks that need no engine: sizes, text (length, no control or bidi characters except
    /// line breaks in step text), questions that make sense, and the script's own checks.
    pub fn validate(&self) -> Result<(), String> {
        if self.title.trim().is_empty() {
            return Err("it has no title".into());
        }
        text_ok("title", &self.title, MAX_TITLE_CHARS, false)?;
        text_ok("summary", &self.summary, MAX_SUMMARY_CHARS, false)?;
        if self.steps.is_empty() || self.steps.len() > MAX_STEPS {
            return Err(format!(
                "it has {} steps (1 to {MAX_STEPS} are allowed)",
                self.steps.len()
            ));
        }
        for (i, s) in self.steps.iter().enumerate() {
            let n = i + 1;
            text_ok(&format!("step {n} text"), &s.text, MAX_TEXT_CHARS, true)?;
            if s.perform.len() > MAX_PERFORM {
                return Err(format!(
                    "its step {n} performs {} commands (the limit is {MAX_PERFORM})",
                    s.perform.len()
                ));
            }
            if let Some(q) = &s.question {
                text_ok(
                    &format!("step {n} question"),
                    &q.prompt,
                    MAX_PROMPT_CHARS,
                    false,
                )?;
                text_ok(
                    &format!("step {n} explanation"),
                    &q.explain,
                    MAX_EXPLAIN_CHARS,
                    true,
                )?;
                if q.choices.len() < 2 || q.choices.len() > MAX_CHOICES {
                    return Err(format!(
                        "its step {n} question has {} choices (2 to {MAX_CHOICES} are allowed)",
                        q.choices.len()
                    ));
                }
                for c in &q.choices {
                    if c.trim().is_empty() {
                        return Err(format!("its step {n} question has an empty choice"));
                    }
                    text_ok(&format!("step {n} choice"), c, MAX_CHOICE_CHARS, false)?;
                }
                if usize::from(q.answer) >= q.choices.len() {
                    return Err(format!(
                        "its step {n} question's answer is not one of its choices"
                    ));
                }
            }
        }
        self.script.check().map_err(|e| match e {
            crate::replay::LinkError::Invalid(m) => m,
            other => other.to_string(),
        })
    }
}
