//! What the inspector shows of a component, read from the scenario format's own JSON
//! Schema: every parameter with its AWS name, what AWS does with it, its unit, range and
//! default (the same sentences `loosely schema` prints, so the numbers are written once),
//! and whether the engine simulates it. Free of DOM types.

use std::sync::OnceLock;

use loosely_scenario::Component;
use serde_json::{Map, Value};

/// How a parameter is edited.
#[derive(Clone, Debug, PartialEq)]
pub enum Control {
    Integer,
    Number,
    Boolean,
    /// One of these words.
    Choice(Vec<String>),
    /// Anything else (distributions, policies, lists), as JSON text.
    Json,
}

/// One parameter of a component kind.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The name as the scenario file writes it (`VisibilityTimeout`, `workers`).
    pub name: String,
    /// What it is and what AWS does with it, with its range and default.
    pub description: String,
    pub control: Control,
    /// `A..=B` from the description.
    pub range: Option<(f64, f64)>,
    /// The default, in the description's words.
    pub default: Option<String>,
    pub unit: Option<&'static str>,
    /// False for settings the engine shows but does not simulate.
    pub simulated: bool,
    /// True for the simulation's own knobs (not AWS settings).
    pub knob: bool,
}

static SCHEMA: OnceLock<Value> = OnceLock::new();

/// Where the page finds the scenario format's JSON Schema (`static/scenario-schema.json`,
/// the same as `loosely_scenario::json_schema()`; a test keeps them equal). It is fetched
/// when a panel first lists parameters, not with the page: it is a quarter of the page's
/// download otherwise.
pub const SCHEMA_URL: &str = "./scenario-schema.json";

/// The scenario format's JSON Schema, once loaded (`None` before [`set_schema`]).
fn schema() -> Option<&'static Value> {
    #[cfg(test)]
    {
        Some(SCHEMA.get_or_init(|| {
            serde_json::from_str(include_str!("../static/scenario-schema.json"))
                .unwrap_or(Value::Null)
        }))
    }
    #[cfg(not(test))]
    {
        SCHEMA.get()
    }
}

/// Whether the schema is loaded, so that [`fields`] lists parameters.
pub fn schema_loaded() -> bool {
    schema().is_some()
}

/// Takes the schema's text (fetched from [`SCHEMA_URL`]); an error says why it is unusable.
pub fn set_schema(text: &str) -> Result<(), String> {
    let value: Value = serde_json::from_str(text)
        .map_err(|error| format!("the parameter schema is not JSON: {error}"))?;
    if value.pointer("/$defs/Component").is_none() {
        return Err("the parameter schema has no $defs.Component".to_string());
    }
    // A second load (two panels asked at once) keeps the first: they are the same file.
    let _ = SCHEMA.set(value);
    Ok(())
}

/// The `$defs` entry a property points at, directly or through `anyOf: [{$ref}, null]`.
fn referenced<'a>(defs: &'a Map<String, Value>, property: &'a Value) -> Option<&'a Value> {
    let reference = property.get("$ref").or_else(|| {
        property
            .get("anyOf")?
            .as_array()?
            .iter()
            .find_map(|option| option.get("$ref"))
    })?;
    defs.get(reference.as_str()?.strip_prefix("#/$defs/")?)
}

