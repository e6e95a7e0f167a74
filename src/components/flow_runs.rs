//! The selected AppFlow flow while running: the "Run flow" button (`StartFlow`) and the run
//! history, newest first.

use yew::prelude::*;

use crate::live::LiveHandle;

#[derive(Properties, PartialEq)]
pub struct FlowRunsProps {
    pub live: LiveHandle,
    /// The simulated clock in microseconds: the list re-renders when it moves.
    pub now: u64,
    /// The scenario id of the one selected component, if exactly one is selected.
    pub selected: Option<String>,
}

/// Runs listed, newest first.
const SHOWN_RUNS: usize = 20;

#[function_component(FlowRuns)]
pub fn flow_runs(props: &FlowRunsProps) -> Html {
    let refusal = use_state(|| None::<String>);
    let Some(id) = props.selected.clone() else {
        return html! {};
    };
    let Some(runs) = props.live.read(|live| live.flow_runs(&id)).flatten() else {
        return html! {};
    };
    let on_run = {
        let live = props.live.clone();
        let refusal = refusal.clone();
        let id = id.clone();
        Callback::from(move |_: MouseEvent| {
            let result = live.write(|live| live.start_flow(&id));
            refusal.set(match result {
                Some(Err(why)) => Some(why),
                _ => None,
            });
        })
    };
    html! {
        <div class="flow-runs" data-testid="flow-runs">
            <h2>{ format!("Runs of {id}") }</h2>
            <button data-testid="run-flow" onclick={on_run}
                title="StartFlow: runs an OnDemand flow now; activates a Suspended scheduled flow">
                { "Run flow" }
            </button>
            if let Some(why) = (*refusal).clone() {
                <p class="refusal">{ why }</p>
            }
            if runs.is_empty() {
                <p class="hint">{ "No run yet." }</p>
            } else {
                <table>
                    <thead>
                        <tr>
                            <th>{ "run" }</th>
                            <th>{ "trigger" }</th>
                            <th>{ "started" }</th>
                            <th>{ "executionStatus" }</th>
                            <th>{ "recordsProcessed" }</th>
                            <th>{ "transferred" }</th>
                            <th>{ "filtered" }</th>
                            <th>{ "invalid" }</th>
                            <th>{ "API calls" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for runs.iter().take(SHOWN_RUNS).map(|run| html! {
                            <tr title={run.message.clone().unwrap_or_default()}>
                                <td>{ run.execution_id }</td>
                                <td>{ run.trigger }</td>
                                <td>{ loosely_engine::format_clock(run.started.as_micros()) }</td>
                                <td class={format!("status-{}", run.status.as_str())}>{ run.status.as_str() }</td>
                                <td>{ run.records_processed }</td>
                                <td>{ run.transferred }</td>
                                <td>{ run.filtered }</td>
                                <td>{ run.invalid }</td>
                                <td>{ run.api_calls }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}
