//! A card's Markdown as one line of plain words, read without a Markdown parser.
//!
//! Browse needs only this of a card's description (a listing's excerpt and its search text), and it
//! is on the first page's path; CommonMark's parser, with HTML's 2,125 named entities, is needed
//! only where a card is rendered ([`super::parse`]: the model page, the listing wizard), which the
//! page's wasm loads when first used (issue #24: the first download). What a description holds is
//! read here as the parser reads it — paragraphs, headings, lists, quotes, fenced and indented
//! code, HTML blocks, tables, links, images and reference links, emphasis and strikethrough,
//! escapes, code spans, autolinks, raw HTML kept as text, numeric and common named entities — and
//! the tests hold this to the parser's own plain text on those. Where it still differs (named
//! entities outside [`super::entity::ENTITIES`] stay as written; CommonMark's rarer corners, such
//! as a list item's lazy continuation lines) only a one-line excerpt's characters change: nothing
//! here is rendered as markup.

use std::collections::HashSet;

use super::html_block::{HtmlEnd, html_block_start};
use super::inline::inline;

/// The plain text of Markdown on one line, for a summary or a search index: emphasis, links,
/// code, headings and list items become their words (a link keeps its text, not its address),
/// no markup character is left, and every run of whitespace (line and block breaks included) is
/// one space.
///
/// Only the first [`READ`] bytes are read: a listing's excerpt and search text need no more, and
/// a description is hostile input read for every listing shown.
pub fn plain_line(markdown: &str) -> String {
    let mut end = markdown.len().min(READ);
    while !markdown.is_char_boundary(end) {
        end -= 1;
    }
    let markdown = &markdown[..end];
    let (blocks, labels) = blocks(markdown);
    let mut text = String::with_capacity(markdown.len());
    for block in &blocks {
        match block {
            Block::Inline(source) => text.push_str(&inline(source, &labels)),
            Block::Verbatim(source) => text.push_str(source),
        }
        text.push(' ');
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// How much of a description is read (32 KiB).
pub const READ: usize = 32 * 1024;

/// A block's text: inline Markdown still to read, or code kept as written.
enum Block {
    Inline(String),
    Verbatim(String),
}

/// The document's blocks, and the labels its link reference definitions define.
fn blocks(markdown: &str) -> (Vec<Block>, HashSet<String>) {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut blocks = Vec::new();
    let mut labels = HashSet::new();
    let mut paragraph = String::new();
    let flush = |paragraph: &mut String, blocks: &mut Vec<Block>| {
        // The paragraph's last line break is not a hard break (`text\` ends in a backslash).
        if !paragraph.trim().is_empty() {
            blocks.push(Block::Inline(paragraph.trim_end().to_owned()));
        }
        paragraph.clear();
    };
    let mut fence: Option<(char, usize)> = None;
    let mut quoted = 0;
    let mut in_list = false;
    let mut html: Option<HtmlEnd> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if let Some((fence_char, length)) = fence {
            if closes_fence(line, fence_char, length) {
                fence = None;
            } else {
                blocks.push(Block::Verbatim(line.to_owned()));
            }
            continue;
        }
        if let Some(end) = html {
            // An HTML block is shown as the text it is, markup characters and all.
            blocks.push(Block::Verbatim(line.to_owned()));
            if end.closes(line) {
                html = None;
            }
            continue;
        }
        let (content, quotes, item) = containers(line);
        // A new list item or a deeper quote starts a new paragraph (a line with fewer `>` goes on
        // with the quote's paragraph, as CommonMark's lazy continuation does).
        if item || quotes > quoted {
            flush(&mut paragraph, &mut blocks);
        }
        quoted = quotes;
        if item {
            in_list = true;
        } else if !content.starts_with([' ', '\t']) && !content.trim().is_empty() && paragraph.is_empty() {
            in_list = false;
        }
        if paragraph.is_empty() && !in_list && indentation(content) >= 4 {
            // An indented code block.
            blocks.push(Block::Verbatim(content.to_owned()));
            continue;
        }
        if let Some(end) = html_block_start(content.trim_start(), paragraph.is_empty()) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Verbatim(content.to_owned()));
            html = (!end.closes(content)).then_some(end);
            continue;
        }
        if let Some(opened) = opens_fence(content) {
            flush(&mut paragraph, &mut blocks);
            fence = Some(opened);
            continue;
        }
        let trimmed = content.trim();
        if trimmed.is_empty() || is_rule(trimmed) || (is_underline(trimmed, '=') && !paragraph.is_empty()) {
            flush(&mut paragraph, &mut blocks);
            continue;
        }
        if paragraph.is_empty()
            && let Some(label) = reference_definition(trimmed)
        {
            labels.insert(label);
            continue;
        }
        if let Some(heading) = atx_heading(content) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Inline(heading.to_owned()));
            continue;
        }
        if content.contains('|') && lines.get(i).is_some_and(|next| is_table_delimiter(strip_containers(next))) {
            flush(&mut paragraph, &mut blocks);
            blocks.extend(cells(content).into_iter().map(Block::Inline));
            i += 1;
            while let Some(row) = lines.get(i).map(|l| strip_containers(l)) {
                if row.trim().is_empty() {
                    break;
                }
                blocks.extend(cells(row).into_iter().map(Block::Inline));
                i += 1;
            }
            continue;
        }
        paragraph.push_str(content);
        paragraph.push('\n');
    }
    flush(&mut paragraph, &mut blocks);
    (blocks, labels)
}

