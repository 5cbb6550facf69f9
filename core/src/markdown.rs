//! Model-card Markdown as a tree the app renders element by element — never as HTML text.
//!
//! A model card is written by whoever lists the model, so it is hostile input. [`parse`] turns
//! CommonMark (with tables and strikethrough) into [`Node`]s of a fixed set of harmless elements:
//! raw HTML is kept as visible text (so `<script>` shows as the characters it is, and runs
//! nothing), links survive only with an `http`, `https`, `ipfs` or `mailto` address (others,
//! `javascript:` and `data:` included, become plain text), and images are shown as links rather
//! than loaded (a card can't make the browser fetch anything by being viewed).

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

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

/// The plain text of Markdown on one line, for a summary or a search index: emphasis, links,
/// code, headings and list items become their words (a link keeps its text, not its address),
/// no markup character is left, and every run of whitespace (line and block breaks included) is
/// one space.
pub fn plain_line(markdown: &str) -> String {
    let text = plain_text(&parse(markdown));
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Node {
        Node::Text(t.to_owned())
    }

    fn el(element: Element, children: Vec<Node>) -> Node {
        Node::Element { element, children }
    }

    /// Every link address anywhere in the tree.
    fn hrefs(nodes: &[Node]) -> Vec<String> {
        let mut out = Vec::new();
        for node in nodes {
            if let Node::Element { element, children } = node {
                if let Element::Link { href } = element {
                    out.push(href.clone());
                }
                out.extend(hrefs(children));
            }
        }
        out
    }

    #[test]
    fn ordinary_markdown_becomes_elements() {
        let nodes = parse("# Digits\n\nA *small* **MLP**, see [the paper](https://example.org/p).\n\n- one\n- `two`\n");
        assert_eq!(nodes[0], el(Element::Heading(1), vec![text("Digits")]));
        assert_eq!(
            nodes[1],
            el(
                Element::Paragraph,
                vec![
                    text("A "),
                    el(Element::Emphasis, vec![text("small")]),
                    text(" "),
                    el(Element::Strong, vec![text("MLP")]),
                    text(", see "),
                    el(Element::Link { href: "https://example.org/p".into() }, vec![text("the paper")]),
                    text("."),
                ]
            )
        );
        assert_eq!(
            nodes[2],
            el(
                Element::List { ordered: false, start: 1 },
                vec![
                    el(Element::Item, vec![text("one")]),
                    el(Element::Item, vec![el(Element::InlineCode, vec![text("two")])]),
                ]
            )
        );
    }

    #[test]
    fn raw_html_is_shown_as_text_and_runs_nothing() {
        let nodes = parse("Hello <script>alert(1)</script> there\n\n<div onclick=\"x()\">block</div>\n");
        let shown = plain_text(&nodes);
        assert!(shown.contains("<script>alert(1)</script>"), "{shown}");
        assert!(shown.contains("<div onclick=\"x()\">block</div>"), "{shown}");
        assert!(hrefs(&nodes).is_empty());
    }

    #[test]
    fn only_safe_links_survive() {
        let nodes = parse(
            "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](java\tscript:alert(1)) [d](data:text/html,<b>) \
             [e](vbscript:x) [f](/relative) [g](#frag) [h](https://ok.example) [i](ipfs://bafy) [j](mailto:a@b.c)",
        );
        assert_eq!(hrefs(&nodes), vec!["https://ok.example", "ipfs://bafy", "mailto:a@b.c"]);
        let shown = plain_text(&nodes);
        for label in ["a", "b", "c", "d", "e", "f", "g"] {
            assert!(shown.contains(label), "the text of an unsafe link stays: {label}");
        }
        // Autolinks too.
        assert!(hrefs(&parse("<javascript:alert(1)>")).is_empty());
    }

    #[test]
    fn images_are_links_never_loaded() {
        let nodes = parse("![a chart](https://example.org/c.png) ![x](javascript:alert(1))");
        assert_eq!(hrefs(&nodes), vec!["https://example.org/c.png"]);
        assert!(plain_text(&nodes).contains("a chart"));
    }

    #[test]
    fn tables_and_code_blocks() {
        let nodes = parse("| metric | value |\n|---|---|\n| accuracy | 0.97 |\n\n```python\nprint(1)\n```\n");
        assert!(matches!(&nodes[0], Node::Element { element: Element::Table, .. }));
        assert_eq!(nodes[1], el(Element::CodeBlock(Some("python".into())), vec![text("print(1)\n")]));
    }

    #[test]
    fn plain_line_keeps_the_words_and_drops_the_markup() {
        assert_eq!(plain_line("A small **handwritten digits** classifier"), "A small handwritten digits classifier");
        assert_eq!(
            plain_line(
                "# Digits\n\nA *small* __MLP__ ~~big~~, see [the paper](https://example.org/p) and `predict()`.\n"
            ),
            "Digits A small MLP big, see the paper and predict()."
        );
        assert_eq!(plain_line("- one\n- two\n\n1. first\n2. second\n"), "one two first second");
        assert_eq!(plain_line("> quoted\n> on two lines\n\n---\n\n```\ncode\n```"), "quoted on two lines code");
        assert_eq!(plain_line("![a chart](https://example.org/c.png)"), "a chart");
        assert_eq!(plain_line("line one  \nline two\\\nthree"), "line one line two three");
        assert_eq!(plain_line("| metric | value |\n|---|---|\n| accuracy | 0.97 |\n"), "metric value accuracy 0.97");
        assert_eq!(plain_line("  \n\n "), "");
        // An escaped star is a star the author meant.
        assert_eq!(plain_line("5 \\* 3"), "5 * 3");
    }

    #[test]
    fn safe_href_rules() {
        assert_eq!(safe_href(" https://a.b/c "), Some("https://a.b/c".into()));
        assert_eq!(safe_href("https:"), None);
        assert_eq!(safe_href("javascript:void(0)"), None);
        assert_eq!(safe_href("\u{0}javascript:x"), None);
        assert_eq!(safe_href("no-scheme"), None);
    }
}
