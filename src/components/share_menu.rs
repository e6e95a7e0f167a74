//! Share, embed, export and import: copy a link that carries the scenario (or one pinned at
//! this moment), copy an `<iframe>` snippet or Markdown with a picture, download the
//! scenario as JSON, the canvas as SVG or PNG and the metrics as CSV, or open a scenario
//! file.

use loosely_scenario::{encode_link, Scenario};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::live::LiveHandle;

#[derive(Properties, PartialEq)]
pub struct ShareMenuProps {
    pub scenario: Scenario,
    /// A scenario read from a file the user chose.
    pub on_import: Callback<Scenario>,
    /// The running simulation (for the metrics), the simulated clock in seconds and the
    /// selected component (for a link pinned at this moment).
    pub live: LiveHandle,
    pub now_seconds: f64,
    pub selected: Option<String>,
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

/// Offers `text` to the user as a JSON file download named `name`.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    download_as(name, text, "application/json")
}

/// A blob URL holding `text` of type `mime`.
fn blob_url(text: &str, mime: &str) -> Result<String, String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser refused to make the file".to_string())?;
    web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser refused to make the file".to_string())
}

/// Offers `text` to the user as a file download named `name`, of type `mime`.
pub fn download_as(name: &str, text: &str, mime: &str) -> Result<(), String> {
    let url = blob_url(text, mime)?;
    save_url(name, &url)?;
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Saves what `url` points at under `name`, through a temporary link.
fn save_url(name: &str, url: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or("no link element")?;
    anchor.set_href(url);
    anchor.set_download(name);
    anchor.click();
    Ok(())
}

/// Draws the SVG picture on a canvas at twice its size and saves it as PNG.
fn download_png(name: String, svg: &str) -> Result<(), String> {
    let url = blob_url(svg, "image/svg+xml")?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| "no image element".to_string())?;
    let loaded = image.clone();
    let source = url.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        // Nothing to report if the browser refuses: the status already says "Saving".
        let _ = (|| -> Option<()> {
            let document = web_sys::window()?.document()?;
            let canvas: web_sys::HtmlCanvasElement =
                document.create_element("canvas").ok()?.dyn_into().ok()?;
            let (width, height) = (loaded.natural_width() * 2, loaded.natural_height() * 2);
            canvas.set_width(width);
            canvas.set_height(height);
            let context: web_sys::CanvasRenderingContext2d =
                canvas.get_context("2d").ok()??.dyn_into().ok()?;
            context
                .draw_image_with_html_image_element_and_dw_and_dh(
                    &loaded,
                    0.0,
                    0.0,
                    f64::from(width),
                    f64::from(height),
                )
                .ok()?;
            let data = canvas.to_data_url_with_type("image/png").ok()?;
            save_url(&name, &data).ok()
        })();
        let _ = web_sys::Url::revoke_object_url(&source);
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&url);
    Ok(())
}

/// A scenario read from a file, and what to tell the user about it.
#[derive(Debug)]
pub struct Opened {
    pub scenario: Scenario,
    pub message: String,
}

/// What a file's text is.
#[derive(Debug)]
pub enum FileText {
    Scenario(Box<Opened>),
    /// A CloudFormation or SAM template (JSON or YAML), for the template reader.
    Template,
    /// Neither: a sentence that names the file and what is wrong with it.
    Broken(String),
}

/// A scenario file's text, or a CloudFormation / SAM template's: YAML by its extension, JSON
/// when it is not a scenario and has a `Resources` section.
pub fn open_text(name: &str, text: &str) -> FileText {
    let problem = match Scenario::from_json(text) {
        Ok(scenario) => {
            return FileText::Scenario(Box::new(Opened {
                scenario,
                message: format!("Opened {name}."),
            }))
        }
        Err(problem) => problem,
    };
    let yaml = [".yaml", ".yml", ".template"]
        .iter()
        .any(|extension| name.to_ascii_lowercase().ends_with(extension));
    if yaml || text.contains("\"Resources\"") {
        FileText::Template
    } else {
        FileText::Broken(format!("{name} is not a scenario: {problem}"))
    }
}

