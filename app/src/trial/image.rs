//! Pictures for image inputs: a canvas is the single source of pixels — the drawing pad draws on
//! it, a dropped or chosen picture and a camera frame are painted onto it — and its RGBA pixels are
//! what pre-processing reads.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::error::AppError;

fn no_context() -> AppError {
    AppError::Browser("The canvas has no 2D context.".into())
}

pub fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// Fills the canvas with white (a blank pad).
pub fn clear(canvas: &HtmlCanvasElement) {
    if let Some(ctx) = context(canvas) {
        ctx.set_fill_style_str("#fff");
        ctx.fill_rect(0.0, 0.0, f64::from(canvas.width()), f64::from(canvas.height()));
    }
}

/// The canvas's pixels: (width, height, RGBA).
pub fn pixels(canvas: &HtmlCanvasElement) -> Result<(usize, usize, Vec<u8>), AppError> {
    let ctx = context(canvas).ok_or_else(no_context)?;
    let (w, h) = (canvas.width(), canvas.height());
    let data = ctx
        .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
        .map_err(|e| AppError::browser("The picture's pixels could not be read", &e))?;
    Ok((w as usize, h as usize, data.data().0))
}

/// Decodes a picture file and paints it on the canvas, resizing the canvas to the picture (longest
/// side at most 512 pixels, aspect kept).
pub async fn paint_file(canvas: &HtmlCanvasElement, file: &web_sys::Blob) -> Result<(), AppError> {
    let not_a_picture = |e: JsValue| AppError::browser("This file is not a picture the browser can read", &e);
    let window = web_sys::window().ok_or_else(|| AppError::Browser("This page has no window.".into()))?;
    let promise = window.create_image_bitmap_with_blob(file).map_err(not_a_picture)?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(promise).await.map_err(not_a_picture)?.unchecked_into();
    let (w, h) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let scale = (512.0 / w.max(h)).min(1.0);
    let (cw, ch) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
    canvas.set_width(cw as u32);
    canvas.set_height(ch as u32);
    let ctx = context(canvas).ok_or_else(no_context)?;
    clear(canvas);
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, cw, ch)
        .map_err(|e| AppError::browser("The picture could not be drawn", &e))?;
    bitmap.close();
    Ok(())
}

/// Paints the current camera frame on the canvas.
pub fn paint_video(canvas: &HtmlCanvasElement, video: &web_sys::HtmlVideoElement) -> Result<(), AppError> {
    let (w, h) = (video.video_width(), video.video_height());
    if w == 0 || h == 0 {
        return Err(AppError::Browser("The camera has not started yet.".into()));
    }
    let scale = (512.0 / f64::from(w.max(h))).min(1.0);
    canvas.set_width((f64::from(w) * scale) as u32);
    canvas.set_height((f64::from(h) * scale) as u32);
    let ctx = context(canvas).ok_or_else(no_context)?;
    ctx.draw_image_with_html_video_element_and_dw_and_dh(
        video,
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    )
    .map_err(|e| AppError::browser("The camera's picture could not be drawn", &e))
}
