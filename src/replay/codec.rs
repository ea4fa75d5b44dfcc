//! The link envelope: bytes ↔ the text after `#` in a share link.
//!
//! Layout before base64url (no padding): `[version: u8][encoding: u8][body]`, where encoding 0 is
//! the postcard payload as is and 1 is that payload deflated (`miniz_oxide`), chosen only when it
//! saves at least 20%. The version byte says which payload schema the body holds; the session
//! layer ([`super::script`]) upgrades older schemas.
//!
//! Hostile input is bounded: the link text is capped at [`MAX_LINK_CHARS`] before decoding and
//! inflation stops at [`MAX_PAYLOAD_BYTES`], so a decompression bomb costs at most that much memory.
//! The link inside a session file may be larger ([`FILE_LIMITS`]: it can carry a whole price
//! import), with the same kind of caps.
//!
//! Sharing has its own, lower limit: a link is copied only if the whole URL is at most
//! [`MAX_SHARE_URL_CHARS`] long, the length that survives being pasted into common chat and mail
//! clients (see [`check_share_url`]); a longer one is refused with the session file offered instead.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use thiserror::Error;

use crate::text::{echo_max, MAX_DETAIL_CHARS};

/// Longest link fragment accepted (a 200-action session needs about 2,000).
pub const MAX_LINK_CHARS: usize = 32_768;
/// Largest payload accepted after inflation.
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;
/// Deflate is used only when it makes the payload at least this much smaller (percent).
pub const MIN_DEFLATE_SAVING_PERCENT: usize = 20;

/// How much a decoder accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest link text.
    pub max_chars: usize,
    /// Largest payload after inflation.
    pub max_payload: usize,
}

/// A pasted or opened link.
pub const LINK_LIMITS: Limits = Limits {
    max_chars: MAX_LINK_CHARS,
    max_payload: MAX_PAYLOAD_BYTES,
};

/// The link inside a session file or a saved session: it may carry imported prices of up to
/// `feed::csv_import::MAX_ROWS` rows (about 39 bytes a row in the worst case before deflate).
pub const FILE_LIMITS: Limits = Limits {
    max_chars: 12_000_000,
    max_payload: 8 * 1024 * 1024,
};

/// Longest share link, the whole URL, the app copies: the longest that survives a paste into
/// common chat and mail clients. Telegram cuts messages at 4,096 characters, Discord takes 2,000
/// (4,000 with Nitro), Slack asks clients to keep messages under 4,000 (it truncates at 40,000),
/// Teams and WhatsApp take far more; mail carries long links as plain text, though some Outlook
/// versions break clickable links past 1,024–2,048 characters. 4,000 fits all but Discord
/// without Nitro, which the app mentions when a link is longer than [`DISCORD_MESSAGE_CHARS`].
pub const MAX_SHARE_URL_CHARS: usize = 4_000;

/// Discord's message limit without Nitro.
pub const DISCORD_MESSAGE_CHARS: usize = 2_000;

/// Why a share link is not offered.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ShareError {
    #[error(
        "This link would be {chars} characters, more than the {limit} that chat apps and mail \
         reliably carry (Telegram cuts messages at 4,096, Discord at 2,000), so it was not copied. \
         Save the session as a file instead (\"Save file\"): it carries everything the link would \
         and replays to the same hash."
    )]
    TooLong { chars: usize, limit: usize },
}

/// Whether `url` (a whole share link) is short enough to share by pasting (see
/// [`MAX_SHARE_URL_CHARS`]).
pub fn check_share_url(url: &str) -> Result<(), ShareError> {
    let chars = url.chars().count();
    if chars > MAX_SHARE_URL_CHARS {
        return Err(ShareError::TooLong {
            chars,
            limit: MAX_SHARE_URL_CHARS,
        });
    }
    Ok(())
}

/// How many payload versions past the newest a link may claim and still be called "made by a
/// newer Margin Lab". Further ahead, or with an encoding byte no version has used, the bytes are
/// not a Margin Lab link at all (random or foreign data, usually).
pub const MAX_VERSIONS_AHEAD: u8 = 8;

