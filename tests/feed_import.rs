#![cfg(not(target_arch = "wasm32"))]
//! CSV / JSON import: accepted formats, hostile input, and errors that name the line.

use margin_lab::feed::csv_import::{
    parse_bytes, parse_csv, parse_json, ImportError, Pos, MAX_BYTES, MAX_ROWS,
};
use margin_lab::feed::PriceFeed;
use proptest::prelude::*;
use rust_decimal_macros::dec;

fn err(text: &str) -> String {
    parse_bytes(text.as_bytes()).unwrap_err().to_string()
}

#[test]
fn accepts_date_close() {
    let i = parse_csv("date,close\n2020-03-10,200\n2020-03-11,194.5\n2020-03-12,111\n").unwrap();
    assert_eq!(i.bars.len(), 3);
    assert!(!i.has_ohlc);
    assert_eq!(i.bars[2].close, dec!(111));
    assert_eq!(i.bars[0].time, 1_583_798_400);
    let f = i.into_feed("ETH").unwrap();
    assert_eq!(f.tick(1).unwrap().price("ETH"), Some(dec!(194.5)));
}

#[test]
fn accepts_yahoo_with_bom_crlf_and_adj_close() {
    let text = "\u{feff}Date,Open,High,Low,Close,Adj Close,Volume\r\n2020-03-11,2825.6,2825.6,2707.22,2741.38,2741.38,7436580000\r\n2020-03-12,2630.86,2660.95,2478.86,2480.64,2480.64,8829380000\r\n";
    let i = parse_csv(text).unwrap();
    assert!(i.has_ohlc);
    assert_eq!(i.bars[1].close, dec!(2480.64));
    assert_eq!(i.bars[1].low, dec!(2478.86));
}

#[test]
fn accepts_binance_kline_csv_without_header_in_ms() {
    let text = "1583971200000,194.0,195.1,110.0,112.3,1000,1583974799999,0,0,0,0,0\n1583974800000,112.3,120,100,118,5,1583978399999,0,0,0,0,0\n";
    let i = parse_csv(text).unwrap();
    assert_eq!(i.bars[0].time, 1_583_971_200);
    assert_eq!(i.bars[1].close, dec!(118));
}

