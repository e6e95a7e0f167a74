//! The gallery's ready scenarios, in the order a learner meets them. Each file's
//! `description` says what to watch.

/// (file name, contents, topic).
pub const ENTRIES: &[(&str, &str, &str)] = &[
    (
        "worker-pool-dlq.json",
        include_str!("../examples/worker-pool-dlq.json"),
        "SQS",
    ),
    (
        "visibility-timeout-too-short.json",
        include_str!("../examples/visibility-timeout-too-short.json"),
        "SQS",
    ),
    (
        "fifo-ordering.json",
        include_str!("../examples/fifo-ordering.json"),
        "SQS",
    ),
    (
        "delay-queue.json",
        include_str!("../examples/delay-queue.json"),
        "SQS",
    ),
    (
        "short-vs-long-polling.json",
        include_str!("../examples/short-vs-long-polling.json"),
        "SQS",
    ),
    (
        "retention-expiry.json",
        include_str!("../examples/retention-expiry.json"),
        "SQS",
    ),
    (
        "tight-vs-loose-coupling.json",
        include_str!("../examples/tight-vs-loose-coupling.json"),
        "Architecture",
    ),
    (
        "az-outage-slow-and-failing.json",
        include_str!("../examples/az-outage-slow-and-failing.json"),
        "Architecture",
    ),
    (
        "fair-queue-noisy-tenant.json",
        include_str!("../examples/fair-queue-noisy-tenant.json"),
        "SQS",
    ),
    (
        "sns-fanout.json",
        include_str!("../examples/sns-fanout.json"),
        "SNS",
    ),
    (
        "sns-filtering.json",
        include_str!("../examples/sns-filtering.json"),
        "SNS",
    ),
    (
        "sns-fifo.json",
        include_str!("../examples/sns-fifo.json"),
        "SNS",
    ),
    (
        "sns-http-retries.json",
        include_str!("../examples/sns-http-retries.json"),
        "SNS",
    ),
    (
        "sns-large-payload.json",
        include_str!("../examples/sns-large-payload.json"),
        "SNS",
    ),
    (
        "batch-fargate-vs-spot.json",
        include_str!("../examples/batch-fargate-vs-spot.json"),
        "Batch",
    ),
    (
        "lambda-vs-batch-long-jobs.json",
        include_str!("../examples/lambda-vs-batch-long-jobs.json"),
        "Batch",
    ),
    (
        "batch-array-step-functions.json",
        include_str!("../examples/batch-array-step-functions.json"),
        "Batch",
    ),
    (
        "mq-activemq-failover.json",
        include_str!("../examples/mq-activemq-failover.json"),
        "Amazon MQ",
    ),
    (
        "mq-rabbitmq-topic-exchange.json",
        include_str!("../examples/mq-rabbitmq-topic-exchange.json"),
        "Amazon MQ",
    ),
    (
        "appflow-scheduled-sync.json",
        include_str!("../examples/appflow-scheduled-sync.json"),
        "AppFlow",
    ),
    (
        "sfn-order-workflow.json",
        include_str!("../examples/sfn-order-workflow.json"),
        "Step Functions",
    ),
    (
        "sfn-standard-vs-express.json",
        include_str!("../examples/sfn-standard-vs-express.json"),
        "Step Functions",
    ),
    (
        "sfn-callback-token.json",
        include_str!("../examples/sfn-callback-token.json"),
        "Step Functions",
    ),
    (
        "sfn-started-by-lambda-from-sns.json",
        include_str!("../examples/sfn-started-by-lambda-from-sns.json"),
        "Step Functions",
    ),
    (
        "sfn-distributed-map-s3.json",
        include_str!("../examples/sfn-distributed-map-s3.json"),
        "Step Functions",
    ),
    (
        "lambda-sns-async-retries.json",
        include_str!("../examples/lambda-sns-async-retries.json"),
        "Lambda",
    ),
    (
        "lambda-concurrency-exhausted.json",
        include_str!("../examples/lambda-concurrency-exhausted.json"),
        "Lambda",
    ),
    (
        "api-retry-storm-vs-jitter.json",
        include_str!("../examples/api-retry-storm-vs-jitter.json"),
        "API Gateway",
    ),
    (
        "alb-health-checks-instance-failure.json",
        include_str!("../examples/alb-health-checks-instance-failure.json"),
        "Load balancing",
    ),
    (
        "api-private-endpoint.json",
        include_str!("../examples/api-private-endpoint.json"),
        "API Gateway",
    ),
    (
        "api-sqs-lambda-buffer.json",
        include_str!("../examples/api-sqs-lambda-buffer.json"),
        "API Gateway",
    ),
    (
        "api-websocket-chat.json",
        include_str!("../examples/api-websocket-chat.json"),
        "API Gateway",
    ),
    (
        "autoscaling-workers-on-queue-depth.json",
        include_str!("../examples/autoscaling-workers-on-queue-depth.json"),
        "Architecture",
    ),
    (
        "outage-queue-vs-sync-chain.json",
        include_str!("../examples/outage-queue-vs-sync-chain.json"),
        "Architecture",
    ),
    (
        "sync-chain-vs-queue.json",
        include_str!("../examples/sync-chain-vs-queue.json"),
        "Architecture",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use loosely_scenario::Scenario;

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
        let mut listed: Vec<String> = ENTRIES
            .iter()
            .map(|(name, _, _)| name.to_string())
            .collect();
        listed.sort();
        assert_eq!(
            files, listed,
            "a scenario in examples/ is missing from the gallery"
        );
        for (name, text, _) in ENTRIES {
            let scenario = Scenario::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(
                !scenario.name.is_empty() && scenario.description.len() > 80,
                "{name}: say what to watch"
            );
            assert!(scenario.build().is_ok(), "{name} does not build");
        }
    }
}
