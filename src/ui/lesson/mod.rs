//! Lessons in the page: the dock above the workspace (list, first-visit offer, the lesson in
//! progress, its end summary), the editor educators write lessons in, and the highlight of the
//! region a step points at. The lesson model and its moves are `crate::lesson`; these components
//! only show it and call it.

pub mod dock;
pub mod editor;
pub mod highlight;
pub mod list;
pub mod markup;
pub mod panel;
pub mod progress;
pub mod question;
pub mod store;
pub mod summary;

pub use dock::LessonDock;
pub use store::{open_lesson_link, LessonStore};
