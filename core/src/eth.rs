//! Ethereum values on the wire: addresses, amounts and JSON-RPC quantities (shown through `units`).

pub use alloy_primitives::{Address, U256};

/// Why a JSON-RPC quantity could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a JSON-RPC quantity: {0:?}")]
pub struct QuantityError(pub String);

/// Parses a JSON-RPC quantity (`"0x1"`, `"0x7a69"`) into a `U256`.
pub fn parse_quantity(text: &str) -> Result<U256, QuantityError> {
    let digits = text.strip_prefix("0x").ok_or_else(|| QuantityError(text.to_owned()))?;
    if digits.is_empty() || digits.len() > 64 {
        return Err(QuantityError(text.to_owned()));
    }
    U256::from_str_radix(digits, 16).map_err(|_| QuantityError(text.to_owned()))
}

/// Parses a JSON-RPC quantity that must fit a `u64` (chain ids, block numbers).
pub fn parse_u64_quantity(text: &str) -> Result<u64, QuantityError> {
    let value = parse_quantity(text)?;
    u64::try_from(value).map_err(|_| QuantityError(text.to_owned()))
}

/// Formats a `u64` as a JSON-RPC quantity, e.g. a chain id for `wallet_switchEthereumChain`.
pub fn to_quantity(value: u64) -> String {
    format!("{value:#x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_parse_and_format() {
        assert_eq!(parse_u64_quantity("0x7a69").unwrap(), 31337);
        assert_eq!(to_quantity(31337), "0x7a69");
        assert_eq!(
            parse_quantity("0x21e19e0c9bab2400000").unwrap(),
            U256::from(10_000u64) * U256::from(crate::units::WEI_PER_ETHER)
        );
        for bad in ["", "0x", "7a69", "0xzz", "0x1ffffffffffffffff1ffffffffffffffff1ffffffffffffffff1ffffffffffffff"] {
            assert!(parse_quantity(bad).is_err(), "{bad}");
        }
        assert!(parse_u64_quantity("0x10000000000000000").is_err());
    }
}
