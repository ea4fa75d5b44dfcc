use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::ui::chart::canvas::{css_var, prepare, redraw_on_change};

use crate::engine::risk::stats::Histogram;

/// What the histogram draws: the loss distribution and two marks (VaR, ES).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistogramData {
    pub histogram: Histogram,
    pub var: f64,
    pub es: f64,
}

fn axis(v: f64) -> String {
    if v.abs() >= 10_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else {
        format!("{v:.0}")
    }
}

fn draw(canvas: &HtmlCanvasElement, d: &HistogramData, css_h: f64) {
    let css_w = f64::from(canvas.client_width().max(1));
    let Some(ctx) = prepare(canvas, css_w, css_h) else {
        return;
    };
    let muted = css_var("--text-muted", "#8b9bb0");
    let bar = css_var("--accent", "#4c9dff");
    let danger = css_var("--danger", "#ff4d5e");
    let warn = css_var("--warn", "#f2b33d");
    ctx.set_font("11px ui-monospace, Menlo, Consolas, monospace");
    let h = &d.histogram;
    let max = h.counts.iter().copied().max().unwrap_or(0);
    if max == 0 || h.counts.is_empty() {
        ctx.set_fill_style_str(&muted);
        let _ = ctx.fill_text("Run the value at risk to see the losses", 8.0, css_h / 2.0);
        return;
    }
    let (left, right, top, bottom) = (8.0, 8.0, 16.0, 18.0);
    let w = (css_w - left - right).max(10.0);
    let ph = (css_h - top - bottom).max(10.0);
    let n = h.counts.len() as f64;
    let lo = h.lo;
    let hi = h.lo + h.width * n;
    let x_of = |v: f64| left + w * ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
    for (k, c) in h.counts.iter().enumerate() {
        let bh = ph * f64::from(*c) / f64::from(max);
        let x0 = left + w * k as f64 / n;
        // Losses beyond the VaR in the danger colour.
        let mid = lo + h.width * (k as f64 + 0.5);
        ctx.set_fill_style_str(if mid >= d.var { &danger } else { &bar });
        ctx.fill_rect(x0 + 0.5, top + ph - bh, (w / n - 1.0).max(1.0), bh);
    }
    for (v, label, color) in [(d.var, "VaR", &danger), (d.es, "ES", &warn)] {
        if !v.is_finite() {
            continue;
        }
        let x = x_of(v);
        ctx.set_stroke_style_str(color);
        ctx.begin_path();
        ctx.move_to(x, top - 4.0);
        ctx.line_to(x, top + ph);
        ctx.stroke();
        ctx.set_fill_style_str(color);
        let _ = ctx.fill_text(label, (x + 3.0).min(css_w - 24.0), top - 5.0 + 10.0);
    }
    ctx.set_fill_style_str(&muted);
    let _ = ctx.fill_text(&axis(lo), left, css_h - 4.0);
    let _ = ctx.fill_text(&axis(hi), (left + w - 36.0).max(left), css_h - 4.0);
    let zero = x_of(0.0);
    if zero > left + 30.0 && zero < left + w - 40.0 {
        let _ = ctx.fill_text("0", zero - 3.0, css_h - 4.0);
    }
}

/// A canvas histogram of path losses (gains to the left), the bars beyond the VaR highlighted.
#[component]
pub fn LossHistogram(data: Signal<HistogramData>, height: u32) -> impl IntoView {
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    redraw_on_change(canvas_ref, data, move |c, d: &HistogramData| {
        draw(c, d, f64::from(height))
    });
    let label = move || {
        let d = data.get();
        format!(
            "Histogram of {} simulated losses; value at risk {:.0}, expected shortfall {:.0}",
            d.histogram.total(),
            d.var,
            d.es
        )
    };
    view! {
        <canvas node_ref=canvas_ref class="chart-canvas" role="img" aria-label=label
            data-testid="var-histogram" style=format!("height:{height}px")></canvas>
    }
}
