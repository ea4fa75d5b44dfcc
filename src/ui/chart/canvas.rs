//! A canvas line chart with per-pixel decimation. Numbers here are `f64`: drawing only, never money.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::decimate::{decimate, value_range};

/// A line drawn across time.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    pub color: &'static str,
    pub values: Vec<f64>,
    pub dashed: bool,
}

/// A horizontal reference line (entry price, liquidation price, HF = 1).
#[derive(Clone, Debug, PartialEq)]
pub struct HLine {
    pub label: String,
    pub color: &'static str,
    pub value: f64,
}

/// A vertical marker at a tick (a liquidation, a margin call).
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub index: usize,
    pub label: String,
    pub color: &'static str,
}

/// Everything one chart draws. `len` is the number of ticks on the x axis (the whole scenario),
/// series may be shorter (drawn up to the cursor).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartData {
    pub len: usize,
    pub series: Vec<Series>,
    pub hlines: Vec<HLine>,
    pub markers: Vec<Marker>,
    pub cursor: Option<usize>,
    /// Draw the y axis on a log scale (prices over decades).
    pub log_scale: bool,
}

const PAD_LEFT: f64 = 8.0;
const PAD_RIGHT: f64 = 64.0;
const PAD_Y: f64 = 10.0;

/// A responsive canvas that redraws whenever `data` changes or the window is resized.
#[component]
pub fn CanvasChart(
    data: Signal<ChartData>,
    /// CSS height in pixels.
    height: u32,
    /// Accessible description of what the chart shows.
    label: &'static str,
    #[prop(optional)] test_id: &'static str,
) -> impl IntoView {
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    // The canvas's CSS width, measured when it is mounted and when the window is resized — not on
    // every redraw: reading it after other views changed the page forces a second layout in the
    // frame (it showed up in playback profiles).
    let width = RwSignal::new(0.0f64);
    let measure = move || {
        if let Some(canvas) = canvas_ref.get_untracked() {
            width.set(f64::from(canvas.client_width().max(1)));
        }
    };
    let handle = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || handle.remove());

    Effect::new(move |_| {
        let data = data.get();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        if width.get_untracked() <= 1.0 {
            measure();
        }
        draw(&canvas, &data, width.get(), f64::from(height));
    });

    view! {
        <canvas
            node_ref=canvas_ref
            class="chart-canvas"
            role="img"
            aria-label=label
            data-testid=test_id
            style=format!("height:{height}px")
        ></canvas>
    }
}

thread_local! {
    /// The theme's text and grid colours, read once per theme (`data-theme` on `<html>`): reading
    /// computed styles on every redraw forces a style recalculation.
    static COLOURS: std::cell::RefCell<Option<(String, String, String)>> =
        const { std::cell::RefCell::new(None) };
}

/// The muted text and grid colours of the current theme.
fn colours() -> (String, String) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    let theme = root
        .as_ref()
        .and_then(|r| r.get_attribute("data-theme"))
        .unwrap_or_default();
    COLOURS.with(|c| {
        if let Some((t, text, grid)) = &*c.borrow() {
            if *t == theme {
                return (text.clone(), grid.clone());
            }
        }
        let (text, grid) = (
            css_var("--text-muted", "#8b9bb0"),
            css_var("--border", "#1f2b3a"),
        );
        *c.borrow_mut() = Some((theme, text.clone(), grid.clone()));
        (text, grid)
    })
}

/// Draws `canvas` with `draw` now and again whenever `data` changes or the window is resized:
/// what the bar chart and the histograms do (the line chart above also measures its width once).
pub fn redraw_on_change<T: Clone + Send + Sync + 'static>(
    canvas: NodeRef<leptos::html::Canvas>,
    data: Signal<T>,
    draw: impl Fn(&HtmlCanvasElement, &T) + 'static,
) {
    let resized = RwSignal::new(0u32);
    let handle = window_event_listener(leptos::ev::resize, move |_| resized.update(|n| *n += 1));
    on_cleanup(move || handle.remove());
    Effect::new(move |_| {
        resized.track();
        let data = data.get();
        if let Some(c) = canvas.get() {
            draw(&c, &data);
        }
    });
}

/// A theme colour (a CSS custom property on the document), or `fallback`.
pub fn css_var(name: &str, fallback: &str) -> String {
    let window = web_sys::window();
    window
        .as_ref()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|root| window.as_ref()?.get_computed_style(&root).ok().flatten())
        .and_then(|s| s.get_property_value(name).ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}

/// The canvas's 2D context, sized for `css_width` × `css_height` CSS pixels at the device's pixel
/// ratio (drawing in CSS pixels) and cleared. Every canvas of the app is drawn through this.
pub fn prepare(
    canvas: &HtmlCanvasElement,
    css_width: f64,
    css_height: f64,
) -> Option<CanvasRenderingContext2d> {
    let ratio = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .max(1.0);
    // Resizing a canvas reallocates it: only when the size changed.
    let (w, h) = ((css_width * ratio) as u32, (css_height * ratio) as u32);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let ctx = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())?;
    let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, css_width, css_height);
    Some(ctx)
}

