use loosely_engine::SimTime;
use loosely_scenario::Scenario;

use crate::example_files;

#[test]
fn every_example_parses_validates_builds_and_runs_a_minute() {
    let files = example_files();
    assert!(files.len() >= 8, "expected the examples, found {files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable example");
        let scenario = Scenario::from_json(&text)
            .unwrap_or_else(|error| panic!("{}: {error}", file.display()));
        let issues = scenario.validate();
        assert!(issues.is_empty(), "{}: {issues:#?}", file.display());
        assert!(
            !scenario.description.is_empty(),
            "{}: every example says what to watch",
            file.display()
        );
        let mut built = scenario
            .build()
            .unwrap_or_else(|issues| panic!("{}: {issues:#?}", file.display()));
        built.simulation.run_until(SimTime::from_secs(60));
        assert_eq!(built.simulation.now(), SimTime::from_secs(60));
        // Producers count what they send to queues and publish to topics alike.
        let sent: u64 = (0..built.ids.len())
            .filter_map(|index| match built.simulation.stats(index) {
                Some(loosely_engine::ComponentStats::Producer(producer)) => Some(producer.sent),
                Some(loosely_engine::ComponentStats::Clients(clients)) => Some(clients.started),
                Some(loosely_engine::ComponentStats::Flow(flow)) => Some(flow.runs_started),
                _ => None,
            })
            .sum();
        assert!(sent > 0, "{}: nothing was sent in a minute", file.display());
        built
            .simulation
            .check_invariants()
            .unwrap_or_else(|problem| panic!("{}: {problem}", file.display()));
    }
}

#[test]
fn examples_survive_a_round_trip() {
    for file in example_files() {
        let text = std::fs::read_to_string(&file).expect("readable example");
        let scenario = Scenario::from_json(&text).expect("parses");
        let again = Scenario::from_json(&scenario.to_json_pretty()).expect("parses again");
        assert_eq!(scenario, again, "{}", file.display());
    }
}

#[test]
fn examples_are_laid_out_left_to_right() {
    use loosely_scenario::Component;
    for file in example_files() {
        let text = std::fs::read_to_string(&file).expect("readable example");
        let scenario = Scenario::from_json(&text).expect("parses");
        // With a topic or a state machine, the queues move one column to the right:
        // producer, topic or state machine, queue, consumer (or job queue, compute
        // environment).
        let has_topic = scenario.components.iter().any(|component| {
            matches!(
                component,
                Component::SnsTopic(_) | Component::StateMachine(_) | Component::ApiGateway(_)
            )
        });
        let shift = if has_topic { 260.0 } else { 0.0 };
        for component in &scenario.components {
            let x = component.position().x;
            let expected = match component {
                Component::Producer(_) | Component::ClientPopulation(_) => 80.0,
                // A machine a Lambda function starts sits in the column after the function.
                Component::StateMachine(_) if started_by_function(&scenario, component.id()) => {
                    860.0 + shift
                }
                Component::SnsTopic(_)
                | Component::S3Bucket(_)
                | Component::StateMachine(_)
                | Component::ApiGateway(_) => 340.0,
                Component::SqsQueue(_) => 340.0 + shift,
                Component::Endpoint(_) => 600.0,
                Component::Consumer(_) | Component::LambdaFunction(_) => 600.0 + shift,
                Component::BatchJobQueue(_) => 340.0 + shift,
                Component::BatchComputeEnvironment(_) => 600.0 + shift,
                Component::MqBroker(_) => 340.0,
                Component::AppflowFlow(_) | Component::ApplicationLoadBalancer(_) => 340.0,
            };
            assert!(
                (x - expected).abs() <= 40.0,
                "{}: {} at x {x}",
                file.display(),
                component.id()
            );
        }
    }
}

/// Whether a Lambda function's arrow goes to component `id`.
fn started_by_function(scenario: &loosely_scenario::Scenario, id: &str) -> bool {
    scenario.connections.iter().any(|c| {
        c.to == id
            && scenario.components.iter().any(|from| {
                from.id() == c.from
                    && matches!(from, loosely_scenario::Component::LambdaFunction(_))
            })
    })
}
