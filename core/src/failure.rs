//! Why a chain or wallet request failed, in words: every JSON-RPC / EIP-1193 error the app meets is
//! classified into a [`Failure`] whose [`Failure::explain`] is the sentence on screen.
//!
//! Reverts are found in an error however deeply a wallet nests their data, and kept as the node
//! gave them ([`RevertData`]); decoding them into the contracts' custom errors and wording them is
//! done when the sentence is wanted, so code that only reports failures need not carry every
//! contract's errors ([`Failure::explain_unless_reverted`]). A bare "execution reverted" or hex blob
//! never reaches the screen.

use alloy_primitives::U256;
use serde_json::Value;

use crate::contracts::Revert;
use crate::text::readable;
use crate::units::format_ether;

/// EIP-1193 / EIP-1474 codes with a meaning of their own.
pub mod codes {
    /// The user rejected the request.
    pub const USER_REJECTED: i64 = 4001;
    /// The requested method or account has not been authorised.
    pub const UNAUTHORIZED: i64 = 4100;
    /// The wallet does not support the method.
    pub const UNSUPPORTED: i64 = 4200;
    /// The wallet is disconnected from all chains.
    pub const DISCONNECTED: i64 = 4900;
    /// The wallet is disconnected from the requested chain.
    pub const CHAIN_DISCONNECTED: i64 = 4901;
    /// The chain is not known to the wallet (`wallet_switchEthereumChain`).
    pub const UNRECOGNIZED_CHAIN: i64 = 4902;
    /// A request of the same kind is already pending in the wallet.
    pub const REQUEST_PENDING: i64 = -32002;
    /// `eth_call` / `eth_estimateGas` reverted (geth, anvil).
    pub const EXECUTION_REVERTED: i64 = 3;
}

/// A failed request, classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The user said no in their wallet (4001).
    Cancelled,
    /// The contract reverted; [`RevertData::decode`] names the reason.
    Reverted(RevertData),
    /// The account can't pay the value plus gas. Amounts are known when Assay checked itself.
    InsufficientFunds { needed: Option<U256>, balance: Option<U256> },
    /// The wallet's nonce is behind the chain's (e.g. a restarted dev chain).
    NonceTooLow,
    /// The fee is too low to replace a pending transaction or to be accepted at all.
    Underpriced,
    /// The chain's RPC endpoint could not be reached.
    Unreachable { url: String },
    /// The wallet is on another chain than the app's (or the node says the chain id is wrong).
    ChainMismatch { wallet: Option<u64>, expected: Option<(u64, String)> },
    /// The wallet has not authorised this site or account (4100).
    Unauthorized,
    /// The wallet does not support what was asked (4200).
    Unsupported,
    /// The wallet is not connected to the chain (4900, 4901).
    Disconnected,
    /// The wallet already has a request of this kind open (-32002).
    WalletBusy,
    /// The wallet has no account connected to this site.
    NotConnected,
    /// A transaction was mined but reverted (no reason is available after the fact).
    RevertedOnChain,
    /// Anything else, with the node's or wallet's message made readable.
    Other { detail: String },
}

impl Failure {
    /// Classifies a JSON-RPC or EIP-1193 error from its `code`, `message` and `data`.
    pub fn classify(code: i64, message: &str, data: Option<&Value>) -> Self {
        let lower = message.to_ascii_lowercase();
        if code == codes::USER_REJECTED || lower.contains("user rejected") || lower.contains("user denied") {
            return Failure::Cancelled;
        }
        if let Some(revert) = find_revert_data(data, 0) {
            return Failure::Reverted(RevertData::Encoded(revert));
        }
        if code == codes::EXECUTION_REVERTED || lower.contains("execution reverted") || lower.contains("reverted") {
            return Failure::Reverted(RevertData::Reason(reason_in_message(message)));
        }
        if lower.contains("insufficient funds") || lower.contains("insufficient balance") {
            return Failure::InsufficientFunds { needed: None, balance: None };
        }
        if lower.contains("nonce too low")
            || lower.contains("nonce has already been used")
            || lower.contains("nonce_expired")
        {
            return Failure::NonceTooLow;
        }
        if lower.contains("underpriced") || lower.contains("less than block base fee") || lower.contains("fee too low")
        {
            return Failure::Underpriced;
        }
        if lower.contains("chainid") && (lower.contains("mismatch") || lower.contains("does not match"))
            || lower.contains("invalid chain id")
            || lower.contains("does not match the target chain")
        {
            return Failure::ChainMismatch { wallet: None, expected: None };
        }
        match code {
            codes::UNAUTHORIZED => Failure::Unauthorized,
            codes::UNSUPPORTED => Failure::Unsupported,
            codes::DISCONNECTED | codes::CHAIN_DISCONNECTED => Failure::Disconnected,
            codes::REQUEST_PENDING => Failure::WalletBusy,
            _ => Failure::Other { detail: readable(message) },
        }
    }