/// What to tell the user about an imported template: how many components, how many parts
/// left out and the first of them.
pub fn template_message(name: &str, components: usize, skipped: &[String]) -> String {
    let count = |n: usize, word: &str| match n {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    };
    let components = count(components, "component");
    match skipped.first() {
        None => format!("Imported the template {name}: {components}."),
        Some(first) => format!(
            "Imported the template {name}: {components}; {} left out (loosely import lists every one), the first: {first}.",
            count(skipped.len(), "part")
        ),
    }
}

/// Reads a scenario or template file the user chose or dropped (see [`open_text`]); a
/// template goes to the template reader (a web worker).
pub fn read_scenario_file(file: web_sys::File, done: Callback<Result<Opened, String>>) {
    let name = file.name();
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|value| value.as_string());
        let Some(text) = text else {
            done.emit(Err(format!("{name} cannot be read as text.")));
            return;
        };
        match open_text(&name, &text) {
            FileText::Scenario(opened) => done.emit(Ok(*opened)),
            FileText::Broken(problem) => done.emit(Err(problem)),
            FileText::Template => {
                let file_name = name.clone();
                crate::cfn_client::import(&name, &text, move |read| {
                    done.emit(read.and_then(|(json, skipped)| {
                        let scenario = Scenario::from_json(&json).map_err(|problem| {
                            format!("{file_name} gave a scenario that does not parse: {problem}")
                        })?;
                        let message =
                            template_message(&file_name, scenario.components.len(), &skipped);
                        Ok(Opened { scenario, message })
                    }))
                });
            }
        }
    });
}

/// Seconds of canvas a video records.
const VIDEO_SECONDS: f64 = 5.0;

/// Copies `text` to the clipboard.
fn copy(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no browser window")?;
    let _ = window.navigator().clipboard().write_text(text);
    Ok(())
}

