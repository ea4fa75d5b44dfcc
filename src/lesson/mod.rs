//! Lessons: a scenario, prepared actions and a narrative that stops at the right ticks, asks the
//! learner to predict, then reveals what the engine does.
//!
//! A lesson is data that drives an ordinary [`Session`](crate::replay::Session): its
//! [`Script`](crate::replay::Script) (scenario + an educator's recorded actions) replays as the
//! steps play forward, and each [`Step`] may rewind, act for the learner, ask a question, play to
//! a tick and ask the learner to do something. Whether the learner did it is read from the
//! engine's state ([`Goal::met`]), never recomputed here.
//!
//! - [`model`]: lessons, steps, questions, goals, and the limits a lesson from a link must keep.
//! - [`markup`]: the tiny text markup (paragraphs, `*emphasis*`, `**strong**`, `- ` lists),
//!   parsed into blocks the UI turns into text nodes (never HTML).
//! - [`link`]: lessons as links (`#l=…`) in the replay links' versioned envelope.
//! - [`run`]: a lesson in progress: entering steps, answers, reveals, jumps, the end summary.
//! - [`builtin`]: the lessons that ship with Margin Lab.

pub mod builtin;
pub mod link;
pub mod markup;
pub mod model;
pub mod run;

pub use model::{Goal, Lesson, Question, Region, Step, Task, Tool};
pub use run::{LessonRun, StepState, TaskState};
