//! The inspector: every parameter of the selected component with its AWS name, unit, range
//! and default, and what AWS does with it on hover; what the node models, simplifies and
//! leaves out. A change applies to the running simulation.

use loosely_scenario::Component;
use serde_json::Value;
use yew::prelude::*;

use crate::inspector_model::{fields, model_notes, parse, value, Control, Field};
use crate::state::EditorAction;

/// Whether the parameter schema is loaded, fetching it on the first call (it is not part of
/// the page's wasm; see `inspector_model::SCHEMA_URL`): `Ok(false)` while it loads, `Err`
/// with why it could not be.
#[hook]
pub fn use_schema() -> Result<bool, String> {
    let state = use_state(|| Ok(crate::inspector_model::schema_loaded()));
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            if matches!(*state, Ok(false)) {
                wasm_bindgen_futures::spawn_local(async move {
                    let loaded = crate::fetch::fetch_text(crate::inspector_model::SCHEMA_URL)
                        .await
                        .and_then(|text| crate::inspector_model::set_schema(&text));
                    state.set(loaded.map(|()| true));
                });
            }
        });
    }
    (*state).clone()
}

/// What a panel shows instead of its parameters while the schema loads or when it failed.
pub fn schema_note(loaded: &Result<bool, String>) -> Option<Html> {
    match loaded {
        Ok(true) => None,
        Ok(false) => Some(html! {
            <p class="hint" data-testid="schema-loading">{ "Loading the parameters…" }</p>
        }),
        Err(problem) => Some(html! {
            <p class="param-problem" role="alert" data-testid="schema-failed">{ format!("{problem}.") }</p>
        }),
    }
}

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub component: Component,
    pub dispatch: Callback<EditorAction>,
}

/// A value as the control shows it.
fn shown(value: &Option<Value>) -> String {
    match value {
        None => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => match other {
            Value::Object(_) | Value::Array(_) => {
                serde_json::to_string_pretty(other).unwrap_or_default()
            }
            _ => other.to_string(),
        },
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    id: String,
    field: Field,
    current: Option<Value>,
    dispatch: Callback<EditorAction>,
}

#[function_component(ParameterRow)]
fn parameter_row(props: &RowProps) -> Html {
    // What the user typed that is not valid, with why.
    let problem = use_state(|| None::<String>);
    let field = props.field.clone();
    let commit = {
        let problem = problem.clone();
        let dispatch = props.dispatch.clone();
        let id = props.id.clone();
        let field = field.clone();
        move |text: String| match parse(&field, &text) {
            Ok(value) => {
                problem.set(None);
                dispatch.emit(EditorAction::SetParameter {
                    id: id.clone(),
                    name: field.name.clone(),
                    value,
                });
            }
            Err(why) => problem.set(Some(why)),
        }
    };
    let on_change = {
        let commit = commit.clone();
        Callback::from(move |event: Event| {
            let text = if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                if input.type_() == "checkbox" {
                    input.checked().to_string()
                } else {
                    input.value()
                }
            } else if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                select.value()
            } else if let Some(area) = event.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                area.value()
            } else {
                return;
            };
            commit(text);
        })
    };
    let on_reset = {
        let dispatch = props.dispatch.clone();
        let id = props.id.clone();
        let name = field.name.clone();
        let problem = problem.clone();
        Callback::from(move |_: MouseEvent| {
            problem.set(None);
            dispatch.emit(EditorAction::SetParameter {
                id: id.clone(),
                name: name.clone(),
                value: None,
            });
        })
    };
    let text = shown(&props.current);
    let placeholder = field
        .default
        .clone()
        .map(|d| format!("default {d}"))
        .unwrap_or_default();
    let control = match &field.control {
        Control::Integer | Control::Number => {
            let step = if field.control == Control::Integer {
                "1"
            } else {
                "any"
            };
            let slider = field
                .range
                .filter(|(low, high)| high > low && high - low <= 100_000.0);
            html! {
                <>
                    <input type="number" step={step} value={text.clone()} placeholder={placeholder.clone()}
                        min={field.range.map(|r| r.0.to_string())} max={field.range.map(|r| r.1.to_string())}
                        onchange={on_change.clone()} aria-label={field.name.clone()} data-testid={format!("param-{}", field.name)} />
                    if let Some((low, high)) = slider {
                        <input type="range" class="slider" min={low.to_string()} max={high.to_string()}
                            step={if field.control == Control::Integer { "1".to_string() } else { ((high - low) / 100.0).to_string() }}
                            value={if text.is_empty() { field.default.clone().unwrap_or_default() } else { text.clone() }}
                            onchange={on_change.clone()} aria-label={field.name.clone()} />
                    }
                </>
            }
        }
        Control::Boolean => html! {
            <input type="checkbox" checked={text == "true"} onchange={on_change.clone()}
                aria-label={field.name.clone()} data-testid={format!("param-{}", field.name)} />
        },
        Control::Choice(words) => html! {
            <select onchange={on_change.clone()} aria-label={field.name.clone()} data-testid={format!("param-{}", field.name)}>
                <option value="" selected={text.is_empty()}>{ placeholder.clone() }</option>
                { for words.iter().map(|w| html! { <option value={w.clone()} selected={&text == w}>{ w.clone() }</option> }) }
            </select>
        },
        Control::Json => html! {
            <textarea rows={if text.lines().count() > 1 { "4" } else { "1" }} spellcheck="false" value={text.clone()}
                placeholder={placeholder.clone()} onchange={on_change.clone()}
                aria-label={field.name.clone()} data-testid={format!("param-{}", field.name)} />
        },
    };
    let facts = {
        let mut parts = Vec::new();
        if let Some(unit) = field.unit {
            parts.push(unit.to_string());
        }
        if let Some((low, high)) = field.range {
            parts.push(format!("range {low}–{high}"));
        }
        if let Some(default) = &field.default {
            parts.push(format!("default {default}"));
        }
        parts.join(" · ")
    };
    html! {
        <div class={classes!("param", problem.is_some().then_some("invalid"))} title={field.description.clone()}>
            <div class="param-head">
                <span class="param-name">{ field.name.clone() }</span>
                if !field.simulated {
                    <span class="flag" title="The playground shows this setting but does not simulate its effect">{ "not simulated" }</span>
                }
                if field.knob {
                    <span class="flag knob" title="A setting of the simulation, not of AWS">{ "simulation knob" }</span>
                }
                if props.current.is_some() {
                    <button class="link" onclick={on_reset} title="Back to the default">{ "default" }</button>
                }
            </div>
            { control }
            <div class="param-facts">{ facts }</div>
            if let Some(why) = (*problem).clone() {
                <div class="param-problem" role="alert">{ why }</div>
            }
        </div>
    }
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let loaded = use_schema();
    let component = &props.component;
    let id = component.id().to_string();
    let rows = fields(component.kind_str()).into_iter().map(|field| {
        let current = value(component, &field.name);
        let key = field.name.clone();
        html! {
            <ParameterRow {key} id={id.clone()} {field} {current}
                dispatch={props.dispatch.clone()} />
        }
    });
    html! {
        <aside class="inspector" data-testid="inspector">
            <h2>{ component.display_name().to_string() }</h2>
            <p class="kind">{ format!("{} · id {}", component.kind_words(), id) }</p>
            <details class="model-notes">
                <summary>{ "What this node models" }</summary>
                { for model_notes(component).iter().map(|(head, text)| html! {
                    <p><strong>{ format!("{head}: ") }</strong>{ *text }</p>
                }) }
            </details>
            { for schema_note(&loaded) }
            <div class="params">{ for rows }</div>
        </aside>
    }
}
