//! The exported session file: a small JSON wrapper around a link, so files and links share one
//! versioned format (and one upgrade path).

use serde::{Deserialize, Serialize};

use crate::text::{echo, echo_max, MAX_DETAIL_CHARS};

/// `format` value of a session file.
pub const FILE_FORMAT: &str = "margin-lab/session@1";
/// Largest session file accepted: its link may carry a whole price import (see
/// [`super::codec::FILE_LIMITS`]).
pub const MAX_FILE_BYTES: usize = 12_500_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionFile {
    pub format: String,
    pub name: String,
    /// The session's link fragment (`s=…`).
    pub link: String,
}

impl SessionFile {
    pub fn new(name: &str, link: String) -> Self {
        Self {
            format: FILE_FORMAT.into(),
            name: name.into(),
            link,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads an exported session file; the message says what is wrong with it. A leading UTF-8
    /// byte-order mark (as some editors save files) is skipped.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.len() > MAX_FILE_BYTES {
            return Err("This file is too large to be a Margin Lab session.".into());
        }
        // The parser's message can quote the file's contents: escaped and capped like any echo.
        let file: SessionFile = serde_json::from_str(text).map_err(|e| {
            format!(
                "This file is not a Margin Lab session: {}",
                echo_max(&e.to_string(), MAX_DETAIL_CHARS)
            )
        })?;
        if file.format != FILE_FORMAT {
            return Err(format!(
                "This file is a \"{}\", not a Margin Lab session ({FILE_FORMAT}).",
                echo(&file.format)
            ));
        }
        Ok(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // TC0: round trip; wrong format, wrong JSON and oversized files are refused with a reason.
    #[test]
    fn session_file_round_trip_and_refusals() {
        let f = SessionFile::new("crash study", "s=AQA".into());
        assert_eq!(SessionFile::parse(&f.to_json()), Ok(f));
        assert!(SessionFile::parse("{}")
            .unwrap_err()
            .contains("not a Margin Lab session"));
        assert!(
            SessionFile::parse(r#"{"format":"x","name":"a","link":"b"}"#)
                .unwrap_err()
                .contains("\"x\"")
        );
        assert!(SessionFile::parse(&" ".repeat(MAX_FILE_BYTES + 1))
            .unwrap_err()
            .contains("too large"));
    }

    // TC1: a UTF-8 byte-order mark before the JSON is skipped (editors save files that way);
    // before, the file was refused as not a session.
    #[test]
    fn a_byte_order_mark_is_skipped() {
        let f = SessionFile::new("crash study", "s=AQA".into());
        for text in [
            format!("\u{feff}{}", f.to_json()),
            format!("\u{feff}{}", f.to_json().replace('\n', "\r\n")),
            format!("\u{feff}  \n{}", f.to_json()),
        ] {
            assert_eq!(SessionFile::parse(&text), Ok(f.clone()), "{text:?}");
        }
        // Only one mark, and only at the start.
        assert!(SessionFile::parse(&format!("\u{feff}\u{feff}{}", f.to_json())).is_err());
    }
}
