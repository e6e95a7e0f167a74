//! The page: a scenario running live, advanced from `requestAnimationFrame` within a time
//! budget per frame so the page stays responsive at any speed.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use loosely_engine::{format_clock, SimDuration};
use yew::prelude::*;

use loosely_scenario::{decode_link, encode_link, Position, Scenario};

use crate::components::asl_workbench::AslWorkbench;
use crate::components::bucket_objects::BucketObjects;
use crate::components::canvas::Canvas;
use crate::components::charts::Charts;
use crate::components::compare_panel::ComparePanel;
use crate::components::component_card::ComponentCard;
use crate::components::event_log::EventLog;
use crate::components::event_source_panel::EventSourcePanel;
use crate::components::expectations::Expectations;
use crate::components::faults_panel::FaultsPanel;
use crate::components::flow_runs::FlowRuns;
use crate::components::gallery::Gallery;
use crate::components::history::History;
use crate::components::inspector::Inspector;
use crate::components::outline::Outline;
use crate::components::palette::Palette;
use crate::components::particle_layer::{draw, ParticleLayer};
use crate::components::peek::Peek;
use crate::components::policy_tester::FanoutTester;
use crate::components::sfn_live::SfnLive;
use crate::components::share_menu::Opened;
use crate::components::share_menu::ShareMenu;
use crate::components::subscription_panel::SubscriptionPanel;
use crate::components::timebar::Timebar;
use crate::components::top_bar::TopBar;
use crate::flags::Flags;
use crate::live::{Breakpoint, Live, LiveHandle, Stopped};
use crate::particles::{
    group_hue, hop, swing_of, FrameStats, Outcome, Particle, Pool, MAX_PARTICLES, TRAVEL_MS,
};
use crate::policy_test::SubscriptionPolicy;
use crate::state::{
    apply, same_but_positions, EditorAction, EditorState, PaletteKind, Viewport, NODE_HEIGHT,
    NODE_WIDTH,
};
use loosely_engine::MessageId;

/// The scenario the page opens with.
pub const BUNDLED: &str = include_str!("../examples/worker-pool-dlq.json");

/// Where a clicked palette entry puts its component, canvas screen pixels (about the
/// middle of the canvas at 1280×720).
const CANVAS_MIDDLE: (f64, f64) = (520.0, 200.0);

/// Wall-clock milliseconds of simulation work allowed per frame.
const FRAME_BUDGET_MS: f64 = 8.0;

/// While the run plays, the side panels, the component cards and the outline follow it at
/// most this often; the canvas and its particles follow every frame. Re-rendering them all
/// each frame held a page of 100 components to about 12 frames a second.
const PANEL_REFRESH_MS: f64 = 250.0;

/// What the side panels last showed: when (wall clock), the simulated time, the views.
#[derive(Default)]
struct PanelClock {
    at_ms: f64,
    now_micros: u64,
    views: Vec<crate::live::ComponentView>,
}

/// How near a click must land to a particle to pick it, screen pixels.
const PARTICLE_REACH_PX: f64 = 8.0;

/// Longest wall-clock gap between two frames that counts (a hidden tab gets no frames).
const MAX_FRAME_GAP_MS: f64 = 250.0;

/// Wall-clock milliseconds since the page opened.
pub fn now_ms() -> f64 {
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

/// What the page opens.
#[derive(Clone, PartialEq)]
enum Opening {
    /// The scenario a share link carries in its fragment, else the bundled one; or why the
    /// link cannot open.
    Now(Result<Box<Scenario>, String>),
    /// `?example=NAME`: a gallery file, downloaded first (the boot screen shows meanwhile).
    Example(&'static str),
}

fn opening() -> Opening {
    let hash = web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default();
    let fragment = hash.trim_start_matches('#');
    if fragment.is_empty() {
        // `?example=NAME` opens a gallery scenario by its file name.
        if let Some(name) = crate::flags::value_of(&query(), "example") {
            return match crate::gallery::file_of(name) {
                Some(file) => Opening::Example(file),
                None => Opening::Now(Err(format!(
                    "there is no gallery example \"{name}\" (example= takes a file name of the gallery, such as worker-pool-dlq)"
                ))),
            };
        }
        return Opening::Now(
            Scenario::from_json(BUNDLED)
                .map(Box::new)
                .map_err(|problem| problem.to_string()),
        );
    }
    Opening::Now(
        decode_link(fragment)
            .map(Box::new)
            .map_err(|problem| problem.to_string()),
    )
}

/// The editor's first state for the scenario the page opens: read-only with `?readonly`,
/// and `?select=ID` selects that component (its inspector open).
fn initial_state(scenario: Scenario) -> EditorState {
    let mut state = EditorState::new(scenario);
    state.readonly = Flags::parse(&query()).readonly;
    if let Some(id) = query()
        .split('&')
        .find_map(|part| part.strip_prefix("select="))
        .map(|id| {
            js_sys::decode_uri_component(id)
                .ok()
                .and_then(|decoded| decoded.as_string())
                .unwrap_or_else(|| id.to_string())
        })
    {
        if state.component(&id).is_some() {
            state.selection.insert(id);
        }
    }
    state
}

/// Puts the scenario's link in the address bar, replacing the current entry so that edits
/// do not flood the history.
fn show_link(scenario: &Scenario) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(history) = window.history() else {
        return;
    };
    let location = window.location();
    let path = format!(
        "{}{}#{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default(),
        encode_link(scenario)
    );
    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
}

/// The parent window when the page is inside an iframe (`window.self !== window.top`).
fn parent_window() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let top = window.top().ok().flatten()?;
    let own = window.self_();
    if js_sys::Object::is(&top, &own) {
        return None;
    }
    window.parent().ok().flatten()
}

