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

/// The VPC a component runs in: a broker's `vpc` (default "default"), a producer's,
/// consumer pool's or client population's `vpc` when set, a private API's (the VPC of its
/// interface endpoint). Other components are public endpoints or outside VPCs.
pub fn vpc_of(component: &Component) -> Option<&str> {
    match component {
        Component::MqBroker(node) => Some(node.parameters.vpc.as_deref().unwrap_or("default")),
        Component::Producer(node) => node.parameters.vpc.as_deref(),
        Component::Consumer(node) => node.parameters.vpc.as_deref(),
        Component::ClientPopulation(node) => node.parameters.vpc.as_deref(),
        Component::ApiGateway(node) => node.parameters.vpc.as_deref(),
        _ => None,
    }
}

/// A dashed box around the components of one VPC, in world coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct VpcGroup {
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Room around the boxes of a VPC group, and above them for its label.
const VPC_MARGIN: f64 = 16.0;
const VPC_LABEL: f64 = 18.0;

/// One group per VPC named by a component, around its components, in name order.
pub fn vpc_groups(scenario: &Scenario) -> Vec<VpcGroup> {
    let mut bounds: std::collections::BTreeMap<&str, (f64, f64, f64, f64)> =
        std::collections::BTreeMap::new();
    for component in &scenario.components {
        let Some(vpc) = vpc_of(component) else {
            continue;
        };
        let at = component.position();
        let (x1, y1) = (at.x + NODE_WIDTH, at.y + NODE_HEIGHT);
        bounds
            .entry(vpc)
            .and_modify(|b| *b = (b.0.min(at.x), b.1.min(at.y), b.2.max(x1), b.3.max(y1)))
            .or_insert((at.x, at.y, x1, y1));
    }
    bounds
        .into_iter()
        .map(|(name, (x0, y0, x1, y1))| VpcGroup {
            name: name.to_string(),
            x: x0 - VPC_MARGIN,
            y: y0 - VPC_MARGIN - VPC_LABEL,
            width: x1 - x0 + 2.0 * VPC_MARGIN,
            height: y1 - y0 + 2.0 * VPC_MARGIN + VPC_LABEL,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_api_and_its_clients_share_a_vpc_box_and_the_internet_stays_out() {
        let scenario = Scenario::from_json(include_str!("../examples/api-private-endpoint.json"))
            .expect("the example parses");
        let groups = vpc_groups(&scenario);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].name, "shop");
        let members: Vec<&str> = scenario
            .components
            .iter()
            .filter(|c| vpc_of(c) == Some("shop"))
            .map(|c| c.id())
            .collect();
        assert_eq!(members, ["storefront", "orders-api"]);
    }

    #[test]
    fn a_vpc_group_surrounds_the_broker_and_its_clients_only() {
        let scenario = Scenario::from_json(include_str!("../examples/mq-activemq-failover.json"))
            .expect("the example parses");
        let groups = vpc_groups(&scenario);
        assert!(!groups.is_empty());
        for group in &groups {
            let inside: Vec<&Component> = scenario
                .components
                .iter()
                .filter(|c| vpc_of(c) == Some(group.name.as_str()))
                .collect();
            assert!(!inside.is_empty());
            for component in inside {
                let at = component.position();
                assert!(at.x > group.x && at.x + NODE_WIDTH < group.x + group.width);
                assert!(at.y > group.y + VPC_LABEL && at.y + NODE_HEIGHT < group.y + group.height);
            }
        }
        let queue_only = Scenario::from_json(include_str!("../examples/worker-pool-dlq.json"))
            .expect("the example parses");
        assert!(vpc_groups(&queue_only).is_empty());
    }
}
