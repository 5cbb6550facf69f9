//! The current hash location as a signal (the pure parsing is `assay_core::route`).

use assay_core::route::Location;
use leptos::prelude::*;

/// The current location; updated on every `hashchange`.
#[derive(Clone, Copy)]
pub struct RouterContext {
    pub location: ReadSignal<Location>,
}

fn current_location() -> Location {
    let hash = window().location().hash().unwrap_or_default();
    Location::from_hash(&hash)
}

/// Starts tracking `location.hash` and provides [`RouterContext`].
pub fn provide_router() -> RouterContext {
    let (location, set_location) = signal(current_location());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_location.set(current_location());
        // A new page starts at the top, as a normal navigation would.
        window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    on_cleanup(move || handle.remove());
    let context = RouterContext { location };
    provide_context(context);
    context
}

/// Navigates to `location` by setting the fragment (adds a history entry).
pub fn navigate(location: &Location) {
    let _ = window().location().set_hash(&location.to_hash());
}
