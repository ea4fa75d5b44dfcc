#![cfg(not(target_arch = "wasm32"))]
//! Peak memory of the price import on worst-case inputs of the largest accepted size.
//!
//! A counting global allocator tracks the bytes currently allocated and their peak, so the figures
//! are allocation counts, not timings: deterministic on any machine. The allocator applies to this
//! whole test binary, which is why these cases live in a file of their own and run one after another
//! in a single test. Each case builds an input of at most `MAX_BYTES` (8 MiB), then parses it the
//! way the picker does (`parse_bytes`, then `into_feed`); the peak counts the input itself.
//!
//! `cargo test --test feed_import_memory -- --nocapture` prints the peak of every case.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use margin_lab::feed::csv_import::{parse_bytes, MAX_BYTES, MAX_ROWS};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Ordering::SeqCst) + by;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            // Counted as the old block and the new one both alive, as during a moving realloc.
            grew(new_size);
            CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The limit every case must stay under.
const LIMIT: usize = 100 * 1024 * 1024;

/// Repeats `unit` between `head` and `tail` until the whole is as close to `MAX_BYTES` as fits.
fn fill(head: &str, unit: &str, sep: &str, tail: &str) -> Vec<u8> {
    let room = MAX_BYTES - head.len() - tail.len();
    let n = (room + sep.len()) / (unit.len() + sep.len());
    let mut s = String::with_capacity(MAX_BYTES);
    s.push_str(head);
    for i in 0..n {
        if i > 0 {
            s.push_str(sep);
        }
        s.push_str(unit);
    }
    s.push_str(tail);
    assert!(s.len() <= MAX_BYTES);
    s.into_bytes()
}

/// `n` rows produced by `row(i)`, after `head`, then `tail`.
fn rows(head: &str, n: usize, row: impl Fn(usize) -> String, sep: &str, tail: &str) -> Vec<u8> {
    let mut s = String::from(head);
    for i in 0..n {
        if i > 0 {
            s.push_str(sep);
        }
        s.push_str(&row(i));
    }
    s.push_str(tail);
    assert!(s.len() <= MAX_BYTES, "{} bytes", s.len());
    s.shrink_to_fit();
    s.into_bytes()
}

/// Builds one input when its case runs, so only one 8 MiB input is alive at a time.
type Make = Box<dyn Fn() -> Vec<u8>>;

