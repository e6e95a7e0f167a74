//! An execution's event history: a replay slider, the selected event's payload and the
//! table of events (the workbench's run and a live execution of a running state machine).

use std::rc::Rc;

use loosely_engine::asl::HistoryEvent;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AslHistoryProps {
    pub history: Rc<Vec<HistoryEvent>>,
    /// How many events are shown as reached (the replay position); later ones are dimmed.
    pub shown: usize,
    pub selected: Option<usize>,
    /// A row click: the event's index.
    pub on_select: Callback<usize>,
    /// The slider: the new replay position.
    pub on_scrub: Callback<usize>,
}

fn seconds(micros: u64) -> String {
    format!("{:.3}s", micros as f64 / 1e6)
}

#[function_component(AslHistory)]
pub fn asl_history(props: &AslHistoryProps) -> Html {
    let history = &props.history;
    let shown = props.shown.min(history.len());
    let rows = history.iter().enumerate().map(|(index, event)| {
        let on_click = props.on_select.reform(move |_: MouseEvent| index);
        let shown_class = (index >= shown).then_some("later");
        let failed_class = event.error.is_some().then_some("failed");
        let is_selected = (props.selected == Some(index)).then_some("selected");
        html! {
            <tr class={classes!(shown_class, failed_class, is_selected)} onclick={on_click}>
                <td>{ event.id }</td>
                <td>{ seconds(event.timestamp.as_micros()) }</td>
                <td>{ event.event_type.name().to_string() }</td>
                <td>{ event.state_name.as_deref().unwrap_or("").to_string() }
                    { event.index.map(|i| format!(" [{i}]")).unwrap_or_default() }</td>
                <td>{ event.error.as_ref().map(|e| e.to_string()).unwrap_or_default() }</td>
            </tr>
        }
    });
    let detail = props.selected.and_then(|i| history.get(i)).map(|event| {
        let payload = event
            .payload
            .as_ref()
            .map(|p| serde_json::to_string_pretty(p).unwrap_or_default())
            .unwrap_or_else(|| "(no payload)".into());
        html! {
            <div class="asl-detail" data-testid="asl-detail">
                <strong>{ format!("#{} {} {}", event.id, event.event_type.name(), event.state_name.as_deref().unwrap_or("")) }</strong>
                <pre>{ payload }</pre>
            </div>
        }
    });
    let on_scrub = props.on_scrub.clone();
    let on_input = Callback::from(move |event: InputEvent| {
        if let Some(value) = event
            .target_dyn_into::<web_sys::HtmlInputElement>()
            .and_then(|input| input.value().parse::<usize>().ok())
        {
            on_scrub.emit(value);
        }
    });
    html! {
        <>
            <label class="asl-scrub">
                { format!("History: event {shown} of {}", history.len()) }
                <input type="range" min="0" max={history.len().to_string()} value={shown.to_string()}
                    oninput={on_input} data-testid="asl-scrub" />
            </label>
            { for detail }
            <div class="asl-history">
                <table data-testid="asl-history">
                    <thead><tr><th>{ "#" }</th><th>{ "t" }</th><th>{ "Event" }</th><th>{ "State" }</th><th>{ "Error" }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </>
    }
}
