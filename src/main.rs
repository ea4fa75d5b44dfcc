//! Mounts the Margin Lab app; everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
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
