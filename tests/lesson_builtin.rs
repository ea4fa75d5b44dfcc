//! The built-in lessons, played as a learner would: every step entered, every question answered,
//! every task done through the page's own means (the order the hint describes, the tool run
//! through the replay layer the page calls), and each question's right answer checked against
//! what the engine did.
#![cfg(not(target_arch = "wasm32"))]

use margin_lab::engine::{AccountId, EventKind, PresetId};
use margin_lab::feed::PriceFeed;
use margin_lab::lesson::builtin;
use margin_lab::lesson::model::{Goal, Tool};
use margin_lab::lesson::run::TaskState;
use margin_lab::lesson::LessonRun;
use margin_lab::replay::compare::{compare_designs, compare_presets};
use margin_lab::replay::risk::{stress_library, var_report, VarRequest};
use margin_lab::replay::Session;
use rust_decimal::Decimal;

/// What the engine showed at the end of one step.
#[derive(Debug, Clone)]
struct Seen {
    tick: usize,
    user_liquidations: usize,
    health: Option<Decimal>,
    positions: usize,
    margin_calls: usize,
    forced_sales: usize,
    market_liquidations: u32,
    borrow_limit: Decimal,
    /// Engine times of the learner's liquidations, and the assets seized.
    liquidation_times: Vec<i64>,
    seized: Vec<String>,
}

fn seen(s: &Session) -> Seen {
    let events = s.engine().events();
    let m = s.engine().account_metrics(&AccountId::USER).unwrap();
    Seen {
        tick: s.tick(),
        user_liquidations: events
            .iter()
            .filter(|e| e.kind.is_liquidation_of(AccountId::USER))
            .count(),
        health: m.health().or(m.margin_ratio),
        positions: m.positions.len(),
        margin_calls: events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::MarginCallIssued { .. }))
            .count(),
        forced_sales: events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::MarginCallForcedSale { .. }))
            .count(),
        market_liquidations: s.series().liquidations.iter().sum(),
        borrow_limit: m.borrow_limit,
        liquidation_times: events
            .iter()
            .filter(|e| e.kind.is_liquidation_of(AccountId::USER))
            .map(|e| e.time)
            .collect(),
        seized: events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Liquidated {
                    account,
                    collateral_asset,
                    ..
                } if *account == AccountId::USER => Some(collateral_asset.to_string()),
                _ => None,
            })
            .collect(),
    }
}

/// Runs the tool a `Used` goal asks for, as the page does, and says it was used.
fn use_tool(run: &mut LessonRun, s: &Session, tool: Tool) {
    match tool {
        Tool::Compare => {
            let preset = s.script().scenario.preset;
            let out = if preset == PresetId::AaveV3 && run.step == 4 && run.lesson.steps.len() == 7
            {
                compare_designs(s)
            } else {
                compare_presets(
                    s,
                    if preset == PresetId::AaveV3 {
                        PresetId::CompoundIII
                    } else {
                        PresetId::AaveV3
                    },
                )
            };
            out.expect("the comparison runs");
        }
        Tool::StressTest => {
            stress_library(s, Default::default()).expect("the stress library runs");
        }
        Tool::ValueAtRisk => {
            var_report(s, VarRequest::default()).expect("value at risk runs");
        }
    }
    run.used(tool);
}

/// Plays a lesson to its end: answers with `pick(step, right answer)`, does every task by its
/// hint (or the tool), and records what was seen after each step.
fn play(id: &str, pick: impl Fn(usize, u8) -> u8) -> (LessonRun, Session, Vec<Seen>) {
    let b = builtin::by_id(id).unwrap();
    let mut run = LessonRun::new(b.lesson);
    let mut s = run.start().unwrap_or_else(|e| panic!("{id}: {e}"));
    let mut log = Vec::new();
    while !run.at_end() {
        assert!(
            run.notes.is_empty(),
            "{id} step {}: {:?}",
            run.step + 1,
            run.notes
        );
        let step = run.current().unwrap().clone();
        if let Some(q) = &step.question {
            assert!(
                !run.can_advance(),
                "{id}: a question must be answered first"
            );
            run.answer(&mut s, pick(run.step, q.answer)).unwrap();
        }
        if let Some(task) = &step.task {
            assert!(
                !run.task_met(&s),
                "{id} step {}: the task is met before the learner acts",
                run.step + 1
            );
            match &task.goal {
                Goal::Used(tool) => use_tool(&mut run, &s, *tool),
                _ => {
                    s.act(task.hint.clone().expect("an engine task has a hint"))
                        .unwrap_or_else(|e| panic!("{id} step {}: {e}", run.step + 1));
                }
            }
            assert!(
                run.task_met(&s),
                "{id} step {}: the hint does not meet {:?}",
                run.step + 1,
                task.goal
            );
        }
        assert!(run.can_advance());
        log.push(seen(&s));
        eprintln!("{id} step {}: {:?}", run.step + 1, log.last().unwrap());
        run.next(&mut s).unwrap();
    }
    (run, s, log)
}

