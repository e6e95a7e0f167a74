//! Animated export: a few seconds of the live canvas recorded as a WebM video, for slides
//! and docs. Each frame paints, on an off-screen canvas, a picture of the canvas's SVG (the
//! page's style sheets inlined, refreshed twice a second so badges and gauges move), the
//! particle layer over it, and the simulated clock; the browser's `MediaRecorder` encodes
//! the canvas's stream.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Frames per second of the video.
const FPS: f64 = 15.0;
/// The SVG picture is redrawn every this many frames.
const BACKGROUND_EVERY: u32 = 7;

fn document() -> Result<web_sys::Document, String> {
    web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| "no document".to_string())
}

/// The text of every style rule of the page, for the SVG picture to look like the page.
fn page_styles(document: &web_sys::Document) -> String {
    let sheets = document.style_sheets();
    let mut css = String::new();
    for index in 0..sheets.length() {
        let Some(sheet) = sheets
            .item(index)
            .and_then(|sheet| sheet.dyn_into::<web_sys::CssStyleSheet>().ok())
        else {
            continue;
        };
        let Ok(rules) = sheet.css_rules() else {
            continue;
        };
        for rule in 0..rules.length() {
            if let Some(rule) = rules.item(rule) {
                css.push_str(&rule.css_text());
                css.push('\n');
            }
        }
    }
    css
}

/// The canvas's SVG as a standalone picture of `width` × `height` with the page's styles.
fn svg_picture(svg: &web_sys::Element, styles: &str, width: u32, height: u32) -> String {
    let text = web_sys::XmlSerializer::new()
        .and_then(|serializer| serializer.serialize_to_string(svg))
        .unwrap_or_default();
    let Some(end) = text.find('>') else {
        return text;
    };
    let opening = text[..end]
        .replace("width=\"100%\"", &format!("width=\"{width}\""))
        .replace("height=\"100%\"", &format!("height=\"{height}\""));
    // The style text goes in as character data: nothing in it can close the element early.
    let styles = styles.replace("]]>", "]]&gt;");
    format!(
        "{opening}><style><![CDATA[{styles}]]></style>{}",
        &text[end + 1..]
    )
}

struct Recorder {
    context: web_sys::CanvasRenderingContext2d,
    svg: web_sys::Element,
    particles: web_sys::HtmlCanvasElement,
    styles: String,
    width: u32,
    height: u32,
    background: Rc<RefCell<Option<web_sys::HtmlImageElement>>>,
    frame: u32,
}

impl Recorder {
    fn refresh_background(&self) {
        let picture = svg_picture(&self.svg, &self.styles, self.width, self.height);
        let parts = js_sys::Array::of1(&JsValue::from_str(&picture));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("image/svg+xml");
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        let Ok(image) = web_sys::HtmlImageElement::new() else {
            return;
        };
        let (loaded, slot, source) = (image.clone(), self.background.clone(), url.clone());
        let onload = Closure::once_into_js(move || {
            *slot.borrow_mut() = Some(loaded);
            let _ = web_sys::Url::revoke_object_url(&source);
        });
        image.set_onload(Some(onload.unchecked_ref()));
        image.set_src(&url);
    }

    fn paint(&mut self) {
        if self.frame.is_multiple_of(BACKGROUND_EVERY) {
            self.refresh_background();
        }
        self.frame += 1;
        let (width, height) = (f64::from(self.width), f64::from(self.height));
        let context = &self.context;
        context.set_fill_style_str("#ffffff");
        context.fill_rect(0.0, 0.0, width, height);
        if let Some(image) = self.background.borrow().as_ref() {
            let _ = context.draw_image_with_html_image_element(image, 0.0, 0.0);
        }
        let _ = context.draw_image_with_html_canvas_element_and_dw_and_dh(
            &self.particles,
            0.0,
            0.0,
            width,
            height,
        );
        let clock = document()
            .ok()
            .and_then(|d| d.query_selector("[data-testid=clock]").ok().flatten())
            .and_then(|clock| clock.text_content())
            .unwrap_or_default();
        context.set_font("14px sans-serif");
        context.set_fill_style_str("#1d2330");
        let _ = context.fill_text(&clock, 10.0, height - 12.0);
    }
}

