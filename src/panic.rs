//! A panic must never leave a blank page: the hook logs it and puts a visible banner with a
//! reload button on top of whatever is there.
//! `index.html` has the same banner in plain JavaScript for failures before or outside Rust
//! (the wasm file failing to load, say); it shows nothing when this banner is already up.

use std::panic::PanicHookInfo;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

pub fn install() {
    std::panic::set_hook(Box::new(|info: &PanicHookInfo<'_>| {
        console_error_panic_hook::hook(info);
        show_banner(&info.to_string());
    }));
}

fn show_banner(message: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    if document.get_element_by_id("crash").is_some() {
        return;
    }
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_id("crash");
    banner.set_class_name("crash");
    banner.set_attribute("role", "alert").ok();
    banner.set_attribute("data-testid", "crash").ok();
    let Ok(text) = document.create_element("span") else {
        return;
    };
    // Text only: nothing from the panic message is parsed as HTML.
    text.set_text_content(Some(&format!("The playground stopped: {message}")));
    banner.append_child(&text).ok();
    if let Ok(button) = document.create_element("button") {
        button.set_text_content(Some("Reload"));
        let reload = Closure::once_into_js(|| {
            if let Some(window) = web_sys::window() {
                window.location().reload().ok();
            }
        });
        button
            .add_event_listener_with_callback("click", reload.unchecked_ref())
            .ok();
        banner.append_child(&button).ok();
    }
    body.prepend_with_node_1(&banner).ok();
}
