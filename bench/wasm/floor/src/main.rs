//! A search box and the list a JSON API answers for it: what any Leptos page that reads a
//! catalogue carries before its own code.

use leptos::prelude::*;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize, PartialEq)]
struct Listing {
    id: u64,
    name: String,
    price: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
struct Page {
    total: u64,
    models: Vec<Listing>,
}

async fn page(query: String) -> Result<Page, String> {
    let response =
        gloo_net::http::Request::get(&format!("./api/models?q={query}")).send().await.map_err(|e| e.to_string())?;
    response.json::<Page>().await.map_err(|e| e.to_string())
}

#[component]
fn App() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let found = LocalResource::new(move || page(query.get()));
    view! {
        <header><h1>"Models"</h1></header>
        <input type="search" prop:value=query on:input=move |ev| query.set(event_target_value(&ev)) />
        {move || match found.get() {
            None => view! { <p>"Loading…"</p> }.into_any(),
            Some(Err(error)) => view! { <p role="alert">{error}</p> }.into_any(),
            Some(Ok(page)) => view! {
                <p>{page.total} " models"</p>
                <ul>{page.models.into_iter().map(|m| view! { <li data-id=m.id>{m.name} " " {m.price}</li> }).collect_view()}</ul>
            }.into_any(),
        }}
    }
}

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
