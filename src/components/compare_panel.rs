//! Compare: pick a component, one of its settings and another value; both versions run under
//! the same seed (a slice per animation frame) and their totals and a chosen metric are
//! overlaid. Several values separated by commas make a sweep: one run per value, the
//! figures of `loosely sweep` drawn as bars.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use loosely_engine::{format_clock, Metric, SimDuration};
use loosely_scenario::Scenario;
use yew::prelude::*;

use crate::app::now_ms;
use crate::chart::{format_value, nice_ceiling, plot, polyline};
use crate::compare::{Change, Comparison, Totals};
use crate::inspector_model::{fields, parse, value, Control};
use crate::sweep_run::{SweepRun, FIGURES};

#[derive(Properties, PartialEq)]
pub struct ComparePanelProps {
    pub scenario: Scenario,
    /// The selected component, the first one offered.
    pub selected: Option<String>,
    pub on_close: Callback<()>,
}

const WIDTH: f64 = 520.0;
const HEIGHT: f64 = 150.0;

/// Wall-clock milliseconds of simulation per frame.
const FRAME_BUDGET_MS: f64 = 12.0;

/// Events of a sweep's variant between two looks at the clock.
const EVENTS_PER_SLICE: u32 = 2_000;

/// The settings worth comparing: numbers, switches and choices.
fn comparable(kind: &str) -> Vec<crate::inspector_model::Field> {
    fields(kind)
        .into_iter()
        .filter(|f| {
            f.simulated
                && matches!(
                    f.control,
                    Control::Integer | Control::Number | Control::Boolean | Control::Choice(_)
                )
        })
        .collect()
}

