//! The loosely playground: a Yew app that drives the simulation engine in the browser.

mod app;
mod components;
mod flags;
// The page builds its simulation from the editor's scenario; `Live::from_json` stays for the
// tests and for loading files.
#[allow(dead_code)]
mod live;
mod panic;
mod state;
mod trace_view;

fn main() {
    panic::install();
    yew::Renderer::<app::App>::new().render();
}
