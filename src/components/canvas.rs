//! The SVG canvas: the scenario's components as nodes with live numbers, connections as
//! arrows, RedrivePolicies as dashed arrows. Nodes drag, the background pans, the wheel
//! zooms; every change goes through the editor's reducer.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use loosely_engine::ComponentStats;
use loosely_scenario::{Component, Position, Scenario};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::drawing::{dead_letter_target, edge_path, redrive_path};

use crate::live::ComponentView;
use crate::state::{
    copy_selection, snap_to_grid, EditorAction, EditorState, Fragment, PaletteKind, NODE_HEIGHT,
    NODE_WIDTH, PASTE_OFFSET,
};

#[derive(Properties, PartialEq)]
pub struct CanvasProps {
    pub state: Rc<EditorState>,
    /// Live numbers per component id; empty when the scenario does not run.
    pub views: Vec<ComponentView>,
    pub dispatch: Callback<EditorAction>,
    /// The palette entry being dragged, if any; dropped where the pointer is released.
    pub dragged_kind: Rc<Cell<Option<PaletteKind>>>,
    /// Validation problems by component id: those nodes carry a red mark.
    #[prop_or_default]
    pub problems: Vec<(String, String)>,
}

/// What a pressed pointer is doing.
#[derive(Clone, Debug, PartialEq)]
enum Gesture {
    Idle,
    MoveNode {
        id: String,
        start: (f64, f64),
        origin: Position,
        additive: bool,
        moved: bool,
    },
    Pan {
        last: (f64, f64),
        moved: bool,
    },
    Connect {
        from: String,
    },
    /// Rubber-band selection (Shift+drag on the background), world pixels.
    Band {
        start: (f64, f64),
        end: (f64, f64),
    },
}

/// The components whose boxes meet the rectangle spanned by two world points.
fn inside_band(scenario: &Scenario, a: (f64, f64), b: (f64, f64)) -> Vec<String> {
    let (left, right) = (a.0.min(b.0), a.0.max(b.0));
    let (top, bottom) = (a.1.min(b.1), a.1.max(b.1));
    scenario
        .components
        .iter()
        .filter(|c| {
            let p = c.position();
            p.x <= right && p.x + NODE_WIDTH >= left && p.y <= bottom && p.y + NODE_HEIGHT >= top
        })
        .map(|c| c.id().to_string())
        .collect()
}

/// A primary-button press on something drawn on the canvas: keeps it from reaching the
/// background (which would pan) and gives the canvas the keyboard (Delete, Ctrl+Z).
/// False for other buttons.
fn press_on_canvas(event: &PointerEvent, canvas_ref: &NodeRef) -> bool {
    if event.button() != 0 {
        return false;
    }
    event.stop_propagation();
    if let Some(element) = canvas_ref.cast::<web_sys::HtmlElement>() {
        let _ = element.focus();
    }
    true
}

/// Zoom factor of one +/- button press.
const ZOOM_STEP: f64 = 1.25;

/// The pointer's position relative to the top-left corner of `element`, screen pixels.
fn relative_to(element: &web_sys::HtmlElement, event: &MouseEvent) -> (f64, f64) {
    let mut left = 0.0;
    let mut top = 0.0;
    let mut current: Option<web_sys::Element> = Some(element.clone().into());
    while let Some(node) = current {
        let Some(html) = node.dyn_ref::<web_sys::HtmlElement>() else {
            break;
        };
        left += f64::from(html.offset_left() - html.scroll_left());
        top += f64::from(html.offset_top() - html.scroll_top());
        current = html.offset_parent();
    }
    let (scroll_x, scroll_y) = web_sys::window()
        .map(|window| {
            (
                window.scroll_x().unwrap_or(0.0),
                window.scroll_y().unwrap_or(0.0),
            )
        })
        .unwrap_or((0.0, 0.0));
    (
        f64::from(event.client_x()) - (left - scroll_x),
        f64::from(event.client_y()) - (top - scroll_y),
    )
}

fn client(event: &MouseEvent) -> (f64, f64) {
    (f64::from(event.client_x()), f64::from(event.client_y()))
}