/// The file name of the scenario with another extension.
fn named(scenario: &Scenario, extension: &str) -> String {
    format!(
        "{}.{extension}",
        file_name(scenario).trim_end_matches(".json")
    )
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
    let on_export_template = {
        let scenario = props.scenario.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let name = named(&scenario, "template.json");
            let status = status.clone();
            status.set(Some((true, "Writing the template…".to_string())));
            crate::cfn_client::export(scenario.to_json_pretty(), move |template| {
                status.set(Some(
                    match template.and_then(|text| download(&name, &text)) {
                        Ok(()) => (true, format!("Saved {name}.")),
                        Err(problem) => (false, format!("Cannot save: {problem}.")),
                    },
                ));
            });
        })
    };
    let on_video = {
        let scenario = props.scenario.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let name = named(&scenario, "webm");
            let status = status.clone();
            status.set(Some((
                true,
                format!("Recording {VIDEO_SECONDS} s of the canvas (press play to see it move)…"),
            )));
            crate::recording::record(VIDEO_SECONDS, move |video| {
                let saved = video.and_then(|blob| {
                    let size = blob.size();
                    let url = web_sys::Url::create_object_url_with_blob(&blob)
                        .map_err(|_| "the browser refused to make the file".to_string())?;
                    save_url(&name, &url)?;
                    // The last video stays reachable (`window.looselyVideo`) for the page's
                    // tests to play it back; the one before is let go.
                    if let Some(window) = web_sys::window() {
                        let key = wasm_bindgen::JsValue::from_str("looselyVideo");
                        if let Some(old) = js_sys::Reflect::get(&window, &key)
                            .ok()
                            .and_then(|v| v.as_string())
                        {
                            let _ = web_sys::Url::revoke_object_url(&old);
                        }
                        let _ = js_sys::Reflect::set(&window, &key, &url.into());
                    }
                    Ok(size)
                });
                status.set(Some(match saved {
                    Ok(size) => (true, format!("Saved {name} ({:.0} KB).", size / 1024.0)),
                    Err(problem) => (false, format!("No video: {problem}.")),
                }));
            });
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
            let (on_import, status) = (on_import.clone(), status.clone());
            read_scenario_file(
                file,
                Callback::from(move |read: Result<Opened, String>| match read {
                    Ok(opened) => {
                        status.set(Some((true, opened.message)));
                        on_import.emit(opened.scenario);
                    }
                    Err(problem) => status.set(Some((false, problem))),
                }),
            );
        })
    };
    let on_copy_moment = {
        let scenario = props.scenario.clone();
        let status = status.clone();
        let (seconds, selected) = (props.now_seconds, props.selected.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(url) = share_url(&scenario) else {
                status.set(Some((false, "This page has no address to share.".into())));
                return;
            };
            let pinned = crate::embed::pinned_url(
                &url,
                seconds,
                selected.as_deref(),
                env!("CARGO_PKG_VERSION"),
            );
            let note = format!(
                "Link at {} copied ({} characters): it opens paused at this moment.",
                loosely_engine::format_clock((seconds * 1e6) as u64),
                pinned.len()
            );
            status.set(Some(match copy(&pinned) {
                Ok(()) => (true, note),
                Err(problem) => (false, problem),
            }));
        })
    };
    let on_copy_embed = {
        let scenario = props.scenario.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let page = web_sys::window()
                .and_then(|w| w.location().href().ok())
                .unwrap_or_default();
            let url = crate::embed::embed_url(&page, &encode_link(&scenario));
            let code = crate::embed::embed_code(&url, &scenario.name);
            status.set(Some(match copy(&code) {
                Ok(()) => (
                    true,
                    "Embed code copied: paste the <iframe> into your page.".into(),
                ),
                Err(problem) => (false, problem),
            }));
        })
    };
    let on_copy_markdown = {
        let scenario = props.scenario.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let image = named(&scenario, "svg");
            let link = share_url(&scenario).unwrap_or_default();
            let markdown = crate::export::markdown(&scenario, &image, &link);
            let saved = download_as(
                &image,
                &crate::export::scenario_svg(&scenario),
                "image/svg+xml",
            );
            status.set(Some(match (copy(&markdown), saved) {
                (Ok(()), Ok(())) => (
                    true,
                    format!("Markdown copied and {image} saved: put the image beside your README."),
                ),
                (Err(problem), _) | (_, Err(problem)) => (false, problem),
            }));
        })
    };
    let on_svg = {
        let scenario = props.scenario.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let name = named(&scenario, "svg");
            status.set(Some(
                match download_as(
                    &name,
                    &crate::export::scenario_svg(&scenario),
                    "image/svg+xml",
                ) {
                    Ok(()) => (true, format!("Saved {name}.")),
                    Err(problem) => (false, problem),
                },
            ));
        })
    };
    let on_png = {
        let scenario = props.scenario.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let name = named(&scenario, "png");
            status.set(Some(
                match download_png(name.clone(), &crate::export::scenario_svg(&scenario)) {
                    Ok(()) => (true, format!("Saving {name}.")),
                    Err(problem) => (false, problem),
                },
            ));
        })
    };
    let on_csv = {
        let scenario = props.scenario.clone();
        let (status, live) = (status.clone(), props.live.clone());
        Callback::from(move |_: MouseEvent| {
            let name = named(&scenario, "metrics.csv");
            let csv = live.read(|live| crate::export::metrics_csv(live.simulation(), live.ids()));
            status.set(Some(match csv {
                Some(csv) => match download_as(&name, &csv, "text/csv") {
                    Ok(()) => (true, format!("Saved {name}.")),
                    Err(problem) => (false, problem),
                },
                None => (false, "The scenario is not running: no metrics yet.".into()),
            }));
        })
    };
    let note = match &*status {
        Some((ok, text)) => html! {
            <span class={classes!("share-status", (!ok).then_some("bad"))} role="status"
                data-testid="share-status">{ text.clone() }</span>
        },
        None => html! {},
    };
    // Compressing the scenario is not free: once per change of the scenario, not per frame.
    let link_length = *use_memo(props.scenario.clone(), |scenario| {
        share_url(scenario).map_or(0, |url| url.len())
    });
    html! {
        <div class="share-menu">
            <details class="share-dropdown" data-testid="share-menu">
                <summary>{ "Share & export" }</summary>
                <div class="share-panel">
                    <p class="hint" data-testid="link-length">
                        { format!("The link carries the whole scenario: {link_length} characters{}.", if link_length > 2_000 { " (over 2,000: some chat tools cut it)" } else { "" }) }
                    </p>
                    <button onclick={on_copy_link} data-testid="copy-link"
                        title="Copy a link that carries this whole scenario (nothing is uploaded)">{ "Copy link" }</button>
                    <button onclick={on_copy_moment} data-testid="copy-moment"
                        title="A link that opens paused at this simulated moment, with the selected component">{ "Copy link at this moment" }</button>
                    <button onclick={on_copy_embed} data-testid="copy-embed"
                        title="An <iframe> that shows the canvas and the play controls, for docs and course pages">{ "Copy embed code" }</button>
                    <button onclick={on_copy_markdown} data-testid="copy-markdown"
                        title="Markdown showing a picture of the scenario linked to the live playground, for places without iframes">{ "Copy Markdown + picture" }</button>
                    <hr />
                    <button onclick={on_export} data-testid="export-json" title="Download the scenario as JSON (the CLI reads the same file)">{ "Export JSON" }</button>
                    <button onclick={on_open_file} data-testid="import-json" title="Open a scenario JSON file or a CloudFormation / SAM template, JSON or YAML (or drop it on the canvas)">{ "Import JSON or template…" }</button>
                    <button onclick={on_export_template} data-testid="export-cloudformation" title="Download a CloudFormation template of the scenario (the simulation's own settings in Metadata)">{ "Export CloudFormation" }</button>
                    <button onclick={on_svg} data-testid="export-svg">{ "Picture as SVG" }</button>
                    <button onclick={on_png} data-testid="export-png">{ "Picture as PNG" }</button>
                    <button onclick={on_video} data-testid="export-video" title="A WebM video of the canvas as it runs, for slides and docs">{ format!("Record {VIDEO_SECONDS} s of video") }</button>
                    <button onclick={on_csv} data-testid="export-csv" title="Every metric of every component so far, one row per period">{ "Metrics as CSV" }</button>
                </div>
            </details>
            <input ref={file_input} type="file" accept=".json,.yaml,.yml,.template,application/json" hidden=true
                onchange={on_file} data-testid="import-file" />
            { note }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_opens_as_a_scenario_or_goes_to_the_template_reader() {
        let FileText::Scenario(opened) = open_text("s.json", r#"{"version": 1, "name": "Mine"}"#)
        else {
            panic!("a scenario")
        };
        assert_eq!(opened.scenario.name, "Mine");
        assert_eq!(opened.message, "Opened s.json.");
        assert!(matches!(
            open_text("stack.yaml", "Resources: {}"),
            FileText::Template
        ));
        let json = r#"{"Resources": {"Jobs": {"Type": "AWS::SQS::Queue"}}}"#;
        assert!(matches!(open_text("stack.json", json), FileText::Template));
        let FileText::Broken(problem) = open_text("s.json", "{\"version\": 1,") else {
            panic!("broken")
        };
        assert!(
            problem.starts_with("s.json is not a scenario: "),
            "{problem}"
        );
    }

    #[test]
    fn an_imported_template_says_how_much_was_left_out() {
        assert_eq!(
            template_message("stack.json", 1, &[]),
            "Imported the template stack.json: 1 component."
        );
        let skipped =
            ["Resources.A (AWS::ECS::Cluster): this resource type is not simulated".to_string()];
        assert_eq!(
            template_message("stack.yaml", 2, &skipped),
            "Imported the template stack.yaml: 2 components; 1 part left out (loosely import lists every one), the first: Resources.A (AWS::ECS::Cluster): this resource type is not simulated."
        );
    }

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
