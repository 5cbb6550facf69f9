//! A README's parts: the YAML front matter between two `---` lines, and the Markdown body; in the
//! body, its title (a first `# ` line) and the sections a card keeps in fields of its own.

use super::ReadmeError;

/// The sections an exported README writes for the card's own fields, by heading.
pub const INTENDED_USE: &str = "Intended use";
pub const LIMITATIONS: &str = "Limitations";
pub const SOURCE: &str = "Source";
/// Measured figures, a `- what: value` line each.
pub const MEASURED: &str = "Measured";
/// Hugging Face's template sections the card's compliance section reads and writes.
pub const OUT_OF_SCOPE: &str = "Out-of-Scope Use";
pub const BIASES: &str = "Bias, Risks, and Limitations";
pub const TRAINING_DATA: &str = "Training Data";
pub const CONTACT: &str = "Model Card Contact";

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
    /// Hugging Face's template sections (at any heading level): `Out-of-Scope Use`, `Bias, Risks,
    /// and Limitations`, `Training Data`, `Model Card Contact`.
    pub out_of_scope: String,
    pub biases: String,
    pub training_data: String,
    pub contact: String,
}

/// The sections taken out of the body, in [`Body`]'s order after the description.
const SECTIONS: [&str; 8] = [INTENDED_USE, LIMITATIONS, SOURCE, MEASURED, OUT_OF_SCOPE, BIASES, TRAINING_DATA, CONTACT];

/// A Markdown heading (`#` to `######`, then a space): its level and text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    let text = line[level..].strip_prefix(' ')?;
    (1..=6).contains(&level).then(|| (level, text.trim()))
}

/// Reads the body: a first non-blank line `# Title` is the title; the [`SECTIONS`] (under a
/// heading of any level, outside code fences, up to the next heading of the same level or higher)
/// are taken out; the rest, trimmed, is the description.
pub fn read_body(body: &str) -> Body {
    let body = body.replace("\r\n", "\n");
    let mut lines = body.lines().skip_while(|l| l.trim().is_empty()).peekable();
    let mut read = Body::default();
    if let Some(title) = lines.peek().and_then(|l| l.strip_prefix("# ")) {
        read.title = Some(title.trim().to_owned());
        lines.next();
    }
    let mut rest = Vec::new();
    let mut sections: [Vec<&str>; SECTIONS.len()] = Default::default();
    // The section lines go to (an index into SECTIONS) and the level of its heading; `None`: the
    // description. A heading ends a section when it is of the same level or higher.
    let mut target: Option<(usize, usize)> = None;
    let mut fenced = false;
    for line in lines {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if let Some((level, text)) = heading(line).filter(|_| !fenced) {
            if let Some(known) = SECTIONS.iter().position(|s| s.eq_ignore_ascii_case(text)) {
                target = Some((known, level));
                continue;
            }
            if target.is_some_and(|(_, at)| level <= at) {
                target = None;
            }
        }
        match target {
            Some((3, _)) => match line.strip_prefix("- ").and_then(|l| l.rsplit_once(": ")) {
                Some((what, value)) => read.metrics.push((what.trim().to_owned(), value.trim().to_owned())),
                None if line.trim().is_empty() => {}
                None => rest.push(line),
            },
            Some((i, _)) => sections[i].push(line),
            None => rest.push(line),
        }
    }
    let [intended, limits, source, _, out_of_scope, biases, training, contact] =
        sections.map(|l| l.join("\n").trim().to_owned());
    (read.intended_use, read.limitations, read.source) = (intended, limits, source);
    (read.out_of_scope, read.biases, read.training_data, read.contact) = (out_of_scope, biases, training, contact);
    read.description = rest.join("\n").trim().to_owned();
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

    #[test]
    fn hugging_face_s_template_sections_are_read_at_their_own_levels() {
        let body = read_body(
            "# Model\n\nAbout.\n\n## Uses\n\n### Direct Use\n\nSorting mail.\n\n### Out-of-Scope Use\n\n\
             - Identifying people\n- Medical use\n\n## Bias, Risks, and Limitations\n\nFew writers.\n\n\
             ### Recommendations\n\nCheck before use.\n\n## Training Details\n\n### Training Data\n\n\
             Scanned digits.\n\n### Training Procedure\n\nAdam.\n\n## Model Card Contact\n\nlab@example.org\n",
        );
        assert_eq!(body.out_of_scope, "- Identifying people\n- Medical use");
        assert_eq!(
            body.biases, "Few writers.\n\n### Recommendations\n\nCheck before use.",
            "a subheading stays inside"
        );
        assert_eq!(body.training_data, "Scanned digits.");
        assert_eq!(body.contact, "lab@example.org");
        assert_eq!(
            body.description,
            "About.\n\n## Uses\n\n### Direct Use\n\nSorting mail.\n\n## Training Details\n\n### Training Procedure\n\nAdam."
        );
        assert_eq!(heading("#hashtag"), None);
        assert_eq!(heading("### Out-of-Scope Use "), Some((3, "Out-of-Scope Use")));
    }
}
