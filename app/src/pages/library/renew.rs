//! Renewing a licence with a term: the tier's price again, the term extended.

use super::*;

#[component]
pub(super) fn Renew(licence_id: U256, price: U256, reads: RwSignal<u32>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let busy = RwSignal::new(false);
    let renew = move |_| {
        let Ok(market) = Market::session().map(|m| m.address) else { return };
        busy.set(true);
        spawn_local(async move {
            let label = format!("Renew licence #{licence_id}");
            let result = tx
                .send(Write::call(label, market, &IAssayMarket::renewCall { licenceId: licence_id }).with_value(price))
                .await;
            busy.set(false);
            if result.is_ok() {
                reads.update(|n| *n += 1);
            }
        });
    };
    view! {
        <button class="button" data-testid="licence-renew" disabled=move || busy.get() on:click=renew>
            {move || if busy.get() { "Renewing…".to_owned() } else { format!("Renew ({})", price_words(price)) }}
        </button>
    }
}
