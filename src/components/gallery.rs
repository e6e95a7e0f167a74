//! The gallery: ready scenarios, each with what to watch; choosing one puts it on the
//! canvas (undoable).

use loosely_scenario::Scenario;
use yew::prelude::*;

use crate::gallery::ENTRIES;

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    pub on_choose: Callback<Scenario>,
    pub on_close: Callback<()>,
}

#[function_component(Gallery)]
pub fn gallery(props: &GalleryProps) -> Html {
    let entries = ENTRIES.iter().filter_map(|(file, text, topic)| {
        let scenario = Scenario::from_json(text).ok()?;
        let on_choose = {
            let on_choose = props.on_choose.clone();
            let scenario = scenario.clone();
            Callback::from(move |_: MouseEvent| on_choose.emit(scenario.clone()))
        };
        let id = file.trim_end_matches(".json");
        Some(html! {
            <li>
                <button class="gallery-entry" onclick={on_choose} data-testid={format!("gallery-{id}")}>
                    <span class="topic">{ *topic }</span>
                    <strong>{ scenario.name.clone() }</strong>
                    <span class="watch">{ scenario.description.clone() }</span>
                </button>
            </li>
        })
    });
    html! {
        <div class="overlay" role="dialog" aria-label="Gallery">
            <section class="gallery" data-testid="gallery">
                <header>
                    <h2>{ "Gallery" }</h2>
                    <span class="hint">{ "Ready scenarios; each says what to watch. Opening one replaces the canvas (Ctrl+Z brings yours back)." }</span>
                    <button onclick={props.on_close.reform(|_: MouseEvent| ())} data-testid="gallery-close">{ "Close" }</button>
                </header>
                <ul>{ for entries }</ul>
            </section>
        </div>
    }
}
