//! What the page says while the wallet asks: every request that needs the person's approval is
//! explained in the page *before* the wallet opens — connecting (what the site then sees), a
//! transaction (what it does, what it sends, the network fee estimated, that nothing happens
//! until it is confirmed) and each typed-data signature (what it is for, that it costs nothing,
//! and for the key-deriving ones that it must never be given to another site: ARCHITECTURE.md's
//! threat model in plain words).

use alloy_primitives::U256;

use crate::units::format_ether;

/// A request the wallet will put to the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WalletPrompt {
    /// `eth_requestAccounts`.
    Connect,
    /// `wallet_switchEthereumChain` to the app's chain.
    SwitchChain { chain: String },
    /// `wallet_addEthereumChain`: the app's chain and the RPC address the wallet will use.
    AddChain { chain: String, rpc: String },
    /// `eth_sendTransaction`: what it does (the write's label), the ETH it sends, the gas
    /// estimated and the gas price (wei) it was estimated at.
    Transaction { what: String, value: U256, gas: u64, gas_price: u128 },
    /// `eth_signTypedData_v4` for a key.
    Signature(SignaturePurpose),
}

/// Why Assay asks for a typed-data signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignaturePurpose {
    /// A buyer's licence key for an encrypted model (asked twice: the two must agree).
    LicenceKey,
    /// A creator's content key, which encrypts the model file.
    ContentKey,
}

impl WalletPrompt {
    /// The heading of the page's explanation.
    pub fn title(&self) -> &'static str {
        match self {
            WalletPrompt::Connect => "Your wallet asks to connect",
            WalletPrompt::SwitchChain { .. } => "Your wallet asks to switch networks",
            WalletPrompt::AddChain { .. } => "Your wallet asks to add a network",
            WalletPrompt::Transaction { .. } => "Your wallet asks you to confirm a transaction",
            WalletPrompt::Signature(_) => "Your wallet asks for a signature (free)",
        }
    }

    /// The explanation, in sentences.
    pub fn explanation(&self) -> String {
        match self {
            WalletPrompt::Connect => "Connecting shows Assay your account's address and balance, nothing else. \
                 It can't move anything: every payment is a transaction your wallet asks you to confirm."
                .to_owned(),
            WalletPrompt::SwitchChain { chain } => format!(
                "Assay's contracts are on {chain}: switching makes your wallet use it for this site. It costs nothing."
            ),
            WalletPrompt::AddChain { chain, rpc } => format!(
                "Your wallet doesn't know {chain} yet: adding it lets the wallet reach it through {rpc}. It costs \
                 nothing; check the address is the one you expect."
            ),
            WalletPrompt::Transaction { what, value, gas, gas_price } => {
                let fee = U256::from(*gas).saturating_mul(U256::from(*gas_price));
                let sends = if value.is_zero() {
                    "It sends no ETH".to_owned()
                } else {
                    format!("It sends {} ETH", format_ether(*value, 6))
                };
                format!(
                    "“{what}”. {sends}, and pays about {} ETH in network fees (gas, paid to the network, not to \
                     Assay). Nothing happens until you confirm, and you can cancel in the wallet.",
                    fee_words(fee)
                )
            }
            WalletPrompt::Signature(purpose) => {
                let (what, whoever) = match purpose {
                    SignaturePurpose::LicenceKey => (
                        "It re-creates your encryption key for this licence, so that the creator can seal the \
                         model's key to you and only you can open it",
                        "whoever has this signature can open the models you bought",
                    ),
                    SignaturePurpose::ContentKey => (
                        "It re-creates the key that encrypts your model's file, so you never have to store it",
                        "whoever has this signature can decrypt your model",
                    ),
                };
                format!(
                    "It costs nothing and sends no transaction. {what}; your wallet asks twice, and the two must \
                     match. Never sign this message on another site: {whoever}."
                )
            }
        }
    }
}

/// A fee in ETH, never shown as zero when it is not.
fn fee_words(fee: U256) -> String {
    let words = format_ether(fee, 6);
    if words == "0" && !fee.is_zero() { "<0.000001".to_owned() } else { words }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GWEI: u128 = 1_000_000_000;

    #[test]
    fn a_transaction_says_what_it_does_sends_and_costs_before_the_wallet_opens() {
        let buy = WalletPrompt::Transaction {
            what: "Buy a licence: digits, tier 1".into(),
            value: U256::from(2_000_000_000_000_000u64),
            gas: 110_047,
            gas_price: 2 * GWEI,
        };
        assert_eq!(buy.title(), "Your wallet asks you to confirm a transaction");
        assert_eq!(
            buy.explanation(),
            "“Buy a licence: digits, tier 1”. It sends 0.002 ETH, and pays about 0.00022 ETH in network fees (gas, \
             paid to the network, not to Assay). Nothing happens until you confirm, and you can cancel in the wallet."
        );
        let withdraw =
            WalletPrompt::Transaction { what: "Withdraw".into(), value: U256::ZERO, gas: 30_000, gas_price: 1 };
        assert!(withdraw.explanation().contains("It sends no ETH, and pays about <0.000001 ETH"));
    }

    #[test]
    fn key_signatures_are_free_and_never_to_be_given_to_another_site() {
        for purpose in [SignaturePurpose::LicenceKey, SignaturePurpose::ContentKey] {
            let said = WalletPrompt::Signature(purpose).explanation();
            assert!(said.starts_with("It costs nothing and sends no transaction."), "{said}");
            assert!(said.contains("Never sign this message on another site"), "{said}");
        }
        assert!(WalletPrompt::Signature(SignaturePurpose::LicenceKey).explanation().contains("models you bought"));
        assert!(WalletPrompt::Connect.explanation().contains("can't move anything"));
        let add = WalletPrompt::AddChain { chain: "Anvil (local)".into(), rpc: "http://127.0.0.1:8545".into() };
        assert!(add.explanation().contains("through http://127.0.0.1:8545. It costs nothing"));
        assert!(
            WalletPrompt::SwitchChain { chain: "Sepolia".into() }
                .explanation()
                .starts_with("Assay's contracts are on Sepolia")
        );
    }
}