/// A row of the totals table: label, as is, changed, and how to show a value.
type Row = (&'static str, f64, f64, fn(f64) -> String);

fn rows(totals: &[Totals; 2]) -> Vec<Row> {
    let count = |v: f64| format!("{v:.0}");
    let secs = |v: f64| format!("{v:.2} s");
    let usd = |v: f64| format!("${v:.6}");
    let [a, b] = totals;
    vec![
        ("Messages sent", a.sent as f64, b.sent as f64, count),
        (
            "Processed and deleted",
            a.deleted as f64,
            b.deleted as f64,
            count,
        ),
        (
            "Duplicate deliveries (receives after the first)",
            a.redeliveries as f64,
            b.redeliveries as f64,
            count,
        ),
        (
            "Moved to a DLQ",
            a.dead_lettered as f64,
            b.dead_lettered as f64,
            count,
        ),
        (
            "Latency p50 (worst path)",
            a.p50_seconds,
            b.p50_seconds,
            secs,
        ),
        (
            "Latency p99 (worst path)",
            a.p99_seconds,
            b.p99_seconds,
            secs,
        ),
        ("Cost", a.cost_usd, b.cost_usd, usd),
    ]
}

#[function_component(ComparePanel)]
pub fn compare_panel(props: &ComparePanelProps) -> Html {
    let loaded = crate::components::inspector::use_schema();
    let first = props
        .selected
        .clone()
        .or_else(|| {
            props
                .scenario
                .components
                .first()
                .map(|c| c.id().to_string())
        })
        .unwrap_or_default();
    let component = use_state(|| first);
    let parameter = use_state(String::new);
    let text = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let metric = use_state(|| None::<Metric>);
    let comparison: Rc<RefCell<Option<Comparison>>> = use_mut_ref(|| None);
    let sweep: Rc<RefCell<Option<SweepRun>>> = use_mut_ref(|| None);
    // Which of FIGURES the sweep chart shows: latency p99 first.
    let figure = use_state(|| 5usize);
    let frame: Rc<RefCell<Option<AnimationFrame>>> = use_mut_ref(|| None);
    let force = use_force_update();

    let chosen = props
        .scenario
        .components
        .iter()
        .find(|c| c.id() == *component)
        .cloned();
    let kind = chosen
        .as_ref()
        .and_then(|c| serde_json::to_value(c).ok())
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
        .unwrap_or_default();
    let options = comparable(&kind);
    let field = options
        .iter()
        .find(|f| f.name == *parameter)
        .or(options.first())
        .cloned();
    let current = match (&chosen, &field) {
        (Some(c), Some(f)) => value(c, &f.name)
            .map(|v| v.to_string())
            .or_else(|| f.default.clone())
            .unwrap_or_default(),
        _ => String::new(),
    };

    // Advances the comparison a slice per frame until both runs end.
    let tick: Rc<dyn Fn()> = {
        let (comparison, sweep, frame, force, problem) = (
            comparison.clone(),
            sweep.clone(),
            frame.clone(),
            force.clone(),
            problem.clone(),
        );
        Rc::new(move || {
            type Runs = (
                Rc<RefCell<Option<Comparison>>>,
                Rc<RefCell<Option<SweepRun>>>,
            );
            fn step(
                runs: Runs,
                frame: Rc<RefCell<Option<AnimationFrame>>>,
                force: UseForceUpdateHandle,
                problem: UseStateHandle<Option<String>>,
            ) {
                let started = now_ms();
                let mut finished = true;
                if let Some(running) = runs.0.borrow_mut().as_mut() {
                    finished = running.finished();
                    while !finished && now_ms() - started < FRAME_BUDGET_MS {
                        finished = running.work(SimDuration::from_secs(30));
                    }
                }
                if let Some(running) = runs.1.borrow_mut().as_mut() {
                    finished = running.finished();
                    while !finished && now_ms() - started < FRAME_BUDGET_MS {
                        match running.work(EVENTS_PER_SLICE) {
                            Ok(done) => finished = done,
                            Err(error) => {
                                problem.set(Some(error));
                                finished = true;
                            }
                        }
                    }
                }
                force.force_update();
                if !finished {
                    let next = (runs.0.clone(), runs.1.clone());
                    let (f, u, p) = (frame.clone(), force.clone(), problem.clone());
                    *frame.borrow_mut() =
                        Some(request_animation_frame(move |_| step(next, f, u, p)));
                }
            }
            step(
                (comparison.clone(), sweep.clone()),
                frame.clone(),
                force.clone(),
                problem.clone(),
            );
        })
    };
    {
        let frame = frame.clone();
        use_effect_with((), move |_| move || drop(frame.borrow_mut().take()));
    }

    let on_component = {
        let (component, parameter, text) = (component.clone(), parameter.clone(), text.clone());
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            component.set(select.value());
            parameter.set(String::new());
            text.set(String::new());
        })
    };
    let on_parameter = {
        let (parameter, text) = (parameter.clone(), text.clone());
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            parameter.set(select.value());
            text.set(String::new());
        })
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            text.set(input.value());
        })
    };
    let on_run = {
        let (comparison, sweep, problem, metric, tick) = (
            comparison.clone(),
            sweep.clone(),
            problem.clone(),
            metric.clone(),
            tick.clone(),
        );
        let scenario = props.scenario.clone();
        let component = (*component).clone();
        let field = field.clone();
        let typed = (*text).clone();
        Callback::from(move |_: MouseEvent| {
            let Some(field) = &field else {
                problem.set(Some("This component has no setting to compare.".into()));
                return;
            };
            if typed.contains(',') {
                // A sweep: every value typed, each checked like the inspector checks it.
                let mut values = Vec::new();
                for part in typed.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    match parse(field, part) {
                        Ok(Some(value)) => values.push(value),
                        Ok(None) => {}
                        Err(error) => {
                            problem.set(Some(error));
                            return;
                        }
                    }
                }
                match SweepRun::new(&scenario, &component, &field.name, values) {
                    Ok(ready) => {
                        *comparison.borrow_mut() = None;
                        *sweep.borrow_mut() = Some(ready);
                        problem.set(None);
                        tick();
                    }
                    Err(error) => problem.set(Some(error)),
                }
                return;
            }
            let parsed = match parse(field, &typed) {
                Ok(Some(value)) => value,
                Ok(None) => {
                    problem.set(Some(format!(
                        "{}: type the value to compare with.",
                        field.name
                    )));
                    return;
                }
                Err(error) => {
                    problem.set(Some(error));
                    return;
                }
            };
            let change = Change {
                component: component.clone(),
                parameter: field.name.clone(),
                value: parsed,
            };
            match Comparison::new(&scenario, change) {
                Ok(ready) => {
                    metric.set(ready.metrics(&component).first().copied());
                    *sweep.borrow_mut() = None;
                    *comparison.borrow_mut() = Some(ready);
                    problem.set(None);
                    tick();
                }
                Err(error) => problem.set(Some(error)),
            }
        })
    };

    let results = comparison.borrow().as_ref().map(|running| {
        let totals = running.totals();
        let progress = format!(
            "{} of {} simulated{}",
            format_clock(running.reached().as_micros()),
            format_clock(running.duration().as_micros()),
            if running.finished() { "" } else { " …" }
        );
        let table = rows(&totals).into_iter().map(|(label, a, b, show)| {
            let delta = b - a;
            let class = if delta.abs() < 1e-12 { "same" } else { "differs" };
            html! {
                <tr class={class}>
                    <th scope="row">{ label }</th>
                    <td>{ show(a) }</td>
                    <td>{ show(b) }</td>
                    <td>{ if delta.abs() < 1e-12 { "=".to_string() } else { format!("{}{}", if delta > 0.0 { "+" } else { "−" }, show(delta.abs())) } }</td>
                </tr>
            }
        });
        let id = running.change.component.clone();
        let metrics = running.metrics(&id);
        let shown = (*metric).or(metrics.first().copied());
        let chart = shown.map(|m| {
            let [a, b] = running.series(&id, m);
            let end = running.reached().as_secs_f64().max(1.0);
            let (pa, pb) = (plot(&a, WIDTH, HEIGHT, end), plot(&b, WIDTH, HEIGHT, end));
            // One scale for both lines.
            let top = nice_ceiling(pa.y_max.max(pb.y_max));
            let (pa, pb) = (
                polyline(&pa.points, top, end, WIDTH, HEIGHT),
                polyline(&pb.points, top, end, WIDTH, HEIGHT),
            );
            html! {
                <figure class="compare-chart" data-testid="compare-chart">
                    <figcaption>
                        <strong>{ m.as_str() }</strong>{ format!(" of {id} · {} · top {}", m.unit(), format_value(top)) }
                    </figcaption>
                    <svg width={WIDTH.to_string()} height={(HEIGHT + 4.0).to_string()}>
                        <line class="axis" x1="0" y1={HEIGHT.to_string()} x2={WIDTH.to_string()} y2={HEIGHT.to_string()} />
                        <polyline class="line as-is" points={pa} />
                        <polyline class="line changed" points={pb} />
                    </svg>
                </figure>
            }
        });
        let on_metric = {
            let metric = metric.clone();
            let metrics = metrics.clone();
            Callback::from(move |event: Event| {
                let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
                metric.set(metrics.iter().copied().find(|m| m.as_str() == select.value()));
            })
        };
        html! {
            <div class="compare-results" data-testid="compare-results" data-finished={running.finished().to_string()}>
                <p class="hint" data-testid="compare-progress">{ progress }</p>
                <table class="compare-table">
                    <thead><tr><th />
                        <th><span class="key as-is" />{ "as is" }</th>
                        <th><span class="key changed" />{ running.change.label() }</th>
                        <th>{ "difference" }</th></tr></thead>
                    <tbody>{ for table }</tbody>
                </table>
                <label>{ "Metric " }
                    <select onchange={on_metric} data-testid="compare-metric">
                        { for metrics.iter().map(|m| html! {
                            <option value={m.as_str()} selected={Some(*m) == shown}>{ m.as_str() }</option>
                        }) }
                    </select>
                </label>
                { for chart }
            </div>
        }
    });

    let swept = sweep
        .borrow()
        .as_ref()
        .map(|running| sweep_results(running, &figure));

    html! {
        <div class="overlay" role="dialog" aria-label="Compare">
            <section class="gallery compare" data-testid="compare">
                <header>
                    <h2>{ "Compare" }</h2>
                    <span class="hint">{ "Run this scenario beside a copy with one setting changed, under the same seed and load, or type several values for a sweep. (Arrivals drift a little once the runs draw differently: one random stream feeds the whole simulation.)" }</span>
                    <button onclick={props.on_close.reform(|_: MouseEvent| ())} data-testid="compare-close">{ "Close" }</button>
                </header>
                <div class="compare-body">
                    { for crate::components::inspector::schema_note(&loaded) }
                    // The form waits for the parameter schema: its settings come from it.
                    if matches!(loaded, Ok(true)) {
                    <div class="compare-form">
                        <label>{ "Component " }
                            <select onchange={on_component} data-testid="compare-component">
                                { for props.scenario.components.iter().map(|c| html! {
                                    <option value={c.id().to_string()} selected={c.id() == *component}>{ c.display_name().to_string() }</option>
                                }) }
                            </select>
                        </label>
                        <label>{ "Setting " }
                            <select onchange={on_parameter} data-testid="compare-parameter">
                                { for options.iter().map(|f| html! {
                                    <option value={f.name.clone()} selected={field.as_ref().is_some_and(|x| x.name == f.name)} title={f.description.clone()}>{ f.name.clone() }</option>
                                }) }
                            </select>
                        </label>
                        <span class="hint">{ format!("now {}", if current.is_empty() { "default".to_string() } else { current.clone() }) }</span>
                        <label title="One value runs both versions; several, separated by commas, run a sweep">{ "Compare with " }
                            <input value={(*text).clone()} oninput={on_text} data-testid="compare-value"
                                placeholder={field.as_ref().and_then(|f| f.range).map(|(a, b)| format!("{a}..={b}, or a,b,c for a sweep")).unwrap_or_else(|| "a value, or a,b,c for a sweep".to_string())} />
                        </label>
                        <button class="primary" onclick={on_run} data-testid="compare-run">{ if text.contains(',') { "Run sweep" } else { "Run both" } }</button>
                    </div>
                    }
                    if let Some(problem) = &*problem {
                        <p class="refusal" role="alert" data-testid="compare-problem">{ problem.clone() }</p>
                    }
                    { for results }
                    { for swept }
                </div>
            </section>
        </div>
    }
}