// TC0: every built-in lesson has 5 to 15 steps, a valid link-safe form, and plays to the end
// with every question answered right and every task done by the learner.
#[test]
fn every_builtin_lesson_plays_to_the_end() {
    let all = builtin::all();
    assert_eq!(all.len(), 8);
    for b in &all {
        assert!((5..=15).contains(&b.lesson.steps.len()), "{}", b.id);
        b.lesson
            .validate()
            .unwrap_or_else(|e| panic!("{}: {e}", b.id));
        let (run, _, _) = play(b.id, |_, right| right);
        for line in run.summary() {
            assert!(line.ok, "{}: {line:?}", b.id);
        }
        assert!(run
            .states
            .iter()
            .zip(&run.lesson.steps)
            .all(|(st, step)| step.task.is_none() || st.task == TaskState::Done));
    }
}

// TC1: each question's right answer is what the engine does (the `Seen` after each step, index
// = step − 1; the lessons' own texts quote these facts).
#[test]
fn right_answers_are_what_the_engine_does() {
    use rust_decimal_macros::dec;
    // Lesson 1: borrowing power about $8,050 on $10,000 of ETH; the 1.66 loan is liquidated by
    // the fall, the 2.2+ one is not.
    let (_, _, seen) = play("health-factor", |_, r| r);
    assert!(
        (dec!(7900)..=dec!(8200)).contains(&seen[1].borrow_limit),
        "{:?}",
        seen[1]
    );
    assert_eq!(seen[2].health.map(|h| h.round_dp(2)), Some(dec!(1.66)));
    assert!(seen[3].user_liquidations >= 1);
    assert_eq!(seen[3].tick, 80);
    assert_eq!(seen[5].user_liquidations, 0);
    // Lesson 2: 2x survives, 5x and 10x do not, and the 10x goes first.
    let (_, _, seen) = play("leverage", |_, r| r);
    assert_eq!(seen[2].user_liquidations, 0);
    assert_eq!(seen[3].user_liquidations, 1);
    assert_eq!(seen[5].user_liquidations, 1);
    assert!(seen[5].liquidation_times[0] < seen[3].liquidation_times[0]);
    // Lesson 3: the pooled account is liquidated by a fall of ETH alone.
    let (_, _, seen) = play("single-vs-multi", |_, r| r);
    assert!(seen[3].user_liquidations >= 1, "{:?}", seen[3]);
    assert_eq!(seen[3].seized.first().map(String::as_str), Some("ETH"));
    // Lesson 4: the first partial liquidation repays at most half the debt.
    let (_, s, seen) = play("liquidation-mechanisms", |_, r| r);
    assert!(
        seen[2].user_liquidations >= 2,
        "partial: more than one liquidation"
    );
    let first = s.engine().events().iter().find_map(|e| match &e.kind {
        EventKind::Liquidated {
            account,
            debt_repaid,
            ..
        } if *account == AccountId::USER => Some(*debt_repaid),
        _ => None,
    });
    // Half the 6,000 debt plus the interest of the hours before it.
    assert!(
        first.is_some_and(|d| d > dec!(2900) && d <= dec!(3010)),
        "{first:?}"
    );
    // Lesson 5: at the OSM liquidation the oracle is above the market (it lags the fall).
    let (_, s, seen) = play("oracles", |_, r| r);
    assert_eq!(seen[1].user_liquidations, 1);
    let t = seen[1].liquidation_times[0];
    let tick = (0..s.len())
        .find(|&i| s.feed().time(i) == Some(t))
        .expect("a tick at that time");
    let eth = s
        .config()
        .assets
        .iter()
        .position(|a| a.id.as_str() == "ETH")
        .unwrap();
    assert!(s.series().oracle[eth][tick] > s.series().market[eth][tick]);
    // Lesson 6: the crowd's liquidations are many (a cascade), the learner's among them.
    let (_, _, seen) = play("cascades", |_, r| r);
    assert!(seen[2].market_liquidations > 100, "{:?}", seen[2]);
    // Lesson 7: the Black Thursday stress liquidates the 5x long; closing it avoided the crash.
    let (_, _, seen) = play("measuring-risk", |_, r| r);
    assert_eq!(seen[6].positions, 0);
    assert_eq!(seen[7].user_liquidations, 0);
    let b = builtin::by_id("measuring-risk").unwrap();
    let mut run = LessonRun::new(b.lesson);
    let mut s = run.start().unwrap();
    run.next(&mut s).unwrap();
    let results = stress_library(&s, Default::default()).unwrap();
    let bt = results
        .iter()
        .find(|r| r.name.contains("Black Thursday"))
        .expect("a Black Thursday stress");
    assert!(!bt.liquidated.is_empty(), "{bt:?}");
    // Lesson 8: the downgrade alone brings a margin call before the fall; a missed call ends in a
    // forced sale; a met one does not.
    let (_, _, seen) = play("margin-calls", |_, r| r);
    assert_eq!(seen[1].margin_calls, 1);
    assert_eq!(seen[1].forced_sales, 0);
    assert!(seen[2].forced_sales >= 1);
    assert_eq!(seen[4].forced_sales, 0);
}