    /// A transport-level failure (no JSON-RPC answer at all) talking to `url`.
    pub fn unreachable(url: &str) -> Self {
        Failure::Unreachable { url: url.to_owned() }
    }

    /// Whether the user cancelled (forms stay as they were, nothing is logged as failed).
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Failure::Cancelled)
    }

    /// The sentence shown to a person.
    pub fn explain(&self) -> String {
        self.explain_unless_reverted().unwrap_or_else(RevertData::explain)
    }

    /// The sentence shown to a person, except for a revert, whose data comes back to be worded by
    /// [`RevertData::decode`] and [`Revert::explain`] (the app fetches that code when it needs it).
    pub fn explain_unless_reverted(&self) -> Result<String, &RevertData> {
        Ok(match self {
            Failure::Cancelled => "You cancelled in your wallet.".to_owned(),
            Failure::Reverted(revert) => return Err(revert),
            Failure::InsufficientFunds { needed: Some(needed), balance: Some(balance) } => format!(
                "Not enough ETH: this needs {} ETH including gas, and your account has {} ETH.",
                format_ether(*needed, 6),
                format_ether(*balance, 6)
            ),
            Failure::InsufficientFunds { .. } => {
                "Not enough ETH: your account can't pay for this and its gas.".to_owned()
            }
            Failure::NonceTooLow => {
                "Your wallet reused a transaction number (nonce) the chain has already seen. If the chain was \
                 restarted, reset your wallet's activity for this account, then try again."
                    .to_owned()
            }
            Failure::Underpriced => {
                "The network turned the transaction down because its fee is too low (another transaction \
                 with the same nonce is pending, or the base fee rose). Try again with a higher fee."
                    .to_owned()
            }
            Failure::Unreachable { url } => {
                format!("The chain's RPC endpoint {url} can't be reached. Check your connection and try again.")
            }
            Failure::ChainMismatch { wallet, expected } => {
                let on = wallet.map(|w| format!("chain {w}")).unwrap_or_else(|| "another network".to_owned());
                match expected {
                    Some((id, name)) => {
                        format!(
                            "Your wallet is on {on} but Assay runs on {name} (chain {id}): switch networks and try again."
                        )
                    }
                    None => format!(
                        "Your wallet is on {on}, not the one this transaction is for: switch networks and try again."
                    ),
                }
            }
            Failure::Unauthorized => "Your wallet hasn't authorised this site or account: connect again.".to_owned(),
            Failure::Unsupported => "Your wallet doesn't support this request.".to_owned(),
            Failure::Disconnected => {
                "Your wallet is not connected to the network: check it, then try again.".to_owned()
            }
            Failure::WalletBusy => "Your wallet already has a request open: finish it there first.".to_owned(),
            Failure::NotConnected => "Connect a wallet first.".to_owned(),
            Failure::RevertedOnChain => {
                "The transaction was included but the contract refused it; nothing was paid except gas.".to_owned()
            }
            Failure::Other { detail } if detail.is_empty() => {
                "The wallet or node reported an error without a message.".to_owned()
            }
            Failure::Other { detail } => format!("The wallet or node reported an error: {}", detail),
        })
    }
}

/// A revert as the node reported it, decoded when its sentence is wanted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevertData {
    /// ABI-encoded revert data: a custom error, `Error(string)` or `Panic(uint256)`.
    Encoded(Vec<u8>),
    /// No data; the node's reason when it gave a readable one.
    Reason(Option<String>),
}

