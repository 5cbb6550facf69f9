//! The parser's tree, and the plain line read without it held to the parser's own plain text.
use super::plain::READ;
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
        plain_line("# Digits\n\nA *small* __MLP__ ~~big~~, see [the paper](https://example.org/p) and `predict()`.\n"),
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

/// The parser's plain text on one line: what [`plain_line`], which reads without the parser, must
/// give.
fn parsed_line(markdown: &str) -> String {
    plain_text(&parse(markdown)).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[track_caller]
fn reads_as_the_parser(markdown: &str) {
    assert_eq!(plain_line(markdown), parsed_line(markdown), "{markdown:?}");
}

#[test]
fn plain_line_reads_descriptions_as_the_parser_does() {
    for markdown in [
        "A small **handwritten digits** classifier",
        "# Digits\n\nA *small* __MLP__ ~~big~~ ~gone~, see [the paper](https://example.org/p \"Title\") and `predict()`.",
        "Setext title\n============\n\nAnd a second\n---\n\ntext",
        "## Closed heading ##\n###### six\n####### seven is text\n#hashtag is text",
        "- one\n- two\n  continued\n\n1. first\n2) second\n\n* star item\n+ plus item\n-1 is text",
        "> quoted\n> on two lines\n>> nested *deeply*\n\n---\n\n***\n\n_ _ _\n\n```rust\nlet x = *y; // **not** emphasis\n```\n\n~~~\n[not](a link)\n~~~",
        "![a chart](https://example.org/c.png) and ![alt *em*][fig]\n\n[fig]: https://example.org/f.png \"Figure\"",
        "See [the docs][Docs], [Docs][] or [docs].\n\n[docs]: https://example.org/docs",
        "[undefined] stays, [text][nope] too, and [a](<url with spaces>) is a link",
        "line one  \nline two\\\nthree",
        "| metric | value |\n|---|:---:|\n| accuracy | 0.97 |\n| F1 \\| macro | **0.9** |\n\nafter",
        "5 \\* 3 = 15, 2*3*4, a * b, snake_case_name, __init__, **bold**text, *a **b** c*",
        "***both*** **_mixed_** *__mixed__* _*x*_ **unclosed *nested",
        "Tom&amp;Jerry &lt;b&gt; &copy; 2026 &#233;t&#xE9; &#0; &unknown; & alone &hellip;",
        "Raw <b>bold *not* in tag</b> <span title=\"*x*\">s</span> <!-- comment --> 1 < 2 > 0",
        "Autolinks <https://example.org/a_b_c> and <mailto:a@b.c> and <user@example.org>",
        "Code ``with ` tick`` and ` padded ` and `` ` `` and unclosed `tick",
        "Escapes \\[not a link\\](x) \\# \\_ \\` \\\\ and \\a",
        "<div align=\"center\">\n<img src=\"x.png\">\n</div>\n\nAfter the HTML.",
        "Unicode: *naïve* café — “quoted” *—dash—* _über_ 日本語*強調*テキスト",
        "  \n\n ",
        "Trailing backslash\\",
        "word~~strike~~word and ~~~three~~~ tildes",
        "[not a link](two words) and [a](<x y> \"title\") and [b](c 'd') and [e](f (g))",
        "> *lazy\ncontinuation*\n\n- *an item\n- the next*",
        "Text\n\n    *indented* code_block\n\nafter",
        "- item\n\n    continued *in* the item",
        "<div>\n*not emphasis*\n</div>\n\n<p align=\"center\">\n  <img src=\"banner.png\" alt=\"*x*\">\n</p>\n\n*after*",
        "<img src=\"a.png\">\n\ntext <b>*inline* html</b>\n\n<!-- a\n*comment* -->\n\n<script>\nlet a = *b*;\n</script>\n*after*",
        "---\ntitle: front matter as a card may carry\n---\n\n# Model card",
    ] {
        reads_as_the_parser(markdown);
    }
}

/// Named entities outside the short list stay as written (the parser's table of 2,125 is what
/// Browse's first download leaves out); numeric ones are all read.
#[test]
fn plain_line_keeps_rarer_named_entities_as_written() {
    assert_eq!(plain_line("a &frac12; b &#189; c"), "a &frac12; b ½ c");
    assert_eq!(parsed_line("a &frac12; b &#189; c"), "a ½ b ½ c");
}

#[test]
fn plain_line_reads_every_entity_it_lists_as_the_parser_does() {
    for (name, _) in entity::ENTITIES {
        reads_as_the_parser(&format!("x &{name}; y"));
    }
}

/// Descriptions built at random from the pieces cards are made of, each read both ways.
#[test]
fn plain_line_reads_generated_descriptions_as_the_parser_does() {
    const WORDS: [&str; 8] = ["model", "digits", "accuracy", "0.97", "ONNX", "naïve", "x_y", "a-b"];
    const INLINE: [&str; 22] = [
        "[{}](two words)",
        "<span class=\"*{}*\">x</span>",
        "*{}*",
        "**{}**",
        "_{}_",
        "__{}__",
        "~~{}~~",
        "***{}***",
        "`{} * _`",
        "[{}](https://example.org/p)",
        "![{}](https://example.org/i.png)",
        "[{}][ref]",
        "<https://example.org/{}>",
        "&amp;{}",
        "\\*{}\\*",
        "({})",
        "{}!",
        "\"{}\"",
        "<b>{}</b>",
        "{}*",
        "_{}",
        "{}",
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for _ in 0..2_000 {
        let mut markdown = String::new();
        for _ in 0..1 + next(4) {
            let mut line = String::new();
            for _ in 0..1 + next(6) {
                let word = WORDS[next(WORDS.len())];
                line.push_str(&INLINE[next(INLINE.len())].replace("{}", word));
                line.push(' ');
            }
            let block = match next(11) {
                8 => format!("    {line}"),
                9 => format!("<div>\n{line}\n</div>"),
                10 => format!("> {line}\n{line}"),
                0 => format!("## {line}"),
                1 => format!("- {line}\n- {line}"),
                2 => format!("1. {line}"),
                3 => format!("> {line}"),
                4 => format!("| {line} | {line} |\n|---|---|\n| {line} | x |"),
                5 => format!("```\n{line}\n```"),
                _ => line,
            };
            markdown.push_str(&block);
            markdown.push_str("\n\n");
        }
        markdown.push_str("[ref]: https://example.org/ref\n");
        reads_as_the_parser(&markdown);
    }
}

/// Hostile descriptions are read in bounded work (each of these is quadratic or worse for a
/// reader that searches forward from every bracket, backtick or star) and keep their words.
#[test]
fn plain_line_reads_hostile_descriptions_in_bounded_work() {
    let brackets = "[".repeat(200_000);
    assert_eq!(plain_line(&brackets).len(), READ);
    let nested = format!("{}x{}", "[".repeat(5_000), "](u)".repeat(5_000));
    assert!(plain_line(&nested).contains('x'));
    let ticks = "` `` ".repeat(20_000);
    assert!(!plain_line(&ticks).is_empty());
    let mixed = "[`a` *b* ".repeat(10_000);
    assert!(plain_line(&mixed).contains("a b"));
    let stars = "a* ".repeat(20_000);
    assert!(plain_line(&stars).starts_with("a* a*"));
    // A long description is read up to its first 32 KiB, cut on a character boundary.
    let long = "é".repeat(READ);
    assert_eq!(plain_line(&long).len(), READ);
}

#[test]
fn plain_line_reads_the_journey_card_as_the_parser_does() {
    reads_as_the_parser(
        "# Digits for the journey\n\nA *small* MLP. <script>window.__pwned = 1</script>\n\n[click me](javascript:window.__pwned=2) and [the paper](https://example.org/paper)\n\n<img src=\"x\" onerror=\"window.__pwned=3\">\n",
    );
    assert!(plain_line("A *small* MLP. <script>window.__pwned = 1</script>").contains("window.__pwned = 1"));
}
