//! The workflow view of a state machine (the layout of [`crate::asl_graph`]) with its
//! states lit by [`crate::asl_lights`]: the workbench's replay and the live view of a
//! running state machine draw through it.

use std::rc::Rc;

use yew::prelude::*;

use crate::asl_graph::{arrow_path, EdgeKind, Layout, STATE_HEIGHT};
use crate::asl_lights::Lights;

#[derive(Properties, PartialEq)]
pub struct AslGraphViewProps {
    pub layout: Rc<Layout>,
    pub lights: Rc<Lights>,
    /// The state whose box is outlined as chosen.
    #[prop_or_default]
    pub chosen: Option<String>,
    /// A click on a state's box, with its name; boxes are not clickable without it.
    #[prop_or_default]
    pub on_state: Option<Callback<String>>,
}

#[function_component(AslGraphView)]
pub fn asl_graph_view(props: &AslGraphViewProps) -> Html {
    let view = &props.layout;
    let boxes = view.boxes.iter().map(|b| {
        let light = props.lights.get(&b.name);
        let class = classes!(
            "asl-state",
            b.group.then_some("group"),
            light.is_some_and(|l| l.entered).then_some("entered"),
            light.is_some_and(|l| l.failing).then_some("failed"),
            light.is_some_and(|l| l.active).then_some("current"),
            (props.chosen.as_deref() == Some(b.name.as_str())).then_some("chosen"),
            props.on_state.is_some().then_some("opens"),
        );
        let onclick = props.on_state.as_ref().map(|on_state| {
            let name = b.name.clone();
            on_state.reform(move |event: MouseEvent| {
                event.stop_propagation();
                name.clone()
            })
        });
        let label_y = if b.group {
            16.0
        } else {
            STATE_HEIGHT / 2.0 + 5.0
        };
        let title = match light {
            Some(light) => format!("{} ({}): {}", b.name, b.type_name, light.title),
            None => format!("{} ({}): not entered", b.name, b.type_name),
        };
        html! {
            <g class={class} transform={format!("translate({} {})", b.x, b.y)} {onclick}
                data-testid={format!("asl-state-{}", b.name)}>
                <title>{ title }</title>
                <rect width={b.width.to_string()} height={b.height.to_string()} rx="6" />
                <text x={(b.width / 2.0).to_string()} y={label_y.to_string()} text-anchor="middle">
                    { b.name.clone() }
                </text>
                if let Some(light) = light.filter(|l| !l.badge.is_empty()) {
                    <text class="count" x={(b.width - 6.0).to_string()} y="12" text-anchor="end">
                        { light.badge.clone() }
                    </text>
                }
            </g>
        }
    });
    let arrows = view.arrows.iter().map(|a| {
        let class = match a.kind {
            EdgeKind::Next => "asl-arrow",
            EdgeKind::Choice => "asl-arrow choice",
            EdgeKind::Default => "asl-arrow default",
            EdgeKind::Catch => "asl-arrow catch",
        };
        html! { <path class={class} d={arrow_path(a)} marker-end="url(#asl-head)" /> }
    });
    html! {
        <svg class="asl-graph" data-testid="asl-graph" width={view.width.to_string()}
            height={view.height.to_string()} xmlns="http://www.w3.org/2000/svg">
            <defs>
                <marker id="asl-head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0 0 L10 5 L0 10 z" class="arrowhead" />
                </marker>
            </defs>
            { for arrows }
            { for boxes }
            <g class="asl-mark"><circle cx={view.start.0.to_string()} cy={view.start.1.to_string()} r="8" />
                <text x={(view.start.0 + 14.0).to_string()} y={(view.start.1 + 4.0).to_string()}>{ "Start" }</text></g>
            <g class="asl-mark"><circle cx={view.end.0.to_string()} cy={view.end.1.to_string()} r="8" />
                <text x={(view.end.0 + 14.0).to_string()} y={(view.end.1 + 4.0).to_string()}>{ "End" }</text></g>
        </svg>
    }
}