// TC2: wrong answers and skipped tasks are recorded as such in the end summary, beside what
// the lesson expected.
#[test]
fn summary_shows_wrong_answers_and_skips() {
    let b = builtin::by_id("leverage").unwrap();
    let mut run = LessonRun::new(b.lesson);
    let mut s = run.start().unwrap();
    while !run.at_end() {
        if let Some(q) = run.current().unwrap().question.clone() {
            run.answer(&mut s, (q.answer + 1) % q.choices.len() as u8)
                .unwrap();
        }
        run.next(&mut s).unwrap();
    }
    let summary = run.summary();
    let questions = summary.iter().filter(|l| l.what != "Task").count();
    assert_eq!(questions, 4);
    assert!(summary.iter().all(|l| !l.ok), "{summary:?}");
    let task = summary.iter().find(|l| l.what == "Task").unwrap();
    assert_eq!(task.got, "skipped");
    assert!(task.expected.contains("10× leverage"), "{}", task.expected);
}

// TC3: jumping to a step (or resuming one) gives the state the lesson expects there: the same
// event log as playing the earlier steps with the expected actions.
#[test]
fn jumping_matches_playing() {
    for (id, target) in [
        ("health-factor", 5usize),
        ("leverage", 5),
        ("margin-calls", 4),
    ] {
        let b = builtin::by_id(id).unwrap();
        let mut played = LessonRun::new(b.lesson.clone());
        let mut s = played.start().unwrap();
        while played.step < target {
            if let Some(q) = played.current().unwrap().question.clone() {
                played.answer(&mut s, q.answer).unwrap();
            }
            if let Some(hint) = played
                .current()
                .unwrap()
                .task
                .as_ref()
                .and_then(|t| t.hint.clone())
            {
                s.act(hint).unwrap();
            }
            played.next(&mut s).unwrap();
        }
        let mut jumped = LessonRun::new(b.lesson);
        let j = jumped.jump(target).unwrap();
        assert_eq!(jumped.step, target);
        assert_eq!(j.tick(), s.tick(), "{id}");
        assert_eq!(j.log_hash(), s.log_hash(), "{id}");
    }
}

// TC4: a second answer does not change the first (the prediction came before the reveal), and a
// choice that does not exist is refused.
#[test]
fn an_answer_is_final() {
    let b = builtin::by_id("health-factor").unwrap();
    let mut run = LessonRun::new(b.lesson);
    let mut s = run.start().unwrap();
    run.next(&mut s).unwrap();
    assert!(run.answer(&mut s, 9).is_err());
    run.answer(&mut s, 0).unwrap();
    run.answer(&mut s, 1).unwrap();
    assert_eq!(run.states[1].answer, Some(0));
}
