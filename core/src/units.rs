//! Quantities as people read them: bytes, ether amounts, shares, durations, counts and dates.
//! Every page formats through these, so one amount reads the same everywhere.

use alloy_primitives::{Address, B256, U256};

/// Wei in one ether.
pub const WEI_PER_ETHER: u128 = 1_000_000_000_000_000_000;

/// `0xf39F…2266`: the checksummed address cut to its first four and last four hex digits.
pub fn short_address(address: &Address) -> String {
    let full = address.to_checksum(None);
    format!("{}…{}", &full[..6], &full[full.len() - 4..])
}

/// `0x1234ab…cdef01`: a transaction hash cut to its first six and last six hex digits (the whole
/// hash goes in a tooltip or a link).
pub fn short_hash(hash: &B256) -> String {
    let full = hash.to_string();
    format!("{}…{}", &full[..8], &full[full.len() - 6..])
}

/// An amount of wei as ether with at most `max_decimals` decimals, truncated (never rounded up,
/// so a balance is never shown as more than it is), trailing zeros dropped: `1.5`, `10000`,
/// `0.0001`. A non-zero amount too small to show prints as `<0.0001`.
pub fn format_ether(wei: U256, max_decimals: u32) -> String {
    // From the decimal digits, not by dividing: a 256-bit division is kilobytes of wasm in the
    // first download (Browse's prices), the digits are a few lines.
    let max_decimals = max_decimals.min(18) as usize;
    let digits = format!("{wei:0>19}");
    let (whole, fraction) = digits.split_at(digits.len() - 18);
    let decimals = fraction[..max_decimals].trim_end_matches('0');
    if whole == "0" && decimals.is_empty() && fraction.bytes().any(|d| d != b'0') {
        return format!("<0.{}1", "0".repeat(max_decimals.saturating_sub(1)));
    }
    if decimals.is_empty() { whole.to_owned() } else { format!("{whole}.{decimals}") }
}

/// A byte count as people read it, in decimal (SI) units: `512 B` below a kilobyte, then one
/// decimal while the figure is under 100 (`5.5 kB`, `20.0 MB`, `1.1 GB`), whole above (`250 kB`).
/// The unit is chosen after rounding, so 999,999 bytes read `1.0 MB`, never `1000 kB`.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    // Integer arithmetic, rounded half up: no float lands on the wrong side of a boundary.
    let rounded = |value: u128, divisor: u128| (value + divisor / 2) / divisor;
    let mut divisor: u128 = 1000;
    for (i, unit) in UNITS.iter().enumerate() {
        let tenths = rounded(u128::from(bytes) * 10, divisor);
        if tenths < 1000 {
            return format!("{}.{} {unit}", tenths / 10, tenths % 10);
        }
        let whole = rounded(u128::from(bytes), divisor);
        if whole < 1000 || i + 1 == UNITS.len() {
            return format!("{whole} {unit}");
        }
        divisor *= 1000;
    }
    unreachable!("the last unit returns")
}

/// The connection download times are estimated for, in megabits per second: a typical home
/// broadband line (slower mobile links take longer, and the sentence says at what speed).
pub const TYPICAL_MBIT_PER_S: u64 = 50;

/// How long `bytes` take to download at [`TYPICAL_MBIT_PER_S`], in words with the speed stated:
/// `under a second at 50 Mbit/s`, `about 16 s at 50 Mbit/s`, `about 4 min at 50 Mbit/s`,
/// `about 2 h at 50 Mbit/s`.
pub fn download_time(bytes: u64) -> String {
    let bits_per_second = u128::from(TYPICAL_MBIT_PER_S) * 1_000_000;
    let bits = u128::from(bytes) * 8;
    // Rounded half up to whole seconds, then minutes, then hours.
    let seconds = (bits + bits_per_second / 2) / bits_per_second;
    let time = match seconds {
        0 => "under a second".to_owned(),
        s if s < 90 => format!("about {s} s"),
        s if s < 90 * 60 => format!("about {} min", (s + 30) / 60),
        s => format!("about {} h", (s + 1_800) / 3_600),
    };
    format!("{time} at {TYPICAL_MBIT_PER_S} Mbit/s")
}

/// Basis points as a percentage: 250 → "2.5%", 1500 → "15%", 333 → "3.33%".
pub fn percent_words(bps: u64) -> String {
    let (whole, fraction) = (bps / 100, bps % 100);
    match fraction {
        0 => format!("{whole}%"),
        f if f % 10 == 0 => format!("{whole}.{}%", f / 10),
        f => format!("{whole}.{f:02}%"),
    }
}

/// A duration in seconds as words: 0 → "perpetual", 31_536_000 → "365 days".
pub fn duration_words(seconds: u32) -> String {
    const DAY: u32 = 86_400;
    match seconds {
        0 => "perpetual".to_owned(),
        s if s % DAY == 0 && s / DAY == 1 => "1 day".to_owned(),
        s if s % DAY == 0 => format!("{} days", s / DAY),
        s if s % 3_600 == 0 => format!("{} hours", s / 3_600),
        s => format!("{s} seconds"),
    }
}

