//! Headless replay of a Margin Lab link or session file.
//!
//! ```text
//! cargo run --release --bin replay -- '<link, #fragment, or path to a .json/.txt file>' [--json] [--to-end]
//! cargo run --release --bin replay -- '<link or file>' --seeds N [--ticks T] [--expect DIGEST] [--json]
//! ```
//!
//! Prints the scenario, final balances, liquidations and bad debt, and the event-log hash — the same
//! hash the browser shows — with whether it matches the author's. `--json` prints the whole event log
//! as JSON instead. `--to-end` plays on past the author's tick to the end of the scenario.
//!
//! A text file may also say what each link must replay to, as the fixtures do: a link with its
//! event-log hash on the next line, or lines of `<link> <hash>` (lines starting with `#` are
//! comments). The hash at the link's tick is then compared with it. A file of several links is
//! checked link by link: a line for each one that does not replay to its hash, then the count.
//!
//! `--seeds N` tests the link's script across `N` seeds (1 to 1,000) of its simulated scenario,
//! `T` ticks each (default: the whole scenario), next to the same script without its automation,
//! and prints the summary the browser's "Test across seeds" panel shows, with its digest
//! (`--json`: every seed's outcomes). `--expect DIGEST` fails when the digest differs, so a team
//! can pin a strategy's distribution in CI.
//!
//! Exit status: 0 replayed (verified, or no hash to check; with `--seeds`, the test ran and its
//! digest is the expected one if one was given), 1 the hash differs from the author's or the file's
//! (or the digest differs from `--expect`), 2 bad input (a bad link, recorded prices for `--seeds`,
//! a bad option; in a file of several links, any link that cannot be read).

use std::process::ExitCode;

use margin_lab::engine::explain::events_json;
use margin_lab::engine::{AccountId, EventKind};
use margin_lab::replay::file::{SessionFile, MAX_FILE_BYTES};
use margin_lab::replay::sweep::{report, Stats, Summary, Sweep, SweepSpec};
use margin_lab::replay::{Session, Shared, Verification};
use margin_lab::text::{echo, escape};
use rust_decimal::Decimal;

/// Prints an error. Messages already quote user input through `echo`; escaping the whole line
/// again keeps any control character that slipped through from reaching the terminal.
fn fail(message: &str) -> ExitCode {
    eprintln!("error: {}", escape(message));
    ExitCode::from(2)
}

fn usage() -> ExitCode {
    eprintln!("usage: replay '<link, #fragment, or file>' [--json] [--to-end]");
    eprintln!("       replay '<link, #fragment, or file>' --seeds N [--ticks T] [--expect DIGEST] [--json]");
    ExitCode::from(2)
}

/// The value after `--name`, parsed; `Err` when it is missing or not a number.
fn option<T: std::str::FromStr>(args: &[String], name: &str) -> Result<Option<T>, String> {
    let Some(i) = args.iter().position(|a| a == name) else {
        return Ok(None);
    };
    args.get(i + 1)
        .and_then(|v| v.parse().ok())
        .map(Some)
        .ok_or_else(|| format!("{name} needs a value"))
}

/// True when `arg` reads as a file path rather than a link: link text is base64url (letters,
/// digits, `-`, `_`) after an optional `s=`, and a URL has `://` or `#`; a path has `/`, `\` or a
/// `.` (a file extension).
fn looks_like_path(arg: &str) -> bool {
    !arg.contains("://") && !arg.contains('#') && arg.contains(['/', '\\', '.'])
}

/// Where the link came from, for messages.
enum Source {
    Argument,
    File(String),
}

/// A link, the file line it was on, and the event-log hash the file says it replays to.
struct Entry {
    line: usize,
    link: String,
    expected: Option<String>,
}

impl Entry {
    fn link(link: String) -> Self {
        Self {
            line: 1,
            link,
            expected: None,
        }
    }
}

/// True for an event-log hash: 64 hex digits.
fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A hash from a file as printed: in full when it is one, quoted through `echo` otherwise.
fn shown(s: &str) -> String {
    if is_hash(s) {
        s.to_string()
    } else {
        echo(s)
    }
}