const RAW: u8 = 0;
const DEFLATE: u8 = 1;

/// Why a link could not be opened. Every message is meant for the person who pasted it. Details
/// may quote what the link carries (a scenario id), so they are shown through
/// [`echo_max`](crate::text::echo_max): control characters escaped, length capped.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LinkError {
    #[error("This link is empty: it holds no session.")]
    Empty,
    #[error(
        "This link is too long ({chars} characters, the limit is {limit}); it was not opened."
    )]
    TooLong { chars: usize, limit: usize },
    #[error("This link is damaged: it contains characters a Margin Lab link never has (at position {position}).")]
    BadCharacters { position: usize },
    #[error("This link is cut short: it ends before the session does.")]
    Truncated,
    #[error("This link was made by a newer Margin Lab (format {found}; this version reads up to {newest}). Reload the page to update.")]
    NewerVersion { found: u8, newest: u8 },
    #[error("This link is not a Margin Lab session (unknown format {found}).")]
    UnknownVersion { found: u8 },
    #[error("This link is damaged: unknown encoding {found}.")]
    UnknownEncoding { found: u8 },
    #[error("This link unpacks to more than {limit} bytes; it was not opened.")]
    TooLarge { limit: usize },
    #[error("This link is damaged: its compressed data is corrupt.")]
    Corrupt,
    #[error("This link is damaged: {}", echo_max(.0, MAX_DETAIL_CHARS))]
    Payload(String),
    #[error("This link describes a session that cannot be replayed: {}", echo_max(.0, MAX_DETAIL_CHARS))]
    Invalid(String),
}

/// Wraps `payload` with its version byte, deflating when that pays, and encodes it as base64url.
pub fn encode(version: u8, payload: &[u8]) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(payload, 9);
    let worth_it = deflated.len() * 100 <= payload.len() * (100 - MIN_DEFLATE_SAVING_PERCENT);
    let (encoding, body) = if worth_it {
        (DEFLATE, deflated.as_slice())
    } else {
        (RAW, payload)
    };
    let mut bytes = Vec::with_capacity(body.len() + 2);
    bytes.push(version);
    bytes.push(encoding);
    bytes.extend_from_slice(body);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes link text into `(version, payload)`. Accepts a whole URL, a `#fragment` or the bare
/// text; checks length, characters, the version range `1..=newest` (a version up to
/// [`MAX_VERSIONS_AHEAD`] later with a known encoding is reported as newer, anything else as not a
/// Margin Lab link), and caps inflation.
pub fn decode(link: &str, newest: u8) -> Result<(u8, Vec<u8>), LinkError> {
    decode_with(link, newest, LINK_LIMITS)
}

/// [`decode`] under other [`Limits`] (a session file's link: [`FILE_LIMITS`]).
pub fn decode_with(link: &str, newest: u8, limits: Limits) -> Result<(u8, Vec<u8>), LinkError> {
    let text = fragment(link);
    if text.is_empty() {
        return Err(LinkError::Empty);
    }
    let chars = text.chars().count();
    if chars > limits.max_chars {
        return Err(LinkError::TooLong {
            chars,
            limit: limits.max_chars,
        });
    }
    if let Some(position) =
        text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        return Err(LinkError::BadCharacters { position });
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| LinkError::Truncated)?;
    let [version, encoding, body @ ..] = bytes.as_slice() else {
        return Err(LinkError::Truncated);
    };
    match *version {
        0 => return Err(LinkError::UnknownVersion { found: 0 }),
        // Only an envelope a later build could have written is called newer.
        v if v > newest
            && v - newest <= MAX_VERSIONS_AHEAD
            && matches!(*encoding, RAW | DEFLATE) =>
        {
            return Err(LinkError::NewerVersion { found: v, newest })
        }
        v if v > newest => return Err(LinkError::UnknownVersion { found: v }),
        _ => {}
    }
    let payload = match *encoding {
        RAW if body.len() > limits.max_payload => {
            return Err(LinkError::TooLarge {
                limit: limits.max_payload,
            })
        }
        RAW => body.to_vec(),
        DEFLATE => miniz_oxide::inflate::decompress_to_vec_with_limit(body, limits.max_payload)
            .map_err(|e| match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge {
                    limit: limits.max_payload,
                },
                miniz_oxide::inflate::TINFLStatus::FailedCannotMakeProgress => LinkError::Truncated,
                _ => LinkError::Corrupt,
            })?,
        other => return Err(LinkError::UnknownEncoding { found: other }),
    };
    Ok((*version, payload))
}