/// A tier's price as text: "0.05 ETH", or "Free".
pub fn price_words(price_wei: U256) -> String {
    if price_wei.is_zero() { "Free".to_owned() } else { format!("{} ETH", format_ether(price_wei, 6)) }
}

/// `10000` → `10,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A Unix time as `2025-03-01 14:05 UTC`.
pub fn utc_date_time(timestamp: u64) -> String {
    let (year, month, day) = civil_date(timestamp / 86_400);
    let seconds = timestamp % 86_400;
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", seconds / 3_600, seconds % 3_600 / 60)
}

/// A Unix time as RFC 3339 UTC (`1970-01-01T00:00:00Z`), as deployment records write it.
pub fn rfc3339_utc(timestamp: u64) -> String {
    let (year, month, day) = civil_date(timestamp / 86_400);
    let seconds = timestamp % 86_400;
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", seconds / 3_600, seconds / 60 % 60, seconds % 60)
}

/// The (year, month, day) of a count of days since 1970-01-01 (Howard Hinnant's civil-from-days).
fn civil_date(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + u64::from(month <= 2), month, day)
}

/// A metric's figure as pages show it: at most four decimals, no trailing zeros (`0.95`,
/// `0.9024`, `12.5`, `1`); the full value goes in the element's `data-value`.
pub fn figure(value: f64) -> String {
    let fixed = format!("{value:.4}");
    let trimmed = if fixed.contains('.') { fixed.trim_end_matches('0').trim_end_matches('.') } else { &fixed };
    if trimmed == "-0" { "0".to_owned() } else { trimmed.to_owned() }
}

/// The median of `values` (the mean of the middle two for an even count; 0 when empty): the
/// figure every benchmark reports.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// An amount of ether as typed (`1`, `0.05`, `.5`, `1,5`) in wei; `None` when it isn't one
/// (negative, more than 18 decimals, not a number, too large).
pub fn parse_ether(text: &str) -> Option<U256> {
    let text = text.trim().replace(',', ".");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    if (whole.is_empty() && fraction.is_empty()) || fraction.len() > 18 {
        return None;
    }
    if !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole = if whole.is_empty() { U256::ZERO } else { U256::from_str_radix(whole, 10).ok()? };
    let fraction = format!("{fraction:0<18}");
    let unit = U256::from(10u64).pow(U256::from(18));
    whole.checked_mul(unit)?.checked_add(U256::from_str_radix(&fraction, 10).ok()?)
}

#[cfg(test)]
mod tests {

