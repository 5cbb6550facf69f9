//! Where the money of one sale goes, as a table: role, account, amount to the wei (the buy
//! summary and the listing wizard's review; `assay_core::licence::split` computes the rows).
//! Each row stays on one line, down to a 360 px screen: the account is shortened (`0xf39F…2266`)
//! with the full checksummed address in its tooltip and a copy button, and a long role is cut
//! with an ellipsis (its full words in the tooltip).

use assay_core::licence::Payee;
use assay_core::units::{format_ether, short_address};
use leptos::prelude::*;

use super::copy_button::CopyButton;
use super::explorer_link::{ExplorerLink, OnExplorer};

/// `owner` names the model owner's row ("You", "Model owner").
#[component]
pub fn SplitTable(payees: Vec<Payee>, owner: &'static str, #[prop(into)] test_id: String) -> impl IntoView {
    view! {
        <table class="table split" data-testid=test_id>
            <tbody>
                {payees.into_iter().map(|p| {
                    let full = p.account.to_checksum(None);
                    let role = p.role.words(owner);
                    view! {
                        <tr data-testid="split-row">
                            <th class="split__role" title=role.clone()>{role.clone()}</th>
                            <td class="split__account">
                                <code data-testid="split-account" title=full.clone()>{short_address(&p.account)}</code>
                                <CopyButton value=full what="address" />
                                " " <ExplorerLink target=OnExplorer::Account(p.account) testid="split-explorer" />
                            </td>
                            <td class="num" data-testid="split-amount" data-wei=p.amount.to_string()>{format!("{} ETH", format_ether(p.amount, 18))}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
