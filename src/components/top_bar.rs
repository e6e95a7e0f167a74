use loosely_scenario::LimitProfile;
use yew::prelude::*;

/// The slowest and fastest speeds, simulated seconds per wall second.
pub const MIN_SPEED: f64 = 0.1;
pub const MAX_SPEED: f64 = 10_000.0;

/// The speed at a position of the logarithmic control (`log10` of the speed), rounded to
/// two significant digits so it reads well.
pub fn speed_at(position: f64) -> f64 {
    let raw = 10f64.powf(position.clamp(MIN_SPEED.log10(), MAX_SPEED.log10()));
    let magnitude = 10f64.powf(raw.log10().floor() - 1.0);
    ((raw / magnitude).round() * magnitude).clamp(MIN_SPEED, MAX_SPEED)
}

/// A speed as people read it: `0.1×`, `25×`, `10,000×`.
pub fn speed_label(speed: f64) -> String {
    if speed < 10.0 {
        format!("{}×", (speed * 10.0).round() / 10.0)
    } else {
        let whole = speed.round() as u64;
        let digits = whole.to_string();
        let mut grouped = String::new();
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        format!("{grouped}×")
    }
}

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
    pub seed: u64,
    pub on_new_seed: Callback<()>,
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
    let on_speed = props.on_speed.reform(|event: InputEvent| {
        event
            .target_dyn_into::<web_sys::HtmlInputElement>()
            .and_then(|input| input.value().parse::<f64>().ok())
            .map_or(1.0, speed_at)
    });
    let on_new_seed = props.on_new_seed.reform(|_: MouseEvent| ());
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
            <label class="speed" title="Simulated time per second of yours, 0.1× to 10,000×">
                <input type="range" min={MIN_SPEED.log10().to_string()} max={MAX_SPEED.log10().to_string()} step="0.01"
                    value={props.speed.log10().to_string()} oninput={on_speed} data-testid="speed" />
                <span class="speed-value" data-testid="speed-value">{ speed_label(props.speed) }</span>
            </label>
            <button onclick={on_new_seed} data-testid="new-seed"
                title={format!("Seed {}: the same seed always gives the same run. Start again with another seed.", props.seed)}>
                { "New seed" }
            </button>
            <label title="Which AWS limits apply: today's documentation, or the figures of common exam notes (256 KB messages, FIFO 300 messages per second)">
                <select data-testid="limit-profile" onchange={on_limit_profile}>
                    <option value="current" selected={props.limit_profile == LimitProfile::Current}>{ "AWS limits: current" }</option>
                    <option value="exam" selected={props.limit_profile == LimitProfile::Exam}>{ "AWS limits: exam notes" }</option>
                </select>
            </label>
            <span class="clock" data-testid="clock" aria-label="simulated time">{ props.clock.clone() }</span>
            <span class="cost" data-testid="cost" title="Estimated AWS cost of the simulated run">{ format!("${:.6}", props.cost) }</span>
            { props.children.clone() }
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_speed_control_is_logarithmic_and_reads_well() {
        assert_eq!(speed_at(-1.0), 0.1);
        assert_eq!(speed_at(0.0), 1.0);
        assert_eq!(speed_at(2.0), 100.0);
        assert_eq!(speed_at(4.0), 10_000.0);
        assert_eq!(speed_at(9.0), 10_000.0, "clamped");
        assert_eq!(speed_at(1.4), 25.0);
        assert_eq!(speed_label(0.1), "0.1×");
        assert_eq!(speed_label(2.5), "2.5×");
        assert_eq!(speed_label(25.0), "25×");
        assert_eq!(speed_label(10_000.0), "10,000×");
    }
}
