//! Where raw HTML blocks start and end, as CommonMark decides, for [`super::plain_line`]: an HTML
//! block's lines are shown as written, markup characters and all.

/// Where an HTML block ends: at a blank line, or at the line holding a marker.
#[derive(Clone, Copy)]
pub enum HtmlEnd {
    BlankLine,
    Marker(&'static str),
}

impl HtmlEnd {
    /// Whether the block ends with `line` (a blank line, or one holding the marker).
    pub fn closes(self, line: &str) -> bool {
        match self {
            HtmlEnd::BlankLine => line.trim().is_empty(),
            HtmlEnd::Marker(marker) => line.to_ascii_lowercase().contains(marker),
        }
    }
}

/// Elements whose tag starts an HTML block anywhere (CommonMark's sixth kind).
const BLOCK_TAGS: [&str; 62] = [
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// If a line (without its indentation) starts an HTML block, where the block ends: CommonMark's
/// kinds 1–6 (raw-text elements, comments, processing instructions, declarations, CDATA, block
/// tags), and the seventh (a complete tag alone on its line), which cannot interrupt a paragraph.
pub fn html_block_start(line: &str, after_blank: bool) -> Option<HtmlEnd> {
    let rest = line.strip_prefix('<')?;
    let lower = rest.to_ascii_lowercase();
    for (open, close) in
        [("script", "</script>"), ("pre", "</pre>"), ("style", "</style>"), ("textarea", "</textarea>")]
    {
        if lower.strip_prefix(open).is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t', '>'])) {
            return Some(HtmlEnd::Marker(close));
        }
    }
    if lower.starts_with("!--") {
        return Some(HtmlEnd::Marker("-->"));
    }
    if lower.starts_with('?') {
        return Some(HtmlEnd::Marker("?>"));
    }
    if lower.starts_with("![cdata[") {
        return Some(HtmlEnd::Marker("]]>"));
    }
    if lower.starts_with('!') && lower[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some(HtmlEnd::Marker(">"));
    }
    let name_start = lower.strip_prefix('/').unwrap_or(&lower);
    let name: String = name_start.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let after = &name_start[name.len()..];
    let ends_name = after.is_empty() || after.starts_with([' ', '\t', '>']) || after.starts_with("/>");
    if BLOCK_TAGS.contains(&name.as_str()) && ends_name {
        return Some(HtmlEnd::BlankLine);
    }
    // A complete open or closing tag and nothing else on the line.
    let alone = ends_name
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && line.trim_end().ends_with('>')
        && line.matches('<').count() == 1
        && line.matches('>').count() == 1;
    (after_blank && alone).then_some(HtmlEnd::BlankLine)
}