/// The worst cases: `(name, input, accepted?)`.
fn cases() -> Vec<(&'static str, Make, bool)> {
    let t = |i: usize| 1_600_000_000 + i * 60;
    vec![
        // CSV
        (
            "csv header, 4M columns",
            Box::new(move || fill("date,close,", "c", ",", "\n2020-01-01,1\n")),
            false,
        ),
        (
            "csv header, 8M empty columns",
            Box::new(move || fill("date,close,", "", ",", "\n2020-01-01,1\n")),
            false,
        ),
        (
            "csv header-less kline row, 4M fields",
            Box::new(move || fill("1600000000000,", "1", ",", "\n")),
            false,
        ),
        (
            "csv one data row of 4M fields",
            Box::new(move || fill("date,close\n2020-01-01,", "1", ",", "\n")),
            false,
        ),
        (
            "csv one 8 MiB value",
            Box::new(move || fill("date,close\n2020-01-01,", "9", "", "\n")),
            false,
        ),
        (
            "csv 8 MiB header name",
            Box::new(move || fill("date,", "c", "", "\n2020-01-01,1\n")),
            false,
        ),
        (
            "csv 4M blank lines",
            Box::new(move || fill("date,close\n", "\n", "", "2020-01-01,1\n")),
            true,
        ),
        (
            "csv 4M empty fields, 64 columns",
            Box::new(move || {
                fill(
                    "",
                    ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
                    "\n",
                    "\n",
                )
            }),
            false,
        ),
        (
            "csv 200,000 rows",
            Box::new(move || {
                rows(
                    "timestamp,close\n",
                    MAX_ROWS,
                    |i| format!("{},{}.5", t(i), 100 + i % 7),
                    "\n",
                    "\n",
                )
            }),
            true,
        ),
        (
            "csv 200,000 OHLC rows",
            Box::new(move || {
                rows(
                    "time,open,high,low,close\n",
                    MAX_ROWS,
                    |i| format!("{},2,3,1,2", t(i)),
                    "\n",
                    "\n",
                )
            }),
            true,
        ),
        (
            "csv 200,000 rows with 20 columns",
            Box::new(move || {
                rows(
                    "",
                    MAX_ROWS,
                    |i| format!("{},1,1,1,1,,,,,,,,,,,,,,,", t(i) * 1000),
                    "\n",
                    "\n",
                )
            }),
            true,
        ),
        (
            "csv 200,001 rows",
            Box::new(move || rows("t,c\n", MAX_ROWS + 1, |i| format!("{},1", t(i)), "\n", "\n")),
            false,
        ),
        // JSON
        (
            "json array of 4M numbers",
            Box::new(move || fill("[", "0", ",", "]")),
            false,
        ),
        (
            "json array of 2.8M empty arrays",
            Box::new(move || fill("[", "[]", ",", "]")),
            false,
        ),
        (
            "json array of 1.2M empty objects",
            Box::new(move || fill("[", "{}", ",", "]")),
            false,
        ),
        (
            "json row with 4M fields",
            Box::new(move || fill("[[", "1", ",", "]]")),
            false,
        ),
        (
            "json row object with 500k keys",
            Box::new(move || rows("[{", 500_000, |i| format!("\"k{i}\":1"), ",", "}]")),
            false,
        ),
        (
            "json row with a 4M-item nested array",
            Box::new(move || fill("[[1600000000,1,[", "0", ",", "]]]")),
            false,
        ),
        (
            "json 8 MiB string",
            Box::new(move || fill("[\"", "a", "", "\"]")),
            false,
        ),
        (
            "json deep nesting",
            Box::new(move || fill("", "[", "", "")),
            false,
        ),
        (
            "json wrapper beside a 4M-item array",
            Box::new(move || fill("{\"x\":[", "0", ",", "],\"prices\":[[1600000000,1]]}")),
            true,
        ),
        (
            "json wrapper with 4M numbers",
            Box::new(move || fill("{\"prices\":[", "0", ",", "]}")),
            false,
        ),
        (
            "json 200,000 [time, price] rows",
            Box::new(move || {
                rows(
                    "[",
                    MAX_ROWS,
                    |i| format!("[{},{}.5]", t(i) * 1000, 100 + i % 7),
                    ",",
                    "]",
                )
            }),
            true,
        ),
        (
            "json 200,000 object rows",
            Box::new(move || {
                rows(
                    "[",
                    MAX_ROWS,
                    |i| format!("{{\"t\":{},\"c\":\"{}\"}}", t(i), 100 + i % 7),
                    ",",
                    "]",
                )
            }),
            true,
        ),
        (
            "json 200,000 kline rows",
            Box::new(move || {
                rows(
                    "[",
                    MAX_ROWS,
                    |i| format!("[{},\"2\",\"3\",\"1\",\"2\"]", t(i) * 1000),
                    ",",
                    "]",
                )
            }),
            true,
        ),
        (
            "json 200,001 rows",
            Box::new(move || rows("[", MAX_ROWS + 1, |i| format!("[{},1]", t(i)), ",", "]")),
            false,
        ),
    ]
}

// TC0..: every worst-case input of the largest accepted size parses (or is refused) with a peak
// under 100 MB, input included. Before the import bounded columns and streamed JSON, the 4M-column
// header peaked at about 700 MB and 8 MiB of JSON at about 370 MB.
#[test]
fn worst_case_imports_stay_under_100_mb() {
    let mut report = Vec::new();
    for (name, make, accepted) in cases() {
        let base = CURRENT.load(Ordering::SeqCst);
        let input = make();
        let len = input.len();
        // The input was built before the count started, so it is added back below.
        PEAK.store(CURRENT.load(Ordering::SeqCst), Ordering::SeqCst);
        let result = parse_bytes(&input)
            .map_err(|e| e.to_string())
            .and_then(|i| {
                let bars = i.bars.len();
                i.into_feed("ETH")
                    .map(|f| (bars, f))
                    .map_err(|e| e.to_string())
            });
        let peak = PEAK.load(Ordering::SeqCst).saturating_sub(base);
        let outcome = match &result {
            Ok((bars, _)) => format!("accepted, {bars} bars"),
            Err(e) => format!("refused: {}", e.chars().take(90).collect::<String>()),
        };
        println!(
            "{name:<42} {:>9} B in, peak {:>6.1} MB — {outcome}",
            len,
            peak as f64 / 1e6
        );
        report.push((name, peak, result.is_ok() == accepted, outcome));
        drop(result);
        drop(input);
    }
    let bad: Vec<_> = report
        .iter()
        .filter(|(_, peak, as_expected, _)| *peak >= LIMIT || !as_expected)
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}
