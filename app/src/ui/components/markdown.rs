//! A model card's Markdown on screen: the safe element tree of `assay_core::markdown`, rendered
//! element by element. Nothing here sets `innerHTML`, so a card can't inject markup or script.

use assay_core::markdown::{Element, Node, parse};
use leptos::prelude::*;

/// Renders `source` (Markdown written by whoever listed the model).
#[component]
pub fn Markdown(#[prop(into)] source: String) -> impl IntoView {
    let nodes = parse(&source);
    view! { <div class="markdown" data-testid="markdown">{render(nodes)}</div> }
}

fn render(nodes: Vec<Node>) -> AnyView {
    nodes.into_iter().map(render_node).collect_view().into_any()
}

fn render_node(node: Node) -> AnyView {
    let (element, children) = match node {
        Node::Text(text) => return text.into_any(),
        Node::Element { element, children } => (element, children),
    };
    let inner = render(children);
    match element {
        Element::Paragraph => view! { <p>{inner}</p> }.into_any(),
        // The page's own headings are h1/h2: a card's headings sit below them.
        Element::Heading(1) => view! { <h3>{inner}</h3> }.into_any(),
        Element::Heading(2) => view! { <h4>{inner}</h4> }.into_any(),
        Element::Heading(3) => view! { <h5>{inner}</h5> }.into_any(),
        Element::Heading(_) => view! { <h6>{inner}</h6> }.into_any(),
        Element::BlockQuote => view! { <blockquote>{inner}</blockquote> }.into_any(),
        Element::CodeBlock(lang) => view! { <pre data-lang=lang><code>{inner}</code></pre> }.into_any(),
        Element::List { ordered: true, start } => view! { <ol start=start>{inner}</ol> }.into_any(),
        Element::List { ordered: false, .. } => view! { <ul>{inner}</ul> }.into_any(),
        Element::Item => view! { <li>{inner}</li> }.into_any(),
        Element::Table => view! { <table class="table">{inner}</table> }.into_any(),
        Element::TableHead => view! { <thead><tr>{inner}</tr></thead> }.into_any(),
        Element::TableRow => view! { <tr>{inner}</tr> }.into_any(),
        Element::TableCell => view! { <td>{inner}</td> }.into_any(),
        Element::Emphasis => view! { <em>{inner}</em> }.into_any(),
        Element::Strong => view! { <strong>{inner}</strong> }.into_any(),
        Element::Strikethrough => view! { <del>{inner}</del> }.into_any(),
        Element::InlineCode => view! { <code>{inner}</code> }.into_any(),
        // External: a new tab, no referrer, no access to this page.
        Element::Link { href } => {
            view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{inner}</a> }.into_any()
        }
        Element::Rule => view! { <hr /> }.into_any(),
        Element::LineBreak => view! { <br /> }.into_any(),
    }
}