/// Posts an event of the embed API (`src/embed.rs`) to the parent page, if there is one.
fn post_to_parent(event: &serde_json::Value) {
    let Some(parent) = parent_window() else {
        return;
    };
    if let Ok(value) = js_sys::JSON::parse(&event.to_string()) {
        // The events carry the scenario's own figures, nothing private: any origin may
        // embed the playground and listen.
        let _ = parent.post_message(&value, "*");
    }
}

/// The animation loop: each frame moves simulated time by the wall time since the last
/// frame times the speed, and works on it until the budget is spent.
struct FrameLoop {
    live: Rc<RefCell<Option<Live>>>,
    speed: Rc<Cell<f64>>,
    playing: Rc<Cell<bool>>,
    /// Messages on their way, the canvas they are drawn on, the nodes' world positions by
    /// engine component id, the canvas viewport, and whether to colour by FIFO group.
    particles: RefCell<Pool>,
    layer: NodeRef,
    anchors: Rc<RefCell<Vec<Option<Position>>>>,
    viewport: Rc<Cell<Viewport>>,
    by_group: Rc<Cell<bool>>,
    /// The particle benchmark (`?bench=particles`): frame times recorded so far.
    bench: Option<RefCell<Vec<f64>>>,
    /// The breakpoint being run to, with its label, and why the last run stopped.
    until: Rc<RefCell<Option<(Breakpoint, String)>>>,
    note: Rc<RefCell<Option<String>>>,
    redraw: Callback<()>,
    /// Inside an iframe: what the parent was last told (playing, speed, whole simulated
    /// seconds, finished) and when the last metrics snapshot went out.
    embedded: bool,
    told: RefCell<Option<(bool, f64, u64, bool)>>,
    last_metrics_ms: Cell<f64>,
    last_timestamp_ms: Cell<Option<f64>>,
    /// The polite live region that narrates the run for screen readers.
    narrator: RefCell<crate::narration::Narrator>,
    narration: NodeRef,
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
        if let Some(bench) = &self.bench {
            self.bench_frame(bench, timestamp_ms, elapsed_ms);
            return;
        }
        self.draw_particles(timestamp_ms);
        if self.embedded {
            self.announce(timestamp_ms);
        }
        let until = self.until.borrow().clone();
        let changed = {
            let mut live = self.live.borrow_mut();
            let Some(live) = live.as_mut() else {
                return;
            };
            let jumping = live.target() > live.now();
            if !self.playing.get() && !jumping && until.is_none() {
                return;
            }
            let before = live.now();
            let started_ms = now_ms();
            if let Some((breakpoint, label)) = until {
                // Run to the breakpoint as fast as the budget allows, then pause there.
                let mut stopped = None;
                while stopped.is_none() && now_ms() - started_ms < FRAME_BUDGET_MS {
                    stopped = live.work_until(&breakpoint);
                }
                if let Some(stopped) = stopped {
                    self.until.borrow_mut().take();
                    self.playing.set(false);
                    *self.note.borrow_mut() = Some(match stopped {
                        Stopped::Met(at) => {
                            format!("Stopped at {}: {label}.", format_clock(at.as_micros()))
                        }
                        Stopped::End => format!("The run ended before {label}."),
                        Stopped::NoSuchComponent(id) => format!("There is no component \"{id}\"."),
                    });
                }
            } else {
                if live.finished() {
                    return;
                }
                let elapsed = if self.playing.get() { elapsed_ms } else { 0.0 };
                let mut caught_up = live.advance(SimDuration::from_secs_f64(
                    elapsed / 1_000.0 * self.speed.get(),
                ));
                while !caught_up && now_ms() - started_ms < FRAME_BUDGET_MS {
                    caught_up = live.work();
                }
            }
            live.drain();
            self.spawn_particles(live, timestamp_ms);
            self.narrate(live, before, timestamp_ms);
            live.now() != before || self.note.borrow().is_some()
        };
        if changed {
            self.redraw.emit(());
        }
    }
}

impl FrameLoop {
    /// Tells the parent page (embed API) when play, speed or the clock changed, and sends a
    /// metrics snapshot once a second while playing.
    fn announce(&self, now_ms: f64) {
        let live = self.live.borrow();
        let Some(live) = live.as_ref() else {
            return;
        };
        let playing = self.playing.get() && !live.finished();
        let seconds = live.now().as_secs_f64();
        let state = (playing, self.speed.get(), seconds as u64, live.finished());
        if self.told.borrow().as_ref() != Some(&state) {
            *self.told.borrow_mut() = Some(state);
            post_to_parent(&crate::embed::state_event(
                playing, state.1, seconds, state.3,
            ));
        }
        if playing && now_ms - self.last_metrics_ms.get() >= 1_000.0 {
            self.last_metrics_ms.set(now_ms);
            post_to_parent(&crate::embed::metrics_event(
                &live.views(),
                seconds,
                live.total_cost_usd(),
            ));
        }
    }

