//! The event log: the newest kept trace events, filtered by component and kind, pausable.

use std::collections::BTreeSet;
use std::rc::Rc;

use loosely_engine::MessageId;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::live::LiveHandle;
use crate::trace_view::{Log, LogFilter, LOG_ROWS};

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    pub live: LiveHandle,
    /// The simulated clock in microseconds: the log re-renders when it moves.
    pub now: u64,
    pub on_open: Callback<MessageId>,
}

#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    let filter = use_state(LogFilter::default);
    // While paused, the view stays on this snapshot; the buffer keeps filling.
    let frozen = use_state(|| None::<Rc<Log>>);
    let (components, kinds) = props
        .live
        .read(|live| {
            let components: Vec<(usize, String)> = live
                .views()
                .into_iter()
                .filter_map(|view| Some((live.index_of(&view.id)?, view.name)))
                .collect();
            (components, live.kinds_seen())
        })
        .unwrap_or_default();
    let shown: Rc<Log> = match &*frozen {
        Some(log) => log.clone(),
        None => Rc::new(
            props
                .live
                .read(|live| live.log(&filter, LOG_ROWS))
                .unwrap_or_default(),
        ),
    };
    let kept = props.live.read(|live| live.recent().len()).unwrap_or(0);
    let on_component = {
        let filter = filter.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                let mut next = (*filter).clone();
                next.component = select.value().parse::<usize>().ok();
                filter.set(next);
            }
        })
    };
    let on_kind = {
        let filter = filter.clone();
        let kinds = kinds.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                let value = select.value();
                let mut next = (*filter).clone();
                next.kinds = kinds
                    .iter()
                    .copied()
                    .filter(|kind| *kind == value)
                    .collect::<BTreeSet<_>>();
                filter.set(next);
            }
        })
    };
    let on_pause = {
        let frozen = frozen.clone();
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| {
            if frozen.is_some() {
                frozen.set(None);
            } else {
                frozen.set(Some(shown.clone()));
            }
        })
    };
    let paused = frozen.is_some();
    let count = if shown.matching > shown.rows.len() {
        format!(
            "{} of {} matching events shown (newest first; {kept} kept)",
            shown.rows.len(),
            shown.matching
        )
    } else {
        format!("{} events (newest first; {kept} kept)", shown.matching)
    };
    let selected_kind = filter.kinds.iter().next().copied().unwrap_or("");
    html! {
        <div class="event-log" data-testid="event-log">
            <div class="event-log-bar">
                <h2>{ "Event log" }</h2>
                <label>
                    { "Component " }
                    <select onchange={on_component} aria-label="filter by component">
                        <option value="" selected={filter.component.is_none()}>{ "all" }</option>
                        { for components.iter().map(|(index, name)| html! {
                            <option value={index.to_string()} selected={filter.component == Some(*index)}>
                                { name.clone() }
                            </option>
                        }) }
                    </select>
                </label>
                <label>
                    { "Kind " }
                    <select onchange={on_kind} aria-label="filter by kind">
                        <option value="" selected={selected_kind.is_empty()}>{ "all" }</option>
                        { for kinds.iter().map(|kind| html! {
                            <option value={*kind} selected={*kind == selected_kind}>{ *kind }</option>
                        }) }
                    </select>
                </label>
                <button onclick={on_pause} aria-pressed={paused.to_string()} data-testid="log-pause">
                    { if paused { "Resume log" } else { "Pause log" } }
                </button>
                <span class="event-log-count" data-testid="log-count">
                    { count }{ if paused { " · paused, the simulation runs on" } else { "" } }
                </span>
            </div>
            <div class="event-log-rows">
                <table>
                    <thead>
                        <tr><th>{ "time" }</th><th>{ "component" }</th><th>{ "kind" }</th><th>{ "what happened" }</th></tr>
                    </thead>
                    <tbody>
                        { for shown.rows.iter().map(|row| {
                            let onclick = row.message.map(|message| {
                                let on_open = props.on_open.clone();
                                Callback::from(move |_: MouseEvent| on_open.emit(message))
                            });
                            let class = classes!(
                                "tone-".to_string() + row.tone,
                                row.message.is_some().then_some("opens")
                            );
                            let title = row.message.map(|m| format!("open the history of {m}"));
                            html! {
                                <tr {class} {onclick} {title} data-testid="log-row">
                                    <td class="time">{ row.time.to_string() }</td>
                                    <td>{ row.component.clone() }</td>
                                    <td class="code">{ row.code }</td>
                                    <td>{ row.sentence.clone() }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </div>
    }
}
