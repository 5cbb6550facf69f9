//! A block's inline Markdown as its plain text, for [`super::plain_line`]: escapes, code spans,
//! entities, autolinks, raw HTML (kept as text), links and images (their text), then emphasis and
//! strikethrough matched as CommonMark matches delimiter runs (flanking, the rule of three).
//!
//! A description is hostile input read for every listing Browse shows, so the work is bounded:
//! a code span's end is looked up, not searched for ([`Ticks`]), a bracket's match is looked for
//! within [`SCAN`] characters, a closing run looks back over at most [`SCAN`] pieces, and links
//! nest at most [`DEPTH`] deep (deeper brackets stay as written). Real descriptions are far
//! inside these.

use std::collections::{HashMap, HashSet};

use super::entity::entity;

/// How far a bracket's match, or a closing run's opener, is looked for.
const SCAN: usize = 1024;
/// How deep links nest (a link's text is read again for its own links and emphasis).
const DEPTH: usize = 4;

/// The plain text of one block's inline Markdown; `labels` are the document's reference labels.
pub fn inline(source: &str, labels: &HashSet<String>) -> String {
    inline_at(&source.chars().collect::<Vec<_>>(), labels, 0)
}

/// The plain text of `chars`, read `depth` links deep.
fn inline_at(chars: &[char], labels: &HashSet<String>, depth: usize) -> String {
    let ticks = Ticks::of(chars);
    let mut pieces = Vec::new();
    read(chars, &ticks, labels, depth, &mut pieces);
    match_delimiters(&mut pieces);
    let mut out = String::with_capacity(chars.len());
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(&text),
            Piece::Delimiter(run) => out.extend(std::iter::repeat_n(run.mark, run.left)),
        }
    }
    out
}

enum Piece {
    Text(String),
    Delimiter(Run),
}

/// A run of `*`, `_` or `~`: how many marks it had, how many are still unmatched, and whether it
/// may open or close emphasis.
struct Run {
    mark: char,
    length: usize,
    left: usize,
    opens: bool,
    closes: bool,
}

fn push_text(pieces: &mut Vec<Piece>, text: &str) {
    if let Some(Piece::Text(last)) = pieces.last_mut() {
        last.push_str(text);
    } else {
        pieces.push(Piece::Text(text.to_owned()));
    }
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace())
}

/// Reads `chars` into text and delimiter runs.
fn read(chars: &[char], ticks: &Ticks, labels: &HashSet<String>, depth: usize, pieces: &mut Vec<Piece>) {
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => match chars.get(i + 1) {
                Some(&next) if next.is_ascii_punctuation() => {
                    push_text(pieces, next.encode_utf8(&mut [0; 4]));
                    i += 2;
                }
                // A hard line break: the backslash is markup.
                Some('\n') => i += 1,
                _ => {
                    push_text(pieces, "\\");
                    i += 1;
                }
            },
            '`' => {
                let length = run_length(chars, i, '`');
                match code_span(chars, ticks, i + length, length) {
                    Some((code, end)) => {
                        push_text(pieces, &code);
                        i = end;
                    }
                    None => {
                        push_text(pieces, &"`".repeat(length));
                        i += length;
                    }
                }
            }
            '&' => match entity(chars, i) {
                Some((decoded, end)) => {
                    push_text(pieces, decoded.encode_utf8(&mut [0; 4]));
                    i = end;
                }
                None => {
                    push_text(pieces, "&");
                    i += 1;
                }
            },
            '<' => {
                let (text, end) = angle(chars, i);
                push_text(pieces, &text);
                i = end;
            }
            '[' | '!' if depth < DEPTH && (c == '[' || chars.get(i + 1) == Some(&'[')) => {
                let open = if c == '!' { i + 1 } else { i };
                match link(chars, ticks, open, labels) {
                    Some((text_end, end)) => {
                        push_text(pieces, &inline_at(&chars[open + 1..text_end], labels, depth + 1));
                        i = end;
                    }
                    None => {
                        push_text(pieces, if c == '!' { "![" } else { "[" });
                        i = open + 1;
                    }
                }
            }
            '*' | '_' | '~' => {
                let length = run_length(chars, i, c);
                let before = if i == 0 { ' ' } else { chars[i - 1] };
                let after = chars.get(i + length).copied().unwrap_or(' ');
                let left_flanking = !after.is_whitespace()
                    && (!is_punctuation(after) || before.is_whitespace() || is_punctuation(before));
                let right_flanking = !before.is_whitespace()
                    && (!is_punctuation(before) || after.is_whitespace() || is_punctuation(after));
                // `_` and a single `~` may not open or close inside a word; `*` and `~~` may.
                let (opens, closes) = if c == '_' || (c == '~' && length == 1) {
                    (
                        left_flanking && (!right_flanking || is_punctuation(before)),
                        right_flanking && (!left_flanking || is_punctuation(after)),
                    )
                } else {
                    (left_flanking, right_flanking)
                };
                // Strikethrough is one or two tildes; longer runs are text.
                if c == '~' && length > 2 {
                    push_text(pieces, &"~".repeat(length));
                } else {
                    pieces.push(Piece::Delimiter(Run { mark: c, length, left: length, opens, closes }));
                }
                i += length;
            }
            _ => {
                push_text(pieces, c.encode_utf8(&mut [0; 4]));
                i += 1;
            }
        }
    }
}

