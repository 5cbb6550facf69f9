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
}
