//! `f64` copies of a session's recorded series for drawing, converted incrementally: a frame
//! converts only the ticks appended since the last one (the whole series only after a scrub back,
//! an action or another session, see [`crate::replay::session::Series::revision`]). Converting
//! every `Decimal` of a long session on every frame cost O(ticks) per frame.

/// Converted copies of some series of one session.
#[derive(Default)]
pub struct F64Series {
    revision: u64,
    key: usize,
    pub values: Vec<Vec<f64>>,
}

impl F64Series {
    /// Brings the copies up to date with `sources` (the series `revision`, `key` naming which
    /// series they are, e.g. the asset shown): same revision and key → only the tail is converted.
    pub fn sync<T>(
        &mut self,
        revision: u64,
        key: usize,
        sources: &[&[T]],
        convert: impl Fn(&T) -> f64,
    ) {
        let same = self.revision == revision
            && self.key == key
            && self.values.len() == sources.len()
            && self
                .values
                .iter()
                .zip(sources)
                .all(|(v, s)| v.len() <= s.len());
        if !same {
            self.revision = revision;
            self.key = key;
            self.values = vec![Vec::new(); sources.len()];
        }
        for (v, s) in self.values.iter_mut().zip(sources) {
            let from = v.len();
            v.extend(s[from..].iter().map(&convert));
        }
    }
}
