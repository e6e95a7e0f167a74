//! The timeline under the canvas: step one event, drag back to any earlier moment (rewind),
//! jump ahead, and run until a condition.

use loosely_engine::{format_clock, SimTime};
use loosely_scenario::{Component, Scenario};
use yew::prelude::*;

use crate::live::{parse_message_id, Breakpoint};

#[derive(Properties, PartialEq)]
pub struct TimebarProps {
    pub scenario: Scenario,
    pub now: SimTime,
    /// Where a jump is heading (equal to `now` when none is running).
    pub target: SimTime,
    pub duration: SimTime,
    /// The earliest moment a rewind reaches.
    pub earliest: SimTime,
    /// The breakpoint being run to, if any.
    pub running_until: Option<String>,
    /// Why the last run until a condition stopped.
    pub note: Option<String>,
    pub on_step: Callback<()>,
    pub on_seek: Callback<SimTime>,
    pub on_run_until: Callback<(Breakpoint, String)>,
    pub on_stop: Callback<()>,
}

/// The breakpoints a scenario offers: (value, label).
pub fn breakpoint_choices(scenario: &Scenario) -> Vec<(String, String)> {
    let mut choices = Vec::new();
    let queues: Vec<&Component> = scenario
        .components
        .iter()
        .filter(|c| matches!(c, Component::SqsQueue(_)))
        .collect();
    for component in &queues {
        let is_dlq = queues.iter().any(|q| match q {
            Component::SqsQueue(queue) => queue
                .parameters
                .redrive_policy
                .as_ref()
                .is_some_and(|p| p.dead_letter_target_arn == component.id()),
            _ => false,
        });
        if is_dlq {
            choices.push((
                format!("dlq:{}", component.id()),
                format!("a message lands in {}", component.display_name()),
            ));
        }
    }
    for component in &queues {
        choices.push((
            format!("depth:{}", component.id()),
            format!("{} holds more than N visible", component.display_name()),
        ));
    }
    for (index, alarm) in scenario.alarms.iter().enumerate() {
        choices.push((
            format!("alarm:{index}"),
            format!(
                "alarm {} fires",
                if alarm.alarm_name.is_empty() {
                    index.to_string()
                } else {
                    alarm.alarm_name.clone()
                }
            ),
        ));
    }
    choices.push(("deleted".into(), "message M is deleted".into()));
    choices
}

/// The breakpoint of a choice and the number or message id typed beside it.
pub fn breakpoint_of(choice: &str, argument: &str) -> Result<Breakpoint, String> {
    if let Some(queue) = choice.strip_prefix("dlq:") {
        return Ok(Breakpoint::DeadLetter {
            queue: queue.into(),
        });
    }
    if let Some(queue) = choice.strip_prefix("depth:") {
        let visible = argument.trim().parse().map_err(|_| {
            format!(
                "N: \"{}\" is not a whole number of messages",
                argument.trim()
            )
        })?;
        return Ok(Breakpoint::DepthAbove {
            queue: queue.into(),
            visible,
        });
    }
    if let Some(index) = choice.strip_prefix("alarm:") {
        let index = index.parse().map_err(|_| "no such alarm".to_string())?;
        return Ok(Breakpoint::Alarm { index });
    }
    if choice == "deleted" {
        let message = parse_message_id(argument).ok_or_else(|| {
            format!(
                "M: \"{}\" is not a message id such as m-12",
                argument.trim()
            )
        })?;
        return Ok(Breakpoint::Deleted { message });
    }
    Err(format!("\"{choice}\" is not a condition"))
}

/// A fault window on the scrubber: where it starts and how wide it is, in percent of the
/// run, and what it does.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultBand {
    pub left_percent: f64,
    pub width_percent: f64,
    pub title: String,
}