/// Records `seconds` of the canvas; `done` gets the video (a WebM blob) or why not.
pub fn record(seconds: f64, done: impl FnOnce(Result<web_sys::Blob, String>) + 'static) {
    if let Err(problem) = start(seconds, Box::new(done)) {
        // `start` hands `done` on only once everything is set up.
        web_sys::console::warn_1(&JsValue::from_str(&problem));
    }
}

type Done = Box<dyn FnOnce(Result<web_sys::Blob, String>)>;

fn start(seconds: f64, done: Done) -> Result<(), String> {
    let fail = |done: Done, problem: &str| {
        done(Err(problem.to_string()));
        Ok(())
    };
    let document = document()?;
    let found = |selector: &str| document.query_selector(selector).ok().flatten();
    let (Some(svg), Some(particles)) = (
        found("[data-testid=canvas-svg]"),
        found("[data-testid=particles]")
            .and_then(|p| p.dyn_into::<web_sys::HtmlCanvasElement>().ok()),
    ) else {
        return fail(done, "there is no canvas to record");
    };
    let rect = svg.get_bounding_client_rect();
    let (width, height) = (
        rect.width().round().max(1.0) as u32,
        rect.height().round().max(1.0) as u32,
    );
    let Some(canvas) = document
        .create_element("canvas")
        .ok()
        .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
    else {
        return fail(done, "the browser cannot draw off screen");
    };
    canvas.set_width(width);
    canvas.set_height(height);
    let Some(context) = crate::components::particle_layer::context_2d(&canvas) else {
        return fail(done, "the browser cannot draw off screen");
    };
    let Ok(stream) = canvas.capture_stream_with_frame_request_rate(FPS) else {
        return fail(done, "the browser cannot film a canvas");
    };
    let options = web_sys::MediaRecorderOptions::new();
    options.set_mime_type("video/webm");
    let Ok(recorder) =
        web_sys::MediaRecorder::new_with_media_stream_and_media_recorder_options(&stream, &options)
    else {
        return fail(done, "this browser records no WebM video");
    };
    let painter = Rc::new(RefCell::new(Recorder {
        context,
        styles: page_styles(&document),
        svg,
        particles,
        width,
        height,
        background: Rc::new(RefCell::new(None)),
        frame: 0,
    }));
    painter.borrow_mut().paint();
    let window = web_sys::window().ok_or("no window")?;
    let tick = Closure::<dyn FnMut()>::new({
        let painter = painter.clone();
        move || painter.borrow_mut().paint()
    });
    let interval = window
        .set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            (1000.0 / FPS) as i32,
        )
        .map_err(|_| "the browser refused a timer".to_string())?;

    let chunks = Rc::new(RefCell::new(js_sys::Array::new()));
    let on_data = Closure::<dyn FnMut(web_sys::BlobEvent)>::new({
        let chunks = chunks.clone();
        move |event: web_sys::BlobEvent| {
            if let Some(data) = event.data() {
                chunks.borrow().push(&data);
            }
        }
    });
    recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
    let done = RefCell::new(Some(done));
    let on_stop = Closure::<dyn FnMut()>::new({
        let chunks = chunks.clone();
        let window = window.clone();
        // The closures live until the recording ends.
        let keep = RefCell::new(Some((tick, on_data, painter)));
        move || {
            window.clear_interval_with_handle(interval);
            keep.borrow_mut().take();
            let options = web_sys::BlobPropertyBag::new();
            options.set_type("video/webm");
            let video =
                web_sys::Blob::new_with_blob_sequence_and_options(&chunks.borrow(), &options)
                    .map_err(|_| "the browser could not put the video together".to_string());
            if let Some(done) = done.borrow_mut().take() {
                done(video);
            }
        }
    });
    recorder.set_onstop(Some(on_stop.as_ref().unchecked_ref()));
    on_stop.forget();
    recorder
        .start_with_time_slice(1000)
        .map_err(|_| "the recorder did not start".to_string())?;
    let stopper = Closure::once_into_js(move || {
        let _ = recorder.stop();
    });
    window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            stopper.unchecked_ref(),
            (seconds * 1000.0) as i32,
        )
        .map_err(|_| "the browser refused a timer".to_string())?;
    Ok(())
}