fn run_length(chars: &[char], start: usize, mark: char) -> usize {
    chars[start..].iter().take_while(|&&c| c == mark).count()
}

/// Where the runs of backticks of each length start, so that a code span's end (the next run of
/// exactly its opening's length) is looked up rather than searched for.
struct Ticks(HashMap<usize, Vec<usize>>);

impl Ticks {
    fn of(chars: &[char]) -> Ticks {
        let mut runs: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '`' {
                let length = run_length(chars, i, '`');
                runs.entry(length).or_default().push(i);
                i += length;
            } else {
                i += 1;
            }
        }
        Ticks(runs)
    }

    /// The start of the first run of exactly `length` backticks at or after `from`.
    fn next(&self, length: usize, from: usize) -> Option<usize> {
        let starts = self.0.get(&length)?;
        starts.get(starts.partition_point(|&start| start < from)).copied()
    }
}

/// A code span's content (line breaks as spaces, one space trimmed from each side when both have
/// one) and where it ends, if a run of exactly `length` backticks closes it.
fn code_span(chars: &[char], ticks: &Ticks, from: usize, length: usize) -> Option<(String, usize)> {
    let end = ticks.next(length, from)?;
    let code: String = chars[from..end].iter().map(|&c| if c == '\n' { ' ' } else { c }).collect();
    let trimmed = if code.starts_with(' ') && code.ends_with(' ') && !code.trim().is_empty() {
        code[1..code.len() - 1].to_owned()
    } else {
        code
    };
    Some((trimmed, end + length))
}

/// What starts with `<`: an autolink's address, a raw HTML tag or comment kept as written (its
/// characters are not markup), or a `<` alone.
fn angle(chars: &[char], start: usize) -> (String, usize) {
    let Some(close) = chars[start + 1..].iter().position(|&c| c == '>' || c == '<').map(|p| start + 1 + p) else {
        return ("<".to_owned(), start + 1);
    };
    if chars[close] != '>' {
        return ("<".to_owned(), start + 1);
    }
    let inside: String = chars[start + 1..close].iter().collect();
    let scheme_length = inside.find(':').unwrap_or(0);
    let is_uri = (2..=32).contains(&scheme_length)
        && inside.starts_with(|c: char| c.is_ascii_alphabetic())
        && inside[..scheme_length].chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        && !inside.contains(char::is_whitespace);
    let is_email = inside.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !inside.contains(char::is_whitespace)
            && !inside.contains(['\\', '"'])
    });
    if is_uri || is_email {
        return (inside, close + 1);
    }
    let is_tag = inside.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
    if is_tag { (format!("<{inside}>"), close + 1) } else { ("<".to_owned(), start + 1) }
}

