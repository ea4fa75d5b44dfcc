//! Lessons as links: round trip, size, and hostile links refused or inert.
#![cfg(not(target_arch = "wasm32"))]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use margin_lab::engine::PresetId;
use margin_lab::lesson::link::{is_lesson_link, LESSON_VERSION};
use margin_lab::lesson::markup::{parse, Block, Inline};
use margin_lab::lesson::model::{Lesson, Question, Region, Step, MAX_STEPS, MAX_TEXT_CHARS};
use margin_lab::lesson::{builtin, LessonRun};
use margin_lab::replay::codec;
use margin_lab::replay::{LinkError, Scenario, Script, Session};

/// Ten different paragraphs of about 200 characters (deflate cannot fold them into one).
const TEXTS: [&str; 10] = [
    "The week opens calmly: ETH drifts around 200 dollars, and a 10× long has about ten percent of room before its maintenance margin is reached. Note the *liquidation price* in the table.\n",
    "Funding is paid every eight hours between longs and shorts; on this exchange a lone long pays little, but watch the equity column move as the **mark price** wanders.\n",
    "Here the scripted crash begins. Forty-three percent over thirty hours is steep, yet the first hours look like noise; would you have closed the position now?\n",
    "The oracle follows the market with a short delay. Compare the two lines on the chart: when they part, liquidations are decided on the *oracle's* price.\n",
    "Margin ratio is maintenance margin over equity. As it approaches one, the position becomes liquidatable: the **explainer** will show the exact trigger.\n",
    "An isolated position can lose only its margin. Whatever the market does beyond that is covered by the insurance fund, then by auto-deleveraging of winners.\n",
    "Suppose you had chosen 3× instead. Estimate the liquidation price yourself: entry times one minus a third, plus the maintenance margin's share.\n",
    "The fall slows near tick 78. Traders who kept collateral in reserve could have added margin here; this lesson did not, so the engine acted alone.\n",
    "Count what was lost: the margin, the liquidation fee paid to the insurance fund, and any funding. The event log exports all of it as CSV for a class.\n",
    "Finally, replay the week at 2× with the timeline: the same prices, a different fate. Share your branch as a link and ask a colleague to predict it.\n",
];

/// What an educator writes in the editor: a recorded session (a 10x long at tick 2) and
/// `n` steps, each with a paragraph of text, a highlight, a tick and a question.
fn authored(n: usize) -> Lesson {
    let mut session = Session::open(Script::new(Scenario {
        seed: 7,
        ..Scenario::new("eth-black-thursday", PresetId::PerpExchange)
    }))
    .unwrap();
    session.seek(2).unwrap();
    session
        .act(margin_lab::engine::Command::OpenPosition {
            market: margin_lab::engine::AssetId::new("ETH"),
            side: margin_lab::engine::Side::Long,
            size: rust_decimal_macros::dec!(20),
            leverage: rust_decimal_macros::dec!(10),
            mode: margin_lab::engine::MarginMode::Isolated,
        })
        .unwrap();
    let steps = (0..n)
        .map(|i| Step {
            text: format!(
                "{} {}",
                TEXTS[i % TEXTS.len()],
                "- look at the chart\n- then at the account panel"
            ),
            highlight: Some(Region::ALL[i % Region::ALL.len()]),
            play_to: Some(10 * i as u32 + 5),
            question: Some(Question {
                prompt: format!("Question {i}: is the position still open?"),
                choices: vec!["Yes".into(), "No".into()],
                answer: 0,
                explain: "Compare the mark price with the liquidation price.".into(),
            }),
            ..Step::default()
        })
        .collect();
    Lesson {
        title: "A 10× long in the crash".into(),
        summary: "Written in the editor".into(),
        script: session.script().clone(),
        steps,
    }
}

