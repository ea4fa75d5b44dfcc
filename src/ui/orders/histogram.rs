//! A canvas histogram of two distributions over the same bins: the strategy (filled bars) and
//! "no strategy" (outlined). Numbers here are `f64`: drawing only.

use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::ui::chart::canvas::{prepare, redraw_on_change};

/// What one histogram draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistogramData {
    pub strategy: Vec<f64>,
    pub baseline: Vec<f64>,
    /// Formats an axis value (money, percent).
    pub percent: bool,
}

pub const STRATEGY: &str = "#2fc58a";
pub const BASELINE: &str = "#8b9bb0";
const BINS: usize = 24;

/// Counts of `values` in `bins` equal bins over `[lo, hi]`.
pub fn bin_counts(values: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<u32> {
    let mut counts = vec![0u32; bins];
    let span = if hi > lo { hi - lo } else { 1.0 };
    for v in values.iter().filter(|v| v.is_finite()) {
        let k = (((v - lo) / span) * bins as f64).floor() as isize;
        counts[k.clamp(0, bins as isize - 1) as usize] += 1;
    }
    counts
}

fn label(v: f64, percent: bool) -> String {
    if percent {
        format!("{:.0}%", v * 100.0)
    } else if v.abs() >= 10_000.0 {
        format!("{:.1}k", v / 1000.0)
    } else {
        format!("{v:.0}")
    }
}

#[component]
pub fn Histogram(
    data: Signal<HistogramData>,
    label: &'static str,
    #[prop(optional)] test_id: &'static str,
) -> impl IntoView {
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    redraw_on_change(canvas_ref, data, draw);
    view! {
        <canvas node_ref=canvas_ref class="chart-canvas" role="img" aria-label=label data-testid=test_id style="height:180px"></canvas>
    }
}

fn draw(canvas: &HtmlCanvasElement, d: &HistogramData) {
    let (w, h) = (f64::from(canvas.client_width().max(1)), 180.0);
    let Some(ctx) = prepare(canvas, w, h) else {
        return;
    };
    ctx.set_font("11px ui-monospace, Menlo, Consolas, monospace");
    let all: Vec<f64> = d
        .strategy
        .iter()
        .chain(&d.baseline)
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if all.is_empty() {
        return;
    }
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let a = bin_counts(&d.strategy, lo, hi, BINS);
    let b = bin_counts(&d.baseline, lo, hi, BINS);
    let top = a.iter().chain(&b).copied().max().unwrap_or(1).max(1) as f64;
    let (left, right, bottom, top_pad) = (8.0, 8.0, 18.0, 8.0);
    let plot_w = (w - left - right).max(10.0);
    let plot_h = h - bottom - top_pad;
    let bar_w = plot_w / BINS as f64;
    let y_of = |n: u32| top_pad + plot_h * (1.0 - f64::from(n) / top);
    for k in 0..BINS {
        let x = left + bar_w * k as f64;
        ctx.set_fill_style_str(STRATEGY);
        ctx.set_global_alpha(0.75);
        ctx.fill_rect(
            x + 1.0,
            y_of(a[k]),
            bar_w - 2.0,
            top_pad + plot_h - y_of(a[k]),
        );
        ctx.set_global_alpha(1.0);
        if b[k] > 0 {
            ctx.set_stroke_style_str(BASELINE);
            ctx.set_line_width(1.5);
            ctx.stroke_rect(
                x + 1.5,
                y_of(b[k]),
                bar_w - 3.0,
                top_pad + plot_h - y_of(b[k]),
            );
        }
    }
    let text = "#8b9bb0";
    ctx.set_fill_style_str(text);
    let _ = ctx.fill_text(&label(lo, d.percent), left, h - 4.0);
    let hi_label = label(hi, d.percent);
    let _ = ctx.fill_text(&hi_label, w - right - 7.0 * hi_label.len() as f64, h - 4.0);
    let _ = ctx.fill_text(&format!("{} runs max per bin", top as u32), left, 11.0);
}
