//! The fault timeline of one component: stop it (or a share of it) for a window, slow it
//! down, or make it fail a share of its requests. The faults are part of the scenario; the
//! timeline under the canvas draws them as bands and the node shows when one acts on it.

use loosely_scenario::{Component, Fault, FaultEffect, Scenario};
use yew::prelude::*;

use crate::components::subscription_panel::value_of;
use crate::state::EditorAction;

/// Whether faults can act on this kind of component (the scenario format's rule).
pub fn takes_faults(component: &Component) -> bool {
    matches!(
        component,
        Component::Consumer(_)
            | Component::Endpoint(_)
            | Component::StateMachine(_)
            | Component::BatchComputeEnvironment(_)
            | Component::MqBroker(_)
            | Component::AppflowFlow(_)
            | Component::ApplicationLoadBalancer(_)
    )
}

/// One fault as the form holds it, as typed (empty share or factor: the default).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub effect: FaultEffect,
    pub start: String,
    pub duration: String,
    pub share: String,
    pub factor: String,
}

fn number_text(value: f64) -> String {
    // 60.0 shows as "60", 0.25 as "0.25".
    format!("{value}")
}

impl Row {
    pub fn of(fault: &Fault) -> Row {
        Row {
            effect: fault.effect,
            start: number_text(fault.start_seconds),
            duration: number_text(fault.duration_seconds),
            share: fault.share.map(number_text).unwrap_or_default(),
            factor: fault.factor.map(number_text).unwrap_or_default(),
        }
    }

    /// A new fault: the component stops for a minute, from `start_seconds`.
    pub fn starting_at(start_seconds: f64) -> Row {
        Row {
            effect: FaultEffect::Stop,
            start: number_text(start_seconds.max(0.0).round()),
            duration: "60".into(),
            share: String::new(),
            factor: String::new(),
        }
    }

    /// The fault the row describes on `component`, or which field is not a number (the
    /// ranges are the validator's to judge, so its sentences name them).
    pub fn fault(&self, component: &str, index: usize) -> Result<Fault, String> {
        let number = |name: &str, text: &str| -> Result<Option<f64>, String> {
            match text.trim() {
                "" => Ok(None),
                text => text
                    .parse::<f64>()
                    .ok()
                    .filter(|value| value.is_finite())
                    .map(Some)
                    .ok_or_else(|| {
                        format!("fault {}: {name} \"{text}\" is not a number", index + 1)
                    }),
            }
        };
        let required = |name: &str, text: &str| -> Result<f64, String> {
            number(name, text)?
                .ok_or_else(|| format!("fault {}: {name} needs a number of seconds", index + 1))
        };
        Ok(Fault {
            component: component.to_string(),
            effect: self.effect,
            start_seconds: required("start", &self.start)?,
            duration_seconds: required("duration", &self.duration)?,
            share: match self.effect {
                FaultEffect::Slow => None,
                _ => number("share", &self.share)?,
            },
            factor: match self.effect {
                FaultEffect::Slow => number("factor", &self.factor)?,
                _ => None,
            },
        })
    }
}

fn effect_name(effect: FaultEffect) -> &'static str {
    match effect {
        FaultEffect::Stop => "stop",
        FaultEffect::Slow => "slow",
        FaultEffect::Fail => "fail",
    }
}

fn effect_of(name: &str) -> FaultEffect {
    match name {
        "slow" => FaultEffect::Slow,
        "fail" => FaultEffect::Fail,
        _ => FaultEffect::Stop,
    }
}

