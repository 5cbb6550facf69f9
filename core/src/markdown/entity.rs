//! Character references (`&amp;`, `&#233;`, `&#x1F600;`) for [`super::plain_line`]: every numeric one,
//! and the named ones a description commonly uses (the rest stay as written).

/// Named entities read here (the rest stay as written; numeric ones are all read).
pub const ENTITIES: [(&str, char); 40] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("hellip", '…'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("times", '×'),
    ("divide", '÷'),
    ("middot", '·'),
    ("bull", '•'),
    ("deg", '°'),
    ("plusmn", '±'),
    ("micro", 'µ'),
    ("sect", '§'),
    ("para", '¶'),
    ("euro", '€'),
    ("pound", '£'),
    ("yen", '¥'),
    ("cent", '¢'),
    ("larr", '←'),
    ("rarr", '→'),
    ("le", '≤'),
    ("ge", '≥'),
    ("ne", '≠'),
    ("asymp", '≈'),
    ("infin", '∞'),
    ("alpha", 'α'),
    ("beta", 'β'),
];

/// An entity at `start` (`&amp;`, `&#233;`, `&#x1F600;`) as its character, and where it ends.
pub fn entity(chars: &[char], start: usize) -> Option<(char, usize)> {
    let end = start + chars[start..].iter().take(34).position(|&c| c == ';')?;
    let name: String = chars[start + 1..end].iter().collect();
    let code = if let Some(number) = name.strip_prefix('#') {
        let (digits, radix, most) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 6),
            None => (number, 10, 7),
        };
        if digits.is_empty() || digits.len() > most || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let value = u32::from_str_radix(digits, radix).ok()?;
        if value == 0 { '\u{fffd}' } else { char::from_u32(value).unwrap_or('\u{fffd}') }
    } else {
        ENTITIES.iter().find(|(known, _)| *known == name).map(|&(_, c)| c)?
    };
    Some((code, end + 1))
}