/// A simple drawing of the kind, in a 28×28 box.
fn icon(component: &Component) -> Html {
    match component {
        Component::Producer(_) => html! {
            <g class="icon">
                <circle cx="8" cy="14" r="6" />
                <path d="M14 14 H26 M21 9 L26 14 L21 19" />
            </g>
        },
        Component::SqsQueue(queue) => {
            let fifo = queue.parameters.fifo_queue == Some(true);
            html! {
                <g class="icon">
                    <rect x="1" y="8" width="7" height="12" rx="1" />
                    <rect x="10" y="8" width="7" height="12" rx="1" />
                    <rect x="19" y="8" width="7" height="12" rx="1" />
                    if fifo { <path d="M1 25 H26 M22 22 L26 25 L22 28" /> }
                </g>
            }
        }
        Component::Consumer(_) => html! {
            <g class="icon">
                <circle cx="7" cy="8" r="4" />
                <circle cx="21" cy="8" r="4" />
                <circle cx="7" cy="21" r="4" />
                <circle cx="21" cy="21" r="4" />
            </g>
        },
        Component::SnsTopic(_) => html! {
            <g class="icon">
                <circle cx="5" cy="14" r="4" />
                <path d="M9 14 L26 3 M9 14 H26 M9 14 L26 25" />
            </g>
        },
        Component::Endpoint(_) => html! {
            <g class="icon">
                <circle cx="14" cy="14" r="11" />
                <ellipse cx="14" cy="14" rx="5" ry="11" />
                <path d="M3 14 H25" />
            </g>
        },
        Component::S3Bucket(_) => html! {
            <g class="icon">
                <path d="M3 6 H25 L22 25 H6 Z" />
                <ellipse cx="14" cy="6" rx="11" ry="3" />
            </g>
        },
        Component::StateMachine(_) => html! {
            <g class="icon">
                <rect x="2" y="2" width="10" height="8" rx="2" />
                <rect x="16" y="18" width="10" height="8" rx="2" />
                <path d="M7 10 V22 H16" />
            </g>
        },
        Component::LambdaFunction(_) => html! {
            <g class="icon">
                <path d="M4 25 L12 13 M8 3 H12 L22 25 H26" />
            </g>
        },
        Component::ApiGateway(_) => html! {
            <g class="icon">
                <rect x="9" y="2" width="10" height="24" rx="2" />
                <path d="M1 8 H9 M1 14 H9 M1 20 H9 M19 14 H27 M23 10 L27 14 L23 18" />
            </g>
        },
        Component::ClientPopulation(_) => html! {
            <g class="icon">
                <circle cx="7" cy="9" r="4" />
                <circle cx="20" cy="9" r="4" />
                <path d="M1 25 C1 17 13 17 13 25 M14 25 C14 17 26 17 26 25" />
            </g>
        },
        // One entry fanning out to three instances.
        Component::ApplicationLoadBalancer(_) => html! {
            <g class="icon">
                <circle cx="5" cy="14" r="4" />
                <path d="M9 14 H13 M13 14 L21 5 M13 14 H21 M13 14 L21 23" />
                <rect x="21" y="2" width="6" height="6" />
                <rect x="21" y="11" width="6" height="6" />
                <rect x="21" y="20" width="6" height="6" />
            </g>
        },
        // Two stacked broker instances (the lower one the standby) with a queue of
        // messages passing through.
        Component::MqBroker(_) => html! {
            <g class="icon">
                <rect x="3" y="2" width="22" height="10" rx="2" />
                <rect x="3" y="16" width="22" height="10" rx="2" stroke-dasharray="3 2" />
                <path d="M7 7 H11 M13 7 H17 M19 7 H21 M14 12 V16" />
            </g>
        },
        Component::BatchJobQueue(_) => html! {
            <g class="icon">
                <rect x="2" y="4" width="24" height="6" rx="1" />
                <rect x="2" y="12" width="24" height="6" rx="1" />
                <rect x="2" y="20" width="14" height="6" rx="1" />
            </g>
        },
        Component::AppflowFlow(_) => html! {
            <g class="icon">
                <circle cx="5" cy="14" r="4" />
                <path d="M9 14 C13 6 15 6 19 14 S25 22 27 14" />
                <path d="M21 4 H27 V10 M27 4 L21 10" />
            </g>
        },
        Component::BatchComputeEnvironment(_) => html! {
            <g class="icon">
                <rect x="3" y="3" width="22" height="22" rx="2" />
                <rect x="8" y="8" width="12" height="12" />
                <path d="M11 3 V0 M17 3 V0 M11 25 V28 M17 25 V28 M3 11 H0 M3 17 H0 M25 11 H28 M25 17 H28" />
            </g>
        },
    }
}

