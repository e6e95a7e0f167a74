//! Charts and figures: CloudWatch-style time series of the selected component's metrics
//! with the value under the cursor, what queueing theory predicts for a worker pool beside
//! what the simulation shows, and the whole scenario's latency and cost.

use loosely_engine::analysis::predict;
use loosely_engine::{format_clock, ComponentKind, ComponentStats};
use yew::prelude::*;

use crate::chart::{format_value, nearest, plot};
use crate::live::{Live, LiveHandle};

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    pub live: LiveHandle,
    /// The simulated clock, microseconds (a new value redraws).
    pub now: u64,
    /// The selected component's id, if exactly one is selected.
    pub selected: Option<String>,
}

const WIDTH: f64 = 260.0;
const HEIGHT: f64 = 70.0;

fn seconds(value: f64) -> String {
    format_clock((value.max(0.0) * 1e6) as u64)
}

/// The time series of one component.
fn series(live: &Live, id: &str, cursor: Option<f64>, on_cursor: &Callback<Option<f64>>) -> Html {
    let Some(index) = live.index_of(id) else {
        return html! {};
    };
    let end = live.now().as_secs_f64().max(1.0);
    let charts = live.simulation().metric_history(index).iter().map(|series| {
        let drawn = plot(series.points(), WIDTH, HEIGHT, end);
        let under = cursor.and_then(|at| nearest(&drawn.points, at * end));
        let on_move = {
            let on_cursor = on_cursor.clone();
            Callback::from(move |event: PointerEvent| {
                let Some(target) = event.current_target() else { return };
                let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target) else {
                    return;
                };
                let rect = element.get_bounding_client_rect();
                if rect.width() > 0.0 {
                    let fraction = (f64::from(event.client_x()) - rect.left()) / rect.width();
                    on_cursor.emit(Some(fraction.clamp(0.0, 1.0)));
                }
            })
        };
        let on_leave = on_cursor.reform(|_: PointerEvent| None);
        let metric = series.metric;
        html! {
            <figure class="chart" data-testid={format!("chart-{}", metric.as_str())}>
                <figcaption>
                    <strong>{ metric.as_str() }</strong>
                    <span>{ format!(" {:?} · {}", metric.statistic(), metric.unit()) }</span>
                </figcaption>
                <svg width={WIDTH.to_string()} height={(HEIGHT + 14.0).to_string()} onpointermove={on_move} onpointerleave={on_leave}>
                    <line class="axis" x1="0" y1={HEIGHT.to_string()} x2={WIDTH.to_string()} y2={HEIGHT.to_string()} />
                    <polyline class="series" points={drawn.polyline.clone()} />
                    <text class="tick" x="2" y="10">{ format_value(drawn.y_max) }</text>
                    <text class="tick" x={WIDTH.to_string()} y={(HEIGHT + 12.0).to_string()} text-anchor="end">{ seconds(end) }</text>
                    if let (Some(at), Some((t, value))) = (cursor, under) {
                        <line class="cursor" x1={(at * WIDTH).to_string()} y1="0" x2={(at * WIDTH).to_string()} y2={HEIGHT.to_string()} />
                        <text class="readout" x="4" y={(HEIGHT + 12.0).to_string()}>
                            { format!("{} at {}", format_value(value), seconds(t)) }
                        </text>
                    }
                </svg>
            </figure>
        }
    });
    html! { <div class="chart-grid">{ for charts }</div> }
}

