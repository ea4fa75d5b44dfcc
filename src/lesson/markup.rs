//! The tiny markup of lesson text: blank lines separate paragraphs, lines starting with `- `
//! make a list, `**strong**` and `*emphasis*` inside a line. Nothing else is special: a `<`
//! stays a `<`. The UI turns the blocks into text nodes (never `inner_html`), so a lesson from a
//! link can only ever show text.

/// A piece of a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Em(String),
    Strong(String),
}

/// A paragraph or a list of items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Para(Vec<Inline>),
    List(Vec<Vec<Inline>>),
}

/// Parses lesson text into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut items: Vec<Vec<Inline>> = Vec::new();
    let flush_para = |para: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            blocks.push(Block::Para(inline(&para.join(" "))));
            para.clear();
        }
    };
    let flush_list = |items: &mut Vec<Vec<Inline>>, blocks: &mut Vec<Block>| {
        if !items.is_empty() {
            blocks.push(Block::List(std::mem::take(items)));
        }
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            flush_para(&mut para, &mut blocks);
            flush_list(&mut items, &mut blocks);
        } else if let Some(item) = line.strip_prefix("- ") {
            flush_para(&mut para, &mut blocks);
            items.push(inline(item.trim()));
        } else {
            flush_list(&mut items, &mut blocks);
            para.push(line);
        }
    }
    flush_para(&mut para, &mut blocks);
    flush_list(&mut items, &mut blocks);
    blocks
}

/// Splits one line into text, `*emphasis*` and `**strong**`; a marker without its closing twin
/// stays as written.
pub fn inline(line: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = line;
    while let Some(pos) = rest.find('*') {
        let (before, from) = rest.split_at(pos);
        let (marker, after) = match from.strip_prefix("**") {
            Some(after) => ("**", after),
            None => ("*", &from[1..]),
        };
        match after.find(marker) {
            Some(end) if end > 0 => {
                text.push_str(before);
                if !text.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut text)));
                }
                let inner = after[..end].to_string();
                out.push(if marker == "**" {
                    Inline::Strong(inner)
                } else {
                    Inline::Em(inner)
                });
                rest = &after[end + marker.len()..];
            }
            _ => {
                text.push_str(before);
                text.push_str(marker);
                rest = after;
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Inline::Text(text));
    }
    out
}

/// The text without markup (for summaries and screen-reader labels).
pub fn plain(text: &str) -> String {
    parse(text)
        .iter()
        .map(|b| match b {
            Block::Para(p) => join(p),
            Block::List(items) => items.iter().map(|i| join(i)).collect::<Vec<_>>().join("; "),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn join(line: &[Inline]) -> String {
    line.iter()
        .map(|i| match i {
            Inline::Text(s) | Inline::Em(s) | Inline::Strong(s) => s.as_str(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    // TC0..: (input, blocks) — paragraphs, lists, emphasis, and markup-looking text left alone.
    #[test]
    fn parses_paragraphs_lists_and_emphasis() {
        let cases: Vec<(&str, Vec<Block>)> = vec![
            ("plain", vec![Block::Para(vec![t("plain")])]),
            (
                "a\nb\n\nc",
                vec![Block::Para(vec![t("a b")]), Block::Para(vec![t("c")])],
            ),
            (
                "x *y* **z**",
                vec![Block::Para(vec![
                    t("x "),
                    Inline::Em("y".into()),
                    t(" "),
                    Inline::Strong("z".into()),
                ])],
            ),
            (
                "Intro\n- one\n- *two*\nafter",
                vec![
                    Block::Para(vec![t("Intro")]),
                    Block::List(vec![vec![t("one")], vec![Inline::Em("two".into())]]),
                    Block::Para(vec![t("after")]),
                ],
            ),
            // TC4: an unmatched marker and a multiplication stay literal.
            ("2 * 3 = 6", vec![Block::Para(vec![t("2 * 3 = 6")])]),
            ("**open", vec![Block::Para(vec![t("**open")])]),
            // TC6: HTML is text, not markup.
            (
                "<img src=x onerror=alert(1)>",
                vec![Block::Para(vec![t("<img src=x onerror=alert(1)>")])],
            ),
            ("", vec![]),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input), want, "{input:?}");
        }
        assert_eq!(plain("a *b*\n- c\n- d"), "a b c; d");
    }
}
