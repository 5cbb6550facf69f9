//! A README's parts: the YAML front matter between two `---` lines, and the Markdown body; in the
//! body, its title (a first `# ` line) and the sections a card keeps in fields of its own.

use super::ReadmeError;

/// The sections an exported README writes for the card's own fields, by heading.
pub const INTENDED_USE: &str = "Intended use";
pub const LIMITATIONS: &str = "Limitations";
pub const SOURCE: &str = "Source";
/// Measured figures, a `- what: value` line each.
pub const MEASURED: &str = "Measured";

/// A README split in two: the metadata (YAML text) and the Markdown body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Readme<'a> {
    pub front_matter: &'a str,
    pub body: &'a str,
}

/// Splits `text` at its front matter's `---` lines (a byte-order mark and CRLF line ends allowed).
pub fn split(text: &str) -> Result<Readme<'_>, ReadmeError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(ReadmeError::NoFrontMatter)?;
    if first.trim_end() != "---" {
        return Err(ReadmeError::NoFrontMatter);
    }
    let start = first.len();
    let mut at = start;
    for line in lines {
        if line.trim_end() == "---" {
            return Ok(Readme { front_matter: &text[start..at], body: &text[at + line.len()..] });
        }
        at += line.len();
    }
    Err(ReadmeError::Unclosed)
}

/// The body read: its title, the card's own sections, and the rest (the description).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Body {
    pub title: Option<String>,
    pub description: String,
    pub intended_use: String,
    pub limitations: String,
    pub source: String,
    /// `(what, value)` from the `## Measured` section.
    pub metrics: Vec<(String, String)>,
}

/// Reads the body: a first non-blank line `# Title` is the title; `## Intended use`,
/// `## Limitations`, `## Source` and `## Measured` sections (outside code fences) are taken out; the rest, trimmed,
/// is the description.
pub fn read_body(body: &str) -> Body {
    let body = body.replace("\r\n", "\n");
    let mut lines = body.lines().skip_while(|l| l.trim().is_empty()).peekable();
    let mut read = Body::default();
    if let Some(title) = lines.peek().and_then(|l| l.strip_prefix("# ")) {
        read.title = Some(title.trim().to_owned());
        lines.next();
    }
    let mut rest = Vec::new();
    let (mut intended, mut limits, mut source) = (Vec::new(), Vec::new(), Vec::new());
    let mut target = 0; // 0: description, 1–3: the sections
    let mut fenced = false;
    for line in lines {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && (line.starts_with("# ") || line.starts_with("## ")) {
            target = match line.strip_prefix("## ").map(str::trim) {
                Some(INTENDED_USE) => 1,
                Some(LIMITATIONS) => 2,
                Some(SOURCE) => 3,
                Some(MEASURED) => 4,
                _ => 0,
            };
            if target != 0 {
                continue;
            }
        }
        match target {
            1 => intended.push(line),
            2 => limits.push(line),
            3 => source.push(line),
            4 => match line.strip_prefix("- ").and_then(|l| l.rsplit_once(": ")) {
                Some((what, value)) => read.metrics.push((what.trim().to_owned(), value.trim().to_owned())),
                None if line.trim().is_empty() => {}
                None => rest.push(line),
            },
            _ => rest.push(line),
        }
    }
    read.description = rest.join("\n").trim().to_owned();
    read.intended_use = intended.join("\n").trim().to_owned();
    read.limitations = limits.join("\n").trim().to_owned();
    read.source = source.join("\n").trim().to_owned();
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_front_matter_is_between_two_rules() {
        let readme = split("---\r\nlicense: mit\r\n---\r\n# Model\n").unwrap();
        assert_eq!(readme.front_matter, "license: mit\r\n");
        assert_eq!(readme.body, "# Model\n");
        assert_eq!(split("\u{feff}---\n---\n").unwrap(), Readme { front_matter: "", body: "" });
        assert_eq!(split("# Model\n\nNo metadata.").unwrap_err(), ReadmeError::NoFrontMatter);
        assert_eq!(split("").unwrap_err(), ReadmeError::NoFrontMatter);
        assert_eq!(split("---\nlicense: mit\n# Model\n").unwrap_err(), ReadmeError::Unclosed);
    }

    #[test]
    fn the_body_gives_a_title_the_cards_sections_and_a_description() {
        let body = read_body(
            "\n# Digits\n\nAn MLP.\n\n## Intended use\n\nTeaching.\n\n## Training\n\n```md\n## Source\n```\n\n## Source\n\nsklearn.\n",
        );
        assert_eq!(body.title.as_deref(), Some("Digits"));
        assert_eq!(body.description, "An MLP.\n\n## Training\n\n```md\n## Source\n```");
        assert_eq!(body.intended_use, "Teaching.");
        assert_eq!(body.source, "sklearn.");
        assert_eq!(body.limitations, "");
        assert_eq!(read_body("Text first.\n# Late title").title, None);
        let measured = read_body("## Measured\n\n- accuracy on 297 digits: 0.9 (268 of 297)\n");
        assert_eq!(measured.metrics, [("accuracy on 297 digits".to_owned(), "0.9 (268 of 297)".to_owned())]);
    }
}
