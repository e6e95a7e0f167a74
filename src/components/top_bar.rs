use loosely_scenario::LimitProfile;
use yew::prelude::*;

/// Speeds offered, simulated seconds per wall second.
pub const SPEEDS: &[f64] = &[0.1, 1.0, 10.0, 100.0, 1_000.0, 10_000.0];

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub scenario: String,
    pub clock: String,
    pub playing: bool,
    pub finished: bool,
    pub speed: f64,
    pub cost: f64,
    pub on_toggle: Callback<()>,
    pub on_speed: Callback<f64>,
    pub on_reset: Callback<()>,
    pub limit_profile: loosely_scenario::LimitProfile,
    pub on_limit_profile: Callback<loosely_scenario::LimitProfile>,
    /// More controls at the right end (share, export, import).
    #[prop_or_default]
    pub children: Html,
}

/// The bar above the page: scenario name, play/pause, reset, speed, simulated clock, cost.
#[function_component(TopBar)]
pub fn top_bar(props: &TopBarProps) -> Html {
    let on_toggle = props.on_toggle.reform(|_: MouseEvent| ());
    let on_reset = props.on_reset.reform(|_: MouseEvent| ());
    let on_limit_profile = props.on_limit_profile.reform(|event: Event| {
        match event
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .map(|select| select.value())
            .as_deref()
        {
            Some("exam") => LimitProfile::Exam,
            _ => LimitProfile::Current,
        }
    });
    let current_speed = props.speed;
    let on_speed = props.on_speed.reform(move |event: Event| {
        event
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .and_then(|select| select.value().parse::<f64>().ok())
            .unwrap_or(current_speed)
    });
    // A speed from the query string that is not in the list still shows as selected.
    let mut speeds = SPEEDS.to_vec();
    if !speeds.iter().any(|s| (s - props.speed).abs() < 1e-9) {
        speeds.push(props.speed);
        speeds.sort_by(f64::total_cmp);
    }
    let toggle_label = if props.finished {
        "Finished"
    } else if props.playing {
        "Pause"
    } else {
        "Play"
    };
    html! {
        <header class="topbar">
            <h1>{ "loosely" }</h1>
            <span class="scenario" data-testid="scenario-name">{ props.scenario.clone() }</span>
            <button class="primary" data-testid="play" disabled={props.finished} onclick={on_toggle}>
                { toggle_label }
            </button>
            <button data-testid="reset" onclick={on_reset}>{ "Reset" }</button>
            <label>
                { "Speed " }
                <select data-testid="speed" onchange={on_speed}>
                    { for speeds.iter().map(|s| html! {
                        <option value={s.to_string()} selected={(*s - props.speed).abs() < 1e-9}>{ format!("{s}×") }</option>
                    }) }
                </select>
            </label>
            <label title="Which AWS limits apply: today's documentation, or the figures of common exam notes (256 KB messages, FIFO 300 messages per second)">
                { "Limits " }
                <select data-testid="limit-profile" onchange={on_limit_profile}>
                    <option value="current" selected={props.limit_profile == LimitProfile::Current}>{ "current AWS" }</option>
                    <option value="exam" selected={props.limit_profile == LimitProfile::Exam}>{ "exam notes" }</option>
                </select>
            </label>
            <span class="clock" data-testid="clock" aria-label="simulated time">{ props.clock.clone() }</span>
            <span class="cost" data-testid="cost" title="Estimated AWS cost of the simulated run">{ format!("${:.6}", props.cost) }</span>
            { props.children.clone() }
        </header>
    }
}