/// One or two live numbers of a component, short enough for a node.
pub fn numbers(stats: &ComponentStats) -> String {
    match stats {
        ComponentStats::Queue(q) => format!("{} visible / {} in flight", q.visible, q.in_flight),
        ComponentStats::Producer(p) => format!("{} sent", p.sent),
        ComponentStats::Consumer(c) => format!("{}/{} workers busy", c.busy, c.workers),
        ComponentStats::Topic(t) => format!("{} published", t.published),
        ComponentStats::Endpoint(e) => format!("{} received", e.received),
        ComponentStats::Bucket(b) => format!("{} objects", b.objects),
        ComponentStats::StateMachine(m) => format!("{} running", m.running),
        ComponentStats::Lambda(l) if l.throttles > 0 => format!(
            "{}/{} running, {} throttled",
            l.running, l.concurrency_limit, l.throttles
        ),
        ComponentStats::Lambda(l) => format!("{}/{} running", l.running, l.concurrency_limit),
        ComponentStats::Api(loosely_engine::ApiStats {
            websocket: Some(w), ..
        }) => format!(
            "{} open, {} msgs, {} errors",
            w.open_connections,
            w.messages,
            w.client_errors + w.integration_errors + w.execution_errors
        ),
        ComponentStats::Api(a) => format!(
            "{} calls, {} 4XX, {} 5XX",
            a.count, a.errors_4xx, a.errors_5xx
        ),
        ComponentStats::Clients(c) => format!(
            "{} ok / {} failed, {} retries",
            c.succeeded,
            c.failed + c.timed_out,
            c.retries
        ),
        ComponentStats::BatchJobQueue(q) => format!(
            "{} runnable / {} running",
            q.runnable,
            q.starting + q.running
        ),
        ComponentStats::BatchComputeEnvironment(e) => {
            format!("{}/{} vCPUs in use", e.vcpus_in_use, e.max_vcpus)
        }
        ComponentStats::Broker(b) => format!(
            "{} ready / {} unacked",
            b.queues.iter().map(|q| q.ready).sum::<u64>(),
            b.queues.iter().map(|q| q.unacknowledged).sum::<u64>()
        ),
        ComponentStats::Flow(f) => format!(
            "{} runs, last {}",
            f.runs_started,
            f.last_run.map_or("none", |status| status.as_str())
        ),
        ComponentStats::LoadBalancer(l) => format!(
            "{}/{} healthy, {} 5XX",
            l.healthy,
            l.targets.iter().filter(|t| t.state.registered()).count(),
            l.target_5xx + l.elb_502 + l.elb_503 + l.elb_504
        ),
    }
}

/// A load balancer's instances as small boxes along the bottom of its node, shaped by health
/// (healthy: filled; unhealthy: crossed; initial: dashed outline; draining: half filled), so
/// the state reads without colour too.
fn target_row(id: &str, stats: &ComponentStats) -> Option<Html> {
    let ComponentStats::LoadBalancer(l) = stats else {
        return None;
    };
    let (marks, more) = crate::badges::target_marks(l);
    let y = NODE_HEIGHT - 15.0;
    let boxes = marks.into_iter().enumerate().map(|(index, mark)| {
        let x = 12.0 + index as f64 * 11.0;
        let state = mark.state;
        html! {
            <g class={classes!("target", state)} transform={format!("translate({x} {y})")}
                data-testid={format!("node-{id}-target-{index}")}>
                <title>{ mark.title }</title>
                <rect class="target-box" width="8" height="8" />
                if state == "unhealthy" {
                    <path class="target-cross" d="M0 0 L8 8 M8 0 L0 8" />
                }
                if state == "draining" {
                    <path class="target-half" d="M0 8 L8 0 L8 8 Z" />
                }
            </g>
        }
    });
    Some(html! {
        <g class="targets">
            { for boxes }
            if more > 0 {
                <text class="target-more" x={(12.0 + crate::badges::TARGET_MARKS as f64 * 11.0).to_string()}
                    y={(y + 8.0).to_string()}>{ format!("+{more}") }</text>
            }
        </g>
    })
}

/// The live badges as pills along the node's top edge, from the right.
fn badge_pills(id: &str, stats: &ComponentStats) -> Html {
    let mut right = NODE_WIDTH - 6.0;
    let pills = crate::badges::badges(stats).into_iter().map(|badge| {
        // About 6.2 px a character at the badge's font size, plus padding.
        let width = badge.text.chars().count() as f64 * 6.2 + 10.0;
        right -= width + 4.0;
        let kind = badge.kind.as_str();
        html! {
            <g class={format!("badge badge-{kind}")} transform={format!("translate({} -9)", right + 4.0)}
                data-testid={format!("node-{id}-badge-{kind}")}>
                <title>{ badge.title }</title>
                <rect width={width.to_string()} height="16" rx="8" />
                <text x={(width / 2.0).to_string()} y="11.5" text-anchor="middle">{ badge.text }</text>
            </g>
        }
    });
    html! { <g class="badges">{ for pills }</g> }
}

