//! Mounts the Margin Lab app; everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // The same module also runs in the workers of a test across seeds (`ui::orders::runner`),
    // where there is no page to mount.
    if web_sys::window().is_none() {
        return;
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