/// The links of a link text file: a link per line, its hash after it on the same line or alone on
/// the next; blank lines and `#` comments skipped.
fn link_entries(text: &str) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // `<link> <hash>`; any other line is a link as it stands (a damaged one is told so).
        let (link, expected) = match line.split_once(char::is_whitespace) {
            Some((link, hash)) if is_hash(hash.trim()) => (link, Some(hash.trim().to_string())),
            _ => (line, None),
        };
        match out.last_mut() {
            Some(prev) if expected.is_none() && prev.expected.is_none() && is_hash(link) => {
                prev.expected = Some(link.to_string());
            }
            _ => out.push(Entry {
                line: i + 1,
                link: link.to_string(),
                expected,
            }),
        }
    }
    out
}

/// A link given directly, or read from a session file (JSON) or a text file holding links. A
/// file may start with a UTF-8 byte-order mark, as some editors save it.
fn read_links(arg: &str) -> Result<(Vec<Entry>, Source), String> {
    let path = std::path::Path::new(arg);
    if !path.exists() {
        if looks_like_path(arg) {
            return Err(format!("no such file: {}", echo(arg)));
        }
        return Ok((vec![Entry::link(arg.to_string())], Source::Argument));
    }
    if !path.is_file() {
        return Err(format!("{}: not a file (a directory?)", echo(arg)));
    }
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES as u64 {
        return Err(format!(
            "{}: too large to be a session ({size} bytes)",
            echo(arg)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", echo(arg)))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        format!(
            "{}: not a text file (session files are UTF-8 JSON; link files UTF-8 text)",
            echo(arg)
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let source = Source::File(arg.to_string());
    if text.trim_start().starts_with('{') {
        let file = SessionFile::parse(text).map_err(|e| format!("{}: {e}", echo(arg)))?;
        Ok((vec![Entry::link(file.link)], source))
    } else {
        let entries = link_entries(text);
        if entries.is_empty() {
            return Err(format!("{}: holds no link", echo(arg)));
        }
        Ok((entries, source))
    }
}

/// A link's session, or why it cannot be read; a link from a file names the file (and the line,
/// in a file of several links).
fn read_shared(entry: &Entry, source: &Source, several: bool) -> Result<Shared, String> {
    let opened = match source {
        Source::Argument => Shared::from_link(&entry.link),
        // A file may hold a session with its imported prices (a longer link).
        Source::File(_) => Shared::from_file_link(&entry.link),
    };
    opened.map_err(|e| match source {
        Source::Argument => e.to_string(),
        Source::File(path) if several => format!("{}, line {}: {e}", echo(path), entry.line),
        Source::File(path) => format!("{}: {e}", echo(path)),
    })
}

/// Checks every link of a file against its hash: a line for each that does not replay to it
/// (or cannot be read), then the count. Exit 2 if any link cannot be read, else 1 if any differs.
fn check_all(entries: &[Entry], source: &Source) -> ExitCode {
    let (mut matched, mut differs, mut unreadable) = (0usize, 0usize, 0usize);
    for entry in entries {
        let opened = read_shared(entry, source, true)
            .and_then(|shared| Session::open_shared(shared).map_err(|e| e.to_string()));
        let (session, verification) = match opened {
            Ok(x) => x,
            Err(e) => {
                unreadable += 1;
                eprintln!("error: {}", escape(&e));
                continue;
            }
        };
        let hash = session.log_hash();
        let wrong = match &entry.expected {
            Some(want) if *want != hash => {
                Some(format!("replays to {hash}, the file says {}", shown(want)))
            }
            _ if verification == Verification::Differs => {
                Some(format!("replays to {hash}, not to the author's hash"))
            }
            _ => None,
        };
        match wrong {
            Some(why) => {
                differs += 1;
                println!("line {}: DIFFERS: {why}", entry.line);
            }
            None => matched += 1,
        }
    }
    println!(
        "{} links: {matched} replay to their hashes, {differs} differ, {unreadable} cannot be read",
        entries.len()
    );
    if unreadable > 0 {
        ExitCode::from(2)
    } else if differs > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let to_end = args.iter().any(|a| a == "--to-end");
    let valued = ["--seeds", "--ticks", "--expect"];
    let inputs: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            let is_value = *i > 0 && valued.contains(&args[*i - 1].as_str());
            !a.starts_with("--") && !is_value
        })
        .map(|(_, a)| a)
        .collect();
    let [input] = inputs.as_slice() else {
        return usage();
    };
    let seeds = match option::<u32>(&args, "--seeds") {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return usage();
        }
    };
    let ticks = match option::<u32>(&args, "--ticks") {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return usage();
        }
    };
    let expect = option::<String>(&args, "--expect").ok().flatten();

    let (entries, source) = match read_links(input) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let entry = match entries.as_slice() {
        [one] => one,
        several => {
            if json || to_end || seeds.is_some() {
                return fail(&format!(
                    "{}: a file of {} links is checked link by link; --json, --to-end and --seeds take one link",
                    echo(input),
                    several.len()
                ));
            }
            return check_all(several, &source);
        }
    };
    let shared = match read_shared(entry, &source, false) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    if let Some(seeds) = seeds {
        return seed_test(&shared, SweepSpec { seeds, ticks }, expect.as_deref(), json);
    }
    let (mut session, verification) = match Session::open_shared(shared) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let author_hash = session.log_hash();
    if to_end {
        if let Err(e) = session.seek(session.len().saturating_sub(1)) {
            return fail(&e);
        }
    }

    // The file's hash is the one at the link's tick, as the author's is.
    let file_differs = entry
        .expected
        .as_ref()
        .is_some_and(|want| *want != author_hash);
    if json {
        println!("{}", events_json(session.engine().events()));
    } else {
        print_summary(&session, verification, &author_hash);
        if let Some(want) = &entry.expected {
            let verdict = if file_differs {
                "DIFFERS from the replay"
            } else {
                "matches the replay"
            };
            println!("file's hash   {}: {verdict}", shown(want));
        }
    }
    if verification == Verification::Differs || file_differs {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_summary(session: &Session, verification: Verification, author_hash: &str) {
    let sc = &session.script().scenario;
    println!("scenario      {} (seed {})", echo(&sc.feed), sc.seed);
    println!("rules         {:?} — {}", sc.preset, sc.preset.imitates());
    println!("design        {}", sc.design);
    println!("actions       {}", session.script().actions.len());
    println!(
        "tick          {} of {}",
        session.tick(),
        session.len().saturating_sub(1)
    );
    let engine = session.engine();
    if let Ok(m) = engine.account_metrics(&AccountId::USER) {
        println!("equity        {}", m.equity.round_dp(2));
        println!(
            "health        {}",
            m.health()
                .map(|h| h.round_dp(4).to_string())
                .unwrap_or_else(|| "no debt".into())
        );
        for (asset, amount) in &m.wallet {
            println!("wallet        {} {asset}", amount.round_dp(8));
        }
        for c in &m.collateral {
            println!(
                "collateral    {} {} (borrowing power {})",
                c.amount.round_dp(8),
                c.asset,
                c.borrowing_power.round_dp(2)
            );
        }
        for v in &m.vaults {
            println!(
                "vault         {} {} / debt {}",
                v.collateral.round_dp(8),
                v.collateral_asset,
                v.debt.round_dp(2)
            );
        }
        for p in &m.positions {
            println!(
                "position      {} {} {} @ {} (pnl {})",
                p.side,
                p.size,
                p.market,
                p.entry_price.round_dp(4),
                p.unrealized_pnl.round_dp(2)
            );
        }
        println!("realized pnl  {}", m.realized_pnl.round_dp(2));
    }
    let liquidations: Vec<_> = engine
        .events()
        .iter()
        .filter(|e| e.kind.is_liquidation_of(AccountId::USER))
        .collect();
    println!("liquidations  {}", liquidations.len());
    for e in liquidations {
        println!("  #{} t={} {}", e.seq, e.time, e.describe());
    }
    let sys = engine.system_metrics();
    let user_bad_debt: rust_decimal::Decimal = engine
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::BadDebt {
                account, amount, ..
            } if *account == AccountId::USER => Some(*amount),
            _ => None,
        })
        .sum();
    println!(
        "bad debt      {} (yours) / {} (system, at oracle prices)",
        user_bad_debt.round_dp(2),
        sys.bad_debt_value.round_dp(2)
    );
    println!("insurance     {}", sys.insurance_fund.round_dp(2));
    if let Some(p) = sc.population() {
        // The whole market: what everyone posted and owes, and what liquidations took.
        let (mut collateral, mut debt) = (rust_decimal::Decimal::ZERO, rust_decimal::Decimal::ZERO);
        for a in &sys.assets {
            collateral += (a.supplied + a.vault_collateral) * a.oracle_price;
            debt += (a.borrowed + a.vault_debt) * a.oracle_price;
        }
        let series = session.series();
        let taken: rust_decimal::Decimal = series.liquidated_value.iter().copied().sum();
        let count: u64 = series.liquidations.iter().map(|n| u64::from(*n)).sum();
        println!(
            "market        {} other borrowers, {} accounts",
            p.count, sys.accounts
        );
        println!(
            "market value  collateral {} / debt {}",
            collateral.round_dp(2),
            debt.round_dp(2)
        );
        println!(
            "market liq.   {count} liquidations took {}",
            taken.round_dp(2)
        );
        let at_risk = engine
            .health_histogram()
            .first()
            .map(|b| b.accounts)
            .unwrap_or(0);
        println!("market risk   {at_risk} accounts liquidatable now");
        if let Some(r) = sys.recovery {
            println!(
                "recovery mode {} (total collateral ratio {})",
                if r.active { "ON" } else { "off" },
                r.total_collateral_ratio
                    .map(|t| t.round_dp(4).to_string())
                    .unwrap_or_else(|| "∞".into())
            );
        }
    }
    println!("events        {}", engine.events().len());
    println!("log hash      {author_hash}");
    println!(
        "verification  {}",
        match verification {
            Verification::Verified => "replay verified: same hash as the author's",
            Verification::Differs => "DIFFERS from the author's hash",
            Verification::Unchecked => "the link carried no hash",
        }
    );
    if session.log_hash() != author_hash {
        println!(
            "log hash      {} (at tick {}, after --to-end)",
            session.log_hash(),
            session.tick()
        );
    }
}

