use leptos::prelude::*;

/// A titled panel of the workspace grid.
#[component]
pub fn Region(
    /// Heading shown at the top of the panel (also its accessible name).
    title: &'static str,
    /// CSS grid area and test id.
    area: &'static str,
    children: Children,
) -> impl IntoView {
    let heading_id = format!("{area}-title");
    let labelled_by = heading_id.clone();
    view! {
        <section class=format!("panel area-{area}") data-testid=area aria-labelledby=labelled_by>
            <h2 class="panel-title" id=heading_id>{title}</h2>
            <div class="panel-body">{children()}</div>
        </section>
    }
}
