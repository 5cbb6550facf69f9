//! Dashboard: the connected researcher's models, sales and withdrawable balance.

use leptos::prelude::*;

use super::ConnectPrompt;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <section data-page="dashboard">
            <h1>"Dashboard"</h1>
            <p class="lede">"Your models, their sales and your share of every licence fee, ready to withdraw."</p>
            <ConnectPrompt purpose="see your models and earnings" />
        </section>
    }
}
