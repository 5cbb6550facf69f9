//! Ethereum values as people read them: short addresses, ether amounts, JSON-RPC quantities.

pub use alloy_primitives::{Address, U256};

/// Wei in one ether.
const WEI_PER_ETHER: u128 = 1_000_000_000_000_000_000;

/// `0xf39F…2266`: the checksummed address cut to its first four and last four hex digits.
pub fn short_address(address: &Address) -> String {
    let full = address.to_checksum(None);
    format!("{}…{}", &full[..6], &full[full.len() - 4..])
}

/// An amount of wei as ether with at most `max_decimals` decimals, truncated (never rounded up,
/// so a balance is never shown as more than it is), trailing zeros dropped: `1.5`, `10000`,
/// `0.0001`. A non-zero amount too small to show prints as `<0.0001`.
pub fn format_ether(wei: U256, max_decimals: u32) -> String {
    let max_decimals = max_decimals.min(18);
    let unit = U256::from(WEI_PER_ETHER);
    let whole = wei / unit;
    let fraction = wei % unit;
    let scale = U256::from(10u64).pow(U256::from(18 - max_decimals));
    let shown = fraction / scale;
    let mut decimals = format!("{shown:0>width$}", width = max_decimals as usize);
    while decimals.ends_with('0') {
        decimals.pop();
    }
    if whole.is_zero() && decimals.is_empty() && !fraction.is_zero() {
        return format!("<0.{}1", "0".repeat(max_decimals.saturating_sub(1) as usize));
    }
    if decimals.is_empty() { whole.to_string() } else { format!("{whole}.{decimals}") }
}

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

    fn ether(text: &str) -> U256 {
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let frac = format!("{frac:0<18}");
        U256::from_str_radix(whole, 10).unwrap() * U256::from(WEI_PER_ETHER) + U256::from_str_radix(&frac, 10).unwrap()
    }

    #[test]
    fn short_address_keeps_the_checksum_case() {
        let address: Address = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266".parse().unwrap();
        assert_eq!(short_address(&address), "0xf39F…2266");
    }

    #[test]
    fn ether_amounts_are_truncated_not_rounded() {
        assert_eq!(format_ether(ether("10000"), 4), "10000");
        assert_eq!(format_ether(ether("1.5"), 4), "1.5");
        assert_eq!(format_ether(ether("0.99999"), 4), "0.9999");
        assert_eq!(format_ether(ether("9999.999999999999999999"), 4), "9999.9999");
        assert_eq!(format_ether(ether("0.0001"), 4), "0.0001");
        assert_eq!(format_ether(U256::ZERO, 4), "0");
    }

    #[test]
    fn dust_is_shown_as_less_than_the_smallest_step() {
        assert_eq!(format_ether(U256::from(1u8), 4), "<0.0001");
        assert_eq!(format_ether(U256::from(1u8), 18), "0.000000000000000001");
    }

    #[test]
    fn quantities_parse_and_format() {
        assert_eq!(parse_u64_quantity("0x7a69").unwrap(), 31337);
        assert_eq!(to_quantity(31337), "0x7a69");
        assert_eq!(parse_quantity("0x21e19e0c9bab2400000").unwrap(), ether("10000"));
        for bad in ["", "0x", "7a69", "0xzz", "0x1ffffffffffffffff1ffffffffffffffff1ffffffffffffffff1ffffffffffffff"] {
            assert!(parse_quantity(bad).is_err(), "{bad}");
        }
        assert!(parse_u64_quantity("0x10000000000000000").is_err());
    }
}
