//! tract's failures to prepare a model, as refusals a researcher reads: where its analysis
//! stopped (the node's name and operator, from the file) and why in the model's terms; tract's own
//! message is kept aside for a bug report, never shown as the reason.

use tract_onnx::pb;
use tract_onnx::prelude::TractError;

use crate::report::Refusal;

/// A failure of tract's other than analysis (tract's message kept as the detail).
pub(super) fn unloadable(e: impl std::fmt::Display) -> Refusal {
    Refusal::Unloadable { detail: e.to_string() }
}

/// The node tract names in a message (`… node #5 "If_0" If …`): its name.
fn node_named(text: &str) -> Option<String> {
    let at = text.find("node #")?;
    let rest = &text[at + "node #".len()..];
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit()).strip_prefix(" \"")?;
    Some(rest[..rest.find('"')?].to_owned())
}

/// The operator type of the node called `name`, subgraphs included.
fn operator_of(graph: &pb::GraphProto, name: &str) -> Option<String> {
    graph.node.iter().find_map(|node| {
        if node.name == name {
            return Some(node.op_type.clone());
        }
        node.attribute.iter().flat_map(|a| a.g.iter().chain(&a.graphs)).find_map(|g| operator_of(g, name))
    })
}

/// tract's error while parsing, analysing, optimising or planning the model → a refusal: the
/// node where analysis stopped when tract names one that the file has, else a plain refusal.
pub(super) fn tract_failure(proto: &pb::ModelProto, e: &TractError) -> Refusal {
    let detail = format!("{e:#}");
    let node = e.chain().find_map(|cause| node_named(&cause.to_string()));
    let operator = node.as_deref().and_then(|n| proto.graph.as_ref().and_then(|g| operator_of(g, n)));
    match (node, operator) {
        (Some(node), Some(operator)) => Refusal::Unanalysable { node, operator, detail },
        _ => Refusal::Unloadable { detail },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_node_is_read_from_tracts_words() {
        let text = "Failed analyse for node #5 \"If_0\" If";
        assert_eq!(node_named(text).as_deref(), Some("If_0"));
        assert_eq!(node_named("Translating node #12 \"conv1\" Conv: …").as_deref(), Some("conv1"));
        assert_eq!(node_named("Impossible to unify Sym(batch) with Val(1)"), None);
    }
}