    #[test]
    fn times_are_utc_rfc_3339() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_utc(1_798_200_000), "2026-12-25T12:00:00Z");
        assert_eq!(rfc3339_utc(4_102_444_799), "2099-12-31T23:59:59Z");
    }

    #[test]
    fn figures_show_four_places_at_most_without_trailing_zeros() {
        assert_eq!(figure(0.9023569023569024), "0.9024");
        assert_eq!(figure(0.95), "0.95");
        assert_eq!(figure(0.953), "0.953");
        assert_eq!(figure(1.0), "1");
        assert_eq!(figure(12.5), "12.5");
        assert_eq!(figure(0.99996), "1");
        assert_eq!(figure(-0.00001), "0");
        assert_eq!(figure(-0.25), "-0.25");
    }
    use super::*;

    fn ether(text: &str) -> U256 {
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let frac = format!("{frac:0<18}");
        U256::from_str_radix(whole, 10).unwrap() * U256::from(WEI_PER_ETHER) + U256::from_str_radix(&frac, 10).unwrap()
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

    /// The arithmetic definition: whole ether, then the fraction truncated to `max_decimals`.
    fn by_division(wei: U256, max_decimals: u32) -> String {
        let unit = U256::from(WEI_PER_ETHER);
        let (whole, fraction) = (wei / unit, wei % unit);
        let shown = fraction / U256::from(10u64).pow(U256::from(18 - max_decimals));
        let mut decimals = format!("{shown:0>width$}", width = max_decimals as usize);
        while decimals.ends_with('0') {
            decimals.pop();
        }
        if whole.is_zero() && decimals.is_empty() && !fraction.is_zero() {
            return format!("<0.{}1", "0".repeat(max_decimals.saturating_sub(1) as usize));
        }
        if decimals.is_empty() { whole.to_string() } else { format!("{whole}.{decimals}") }
    }

    #[test]
    fn ether_from_the_digits_equals_ether_by_division() {
        let mut values =
            vec![U256::ZERO, U256::from(1u8), U256::MAX, U256::from(WEI_PER_ETHER), U256::from(WEI_PER_ETHER - 1)];
        values.extend((0..78).map(|p| U256::from(10u8).pow(U256::from(p))));
        values.extend((0..78).map(|p| U256::from(10u8).pow(U256::from(p)) - U256::from(1u8)));
        // A fixed pseudo-random walk over every size of amount.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for bits in 1..=256usize {
            let mut limbs = [0u64; 4];
            for limb in &mut limbs {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                *limb = state;
            }
            values.push(U256::from_limbs(limbs) >> (256 - bits));
        }
        for wei in values {
            for decimals in [0, 1, 4, 6, 17, 18, 30] {
                assert_eq!(
                    format_ether(wei, decimals),
                    by_division(wei, decimals.min(18)),
                    "{wei} wei, {decimals} decimals"
                );
            }
        }
    }

    #[test]
    fn dust_is_shown_as_less_than_the_smallest_step() {
        assert_eq!(format_ether(U256::from(1u8), 4), "<0.0001");
        assert_eq!(format_ether(U256::from(1u8), 18), "0.000000000000000001");
    }

    #[test]
    fn byte_counts_read_naturally_at_every_unit_boundary() {
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(999), "999 B");
        assert_eq!(format_bytes(1_000), "1.0 kB");
        assert_eq!(format_bytes(1_500), "1.5 kB");
        assert_eq!(format_bytes(5_549), "5.5 kB", "a small model reads as kilobytes, not 0.0 MB");
        assert_eq!(format_bytes(99_949), "99.9 kB");
        assert_eq!(format_bytes(99_950), "100 kB", "one decimal only under 100");
        assert_eq!(format_bytes(250_400), "250 kB");
        assert_eq!(format_bytes(999_499), "999 kB");
        assert_eq!(format_bytes(999_500), "1.0 MB", "the unit is chosen after rounding");
        assert_eq!(format_bytes(999_999), "1.0 MB");
        assert_eq!(format_bytes(1_000_000), "1.0 MB");
        assert_eq!(format_bytes(3_200_000), "3.2 MB");
        assert_eq!(format_bytes(20_000_000), "20.0 MB");
        assert_eq!(format_bytes(100_000_000), "100 MB");
        assert_eq!(format_bytes(999_999_999), "1.0 GB");
        assert_eq!(format_bytes(1_073_741_824), "1.1 GB");
        assert_eq!(format_bytes(1_500_000_000_000), "1.5 TB");
        assert_eq!(format_bytes(u64::MAX), "18447 PB", "the largest unit takes what is left");
    }

    #[test]
    fn download_times_at_the_stated_speed() {
        assert_eq!(download_time(5_549), "under a second at 50 Mbit/s");
        assert_eq!(download_time(3_124_999), "under a second at 50 Mbit/s", "0.49 s");
        assert_eq!(download_time(3_125_000), "about 1 s at 50 Mbit/s", "half a second rounds up");
        assert_eq!(download_time(100_000_000), "about 16 s at 50 Mbit/s");
        assert_eq!(download_time(559_374_999), "about 89 s at 50 Mbit/s");
        assert_eq!(download_time(559_375_000), "about 2 min at 50 Mbit/s", "90 s reads as minutes");
        assert_eq!(download_time(1_500_000_000), "about 4 min at 50 Mbit/s");
        assert_eq!(download_time(33_746_874_999), "about 90 min at 50 Mbit/s");
        assert_eq!(download_time(33_746_875_000), "about 2 h at 50 Mbit/s", "90 min reads as hours");
        assert_eq!(download_time(u64::MAX), "about 819855292 h at 50 Mbit/s");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent_words(250), "2.5%");
        assert_eq!(percent_words(1_500), "15%");
        assert_eq!(percent_words(333), "3.33%");
    }

    #[test]
    fn durations_read_as_words() {
        assert_eq!(duration_words(0), "perpetual");
        assert_eq!(duration_words(86_400), "1 day");
        assert_eq!(duration_words(365 * 86_400), "365 days");
        assert_eq!(duration_words(7_200), "2 hours");
        assert_eq!(duration_words(90), "90 seconds");
    }

    #[test]
    fn dates_are_utc() {
        assert_eq!(utc_date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_date_time(1_709_301_900), "2024-03-01 14:05 UTC");
        assert_eq!(utc_date_time(951_782_400), "2000-02-29 00:00 UTC");
    }

    #[test]
    fn counts_prices_and_addresses() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(price_words(U256::ZERO), "Free");
        assert_eq!(price_words(U256::from(50_000_000_000_000_000u64)), "0.05 ETH");
        let address: Address = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266".parse().unwrap();
        assert_eq!(short_address(&address), "0xf39F…2266");
        let hash: B256 = "0x1234abcd00000000000000000000000000000000000000000000000000cdef01".parse().unwrap();
        assert_eq!(short_hash(&hash), "0x1234ab…cdef01");
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), 0.0);
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    }
}