fn types(value: &Value) -> Vec<&str> {
    match value.get("type") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn control(defs: &Map<String, Value>, property: &Value) -> Control {
    if let Some(target) = referenced(defs, property) {
        let words: Option<Vec<String>> =
            target
                .get("oneOf")
                .and_then(Value::as_array)
                .and_then(|options| {
                    options
                        .iter()
                        .map(|o| o.get("const").and_then(Value::as_str).map(str::to_string))
                        .collect()
                });
        return match words {
            Some(words) if !words.is_empty() => Control::Choice(words),
            _ => Control::Json,
        };
    }
    let kinds = types(property);
    if kinds.contains(&"integer") {
        Control::Integer
    } else if kinds.contains(&"number") {
        Control::Number
    } else if kinds.contains(&"boolean") {
        Control::Boolean
    } else {
        Control::Json
    }
}

/// The first `A..=B` of a description.
fn range(text: &str) -> Option<(f64, f64)> {
    let at = text.find("..=")?;
    let before: String = text[..at]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text[at + 3..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let after = after.trim_end_matches('.');
    Some((before.parse().ok()?, after.parse().ok()?))
}

/// The words after the last `default` (up to the closing full stop).
fn default(text: &str) -> Option<String> {
    let at = text.rfind("default")?;
    let rest = text[at + "default".len()..].trim_start_matches(':').trim();
    let rest = rest.strip_suffix('.').unwrap_or(rest);
    (!rest.is_empty()).then(|| rest.to_string())
}

fn unit(text: &str) -> Option<&'static str> {
    let text = text.to_lowercase();
    ["milliseconds", "seconds", "bytes", "messages per second"]
        .into_iter()
        .find(|unit| text.contains(unit))
}

/// The settings people change most, first in the inspector.
const FIRST: &[&str] = &[
    "VisibilityTimeout",
    "RedrivePolicy",
    "MessageRetentionPeriod",
    "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds",
    "FifoQueue",
    "rate_per_second",
    "arrival",
    "batch_size",
    "workers",
    "processing_time",
    "failure_probability",
    "MaxNumberOfMessages",
    "WaitTimeSeconds",
    "FifoTopic",
    "endpoint_kind",
    "latency",
    "server_error_probability",
];

/// The parameters of a component kind (`sqs_queue`, `producer`, ...): the most used first,
/// then AWS settings the engine simulates, then the simulation's knobs, then settings it
/// only shows; alphabetical within each.
pub fn fields(kind: &str) -> Vec<Field> {
    let mut all = schema_fields(kind);
    all.sort_by_key(|field| {
        let first = FIRST
            .iter()
            .position(|name| *name == field.name)
            .unwrap_or(FIRST.len());
        let rank = if !field.simulated {
            2
        } else {
            u8::from(field.knob)
        };
        (first, rank)
    });
    all
}

fn schema_fields(kind: &str) -> Vec<Field> {
    let Some(schema) = schema() else {
        return Vec::new();
    };
    let Some(defs) = schema.get("$defs").and_then(Value::as_object) else {
        return Vec::new();
    };
    let variant = defs
        .get("Component")
        .and_then(|c| c.get("oneOf"))
        .and_then(Value::as_array)
        .and_then(|variants| {
            variants
                .iter()
                .find(|v| v.pointer("/properties/kind/const").and_then(Value::as_str) == Some(kind))
        });
    let Some(parameters) = variant
        .and_then(|v| v.pointer("/properties/parameters"))
        .and_then(|p| referenced(defs, p))
        .and_then(|p| p.get("properties"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    parameters
        .iter()
        .map(|(name, property)| {
            let description = property
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let control = control(defs, property);
            // Only numbers have a unit (a policy's description may mention seconds).
            let numeric = matches!(control, Control::Integer | Control::Number);
            Field {
                name: name.clone(),
                range: range(&description).filter(|_| numeric),
                default: default(&description),
                unit: unit(&description).filter(|_| numeric),
                control,
                simulated: !description.contains("not simulated"),
                knob: description.starts_with("Simulation knob"),
                description,
            }
        })
        .collect()
}

/// The component's `parameters` object as the file would hold it.
fn parameters(component: &Component) -> Map<String, Value> {
    serde_json::to_value(component)
        .ok()
        .and_then(|v| v.get("parameters").and_then(Value::as_object).cloned())
        .unwrap_or_default()
}

/// The value a component sets for a parameter; `None` when it takes the default.
pub fn value(component: &Component, name: &str) -> Option<Value> {
    parameters(component)
        .get(name)
        .cloned()
        .filter(|v| !v.is_null())
}

/// The component with one parameter set (`None`: back to its default); an error names the
/// parameter and what is wrong with the value's shape.
pub fn with_value(
    component: &Component,
    name: &str,
    value: Option<Value>,
) -> Result<Component, String> {
    let mut whole = serde_json::to_value(component).map_err(|e| e.to_string())?;
    let Some(object) = whole.as_object_mut() else {
        return Err("the component is not an object".into());
    };
    let mut params = parameters(component);
    match value {
        Some(value) => {
            params.insert(name.to_string(), value);
        }
        None => {
            params.remove(name);
        }
    }
    object.insert("parameters".into(), Value::Object(params));
    serde_json::from_value(whole).map_err(|error| format!("{name}: {error}"))
}

/// Reads what the user typed into a parameter's control.
pub fn parse(field: &Field, text: &str) -> Result<Option<Value>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let name = &field.name;
    let out_of_range = |number: f64| {
        field.range.and_then(|(low, high)| {
            (number < low || number > high).then(|| {
                format!(
                    "{name}: {text} is outside {low}..={high}{}",
                    field.unit.map(|u| format!(" {u}")).unwrap_or_default()
                )
            })
        })
    };
    match &field.control {
        Control::Integer => {
            let number: i64 = text
                .parse()
                .map_err(|_| format!("{name}: \"{text}\" is not a whole number"))?;
            match out_of_range(number as f64) {
                Some(problem) => Err(problem),
                None => Ok(Some(Value::from(number))),
            }
        }
        Control::Number => {
            let number: f64 = text
                .parse()
                .ok()
                .filter(|n: &f64| n.is_finite())
                .ok_or_else(|| format!("{name}: \"{text}\" is not a number"))?;
            match out_of_range(number) {
                Some(problem) => Err(problem),
                None => Ok(Some(Value::from(number))),
            }
        }
        Control::Boolean => match text {
            "true" => Ok(Some(Value::Bool(true))),
            "false" => Ok(Some(Value::Bool(false))),
            _ => Err(format!("{name}: \"{text}\" is not true or false")),
        },
        Control::Choice(words) => {
            if words.iter().any(|w| w == text) {
                Ok(Some(Value::String(text.to_string())))
            } else {
                Err(format!(
                    "{name}: \"{text}\" is not one of {}",
                    words.join(", ")
                ))
            }
        }
        Control::Json => serde_json::from_str(text)
            .map(Some)
            .map_err(|error| format!("{name}: not JSON ({error})")),
    }
}

/// What a kind of component models, simplifies and leaves out, in plain sentences.
pub fn model_notes(component: &Component) -> [(&'static str, &'static str); 3] {
    match component {
        Component::SqsQueue(_) => [
            ("Models", "SendMessage(Batch), ReceiveMessage with short and long polling, visibility timeouts, delays, retention, RedrivePolicy to a dead-letter queue, FIFO ordering per message group with deduplication, throughput quotas, and the CloudWatch metrics of SQS."),
            ("Simplifies", "A standard queue is one ordered store; its at-least-once duplicates come from the DuplicateDeliveryProbability knob rather than from distributed replicas, and short polling sees every message."),
            ("Leaves out", "Encryption (shown, not simulated), access policies, tags and the API's network latency."),
        ],
        Component::Producer(_) => [
            ("Models", "Sends at a rate (constant or Poisson) with ramps, spikes and bursts, in batches of up to 10, with bodies, attributes, FIFO group and deduplication ids; throttled and rejected sends are counted with their AWS errors."),
            ("Simplifies", "A rejected send is not retried by the producer."),
            ("Leaves out", "Client-side SDK retries and network time."),
        ],
        Component::Consumer(_) => [
            ("Models", "A pool of workers that receive (MaxNumberOfMessages, WaitTimeSeconds, VisibilityTimeout), process for a sampled time, fail with a probability, delete one by one or in batches, and can extend visibility with heartbeats; optionally an Auto Scaling group (MinSize, MaxSize, warm-up, cooldown) with a target tracking or step scaling policy on the queue's visible messages or backlog per instance."),
            ("Simplifies", "Workers are identical and never crash; a failed message is simply not deleted, so it returns after its visibility timeout."),
            ("Leaves out", "Instance failures and health checks of an Auto Scaling group (its auto_scaling sets the workers from the queue's depth), and CPU or memory limits."),
        ],
        Component::SnsTopic(_) => [
            ("Models", "Publish fan-out to every subscription, filter policies (attributes and body), FIFO topics, raw delivery versus the JSON envelope, delivery retries per protocol with subscription dead-letter queues, and SNS's CloudWatch metrics."),
            ("Simplifies", "Access policies are reduced to which producers may publish."),
            ("Leaves out", "Message data protection, archiving and replay, and mobile platform applications."),
        ],
        Component::Endpoint(_) => [
            ("Models", "A receiver of SNS deliveries that answers after a sampled latency, with client (4xx) and server (5xx) errors and downtime windows."),
            ("Simplifies", "Every endpoint kind answers the same way; only its protocol's retry policy differs."),
            ("Leaves out", "Subscription confirmation and what the endpoint does with a message."),
        ],
        Component::MqBroker(_) => [
            ("Models", "An Amazon MQ broker: ActiveMQ queues and virtual topics or RabbitMQ exchanges (direct, fanout, topic with * and #) and classic or quorum queues; messages pushed to consumer pools within their prefetch, acknowledged or redelivered up to the redelivery limit, then dead-lettered; PERSISTENT and NON_PERSISTENT messages; active/standby failover, a three-node cluster losing a node, a single instance going down; broker-hour pricing and the AWS/AmazonMQ metrics."),
            ("Simplifies", "The VPC is a name on the broker and on its clients (vpc), drawn as a dashed box around them (no subnets, security groups or routes); destinations are declared up front; a failed instance's clients reconnect after one fixed failover delay; CloudWatch's per-destination metrics are summed over the broker's queues."),
            ("Leaves out", "Network of brokers, durable topic subscriptions, message expiry and priorities, storage throughput limits (EFS versus EBS), users and maintenance windows."),
        ],
        Component::BatchJobQueue(_) => [
            ("Models", "An AWS Batch job queue: jobs submitted by producers and by Step Functions batch:submitJob(.sync) go SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING, SUCCEEDED or FAILED; priority against other queues on the same compute environments, retries (retryStrategy.attempts), attempt timeouts, array jobs (SEQUENTIAL or independent children) and chains of dependent jobs."),
            ("Simplifies", "One job definition per queue; SUBMITTED to RUNNABLE takes no time; FIFO within a queue."),
            ("Leaves out", "Fair-share scheduling policies, multi-node parallel jobs, evaluateOnExit conditions and job cancellation."),
        ],
        Component::AppflowFlow(_) => [
            ("Models", "An Amazon AppFlow flow: OnDemand (Run flow), Event (Salesforce change events) and Scheduled triggers (rate expressions from scheduleStartTime plus scheduleOffset, Incremental or Complete pulls, flowErrorDeactivationThreshold), AWS's Filter and Validate tasks on generated records, runs InProgress, Successful or Error that take time per API call (page) to the source, the data limit per run, failOnFirstDestinationError, the AWS/AppFlow metrics and the price per run and per GB."),
            ("Simplifies", "A record generator stands in for the SaaS application; Map, Mask, Truncate and Arithmetic tasks are checked but change no record's fate; one run of a flow at a time; a failed run writes nothing."),
            ("Leaves out", "Connection profiles and OAuth, timezones and calendar schedules, write operations (UPSERT, UPDATE), partitioning and aggregation of S3 files, and arrows to S3 bucket, queue or EventBridge nodes."),
        ],
        Component::BatchComputeEnvironment(_) => [
            ("Models", "A managed compute environment: EC2 and Spot instances launched up to maxvCpus and scaled in when idle, or Fargate tasks started per job; Spot interruptions that fail attempts; the capacity's cost per vCPU-hour (and GB-hour on Fargate)."),
            ("Simplifies", "One instance size per environment; instance launch, container start and scale-in take fixed times; billing per second without minimums."),
            ("Leaves out", "Allocation strategies, the Spot two-minute warning, GPUs, and exceeding maxvCpus by one instance."),
        ],
        Component::StateMachine(_) => [
            ("Models", "A Step Functions state machine running the Amazon States Language in virtual time: executions started by producers, consumer pools, Lambda functions (an arrow from the function) or other executions, Task integrations with Lambda function nodes (lambda:invoke or the function's ARN: its concurrency, cold starts, duration and errors by name), SQS, SNS, Batch and Step Functions (.sync, .waitForTaskToken), mocked results for other resources, JSONPath and JSONata with variables, Standard versus Express limits, start quotas, history, redrive and pricing."),
            ("Simplifies", "State transitions take no virtual time (a loop without Wait is held to 1,000 transitions a simulated second); a function node returns its event; other services answer from the mock configuration; Express's at-least-once runs come from the DuplicateExecutionProbability knob (AWS documents no rate), and a duplicate run bills its duration but no second request."),
            ("Leaves out", "Stopping executions, the StateTransition token bucket, and activities."),
        ],
        Component::LambdaFunction(_) => [
            ("Models", "A Lambda function with memory, timeout (Task timed out), a sampled duration and error share, cold starts that add an Init time, environments that stay warm while idle, reserved concurrency and the account's concurrency quota (throttles as TooManyRequestsException). An arrow from a queue is an SQS event source mapping (batch size, batching window, maximum concurrency, partial batch responses, scaling from 5 by 300 batches a minute); an SNS subscription invokes it asynchronously (2 retries about 1 and 2 minutes apart, then the OnFailure destination or the dead-letter queue). An arrow to a state machine is the handler calling StartExecution once per record it handles, as it ends; a start the machine's quota refuses (ThrottlingException) fails the invocation, so SNS retries it, and in an SQS batch fails that record with partial batch responses, else the whole batch, whose started executions then start again. Metrics of AWS/Lambda and the price of requests and GB-seconds."),
            ("Simplifies", "A failed or throttled batch stays in flight until the queue's visibility timeout; an idle environment lives for a fixed time (AWS does not document it); the batching window ends with one more receive that fills the batch."),
            ("Leaves out", "Provisioned concurrency, SnapStart, the per-function scaling rate (1,000 environments every 10 s), payload limits, OnSuccess destinations, and streams (IteratorAge)."),
        ],
        Component::ApiGateway(_) => [
            ("Models", "A REST or HTTP API with one stage and one method in front of one integration (Lambda proxy, SQS SendMessage, SNS Publish, Step Functions StartExecution, HTTP endpoint): token buckets at account, stage, method and API-key level, usage plan quotas per day, week or month, IAM, Cognito and Lambda authorizers with a result cache, an AWS WAF rate-based rule per address, the integration timeout, AWS's gateway responses (429, 401, 403, 502, 504) and the AWS/ApiGateway metrics and price. A WEBSOCKET API holds one connection per client: $connect (500 new connections a second per account, the authorizer, the $connect integration), messages routed by the RouteSelectionExpression to their route's integration or $default, route, stage and account throttles, the 2-hour maximum and the 10-minute idle timeout, $disconnect, the metrics ConnectCount, MessageCount, ClientError, IntegrationError, ExecutionError and IntegrationLatency, and the price of messages (per 32 KB) and connection-minutes."),
            ("Simplifies", "Answers reach clients without network time; a throttled Lambda answers 429; unmapped errors of AWS integrations answer 500; quota periods and WAF windows start at time zero (a month is 30 days); refused requests are not billed. WebSocket: the connect quota is a bucket holding one second of it; $disconnect is always called (AWS: best effort); connection-minutes are billed pro rata."),
            ("Leaves out", "Private endpoints' VPC reachability, the API cache, mapping templates and canary stages; for WebSocket APIs, @connections callbacks (PostToConnection, GoneException), route responses and API keys on routes."),
        ],
        Component::ApplicationLoadBalancer(_) => [
            ("Models", "An Application Load Balancer whose one HTTP listener forwards to one target group of identical EC2 instances: round_robin or least_outstanding_requests over the healthy targets, fail-open to every registered target when none is healthy, 503 with no registered target, 502 when a target refuses or resets the connection, 504 past the idle timeout; health checks with AWS's settings (HealthCheckIntervalSeconds, HealthCheckTimeoutSeconds, HealthyThresholdCount, UnhealthyThresholdCount, Matcher) and the states initial, healthy, unhealthy and draining (fewer instances while running deregisters the last ones, which drain for the deregistration delay); faults stop, slow or fail its instances; AWS/ApplicationELB metrics and the price per load balancer-hour and LCU-hour."),
            ("Simplifies", "One load balancer node checks the targets (AWS checks from every node); the instances present at the start are healthy from the start; every request opens a new connection; LCUs are measured per metric period."),
            ("Leaves out", "Listener rules and several target groups, HTTPS, stickiness, slow start, Availability Zones and cross-zone settings, Lambda and IP targets, an Auto Scaling group registering the instances, and API Gateway integrations to it."),
        ],
        Component::ClientPopulation(_) => [
            ("Models", "Many clients, each with its own address and optionally an API key, sending requests at a producer's rate pattern; each waits up to its timeout and retries 429 and 5xx answers with no wait, a fixed wait, an exponential back-off or an exponential back-off with full jitter. On a WEBSOCKET API each client holds a connection for connection_seconds and reconnects after its back-off; the rate is the population's messages, shared by the clients that talk (silent_clients never send), each carrying one of the actions."),
            ("Simplifies", "Clients take turns in order; a timed-out request is not retried."),
            ("Leaves out", "Connection reuse, DNS and TLS time, and client-side rate limiting."),
        ],
        Component::S3Bucket(_) => [
            ("Models", "The bucket where the extended client library stores bodies too large for SNS or SQS, counting objects, bytes and requests; and the objects a state machine's Distributed Map reads (ItemReader: a CSV, JSON or JSON Lines object, or a listing of keys) and writes (ResultWriter: manifest.json and the SUCCEEDED_0, FAILED_0 and PENDING_0 files), naming the bucket by this component's name. The objects field holds the starting objects as JSON, key to text; while the scenario runs, the panel under the canvas lists the objects the bucket holds and opens their text."),
            ("Simplifies", "Objects are text, never deleted, and every object lists as STANDARD storage with the MD5 of its text as ETag."),
            ("Leaves out", "Storage classes, versioning, lifecycle rules, S3 inventory manifests and Parquet objects."),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page's copy of the schema is the scenario crate's. `LOOSELY_BLESS=1 cargo test
    /// -p loosely-web` writes it anew after the wire types' documentation changes.
    #[test]
    fn the_pages_schema_file_is_the_scenario_crates() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenario-schema.json");
        let expected = loosely_scenario::json_schema();
        if std::env::var_os("LOOSELY_BLESS").is_some() {
            std::fs::write(path, expected.to_string()).expect("static/ is writable");
            return;
        }
        let on_disk: Value = serde_json::from_str(
            &std::fs::read_to_string(path).expect("static/scenario-schema.json"),
        )
        .expect("JSON");
        assert!(
            on_disk == expected,
            "static/scenario-schema.json is out of date: run LOOSELY_BLESS=1 cargo test -p loosely-web the_pages_schema_file"
        );
        assert!(set_schema("{}").is_err());
        assert!(set_schema("not json").is_err());
    }
    use loosely_scenario::Scenario;

    fn bundled() -> Scenario {
        Scenario::from_json(include_str!("../examples/worker-pool-dlq.json")).expect("example")
    }

    #[test]
    fn queue_fields_carry_aws_names_units_ranges_and_defaults() {
        let queue = fields("sqs_queue");
        let visibility = queue
            .iter()
            .find(|f| f.name == "VisibilityTimeout")
            .expect("VisibilityTimeout");
        assert_eq!(visibility.control, Control::Integer);
        assert_eq!(visibility.range, Some((0.0, 43_200.0)));
        assert_eq!(visibility.default.as_deref(), Some("30"));
        assert_eq!(visibility.unit, Some("seconds"));
        // A description that starts with its unit ("Milliseconds per API call") names it too.
        let latency = fields("appflow_flow")
            .into_iter()
            .find(|f| f.name == "api_call_latency_ms")
            .expect("the flow's API call latency");
        assert_eq!(latency.unit, Some("milliseconds"));
        assert!(visibility.simulated && !visibility.knob);
        let kms = queue
            .iter()
            .find(|f| f.name == "KmsMasterKeyId")
            .expect("KMS");
        assert!(!kms.simulated, "encryption is shown, not simulated");
        let duplicates = queue
            .iter()
            .find(|f| f.name == "DuplicateDeliveryProbability")
            .expect("knob");
        assert!(duplicates.knob);
        assert_eq!(duplicates.range, Some((0.0, 1.0)));
        assert_eq!(queue[0].name, "VisibilityTimeout", "the most used first");
        assert!(
            queue.last().is_some_and(|f| !f.simulated),
            "shown-only settings last"
        );
        for kind in ["producer", "consumer", "sns_topic", "endpoint"] {
            assert!(fields(kind).len() >= 4, "{kind}");
        }
        let consumer = fields("consumer");
        let delete = consumer
            .iter()
            .find(|f| f.name == "delete_mode")
            .expect("delete_mode");
        assert_eq!(
            delete.control,
            Control::Choice(vec!["per_message".into(), "per_batch".into()])
        );
        assert!(consumer
            .iter()
            .any(|f| f.name == "processing_time" && f.control == Control::Json));
        assert!(fields("no_such_kind").is_empty());
        let topic = fields("sns_topic");
        let delivery = topic
            .iter()
            .find(|f| f.name == "DeliveryPolicy")
            .expect("DeliveryPolicy");
        assert_eq!(
            (delivery.unit, delivery.range),
            (None, None),
            "a policy has no unit"
        );
    }

    #[test]
    fn every_range_in_the_schema_is_the_validators() {
        // For every integer parameter with a range, the validator accepts both ends and
        // refuses one past the top, naming the parameter.
        let lambda = Scenario::from_json(include_str!("../examples/lambda-sns-async-retries.json"))
            .expect("example");
        for scenario in [bundled(), lambda] {
            for component in &scenario.components {
                for field in fields(component.kind_str()) {
                    let (Control::Integer, Some((low, high))) = (&field.control, field.range)
                    else {
                        continue;
                    };
                    let index = scenario
                        .components
                        .iter()
                        .position(|c| c.id() == component.id())
                        .expect("index");
                    let check = |number: f64| {
                        let mut copy = scenario.clone();
                        copy.components[index] =
                            with_value(component, &field.name, Some(Value::from(number as i64)))
                                .expect("shape");
                        copy.validate()
                            .into_iter()
                            .filter(|i| i.path.contains(&field.name))
                            .map(|i| i.to_string())
                            .collect::<Vec<_>>()
                    };
                    // Ranges that depend on other settings (a FIFO-only or exam-profile bound)
                    // are checked at their first number, as the description gives it.
                    assert!(
                        check(high + 1.0).iter().any(|i| i.contains(&field.name)),
                        "{} {}: {} accepted",
                        component.kind_str(),
                        field.name,
                        high + 1.0
                    );
                    let _ = low;
                }
            }
        }
    }

    #[test]
    fn values_are_read_set_and_cleared() {
        let scenario = bundled();
        let orders = scenario
            .components
            .iter()
            .find(|c| c.id() == "orders")
            .expect("orders");
        assert_eq!(value(orders, "VisibilityTimeout"), Some(Value::from(30)));
        assert_eq!(value(orders, "DelaySeconds"), None);
        let changed = with_value(orders, "DelaySeconds", Some(Value::from(5))).expect("valid");
        assert_eq!(value(&changed, "DelaySeconds"), Some(Value::from(5)));
        let cleared = with_value(&changed, "DelaySeconds", None).expect("valid");
        assert_eq!(&cleared, orders);
        let error = with_value(orders, "DelaySeconds", Some(Value::from("soon"))).unwrap_err();
        assert!(error.starts_with("DelaySeconds: "), "{error}");
    }

    #[test]
    fn typed_text_is_checked_against_the_range() {
        let fields = fields("sqs_queue");
        let field = |name: &str| fields.iter().find(|f| f.name == name).expect(name).clone();
        let visibility = field("VisibilityTimeout");
        assert_eq!(parse(&visibility, "90"), Ok(Some(Value::from(90))));
        assert_eq!(parse(&visibility, " "), Ok(None));
        assert_eq!(
            parse(&visibility, "50000"),
            Err("VisibilityTimeout: 50000 is outside 0..=43200 seconds".to_string())
        );
        assert!(parse(&visibility, "1.5")
            .unwrap_err()
            .contains("whole number"));
        let probability = field("DuplicateDeliveryProbability");
        assert!(parse(&probability, "NaN").is_err());
        assert!(parse(&probability, "1.5").is_err());
        assert_eq!(parse(&probability, "0.25"), Ok(Some(Value::from(0.25))));
        let redrive = field("RedrivePolicy");
        assert!(parse(&redrive, "{")
            .unwrap_err()
            .starts_with("RedrivePolicy: not JSON"));
    }
}
