//! The left column: the kinds of component that can be added. Press an entry and release
//! the pointer over the canvas to put one there; click it to put one in the middle.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use crate::state::PaletteKind;

#[derive(Properties, PartialEq)]
pub struct PaletteProps {
    /// Set while an entry is pressed; the canvas takes it when the pointer is released there.
    pub dragged_kind: Rc<Cell<Option<PaletteKind>>>,
    pub on_add: Callback<PaletteKind>,
}

#[function_component(Palette)]
pub fn palette(props: &PaletteProps) -> Html {
    html! {
        <nav class="palette" aria-label="Components">
            <h2>{ "Add" }</h2>
            <ul>
                { for PaletteKind::ALL.into_iter().map(|kind| {
                    let on_down = {
                        let dragged_kind = props.dragged_kind.clone();
                        Callback::from(move |event: PointerEvent| {
                            if event.button() == 0 {
                                dragged_kind.set(Some(kind));
                            }
                        })
                    };
                    let on_click = {
                        let dragged_kind = props.dragged_kind.clone();
                        let on_add = props.on_add.clone();
                        Callback::from(move |_: MouseEvent| {
                            dragged_kind.set(None);
                            on_add.emit(kind);
                        })
                    };
                    html! {
                        <li>
                            <button
                                class={classes!("palette-entry", kind.id_prefix())}
                                data-testid={format!("palette-{}", kind.id_prefix())}
                                title="Drag onto the canvas, or click to add in the middle"
                                onpointerdown={on_down}
                                onclick={on_click}
                            >
                                { kind.label() }
                            </button>
                        </li>
                    }
                }) }
            </ul>
            <p class="hint">{ "Drag a node to move it, its right dot to connect it. Shift-click adds to the selection; Delete removes it; Ctrl+Z undoes." }</p>
        </nav>
    }
}
