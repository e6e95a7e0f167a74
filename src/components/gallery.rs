//! The gallery: ready scenarios, each with what to watch; choosing one puts it on the
//! canvas (undoable). The scenarios are downloaded when the gallery first opens (they are
//! not in the page's wasm) and kept for the rest of the visit.

use std::cell::RefCell;

use loosely_scenario::Scenario;
use yew::prelude::*;

use crate::gallery::ENTRIES;

/// Each entry's scenario, or why it could not be read, in the order of [`ENTRIES`].
type Loaded = Vec<Result<Scenario, String>>;

thread_local! {
    /// What an earlier opening downloaded.
    static LOADED: RefCell<Option<Loaded>> = const { RefCell::new(None) };
}

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    pub on_choose: Callback<Scenario>,
    pub on_close: Callback<()>,
}

#[function_component(Gallery)]
pub fn gallery(props: &GalleryProps) -> Html {
    let loaded = use_state(|| LOADED.with(|cell| cell.borrow().clone()));
    {
        let loaded = loaded.clone();
        use_effect_with((), move |_| {
            if loaded.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    let mut all = Vec::with_capacity(ENTRIES.len());
                    for (file, _) in ENTRIES {
                        all.push(crate::fetch::fetch_example(file).await);
                    }
                    // Kept only when every file came (offline, the next opening tries again).
                    if all.iter().all(Result::is_ok) {
                        LOADED.with(|cell| *cell.borrow_mut() = Some(all.clone()));
                    }
                    loaded.set(Some(all));
                });
            }
        });
    }
    let list = match &*loaded {
        None => {
            html! { <p class="hint" data-testid="gallery-loading">{ "Loading the scenarios…" }</p> }
        }
        Some(all) => {
            let entries = ENTRIES.iter().zip(all).map(|((file, topic), scenario)| {
                let id = file.trim_end_matches(".json");
                match scenario {
                    Ok(scenario) => {
                        let on_choose = {
                            let on_choose = props.on_choose.clone();
                            let scenario = scenario.clone();
                            Callback::from(move |_: MouseEvent| on_choose.emit(scenario.clone()))
                        };
                        html! {
                            <li>
                                <button class="gallery-entry" onclick={on_choose} data-testid={format!("gallery-{id}")}>
                                    <span class="topic">{ *topic }</span>
                                    <strong>{ scenario.name.clone() }</strong>
                                    <span class="watch">{ scenario.description.clone() }</span>
                                </button>
                            </li>
                        }
                    }
                    Err(problem) => html! {
                        <li class="param-problem" role="alert">{ problem.clone() }</li>
                    },
                }
            });
            html! { <ul>{ for entries }</ul> }
        }
    };
    html! {
        <div class="overlay" role="dialog" aria-label="Gallery">
            <section class="gallery" data-testid="gallery">
                <header>
                    <h2>{ "Gallery" }</h2>
                    <span class="hint">{ "Ready scenarios; each says what to watch. Opening one replaces the canvas (Ctrl+Z brings yours back)." }</span>
                    <button onclick={props.on_close.reform(|_: MouseEvent| ())} data-testid="gallery-close">{ "Close" }</button>
                </header>
                { list }
            </section>
        </div>
    }
}