fn draw(canvas: &HtmlCanvasElement, data: &ChartData, css_width: f64, css_height: f64) {
    let css_width = css_width.max(1.0);
    let Some(ctx) = prepare(canvas, css_width, css_height) else {
        return;
    };

    let (text, grid) = colours();
    ctx.set_font("11px ui-monospace, Menlo, Consolas, monospace");

    let plot_w = (css_width - PAD_LEFT - PAD_RIGHT).max(10.0);
    let plot_h = (css_height - 2.0 * PAD_Y).max(10.0);
    let len = data
        .len
        .max(
            data.series
                .iter()
                .map(|s| s.values.len())
                .max()
                .unwrap_or(0),
        )
        .max(2);
    let tf = |v: f64| if data.log_scale { v.max(1e-12).ln() } else { v };

    let transformed: Vec<Vec<f64>> = data
        .series
        .iter()
        .map(|s| s.values.iter().map(|v| tf(*v)).collect())
        .collect();
    let extra: Vec<f64> = data.hlines.iter().map(|h| tf(h.value)).collect();
    let Some((lo, hi)) = value_range(transformed.iter().map(|v| v.as_slice()), &extra) else {
        ctx.set_fill_style_str(&text);
        let _ = ctx.fill_text("No data yet", PAD_LEFT + 8.0, css_height / 2.0);
        return;
    };
    let span = if hi > lo { hi - lo } else { 1.0 };
    let y_of = |v: f64| PAD_Y + plot_h * (1.0 - (v - lo) / span);
    let x_of = |i: f64| PAD_LEFT + plot_w * i / (len - 1) as f64;

    // Grid and y labels.
    ctx.set_stroke_style_str(&grid);
    ctx.set_line_width(1.0);
    ctx.set_fill_style_str(&text);
    for k in 0..=4 {
        let v = lo + span * f64::from(k) / 4.0;
        let y = y_of(v);
        ctx.begin_path();
        ctx.move_to(PAD_LEFT, y);
        ctx.line_to(PAD_LEFT + plot_w, y);
        ctx.stroke();
        let shown = if data.log_scale { v.exp() } else { v };
        let _ = ctx.fill_text(&format_axis(shown), PAD_LEFT + plot_w + 6.0, y + 4.0);
    }

    // Event markers.
    for m in &data.markers {
        let x = x_of(m.index as f64);
        ctx.set_stroke_style_str(m.color);
        ctx.set_global_alpha(0.6);
        ctx.begin_path();
        ctx.move_to(x, PAD_Y);
        ctx.line_to(x, PAD_Y + plot_h);
        ctx.stroke();
        ctx.set_global_alpha(1.0);
        ctx.set_fill_style_str(m.color);
        ctx.begin_path();
        let _ = ctx.arc(x, PAD_Y + 4.0, 3.5, 0.0, std::f64::consts::TAU);
        ctx.fill();
    }

    // Horizontal reference lines; their labels are moved apart so close lines stay readable.
    let mut labels: Vec<(f64, &HLine)> =
        data.hlines.iter().map(|h| (y_of(tf(h.value)), h)).collect();
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut last_label = f64::NEG_INFINITY;
    for (y, h) in labels {
        ctx.set_stroke_style_str(h.color);
        let _ = ctx.set_line_dash(&js_dashes(&[6.0, 4.0]));
        ctx.begin_path();
        ctx.move_to(PAD_LEFT, y);
        ctx.line_to(PAD_LEFT + plot_w, y);
        ctx.stroke();
        let _ = ctx.set_line_dash(&js_dashes(&[]));
        ctx.set_fill_style_str(h.color);
        let label_y = (y - 4.0).max(last_label + 12.0);
        last_label = label_y;
        let _ = ctx.fill_text(&h.label, PAD_LEFT + 4.0, label_y);
    }

    // Series, one min/max column per pixel.
    for (s, values) in data.series.iter().zip(&transformed) {
        let columns = decimate(values, plot_w as usize);
        if columns.is_empty() {
            continue;
        }
        let per_col = values.len() as f64 / columns.len() as f64;
        ctx.set_stroke_style_str(s.color);
        ctx.set_line_width(1.5);
        let _ = ctx.set_line_dash(&js_dashes(if s.dashed { &[5.0, 3.0] } else { &[] }));
        ctx.begin_path();
        let mut pen_down = false;
        for (c, col) in columns.iter().enumerate() {
            let Some(col) = col else {
                pen_down = false;
                continue;
            };
            let x = x_of(c as f64 * per_col);
            if pen_down {
                ctx.line_to(x, y_of(col.first));
            } else {
                ctx.move_to(x, y_of(col.first));
                pen_down = true;
            }
            if col.min != col.max {
                ctx.line_to(x, y_of(col.min));
                ctx.line_to(x, y_of(col.max));
            }
            ctx.line_to(x, y_of(col.last));
        }
        ctx.stroke();
        let _ = ctx.set_line_dash(&js_dashes(&[]));
    }

    // Playback cursor.
    if let Some(cursor) = data.cursor {
        let x = x_of(cursor as f64);
        ctx.set_stroke_style_str(&text);
        ctx.set_global_alpha(0.5);
        ctx.begin_path();
        ctx.move_to(x, PAD_Y);
        ctx.line_to(x, PAD_Y + plot_h);
        ctx.stroke();
        ctx.set_global_alpha(1.0);
    }
}

fn js_dashes(d: &[f64]) -> js_sys::Array {
    d.iter()
        .map(|v| wasm_bindgen::JsValue::from_f64(*v))
        .collect()
}

fn format_axis(v: f64) -> String {
    let a = v.abs();
    if a >= 100_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else if a >= 1000.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}