/// A line without its block quote and list item markers (`>`, `-`, `*`, `+`, `1.`, `1)`): its
/// content, how many quotes it is in, and whether it starts a list item.
fn containers(mut line: &str) -> (&str, usize, bool) {
    let (mut quotes, mut item) = (0, false);
    loop {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let rest = &line[indent..];
        if let Some(quoted) = rest.strip_prefix('>') {
            line = quoted.strip_prefix(' ').unwrap_or(quoted);
            quotes += 1;
            continue;
        }
        let marker = if rest.starts_with(['-', '*', '+']) {
            1
        } else {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if (1..=9).contains(&digits) && rest[digits..].starts_with(['.', ')']) { digits + 1 } else { 0 }
        };
        let after = &rest[marker..];
        // A marker is followed by a space or ends the line; `*word*` and `-1` are text. A line of
        // markers alone (`- - -`, `***`) is a thematic break, read by the caller.
        if marker > 0 && (after.is_empty() || after.starts_with([' ', '\t'])) && !is_rule(rest.trim()) {
            line = after;
            item = true;
            continue;
        }
        return (line, quotes, item);
    }
}

fn strip_containers(line: &str) -> &str {
    containers(line).0
}

/// Columns of indentation (a tab to the next multiple of four).
fn indentation(line: &str) -> usize {
    let mut columns = 0;
    for c in line.chars() {
        match c {
            ' ' => columns += 1,
            '\t' => columns += 4 - columns % 4,
            _ => break,
        }
    }
    columns
}

/// A thematic break (`---`, `***`, `_ _ _`) or a setext heading's `-` underline.
fn is_rule(trimmed: &str) -> bool {
    let marks: String = trimmed.chars().filter(|c| !matches!(c, ' ' | '\t')).collect();
    let Some(first) = marks.chars().next() else { return false };
    matches!(first, '-' | '*' | '_')
        && marks.chars().all(|c| c == first)
        && (marks.len() >= 3 || (first == '-' && !trimmed.contains(' ')))
}

/// A line of `mark` alone (a setext heading's underline).
fn is_underline(trimmed: &str, mark: char) -> bool {
    !trimmed.is_empty() && trimmed.chars().all(|c| c == mark)
}

/// A fence's character and length if the line opens a fenced code block.
fn opens_fence(content: &str) -> Option<(char, usize)> {
    let indent = content.len() - content.trim_start_matches(' ').len();
    let rest = &content[indent..];
    let fence_char = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let length = rest.chars().take_while(|&c| c == fence_char).count();
    let info = &rest[length..];
    (indent <= 3 && length >= 3 && !(fence_char == '`' && info.contains('`'))).then_some((fence_char, length))
}

fn closes_fence(line: &str, fence_char: char, length: usize) -> bool {
    let rest = strip_containers(line).trim();
    rest.chars().take_while(|&c| c == fence_char).count() >= length && rest.chars().all(|c| c == fence_char)
}

/// An ATX heading's text (`## Title ##` → `Title`).
fn atx_heading(content: &str) -> Option<&str> {
    let indent = content.len() - content.trim_start_matches(' ').len();
    let rest = &content[indent..];
    let level = rest.bytes().take_while(|&b| b == b'#').count();
    let text = &rest[level..];
    if indent > 3 || !(1..=6).contains(&level) || !(text.is_empty() || text.starts_with([' ', '\t'])) {
        return None;
    }
    let text = text.trim();
    let without_closing = text.trim_end_matches('#');
    Some(if without_closing.is_empty() {
        ""
    } else if without_closing.ends_with([' ', '\t']) {
        without_closing.trim_end()
    } else {
        text
    })
}

/// A link reference definition's normalised label (`[Label]: https://…` → `label`).
fn reference_definition(trimmed: &str) -> Option<String> {
    let rest = trimmed.strip_prefix('[')?;
    let close = rest.find("]:")?;
    let label = &rest[..close];
    let destination = rest[close + 2..].trim();
    (!label.trim().is_empty() && !label.contains(['[', ']']) && !destination.is_empty()).then(|| normalise(label))
}

/// A label as CommonMark compares them: case-folded, inner whitespace one space.
pub(super) fn normalise(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A table's delimiter row (`|---|:--:|`).
fn is_table_delimiter(content: &str) -> bool {
    let row = content.trim().trim_start_matches('|').trim_end_matches('|');
    !row.trim().is_empty()
        && row.split('|').all(|cell| {
            let cell = cell.trim().trim_start_matches(':').trim_end_matches(':');
            !cell.is_empty() && cell.chars().all(|c| c == '-')
        })
}

/// A table row's cells (split at pipes not escaped); each is read alone, so markup never runs from
/// one cell into the next.
fn cells(row: &str) -> Vec<String> {
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = if row.ends_with('|') && !row.ends_with("\\|") { &row[..row.len() - 1] } else { row };
    let mut cells = vec![String::new()];
    let mut escaped = false;
    for c in row.chars() {
        if c == '|' && !escaped {
            cells.push(String::new());
        } else {
            cells.last_mut().expect("one cell at least").push(c);
        }
        escaped = c == '\\' && !escaped;
    }
    cells
}