/// Queueing theory beside the simulation, for a consumer pool (or the pool reading the
/// selected queue).
fn theory(live: &Live, id: &str) -> Html {
    let model = live.simulation().model();
    let Some(index) = live.index_of(id) else {
        return html! {};
    };
    let consumer = model
        .components
        .iter()
        .enumerate()
        .find_map(|(i, c)| match &c.kind {
            ComponentKind::Consumer(spec) if i == index || spec.source == index => Some((i, spec)),
            _ => None,
        });
    let Some((consumer_index, spec)) = consumer else {
        return html! {};
    };
    let predicted = predict(model, spec);
    let queue = live.simulation().stats(spec.source);
    let visible = match &queue {
        Some(ComponentStats::Queue(q)) => q.visible as f64,
        _ => 0.0,
    };
    let busy = match live.simulation().stats(consumer_index) {
        Some(ComponentStats::Consumer(c)) if c.workers > 0 => c.busy as f64 / c.workers as f64,
        _ => 0.0,
    };
    let wait = live
        .simulation()
        .latency()
        .into_iter()
        .find(|path| path.consumer == consumer_index)
        .map(|path| path.summary.p50);
    let or_unstable = |value: Option<f64>, format: fn(f64) -> String| {
        value.map_or("grows without bound (ρ ≥ 1)".to_string(), format)
    };
    html! {
        <section class="theory" data-testid="theory">
            <h3>{ "Queueing theory (M/M/c) beside the simulation" }</h3>
            <table>
                <tr><th></th><th>{ "predicted" }</th><th>{ "simulated now" }</th></tr>
                <tr><td>{ "arrivals λ" }</td><td>{ format!("{:.2} /s", predicted.arrival_rate) }</td><td></td></tr>
                <tr><td>{ "service μ per worker × c" }</td><td>{ format!("{:.2} /s × {}", predicted.service_rate_per_worker, predicted.workers) }</td><td></td></tr>
                <tr><td>{ "utilisation ρ" }</td><td>{ format!("{:.0}%", predicted.utilisation * 100.0) }</td><td>{ format!("{:.0}% busy", busy * 100.0) }</td></tr>
                <tr><td>{ "backlog (Little's law L = λW)" }</td><td>{ or_unstable(predicted.mean_backlog, |b| format!("{b:.2} messages")) }</td><td>{ format!("{visible:.0} visible") }</td></tr>
                <tr><td>{ "wait before a worker" }</td><td>{ or_unstable(predicted.mean_wait_seconds, |w| format!("{w:.3} s")) }</td><td>{ wait.map(|p| format!("p50 {p:.3} s send to delete")).unwrap_or_default() }</td></tr>
                <tr><td>{ "time to drain the current backlog" }</td><td>{ predicted.time_to_drain(visible).map_or("never: no spare capacity".to_string(), |s| format!("{s:.0} s")) }</td><td></td></tr>
            </table>
            if predicted.utilisation >= 1.0 {
                <p class="param-problem">{ "The workers cannot keep up: the queue grows until the producers slow down or messages expire." }</p>
            }
        </section>
    }
}

/// Latency per path and cost of the whole scenario.
fn summary(live: &Live) -> Html {
    let simulation = live.simulation();
    let name = simulation.namer();
    let cost = simulation.cost();
    // Every component with a price: those billed by request show their count.
    let counted = cost
        .queues
        .iter()
        .chain(&cost.topics)
        .chain(&cost.state_machines)
        .chain(&cost.lambdas)
        .chain(&cost.apis)
        .chain(&cost.flows)
        .map(|&(component, requests, usd)| (component, requests.to_string(), usd));
    let by_time = cost
        .compute_environments
        .iter()
        .chain(&cost.brokers)
        .chain(&cost.load_balancers)
        .map(|&(component, usd)| (component, "–".to_string(), usd));
    let lines = counted.chain(by_time).map(|(component, requests, usd)| html! {
        <tr><td>{ name(component) }</td><td>{ requests }</td><td>{ format!("${usd:.6}") }</td></tr>
    });
    let latency = simulation.latency().into_iter().map(|path| {
        let route = format!(
            "{}{} → {}",
            path.producer.map(|p| format!("{} → ", name(p))).unwrap_or_default(),
            name(path.queue),
            name(path.consumer)
        );
        html! {
            <tr><td>{ route }</td><td>{ path.summary.count }</td>
                <td>{ format!("{:.3} s", path.summary.p50) }</td><td>{ format!("{:.3} s", path.summary.p99) }</td></tr>
        }
    });
    html! {
        <section class="summary" data-testid="summary">
            <h3>{ "The whole scenario" }</h3>
            <table>
                <tr><th>{ "cost" }</th><th>{ "requests" }</th><th>{ "USD" }</th></tr>
                { for lines }
                <tr class="total"><td>{ "total" }</td><td>{ cost.requests }</td><td data-testid="total-cost">{ format!("${:.6}", cost.total_usd) }</td></tr>
            </table>
            <table>
                <tr><th>{ "latency, send to delete" }</th><th>{ "messages" }</th><th>{ "p50" }</th><th>{ "p99" }</th></tr>
                { for latency }
            </table>
        </section>
    }
}

#[function_component(Charts)]
pub fn charts(props: &ChartsProps) -> Html {
    // Where the pointer is over a chart, as a fraction of the time axis (shared by all).
    let cursor = use_state(|| None::<f64>);
    let on_cursor = {
        let cursor = cursor.clone();
        Callback::from(move |at: Option<f64>| cursor.set(at))
    };
    let body = props.live.read(|live| {
        html! {
            <>
                if let Some(id) = &props.selected {
                    <div class="charts-for">
                        <h3>{ format!("Metrics of {id} (CloudWatch names, one point per period)") }</h3>
                        { series(live, id, *cursor, &on_cursor) }
                    </div>
                    { theory(live, id) }
                }
                { summary(live) }
            </>
        }
    });
    html! {
        <section class="analysis" data-testid="analysis">
            { body.unwrap_or_default() }
        </section>
    }
}