/// The scenario's fault windows (its `faults` and its endpoints' downtime) as bands along
/// the scrubber; none when the scenario does not lower.
pub fn fault_bands(scenario: &Scenario) -> Vec<FaultBand> {
    let Ok(lowered) = scenario.lower() else {
        return Vec::new();
    };
    let total = lowered.duration.as_secs_f64().max(1e-6);
    lowered
        .model
        .fault_windows()
        .iter()
        .filter(|window| window.start < lowered.duration)
        .map(|window| {
            let start = window.start.as_secs_f64();
            let end = window.end.as_secs_f64().min(total);
            let name = lowered
                .model
                .components
                .get(window.component)
                .map(|c| c.name.as_str())
                .unwrap_or_default();
            FaultBand {
                left_percent: 100.0 * start / total,
                width_percent: 100.0 * (end - start) / total,
                title: format!(
                    "fault #{}: {name} {} from {} to {}",
                    window.fault,
                    window.effect.describe(),
                    format_clock(window.start.as_micros()),
                    format_clock(window.end.as_micros())
                ),
            }
        })
        .collect()
}

/// Jumps ahead: label and seconds.
const JUMPS: [(&str, u64); 4] = [
    ("+1 min", 60),
    ("+1 h", 3_600),
    ("+1 d", 86_400),
    ("+14 d", 14 * 86_400),
];

