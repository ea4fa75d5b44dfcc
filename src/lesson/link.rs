//! Lessons as links: `#l=<envelope>`, where the envelope is the replay links' own
//! ([`crate::replay::codec`]: version byte, optional deflate, base64url, the same length and
//! inflation caps). The `l=` key keeps lessons in a version space of their own, so replay payload
//! versions and lesson payload versions never collide; an older Margin Lab refuses `l=` links as
//! damaged rather than misreading them.
//!
//! A lesson link is untrusted: it must be canonical (re-encoding gives the same bytes), every
//! text is length-capped and free of control and direction-changing characters
//! ([`Lesson::validate`]), its script passes the replay links' checks, and the UI shows its text
//! as text only.

use super::model::Lesson;
use crate::replay::codec;
use crate::replay::LinkError;

/// The newest lesson payload version this build writes: 1 = postcard of [`Lesson`].
pub const LESSON_VERSION: u8 = 1;

/// The key of a lesson in a link's fragment.
pub const KEY: &str = "l=";

/// True when `link` (whole URL, `#fragment` or bare text) names a lesson rather than a session.
pub fn is_lesson_link(link: &str) -> bool {
    fragment(link).starts_with(KEY)
}

fn fragment(link: &str) -> &str {
    let text = link.trim();
    text.rsplit_once('#').map_or(text, |(_, f)| f).trim()
}

impl Lesson {
    /// The postcard payload (empty only if serialization failed, which plain data cannot).
    pub fn to_payload(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// The text after `#` in a lesson link.
    pub fn to_link(&self) -> String {
        format!("{KEY}{}", codec::encode(LESSON_VERSION, &self.to_payload()))
    }

    /// Reads a payload: canonical, then [`Lesson::validate`].
    pub fn from_payload(version: u8, payload: &[u8]) -> Result<Self, LinkError> {
        if version != LESSON_VERSION {
            return Err(LinkError::UnknownVersion { found: version });
        }
        let lesson: Lesson = postcard::from_bytes(payload).map_err(|e| {
            LinkError::Payload(match e {
                postcard::Error::DeserializeUnexpectedEnd => {
                    "it ends before the lesson does (cut short?)".into()
                }
                _ => "its contents do not describe a lesson".into(),
            })
        })?;
        if lesson.to_payload() != payload {
            return Err(LinkError::Payload(
                "its contents are not written the way Margin Lab writes them (extra bytes or \
                 altered numbers)"
                    .into(),
            ));
        }
        lesson.validate().map_err(LinkError::Invalid)?;
        Ok(lesson)
    }

    /// Opens a lesson link (whole URL, `#l=…` or bare `l=…`).
    pub fn from_link(link: &str) -> Result<Self, LinkError> {
        let f = fragment(link);
        let body = f.strip_prefix(KEY).ok_or(LinkError::Empty)?;
        if body.trim().is_empty() {
            return Err(LinkError::Empty);
        }
        let (version, payload) = codec::decode(body, LESSON_VERSION)?;
        Self::from_payload(version, &payload)
    }
}
