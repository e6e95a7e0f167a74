//! The loosely playground: a Yew app that drives the simulation engine in the browser.

mod app;
mod components;
mod flags;
mod live;
mod panic;

fn main() {
    panic::install();
    yew::Renderer::<app::App>::new().render();
}
