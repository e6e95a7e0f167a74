//! The Step Functions workbench: paste a state machine definition, see it validated as you
//! type and drawn like the console's workflow view, run one execution in virtual time
//! (tasks answered by a Step Functions Local mock configuration), then step through its
//! history and watch the states light up.

use std::rc::Rc;

use loosely_engine::asl::{validate, ExecutionKind, RunEnd};
use yew::prelude::*;

use crate::asl_graph::layout;
use crate::asl_lights::replay_lights;
use crate::asl_run::{run, test_cases, Finished, RunProblem};
use crate::components::asl_graph_view::AslGraphView;
use crate::components::asl_history::AslHistory;
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
    let view = validated
        .as_ref()
        .ok()
        .map(|machine| Rc::new(layout(machine)));
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
    let on_close = props.on_close.reform(|_: MouseEvent| ());

    let finished = match &*result {
        Some(Ok(finished)) => Some(finished),
        _ => None,
    };
    let shown = finished.map_or(0, |f| (*upto).min(f.history.len()));
    let lights = Rc::new(
        finished
            .map(|f| replay_lights(&f.history, shown))
            .unwrap_or_default(),
    );

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
        Some(view) => html! { <AslGraphView layout={view.clone()} lights={lights.clone()} /> },
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
        let on_select = {
            let (selected_event, upto) = (selected_event.clone(), upto.clone());
            Callback::from(move |index: usize| {
                selected_event.set(Some(index));
                upto.set(index + 1);
            })
        };
        let on_scrub = {
            let upto = upto.clone();
            Callback::from(move |value: usize| upto.set(value))
        };
        html! {
            <AslHistory history={f.history.clone()} {shown} selected={*selected_event} {on_select} {on_scrub} />
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