    /// Says the most telling event of the last seconds in the polite live region (a rewind
    /// forgets what was heard).
    fn narrate(&self, live: &Live, before: loosely_engine::SimTime, now_ms: f64) {
        let mut narrator = self.narrator.borrow_mut();
        if live.now() < before {
            narrator.clear();
            return;
        }
        let ids = live.ids();
        let name = |id: loosely_engine::ComponentId| ids.get(id).cloned().unwrap_or_default();
        if let Some(sentence) = narrator.hear(live.fresh(), &name, now_ms) {
            if let Some(region) = self.narration.cast::<web_sys::Element>() {
                region.set_text_content(Some(&sentence));
            }
        }
    }

    /// Turns the last frame's trace into particles between the nodes.
    fn spawn_particles(&self, live: &Live, now_ms: f64) {
        let anchors = self.anchors.borrow();
        let anchor = |id: usize| anchors.get(id).copied().flatten();
        // Events of one frame happened at different simulated moments: each particle
        // starts as long ago as its event, in wall time at the current speed (at most one
        // frame gap), so a stream of messages spreads out instead of moving in lockstep.
        let speed = self.speed.get().max(0.1);
        let now_sim = live.now();
        let born = |time: loosely_engine::SimTime| {
            let behind_ms =
                (now_sim.as_micros().saturating_sub(time.as_micros())) as f64 / 1_000.0 / speed;
            now_ms - behind_ms.min(MAX_FRAME_GAP_MS)
        };
        let hops: Vec<Particle> = live
            .fresh()
            .iter()
            .filter_map(|event| {
                let hop = hop(event)?;
                let (from, to) = (anchor(hop.from)?, anchor(hop.to)?);
                // Queue to dead-letter queue runs bottom to top, everything else right to left.
                let vertical = hop.outcome == Outcome::DeadLettered;
                let (start, end) = if vertical {
                    (
                        (from.x + NODE_WIDTH / 2.0, from.y + NODE_HEIGHT),
                        (to.x + NODE_WIDTH / 2.0, to.y),
                    )
                } else if to.x >= from.x {
                    (
                        (from.x + NODE_WIDTH, from.y + NODE_HEIGHT / 2.0),
                        (to.x, to.y + NODE_HEIGHT / 2.0),
                    )
                } else {
                    (
                        (from.x, from.y + NODE_HEIGHT / 2.0),
                        (to.x + NODE_WIDTH, to.y + NODE_HEIGHT / 2.0),
                    )
                };
                Some(Particle {
                    from: start,
                    to: end,
                    born_ms: born(event.time),
                    outcome: hop.outcome,
                    group_hue: hop.group.as_deref().map(group_hue),
                    swing: swing_of(event.message),
                    message: event.message,
                })
            })
            .collect();
        let mut pool = self.particles.borrow_mut();
        if hops.is_empty() && pool.is_empty() {
            return;
        }
        pool.expire(now_ms);
        pool.spawn(hops.into_iter());
    }

    fn draw_particles(&self, now_ms: f64) {
        let pool = self.particles.borrow();
        let drawn = draw(
            &self.layer,
            self.viewport.get(),
            pool.particles(),
            now_ms,
            self.by_group.get(),
        );
        if let Some(canvas) = self.layer.cast::<web_sys::Element>() {
            let _ = canvas.set_attribute("data-particles", &drawn.to_string());
        }
    }