const BAR_HEIGHT: f64 = 150.0;

/// A sweep's progress, its figures as bars (one per value) and as a table, and its CSV.
fn sweep_results(running: &SweepRun, figure: &UseStateHandle<usize>) -> Html {
    let labels = running.labels();
    let (title, column, unit) = FIGURES[(**figure).min(FIGURES.len() - 1)];
    let values: Vec<f64> = running
        .outcomes
        .iter()
        .map(|outcome| outcome.values()[column])
        .collect();
    let top = nice_ceiling(
        values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max),
    );
    let slot = WIDTH / labels.len().max(1) as f64;
    let bars = labels.iter().enumerate().map(|(index, label)| {
        let x = slot * index as f64 + slot * 0.2;
        let value = values.get(index).copied();
        let height = match value {
            Some(v) if v.is_finite() && top > 0.0 => (v / top) * BAR_HEIGHT,
            _ => 0.0,
        };
        let shown = value.map_or("…".to_string(), |v| unit.show(v));
        html! {
            <g data-testid="sweep-bar">
                <rect class="bar" x={x.to_string()} y={(BAR_HEIGHT - height + 16.0).to_string()}
                    width={(slot * 0.6).to_string()} height={height.to_string()}>
                    <title>{ format!("{} = {label}: {shown}", running.setting.path) }</title>
                </rect>
                <text x={(x + slot * 0.3).to_string()} y={(BAR_HEIGHT - height + 12.0).to_string()} text-anchor="middle">{ shown }</text>
                <text x={(x + slot * 0.3).to_string()} y={(BAR_HEIGHT + 30.0).to_string()} text-anchor="middle">{ label.clone() }</text>
            </g>
        }
    });
    let on_figure = {
        let figure = figure.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            figure.set(select.value().parse().unwrap_or(5));
        })
    };
    let csv = running.csv();
    let name = format!("sweep-{}.csv", running.setting.path.replace('.', "-"));
    let on_csv = Callback::from(move |_: MouseEvent| {
        let _ = crate::components::share_menu::download_as(&name, &csv, "text/csv");
    });
    let rows = labels
        .iter()
        .zip(&running.outcomes)
        .map(|(label, outcome)| {
            let cells = FIGURES.iter().map(|(_, column, unit)| {
                html! { <td>{ unit.show(outcome.values()[*column]) }</td> }
            });
            html! { <tr><th scope="row">{ label.clone() }</th>{ for cells }</tr> }
        });
    html! {
        <div class="compare-results sweep" data-testid="sweep-results" data-finished={running.finished().to_string()}>
            <p class="hint" data-testid="sweep-progress">{ format!(
                "{} of {} variants run{} · the same seed for each · as `loosely sweep --set {}={}` prints them",
                running.outcomes.len(), running.total(), if running.finished() { "" } else { " …" },
                running.setting.path, labels.join(",")) }</p>
            <label>{ "Figure " }
                <select onchange={on_figure} data-testid="sweep-figure">
                    { for FIGURES.iter().enumerate().map(|(index, (label, _, _))| html! {
                        <option value={index.to_string()} selected={index == **figure}>{ *label }</option>
                    }) }
                </select>
            </label>
            <figure class="compare-chart" data-testid="sweep-chart">
                <figcaption><strong>{ title }</strong>{ format!(" by {}", running.setting.path) }</figcaption>
                <svg width={WIDTH.to_string()} height={(BAR_HEIGHT + 36.0).to_string()}
                    role="img" aria-label={format!("{title} for each value of {}", running.setting.path)}>
                    <line class="axis" x1="0" y1={(BAR_HEIGHT + 16.0).to_string()} x2={WIDTH.to_string()} y2={(BAR_HEIGHT + 16.0).to_string()} />
                    { for bars }
                </svg>
            </figure>
            <table class="compare-table">
                <thead><tr><th>{ running.setting.path.clone() }</th>
                    { for FIGURES.iter().map(|(label, _, _)| html! { <th>{ *label }</th> }) }</tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <button onclick={on_csv} data-testid="sweep-csv" disabled={!running.finished()}>{ "Download CSV" }</button>
        </div>
    }
}
