//! Reading a file the user picked in an `<input type="file">` (price imports, session files).

use wasm_bindgen::JsCast;

/// The file picked in the input behind `ev`; the input is reset so picking the same file again
/// fires again.
pub fn picked_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0)?;
    input.set_value("");
    Some(file)
}

/// The file's bytes, or a message naming it.
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map(|buf| js_sys::Uint8Array::new(&buf).to_vec())
        .map_err(|_| format!("{} could not be read.", file.name()))
}
