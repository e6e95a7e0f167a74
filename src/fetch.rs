//! Files the page downloads when it needs them, not with its wasm: the parameter schema and
//! the gallery's scenarios.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The text at `url` (relative to the page); the error names the address and why.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no browser window")?;
    let failed = || format!("{url} could not be downloaded (offline, or the site is missing it)");
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| failed())?
        .dyn_into()
        .map_err(|_| failed())?;
    if !response.ok() {
        return Err(format!("{url} answered HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(|_| failed())?)
        .await
        .map_err(|_| failed())?;
    text.as_string().ok_or_else(failed)
}

/// A gallery scenario by its file name (`sns-fanout.json`).
pub async fn fetch_example(file: &str) -> Result<loosely_scenario::Scenario, String> {
    let text = fetch_text(&crate::gallery::url(file)).await?;
    loosely_scenario::Scenario::from_json(&text).map_err(|problem| format!("{file}: {problem}"))
}
