//! What leaves the playground besides the scenario file: a static SVG picture of the
//! canvas (for places that allow no iframe), the Markdown that shows it linked to the live
//! playground, and the metrics as CSV. Free of DOM types, tested natively.

use loosely_engine::Simulation;
use loosely_scenario::{Component, Scenario};

use crate::drawing::{dead_letter_target, edge_path, redrive_path};
use crate::state::{NODE_HEIGHT, NODE_WIDTH};

/// Text as XML character data or an attribute value.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The fill of a kind's box in the picture (fixed colours: the picture has no theme).
fn kind_colour(kind: &str) -> &'static str {
    match kind {
        "sqs_queue" => "#fde68a",
        "producer" => "#bfdbfe",
        "consumer" => "#bbf7d0",
        "sns_topic" => "#fbcfe8",
        "endpoint" => "#e9d5ff",
        "s3_bucket" => "#fed7aa",
        "state_machine" => "#fecaca",
        _ => "#e5e7eb",
    }
}

/// Margin around the drawing, pixels.
const MARGIN: f64 = 30.0;

/// A standalone SVG picture of the scenario: its boxes with names and kinds, its arrows and
/// dead-letter links, and its title.
pub fn scenario_svg(scenario: &Scenario) -> String {
    let positions: Vec<(f64, f64)> = scenario
        .components
        .iter()
        .map(|c| (c.position().x, c.position().y))
        .collect();
    let min_x = positions.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let min_y = positions.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let max_x = positions
        .iter()
        .map(|p| p.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let max_y = positions
        .iter()
        .map(|p| p.1)
        .fold(f64::NEG_INFINITY, f64::max);
    let (min_x, min_y, max_x, max_y) = if positions.is_empty() {
        (0.0, 0.0, NODE_WIDTH, NODE_HEIGHT)
    } else {
        (min_x, min_y, max_x, max_y)
    };
    let title_height = 34.0;
    let left = min_x - MARGIN;
    let top = min_y - MARGIN - title_height;
    let width = max_x - min_x + NODE_WIDTH + 2.0 * MARGIN;
    let height = max_y - min_y + NODE_HEIGHT + 2.0 * MARGIN + title_height;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{left} {top} {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"system-ui, sans-serif\">\n"
    );
    svg.push_str(&format!(
        "<title>{}</title>\n<rect x=\"{left}\" y=\"{top}\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n",
        escape(&scenario.name)
    ));
    svg.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"#5b6475\"/></marker></defs>\n");
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"16\" font-weight=\"600\" fill=\"#1d2330\">{}</text>\n",
        left + MARGIN,
        top + MARGIN - 4.0,
        escape(if scenario.name.is_empty() {
            "A loosely scenario"
        } else {
            &scenario.name
        })
    ));
    let find = |id: &str| scenario.components.iter().find(|c| c.id() == id);
    for connection in &scenario.connections {
        if let (Some(from), Some(to)) = (find(&connection.from), find(&connection.to)) {
            svg.push_str(&format!(
                "<path d=\"{}\" fill=\"none\" stroke=\"#5b6475\" stroke-width=\"1.6\" marker-end=\"url(#arrow)\"/>\n",
                edge_path(from.position(), to.position())
            ));
        }
    }
    for component in &scenario.components {
        let Component::SqsQueue(queue) = component else {
            continue;
        };
        let Some(policy) = queue.parameters.redrive_policy.as_ref() else {
            continue;
        };
        if let Some(target) = dead_letter_target(scenario, &policy.dead_letter_target_arn) {
            svg.push_str(&format!(
                "<path d=\"{}\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.6\" stroke-dasharray=\"5 4\" marker-end=\"url(#arrow)\"/>\n",
                redrive_path(component.position(), target.position())
            ));
        }
    }
    for component in &scenario.components {
        let p = component.position();
        svg.push_str(&format!(
            "<g transform=\"translate({} {})\"><rect width=\"{NODE_WIDTH}\" height=\"{NODE_HEIGHT}\" rx=\"10\" fill=\"{}\" stroke=\"#5b6475\"/><text x=\"12\" y=\"27\" font-size=\"14\" font-weight=\"600\" fill=\"#1d2330\">{}</text><text x=\"12\" y=\"47\" font-size=\"12\" fill=\"#5b6475\">{}</text></g>\n",
            p.x,
            p.y,
            kind_colour(component.kind_str()),
            escape(component.display_name()),
            escape(component.kind_words()),
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

/// Markdown that shows the picture `image` and links it to the live playground at `link`.
pub fn markdown(scenario: &Scenario, image: &str, link: &str) -> String {
    let alt = if scenario.name.is_empty() {
        "A loosely scenario".to_string()
    } else {
        scenario.name.replace(['[', ']'], "")
    };
    format!("[![{alt}]({image})]({link} \"Open the live scenario in loosely\")")
}

/// One CSV field, quoted when it needs to be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Every metric of every component as CSV, one row per point: `component, metric, unit,
/// statistic, period_end_seconds, period_seconds, value`.
pub fn metrics_csv(simulation: &Simulation, ids: &[String]) -> String {
    let mut csv =
        String::from("component,metric,unit,statistic,period_end_seconds,period_seconds,value\n");
    for (index, id) in ids.iter().enumerate() {
        for series in simulation.metric_history(index) {
            let metric = series.metric;
            for point in series.points() {
                csv.push_str(&format!(
                    "{},{},{},{:?},{},{},{}\n",
                    field(id),
                    metric.as_str(),
                    metric.unit(),
                    metric.statistic(),
                    point.time.as_secs_f64(),
                    point.span.as_secs_f64(),
                    point.value
                ));
            }
        }
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUNDLED: &str = include_str!("../examples/worker-pool-dlq.json");

    #[test]
    fn the_picture_has_every_box_arrow_and_dead_letter_link() {
        let scenario = Scenario::from_json(BUNDLED).expect("parses");
        let svg = scenario_svg(&scenario);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert_eq!(
            svg.matches("<g transform").count(),
            scenario.components.len()
        );
        assert_eq!(
            svg.matches("marker-end").count(),
            scenario.connections.len() + 1,
            "the arrows and the one redrive link"
        );
        for component in &scenario.components {
            assert!(svg.contains(&escape(component.display_name())));
        }
    }

    #[test]
    fn names_are_text_never_markup() {
        let mut scenario = Scenario::from_json(BUNDLED).expect("parses");
        scenario.name = "<script>alert(1)</script> & co".into();
        let svg = scenario_svg(&scenario);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        let md = markdown(&scenario, "x.svg", "https://x.test/#v1:a");
        assert!(md.starts_with("[![<script>alert(1)</script> & co](x.svg)](https://x.test/#v1:a"));
    }

    #[test]
    fn an_empty_scenario_still_makes_a_picture() {
        let empty = Scenario::from_json(r#"{"version": 1}"#).expect("minimal");
        let svg = scenario_svg(&empty);
        assert!(svg.contains("A loosely scenario"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn metrics_come_out_as_csv_rows() {
        let scenario = Scenario::from_json(BUNDLED).expect("parses");
        let mut built = scenario.build().expect("builds");
        built
            .simulation
            .run_until(loosely_engine::SimTime::from_secs(300));
        let csv = metrics_csv(&built.simulation, &built.ids);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("component,metric,unit,statistic,period_end_seconds,period_seconds,value")
        );
        let row = csv
            .lines()
            .find(|l| l.starts_with("orders,NumberOfMessagesSent,"))
            .expect("a row of the queue's NumberOfMessagesSent");
        assert_eq!(row.split(',').count(), 7);
        assert!(csv.lines().count() > 10);
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
