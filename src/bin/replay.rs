//! Headless replay of a Margin Lab link or session file.
//!
//! ```text
//! cargo run --release --bin replay -- '<link, #fragment, or path to a .json/.txt file>' [--json] [--to-end]
//! ```
//!
//! Prints the scenario, final balances, liquidations and bad debt, and the event-log hash — the same
//! hash the browser shows — with whether it matches the author's. `--json` prints the whole event log
//! as JSON instead. `--to-end` plays on past the author's tick to the end of the scenario.
//!
//! Exit status: 0 replayed (verified, or no hash to check), 1 the hash differs, 2 bad input.

use std::process::ExitCode;

use margin_lab::engine::explain::events_json;
use margin_lab::engine::{AccountId, EventKind};
use margin_lab::replay::file::{SessionFile, MAX_FILE_BYTES};
use margin_lab::replay::{Session, Shared, Verification};
use margin_lab::text::{echo, escape};

/// Prints an error. Messages already quote user input through `echo`; escaping the whole line
/// again keeps any control character that slipped through from reaching the terminal.
fn fail(message: &str) -> ExitCode {
    eprintln!("error: {}", escape(message));
    ExitCode::from(2)
}

fn usage() -> ExitCode {
    eprintln!("usage: replay '<link, #fragment, or file>' [--json] [--to-end]");
    ExitCode::from(2)
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

/// A link given directly, or read from a session file (JSON) or a text file holding a link. A
/// file may start with a UTF-8 byte-order mark, as some editors save it.
fn read_link(arg: &str) -> Result<(String, Source), String> {
    let path = std::path::Path::new(arg);
    if !path.exists() {
        if looks_like_path(arg) {
            return Err(format!("no such file: {}", echo(arg)));
        }
        return Ok((arg.to_string(), Source::Argument));
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
        Ok((file.link, source))
    } else {
        // A text file holds the link on its first line (fixture files add the expected hash below).
        let link = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or_default()
            .to_string();
        Ok((link, source))
    }
}

/// The link's session, or why it cannot be read; a link from a file names the file.
fn read_shared(arg: &str) -> Result<Shared, String> {
    let (link, source) = read_link(arg)?;
    let opened = match source {
        Source::Argument => Shared::from_link(&link),
        // A file may hold a session with its imported prices (a longer link).
        Source::File(_) => Shared::from_file_link(&link),
    };
    opened.map_err(|e| match source {
        Source::Argument => e.to_string(),
        Source::File(path) => format!("{}: {e}", echo(&path)),
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let to_end = args.iter().any(|a| a == "--to-end");
    let inputs: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [input] = inputs.as_slice() else {
        return usage();
    };

    let shared = match read_shared(input) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
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

    if json {
        println!("{}", events_json(session.engine().events()));
    } else {
        print_summary(&session, verification, &author_hash);
    }
    match verification {
        Verification::Differs => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
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
