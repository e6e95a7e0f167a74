//! The `<canvas>` over the SVG canvas where messages move as particles. Drawn directly
//! through the 2D context every animation frame (the virtual DOM would be far too slow for
//! thousands of dots); this component only places the element.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::particles::{Outcome, Particle, Shape};
use crate::state::Viewport;

#[derive(Properties, PartialEq)]
pub struct ParticleLayerProps {
    pub layer: NodeRef,
    /// Colour by FIFO message group instead of outcome.
    pub by_group: bool,
    pub on_toggle_group: Callback<()>,
}

#[function_component(ParticleLayer)]
pub fn particle_layer(props: &ParticleLayerProps) -> Html {
    let on_toggle = props.on_toggle_group.reform(|_: Event| ());
    html! {
        <>
            <canvas ref={props.layer.clone()} class="particles" data-testid="particles" aria-hidden="true" />
            <div class="legend" data-testid="legend">
                if props.by_group {
                    <span>{ "Colour: FIFO message group" }</span>
                } else {
                    { for Outcome::ALL.iter().map(|o| html! {
                        <span>{ legend_mark(*o) }{ o.label() }</span>
                    }) }
                }
                <label title="Colour the particles by FIFO message group">
                    <input type="checkbox" checked={props.by_group} onchange={on_toggle} />{ " by group" }
                </label>
            </div>
        </>
    }
}

/// Draws `particles` at `now_ms` on the canvas, through the canvas viewport. Returns how
/// many were drawn.
pub fn draw(
    layer: &NodeRef,
    viewport: Viewport,
    particles: &[Particle],
    now_ms: f64,
    by_group: bool,
) -> usize {
    let Some(canvas) = layer.cast::<web_sys::HtmlCanvasElement>() else {
        return 0;
    };
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let width = (f64::from(canvas.client_width()) * ratio) as u32;
    let height = (f64::from(canvas.client_height()) * ratio) as u32;
    if canvas.width() != width || canvas.height() != height {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    let Some(context) = context_2d(&canvas) else {
        return 0;
    };
    let _ = context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    context.clear_rect(0.0, 0.0, f64::from(width), f64::from(height));
    let scale = ratio * viewport.zoom;
    let _ = context.set_transform(
        scale,
        0.0,
        0.0,
        scale,
        ratio * viewport.x,
        ratio * viewport.y,
    );
    let mut drawn = 0;
    let radius = 3.0;
    if by_group {
        // One path per particle: each group has its own colour.
        for particle in particles {
            let Some((x, y)) = particle.position(now_ms) else {
                continue;
            };
            let color = match particle.group_hue {
                Some(hue) => format!("hsl({hue} 75% 50%)"),
                None => "#94a3b8".to_string(),
            };
            context.set_fill_style_str(&color);
            context.begin_path();
            let _ = context.arc(x, y, radius, 0.0, std::f64::consts::TAU);
            context.fill();
            drawn += 1;
        }
        return drawn;
    }
    // One path per outcome: its colour and its shape.
    for outcome in Outcome::ALL {
        context.begin_path();
        let mut any = false;
        let shape = outcome.shape();
        for particle in particles.iter().filter(|p| p.outcome == outcome) {
            let Some((x, y)) = particle.position(now_ms) else {
                continue;
            };
            trace_shape(&context, shape, x, y, radius);
            any = true;
            drawn += 1;
        }
        if any {
            if matches!(shape, Shape::Cross | Shape::Ring) {
                context.set_stroke_style_str(outcome.color());
                context.set_line_width(1.6);
                context.stroke();
            } else {
                context.set_fill_style_str(outcome.color());
                context.fill();
            }
        }
    }
    drawn
}

/// Adds one particle's outline to the current path.
fn trace_shape(context: &web_sys::CanvasRenderingContext2d, shape: Shape, x: f64, y: f64, r: f64) {
    match shape {
        Shape::Circle | Shape::Ring => {
            context.move_to(x + r, y);
            let _ = context.arc(x, y, r, 0.0, std::f64::consts::TAU);
        }
        Shape::Square => context.rect(x - r, y - r, 2.0 * r, 2.0 * r),
        Shape::Bar => context.rect(x - 1.4 * r, y - 0.6 * r, 2.8 * r, 1.2 * r),
        Shape::Triangle => {
            context.move_to(x, y - 1.2 * r);
            context.line_to(x + 1.2 * r, y + r);
            context.line_to(x - 1.2 * r, y + r);
            context.close_path();
        }
        Shape::Diamond => {
            context.move_to(x, y - 1.3 * r);
            context.line_to(x + 1.3 * r, y);
            context.line_to(x, y + 1.3 * r);
            context.line_to(x - 1.3 * r, y);
            context.close_path();
        }
        Shape::Cross => {
            context.move_to(x - r, y - r);
            context.line_to(x + r, y + r);
            context.move_to(x + r, y - r);
            context.line_to(x - r, y + r);
        }
    }
}

/// The legend's sample of an outcome: its shape in its colour, as inline SVG.
fn legend_mark(outcome: Outcome) -> Html {
    let color = outcome.color();
    let shape = match outcome.shape() {
        Shape::Circle => html! { <circle cx="6" cy="6" r="4" fill={color} /> },
        Shape::Ring => {
            html! { <circle cx="6" cy="6" r="3.5" fill="none" stroke={color} stroke-width="1.6" /> }
        }
        Shape::Square => html! { <rect x="2" y="2" width="8" height="8" fill={color} /> },
        Shape::Bar => html! { <rect x="1" y="4" width="10" height="4" fill={color} /> },
        Shape::Triangle => html! { <path d="M6 1.5 L10.5 10 L1.5 10 Z" fill={color} /> },
        Shape::Diamond => html! { <path d="M6 1 L11 6 L6 11 L1 6 Z" fill={color} /> },
        Shape::Cross => {
            html! { <path d="M2 2 L10 10 M10 2 L2 10" stroke={color} stroke-width="1.8" /> }
        }
    };
    html! { <svg class="mark" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">{ shape }</svg> }
}

/// A canvas's 2D drawing context, if the browser gives one.
pub fn context_2d(
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
}
