//! The page: a scenario running live, advanced from `requestAnimationFrame` within a time
//! budget per frame so the page stays responsive at any speed.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use loosely_engine::{format_clock, SimDuration};
use yew::prelude::*;

use loosely_scenario::{Position, Scenario};

use crate::components::canvas::Canvas;
use crate::components::component_card::ComponentCard;
use crate::components::event_log::EventLog;
use crate::components::history::History;
use crate::components::palette::Palette;
use crate::components::peek::Peek;
use crate::components::top_bar::TopBar;
use crate::flags::Flags;
use crate::live::{Live, LiveHandle};
use crate::state::{
    apply, same_but_positions, EditorAction, EditorState, PaletteKind, NODE_HEIGHT, NODE_WIDTH,
};
use loosely_engine::MessageId;

/// The scenario the page opens with.
pub const BUNDLED: &str = include_str!("../examples/worker-pool-dlq.json");

/// Where a clicked palette entry puts its component, canvas screen pixels (about the
/// middle of the canvas at 1280×720).
const CANVAS_MIDDLE: (f64, f64) = (520.0, 200.0);

/// Wall-clock milliseconds of simulation work allowed per frame.
const FRAME_BUDGET_MS: f64 = 8.0;

/// Longest wall-clock gap between two frames that counts (a hidden tab gets no frames).
const MAX_FRAME_GAP_MS: f64 = 250.0;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map(|performance| performance.now())
        .unwrap_or(0.0)
}

/// The page's query string without the leading `?`.
fn query() -> String {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .map(|search| search.trim_start_matches('?').to_string())
        .unwrap_or_default()
}

/// The animation loop: each frame moves simulated time by the wall time since the last
/// frame times the speed, and works on it until the budget is spent.
struct FrameLoop {
    live: Rc<RefCell<Option<Live>>>,
    speed: Rc<Cell<f64>>,
    playing: Rc<Cell<bool>>,
    redraw: Callback<()>,
    last_timestamp_ms: Cell<Option<f64>>,
    alive: Cell<bool>,
    handle: RefCell<Option<AnimationFrame>>,
}

impl FrameLoop {
    fn schedule(self: &Rc<Self>) {
        if !self.alive.get() {
            return;
        }
        let this = self.clone();
        let handle = request_animation_frame(move |timestamp_ms| {
            this.frame(timestamp_ms);
            this.schedule();
        });
        *self.handle.borrow_mut() = Some(handle);
    }

    fn stop(&self) {
        self.alive.set(false);
        self.handle.borrow_mut().take();
    }

    fn frame(&self, timestamp_ms: f64) {
        let elapsed_ms = self
            .last_timestamp_ms
            .replace(Some(timestamp_ms))
            .map(|last| (timestamp_ms - last).clamp(0.0, MAX_FRAME_GAP_MS))
            .unwrap_or(0.0);
        if !self.playing.get() {
            return;
        }
        let changed = {
            let mut live = self.live.borrow_mut();
            let Some(live) = live.as_mut() else {
                return;
            };
            if live.finished() {
                return;
            }
            let before = live.now();
            let started_ms = now_ms();
            let mut caught_up = live.advance(SimDuration::from_secs_f64(
                elapsed_ms / 1_000.0 * self.speed.get(),
            ));
            while !caught_up && now_ms() - started_ms < FRAME_BUDGET_MS {
                caught_up = live.work();
            }
            live.drain();
            live.now() != before
        };
        if changed {
            self.redraw.emit(());
        }
    }
}

/// The editor behind the canvas, with the sentence of the last refused action.
#[derive(PartialEq)]
struct Editor {
    /// `None` when the bundled scenario does not parse.
    state: Option<Rc<EditorState>>,
    refusal: Option<String>,
}

impl Reducible for Editor {
    type Action = EditorAction;

