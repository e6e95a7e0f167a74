//! The loosely playground: a Yew app that drives the simulation engine in the browser.

mod app;
mod asl_graph;
mod asl_lights;
mod asl_run;
mod badges;
mod cfn_client;
mod chart;
mod compare;
mod components;
mod drawing;
mod embed;
mod export;
mod fetch;
mod flags;
mod gallery;
mod inspector_model;
// The page builds its simulation from the editor's scenario; `Live::from_json` stays for the
// tests and for loading files.
#[allow(dead_code)]
mod live;
mod narration;
mod panic;
mod particles;
mod policy_test;
mod recording;
mod state;
mod sweep_run;
mod theme;
mod trace_view;

fn main() {
    panic::install();
    yew::Renderer::<app::App>::new().render();
}
