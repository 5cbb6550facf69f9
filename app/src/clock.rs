//! The page's clocks: one for durations, one for timestamps that are kept.
//!
//! - [`now_ms`]: `performance.now()`, monotonic milliseconds since the page loaded (sub-millisecond
//!   where the browser allows). Every duration the app measures (a trial's steps, the benchmark
//!   pages, the browse page's timings) is the difference of two readings of it; it is meaningless
//!   as a date.
//! - [`unix_ms`]: `Date.now()`, wall-clock milliseconds since the Unix epoch. Only for a moment that
//!   is stored or shown as a time of day (the activity log's entries); it can jump with the
//!   system clock, so never for durations.

/// Milliseconds on the page's monotonic clock (`performance.now()`), for durations. Where the
/// page has no `performance` (never in a browser window), `Date.now()` stands in, so differences
/// still measure time.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

/// Wall-clock milliseconds since the Unix epoch (`Date.now()`), for timestamps that are kept.
pub fn unix_ms() -> u64 {
    js_sys::Date::now() as u64
}
