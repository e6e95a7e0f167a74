//! The geometry of the canvas drawing, shared by the live canvas and the exported image:
//! where arrows run between boxes and which queue a redrive policy points at.

use loosely_scenario::{Component, Position, Scenario};

use crate::state::{NODE_HEIGHT, NODE_WIDTH};

/// The component a RedrivePolicy's `deadLetterTargetArn` names: an id, or an ARN whose last
/// part is a queue's name.
pub fn dead_letter_target<'a>(scenario: &'a Scenario, reference: &str) -> Option<&'a Component> {
    scenario
        .components
        .iter()
        .find(|c| c.id() == reference)
        .or_else(|| {
            let name = reference.rsplit(':').next()?;
            scenario
                .components
                .iter()
                .find(|c| matches!(c, Component::SqsQueue(_)) && c.display_name() == name)
        })
}

/// A curve from the right side of one box to the left side of another.
pub fn edge_path(from: Position, to: Position) -> String {
    let (sx, sy) = (from.x + NODE_WIDTH, from.y + NODE_HEIGHT / 2.0);
    let (tx, ty) = (to.x, to.y + NODE_HEIGHT / 2.0);
    let bend = ((tx - sx).abs() / 2.0).max(40.0);
    format!(
        "M{sx} {sy} C{} {sy}, {} {ty}, {tx} {ty}",
        sx + bend,
        tx - bend
    )
}

/// A curve from the bottom of a queue to the top of its dead-letter queue.
pub fn redrive_path(from: Position, to: Position) -> String {
    let (sx, sy) = (from.x + NODE_WIDTH / 2.0, from.y + NODE_HEIGHT);
    let (tx, ty) = (to.x + NODE_WIDTH / 2.0, to.y);
    format!(
        "M{sx} {sy} C{sx} {}, {tx} {}, {tx} {ty}",
        sy + 40.0,
        ty - 40.0
    )
}