/// The faults of `component` in the scenario, in their order.
pub fn rows_of(scenario: &Scenario, component: &str) -> Vec<Row> {
    scenario
        .faults
        .iter()
        .filter(|f| f.component == component)
        .map(Row::of)
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct FaultsPanelProps {
    pub scenario: Scenario,
    pub component: String,
    /// The simulated time now, seconds: where a new fault starts.
    pub now_seconds: f64,
    pub readonly: bool,
    pub dispatch: Callback<EditorAction>,
}

#[function_component(FaultsPanel)]
pub fn faults_panel(props: &FaultsPanelProps) -> Html {
    let rows = {
        let start = rows_of(&props.scenario, &props.component);
        use_state(move || start)
    };
    let problem = use_state(|| None::<String>);
    let edit = |index: usize, change: fn(&mut Row, String)| {
        let rows = rows.clone();
        Callback::from(move |event: Event| {
            let mut next = (*rows).clone();
            if let Some(row) = next.get_mut(index) {
                change(row, value_of(&event));
            }
            rows.set(next);
        })
    };
    let on_add = {
        let (rows, now) = (rows.clone(), props.now_seconds);
        Callback::from(move |_: MouseEvent| {
            let mut next = (*rows).clone();
            next.push(Row::starting_at(now));
            rows.set(next);
        })
    };
    let on_apply = {
        let (rows, problem) = (rows.clone(), problem.clone());
        let dispatch = props.dispatch.clone();
        let component = props.component.clone();
        Callback::from(move |_: MouseEvent| {
            match rows
                .iter()
                .enumerate()
                .map(|(index, row)| row.fault(&component, index))
                .collect::<Result<Vec<_>, _>>()
            {
                Ok(faults) => {
                    problem.set(None);
                    dispatch.emit(EditorAction::SetFaults {
                        component: component.clone(),
                        faults,
                    });
                }
                Err(why) => problem.set(Some(why)),
            }
        })
    };
    let row_html = |index: usize, row: &Row| {
        let on_remove = {
            let rows = rows.clone();
            Callback::from(move |_: MouseEvent| {
                let mut next = (*rows).clone();
                if index < next.len() {
                    next.remove(index);
                }
                rows.set(next);
            })
        };
        let slow = row.effect == FaultEffect::Slow;
        html! {
            <li class="fault-row" data-testid="fault-row">
                <select aria-label="What the fault does" disabled={props.readonly}
                    onchange={edit(index, |row, value| row.effect = effect_of(&value))}>
                    { for [FaultEffect::Stop, FaultEffect::Slow, FaultEffect::Fail].into_iter().map(|effect| html! {
                        <option value={effect_name(effect)} selected={effect == row.effect}>{ effect_name(effect) }</option>
                    }) }
                </select>
                <label title="When the fault begins, seconds from the start of the run, >= 0">
                    { "from " }
                    <input type="number" min="0" step="any" value={row.start.clone()} disabled={props.readonly}
                        onchange={edit(index, |row, value| row.start = value)} data-testid="fault-start" />
                    { " s" }
                </label>
                <label title="How long it lasts, seconds, > 0">
                    { "for " }
                    <input type="number" min="0" step="any" value={row.duration.clone()} disabled={props.readonly}
                        onchange={edit(index, |row, value| row.duration = value)} data-testid="fault-duration" />
                    { " s" }
                </label>
                if slow {
                    <label title="How many times slower, 1..=1000; default 2">
                        { "× " }
                        <input type="number" min="1" max="1000" step="any" placeholder="2" value={row.factor.clone()}
                            disabled={props.readonly} onchange={edit(index, |row, value| row.factor = value)} />
                    </label>
                } else {
                    <label title="Share, 0 (excluded)..=1: of the workers or instances that stop (stop), or of requests that fail (fail); default 1">
                        { "share " }
                        <input type="number" min="0" max="1" step="any" placeholder="1" value={row.share.clone()}
                            disabled={props.readonly} onchange={edit(index, |row, value| row.share = value)} />
                    </label>
                }
                if !props.readonly {
                    <button class="link" onclick={on_remove} title="Remove this fault">{ "remove" }</button>
                }
            </li>
        }
    };
    html! {
        <section class="subscription-panel faults-panel" data-testid="faults-panel">
            <h3>{ format!("Faults on {}", props.component) }</h3>
            <p class="param-facts">{ "Stop the component (or a share of its workers or instances, such as one availability zone of three) for a window, slow it down, or make it fail a share of its requests. Simplification: AWS has no such switch; AWS Fault Injection Service offers comparable actions. The timeline under the canvas shows each window." }</p>
            if rows.is_empty() {
                <p class="hint">{ "No faults." }</p>
            }
            <ol class="fault-rows">
                { for rows.iter().enumerate().map(|(index, row)| row_html(index, row)) }
            </ol>
            if !props.readonly {
                <button onclick={on_add} data-testid="fault-add">{ "Add a fault" }</button>
                { " " }
                <button onclick={on_apply} data-testid="fault-apply">{ "Apply" }</button>
            }
            if let Some(problem) = (*problem).clone() {
                <p class="refusal" role="alert">{ problem }</p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_gives_back_the_fault_it_was_made_from() {
        let fault = Fault {
            component: "workers".into(),
            effect: FaultEffect::Fail,
            start_seconds: 90.0,
            duration_seconds: 30.5,
            share: Some(0.25),
            factor: None,
        };
        let row = Row::of(&fault);
        assert_eq!((row.start.as_str(), row.share.as_str()), ("90", "0.25"));
        assert_eq!(row.fault("workers", 0), Ok(fault));
    }

    #[test]
    fn a_slow_row_keeps_its_factor_and_drops_a_share() {
        let row = Row {
            effect: FaultEffect::Slow,
            start: "0".into(),
            duration: "60".into(),
            share: "0.5".into(),
            factor: "4".into(),
        };
        let fault = row.fault("workers", 0).expect("numbers");
        assert_eq!((fault.share, fault.factor), (None, Some(4.0)));
    }

    #[test]
    fn a_field_that_is_not_a_number_is_named() {
        let row = Row {
            duration: "a minute".into(),
            ..Row::starting_at(12.4)
        };
        assert_eq!(row.start, "12");
        assert_eq!(
            row.fault("workers", 2),
            Err("fault 3: duration \"a minute\" is not a number".to_string())
        );
        let empty = Row {
            start: " ".into(),
            ..Row::starting_at(0.0)
        };
        assert_eq!(
            empty.fault("workers", 0),
            Err("fault 1: start needs a number of seconds".to_string())
        );
    }
}
