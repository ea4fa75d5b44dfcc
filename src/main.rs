//! Mounts the Margin Lab app; everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // The static shell of index.html (`#boot`, the first paint) gives way to the app in the same
    // task, so nothing flashes in between.
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(margin_lab::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "Margin Lab runs in the browser: start it with `./dev serve`.\n\
         The native tool is `cargo run --release --bin replay -- '<link or file>'`."
    );
    std::process::exit(2);
}