#[function_component(Timebar)]
pub fn timebar(props: &TimebarProps) -> Html {
    let choices = breakpoint_choices(&props.scenario);
    let bands = use_memo(props.scenario.clone(), fault_bands);
    let choice = use_state(|| choices.first().map(|c| c.0.clone()).unwrap_or_default());
    let argument = use_state(|| "10".to_string());
    let problem = use_state(|| None::<String>);

    let on_scrub = {
        let on_seek = props.on_seek.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(seconds) = event
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .and_then(|input| input.value().parse::<f64>().ok())
            {
                on_seek.emit(SimTime::from_secs_f64(seconds));
            }
        })
    };
    let jumps = JUMPS.iter().map(|(label, seconds)| {
        let on_seek = props.on_seek.clone();
        let to = props
            .target
            .max(props.now)
            .saturating_add(loosely_engine::SimDuration::from_secs(*seconds));
        let past_end = props.now >= props.duration;
        html! {
            <button disabled={past_end} title={format!("Skip ahead {label} of simulated time")}
                onclick={Callback::from(move |_: MouseEvent| on_seek.emit(to))}
                data-testid={format!("jump-{seconds}")}>{ *label }</button>
        }
    });
    let on_choice = {
        let choice = choice.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                choice.set(select.value());
            }
        })
    };
    let on_argument = {
        let argument = argument.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                argument.set(input.value());
            }
        })
    };
    let on_go = {
        let (choice, argument, problem) = (choice.clone(), argument.clone(), problem.clone());
        let on_run_until = props.on_run_until.clone();
        let choices = choices.clone();
        Callback::from(
            move |_: MouseEvent| match breakpoint_of(&choice, &argument) {
                Ok(breakpoint) => {
                    problem.set(None);
                    let label = choices
                        .iter()
                        .find(|(value, _)| *value == *choice)
                        .map(|(_, label)| {
                            label
                                .replace(" N ", &format!(" {} ", argument.trim()))
                                .replace(" M ", &format!(" {} ", argument.trim()))
                        })
                        .unwrap_or_default();
                    on_run_until.emit((breakpoint, label));
                }
                Err(why) => problem.set(Some(why)),
            },
        )
    };
    let needs_argument = choice.starts_with("depth:") || *choice == "deleted";
    let duration = props.duration.as_secs_f64();
    let jumping = props.target > props.now;
    html! {
        <div class="timebar" data-testid="timebar">
            <button onclick={props.on_step.reform(|_: MouseEvent| ())} data-testid="step"
                title="Process exactly one event (pauses)">{ "Step" }</button>
            <span class="scrubber-track">
                <input type="range" class="scrubber" min="0" max={duration.to_string()} step="any"
                    value={props.now.as_secs_f64().to_string()} oninput={on_scrub} data-testid="scrubber"
                    aria-label="Simulated time: drag back to rewind"
                    title={format!("Drag back to watch again (rewind reaches {}), forward to skip ahead", format_clock(props.earliest.as_micros()))} />
                { for bands.iter().map(|band| html! {
                    <span class="fault-band" data-testid="fault-band" title={band.title.clone()} aria-label={band.title.clone()}
                        style={format!("left: {:.3}%; width: {:.3}%", band.left_percent, band.width_percent.max(0.3))} />
                }) }
            </span>
            { for jumps }
            if jumping {
                <span class="progress" data-testid="jump-progress">{ format!("→ {}", format_clock(props.target.as_micros())) }</span>
            }
            <span class="until">
                { "Run until " }
                <select onchange={on_choice} aria-label="Run until" data-testid="until-choice">
                    { for choices.iter().map(|(value, label)| html! {
                        <option value={value.clone()} selected={*choice == *value}>{ label.clone() }</option>
                    }) }
                </select>
                if needs_argument {
                    <input class="argument" value={(*argument).clone()} oninput={on_argument}
                        aria-label={if *choice == "deleted" { "message id" } else { "N" }} data-testid="until-argument" />
                }
                if props.running_until.is_some() {
                    <button onclick={props.on_stop.reform(|_: MouseEvent| ())} data-testid="until-stop">{ "Stop" }</button>
                } else {
                    <button onclick={on_go} data-testid="until-go">{ "Go" }</button>
                }
            </span>
            if let Some(why) = (*problem).clone() {
                <span class="note bad" role="alert">{ why }</span>
            } else if let Some(label) = props.running_until.clone() {
                <span class="note" data-testid="until-running">{ format!("running until {label}…") }</span>
            } else if let Some(note) = props.note.clone() {
                <span class="note" data-testid="until-note">{ note }</span>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> Scenario {
        Scenario::from_json(include_str!("../../examples/worker-pool-dlq.json")).expect("example")
    }

    #[test]
    fn fault_windows_become_bands_along_the_run() {
        let scenario =
            Scenario::from_json(include_str!("../../examples/tight-vs-loose-coupling.json"))
                .expect("example");
        let bands = fault_bands(&scenario);
        assert_eq!(bands.len(), 2);
        // 180 s to 420 s of a 1,200 s run.
        assert!((bands[0].left_percent - 15.0).abs() < 1e-9);
        assert!((bands[0].width_percent - 20.0).abs() < 1e-9);
        assert!(
            bands[1].title.contains("billing-workers stops"),
            "{}",
            bands[1].title
        );
        assert!(fault_bands(&bundled()).is_empty());
    }

    #[test]
    fn the_choices_follow_the_scenario() {
        let choices = breakpoint_choices(&bundled());
        let values: Vec<&str> = choices.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(values[0], "dlq:orders-dlq", "the DLQ first");
        assert!(values.contains(&"depth:orders") && values.contains(&"depth:orders-dlq"));
        assert!(values.iter().any(|v| v.starts_with("alarm:")));
        assert_eq!(values.last(), Some(&"deleted"));
    }

    #[test]
    fn arguments_are_read_or_refused_with_the_field() {
        assert_eq!(
            breakpoint_of("depth:orders", " 25 "),
            Ok(Breakpoint::DepthAbove {
                queue: "orders".into(),
                visible: 25
            })
        );
        assert!(breakpoint_of("depth:orders", "lots")
            .unwrap_err()
            .starts_with("N: "));
        assert_eq!(
            breakpoint_of("deleted", "m-3"),
            Ok(Breakpoint::Deleted {
                message: loosely_engine::MessageId(3)
            })
        );
        assert!(breakpoint_of("deleted", "x")
            .unwrap_err()
            .starts_with("M: "));
        assert_eq!(
            breakpoint_of("dlq:q", ""),
            Ok(Breakpoint::DeadLetter { queue: "q".into() })
        );
        assert!(breakpoint_of("nonsense", "").is_err());
    }
}
