use leptos::prelude::*;

use crate::lesson::markup::{parse, Block, Inline};

fn line(items: Vec<Inline>) -> impl IntoView {
    items
        .into_iter()
        .map(|i| match i {
            Inline::Text(t) => view! { <span>{t}</span> }.into_any(),
            Inline::Em(t) => view! { <em>{t}</em> }.into_any(),
            Inline::Strong(t) => view! { <strong>{t}</strong> }.into_any(),
        })
        .collect_view()
}

/// Lesson text (the tiny markup of `crate::lesson::markup`) as text nodes: paragraphs, lists,
/// emphasis. Whatever the text holds, it is shown as text.
#[component]
pub fn Markup(text: String) -> impl IntoView {
    parse(&text)
        .into_iter()
        .map(|b| match b {
            Block::Para(items) => view! { <p>{line(items)}</p> }.into_any(),
            Block::List(items) => view! {
                <ul>{items.into_iter().map(|i| view! { <li>{line(i)}</li> }).collect_view()}</ul>
            }
            .into_any(),
        })
        .collect_view()
}
