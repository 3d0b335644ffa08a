//! The API's navigation: how many documented path templates it reaches, and how its
//! methods are named.

use super::*;
use crate::model::navigation::call_steps;

#[derive(Debug, Default, Clone, Serialize)]
pub struct Navigation {
    pub nodes: usize,
    pub methods: usize,
    /// Documented path templates (operations), and those a call reaches: its steps lead
    /// to a node with its method.
    pub templates: usize,
    pub templates_reached: usize,
    /// Methods several templates share (one operation on several pages or paths).
    pub shared_methods: usize,
    /// Methods named beyond their HTTP method (by their type, else their page).
    pub named_by_type_or_page: usize,
    /// Public names (steps, methods, parameters) ending in a digit.
    pub names_ending_in_a_digit: usize,
}

impl Navigation {
    pub(super) fn new(model: &Model) -> Self {
        let nodes = &model.navigation;
        let plain = ["list", "get", "create", "update", "put", "delete", "post"];
        let ends_in_digit = |name: &str| name.ends_with(|c: char| c.is_ascii_digit());
        let mut n = Navigation {
            nodes: nodes.len(),
            templates: model.operations.len(),
            ..Default::default()
        };
        for node in nodes {
            n.methods += node.methods.len();
            for method in &node.methods {
                n.shared_methods += usize::from(method.operations.len() > 1);
                n.named_by_type_or_page += usize::from(!plain.contains(&method.name.as_str()));
                n.names_ending_in_a_digit += usize::from(ends_in_digit(&method.name));
            }
            for step in &node.steps {
                n.names_ending_in_a_digit += usize::from(ends_in_digit(&step.name));
                n.names_ending_in_a_digit += step.params().filter(|p| ends_in_digit(p)).count();
            }
        }
        for op in &model.operations {
            let steps = call_steps(nodes, &op.call);
            let end = steps.last().map_or(0, |s| s.target);
            let reached = steps.len() == op.call.steps.len()
                && nodes.get(end).is_some_and(|node| {
                    node.methods
                        .iter()
                        .any(|m| m.name == op.call.method && m.operations.contains(&op.rust_name))
                });
            n.templates_reached += usize::from(reached);
        }
        n
    }
}
