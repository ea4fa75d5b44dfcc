//! Per-pixel decimation: thousands of points drawn as one min/max column per pixel, so a chart
//! costs O(width) to draw whatever the length of the series, and spikes never disappear.

/// One pixel column of a series: the first, last, lowest and highest value that fall in it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Column {
    pub first: f64,
    pub last: f64,
    pub min: f64,
    pub max: f64,
}

/// Splits `values[..len]` into `width` columns (or one per value when there are fewer values than
/// pixels). Non-finite values are skipped; a column with none is `None` (a gap in the line).
pub fn decimate(values: &[f64], width: usize) -> Vec<Option<Column>> {
    if values.is_empty() || width == 0 {
        return Vec::new();
    }
    let columns = width.min(values.len());
    (0..columns)
        .map(|c| {
            let start = c * values.len() / columns;
            let end = ((c + 1) * values.len() / columns).max(start + 1);
            let mut out: Option<Column> = None;
            for &v in values[start..end].iter().filter(|v| v.is_finite()) {
                out = Some(match out {
                    None => Column {
                        first: v,
                        last: v,
                        min: v,
                        max: v,
                    },
                    Some(col) => Column {
                        first: col.first,
                        last: v,
                        min: col.min.min(v),
                        max: col.max.max(v),
                    },
                });
            }
            out
        })
        .collect()
}

/// The value range of several series (finite values only), padded by 4% so lines don't touch the
/// edges; `None` when nothing is finite.
pub fn value_range<'a>(
    series: impl IntoIterator<Item = &'a [f64]>,
    extra: &'a [f64],
) -> Option<(f64, f64)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in series
        .into_iter()
        .flatten()
        .chain(extra.iter())
        .filter(|v| v.is_finite())
    {
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    if lo > hi {
        return None;
    }
    let pad = if hi > lo {
        (hi - lo) * 0.04
    } else {
        hi.abs().max(1.0) * 0.04
    };
    Some((lo - pad, hi + pad))
}
