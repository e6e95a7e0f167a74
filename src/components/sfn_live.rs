//! The selected state machine while the scenario runs: its workflow graph lit by the
//! per-state counts (executions in a state highlighted, failing states in the error
//! colour); a click on a state lists the recent executions that entered it, a click on
//! one of those shows its event history.

use std::rc::Rc;

use yew::prelude::*;

use crate::asl_graph::layout;
use crate::asl_lights::live_lights;
use crate::components::asl_graph_view::AslGraphView;
use crate::components::asl_history::AslHistory;
use crate::live::LiveHandle;

#[derive(Properties, PartialEq)]
pub struct SfnLiveProps {
    pub live: LiveHandle,
    /// The simulated clock in microseconds: the view re-renders when it moves.
    pub now: u64,
    /// The scenario id of the one selected component (the parent keys this component by
    /// it, so the choices below reset with the selection).
    pub selected: Option<String>,
}

fn short_name(execution_arn: &str) -> String {
    execution_arn
        .rsplit(':')
        .next()
        .unwrap_or(execution_arn)
        .to_string()
}

#[function_component(SfnLive)]
pub fn sfn_live(props: &SfnLiveProps) -> Html {
    let chosen_state = use_state(|| None::<String>);
    let chosen_execution = use_state(|| None::<String>);
    let selected_event = use_state(|| None::<usize>);
    let upto = use_state(|| None::<usize>);
    // The answer to the last Redrive click.
    let redrive_note = use_state(|| None::<String>);

    let machine = props
        .selected
        .as_ref()
        .and_then(|id| props.live.read(|live| live.state_machine(id)).flatten());
    // Hooks run on every render: the layout is memoised on the definition, if any.
    let graph_layout = use_memo(
        machine.as_ref().map(|m| m.definition.clone()),
        |definition| definition.as_ref().map(|d| Rc::new(layout(d))),
    );
    let (Some(id), Some(machine), Some(graph_layout)) =
        (props.selected.clone(), machine, (*graph_layout).clone())
    else {
        return html! {};
    };
    let lights = Rc::new(live_lights(&machine.counts));
    let on_state = {
        let (chosen_state, chosen_execution) = (chosen_state.clone(), chosen_execution.clone());
        Callback::from(move |name: String| {
            chosen_state.set(Some(name));
            chosen_execution.set(None);
        })
    };
    let executions = (*chosen_state).as_ref().map(|state| {
        let list = props
            .live
            .read(|live| live.state_executions(&id, state))
            .unwrap_or_default();
        let rows = list.iter().map(|summary| {
            let arn = summary.execution_arn.clone();
            let onclick = {
                let (chosen_execution, selected_event, upto, note) = (
                    chosen_execution.clone(),
                    selected_event.clone(),
                    upto.clone(),
                    redrive_note.clone(),
                );
                Callback::from(move |_: MouseEvent| {
                    chosen_execution.set(Some(arn.clone()));
                    selected_event.set(None);
                    upto.set(None);
                    note.set(None);
                })
            };
            let chosen = (chosen_execution.as_deref() == Some(summary.execution_arn.as_str()))
                .then_some("selected");
            html! {
                <tr class={classes!("opens", chosen)} {onclick} data-testid="sfn-execution-row">
                    <td class="code">{ short_name(&summary.execution_arn) }</td>
                    <td class={classes!("state", summary.status.to_lowercase())}>{ summary.status }</td>
                    <td>{ summary.redrive_status }</td>
                    <td class="number">{ summary.redrive_count }</td>
                </tr>
            }
        });
        html! {
            <div class="sfn-executions" data-testid="sfn-executions">
                <h3>{ format!("Recent executions through {state}") }</h3>
                if list.is_empty() {
                    <p class="hint">{ "No execution has entered this state yet." }</p>
                } else {
                    <table>
                        <thead><tr><th>{ "execution" }</th><th>{ "status" }</th><th>{ "redriveStatus" }</th><th>{ "redriveCount" }</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                }
            </div>
        }
    });
    let execution = (*chosen_execution).as_ref().map(|arn| {
        let found = props.live.read(|live| live.execution(&id, arn)).flatten();
        let Some((summary, record)) = found else {
            return html! { <p class="hint">{ "This execution is no longer known." }</p> };
        };
        let body = match record {
            Some(record) => {
                let history = Rc::new(record.history);
                let shown = (*upto).unwrap_or(history.len());
                let on_select = {
                    let (selected_event, upto) = (selected_event.clone(), upto.clone());
                    Callback::from(move |index: usize| {
                        selected_event.set(Some(index));
                        upto.set(Some(index + 1));
                    })
                };
                let on_scrub = {
                    let upto = upto.clone();
                    Callback::from(move |value: usize| upto.set(Some(value)))
                };
                html! { <AslHistory {history} {shown} selected={*selected_event} {on_select} {on_scrub} /> }
            }
            None if machine.express => html! {
                <p class="hint">{ "Express executions keep no history (AWS sends it to CloudWatch Logs when logging is on)." }</p>
            },
            None => html! {
                <p class="hint">{ "Its history is no longer kept: the page keeps the last 10 finished executions that succeeded and the last 10 that did not." }</p>
            },
        };
        let on_redrive = {
            let (live, id, arn, note) = (
                props.live.clone(),
                id.clone(),
                summary.execution_arn.clone(),
                redrive_note.clone(),
            );
            Callback::from(move |_: MouseEvent| {
                let answer = live
                    .write(|live| live.redrive(&id, &arn))
                    .unwrap_or_else(|| Err("the simulation is busy; try again".into()));
                note.set(Some(match answer {
                    Ok(()) => format!("{} redriven: it resumes from the state where it stopped.", short_name(&arn)),
                    Err(why) => why,
                }));
            })
        };
        let redrivable = summary.redrive_status == "REDRIVABLE";
        html! {
            <div class="sfn-execution" data-testid="sfn-execution">
                <h3>{ format!("{} ({})", short_name(&summary.execution_arn), summary.status) }</h3>
                if redrivable {
                    <button onclick={on_redrive} data-testid="sfn-redrive"
                        title="RedriveExecution: resume this Standard execution from the state where it stopped (within 14 days of its stop)">
                        { "Redrive" }
                    </button>
                }
                if let Some(note) = &*redrive_note {
                    <p class="hint" role="status">{ note.clone() }</p>
                }
                { body }
            </div>
        }
    });
    html! {
        <div class="sfn-live" data-testid="sfn-live">
            <h2>{ format!("Workflow of {} (live)", machine.name) }</h2>
            <p class="hint">
                { "Each state shows ▶ executions in it now, ✓ left normally, ✗ failed, ⤷ errors caught, ↻ retries. Click a state for its recent executions." }
            </p>
            <div class="sfn-live-graph">
                <AslGraphView layout={graph_layout} {lights} chosen={(*chosen_state).clone()} on_state={Some(on_state)} />
            </div>
            { for executions }
            { for execution }
        </div>
    }
}
