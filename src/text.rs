//! Echoing what a user typed, pasted or uploaded back to them, safely.
//!
//! Asset ids, scenario names, column headers and file paths arrive from links, files and forms,
//! and error messages quote them. Quoted whole and raw, a hostile string can rewrite a terminal
//! (ANSI escapes: colours, cursor moves, a fake green "replay verified" line), reorder the text
//! around it (bidi overrides) or flood the screen (100 KB ids). Every message that quotes user
//! input goes through [`echo`]: unsafe characters become visible `\u{…}` escapes and the result
//! is cut to [`ECHO_CHARS`] characters with an ellipsis. [`escape`] does the first half only, for
//! whole messages printed by the native tool as a last line of defence.

use std::borrow::Cow;

/// Most characters of one user string quoted in a message.
pub const ECHO_CHARS: usize = 40;

/// Most characters of a detail quoted from a library's message (a JSON parser's, a file system's),
/// which may itself quote user input.
pub const MAX_DETAIL_CHARS: usize = 200;

/// Characters that change how surrounding text is shown rather than showing themselves:
/// C0 controls (NUL … US, which include ESC, CR, LF, BEL, backspace), DEL, C1 controls
/// (U+0080–U+009F, which include the single-character CSI U+009B), bidirectional marks,
/// embeddings, overrides and isolates, zero-width characters, line and paragraph separators and
/// the byte-order mark.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'              // Arabic letter mark
            | '\u{200B}'..='\u{200F}' // zero-width space/joiners, LRM, RLM
            | '\u{2028}' | '\u{2029}' // line / paragraph separator
            | '\u{202A}'..='\u{202E}' // LRE, RLE, PDF, LRO, RLO
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // LRI, RLI, FSI, PDI
            | '\u{FEFF}' // byte-order mark / zero-width no-break space
        )
}

fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// `s` with every [`is_unsafe`] character written as a visible `\u{…}` escape; borrowed when
/// there is nothing to escape.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A user string made safe to quote: escaped as [`escape`] does and cut to [`ECHO_CHARS`]
/// characters (escapes count by their visible length), with `…` when something was cut.
pub fn echo(s: &str) -> String {
    echo_max(s, ECHO_CHARS)
}

/// True when `s` can be quoted as it is: no unsafe character and at most `max_chars` long.
pub fn is_plain(s: &str, max_chars: usize) -> bool {
    s.len() <= max_chars && !s.chars().any(is_unsafe)
}

/// [`echo`] with another length limit, for longer texts from libraries that may quote user input
/// (a JSON parser's message, for instance).
pub fn echo_max(s: &str, max_chars: usize) -> String {
    if is_plain(s, max_chars) {
        return s.to_string();
    }
    let mut out = String::new();
    let mut shown = 0usize;
    let mut piece = String::new();
    for c in s.chars() {
        piece.clear();
        if is_unsafe(c) {
            push_escaped(&mut piece, c);
        } else {
            piece.push(c);
        }
        let width = piece.chars().count();
        if shown + width > max_chars {
            out.push('…');
            return out;
        }
        out.push_str(&piece);
        shown += width;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // TC0..: (input, echo) — each unsafe class escaped, long input cut with an ellipsis.
    #[test]
    fn echo_escapes_and_truncates() {
        for (input, want) in [
            ("ETH", "ETH"),
            ("", ""),
            ("\u{1b}[32mok", "\\u{1b}[32mok"),
            ("a\rb\nc\u{7}", "a\\u{d}b\\u{a}c\\u{7}"),
            ("\u{9b}31m", "\\u{9b}31m"),
            ("x\u{202e}gpj.exe", "x\\u{202e}gpj.exe"),
            ("\u{2066}a\u{2069}", "\\u{2066}a\\u{2069}"),
            ("\u{feff}id", "\\u{feff}id"),
            ("\u{7f}", "\\u{7f}"),
            ("ünïcödé ✓", "ünïcödé ✓"),
            (&"A".repeat(41), &format!("{}…", "A".repeat(40))),
            (&"A".repeat(40), &"A".repeat(40)),
        ] {
            assert_eq!(echo(input), want, "{input:?}");
        }
    }

    // TC1: an escape that would straddle the limit is not cut in half.
    #[test]
    fn escapes_are_never_cut_in_half() {
        let s = format!("{}\u{1b}tail", "A".repeat(38));
        assert_eq!(echo(&s), format!("{}…", "A".repeat(38)));
    }

    // TC2: a 100 KB string is echoed in at most ECHO_CHARS + 1 characters, none of them unsafe.
    #[test]
    fn huge_hostile_input_is_short_and_clean() {
        let s = "\u{1b}[2K\u{1b}[1G\u{1b}[32mreplay verified\u{1b}[0m\r\n".repeat(3000);
        let e = echo(&s);
        assert!(e.chars().count() <= ECHO_CHARS + 1);
        assert!(!e.chars().any(is_unsafe));
        assert!(!escape(&s).chars().any(is_unsafe));
        assert!(matches!(escape("plain"), Cow::Borrowed("plain")));
    }
}
