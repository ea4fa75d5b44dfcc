//! A canvas bar chart (the health histogram). Drawing only: `f64` here, never money.

use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::ui::chart::canvas::{css_var, prepare, redraw_on_change};

/// One bar: its label under it, its height, and its colour.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub color: &'static str,
}

/// Bars scaled to the tallest, redrawn when `bars` change or the window is resized.
#[component]
pub fn BarChart(
    bars: Signal<Vec<Bar>>,
    height: u32,
    label: &'static str,
    #[prop(optional)] test_id: &'static str,
) -> impl IntoView {
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    redraw_on_change(canvas_ref, bars, move |c, bars: &Vec<Bar>| {
        draw(c, bars, f64::from(height))
    });
    view! {
        <canvas node_ref=canvas_ref class="chart-canvas" role="img" aria-label=label data-testid=test_id
            style=format!("height:{height}px")></canvas>
    }
}

fn draw(canvas: &HtmlCanvasElement, bars: &[Bar], css_height: f64) {
    let css_width = f64::from(canvas.client_width().max(1));
    let Some(ctx) = prepare(canvas, css_width, css_height) else {
        return;
    };
    let text = css_var("--text-muted", "#8b9bb0");
    ctx.set_font("10px ui-monospace, Menlo, Consolas, monospace");
    ctx.set_fill_style_str(&text);
    if bars.is_empty() {
        let _ = ctx.fill_text("No data yet", 8.0, css_height / 2.0);
        return;
    }
    let top = bars
        .iter()
        .map(|b| b.value)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let label_h = 16.0;
    let plot_h = css_height - label_h - 14.0;
    let w = css_width / bars.len() as f64;
    for (i, b) in bars.iter().enumerate() {
        let h = plot_h * b.value / top;
        let x = i as f64 * w;
        ctx.set_fill_style_str(b.color);
        ctx.fill_rect(x + 2.0, 12.0 + plot_h - h, (w - 4.0).max(1.0), h);
        ctx.set_fill_style_str(&text);
        let _ = ctx.fill_text(&b.label, x + 2.0, css_height - 3.0);
        if b.value > 0.0 {
            let _ = ctx.fill_text(
                &format!("{}", b.value as u64),
                x + 2.0,
                (12.0 + plot_h - h - 2.0).max(10.0),
            );
        }
    }
}