// TC0: an authored lesson round-trips through its link and plays; a 10-step lesson's link is
// under 4,000 characters.
#[test]
fn authored_lesson_round_trips_and_is_short() {
    let lesson = authored(10);
    let link = lesson.to_link();
    eprintln!("10-step lesson link: {} characters", link.len());
    assert!(lesson.steps.iter().all(|s| s.text.chars().count() > 150));
    assert!(link.len() < 4_000, "{} characters", link.len());
    assert!(is_lesson_link(&format!("https://x.test/#{link}")));
    assert!(!is_lesson_link("https://x.test/#s=AQA"));
    let back = Lesson::from_link(&format!("https://x.test/#{link}")).unwrap();
    assert_eq!(back, lesson);
    let mut run = LessonRun::new(back);
    let mut s = run.start().unwrap();
    while !run.at_end() {
        run.answer(&mut s, 0).unwrap();
        run.next(&mut s).unwrap();
    }
    // The recorded 10x long replayed at its tick.
    assert_eq!(s.script().actions.len(), 1);
    assert_eq!(s.script().actions[0].tick, 2);
}

// TC1: the built-in lessons survive the link format too (an educator may share one).
#[test]
fn builtin_lessons_round_trip() {
    for b in builtin::all() {
        let link = b.lesson.to_link();
        assert_eq!(Lesson::from_link(&link).unwrap(), b.lesson, "{}", b.id);
    }
}

fn with(f: impl FnOnce(&mut Lesson)) -> String {
    let mut l = authored(2);
    f(&mut l);
    // Bypasses validation: what a hostile author could craft by hand.
    format!(
        "l={}",
        codec::encode(LESSON_VERSION, &postcard::to_allocvec(&l).unwrap())
    )
}

// TC2..: hostile lesson links — each refused with a reason, none a panic.
#[test]
fn hostile_lesson_links_are_refused() {
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty", "l=".into(), "empty"),
        (
            "bidi override in a title",
            with(|l| l.title = "ok\u{202e}gpj.exe".into()),
            "direction-changing",
        ),
        (
            "escape in step text",
            with(|l| l.steps[0].text = "\u{1b}[2Jfake".into()),
            "control",
        ),
        (
            "a line separator in a choice",
            with(|l| l.steps[0].question.as_mut().unwrap().choices[0] = "a\u{2028}b".into()),
            "control",
        ),
        (
            "newline in a title",
            with(|l| l.title = "a\nb".into()),
            "control",
        ),
        (
            "huge text",
            with(|l| l.steps[0].text = "A".repeat(MAX_TEXT_CHARS + 1)),
            "characters long",
        ),
        (
            "too many steps",
            with(|l| l.steps = vec![l.steps[0].clone(); MAX_STEPS + 1]),
            "steps",
        ),
        ("no steps", with(|l| l.steps.clear()), "steps"),
        (
            "answer out of range",
            with(|l| l.steps[0].question.as_mut().unwrap().answer = 7),
            "answer",
        ),
        (
            "one choice",
            with(|l| l.steps[0].question.as_mut().unwrap().choices.truncate(1)),
            "choices",
        ),
        (
            "unknown scenario",
            with(|l| l.script.scenario.feed = "\u{1b}evil".into()),
            "scenario this version does not have",
        ),
        ("empty title", with(|l| l.title = "  ".into()), "no title"),
        (
            "imported prices",
            with(|l| l.script.scenario.feed = "import:x.csv".into()),
            "imported",
        ),
    ];
    for (name, link, want) in &cases {
        let err = Lesson::from_link(link).expect_err(name).to_string();
        assert!(err.contains(want), "{name}: {err}");
        assert!(
            !err.chars().any(margin_lab::text::is_unsafe),
            "{name}: the message quotes raw input: {err:?}"
        );
        assert!(err.chars().count() < 400, "{name}: {err}");
    }
    // Trailing bytes (non-canonical), truncation, a newer version, a bomb.
    let good = authored(2).to_payload();
    let mut trailing = good.clone();
    trailing.push(0);
    let link = format!("l={}", codec::encode(LESSON_VERSION, &trailing));
    assert!(matches!(
        Lesson::from_link(&link),
        Err(LinkError::Payload(_))
    ));
    let link = format!(
        "l={}",
        codec::encode(LESSON_VERSION, &good[..good.len() / 2])
    );
    assert!(Lesson::from_link(&link).is_err());
    let link = format!("l={}", codec::encode(LESSON_VERSION + 1, &good));
    assert!(matches!(
        Lesson::from_link(&link),
        Err(LinkError::NewerVersion { .. })
    ));
    let bomb = miniz_oxide::deflate::compress_to_vec(&vec![0u8; 10 << 20], 10);
    let mut bytes = vec![LESSON_VERSION, 1];
    bytes.extend_from_slice(&bomb);
    let link = format!("l={}", URL_SAFE_NO_PAD.encode(bytes));
    assert!(matches!(
        Lesson::from_link(&link),
        Err(LinkError::TooLarge { .. })
    ));
    assert!(matches!(
        Lesson::from_link("l=ab$cd"),
        Err(LinkError::BadCharacters { .. })
    ));
}

