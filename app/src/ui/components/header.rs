//! The site header: brand, main navigation, wallet area.

use assay_core::route::{NAVIGATION, Route};
use leptos::prelude::*;

use super::wallet_menu::WalletMenu;
use crate::router::RouterContext;

/// The header shown on every page.
#[component]
pub fn Header() -> impl IntoView {
    let RouterContext { location } = expect_context();
    let links = NAVIGATION
        .iter()
        .map(|(route, label)| {
            let item = route.clone();
            let is_current = Memo::new(move |_| location.with(|l| l.route.is_within(&item)));
            let testid = format!("nav-{}", nav_id(route));
            view! {
                <a
                    class="nav__link"
                    class:nav__link--current=move || is_current.get()
                    href=route.href()
                    data-testid=testid
                    aria-current=move || is_current.get().then_some("page")
                >
                    {*label}
                </a>
            }
        })
        .collect_view();
    view! {
        <header class="header">
            <a class="brand" href=Route::Browse.href() data-testid="brand">
                <span class="brand__mark" aria-hidden="true">"◆"</span>
                "Assay"
            </a>
            <nav class="nav" aria-label="Main">{links}</nav>
            <WalletMenu />
        </header>
    }
}

fn nav_id(route: &Route) -> &'static str {
    match route {
        Route::Browse => "browse",
        Route::ListModel => "list",
        Route::Library => "library",
        Route::Dashboard => "dashboard",
        Route::Moderation => "moderation",
        Route::About => "about",
        _ => "other",
    }
}
