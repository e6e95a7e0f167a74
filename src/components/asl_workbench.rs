//! The Step Functions workbench: paste a state machine definition, see it validated as you
//! type and drawn like the console's workflow view, run one execution in virtual time
//! (tasks answered by a Step Functions Local mock configuration), then step through its
//! history and watch the states light up.

use loosely_engine::asl::{validate, ExecutionKind, RunEnd};
use yew::prelude::*;

use crate::asl_graph::{arrow_path, layout, EdgeKind, STATE_HEIGHT};
use crate::asl_run::{entered_counts, failed_states, run, test_cases, Finished, RunProblem};
use crate::components::policy_tester::keep_text;
use crate::components::share_menu::download;

const EXAMPLE: &str = include_str!("../../examples/asl/order-workflow.json");
const EXAMPLE_MOCK: &str = include_str!("../../examples/asl/order-workflow.mock.json");
const EXAMPLE_INPUT: &str =
    r#"{"orderId": "o-1", "total": 120, "items": [{"sku": "a"}, {"sku": "b"}]}"#;

#[derive(Properties, PartialEq)]
pub struct AslWorkbenchProps {
    pub on_close: Callback<()>,
}

fn text_of(event: InputEvent) -> Option<String> {
    event
        .target_dyn_into::<web_sys::HtmlTextAreaElement>()
        .map(|area| area.value())
}

fn seconds(micros: u64) -> String {
    format!("{:.3}s", micros as f64 / 1e6)
}

