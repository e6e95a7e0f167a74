//! The gallery's ready scenarios, in the order a learner meets them. Each file's
//! `description` says what to watch. The files are not in the page's wasm: the site serves
//! `examples/` beside the page, and the gallery (or `?example=`) downloads them when asked.

/// (file name in `examples/`, topic).
pub const ENTRIES: &[(&str, &str)] = &[
    ("worker-pool-dlq.json", "SQS"),
    ("visibility-timeout-too-short.json", "SQS"),
    ("fifo-ordering.json", "SQS"),
    ("delay-queue.json", "SQS"),
    ("short-vs-long-polling.json", "SQS"),
    ("retention-expiry.json", "SQS"),
    ("tight-vs-loose-coupling.json", "Architecture"),
    ("az-outage-slow-and-failing.json", "Architecture"),
    ("fair-queue-noisy-tenant.json", "SQS"),
    ("sns-fanout.json", "SNS"),
    ("sns-filtering.json", "SNS"),
    ("sns-fifo.json", "SNS"),
    ("sns-http-retries.json", "SNS"),
    ("sns-large-payload.json", "SNS"),
    ("batch-fargate-vs-spot.json", "Batch"),
    ("lambda-vs-batch-long-jobs.json", "Batch"),
    ("batch-array-step-functions.json", "Batch"),
    ("mq-activemq-failover.json", "Amazon MQ"),
    ("mq-rabbitmq-topic-exchange.json", "Amazon MQ"),
    ("appflow-scheduled-sync.json", "AppFlow"),
    ("sfn-order-workflow.json", "Step Functions"),
    ("sfn-standard-vs-express.json", "Step Functions"),
    ("sfn-callback-token.json", "Step Functions"),
    ("sfn-started-by-lambda-from-sns.json", "Step Functions"),
    ("sfn-distributed-map-s3.json", "Step Functions"),
    ("lambda-sns-async-retries.json", "Lambda"),
    ("lambda-concurrency-exhausted.json", "Lambda"),
    ("api-retry-storm-vs-jitter.json", "API Gateway"),
    ("alb-health-checks-instance-failure.json", "Load balancing"),
    ("api-private-endpoint.json", "API Gateway"),
    ("api-sqs-lambda-buffer.json", "API Gateway"),
    ("api-websocket-chat.json", "API Gateway"),
    ("autoscaling-workers-on-queue-depth.json", "Architecture"),
    ("outage-queue-vs-sync-chain.json", "Architecture"),
    ("sync-chain-vs-queue.json", "Architecture"),
];

/// The address of a gallery file, relative to the page.
pub fn url(file: &str) -> String {
    format!("./examples/{file}")
}

/// The gallery file `?example=NAME` names (a file name without `.json`); `None` when the
/// gallery has none, so that nothing else is ever fetched.
pub fn file_of(name: &str) -> Option<&'static str> {
    ENTRIES
        .iter()
        .map(|(file, _)| *file)
        .find(|file| file.trim_end_matches(".json") == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use loosely_scenario::Scenario;

    /// Where the page downloads a gallery file from.
    #[test]
    fn examples_are_served_beside_the_page() {
        assert_eq!(
            url("worker-pool-dlq.json"),
            "./examples/worker-pool-dlq.json"
        );
        assert_eq!(file_of("sns-fanout"), Some("sns-fanout.json"));
        assert_eq!(file_of("sns-fanout.json"), None);
        assert_eq!(file_of("../secrets"), None);
    }

    #[test]
    fn every_example_is_in_the_gallery_and_runs() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .expect("examples/")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".json"))
            .collect();
        files.sort();
        let mut listed: Vec<String> = ENTRIES.iter().map(|(name, _)| name.to_string()).collect();
        listed.sort();
        assert_eq!(
            files, listed,
            "a scenario in examples/ is missing from the gallery"
        );
        for (name, _) in ENTRIES {
            let text = std::fs::read_to_string(dir.join(name)).expect("an example");
            let scenario = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(
                !scenario.name.is_empty() && scenario.description.len() > 80,
                "{name}: say what to watch"
            );
            assert!(scenario.build().is_ok(), "{name} does not build");
        }
    }
}
