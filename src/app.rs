//! The page: a scenario running live, advanced from `requestAnimationFrame` within a time
//! budget per frame so the page stays responsive at any speed.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use loosely_engine::{format_clock, SimDuration};
use yew::prelude::*;

use crate::components::component_card::ComponentCard;
use crate::components::top_bar::TopBar;
use crate::flags::Flags;
use crate::live::Live;

/// The scenario the page opens with.
pub const BUNDLED: &str = include_str!("../examples/worker-pool-dlq.json");

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

#[function_component(App)]
pub fn app() -> Html {
    let flags = use_memo((), |_| Flags::parse(&query()));
    let live: Rc<RefCell<Option<Live>>> = use_mut_ref(|| None);
    let error = use_state(|| None::<String>);
    let speed: Rc<Cell<f64>> = use_memo((), |_| Cell::new(flags.speed));
    let playing: Rc<Cell<bool>> = use_memo((), |_| Cell::new(!flags.paused));
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
        let live = live.clone();
        let error = error.clone();
        let redraw = redraw.clone();
        use_effect_with((), move |_| {
            match Live::from_json(BUNDLED) {
                Ok(built) => *live.borrow_mut() = Some(built),
                Err(problem) => error.set(Some(problem)),
            }
            if let Some(boot) = web_sys::window()
                .and_then(|window| window.document())
                .and_then(|document| document.get_element_by_id("boot"))
            {
                boot.remove();
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
    let borrowed = live.borrow();
    let Some(current) = borrowed.as_ref() else {
        return html! { <div class="boot">{ "Loading the simulation…" }</div> };
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
    let clock = format!(
        "{} of {}",
        format_clock(current.now().as_micros()),
        format_clock(current.duration().as_micros())
    );
    html! {
        <>
            <TopBar
                scenario={current.scenario.name.clone()}
                {clock}
                playing={playing.get() && !current.finished()}
                finished={current.finished()}
                speed={speed.get()}
                cost={current.total_cost_usd()}
                {on_toggle}
                {on_speed}
                {on_reset}
            />
            <main>
                <p class="description">{ current.scenario.description.clone() }</p>
                <div class="cards">
                    { for current.views().into_iter().map(|view| {
                        let key = view.id.clone();
                        html! { <ComponentCard {key} {view} /> }
                    }) }
                </div>
            </main>
        </>
    }
}
