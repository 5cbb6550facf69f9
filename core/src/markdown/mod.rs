//! Model-card Markdown as a tree the app renders element by element — never as HTML text.
//!
//! A model card is written by whoever lists the model, so it is hostile input. [`parse`] turns
//! CommonMark (with tables and strikethrough) into [`Node`]s of a fixed set of harmless elements:
//! raw HTML is kept as visible text (so `<script>` shows as the characters it is, and runs
//! nothing), links survive only with an `http`, `https`, `ipfs` or `mailto` address (others,
//! `javascript:` and `data:` included, become plain text), and images are shown as links rather
//! than loaded (a card can't make the browser fetch anything by being viewed).

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

mod entity;
mod html_block;
mod inline;
mod plain;

pub use plain::plain_line;

/// An element the model page may render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Element {
    Paragraph,
    /// A heading, level 1–6 as written (the page shifts them below its own headings).
    Heading(u8),
    BlockQuote,
    /// A code block, with its language tag if any.
    CodeBlock(Option<String>),
    List {
        ordered: bool,
        start: u64,
    },
    Item,
    Table,
    TableHead,
    TableRow,
    TableCell,
    Emphasis,
    Strong,
    Strikethrough,
    InlineCode,
    /// A link with a checked address.
    Link {
        href: String,
    },
    Rule,
    LineBreak,
}

/// A node of the rendered card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Element { element: Element, children: Vec<Node> },
    Text(String),
}

/// Schemes a card's link may use.
const SAFE_SCHEMES: [&str; 4] = ["http", "https", "ipfs", "mailto"];

/// The link address if it is safe to follow from a model card, else `None`. Whitespace and
/// control characters are removed first, as browsers do before reading the scheme.
pub fn safe_href(href: &str) -> Option<String> {
    let cleaned: String = href.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let (scheme, rest) = cleaned.split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    if rest.is_empty() || !SAFE_SCHEMES.contains(&scheme.as_str()) {
        return None;
    }
    Some(cleaned)
}

/// Parses Markdown into safe nodes.
pub fn parse(markdown: &str) -> Vec<Node> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // A stack of open elements; `None` marks a start whose content is merged into the parent
    // (a link with an unsafe address, an image, an HTML block).
    let mut stack: Vec<(Option<Element>, Vec<Node>)> = vec![(None, Vec::new())];
    let push_text = |stack: &mut Vec<(Option<Element>, Vec<Node>)>, text: &str| {
        let children = &mut stack.last_mut().expect("root").1;
        match children.last_mut() {
            Some(Node::Text(existing)) => existing.push_str(text),
            _ => children.push(Node::Text(text.to_owned())),
        }
    };
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => {
                let element = match tag {
                    Tag::Paragraph => Some(Element::Paragraph),
                    Tag::Heading { level, .. } => Some(Element::Heading(heading_level(level))),
                    Tag::BlockQuote(_) => Some(Element::BlockQuote),
                    Tag::CodeBlock(CodeBlockKind::Fenced(lang)) if !lang.is_empty() => {
                        Some(Element::CodeBlock(Some(lang.split_whitespace().next().unwrap_or("").to_owned())))
                    }
                    Tag::CodeBlock(_) => Some(Element::CodeBlock(None)),
                    Tag::List(start) => Some(Element::List { ordered: start.is_some(), start: start.unwrap_or(1) }),
                    Tag::Item => Some(Element::Item),
                    Tag::Table(_) => Some(Element::Table),
                    Tag::TableHead => Some(Element::TableHead),
                    Tag::TableRow => Some(Element::TableRow),
                    Tag::TableCell => Some(Element::TableCell),
                    Tag::Emphasis => Some(Element::Emphasis),
                    Tag::Strong => Some(Element::Strong),
                    Tag::Strikethrough => Some(Element::Strikethrough),
                    Tag::Link { dest_url, .. } => safe_href(&dest_url).map(|href| Element::Link { href }),
                    // Shown as a link to the picture (if its address is safe), never loaded.
                    Tag::Image { dest_url, .. } => safe_href(&dest_url).map(|href| Element::Link { href }),
                    _ => None,
                };
                stack.push((element, Vec::new()));
            }
            Event::End(end) => {
                if stack.len() == 1 {
                    continue;
                }
                let (element, children) = stack.pop().expect("balanced");
                let parent = &mut stack.last_mut().expect("root").1;
                match element {
                    Some(element) => parent.push(Node::Element { element, children }),
                    None => {
                        // Merge the content into the parent, keeping text runs together.
                        for child in children {
                            match (parent.last_mut(), child) {
                                (Some(Node::Text(existing)), Node::Text(text)) => existing.push_str(&text),
                                (_, child) => parent.push(child),
                            }
                        }
                        if matches!(end, TagEnd::HtmlBlock) {
                            parent.push(Node::Text("\n".to_owned()));
                        }
                    }
                }
            }
            Event::Text(text) => push_text(&mut stack, &text),
            // Raw HTML is shown as the text it is.
            Event::Html(html) | Event::InlineHtml(html) => push_text(&mut stack, &html),
            Event::Code(code) => stack
                .last_mut()
                .expect("root")
                .1
                .push(Node::Element { element: Element::InlineCode, children: vec![Node::Text(code.to_string())] }),
            Event::SoftBreak => push_text(&mut stack, " "),
            Event::HardBreak => {
                stack.last_mut().expect("root").1.push(Node::Element { element: Element::LineBreak, children: vec![] })
            }
            Event::Rule => {
                stack.last_mut().expect("root").1.push(Node::Element { element: Element::Rule, children: vec![] })
            }
            Event::FootnoteReference(name) => push_text(&mut stack, &format!("[{name}]")),
            Event::TaskListMarker(done) => push_text(&mut stack, if done { "☑ " } else { "☐ " }),
            Event::InlineMath(text) | Event::DisplayMath(text) => push_text(&mut stack, &text),
        }
    }
    while stack.len() > 1 {
        let (element, children) = stack.pop().expect("non-empty");
        let parent = &mut stack.last_mut().expect("root").1;
        match element {
            Some(element) => parent.push(Node::Element { element, children }),
            None => parent.extend(children),
        }
    }
    stack.pop().map(|(_, children)| children).unwrap_or_default()
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The plain text of nodes (for search and summaries).
pub fn plain_text(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element { element, children } => {
                out.push_str(&plain_text(children));
                match element {
                    Element::Paragraph
                    | Element::Heading(_)
                    | Element::Item
                    | Element::CodeBlock(_)
                    | Element::TableRow
                    | Element::LineBreak => out.push('\n'),
                    Element::TableCell => out.push('\t'),
                    _ => {}
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
