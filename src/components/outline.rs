//! The canvas as text, for screen readers and keyboards: every component with its kind and
//! live numbers (a button selects it), every connection (a button selects the arrow), and a
//! form that connects two components without a pointer. The connection rules are the
//! canvas's own (`connection_refusal`), so a refused pair says why here too.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::canvas::numbers;
use crate::components::subscription_panel::value_of;
use crate::live::ComponentView;
use crate::state::{EditorAction, EditorState};

#[derive(Properties, PartialEq)]
pub struct OutlineProps {
    pub state: Rc<EditorState>,
    pub views: Vec<ComponentView>,
    pub dispatch: Callback<EditorAction>,
}

#[function_component(Outline)]
pub fn outline(props: &OutlineProps) -> Html {
    let state = &props.state;
    let ids: Vec<String> = state
        .scenario
        .components
        .iter()
        .map(|c| c.id().to_string())
        .collect();
    // What the selects hold; a choice that no longer names a component falls back to the
    // first component (from) and the second (to), which the selects then show.
    let from = use_state(String::new);
    let to = use_state(String::new);
    let held = |choice: &str, fallback: usize| {
        if ids.iter().any(|id| id == choice) {
            choice.to_string()
        } else {
            ids.get(fallback)
                .or(ids.first())
                .cloned()
                .unwrap_or_default()
        }
    };
    let (chosen_from, chosen_to) = (held(&from, 0), held(&to, 1));
    let name_of = |id: &str| {
        state
            .component(id)
            .map_or(id.to_string(), |c| c.display_name().to_string())
    };
    let components = state.scenario.components.iter().map(|component| {
        let id = component.id().to_string();
        let live = props
            .views
            .iter()
            .find(|view| view.id == id)
            .map(|view| numbers(&view.stats))
            .unwrap_or_default();
        let selected = state.selection.contains(&id);
        let on_select = {
            let (dispatch, id) = (props.dispatch.clone(), id.clone());
            Callback::from(move |_: MouseEvent| {
                dispatch.emit(EditorAction::Select {
                    id: id.clone(),
                    additive: false,
                })
            })
        };
        html! {
            <li key={id.clone()}>
                <button class="link" onclick={on_select} aria-pressed={selected.to_string()}
                    data-testid={format!("outline-{id}")}>
                    { component.display_name().to_string() }
                </button>
                { format!(" — {}", component.kind_words()) }
                if !live.is_empty() {
                    { format!(": {live}") }
                }
            </li>
        }
    });
    let connections = state.scenario.connections.iter().map(|connection| {
        let on_select = {
            let dispatch = props.dispatch.clone();
            let (from, to) = (connection.from.clone(), connection.to.clone());
            Callback::from(move |_: MouseEvent| {
                dispatch.emit(EditorAction::SelectConnection {
                    from: from.clone(),
                    to: to.clone(),
                })
            })
        };
        let words = format!(
            "{} → {}",
            name_of(&connection.from),
            name_of(&connection.to)
        );
        html! {
            <li key={format!("{}→{}", connection.from, connection.to)}>
                <button class="link" onclick={on_select}>{ words }</button>
            </li>
        }
    });
    let choose = |held: &UseStateHandle<String>| {
        let held = held.clone();
        Callback::from(move |event: Event| held.set(value_of(&event)))
    };
    let options = |chosen: &str| {
        ids.iter()
            .map(|id| {
                html! {
                    <option value={id.clone()} selected={id == chosen}>{ name_of(id) }</option>
                }
            })
            .collect::<Html>()
    };
    let on_connect = {
        let dispatch = props.dispatch.clone();
        let (from, to) = (chosen_from.clone(), chosen_to.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            dispatch.emit(EditorAction::Connect {
                from: from.clone(),
                to: to.clone(),
            });
        })
    };
    html! {
        <details class="outline" data-testid="outline">
            <summary>{ format!("Components and connections as text ({} and {})", state.scenario.components.len(), state.scenario.connections.len()) }</summary>
            <h3 id="outline-components">{ "Components" }</h3>
            <ul aria-labelledby="outline-components">{ for components }</ul>
            <h3 id="outline-connections">{ "Connections" }</h3>
            if state.scenario.connections.is_empty() {
                <p class="hint">{ "None yet." }</p>
            }
            <ul aria-labelledby="outline-connections">{ for connections }</ul>
            if !state.readonly && ids.len() > 1 {
                <form class="outline-connect" onsubmit={on_connect}>
                    <label>{ "Connect " }
                        <select onchange={choose(&from)} data-testid="outline-from">{ options(&chosen_from) }</select>
                    </label>
                    <label>{ " to " }
                        <select onchange={choose(&to)} data-testid="outline-to">{ options(&chosen_to) }</select>
                    </label>
                    { " " }
                    <button type="submit" data-testid="outline-connect">{ "Connect" }</button>
                </form>
            }
        </details>
    }
}