impl RevertData {
    /// The revert, decoded against every contract's errors.
    pub fn decode(&self) -> Revert {
        match self {
            RevertData::Encoded(data) => Revert::decode(data),
            RevertData::Reason(Some(reason)) => Revert::Message(reason.clone()),
            RevertData::Reason(None) => Revert::Unknown,
        }
    }

    /// The revert in words: decoded, then [`Revert::explain`].
    pub fn explain(&self) -> String {
        self.decode().explain()
    }
}

/// Checks, before asking the wallet, that `balance` covers `value` plus `gas` at `fee_per_gas`.
pub fn check_funds(balance: U256, value: U256, gas: u64, fee_per_gas: u128) -> Result<(), Failure> {
    let needed = value.saturating_add(U256::from(gas).saturating_mul(U256::from(fee_per_gas)));
    if balance < needed {
        Err(Failure::InsufficientFunds { needed: Some(needed), balance: Some(balance) })
    } else {
        Ok(())
    }
}

/// Finds revert data in an error's `data`: a hex string itself, or nested under `data`,
/// `originalError`, `cause`, `error` (MetaMask and others wrap the node's error).
fn find_revert_data(data: Option<&Value>, depth: usize) -> Option<Vec<u8>> {
    let data = data?;
    if depth > 5 {
        return None;
    }
    match data {
        Value::String(text) => parse_hex(text),
        Value::Object(map) => ["data", "originalError", "cause", "error", "result"]
            .iter()
            .find_map(|key| find_revert_data(map.get(*key), depth + 1)),
        _ => None,
    }
}

fn parse_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.strip_prefix("0x")?;
    // A selector at least; "0x" alone is an empty revert, handled by the message.
    if digits.len() < 8 || digits.len() % 2 != 0 {
        return None;
    }
    (0..digits.len()).step_by(2).map(|i| u8::from_str_radix(&digits[i..i + 2], 16).ok()).collect()
}

