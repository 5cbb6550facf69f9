//! The banner of a page served from a path gateway: the origin is shared with every other site on
//! that gateway (`assay_core::hosting`), so the app says what it keeps back and where its own
//! address is.

use assay_core::hosting::Hosting;
use leptos::prelude::*;

/// Where the page is served from, read once at start-up.
pub fn current_hosting() -> Hosting {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return Hosting::OwnOrigin };
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    Hosting::of(&origin, &path)
}

#[component]
pub fn HostingNote(hosting: Hosting) -> impl IntoView {
    let Hosting::SharedOrigin { gateway, own_origin_url } = hosting else { return None };
    let own = own_origin_url.map(|url| {
        view! {
            " Its own address is " <a href=url.clone() data-testid="hosting-own-origin">{url.clone()}</a> "."
        }
    });
    Some(view! {
        <div class="banner banner--warning" role="status" data-testid="hosting-shared">
            "This copy of Assay is served from a shared address on " <code>{gateway}</code>
            ": every other site there shares this page's storage and wallet permissions. "
            "Assay keeps no pinning token here and keeps a listing draft only if you ask." {own}
        </div>
    })
}