/// A queue's stacked gauge (visible, in flight, delayed) along the bottom of its node, or a
/// pool's busy workers: bars whose widths are shares of the node's width.
fn gauge(stats: &ComponentStats) -> Option<Html> {
    let width = NODE_WIDTH - 24.0;
    let (parts, total): (Vec<(&str, f64)>, f64) = match stats {
        ComponentStats::Queue(q) => {
            let parts = vec![
                ("visible", f64::from(q.visible)),
                ("in-flight", f64::from(q.in_flight)),
                ("delayed", f64::from(q.delayed)),
            ];
            // The scale grows in steps of ten so the bars do not jitter.
            let held = f64::from(q.visible + q.in_flight + q.delayed);
            (parts, 10f64.powf(held.max(1.0).log10().ceil()).max(10.0))
        }
        ComponentStats::Consumer(c) => (
            vec![("busy", f64::from(c.busy))],
            f64::from(c.workers.max(1)),
        ),
        ComponentStats::BatchComputeEnvironment(e) => (
            vec![
                ("busy", e.vcpus_in_use),
                ("in-flight", (e.vcpus_provisioned - e.vcpus_in_use).max(0.0)),
            ],
            f64::from(e.max_vcpus.max(1)),
        ),
        _ => return None,
    };
    let mut x = 12.0;
    let bars = parts.into_iter().map(|(class, value)| {
        let w = (value / total).clamp(0.0, 1.0) * width;
        let bar = html! { <rect class={classes!("gauge", class)} x={x.to_string()} y={(NODE_HEIGHT - 9.0).to_string()} width={w.to_string()} height="4" /> };
        x += w;
        bar
    });
    Some(html! {
        <g class="gauges">
            <rect class="gauge-track" x="12" y={(NODE_HEIGHT - 9.0).to_string()} width={width.to_string()} height="4" />
            { for bars }
        </g>
    })
}