    /// The benchmark: keeps 5,000 particles moving between the nodes and records frame
    /// times for five seconds, then writes the figures into the page.
    fn bench_frame(&self, deltas: &RefCell<Vec<f64>>, now_ms: f64, elapsed_ms: f64) {
        const FRAMES: usize = 300;
        let anchors: Vec<Position> = self.anchors.borrow().iter().flatten().copied().collect();
        if anchors.len() < 2 {
            return;
        }
        {
            let mut pool = self.particles.borrow_mut();
            pool.expire(now_ms);
            let missing = MAX_PARTICLES - pool.len();
            let mut seed = (now_ms as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            let fresh: Vec<Particle> = (0..missing)
                .map(|_| {
                    let a = anchors[(next() % anchors.len() as u64) as usize];
                    let b = anchors[(next() % anchors.len() as u64) as usize];
                    // Spread over the travel time so they do not move in one wave.
                    let age = (next() % TRAVEL_MS as u64) as f64;
                    Particle {
                        from: (a.x + NODE_WIDTH, a.y + NODE_HEIGHT / 2.0),
                        to: (b.x, b.y + NODE_HEIGHT / 2.0 + (next() % 30) as f64 - 15.0),
                        born_ms: now_ms - age,
                        outcome: Outcome::ALL[(next() % Outcome::ALL.len() as u64) as usize],
                        group_hue: None,
                        swing: (next() % 25) as f64 - 12.0,
                        message: None,
                    }
                })
                .collect();
            pool.spawn(fresh.into_iter());
        }
        self.draw_particles(now_ms);
        let mut deltas = deltas.borrow_mut();
        if elapsed_ms > 0.0 && deltas.len() < FRAMES {
            deltas.push(elapsed_ms);
            if deltas.len() == FRAMES {
                if let (Some(stats), Some(out)) = (
                    FrameStats::of(&deltas),
                    web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id("particle-bench")),
                ) {
                    out.set_text_content(Some(&format!(
                        "{} particles, {} frames: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms, {} over 1/60 s",
                        self.particles.borrow().len(),
                        stats.frames,
                        stats.p50,
                        stats.p95,
                        stats.p99,
                        stats.max,
                        stats.over_budget
                    )));
                    let _ = out.set_attribute("data-done", "true");
                }
            }
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
            // The first scenario, downloaded (`?example=`): the page opens with it.
            return match action {
                EditorAction::Load(scenario) => Rc::new(Editor {
                    state: Some(Rc::new(initial_state(*scenario))),
                    refusal: None,
                }),
                _ => self,
            };
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
    let panel_clock: Rc<RefCell<PanelClock>> = use_mut_ref(PanelClock::default);
    let error = use_state(|| None::<String>);
    // The validation issues of the scenario on the canvas, when it cannot run.
    let issues = use_state(|| None::<String>);
    let opened = use_memo((), |_| opening());
    let editor = use_reducer({
        let opened = opened.clone();
        move || match &*opened {
            Opening::Now(Ok(scenario)) => Editor {
                state: Some(Rc::new(initial_state((**scenario).clone()))),
                refusal: None,
            },
            Opening::Now(Err(problem)) => Editor {
                state: None,
                refusal: Some(problem.clone()),
            },
            Opening::Example(_) => Editor {
                state: None,
                refusal: None,
            },
        }
    });
    // `?example=NAME`: the gallery file arrives, then the page opens it.
    {
        let editor = editor.clone();
        let error = error.clone();
        let file = match &*opened {
            Opening::Example(file) => Some(*file),
            Opening::Now(_) => None,
        };
        use_effect_with((), move |_| {
            if let Some(file) = file {
                wasm_bindgen_futures::spawn_local(async move {
                    match crate::fetch::fetch_example(file).await {
                        Ok(scenario) => editor.dispatch(EditorAction::Load(Box::new(scenario))),
                        Err(problem) => error.set(Some(problem)),
                    }
                });
            }
        });
    }
    let theme = use_state(|| {
        // `?theme=` wins for this page (an embed follows its host) without being stored.
        let theme = flags.theme.unwrap_or_else(crate::theme::current);
        crate::theme::apply(theme, false);
        theme
    });
    // The gallery, open from the start with `?gallery`.
    let gallery_open = use_state(|| query().split('&').any(|part| part == "gallery"));
    // Compare, open from the start with `?compare`.
    let compare_open = use_state(|| query().split('&').any(|part| part == "compare"));
    // The Step Functions workbench, open from the start with `?workbench`.
    let workbench = use_state(|| query().split('&').any(|part| part == "workbench"));
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
    let layer = use_node_ref();
    let narration = use_node_ref();
    let anchors: Rc<RefCell<Vec<Option<Position>>>> = use_mut_ref(Vec::new);
    let viewport_cell: Rc<Cell<Viewport>> = use_memo((), |_| Cell::new(Viewport::default()));
    let by_group: Rc<Cell<bool>> = use_memo((), |_| Cell::new(false));
    let bench = query().split('&').any(|part| part == "bench=particles");
    let until: Rc<RefCell<Option<(Breakpoint, String)>>> = use_mut_ref(|| None);
    let note: Rc<RefCell<Option<String>>> = use_mut_ref(|| None);
    let frame_loop = {
        let live = live.clone();
        let speed = speed.clone();
        let playing = playing.clone();
        let redraw = (*redraw).clone();
        let until = until.clone();
        let note = note.clone();
        let narration = narration.clone();
        let (layer, anchors, viewport_cell, by_group) = (
            layer.clone(),
            anchors.clone(),
            viewport_cell.clone(),
            by_group.clone(),
        );
        use_memo((), move |_| {
            Rc::new(FrameLoop {
                live,
                speed,
                playing,
                particles: RefCell::new(Pool::default()),
                layer,
                anchors,
                viewport: viewport_cell,
                by_group,
                bench: bench.then(|| RefCell::new(Vec::new())),
                until,
                note,
                redraw,
                embedded: parent_window().is_some(),
                told: RefCell::new(None),
                last_metrics_ms: Cell::new(0.0),
                last_timestamp_ms: Cell::new(None),
                narrator: RefCell::new(crate::narration::Narrator::default()),
                narration,
                alive: Cell::new(true),
                handle: RefCell::new(None),
            })
        })
    };

    {
        let error = error.clone();
        let load_problem = editor
            .state
            .is_none()
            .then(|| editor.refusal.clone())
            .flatten();
        use_effect_with((), move |_| {
            if let Some(problem) = load_problem {
                error.set(Some(problem));
            }
            if let Some(boot) = web_sys::window()
                .and_then(|window| window.document())
                .and_then(|document| document.get_element_by_id("boot"))
            {
                boot.remove();
            }
            // The first render is on screen: a mark that the browser tests read to report
            // the time from navigation to a drawn page.
            if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
                let _ = performance.mark("loosely-first-render");
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
                show_link(scenario);
                let mut current = live.borrow_mut();
                let kept = match current.as_mut() {
                    Some(running) if same_but_positions(&running.scenario, scenario) => {
                        running.scenario = scenario.clone();
                        true
                    }
                    // A parameter change goes into the running simulation.
                    Some(running) => running.apply_parameters(scenario),
                    None => false,
                };
                if !kept {
                    match Live::from_scenario(scenario.clone()) {
                        Ok(built) => {
                            *current = Some(built);
                            issues.set(None);
                        }
                        Err(problem) => {
                            *current = None;
                            issues.set(Some(problem));
                        }
                    }
                }
            }
            redraw.emit(());
        });
    }
    {
        // `?t=SECONDS`: a link that pins a moment opens there, paused (once the scenario is
        // there: `?example=` downloads it first).
        let (live, at) = (live.clone(), flags.at_seconds);
        use_effect_with(editor.state.is_some(), move |_| {
            if let (Some(seconds), Some(current)) = (at, live.borrow_mut().as_mut()) {
                current.seek(loosely_engine::SimTime::from_secs_f64(seconds));
            }
        });
    }
    {
        // The embed API: a host page drives the playground with `postMessage`.
        let (dispatch, playing, speed, redraw) = (
            {
                let editor = editor.clone();
                Callback::from(move |action: EditorAction| editor.dispatch(action))
            },
            playing.clone(),
            speed.clone(),
            redraw.clone(),
        );
        use_effect_with((), move |_| {
            let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::MessageEvent)>::new(
                move |event: web_sys::MessageEvent| {
                    // Only the page this one is embedded in gives orders.
                    let from_parent = match (event.source(), parent_window()) {
                        (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
                        _ => false,
                    };
                    if !from_parent {
                        return;
                    }
                    let text = js_sys::JSON::stringify(&event.data())
                        .ok()
                        .and_then(|text| text.as_string())
                        .unwrap_or_default();
                    let Ok(message) = serde_json::from_str::<serde_json::Value>(&text) else {
                        return;
                    };
                    match crate::embed::parse_host_message(&message) {
                        Ok(Some(crate::embed::HostMessage::Load(scenario))) => {
                            dispatch.emit(EditorAction::Load(scenario));
                        }
                        Ok(Some(crate::embed::HostMessage::Play)) => playing.set(true),
                        Ok(Some(crate::embed::HostMessage::Pause)) => playing.set(false),
                        Ok(Some(crate::embed::HostMessage::Speed(value))) => speed.set(value),
                        Ok(None) => return,
                        Err(problem) => post_to_parent(&serde_json::json!({
                            "type": "loosely:error",
                            "message": problem,
                        })),
                    }
                    redraw.emit(());
                },
            );
            let window = web_sys::window();
            if let Some(window) = &window {
                let _ = window.add_event_listener_with_callback(
                    "message",
                    wasm_bindgen::JsCast::unchecked_ref(listener.as_ref()),
                );
            }
            post_to_parent(&serde_json::json!({
                "type": "loosely:ready",
                "version": env!("CARGO_PKG_VERSION"),
            }));
            move || {
                if let Some(window) = window {
                    let _ = window.remove_event_listener_with_callback(
                        "message",
                        wasm_bindgen::JsCast::unchecked_ref(listener.as_ref()),
                    );
                }
            }
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
                // The address keeps the link as it was given, so nothing is lost.
                <a href={web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default()}>
                    { "Open the playground with its own scenario" }
                </a>
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
    let on_import = {
        let dispatch = dispatch.clone();
        Callback::from(move |scenario: Scenario| {
            dispatch.emit(EditorAction::Load(Box::new(scenario)))
        })
    };
    let on_root_pointer_up = {
        let dragged_kind = dragged_kind.clone();
        Callback::from(move |_: PointerEvent| dragged_kind.set(None))
    };
    // A click on a moving particle opens its message's history.
    let on_stage_click = {
        let (frame_loop, open_history, layer) =
            ((*frame_loop).clone(), open_history.clone(), layer.clone());
        let viewport = state.viewport;
        Callback::from(move |event: MouseEvent| {
            let Some(canvas) = layer.cast::<web_sys::Element>() else {
                return;
            };
            let rect = canvas.get_bounding_client_rect();
            let screen = (
                f64::from(event.client_x()) - rect.left(),
                f64::from(event.client_y()) - rect.top(),
            );
            let world = viewport.to_world(screen);
            let reach = PARTICLE_REACH_PX / viewport.zoom.max(0.1);
            if let Some(message) = frame_loop.particles.borrow().hit(world, now_ms(), reach) {
                open_history.set(Some(message));
            }
        })
    };
    // A scenario file dropped on the canvas opens like an import.
    let on_drag_over = Callback::from(|event: DragEvent| event.prevent_default());
    let on_drop = {
        let (on_import, error_note) = (on_import.clone(), note.clone());
        let redraw = redraw.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            let Some(file) = event
                .data_transfer()
                .and_then(|transfer| transfer.files())
                .and_then(|files| files.get(0))
            else {
                return;
            };
            let (on_import, error_note, redraw) =
                (on_import.clone(), error_note.clone(), redraw.clone());
            crate::components::share_menu::read_scenario_file(
                file,
                Callback::from(move |read: Result<Opened, String>| {
                    match read {
                        Ok(opened) => {
                            on_import.emit(opened.scenario);
                            *error_note.borrow_mut() = Some(opened.message);
                        }
                        Err(problem) => *error_note.borrow_mut() = Some(problem),
                    }
                    redraw.emit(());
                }),
            );
        })
    };
    let borrowed = live.borrow();
    let current = borrowed.as_ref();
    // Where the particles start and end: the nodes' positions by engine component id.
    viewport_cell.set(state.viewport);
    if let Some(current) = current {
        *anchors.borrow_mut() = current
            .ids()
            .iter()
            .map(|id| state.component(id).map(|c| c.position()))
            .collect();
    }
    let on_toggle_group = {
        let (by_group, redraw) = (by_group.clone(), redraw.clone());
        Callback::from(move |()| {
            by_group.set(!by_group.get());
            redraw.emit(());
        })
    };
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
    let on_step = {
        let (live, playing, redraw, note) =
            (live.clone(), playing.clone(), redraw.clone(), note.clone());
        Callback::from(move |()| {
            playing.set(false);
            if let Some(current) = live.borrow_mut().as_mut() {
                let events = current.step_one();
                let namer = current.simulation().namer();
                *note.borrow_mut() = Some(match events.first() {
                    Some(event) => format!("Stepped: {}.", event.explain(&namer)),
                    None => "Stepped: an internal event (a timer or a poll with nothing to show)."
                        .to_string(),
                });
            }
            redraw.emit(());
        })
    };
    let on_seek = {
        let (live, redraw) = (live.clone(), redraw.clone());
        let frame_loop = (*frame_loop).clone();
        Callback::from(move |time: loosely_engine::SimTime| {
            if let Some(current) = live.borrow_mut().as_mut() {
                if time < current.now() {
                    // The particles in the air belong to the future being undone.
                    frame_loop.particles.borrow_mut().clear();
                }
                current.seek(time);
            }
            redraw.emit(());
        })
    };
    let on_run_until = {
        let (until, note, redraw) = (until.clone(), note.clone(), redraw.clone());
        Callback::from(move |job: (Breakpoint, String)| {
            note.borrow_mut().take();
            *until.borrow_mut() = Some(job);
            redraw.emit(());
        })
    };
    let on_stop = {
        let (until, note, redraw) = (until.clone(), note.clone(), redraw.clone());
        Callback::from(move |()| {
            if let Some((_, label)) = until.borrow_mut().take() {
                *note.borrow_mut() = Some(format!("Stopped by hand before {label}."));
            }
            redraw.emit(());
        })
    };
    let on_new_seed = {
        let dispatch = dispatch.clone();
        Callback::from(move |()| {
            // Any 53-bit number; the seed is shown, so a run can be repeated.
            let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
            dispatch.emit(EditorAction::SetSeed(seed));
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
    // The side panels' time and views: refreshed every PANEL_REFRESH_MS while playing, at
    // once otherwise (a step, a seek, an edit while paused).
    let (panel_now, panel_views) = {
        let mut clock = panel_clock.borrow_mut();
        let wall = now_ms();
        let moving = playing.get() && current.is_some_and(|live| !live.finished());
        if !moving
            || wall - clock.at_ms >= PANEL_REFRESH_MS
            || clock.views.len() != views.len()
            || now_micros < clock.now_micros
        {
            clock.at_ms = wall;
            clock.now_micros = now_micros;
            clock.views = views.clone();
        }
        (clock.now_micros, clock.views.clone())
    };
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
    // With one SNS topic selected: a bench for its subscriptions' filter policies, starting
    // from the first policy it has.
    let subscription_panel = match &state.selected_connection {
        Some((from, to))
            if matches!(
                state.component(from),
                Some(loosely_scenario::Component::SnsTopic(_))
            ) =>
        {
            // Keyed by the attributes too, so that an undo refreshes the form.
            let key = format!(
                "{from}→{to}:{:?}",
                state
                    .connection_index(from, to)
                    .map(|i| &state.scenario.connections[i].subscription)
            );
            html! {
                <SubscriptionPanel {key} scenario={state.scenario.clone()} from={from.clone()}
                    to={to.clone()} dispatch={dispatch.clone()} />
            }
        }
        Some((from, to))
            if matches!(
                (state.component(from), state.component(to)),
                (
                    Some(loosely_scenario::Component::SqsQueue(_)),
                    Some(loosely_scenario::Component::LambdaFunction(_))
                )
            ) =>
        {
            let key = format!(
                "{from}→{to}:{:?}",
                state
                    .connection_index(from, to)
                    .map(|i| &state.scenario.connections[i].event_source_mapping)
            );
            html! {
                <EventSourcePanel {key} scenario={state.scenario.clone()} from={from.clone()}
                    to={to.clone()} dispatch={dispatch.clone()} />
            }
        }
        _ => html! {},
    };
    let policy_panel = match state.selection.iter().next() {
        Some(id) if state.selection.len() == 1 => {
            match state.component(id) {
                Some(topic @ loosely_scenario::Component::SnsTopic(_)) => {
                    let subscriptions: Vec<SubscriptionPolicy> = state
                    .scenario
                    .connections
                    .iter()
                    .filter(|c| &c.from == id)
                    .map(|c| {
                        let subscription = c.subscription.as_ref();
                        SubscriptionPolicy {
                            subscriber: state
                                .component(&c.to)
                                .map_or(c.to.clone(), |s| s.display_name().to_string()),
                            policy: subscription
                                .and_then(|s| s.filter_policy.as_ref())
                                .map(|p| p.to_string()),
                            scope: match subscription.and_then(|s| s.filter_policy_scope) {
                                Some(loosely_scenario::FilterPolicyScope::MessageBody) => {
                                    loosely_engine::sns_filter::FilterPolicyScope::MessageBody
                                }
                                _ => loosely_engine::sns_filter::FilterPolicyScope::MessageAttributes,
                            },
                        }
                    })
                    .collect();
                    html! {
                        <>
                            <Inspector key={format!("inspector-{id}")} component={topic.clone()} dispatch={dispatch.clone()} />
                            <FanoutTester key={id.clone()} {subscriptions} />
                        </>
                    }
                }
                Some(component) => html! {
                    <Inspector key={format!("inspector-{id}")} component={component.clone()} dispatch={dispatch.clone()} />
                },
                None => html! {},
            }
        }
        _ => html! {
            <aside class="inspector hint-only" data-testid="inspector">
                <p class="hint">{ "Select a component to see and change its parameters, or an SNS topic's arrow to edit the subscription." }</p>
            </aside>
        },
    };
    // The fault timeline of a selected consumer pool, endpoint, state machine or compute
    // environment; keyed by its faults so that an undo refreshes the form.
    let faults_panel = match state.selection.iter().next() {
        Some(id) if state.selection.len() == 1 && state.selected_connection.is_none() => {
            match state.component(id) {
                Some(component) if crate::components::faults_panel::takes_faults(component) => {
                    let key = format!(
                        "faults-{id}:{:?}",
                        crate::components::faults_panel::rows_of(&state.scenario, id)
                    );
                    html! {
                        <FaultsPanel {key} scenario={state.scenario.clone()} component={id.clone()}
                            now_seconds={panel_now as f64 / 1e6} readonly={state.readonly}
                            dispatch={dispatch.clone()} />
                    }
                }
                _ => html! {},
            }
        }
        _ => html! {},
    };
    let refusal_panel = match &editor.refusal {
        Some(refusal) => html! {
            <p class="refusal" role="alert" data-testid="refusal">{ refusal.clone() }</p>
        },
        None => html! {},
    };
    // A link made by another engine version may give other figures for the same seed.
    let engine_note = crate::flags::value_of(&query(), "engine")
        .filter(|made_by| *made_by != env!("CARGO_PKG_VERSION"))
        .map(|made_by| {
            html! {
                <p class="engine-note" role="note" data-testid="engine-note">
                    { format!("This link was made with engine {made_by}; this is {}: the same seed may give other figures.", env!("CARGO_PKG_VERSION")) }
                </p>
            }
        });
    if flags.embed {
        let open_url = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .map(|href| crate::embed::playground_url(&href))
            .unwrap_or_default();
        let toggle_label = if finished {
            "Finished"
        } else if playing.get() {
            "Pause"
        } else {
            "Play"
        };
        let on_speed_input = on_speed.reform(|event: InputEvent| {
            event
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .and_then(|input| input.value().parse::<f64>().ok())
                .map_or(1.0, crate::components::top_bar::speed_at)
        });
        return html! {
            <div class="app embed" data-embedded={parent_window().is_some().to_string()} onpointerup={on_root_pointer_up} data-testid="embed">
                <header class="embed-bar">
                    <button class="primary" data-testid="play" disabled={finished} onclick={on_toggle.reform(|_: MouseEvent| ())}>{ toggle_label }</button>
                    <button data-testid="reset" onclick={on_reset.reform(|_: MouseEvent| ())}>{ "Reset" }</button>
                    <label class="speed" title="Simulated time per second of yours, 0.1× to 10,000×">
                        <input type="range" min="-1" max="4" step="0.01" aria-label="Speed"
                            value={speed.get().log10().to_string()} oninput={on_speed_input} data-testid="speed" />
                        <span class="speed-value" data-testid="speed-value">{ crate::components::top_bar::speed_label(speed.get()) }</span>
                    </label>
                    <span class="clock" data-testid="clock" aria-label="simulated time">{ clock }</span>
                    <span class="scenario" data-testid="scenario-name">{ state.scenario.name.clone() }</span>
                    if state.readonly { <span class="hint" data-testid="readonly">{ "read-only" }</span> }
                    <a class="open-playground" href={open_url} target="_blank" rel="noopener" data-testid="open-playground">{ "Open in playground ↗" }</a>
                </header>
                { for engine_note }
                <div class="stage" onclick={on_stage_click}>
                    <Canvas state={state.clone()} views={views.clone()} {dispatch} {dragged_kind}
                        problems={issues.as_ref().map(|text| crate::state::problems_by_component(&state.scenario, text)).unwrap_or_default()} />
                    <ParticleLayer layer={layer.clone()} by_group={by_group.get()} {on_toggle_group} />
                    { refusal_panel }
                    { issues_panel }
                </div>
                if let Some(message) = history_message {
                    <section class="tracing">
                        <History live={live_handle} now={panel_now} {message} on_close={on_close_history} />
                    </section>
                }
            </div>
        };
    }
    html! {
        <div class="app" data-embedded={parent_window().is_some().to_string()} onpointerup={on_root_pointer_up}>
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
                seed={state.scenario.seed}
                {on_new_seed}
                limit_profile={state.scenario.limit_profile}
                on_limit_profile={dispatch.reform(EditorAction::SetLimitProfile)}
            >
                <ShareMenu scenario={state.scenario.clone()} on_import={on_import.clone()} live={live_handle.clone()}
                    now_seconds={panel_now as f64 / 1e6} selected={single_selection.clone()} />
                <button data-testid="theme-toggle" title="Switch between the light and the dark theme"
                    onclick={{
                        let theme = theme.clone();
                        Callback::from(move |_: MouseEvent| {
                            let next = crate::theme::other(&theme);
                            crate::theme::apply(next, true);
                            theme.set(next);
                        })
                    }}>
                    { if *theme == "dark" { "Light" } else { "Dark" } }
                </button>
                <button onclick={{ let gallery_open = gallery_open.clone(); Callback::from(move |_: MouseEvent| gallery_open.set(true)) }}
                    data-testid="open-gallery" title="Ready scenarios, each with what to watch">
                    { "Gallery" }
                </button>
                <button onclick={{ let compare_open = compare_open.clone(); Callback::from(move |_: MouseEvent| compare_open.set(true)) }}
                    data-testid="open-compare" title="Run a copy with one setting changed beside this one, under the same seed">
                    { "Compare…" }
                </button>
                <button onclick={{ let workbench = workbench.clone(); Callback::from(move |_: MouseEvent| workbench.set(true)) }}
                    data-testid="open-workbench" title="Paste, validate, draw and run an Amazon States Language definition">
                    { "Step Functions…" }
                </button>
            </TopBar>
            if *gallery_open {
                <Gallery
                    on_choose={{
                        let (dispatch, gallery_open) = (dispatch.clone(), gallery_open.clone());
                        Callback::from(move |scenario: Scenario| {
                            gallery_open.set(false);
                            dispatch.emit(EditorAction::Load(Box::new(scenario)));
                        })
                    }}
                    on_close={{ let gallery_open = gallery_open.clone(); Callback::from(move |()| gallery_open.set(false)) }} />
            }
            if *compare_open {
                <ComparePanel scenario={state.scenario.clone()} selected={single_selection.clone()}
                    on_close={{ let compare_open = compare_open.clone(); Callback::from(move |()| compare_open.set(false)) }} />
            }
            if *workbench {
                <AslWorkbench on_close={{ let workbench = workbench.clone(); Callback::from(move |()| workbench.set(false)) }} />
            }
            { for engine_note }
            <div class="workspace">
                <Palette dragged_kind={dragged_kind.clone()} {on_add} />
                <div class="stage" onclick={on_stage_click} ondragover={on_drag_over} ondrop={on_drop}>
                    <Canvas state={state.clone()} views={views.clone()} dispatch={dispatch.clone()} {dragged_kind}
                        problems={issues.as_ref().map(|text| crate::state::problems_by_component(&state.scenario, text)).unwrap_or_default()} />
                    <ParticleLayer layer={layer.clone()} by_group={by_group.get()} {on_toggle_group} />
                    if bench {
                        <p id="particle-bench" class="bench" data-testid="particle-bench">{ "Measuring frame times with 5,000 particles…" }</p>
                    }
                    { refusal_panel }
                    { issues_panel }
                </div>
                <div class="side">
                    if state.selected_connection.is_some() { { subscription_panel } } else { { policy_panel } }
                    { faults_panel }
                </div>
            </div>
            <p class="sr-only" aria-live="polite" ref={narration.clone()} data-testid="narration"></p>
            <Outline state={state.clone()} views={panel_views.clone()} {dispatch} />
            if let Some(current) = current {
                <Timebar key={state.scenario.components.iter().map(|c| c.id()).collect::<Vec<_>>().join(" ")}
                    scenario={state.scenario.clone()} now={current.now()} target={current.target()}
                    duration={current.duration()} earliest={current.earliest()}
                    running_until={until.borrow().as_ref().map(|(_, label)| label.clone())}
                    note={note.borrow().clone()} {on_step} {on_seek} {on_run_until} {on_stop} />
            }
            <Expectations live={live_handle.clone()} now={panel_now} on_open={on_open_history.clone()} />
            <Charts live={live_handle.clone()} now={panel_now} selected={single_selection.clone()} />
            <section class="tracing" data-testid="tracing">
                <SfnLive key={single_selection.clone().unwrap_or_default()} live={live_handle.clone()} now={panel_now} selected={single_selection.clone()} />
                <FlowRuns live={live_handle.clone()} now={panel_now} selected={single_selection.clone()} />
                <BucketObjects live={live_handle.clone()} now={panel_now} ready={current.is_some()} selected={single_selection.clone()} />
                <Peek live={live_handle.clone()} now={panel_now} selected={single_selection} on_open={on_open_history.clone()} />
                <EventLog live={live_handle.clone()} now={panel_now} on_open={on_open_history} />
                if let Some(message) = history_message {
                    <History live={live_handle} now={panel_now} {message} on_close={on_close_history} />
                }
            </section>
            <main>
                <p class="description">{ state.scenario.description.clone() }</p>
                <div class="cards">
                    { for panel_views.into_iter().map(|view| {
                        let key = view.id.clone();
                        html! { <ComponentCard {key} {view} /> }
                    }) }
                </div>
            </main>
        </div>
    }
}