/// The part of a link after `#` (and after a `s=` key if present), trimmed.
pub fn fragment(link: &str) -> &str {
    let text = link.trim();
    let text = text.rsplit_once('#').map_or(text, |(_, f)| f);
    text.strip_prefix("s=").unwrap_or(text).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    // TC0: a small payload stays raw; a repetitive one is deflated; both round-trip.
    #[test]
    fn round_trips_raw_and_deflated() {
        for payload in [b"abc".to_vec(), vec![7u8; 5000]] {
            let link = encode(1, &payload);
            assert_eq!(decode(&link, 1), Ok((1, payload.clone())));
            assert_eq!(
                decode(&format!("https://x.test/#s={link}"), 1),
                Ok((1, payload))
            );
        }
        assert!(
            encode(1, &[7u8; 5000]).len() < 100,
            "5,000 equal bytes deflate to a short link"
        );
    }

    // TC1: hostile links: each a clear error, none a panic.
    #[test]
    fn hostile_links_are_refused_with_a_reason() {
        let ok = encode(1, &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(decode("", 1), Err(LinkError::Empty));
        assert_eq!(decode("#", 1), Err(LinkError::Empty));
        assert!(matches!(
            decode(&"A".repeat(MAX_LINK_CHARS + 1), 1),
            Err(LinkError::TooLong { .. })
        ));
        assert_eq!(
            decode("ab$cd", 1),
            Err(LinkError::BadCharacters { position: 2 })
        );
        assert_eq!(decode("A", 1), Err(LinkError::Truncated));
        assert_eq!(
            decode(&encode(9, b"x"), 1),
            Err(LinkError::NewerVersion {
                found: 9,
                newest: 1
            })
        );
        assert_eq!(
            decode(&encode(0, b"x"), 1),
            Err(LinkError::UnknownVersion { found: 0 })
        );
        let mut bad_encoding = URL_SAFE_NO_PAD.decode(&ok).unwrap();
        bad_encoding[1] = 7;
        assert_eq!(
            decode(&URL_SAFE_NO_PAD.encode(bad_encoding), 1),
            Err(LinkError::UnknownEncoding { found: 7 })
        );
        // Deflated garbage.
        assert!(matches!(
            decode(
                &URL_SAFE_NO_PAD.encode([1u8, DEFLATE, 0xff, 0xff, 0xff, 0x00]),
                1
            ),
            Err(LinkError::Corrupt | LinkError::Truncated)
        ));
    }

    // TC2: a decompression bomb (a few KB that inflate to 10 MB) stops at the cap.
    #[test]
    fn decompression_bomb_is_capped() {
        let bomb_body = miniz_oxide::deflate::compress_to_vec(&vec![0u8; 10 * 1024 * 1024], 10);
        let mut bytes = vec![1u8, DEFLATE];
        bytes.extend_from_slice(&bomb_body);
        let link = URL_SAFE_NO_PAD.encode(bytes);
        assert!(
            link.len() < MAX_LINK_CHARS,
            "the bomb fits in a link ({} chars)",
            link.len()
        );
        assert_eq!(
            decode(&link, 1),
            Err(LinkError::TooLarge {
                limit: MAX_PAYLOAD_BYTES
            })
        );
    }

    // TC3: a truncated deflated link is refused.
    #[test]
    fn truncated_deflated_link_is_refused() {
        let link = encode(
            1,
            &(0..4000u32)
                .flat_map(|i| (i % 97).to_le_bytes())
                .collect::<Vec<_>>(),
        );
        let cut = &link[..link.len() / 2];
        assert!(decode(cut, 1).is_err());
    }
}