#[function_component(Canvas)]
pub fn canvas(props: &CanvasProps) -> Html {
    let gesture: Rc<RefCell<Gesture>> = use_mut_ref(|| Gesture::Idle);
    // Copied components and how many times they were pasted.
    let clipboard: Rc<RefCell<Option<(Fragment, u32)>>> = use_mut_ref(|| None);
    // The component whose name is being edited in place.
    let renaming = use_state(|| None::<String>);
    let canvas_ref = use_node_ref();
    // Where the dragged node is drawn until the pointer is released.
    let preview = use_state(|| None::<(String, Position)>);
    // The end of a connection being drawn, in world pixels.
    let pointer_world = use_state(|| None::<(f64, f64)>);
    let state = props.state.clone();
    let viewport = state.viewport;
    let scenario = &state.scenario;

    let position_of = |component: &Component| -> Position {
        match &*preview {
            Some((id, position)) if id == component.id() => *position,
            _ => component.position(),
        }
    };

    let on_pointer_move = {
        let canvas_ref = canvas_ref.clone();
        let gesture = gesture.clone();
        let preview = preview.clone();
        let pointer_world = pointer_world.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: PointerEvent| {
            let now = client(&event);
            let mut current = gesture.borrow_mut();
            match &mut *current {
                Gesture::Idle => {}
                Gesture::MoveNode {
                    id,
                    start,
                    origin,
                    moved,
                    ..
                } => {
                    let (dx, dy) = (now.0 - start.0, now.1 - start.1);
                    if dx.abs() + dy.abs() > 3.0 {
                        *moved = true;
                    }
                    if *moved {
                        preview.set(Some((
                            id.clone(),
                            snap_to_grid(Position {
                                x: origin.x + dx / viewport.zoom,
                                y: origin.y + dy / viewport.zoom,
                            }),
                        )));
                    }
                }
                Gesture::Pan { last, moved } => {
                    let (dx, dy) = (now.0 - last.0, now.1 - last.1);
                    if dx != 0.0 || dy != 0.0 {
                        *moved = true;
                        *last = now;
                        dispatch.emit(EditorAction::Pan { dx, dy });
                    }
                }
                Gesture::Connect { .. } => {
                    if let Some(element) = canvas_ref.cast::<web_sys::HtmlElement>() {
                        pointer_world.set(Some(viewport.to_world(relative_to(&element, &event))));
                    }
                }
                Gesture::Band { end, .. } => {
                    if let Some(element) = canvas_ref.cast::<web_sys::HtmlElement>() {
                        *end = viewport.to_world(relative_to(&element, &event));
                        pointer_world.set(Some(*end));
                    }
                }
            }
        })
    };

    // Ends whatever the pointer was doing; a release over the background.
    let finish = {
        let canvas_ref = canvas_ref.clone();
        let gesture = gesture.clone();
        let preview = preview.clone();
        let pointer_world = pointer_world.clone();
        let dispatch = props.dispatch.clone();
        let dragged_kind = props.dragged_kind.clone();
        let scenario = state.scenario.clone();
        move |event: &PointerEvent| {
            let ended = gesture.replace(Gesture::Idle);
            match ended {
                Gesture::MoveNode {
                    id,
                    moved,
                    additive,
                    ..
                } => {
                    if moved {
                        if let Some((_, position)) = (*preview).clone() {
                            dispatch.emit(EditorAction::MoveComponent { id, position });
                        }
                    } else {
                        dispatch.emit(EditorAction::Select { id, additive });
                    }
                }
                Gesture::Pan { moved: false, .. } => dispatch.emit(EditorAction::ClearSelection),
                Gesture::Band { start, end } => dispatch.emit(EditorAction::SelectMany {
                    ids: inside_band(&scenario, start, end),
                    additive: true,
                }),
                Gesture::Pan { .. } | Gesture::Connect { .. } | Gesture::Idle => {}
            }
            preview.set(None);
            pointer_world.set(None);
            if let Some(kind) = dragged_kind.take() {
                if let Some(element) = canvas_ref.cast::<web_sys::HtmlElement>() {
                    let (x, y) = viewport.to_world(relative_to(&element, event));
                    dispatch.emit(EditorAction::AddComponent {
                        kind,
                        position: snap_to_grid(Position {
                            x: x - NODE_WIDTH / 2.0,
                            y: y - NODE_HEIGHT / 2.0,
                        }),
                    });
                }
            }
        }
    };
    let on_pointer_up = {
        let finish = finish.clone();
        Callback::from(move |event: PointerEvent| finish(&event))
    };
    let on_pointer_leave = {
        let gesture = gesture.clone();
        Callback::from(move |event: PointerEvent| {
            if *gesture.borrow() != Gesture::Idle {
                finish(&event);
            }
        })
    };
    let on_background_down = {
        let canvas_ref = canvas_ref.clone();
        let gesture = gesture.clone();
        Callback::from(move |event: PointerEvent| {
            if event.button() != 0 {
                return;
            }
            let Some(element) = canvas_ref.cast::<web_sys::HtmlElement>() else {
                return;
            };
            let _ = element.focus();
            *gesture.borrow_mut() = if event.shift_key() {
                let at = viewport.to_world(relative_to(&element, &event));
                Gesture::Band { start: at, end: at }
            } else {
                Gesture::Pan {
                    last: client(&event),
                    moved: false,
                }
            };
        })
    };
    let on_wheel = {
        let canvas_ref = canvas_ref.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: WheelEvent| {
            let Some(element) = canvas_ref.cast::<web_sys::HtmlElement>() else {
                return;
            };
            // Zooming the canvas, not scrolling the page.
            event.prevent_default();
            let around = relative_to(&element, &event);
            // A touchpad pinch arrives as a wheel event with the Ctrl key and small deltas.
            let rate = if event.ctrl_key() { 0.01 } else { 0.001 };
            dispatch.emit(EditorAction::Zoom {
                factor: (-event.delta_y() * rate).exp(),
                around,
            });
        })
    };
    let on_key_down = {
        let dispatch = props.dispatch.clone();
        let clipboard = clipboard.clone();
        let renaming = renaming.clone();
        let state = state.clone();
        Callback::from(move |event: KeyboardEvent| {
            let command = event.ctrl_key() || event.meta_key();
            let single = (state.selection.len() == 1)
                .then(|| state.selection.iter().next().cloned())
                .flatten();
            let action = match event.key().as_str() {
                "c" | "C" if command => {
                    if let Some(fragment) = copy_selection(&state) {
                        *clipboard.borrow_mut() = Some((fragment, 0));
                    }
                    event.prevent_default();
                    None
                }
                "v" | "V" if command => {
                    let mut held = clipboard.borrow_mut();
                    held.as_mut().map(|(fragment, pasted)| {
                        // Each paste lands a step further, so copies never stack exactly.
                        *pasted += 1;
                        let shift = PASTE_OFFSET * f64::from(*pasted);
                        EditorAction::Paste {
                            fragment: fragment.clone(),
                            offset: (shift, shift),
                        }
                    })
                }
                "d" | "D" if command => {
                    copy_selection(&state).map(|fragment| EditorAction::Paste {
                        fragment,
                        offset: (PASTE_OFFSET, PASTE_OFFSET),
                    })
                }
                "F2" | "Enter" => {
                    if let Some(id) = single.clone() {
                        event.prevent_default();
                        renaming.set(Some(id));
                    }
                    None
                }
                "Delete" | "Backspace" => Some(EditorAction::DeleteSelection),
                "z" | "Z" if command && event.shift_key() => Some(EditorAction::Redo),
                "z" | "Z" if command => Some(EditorAction::Undo),
                "y" if command => Some(EditorAction::Redo),
                "Escape" => Some(EditorAction::ClearSelection),
                "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown"
                    if !state.selection.is_empty() =>
                {
                    // The keyboard's way to move nodes: one grid step, five with Shift.
                    event.prevent_default();
                    let step = crate::state::GRID * if event.shift_key() { 5.0 } else { 1.0 };
                    let (dx, dy) = match event.key().as_str() {
                        "ArrowLeft" => (-step, 0.0),
                        "ArrowRight" => (step, 0.0),
                        "ArrowUp" => (0.0, -step),
                        _ => (0.0, step),
                    };
                    for id in &state.selection {
                        if let Some(component) = state.component(id) {
                            let at = component.position();
                            dispatch.emit(EditorAction::MoveComponent {
                                id: id.clone(),
                                position: Position {
                                    x: at.x + dx,
                                    y: at.y + dy,
                                },
                            });
                        }
                    }
                    None
                }
                _ => None,
            };
            if let Some(action) = action {
                event.prevent_default();
                dispatch.emit(action);
            }
        })
    };

    // The canvas element's size in screen pixels.
    let canvas_size = {
        let canvas_ref = canvas_ref.clone();
        move || {
            canvas_ref.cast::<web_sys::HtmlElement>().map(|element| {
                (
                    f64::from(element.client_width()),
                    f64::from(element.client_height()),
                )
            })
        }
    };
    // A scenario that opens (the page's link, the gallery, a file) at the default view and
    // does not fit the canvas is fitted once, unless that would shrink it below
    // AUTO_FIT_MIN_ZOOM; later edits keep the view the person chose.
    {
        let dispatch = props.dispatch.clone();
        let canvas_size = canvas_size.clone();
        let scenario = state.scenario.clone();
        let viewport = state.viewport;
        let opened = (
            state.scenario.name.clone(),
            state.viewport == crate::state::Viewport::default(),
        );
        use_effect_with(opened, move |(_, at_default)| {
            if *at_default {
                if let Some((width, height)) = canvas_size() {
                    if crate::state::fits_on_open(&scenario, viewport, width, height) {
                        dispatch.emit(EditorAction::FitView { width, height });
                    }
                }
            }
        });
    }
    let zoom_by = |factor: f64| {
        let dispatch = props.dispatch.clone();
        let canvas_size = canvas_size.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some((width, height)) = canvas_size() {
                dispatch.emit(EditorAction::Zoom {
                    factor,
                    around: (width / 2.0, height / 2.0),
                });
            }
        })
    };
    let on_fit = {
        let dispatch = props.dispatch.clone();
        let canvas_size = canvas_size.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some((width, height)) = canvas_size() {
                dispatch.emit(EditorAction::FitView { width, height });
            }
        })
    };
    let edges = scenario.connections.iter().filter_map(|connection| {
        let from = state.component(&connection.from)?;
        let to = state.component(&connection.to)?;
        let kind = if matches!(from, Component::SnsTopic(_)) {
            "edge subscription"
        } else {
            "edge"
        };
        let selected = state.selected_connection.as_ref()
            == Some(&(connection.from.clone(), connection.to.clone()));
        let on_select = {
            let dispatch = props.dispatch.clone();
            let canvas_ref = canvas_ref.clone();
            let (from, to) = (connection.from.clone(), connection.to.clone());
            Callback::from(move |event: PointerEvent| {
                if !press_on_canvas(&event, &canvas_ref) {
                    return;
                }
                dispatch.emit(EditorAction::SelectConnection {
                    from: from.clone(),
                    to: to.clone(),
                });
            })
        };
        let d = edge_path(position_of(from), position_of(to));
        Some(html! {
            <g key={format!("edge-{}-{}", connection.from, connection.to)}>
                // A wide transparent twin of the arrow is what the pointer hits.
                <path class="edge-hit" d={d.clone()} onpointerdown={on_select}
                    data-testid={format!("edge-hit-{}-{}", connection.from, connection.to)}>
                    <title>{ if kind == "edge subscription" { "Subscription: click to inspect" } else { "Click to select; Delete removes it" } }</title>
                </path>
                <path
                    class={classes!(kind, selected.then_some("selected"))}
                    data-testid={format!("edge-{}-{}", connection.from, connection.to)}
                    d={d}
                    marker-end="url(#arrow)"
                />
            </g>
        })
    });
    let redrives = scenario.components.iter().filter_map(|component| {
        let Component::SqsQueue(queue) = component else {
            return None;
        };
        let policy = queue.parameters.redrive_policy.as_ref()?;
        let target = dead_letter_target(scenario, &policy.dead_letter_target_arn)?;
        Some(html! {
            <path
                key={format!("redrive-{}", component.id())}
                class="edge redrive"
                data-testid={format!("edge-{}-{}", component.id(), target.id())}
                d={redrive_path(position_of(component), position_of(target))}
                marker-end="url(#arrow)"
            >
                <title>{ format!("RedrivePolicy: after {} receives", policy.max_receive_count.unwrap_or(10)) }</title>
            </path>
        })
    });
    let drawing = match (&*gesture.borrow(), &*pointer_world) {
        (Gesture::Connect { from }, Some(end)) => state.component(from).map(|source| {
            let start = position_of(source);
            html! {
                <path class="edge drawing"
                    d={format!("M{} {} L{} {}", start.x + NODE_WIDTH, start.y + NODE_HEIGHT / 2.0, end.0, end.1)} />
            }
        }),
        (Gesture::Band { start, end }, Some(_)) => Some(html! {
            <rect class="band" data-testid="band"
                x={start.0.min(end.0).to_string()} y={start.1.min(end.1).to_string()}
                width={(start.0 - end.0).abs().to_string()} height={(start.1 - end.1).abs().to_string()} />
        }),
        _ => None,
    };
    // The in-place name editor: an input over the node's name.
    let rename_box = (*renaming).clone().and_then(|id| {
        let component = state.component(&id)?;
        let position = position_of(component);
        let finish = {
            let dispatch = props.dispatch.clone();
            let renaming = renaming.clone();
            let id = id.clone();
            move |input: &web_sys::HtmlInputElement| {
                renaming.set(None);
                dispatch.emit(EditorAction::Rename {
                    id: id.clone(),
                    name: input.value(),
                });
            }
        };
        let on_key = {
            let finish = finish.clone();
            let renaming = renaming.clone();
            Callback::from(move |event: KeyboardEvent| {
                // Keys typed into the name are not canvas shortcuts.
                event.stop_propagation();
                match event.key().as_str() {
                    "Enter" => {
                        if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                            finish(&input);
                        }
                    }
                    "Escape" => renaming.set(None),
                    _ => {}
                }
            })
        };
        let on_blur = {
            let renaming = renaming.clone();
            Callback::from(move |event: FocusEvent| {
                match event.target_dyn_into::<web_sys::HtmlInputElement>() {
                    Some(input) => finish(&input),
                    None => renaming.set(None),
                }
            })
        };
        let on_mounted = Callback::from(|event: PointerEvent| event.stop_propagation());
        Some(html! {
            <foreignObject x={(position.x + 46.0).to_string()} y={(position.y + 12.0).to_string()}
                width={(NODE_WIDTH - 56.0).to_string()} height="26">
                <input class="rename" data-testid="rename" aria-label="Name"
                    value={component.display_name().to_string()}
                    onkeydown={on_key} onblur={on_blur} onpointerdown={on_mounted}
                    autofocus=true />
            </foreignObject>
        })
    });
    let nodes = scenario.components.iter().map(|component| {
        let id = component.id().to_string();
        let position = position_of(component);
        let selected = state.selection.contains(&id);
        let view = props.views.iter().find(|view| view.id == id);
        let live = view.map(|view| numbers(&view.stats)).unwrap_or_default();
        let gauge = view.and_then(|view| gauge(&view.stats));
        let targets = view.and_then(|view| target_row(&id, &view.stats));
        let badges = view.map(|view| badge_pills(&id, &view.stats));
        let faults = view.map(|view| view.faults.join("\n")).unwrap_or_default();
        // A dead-letter queue pulses each time it receives: a new key restarts the animation.
        let pulse = view.and_then(|view| match &view.stats {
            ComponentStats::Queue(q) if q.is_dead_letter_queue && q.dead_lettered_here > 0 => {
                Some(q.dead_lettered_here)
            }
            _ => None,
        });
        let problems: Vec<&str> = props
            .problems
            .iter()
            .filter(|(of, _)| *of == id)
            .map(|(_, text)| text.as_str())
            .collect();
        let on_down = {
            let gesture = gesture.clone();
            let canvas_ref = canvas_ref.clone();
            let id = id.clone();
            let origin = component.position();
            Callback::from(move |event: PointerEvent| {
                if !press_on_canvas(&event, &canvas_ref) {
                    return;
                }
                *gesture.borrow_mut() = Gesture::MoveNode {
                    id: id.clone(),
                    start: client(&event),
                    origin,
                    additive: event.shift_key(),
                    moved: false,
                };
            })
        };
        let on_handle_down = {
            let gesture = gesture.clone();
            let id = id.clone();
            Callback::from(move |event: PointerEvent| {
                event.stop_propagation();
                *gesture.borrow_mut() = Gesture::Connect { from: id.clone() };
            })
        };
        let on_up = {
            let gesture = gesture.clone();
            let dispatch = props.dispatch.clone();
            let pointer_world = pointer_world.clone();
            let id = id.clone();
            Callback::from(move |_: PointerEvent| {
                let connecting = match &*gesture.borrow() {
                    Gesture::Connect { from } => Some(from.clone()),
                    _ => None,
                };
                if let Some(from) = connecting {
                    *gesture.borrow_mut() = Gesture::Idle;
                    pointer_world.set(None);
                    if from != id {
                        dispatch.emit(EditorAction::Connect {
                            from,
                            to: id.clone(),
                        });
                    }
                }
            })
        };
        let on_double_click = {
            let renaming = renaming.clone();
            let id = id.clone();
            Callback::from(move |_: MouseEvent| renaming.set(Some(id.clone())))
        };
        html! {
            <g
                key={id.clone()}
                ondblclick={on_double_click}
                class={classes!("node", component.kind_str(), selected.then_some("selected"), (!faults.is_empty()).then_some("faulted"))}
                data-testid={format!("node-{id}")}
                transform={format!("translate({} {})", position.x, position.y)}
                onpointerdown={on_down}
                onpointerup={on_up}
            >
                <title>{ format!("{} ({})", component.display_name(), component.kind_words()) }</title>
                <rect class="box" width={NODE_WIDTH.to_string()} height={NODE_HEIGHT.to_string()} rx="10" />
                <g class="pulses">
                    { for pulse.map(|count| html! {
                        <rect key={count.to_string()} class="pulse" data-testid={format!("node-{id}-pulse")}
                            width={NODE_WIDTH.to_string()} height={NODE_HEIGHT.to_string()} rx="10" />
                    }) }
                </g>
                <g transform="translate(12 14)">{ icon(component) }</g>
                <text class="name" x="50" y="30">{ component.display_name().to_string() }</text>
                <text class="numbers" x="50" y="52" data-testid={format!("node-{id}-numbers")}>{ live }</text>
                { for gauge }
                { for targets }
                { for badges }
                if !faults.is_empty() {
                    <g class="fault-mark" data-testid={format!("node-{id}-fault")}>
                        <title>{ faults.clone() }</title>
                        <circle cx={(NODE_WIDTH - 36.0).to_string()} cy="14" r="9" />
                        <text x={(NODE_WIDTH - 36.0).to_string()} y="18" text-anchor="middle">{ "⚡" }</text>
                    </g>
                }
                if !problems.is_empty() {
                    <g class="problem-mark" data-testid={format!("node-{id}-problem")}>
                        <title>{ problems.join("\n") }</title>
                        <circle cx={(NODE_WIDTH - 14.0).to_string()} cy="14" r="9" />
                        <text x={(NODE_WIDTH - 14.0).to_string()} y="18" text-anchor="middle">{ "!" }</text>
                    </g>
                }
                <circle class="handle" cx={NODE_WIDTH.to_string()} cy={(NODE_HEIGHT / 2.0).to_string()} r="7"
                    data-testid={format!("node-{id}-handle")} onpointerdown={on_handle_down}>
                    <title>{ "Drag to another component to connect" }</title>
                </circle>
            </g>
        }
    });

    html! {
        <div
            ref={canvas_ref.clone()}
            class="canvas"
            data-testid="canvas"
            tabindex="0"
            aria-label="Architecture canvas"
            onpointerdown={on_background_down}
            onpointermove={on_pointer_move}
            onpointerup={on_pointer_up}
            onpointerleave={on_pointer_leave}
            onwheel={on_wheel}
            onkeydown={on_key_down}
        >
            <svg data-testid="canvas-svg" width="100%" height="100%" xmlns="http://www.w3.org/2000/svg">
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="arrowhead" />
                    </marker>
                </defs>
                <g transform={viewport.transform()}>
                    { for crate::drawing::vpc_groups(&state.scenario).into_iter().map(|group| html! {
                        <g class="vpc-group" data-testid={format!("vpc-{}", group.name)}>
                            <rect x={group.x.to_string()} y={group.y.to_string()} width={group.width.to_string()}
                                height={group.height.to_string()} rx="10" />
                            <text x={(group.x + 10.0).to_string()} y={(group.y + 14.0).to_string()}>{ format!("VPC {}", group.name) }</text>
                            <title>{ format!("VPC {}: only producers and consumer pools in this VPC reach its brokers; SQS and SNS are public endpoints", group.name) }</title>
                        </g>
                    }) }
                    { for edges }
                    { for redrives }
                    { for drawing }
                    { for nodes }
                    { for rename_box }
                </g>
            </svg>
            <div class="zoom-controls" onpointerdown={Callback::from(|event: PointerEvent| event.stop_propagation())}>
                <button title="Zoom in" data-testid="zoom-in" onclick={zoom_by(ZOOM_STEP)}>{ "+" }</button>
                <button title="Zoom out" data-testid="zoom-out" onclick={zoom_by(1.0 / ZOOM_STEP)}>{ "−" }</button>
                <button title="Fit everything in view" data-testid="zoom-fit" onclick={on_fit}>{ "Fit" }</button>
                <span class="zoom-level">{ format!("{:.0}%", viewport.zoom * 100.0) }</span>
            </div>
        </div>
    }
}
