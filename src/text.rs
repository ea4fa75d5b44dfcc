//! Echoing user text safely: anything a user (or a link) supplies is shown without control
//! characters and at a bounded length.

/// Longest user string echoed in a message, in characters.
pub const ECHO_CHARS: usize = 40;

/// `s` with control and bidirectional-override characters replaced by `�` and cut to
/// [`ECHO_CHARS`] characters (with `…`).
pub fn user(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == ECHO_CHARS {
            out.push('…');
            break;
        }
        let unsafe_char = c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}');
        out.push(if unsafe_char { '\u{FFFD}' } else { c });
    }
    out
}
