//! Where the money of one sale goes, as a table: role, account, amount to the wei (the buy
//! summary and the listing wizard's review; `assay_core::licence::split` computes the rows).

use assay_core::licence::Payee;
use assay_core::units::{format_ether, short_address};
use leptos::prelude::*;

/// `owner` names the model owner's row ("You", "Model owner"); `full_addresses` shows whole
/// checksummed addresses instead of short ones.
#[component]
pub fn SplitTable(
    payees: Vec<Payee>,
    owner: &'static str,
    #[prop(into)] test_id: String,
    full_addresses: bool,
) -> impl IntoView {
    view! {
        <table class="table split" data-testid=test_id>
            <tbody>
                {payees.into_iter().map(|p| {
                    let account = if full_addresses { p.account.to_checksum(None) } else { short_address(&p.account) };
                    view! {
                        <tr data-testid="split-row">
                            <th>{p.role.words(owner)}</th>
                            <td><code>{account}</code></td>
                            <td class="num" data-testid="split-amount" data-wei=p.amount.to_string()>{format!("{} ETH", format_ether(p.amount, 18))}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