/// A link or image whose text starts after `chars[open] == '['`: where its text ends (the `]`) and
/// where the whole link ends — an inline link `[text](address "title")`, a full or collapsed
/// reference `[text][label]` / `[text][]`, or a shortcut `[label]` whose label is defined.
fn link(chars: &[char], ticks: &Ticks, open: usize, labels: &HashSet<String>) -> Option<(usize, usize)> {
    let text_end = matching(chars, ticks, open, '[', ']')?;
    let text: String = chars[open + 1..text_end].iter().collect();
    match chars.get(text_end + 1) {
        Some('(') => {
            if let Some(end) = matching(chars, ticks, text_end + 1, '(', ')')
                && is_link_tail(&chars[text_end + 2..end].iter().collect::<String>())
            {
                return Some((text_end, end + 1));
            }
        }
        Some('[') => {
            if let Some(end) = matching(chars, ticks, text_end + 1, '[', ']') {
                let label: String = chars[text_end + 2..end].iter().collect();
                let label = if label.trim().is_empty() { &text } else { &label };
                if labels.contains(&super::plain::normalise(label)) {
                    return Some((text_end, end + 1));
                }
            }
        }
        _ => {}
    }
    labels.contains(&super::plain::normalise(&text)).then_some((text_end, text_end + 1))
}

/// Whether what is between an inline link's parentheses is a destination and an optional title:
/// `url`, `<url with spaces>`, `url "title"`, `url 'title'`, `url (title)`.
fn is_link_tail(inside: &str) -> bool {
    let inside = inside.trim();
    let (destination_ok, rest) = match inside.strip_prefix('<') {
        Some(bracketed) => match bracketed.find('>') {
            Some(close) => (!bracketed[..close].contains(['<', '\n']), &bracketed[close + 1..]),
            None => return false,
        },
        None => {
            let end = inside.find(char::is_whitespace).unwrap_or(inside.len());
            (!inside[..end].chars().any(char::is_control), &inside[end..])
        }
    };
    let title = rest.trim();
    let separated = rest.is_empty() || rest.starts_with(char::is_whitespace);
    let quoted = [('"', '"'), ('\'', '\''), ('(', ')')]
        .iter()
        .any(|&(open, close)| title.len() >= 2 && title.starts_with(open) && title.ends_with(close));
    destination_ok && separated && (title.is_empty() || quoted)
}

/// The index of the bracket closing the one at `open`, counting nested pairs and skipping
/// escaped characters and code spans.
fn matching(chars: &[char], ticks: &Ticks, open: usize, opening: char, closing: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = open;
    while j < chars.len().min(open + SCAN) {
        match chars[j] {
            '\\' => j += 1,
            '`' => {
                let length = run_length(chars, j, '`');
                j = code_span(chars, ticks, j + length, length).map_or(j + length, |(_, end)| end) - 1;
            }
            c if c == opening => depth += 1,
            c if c == closing => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
        j += 1;
    }
    None
}

/// Matches closing runs with the nearest opening run of the same mark, as CommonMark's "process
/// emphasis" does: two marks at a time where both runs have two (one otherwise), tildes only with a
/// run of the same length, the rule of three for runs that can both open and close; runs between
/// a matched pair can no longer open. What is left unmatched stays as text.
fn match_delimiters(pieces: &mut [Piece]) {
    for closer in 0..pieces.len() {
        while let Piece::Delimiter(close_run) = &pieces[closer] {
            if !close_run.closes || close_run.left == 0 {
                break;
            }
            let (mark, length, both, close_left) = (close_run.mark, close_run.length, close_run.opens, close_run.left);
            let opener = (closer.saturating_sub(SCAN)..closer).rev().find(|&o| match &pieces[o] {
                Piece::Delimiter(run) => {
                    run.mark == mark
                        && run.opens
                        && run.left > 0
                        && (mark != '~' || run.length == length)
                        && (!(both || run.closes) || (run.length + length) % 3 != 0 || length % 3 == 0)
                }
                Piece::Text(_) => false,
            });
            let Some(opener) = opener else { break };
            let Piece::Delimiter(open_run) = &pieces[opener] else { unreachable!("found as a run") };
            let used = if mark == '~' {
                length
            } else if open_run.left >= 2 && close_left >= 2 {
                2
            } else {
                1
            };
            for (index, piece) in pieces.iter_mut().enumerate().take(closer + 1).skip(opener) {
                if let Piece::Delimiter(run) = piece {
                    if index == opener || index == closer {
                        run.left -= used;
                    } else {
                        run.opens = false;
                    }
                }
            }
        }
    }
}
