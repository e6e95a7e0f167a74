//! Share, export and import: copy a link that carries the scenario, download it as JSON,
//! or open a scenario file.

use loosely_scenario::{encode_link, Scenario};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShareMenuProps {
    pub scenario: Scenario,
    /// A scenario read from a file the user chose.
    pub on_import: Callback<Scenario>,
}

/// A file name for the scenario: its name in lower case, words joined by hyphens.
pub fn file_name(scenario: &Scenario) -> String {
    let slug: String = scenario
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "scenario.json".to_string()
    } else {
        format!("{slug}.json")
    }
}

/// The page's address without its fragment, followed by the scenario's fragment.
pub fn share_url(scenario: &Scenario) -> Option<String> {
    let location = web_sys::window()?.location();
    let href = location.href().ok()?;
    let base = href.split('#').next().unwrap_or(&href);
    Some(format!("{base}#{}", encode_link(scenario)))
}

/// Offers `text` to the user as a file download named `name`.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser refused to make the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser refused to make the file".to_string())?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or("no link element")?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

#[function_component(ShareMenu)]
pub fn share_menu(props: &ShareMenuProps) -> Html {
    // What the last action did, or why it failed.
    let status = use_state(|| None::<(bool, String)>);
    let file_input = use_node_ref();

    let on_copy_link = {
        let scenario = props.scenario.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(url) = share_url(&scenario) else {
                status.set(Some((false, "This page has no address to share.".into())));
                return;
            };
            let length = url.len();
            match web_sys::window() {
                Some(window) => {
                    let _ = window.navigator().clipboard().write_text(&url);
                    let note = if length > 2_000 {
                        format!("Link copied ({length} characters: some chat tools cut links over 2,000).")
                    } else {
                        format!("Link copied ({length} characters).")
                    };
                    status.set(Some((true, note)));
                }
                None => status.set(Some((false, "No browser window.".into()))),
            }
        })
    };
    let on_export = {
        let scenario = props.scenario.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let name = file_name(&scenario);
            match download(&name, &scenario.to_json_pretty()) {
                Ok(()) => status.set(Some((true, format!("Saved {name}.")))),
                Err(problem) => status.set(Some((false, format!("Cannot save: {problem}.")))),
            }
        })
    };
    let on_open_file = {
        let file_input = file_input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = file_input.cast::<web_sys::HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_file = {
        let on_import = props.on_import.clone();
        let status = status.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            // The same file can be chosen again after fixing it.
            input.set_value("");
            let name = file.name();
            let on_import = on_import.clone();
            let status = status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|value| value.as_string());
                match text.map(|text| Scenario::from_json(&text)) {
                    Some(Ok(scenario)) => {
                        status.set(Some((true, format!("Opened {name}."))));
                        on_import.emit(scenario);
                    }
                    Some(Err(problem)) => status.set(Some((
                        false,
                        format!("{name} is not a scenario: {problem}"),
                    ))),
                    None => status.set(Some((false, format!("{name} cannot be read as text.")))),
                }
            });
        })
    };
    let note = match &*status {
        Some((ok, text)) => html! {
            <span class={classes!("share-status", (!ok).then_some("bad"))} role="status"
                data-testid="share-status">{ text.clone() }</span>
        },
        None => html! {},
    };
    html! {
        <div class="share-menu">
            <button onclick={on_copy_link} data-testid="copy-link"
                title="Copy a link that carries this whole scenario (nothing is uploaded)">{ "Copy link" }</button>
            <button onclick={on_export} data-testid="export-json" title="Download the scenario as JSON (the CLI reads the same file)">{ "Export" }</button>
            <button onclick={on_open_file} data-testid="import-json" title="Open a scenario JSON file">{ "Import" }</button>
            <input ref={file_input} type="file" accept=".json,application/json" hidden=true
                onchange={on_file} data-testid="import-file" />
            { note }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_slugs_of_the_scenario_name() {
        let mut scenario = Scenario::from_json(r#"{"version": 1}"#).expect("minimal");
        assert_eq!(file_name(&scenario), "scenario.json");
        scenario.name = "Worker pool with a dead-letter queue!".into();
        assert_eq!(
            file_name(&scenario),
            "worker-pool-with-a-dead-letter-queue.json"
        );
        scenario.name = "Ünïcode / SNS → SQS".into();
        assert_eq!(file_name(&scenario), "n-code-sns-sqs.json");
    }
}