// TC3: markup-looking and HTML-looking text is accepted but inert: it parses to plain text.
#[test]
fn html_in_a_lesson_is_text() {
    let link = with(|l| l.steps[0].text = "<script>alert(1)</script> **bold** <b>x</b>".into());
    let lesson = Lesson::from_link(&link).unwrap();
    let blocks = parse(&lesson.steps[0].text);
    assert_eq!(
        blocks,
        vec![Block::Para(vec![
            Inline::Text("<script>alert(1)</script> ".into()),
            Inline::Strong("bold".into()),
            Inline::Text(" <b>x</b>".into()),
        ])]
    );
}

// TC4: a lesson whose ticks lie past the scenario's end opens, and the step that asks for them
// says why instead of panicking.
#[test]
fn ticks_past_the_end_are_reported() {
    let link = with(|l| l.steps[0].play_to = Some(1_000_000));
    let lesson = Lesson::from_link(&link).unwrap();
    let mut run = LessonRun::new(lesson);
    let mut s = run.start().unwrap();
    let err = run.answer(&mut s, 0).unwrap_err();
    assert!(err.contains("after the scenario's last tick"), "{err}");
}

// TC5: a real lesson payload with one byte changed, anywhere (2,000 cases): refused with a reason,
// or accepted only when it still validates and re-encodes to itself; never a panic. Counts the
// cases that were accepted and refused, so the property is not vacuous.
#[test]
fn mutated_lesson_payloads_never_panic() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    use std::cell::Cell;
    let good = authored(3).to_payload();
    let (accepted, refused) = (Cell::new(0u32), Cell::new(0u32));
    let mut runner = TestRunner::new(Config {
        cases: 2_000,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(0..good.len(), any::<u8>()), |(at, byte)| {
            let mut p = good.clone();
            p[at] = byte;
            match Lesson::from_payload(LESSON_VERSION, &p) {
                Ok(l) => {
                    prop_assert!(l.validate().is_ok());
                    prop_assert_eq!(l.to_payload(), p);
                    accepted.set(accepted.get() + 1);
                }
                Err(e) => {
                    prop_assert!(!e.to_string().chars().any(margin_lab::text::is_unsafe));
                    refused.set(refused.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap();
    eprintln!("accepted {}, refused {}", accepted.get(), refused.get());
    assert!(
        accepted.get() >= 100,
        "too few mutations kept a valid lesson"
    );
    assert!(refused.get() >= 100, "too few mutations were refused");
}

// TC6: arbitrary bytes behind a valid lesson envelope (2,000 cases) are refused, never a panic.
#[test]
fn arbitrary_lesson_payloads_are_refused() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    use std::cell::Cell;
    let reached = Cell::new(0u32);
    let mut runner = TestRunner::new(Config {
        cases: 2_000,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(any::<u8>(), 0..400), |bytes| {
            let link = format!("l={}", codec::encode(LESSON_VERSION, &bytes));
            prop_assert!(Lesson::from_link(&link).is_err());
            reached.set(reached.get() + 1);
            Ok(())
        })
        .unwrap();
    assert_eq!(reached.get(), 2_000);
}