/// `--seeds`: the link's script across seeds, next to it without its automation.
fn seed_test(shared: &Shared, spec: SweepSpec, expect: Option<&str>, json: bool) -> ExitCode {
    let sweep = match Sweep::new(&shared.script, spec) {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string()),
    };
    let outcomes = match sweep.run_all() {
        Ok(o) => o,
        Err(e) => return fail(&e.to_string()),
    };
    let r = report(&outcomes);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "report": r, "outcomes": outcomes }))
                .unwrap_or_default()
        );
    } else {
        let sc = &shared.script.scenario;
        println!(
            "scenario      {} — seeds {} to {}, {} each",
            sc.feed,
            sweep.seed(0),
            sweep.seed(spec.seeds - 1),
            spec.ticks
                .map(|t| format!("the first {t} ticks"))
                .unwrap_or_else(|| "the whole scenario".into())
        );
        println!("rules         {:?} — {}", sc.preset, sc.preset.imitates());
        for a in &shared.script.actions {
            if let margin_lab::engine::Command::SetStrategy { strategy } = &a.command {
                println!(
                    "strategy      \"{}\" at tick {}: {}",
                    strategy.name,
                    a.tick,
                    strategy.summary()
                );
            }
        }
        row("", "strategy", "no strategy");
        print_stats(
            "final equity",
            &r.strategy.final_equity,
            &r.baseline.final_equity,
            false,
        );
        print_stats(
            "worst drawdown",
            &r.strategy.worst_drawdown,
            &r.baseline.worst_drawdown,
            true,
        );
        print_counts(&r.strategy, &r.baseline);
        println!("digest        {}", r.digest);
    }
    match expect {
        Some(d) if d != r.digest => {
            eprintln!("the digest differs from the expected {d}");
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// One row of the summary: a label and the two sides.
fn row(label: &str, a: impl std::fmt::Display, b: impl std::fmt::Display) {
    println!("{label:<34}{a:>14} {b:>14}");
}

fn print_stats(name: &str, a: &Stats, b: &Stats, pct: bool) {
    let f = |x: Decimal| {
        if pct {
            format!("{}%", (x * Decimal::ONE_HUNDRED).round_dp(2))
        } else {
            x.round_dp(2).to_string()
        }
    };
    for (label, x, y) in [
        ("mean", a.mean, b.mean),
        ("min", a.min, b.min),
        ("5th percentile", a.p5, b.p5),
        ("median", a.median, b.median),
        ("95th percentile", a.p95, b.p95),
        ("max", a.max, b.max),
    ] {
        row(&format!("{name}, {label}"), f(x), f(y));
    }
}

fn print_counts(a: &Summary, b: &Summary) {
    row(
        "runs with a liquidation",
        format!("{}/{}", a.liquidated_runs, a.runs),
        format!("{}/{}", b.liquidated_runs, b.runs),
    );
    row("liquidations", a.liquidations, b.liquidations);
    row("bad debt", a.bad_debt.round_dp(2), b.bad_debt.round_dp(2));
    for ((name, x), (_, y)) in a.fired.rows().iter().zip(b.fired.rows()) {
        row(name, x, y);
    }
    row(
        "actions refused on a path",
        a.skipped_actions,
        b.skipped_actions,
    );
}