    fn reduce(self: Rc<Self>, action: EditorAction) -> Rc<Self> {
        let Some(state) = self.state.clone() else {
            return self;
        };
        match apply(&state, action) {
            Ok(next) => Rc::new(Editor {
                state: Some(Rc::new(next)),
                refusal: None,
            }),
            Err(refusal) => Rc::new(Editor {
                state: Some(state),
                refusal: Some(refusal),
            }),
        }
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let flags = use_memo((), |_| Flags::parse(&query()));
    let live: Rc<RefCell<Option<Live>>> = use_mut_ref(|| None);
    let error = use_state(|| None::<String>);
    // The validation issues of the scenario on the canvas, when it cannot run.
    let issues = use_state(|| None::<String>);
    let editor = use_reducer(|| match Scenario::from_json(BUNDLED) {
        Ok(scenario) => Editor {
            state: Some(Rc::new(EditorState::new(scenario))),
            refusal: None,
        },
        Err(problem) => Editor {
            state: None,
            refusal: Some(problem.to_string()),
        },
    });
    let dragged_kind: Rc<Cell<Option<PaletteKind>>> = use_memo((), |_| Cell::new(None));
    let speed: Rc<Cell<f64>> = use_memo((), |_| Cell::new(flags.speed));
    let playing: Rc<Cell<bool>> = use_memo((), |_| Cell::new(!flags.paused));
    // The message whose history is open; `?history=first` opens one by itself until closed.
    let open_history = use_state(|| None::<MessageId>);
    let history_auto: Rc<Cell<bool>> =
        use_memo((), |_| Cell::new(crate::flags::history_first(&query())));
    let force_update = use_force_update();
    let redraw = use_memo((), move |_| {
        Callback::from(move |_: ()| force_update.force_update())
    });
    let frame_loop = {
        let live = live.clone();
        let speed = speed.clone();
        let playing = playing.clone();
        let redraw = (*redraw).clone();
        use_memo((), move |_| {
            Rc::new(FrameLoop {
                live,
                speed,
                playing,
                redraw,
                last_timestamp_ms: Cell::new(None),
                alive: Cell::new(true),
                handle: RefCell::new(None),
            })
        })
    };

    {
        let error = error.clone();
        let load_problem = editor.state.is_none().then(|| editor.refusal.clone());
        use_effect_with((), move |_| {
            if let Some(problem) = load_problem {
                error.set(Some(problem.unwrap_or_default()));
            }
            if let Some(boot) = web_sys::window()
                .and_then(|window| window.document())
                .and_then(|document| document.get_element_by_id("boot"))
            {
                boot.remove();
            }
        });
    }
    {
        // Every edit but a move builds the simulation again from time zero.
        let live = live.clone();
        let issues = issues.clone();
        let redraw = redraw.clone();
        let scenario = editor.state.as_ref().map(|state| state.scenario.clone());
        use_effect_with(scenario, move |scenario| {
            if let Some(scenario) = scenario {
                let mut current = live.borrow_mut();
                match current.as_mut() {
                    Some(running) if same_but_positions(&running.scenario, scenario) => {
                        running.scenario = scenario.clone();
                    }
                    _ => match Live::from_scenario(scenario.clone()) {
                        Ok(built) => {
                            *current = Some(built);
                            issues.set(None);
                        }
                        Err(problem) => {
                            *current = None;
                            issues.set(Some(problem));
                        }
                    },
                }
            }
            redraw.emit(());
        });
    }
    {
        let frame_loop = (*frame_loop).clone();
        use_effect_with((), move |_| {
            frame_loop.schedule();
            move || frame_loop.stop()
        });
    }

    if let Some(problem) = (*error).clone() {
        return html! {
            <div class="error" role="alert" data-testid="load-error">
                <strong>{ "This scenario cannot run: " }</strong>
                <pre>{ problem }</pre>
            </div>
        };
    }
    let Some(state) = editor.state.clone() else {
        return html! { <div class="boot">{ "Loading the simulation…" }</div> };
    };
    let dispatch = {
        let editor = editor.clone();
        Callback::from(move |action: EditorAction| editor.dispatch(action))
    };
    let on_add = {
        let dispatch = dispatch.clone();
        let viewport = state.viewport;
        let count = state.scenario.components.len();
        Callback::from(move |kind: PaletteKind| {
            let (x, y) = viewport.to_world(CANVAS_MIDDLE);
            // Staggered so that several clicks do not stack the boxes exactly.
            let shift = (count % 5) as f64 * 24.0;
            dispatch.emit(EditorAction::AddComponent {
                kind,
                position: Position {
                    x: (x - NODE_WIDTH / 2.0 + shift).round(),
                    y: (y - NODE_HEIGHT / 2.0 + shift).round(),
                },
            });
        })
    };
    let on_root_pointer_up = {
        let dragged_kind = dragged_kind.clone();
        Callback::from(move |_: PointerEvent| dragged_kind.set(None))
    };
    let borrowed = live.borrow();
    let current = borrowed.as_ref();
    let on_toggle = {
        let playing = playing.clone();
        let redraw = redraw.clone();
        Callback::from(move |_| {
            playing.set(!playing.get());
            redraw.emit(());
        })
    };
    let on_speed = {
        let speed = speed.clone();
        let redraw = redraw.clone();
        Callback::from(move |value: f64| {
            speed.set(value);
            redraw.emit(());
        })
    };
    let on_reset = {
        let live = live.clone();
        let error = error.clone();
        let redraw = redraw.clone();
        Callback::from(move |_| {
            if let Some(current) = live.borrow_mut().as_mut() {
                if let Err(problem) = current.reset() {
                    error.set(Some(problem));
                }
            }
            redraw.emit(());
        })
    };
    let clock = match current {
        Some(current) => format!(
            "{} of {}",
            format_clock(current.now().as_micros()),
            format_clock(current.duration().as_micros())
        ),
        None => "not running".to_string(),
    };
    let views = current.map(Live::views).unwrap_or_default();
    let on_open_history = {
        let open_history = open_history.clone();
        Callback::from(move |message: MessageId| open_history.set(Some(message)))
    };
    let on_close_history = {
        let open_history = open_history.clone();
        let history_auto = history_auto.clone();
        Callback::from(move |_: ()| {
            history_auto.set(false);
            open_history.set(None);
        })
    };
    let history_message = (*open_history).or_else(|| {
        history_auto
            .get()
            .then(|| current.and_then(Live::first_traced_message))
            .flatten()
    });
    let now_micros = current.map(|live| live.now().as_micros()).unwrap_or(0);
    let live_handle = LiveHandle(live.clone());
    let single_selection = (state.selection.len() == 1)
        .then(|| state.selection.iter().next().cloned())
        .flatten();
    let finished = current.is_some_and(Live::finished);
    let issues_panel = match &*issues {
        Some(problem) => html! {
            <section class="issues" role="status" data-testid="issues">
                <strong>{ "This architecture cannot run yet:" }</strong>
                <ul>
                    { for problem.lines().map(|line| html! { <li>{ line.to_string() }</li> }) }
                </ul>
            </section>
        },
        None => html! {},
    };
    let refusal_panel = match &editor.refusal {
        Some(refusal) => html! {
            <p class="refusal" role="alert" data-testid="refusal">{ refusal.clone() }</p>
        },
        None => html! {},
    };
    html! {
        <div class="app" onpointerup={on_root_pointer_up}>
            <TopBar
                scenario={state.scenario.name.clone()}
                {clock}
                playing={playing.get() && current.is_some() && !finished}
                {finished}
                speed={speed.get()}
                cost={current.map(Live::total_cost_usd).unwrap_or(0.0)}
                {on_toggle}
                {on_speed}
                {on_reset}
            />
            <div class="workspace">
                <Palette dragged_kind={dragged_kind.clone()} {on_add} />
                <div class="stage">
                    <Canvas state={state.clone()} views={views.clone()} {dispatch} {dragged_kind} />
                    { refusal_panel }
                    { issues_panel }
                </div>
            </div>
            <section class="tracing" data-testid="tracing">
                <Peek live={live_handle.clone()} now={now_micros} selected={single_selection} on_open={on_open_history.clone()} />
                <EventLog live={live_handle.clone()} now={now_micros} on_open={on_open_history} />
                if let Some(message) = history_message {
                    <History live={live_handle} now={now_micros} {message} on_close={on_close_history} />
                }
            </section>
            <main>
                <p class="description">{ state.scenario.description.clone() }</p>
                <div class="cards">
                    { for views.into_iter().map(|view| {
                        let key = view.id.clone();
                        html! { <ComponentCard {key} {view} /> }
                    }) }
                </div>
            </main>
        </div>
    }
}
