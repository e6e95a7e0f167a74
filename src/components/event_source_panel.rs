//! The inspector of an SQS event source mapping (a queue's arrow into a Lambda function):
//! its settings with AWS's names, as in the console.

use loosely_scenario::{EventSourceMapping, FunctionResponseType, ScalingConfig, Scenario};
use yew::prelude::*;

use crate::components::subscription_panel::value_of;
use crate::state::EditorAction;

#[derive(Properties, PartialEq)]
pub struct EventSourcePanelProps {
    pub scenario: Scenario,
    pub from: String,
    pub to: String,
    pub dispatch: Callback<EditorAction>,
}

/// The settings the form holds, as typed (empty: the default).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Form {
    pub batch_size: String,
    pub window: String,
    pub maximum_concurrency: String,
    pub report_failures: bool,
}

impl Form {
    pub fn of(mapping: &EventSourceMapping) -> Form {
        let text = |value: Option<u32>| value.map(|v| v.to_string()).unwrap_or_default();
        Form {
            batch_size: text(mapping.batch_size),
            window: text(mapping.maximum_batching_window_in_seconds),
            maximum_concurrency: text(
                mapping
                    .scaling_config
                    .as_ref()
                    .and_then(|c| c.maximum_concurrency),
            ),
            report_failures: mapping
                .function_response_types
                .contains(&FunctionResponseType::ReportBatchItemFailures),
        }
    }

    /// The mapping the form describes, or which setting is not a whole number.
    pub fn mapping(&self) -> Result<EventSourceMapping, String> {
        let number = |name: &str, text: &str| -> Result<Option<u32>, String> {
            match text.trim() {
                "" => Ok(None),
                text => text
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("{name}: \"{text}\" is not a whole number")),
            }
        };
        let maximum_concurrency = number("MaximumConcurrency", &self.maximum_concurrency)?;
        Ok(EventSourceMapping {
            batch_size: number("BatchSize", &self.batch_size)?,
            maximum_batching_window_in_seconds: number(
                "MaximumBatchingWindowInSeconds",
                &self.window,
            )?,
            scaling_config: maximum_concurrency.map(|most| ScalingConfig {
                maximum_concurrency: Some(most),
            }),
            function_response_types: if self.report_failures {
                vec![FunctionResponseType::ReportBatchItemFailures]
            } else {
                Vec::new()
            },
        })
    }
}

#[function_component(EventSourcePanel)]
pub fn event_source_panel(props: &EventSourcePanelProps) -> Html {
    let current = props
        .scenario
        .connections
        .iter()
        .find(|c| c.from == props.from && c.to == props.to)
        .and_then(|c| c.event_source_mapping.clone())
        .unwrap_or_default();
    let form = {
        let start = Form::of(&current);
        use_state(move || start)
    };
    let problem = use_state(|| None::<String>);
    let update = |change: fn(&mut Form, String)| {
        let form = form.clone();
        Callback::from(move |event: Event| {
            let mut next = (*form).clone();
            change(&mut next, value_of(&event));
            form.set(next);
        })
    };
    let on_batch = update(|form, value| form.batch_size = value);
    let on_window = update(|form, value| form.window = value);
    let on_concurrency = update(|form, value| form.maximum_concurrency = value);
    let on_report = {
        let form = form.clone();
        Callback::from(move |event: Event| {
            let checked = event
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|input| input.checked())
                .unwrap_or(false);
            let mut next = (*form).clone();
            next.report_failures = checked;
            form.set(next);
        })
    };
    let on_apply = {
        let form = form.clone();
        let problem = problem.clone();
        let dispatch = props.dispatch.clone();
        let (from, to) = (props.from.clone(), props.to.clone());
        Callback::from(move |_: MouseEvent| match form.mapping() {
            Ok(mapping) => {
                problem.set(None);
                dispatch.emit(EditorAction::SetEventSourceMapping {
                    from: from.clone(),
                    to: to.clone(),
                    mapping,
                });
            }
            Err(why) => problem.set(Some(why)),
        })
    };
    html! {
        <section class="subscription-panel" data-testid="event-source-panel">
            <h3>{ format!("Event source mapping {} → {}", props.from, props.to) }</h3>
            <p class="param-facts">{ "Lambda long-polls the queue with 5 concurrent batches, adds up to 300 a minute while messages wait (at most 1,000) and deletes a batch when the function returns. A failed batch comes back after the queue's VisibilityTimeout: AWS recommends at least 6 times the function's Timeout." }</p>
            <label title="Records per invocation at most, 1..=10000 (1..=10 for a FIFO queue); above 10 needs a batching window of at least 1 s">
                { "BatchSize " }
                <input type="number" min="1" max="10000" placeholder="10" value={form.batch_size.clone()}
                    onchange={on_batch} data-testid="esm-batch-size" />
            </label>
            <label title="Seconds Lambda gathers records before it invokes with fewer than BatchSize, 0..=300">
                { "MaximumBatchingWindowInSeconds " }
                <input type="number" min="0" max="300" placeholder="0" value={form.window.clone()}
                    onchange={on_window} />
            </label>
            <label title="ScalingConfig: concurrent batches at most, 2..=1000; empty: up to 1,000">
                { "ScalingConfig.MaximumConcurrency " }
                <input type="number" min="2" max="1000" placeholder="1000" value={form.maximum_concurrency.clone()}
                    onchange={on_concurrency} data-testid="esm-maximum-concurrency" />
            </label>
            <label title="The function names its failed records in batchItemFailures; only those stay in the queue">
                <input type="checkbox" checked={form.report_failures} onchange={on_report} />
                { " FunctionResponseTypes: ReportBatchItemFailures" }
            </label>
            <button class="primary" onclick={on_apply} data-testid="esm-apply">{ "Apply" }</button>
            if let Some(why) = (*problem).clone() {
                <p class="verdict invalid" role="alert">{ why }</p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_gives_back_the_mapping_it_was_made_from() {
        let mapping: EventSourceMapping = serde_json::from_str(
            r#"{"BatchSize": 100, "MaximumBatchingWindowInSeconds": 5,
                "ScalingConfig": {"MaximumConcurrency": 20},
                "FunctionResponseTypes": ["ReportBatchItemFailures"]}"#,
        )
        .expect("a mapping");
        assert_eq!(Form::of(&mapping).mapping(), Ok(mapping));
        let empty = EventSourceMapping::default();
        assert_eq!(Form::of(&empty).mapping(), Ok(empty));
    }

    #[test]
    fn a_setting_that_is_not_a_number_is_named() {
        let form = Form {
            batch_size: "ten".into(),
            ..Form::default()
        };
        assert_eq!(
            form.mapping(),
            Err("BatchSize: \"ten\" is not a whole number".into())
        );
    }
}
