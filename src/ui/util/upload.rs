//! Reading a file the user picked in an `<input type="file">` (price imports, session files).

use wasm_bindgen::JsCast;

use crate::text::echo;

/// The file picked in the input behind `ev`; the input is reset so picking the same file again
/// fires again.
pub fn picked_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0)?;
    input.set_value("");
    Some(file)
}

/// Why a file of `size` bytes is refused before it is read, if it is larger than `max`.
pub fn too_large(name: &str, size: f64, max: usize) -> Option<String> {
    (size > max as f64).then(|| {
        format!(
            "{} was not read: it is {} bytes; the limit is {max} bytes.",
            echo(name),
            size as u64
        )
    })
}

/// The file's bytes, or a message naming it. A file larger than `max` bytes is refused from its
/// size alone, before anything is read into memory.
pub async fn read_bytes(file: &web_sys::File, max: usize) -> Result<Vec<u8>, String> {
    if let Some(message) = too_large(&file.name(), file.size(), max) {
        return Err(message);
    }
    wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map(|buf| js_sys::Uint8Array::new(&buf).to_vec())
        .map_err(|_| format!("{} could not be read.", echo(&file.name())))
}