#[function_component(AslWorkbench)]
pub fn asl_workbench(props: &AslWorkbenchProps) -> Html {
    let definition = use_state(|| EXAMPLE.to_string());
    let input = use_state(|| EXAMPLE_INPUT.to_string());
    let mock = use_state(|| EXAMPLE_MOCK.to_string());
    // "" = no mock; else "machine/test case".
    let case = use_state(String::new);
    let express = use_state(|| false);
    let result = use_state(|| None::<Result<Finished, RunProblem>>);
    // How many history events are shown (the replay position).
    let upto = use_state(|| 0usize);
    let selected_event = use_state(|| None::<usize>);

    let validated = validate(&definition);
    let view = validated.as_ref().ok().map(layout);
    let cases = test_cases(&mock);

    let on_definition = {
        let definition = definition.clone();
        let result = result.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(text) = text_of(event) {
                definition.set(text);
                result.set(None);
            }
        })
    };
    let on_input = keep_text(&input);
    let on_mock = keep_text(&mock);
    let on_case = {
        let case = case.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                case.set(select.value());
            }
        })
    };
    let on_kind = {
        let express = express.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                express.set(select.value() == "EXPRESS");
            }
        })
    };
    let on_run = {
        let (definition, input, mock, case, express) = (
            definition.clone(),
            input.clone(),
            mock.clone(),
            case.clone(),
            express.clone(),
        );
        let (result, upto, selected_event) = (result.clone(), upto.clone(), selected_event.clone());
        Callback::from(move |_: MouseEvent| {
            let chosen = case.split_once('/');
            let mock_choice = chosen.map(|(machine, test)| (mock.as_str(), machine, test));
            let kind = if *express {
                ExecutionKind::Express
            } else {
                ExecutionKind::Standard
            };
            let outcome = run(&definition, &input, mock_choice, kind, 1);
            upto.set(outcome.as_ref().map_or(0, |f| f.history.len()));
            selected_event.set(None);
            result.set(Some(outcome));
        })
    };
    let on_export = {
        let definition = definition.clone();
        Callback::from(move |_: MouseEvent| {
            let _ = download("state-machine.asl.json", &definition);
        })
    };
    let on_scrub = {
        let upto = upto.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(value) = event
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .and_then(|input| input.value().parse::<usize>().ok())
            {
                upto.set(value);
            }
        })
    };
    let on_close = props.on_close.reform(|_: MouseEvent| ());

    let finished = match &*result {
        Some(Ok(finished)) => Some(finished),
        _ => None,
    };
    let shown = finished.map_or(0, |f| (*upto).min(f.history.len()));
    let counts = finished
        .map(|f| entered_counts(&f.history, shown))
        .unwrap_or_default();
    let failed = finished
        .map(|f| failed_states(&f.history, shown))
        .unwrap_or_default();
    // The state of the last event shown, lit as "current".
    let current = finished.and_then(|f| {
        f.history[..shown]
            .iter()
            .rev()
            .find_map(|e| e.state_name.as_ref().map(|n| n.to_string()))
    });

    let problems = match &validated {
        Ok(machine) => html! {
            <p class="asl-valid" data-testid="asl-valid">
                { format!("Valid: {} states.", machine.graphs.iter().map(|g| g.states.len()).sum::<usize>()) }
            </p>
        },
        Err(issues) => html! {
            <ul class="asl-issues" data-testid="asl-issues">
                { for issues.iter().map(|issue| html! {
                    <li><code>{ issue.code }</code>{ " " }<code>{ issue.path.clone() }</code>{ format!(": {}", issue.message) }</li>
                }) }
            </ul>
        },
    };
    let graph = match &view {
        Some(view) => {
            let boxes = view.boxes.iter().map(|b| {
                let count = counts.get(&b.name).copied().unwrap_or(0);
                let class = classes!(
                    "asl-state",
                    b.group.then_some("group"),
                    (count > 0).then_some("entered"),
                    failed.contains(&b.name).then_some("failed"),
                    (current.as_deref() == Some(b.name.as_str())).then_some("current"),
                );
                let label_y = if b.group { 16.0 } else { STATE_HEIGHT / 2.0 + 5.0 };
                html! {
                    <g class={class} transform={format!("translate({} {})", b.x, b.y)}
                        data-testid={format!("asl-state-{}", b.name)}>
                        <title>{ format!("{} ({}): entered {count} times", b.name, b.type_name) }</title>
                        <rect width={b.width.to_string()} height={b.height.to_string()} rx="6" />
                        <text x={(b.width / 2.0).to_string()} y={label_y.to_string()} text-anchor="middle">
                            { b.name.clone() }
                        </text>
                        if count > 0 {
                            <text class="count" x={(b.width - 6.0).to_string()} y="12" text-anchor="end">
                                { format!("×{count}") }
                            </text>
                        }
                    </g>
                }
            });
            let arrows = view.arrows.iter().map(|a| {
                let class = match a.kind {
                    EdgeKind::Next => "asl-arrow",
                    EdgeKind::Choice => "asl-arrow choice",
                    EdgeKind::Default => "asl-arrow default",
                    EdgeKind::Catch => "asl-arrow catch",
                };
                html! { <path class={class} d={arrow_path(a)} marker-end="url(#asl-head)" /> }
            });
            html! {
                <svg class="asl-graph" data-testid="asl-graph" width={view.width.to_string()}
                    height={view.height.to_string()} xmlns="http://www.w3.org/2000/svg">
                    <defs>
                        <marker id="asl-head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M0 0 L10 5 L0 10 z" class="arrowhead" />
                        </marker>
                    </defs>
                    { for arrows }
                    { for boxes }
                    <g class="asl-mark"><circle cx={view.start.0.to_string()} cy={view.start.1.to_string()} r="8" />
                        <text x={(view.start.0 + 14.0).to_string()} y={(view.start.1 + 4.0).to_string()}>{ "Start" }</text></g>
                    <g class="asl-mark"><circle cx={view.end.0.to_string()} cy={view.end.1.to_string()} r="8" />
                        <text x={(view.end.0 + 14.0).to_string()} y={(view.end.1 + 4.0).to_string()}>{ "End" }</text></g>
                </svg>
            }
        }
        None => html! { <p class="hint">{ "Fix the definition to see its graph." }</p> },
    };
    let outcome = match &*result {
        None => html! {},
        Some(Err(problem)) => html! {
            <p class="verdict invalid" role="alert" data-testid="asl-outcome">{ problem.to_string() }</p>
        },
        Some(Ok(finished)) => {
            let (class, text) = match &finished.end {
                RunEnd::Succeeded(output) => ("verdict delivered", format!("Succeeded: {output}")),
                RunEnd::Failed { error, cause } => {
                    ("verdict invalid", format!("Failed: {error}: {cause}"))
                }
            };
            html! {
                <p class={class} data-testid="asl-outcome">
                    { text }{ format!(" ({} state transitions, {} history events)", finished.transitions, finished.history.len()) }
                </p>
            }
        }
    };
    let history = finished.map(|f| {
        let rows = f.history.iter().enumerate().map(|(index, event)| {
            let on_click = {
                let selected_event = selected_event.clone();
                let upto = upto.clone();
                Callback::from(move |_: MouseEvent| {
                    selected_event.set(Some(index));
                    upto.set(index + 1);
                })
            };
            let shown_class = (index >= shown).then_some("later");
            let failed_class = event.error.is_some().then_some("failed");
            let is_selected = (*selected_event == Some(index)).then_some("selected");
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
        let detail = (*selected_event).and_then(|i| f.history.get(i)).map(|event| {
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
        html! {
            <>
                <label class="asl-scrub">
                    { format!("History: event {shown} of {}", f.history.len()) }
                    <input type="range" min="0" max={f.history.len().to_string()} value={shown.to_string()}
                        oninput={on_scrub} data-testid="asl-scrub" />
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
    });
    let case_options = match &cases {
        Ok(list) => html! {
            <>
                <option value="" selected={case.is_empty()}>{ "no mock: tasks return their input" }</option>
                { for list.iter().map(|(machine, test)| {
                    let value = format!("{machine}/{test}");
                    html! { <option value={value.clone()} selected={*case == value}>{ format!("{machine}: {test}") }</option> }
                }) }
            </>
        },
        Err(_) => {
            html! { <option value="" selected=true>{ "no mock (the configuration does not parse)" }</option> }
        }
    };
    html! {
        <div class="overlay" role="dialog" aria-label="Step Functions workbench">
            <section class="workbench" data-testid="asl-workbench">
                <header>
                    <h2>{ "Step Functions workbench" }</h2>
                    <span class="hint">{ "Amazon States Language (JSONPath); runs in virtual time, so a Wait of a day takes no time." }</span>
                    <button onclick={on_export}>{ "Export definition" }</button>
                    <button onclick={on_close} data-testid="asl-close">{ "Close" }</button>
                </header>
                <div class="workbench-body">
                    <div class="workbench-inputs">
                        <label class="stacked">{ "Definition (paste from the console)" }
                            <textarea rows="12" spellcheck="false" value={(*definition).clone()}
                                oninput={on_definition} data-testid="asl-definition" />
                        </label>
                        { problems }
                        <label class="stacked">{ "Execution input" }
                            <textarea rows="3" spellcheck="false" value={(*input).clone()} oninput={on_input} data-testid="asl-input" />
                        </label>
                        <label class="stacked">{ "Mock configuration (Step Functions Local format)" }
                            <textarea rows="5" spellcheck="false" value={(*mock).clone()} oninput={on_mock} />
                        </label>
                        if let Err(why) = &cases {
                            <p class="verdict invalid">{ format!("Mock configuration: {why}") }</p>
                        }
                        <div class="workbench-run">
                            <select onchange={on_case} data-testid="asl-test-case">{ case_options }</select>
                            <select onchange={on_kind} title="Express executions stop at 5 minutes and keep no history in AWS (shown here for learning)">
                                <option value="STANDARD" selected={!*express}>{ "STANDARD" }</option>
                                <option value="EXPRESS" selected={*express}>{ "EXPRESS" }</option>
                            </select>
                            <button class="primary" onclick={on_run} disabled={validated.is_err()} data-testid="asl-run">{ "Start execution" }</button>
                        </div>
                        { outcome }
                    </div>
                    <div class="workbench-graph">
                        { graph }
                        { for history }
                    </div>
                </div>
            </section>
        </div>
    }
}