/// A revert with no data: keep a human reason (`execution reverted: Ownable: caller…`), drop
/// anything that is just a code or hex.
fn reason_in_message(message: &str) -> Option<String> {
    message
        .split_once("reverted:")
        .map(|(_, reason)| reason.trim())
        .filter(|reason| !reason.is_empty() && !reason.starts_with("0x") && !reason.starts_with("custom error"))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use alloy_sol_types::SolError;
    use serde_json::json;

    use super::*;
    use crate::contracts::IAssayMarket;

    fn hex(data: &[u8]) -> String {
        format!("0x{}", alloy_primitives::hex::encode(data))
    }

    #[test]
    fn a_rejection_is_a_cancellation() {
        let failure = Failure::classify(4001, "User rejected the request.", None);
        assert!(failure.is_cancelled());
        assert_eq!(failure.explain(), "You cancelled in your wallet.");
        // Some wallets wrap it without the code.
        assert!(
            Failure::classify(-32603, "MetaMask Tx Signature: User denied transaction signature.", None).is_cancelled()
        );
    }

    #[test]
    fn revert_data_is_found_however_the_wallet_wraps_it() {
        let data = hex(&IAssayMarket::SoldOut { modelId: U256::from(2), tierId: U256::from(0) }.abi_encode());
        let sentence = "This licence tier is sold out (model #2, tier 0).";
        // anvil / geth
        assert_eq!(
            Failure::classify(3, "execution reverted: custom error 0x…", Some(&json!(data))).explain(),
            sentence
        );
        // MetaMask: the node's error inside `data`
        let wrapped = json!({ "code": 3, "message": "execution reverted", "data": data });
        assert_eq!(Failure::classify(-32603, "Internal JSON-RPC error.", Some(&wrapped)).explain(), sentence);
        // ethers-style `originalError`
        let nested = json!({ "originalError": { "code": 3, "data": data } });
        assert_eq!(Failure::classify(-32603, "Internal JSON-RPC error.", Some(&nested)).explain(), sentence);
    }

    #[test]
    fn a_revert_is_kept_as_given_and_worded_only_by_its_decoding() {
        let error = IAssayMarket::SoldOut { modelId: U256::from(2), tierId: U256::from(0) }.abi_encode();
        let failure = Failure::classify(3, "execution reverted", Some(&json!(hex(&error))));
        assert_eq!(failure.explain_unless_reverted(), Err(&RevertData::Encoded(error.clone())));
        assert_eq!(RevertData::Encoded(error).decode().explain(), failure.explain());
        let reason = Failure::classify(3, "execution reverted: Pausable: paused", None);
        assert_eq!(reason, Failure::Reverted(RevertData::Reason(Some("Pausable: paused".to_owned()))));
        // Every other failure has its sentence without the decoding.
        for other in [Failure::Cancelled, Failure::NonceTooLow, Failure::RevertedOnChain, Failure::unreachable("x")] {
            assert_eq!(other.explain_unless_reverted(), Ok(other.explain()));
        }
    }

    #[test]
    fn a_bare_execution_reverted_never_reaches_the_screen() {
        for message in ["execution reverted", "execution reverted: 0x", "execution reverted: custom error 0x95d246db"] {
            let text = Failure::classify(3, message, Some(&json!("0x"))).explain();
            assert_eq!(text, "The contract refused this transaction without giving a reason Assay recognises.");
        }
        let text = Failure::classify(3, "execution reverted: Pausable: paused", None).explain();
        assert_eq!(text, "The contract refused: Pausable: paused.");
    }

    #[test]
    fn node_errors_each_have_their_message() {
        let cases = [
            (-32000, "nonce too low: next nonce 5, tx nonce 3", Failure::NonceTooLow),
            (-32000, "replacement transaction underpriced", Failure::Underpriced),
            (-32000, "transaction underpriced", Failure::Underpriced),
            (-32000, "max fee per gas less than block base fee", Failure::Underpriced),
            (
                -32000,
                "insufficient funds for gas * price + value",
                Failure::InsufficientFunds { needed: None, balance: None },
            ),
            (-32000, "invalid chain id for signer", Failure::ChainMismatch { wallet: None, expected: None }),
            (4100, "Unauthorized", Failure::Unauthorized),
            (4200, "Unsupported method", Failure::Unsupported),
            (4900, "Disconnected", Failure::Disconnected),
            (-32002, "Request already pending", Failure::WalletBusy),
        ];
        let mut sentences = std::collections::BTreeSet::new();
        for (code, message, expected) in cases {
            let failure = Failure::classify(code, message, None);
            assert_eq!(failure, expected, "{message}");
            sentences.insert(failure.explain());
        }
        assert_eq!(sentences.len(), 8, "each kind has its own sentence");
        assert_eq!(
            Failure::unreachable("http://127.0.0.1:8545").explain(),
            "The chain's RPC endpoint http://127.0.0.1:8545 can't be reached. Check your connection and try again."
        );
        let mismatch = Failure::ChainMismatch { wallet: Some(1), expected: Some((31337, "Anvil (local)".into())) };
        assert_eq!(
            mismatch.explain(),
            "Your wallet is on chain 1 but Assay runs on Anvil (local) (chain 31337): switch networks and try again."
        );
    }

    #[test]
    fn unknown_errors_are_readable_and_hex_free() {
        let message = format!("weird failure with payload 0x{}", "00".repeat(64));
        let text = Failure::classify(-32603, &message, None).explain();
        assert_eq!(text, "The wallet or node reported an error: weird failure with payload …");
        assert_eq!(
            Failure::classify(-1, "", None).explain(),
            "The wallet or node reported an error without a message."
        );
    }

    #[test]
    fn funds_are_checked_against_price_plus_gas() {
        let ether = U256::from(10u64).pow(U256::from(18));
        let balance = ether / U256::from(10); // 0.1 ETH
        assert!(check_funds(balance, ether / U256::from(20), 21_000, 1_000_000_000).is_ok());
        let failure = check_funds(balance, ether / U256::from(10), 50_000, 2_000_000_000).unwrap_err();
        assert_eq!(
            failure.explain(),
            "Not enough ETH: this needs 0.1001 ETH including gas, and your account has 0.1 ETH."
        );
    }
}