#[test]
fn accepts_json_objects_and_kline_arrays() {
    let i = parse_json(
        r#"[{"date":"2020-03-12","close":111},{"date":"2020-03-13T00:00:00Z","close":"130.5"}]"#,
    )
    .unwrap();
    assert_eq!(i.bars[1].close, dec!(130.5));
    let k = parse_bytes(br#"[[1583971200000,"194.0","195.1","110.0","112.3","1000"],[1583974800000,"112.3","120","100","118","5"]]"#).unwrap();
    assert!(k.has_ohlc);
    assert_eq!(k.bars[0].high, dec!(195.1));
    let two = parse_json("[[1583971200, 5], [1583971260, 5.5]]").unwrap();
    assert_eq!(two.bars.len(), 2);
    let gecko = parse_json(
        r#"{"prices":[[1583971200000,194.1],[1584057600000,111.2]],"total_volumes":[]}"#,
    )
    .unwrap();
    assert_eq!(gecko.bars[1].close, dec!(111.2));
}

#[test]
fn accepts_semicolons_unix_seconds_comments_and_scientific() {
    let i = parse_csv("# exported\ntimestamp;price\n\n1600000000;1e2\n1600000060;101\n").unwrap();
    assert_eq!(i.bars[0].close, dec!(100));
}

#[test]
fn errors_name_the_line_and_load_nothing() {
    // TC0: zero price
    assert_eq!(
        err("date,close\n2020-01-01,1\n2020-01-02,0\n"),
        "line 3: price 0 — prices must be positive"
    );
    // TC1: negative
    assert_eq!(
        err("date,close\n2020-01-01,-4\n"),
        "line 2: price -4 — prices must be positive"
    );
    // TC2: missing (Yahoo writes null)
    assert_eq!(
        err("Date,Close\n2020-01-01,null\n"),
        "line 2, column Close: missing value"
    );
    assert_eq!(
        err("date,close\n2020-01-01,\n"),
        "line 2, column close: missing value"
    );
    // TC3: unsorted and duplicate
    assert_eq!(
        err("date,close\n2020-01-02,1\n2020-01-01,1\n"),
        "line 3: time is earlier than on line 2 — rows must be sorted oldest first"
    );
    assert_eq!(
        err("date,close\n2020-01-01,1\n\n2020-01-01,2\n"),
        "line 4: duplicate time (same as line 2)"
    );
    // TC4: absurd values
    assert_eq!(
        err("date,close\n2020-01-01,1e13\n"),
        "line 2: price 10000000000000 is absurd (above 1000000000000)"
    );
    assert_eq!(
        err("date,close\n2020-01-01,10\n2020-01-02,1001\n"),
        "line 3: close 1001 moves more than 100× from the previous close 10"
    );
    // TC5: not a number, bad date, wrong field count
    assert_eq!(
        err("date,close\n2020-01-01,abc\n"),
        "line 2, column close: \"abc\" is not a number"
    );
    assert_eq!(
        err("date,close\n2020-02-30,1\n")
            .split(" (")
            .next()
            .unwrap(),
        "line 2, column date: cannot read the time \"2020-02-30\""
    );
    assert_eq!(
        err("date,close\n2020-01-01,1,2\n"),
        "line 2: expected 2 fields, found 3"
    );
    // TC6: inconsistent OHLC
    assert_eq!(
        err("date,open,high,low,close\n2020-01-01,10,9,11,10\n"),
        "line 2: high 9 is below low 11"
    );
    assert_eq!(
        err("date,open,high,low,close\n2020-01-01,10,12,9,13\n"),
        "line 2: close 13 is outside low 9 – high 12"
    );
    // TC7: no usable columns / empty
    assert_eq!(
        err("foo,bar\n1,2\n"),
        "line 1: no time column (expected date, time, timestamp or open_time)"
    );
    assert!(err("date,volume\n2020-01-01,5\n").starts_with("line 1: no price column"));
    assert_eq!(err(""), "the file holds no price rows");
    assert_eq!(err("date,close\n"), "the file holds no price rows");
    // TC8: JSON errors name the item
    assert_eq!(
        err(r#"[{"date":"2020-01-01","close":1},{"date":"2020-01-02","close":0}]"#),
        "item 2: price 0 — prices must be positive"
    );
    assert_eq!(
        err(r#"{"close":1}"#),
        "JSON: expected an array of rows (objects or arrays), or an object with a \"prices\" or \"data\" array"
    );
    assert!(err("[1,2").starts_with("JSON: "));
    assert_eq!(
        err(r#"[{"date":"2020-01-01","close":null}]"#),
        "item 1, column close: missing value"
    );
}

#[test]
fn size_caps() {
    let big = vec![b'1'; MAX_BYTES + 1];
    assert_eq!(
        parse_bytes(&big),
        Err(ImportError::TooLarge {
            bytes: MAX_BYTES + 1,
            max: MAX_BYTES
        })
    );
    let mut text = String::from("timestamp,close\n");
    for i in 0..=MAX_ROWS {
        text.push_str(&format!("{},1\n", 1_000_000_000 + i * 60));
    }
    assert_eq!(
        parse_csv(&text),
        Err(ImportError::TooManyRows { max: MAX_ROWS })
    );
    assert_eq!(parse_bytes(&[0xff, 0xfe, 0x00]), Err(ImportError::NotText));
}

#[test]
fn hostile_inputs_are_refused_not_panicked_on() {
    let deep = "[".repeat(10_000);
    assert!(parse_bytes(deep.as_bytes()).is_err());
    for s in [
        "date,close\n2020-01-01,NaN\n",
        "date,close\n2020-01-01,inf\n",
        "date,close\n2020-01-01,1e999999\n",
        "date,close\n2020-01-01,1e-999999\n",
        "date,close\n2020-01-01,1.5e-30\n",
        "[[1e300, 1e-300]]",
        "[{\"date\": 1e300, \"close\": 1}]",
        "date,close\n2020-01-01,99999999999999999999999999999999999999\n",
        "date,close\n2020-01-01T25:61,1\n",
        "date,close\n2020-01-01T01:00+€1,1\n",
        "date,close\n99999999999999999999,1\n",
        "\"\",\"\"\n\"\",\"\"\n",
        ",,,,,\n,,,,,\n",
        "date,close\n\u{0}\u{0},1\n",
    ] {
        assert!(parse_bytes(s.as_bytes()).is_err(), "{s:?}");
    }
    assert!(matches!(
        parse_csv("date,close\n2020-01-01,x"),
        Err(ImportError::BadNumber {
            at: Pos::Line(2),
            ..
        })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_bytes(&bytes);
    }

    #[test]
    fn arbitrary_csv_like_text_never_panics(text in "[0-9a-zA-Z,;.:\\-+eE\" \n\r#\\[\\]{}]{0,300}") {
        let _ = parse_bytes(text.as_bytes());
    }

    #[test]
    fn any_accepted_file_is_sorted_and_positive(text in "(date,close\n)?([0-9]{4}-0[1-9]-1[0-9],[0-9]{1,3}(\\.[0-9]{1,2})?\n){0,8}") {
        if let Ok(i) = parse_csv(&text) {
            prop_assert!(i.bars.windows(2).all(|w| w[0].time < w[1].time));
            prop_assert!(i.bars.iter().all(|b| b.close > rust_decimal::Decimal::ZERO));
        }
    }
}
