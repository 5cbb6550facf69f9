//! Small text helpers for messages shown to people.

/// Makes a message from a node or wallet fit to show: whitespace collapsed, any hex run longer than
/// an address (revert data, calldata, hashes) replaced by `…`, and cut to 200 characters.
pub fn readable(message: &str) -> String {
    let mut out = String::new();
    for word in message.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&strip_long_hex(word));
    }
    if out.chars().count() > 200 {
        out = out.chars().take(199).collect::<String>() + "…";
    }
    out
}

fn strip_long_hex(word: &str) -> String {
    let bytes = word.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'0' && bytes.get(i + 1).is_some_and(|b| *b == b'x' || *b == b'X') {
            let digits = bytes[i + 2..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
            if digits > 40 {
                out.push('…');
                i += 2 + digits;
                continue;
            }
        }
        // Non-ASCII is copied whole (char boundaries are respected).
        let c = word[i..].chars().next().expect("in bounds");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// A Unix time as `2025-03-01 14:05 UTC`.
pub fn utc_date_time(timestamp: u64) -> String {
    let days = (timestamp / 86_400) as i64;
    let seconds = timestamp % 86_400;
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", seconds / 3_600, seconds % 3_600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_hex_is_hidden_but_addresses_stay() {
        let revert = format!("execution reverted: custom error 0x{}", "ab".repeat(36));
        assert_eq!(readable(&revert), "execution reverted: custom error …");
        let address = "sent by 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 now";
        assert_eq!(readable(address), address);
        assert_eq!(readable("  two\n  lines  "), "two lines");
        assert_eq!(readable(&"é".repeat(300)).chars().count(), 200);
    }

    #[test]
    fn dates_are_utc() {
        assert_eq!(utc_date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_date_time(1_709_301_900), "2024-03-01 14:05 UTC");
        assert_eq!(utc_date_time(951_782_400), "2000-02-29 00:00 UTC");
    }
}
