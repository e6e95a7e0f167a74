//! Lambda in templates: functions (CloudFormation and SAM), event source mappings from SQS,
//! asynchronous invocation settings, and what of them is left out.

use loosely_scenario::{Architecture, Component, FunctionResponseType, Protocol, Scenario};

fn function<'a>(scenario: &'a Scenario, id: &str) -> &'a loosely_scenario::LambdaParameters {
    match scenario.components.iter().find(|c| c.id() == id) {
        Some(Component::LambdaFunction(node)) => &node.parameters,
        other => panic!("{id} is not a function: {other:?}"),
    }
}

const CLOUDFORMATION: &str = r#"
Resources:
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: orders
      VisibilityTimeout: 180
  Failed:
    Type: AWS::SQS::Queue
  Alerts:
    Type: AWS::SNS::Topic
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: order-worker
      Runtime: nodejs22.x
      Handler: index.handler
      Role: !GetAtt WorkerRole.Arn
      Code: {ZipFile: "exports.handler = async () => ({})"}
      MemorySize: "512"
      Timeout: 30
      Architectures: [arm64]
      ReservedConcurrentExecutions: 20
      DeadLetterConfig:
        TargetArn: !GetAtt Failed.Arn
      Environment:
        Variables: {TABLE: orders}
  WorkerRole:
    Type: AWS::IAM::Role
  WorkerInvokeConfig:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Worker
      Qualifier: $LATEST
      MaximumRetryAttempts: 1
      MaximumEventAgeInSeconds: 3600
      DestinationConfig:
        OnFailure:
          Destination: !Ref Alerts
        OnSuccess:
          Destination: arn:aws:sqs:us-east-1:123456789012:done
  OrdersMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Orders.Arn
      FunctionName: order-worker
      BatchSize: 100
      MaximumBatchingWindowInSeconds: 5
      ScalingConfig: {MaximumConcurrency: 50}
      FunctionResponseTypes: [ReportBatchItemFailures]
      FilterCriteria:
        Filters: [{Pattern: '{"body": {"kind": ["order"]}}'}]
  StreamMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: arn:aws:kinesis:us-east-1:123456789012:stream/clicks
      FunctionName: !GetAtt Worker.Arn
      StartingPosition: LATEST
  Disabled:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Failed.Arn
      FunctionName: !Ref Worker
      Enabled: false
  Elsewhere:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Orders.Arn
      FunctionName: arn:aws:lambda:us-east-1:123456789012:function:not-here
  AlertsToWorker:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Alerts
      Protocol: lambda
      Endpoint: !GetAtt Worker.Arn
  AlertsPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Worker
      Principal: sns.amazonaws.com
"#;

#[test]
fn a_function_its_mapping_and_its_invoke_config_become_a_component_and_arrows() {
    let imported = loosely_cfn::import(CLOUDFORMATION).expect("a template");
    let scenario = &imported.scenario;
    let worker = function(scenario, "Worker");
    assert_eq!(worker.memory_size, Some(512));
    assert_eq!(worker.timeout, Some(30));
    assert_eq!(worker.architecture, Some(Architecture::Arm64));
    assert_eq!(worker.reserved_concurrent_executions, Some(20));
    assert_eq!(
        worker
            .dead_letter_config
            .as_ref()
            .map(|c| c.target_arn.as_str()),
        Some("Failed")
    );
    assert_eq!(worker.maximum_retry_attempts, Some(1));
    assert_eq!(worker.maximum_event_age_in_seconds, Some(3600));
    assert_eq!(
        worker
            .destination_config
            .as_ref()
            .map(|c| c.on_failure.destination.as_str()),
        Some("Alerts")
    );
    let node = scenario.components.iter().find(|c| c.id() == "Worker");
    assert_eq!(node.map(Component::display_name), Some("order-worker"));

    // One mapping from the queue (by the function's name), one subscription (by its ARN).
    assert_eq!(scenario.connections.len(), 2, "{:#?}", scenario.connections);
    let mapping = scenario
        .connections
        .iter()
        .find(|c| c.event_source_mapping.is_some())
        .expect("a mapping");
    assert_eq!(
        (mapping.from.as_str(), mapping.to.as_str()),
        ("Orders", "Worker")
    );
    let settings = mapping.event_source_mapping.as_ref().expect("settings");
    assert_eq!(settings.batch_size, Some(100));
    assert_eq!(settings.maximum_batching_window_in_seconds, Some(5));
    assert_eq!(
        settings
            .scaling_config
            .as_ref()
            .and_then(|c| c.maximum_concurrency),
        Some(50)
    );
    assert_eq!(
        settings.function_response_types,
        [FunctionResponseType::ReportBatchItemFailures]
    );
    let subscription = scenario
        .connections
        .iter()
        .find(|c| c.subscription.is_some())
        .expect("a subscription");
    assert_eq!(
        (subscription.from.as_str(), subscription.to.as_str()),
        ("Alerts", "Worker")
    );
    assert_eq!(
        subscription.subscription.as_ref().and_then(|s| s.protocol),
        Some(Protocol::Lambda)
    );
    assert!(scenario.validate().is_empty(), "{:?}", scenario.validate());

    let skipped = crate::skipped(&imported);
    for expected in [
        "Resources.Worker.Properties.Code (AWS::Lambda::Function): the code is not run: the function's duration and error_probability stand for it",
        "Resources.Worker.Properties.Environment.Variables.TABLE (AWS::Lambda::Function): environment variables are not simulated (one naming a state machine of the template is taken as the handler starting it)",
        "Resources.WorkerInvokeConfig.Properties.DestinationConfig.OnSuccess (AWS::Lambda::EventInvokeConfig): only failure destinations are simulated",
        "Resources.OrdersMapping.Properties.FilterCriteria (AWS::Lambda::EventSourceMapping): not simulated",
        "Resources.StreamMapping.Properties.EventSourceArn (AWS::Lambda::EventSourceMapping): reads kinesis (arn:aws:kinesis:us-east-1:123456789012:stream/clicks): only SQS event sources are simulated",
        "Resources.Disabled.Properties.Enabled (AWS::Lambda::EventSourceMapping): the mapping is disabled: it reads nothing, so it is not imported",
        "Resources.Elsewhere.Properties.FunctionName (AWS::Lambda::EventSourceMapping): arn:aws:lambda:us-east-1:123456789012:function:not-here names no Lambda function of the template",
        "Resources.AlertsPermission (AWS::Lambda::Permission): resource-based permissions are not simulated: every component may call every other one (queue and topic policies excepted)",
    ] {
        assert!(skipped.iter().any(|s| s == expected), "{expected} not in {skipped:#?}");
    }
}

const SAM: &str = r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 60
    MemorySize: 1024
    Runtime: python3.13
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Events:
    Type: AWS::SNS::Topic
  Parking:
    Type: AWS::SQS::Queue
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      MemorySize: 256
      DeadLetterQueue:
        Type: SQS
        TargetArn: !GetAtt Parking.Arn
      EventInvokeConfig:
        MaximumRetryAttempts: 0
        DestinationConfig:
          OnFailure:
            Type: SQS
            Destination: !GetAtt Parking.Arn
      Events:
        FromJobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            BatchSize: 5
        FromEvents:
          Type: SNS
          Properties:
            Topic: !Ref Events
            FilterPolicy: {kind: [job]}
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
"#;

#[test]
fn a_sam_function_takes_its_globals_and_its_events_become_arrows() {
    let imported = loosely_cfn::import(SAM).expect("a template");
    let scenario = &imported.scenario;
    let handler = function(scenario, "Handler");
    assert_eq!(handler.memory_size, Some(256), "its own beats Globals");
    assert_eq!(handler.timeout, Some(60), "from Globals");
    assert_eq!(handler.maximum_retry_attempts, Some(0));
    assert_eq!(
        handler
            .dead_letter_config
            .as_ref()
            .map(|c| c.target_arn.as_str()),
        Some("Parking")
    );
    assert_eq!(
        handler
            .destination_config
            .as_ref()
            .map(|c| c.on_failure.destination.as_str()),
        Some("Parking")
    );
    let from_jobs = scenario
        .connections
        .iter()
        .find(|c| c.from == "Jobs")
        .expect("the SQS event");
    assert_eq!(from_jobs.to, "Handler");
    assert_eq!(
        from_jobs
            .event_source_mapping
            .as_ref()
            .and_then(|m| m.batch_size),
        Some(5)
    );
    let from_events = scenario
        .connections
        .iter()
        .find(|c| c.from == "Events")
        .expect("the SNS event");
    let subscription = from_events.subscription.as_ref().expect("attributes");
    assert_eq!(subscription.protocol, Some(Protocol::Lambda));
    assert_eq!(
        subscription.filter_policy,
        Some(serde_json::json!({"kind": ["job"]}))
    );
    assert!(scenario.validate().is_empty(), "{:?}", scenario.validate());
    let skipped = crate::skipped(&imported);
    for expected in [
        "Globals.Function.Runtime (AWS::Serverless::Function): the code is not run: the function's duration and error_probability stand for it",
        "Resources.Handler.Properties.Events.Nightly (AWS::Serverless::Function): Schedule events are not simulated; connect a producer, an API gateway or a queue to the function",
    ] {
        assert!(skipped.iter().any(|s| s == expected), "{expected} not in {skipped:#?}");
    }
}

#[test]
fn an_imported_function_reads_its_queue_when_the_scenario_runs() {
    let imported = loosely_cfn::import(CLOUDFORMATION).expect("a template");
    let shop = serde_json::json!({
        "kind": "producer", "id": "shop", "parameters": {"rate_per_second": 20}
    });
    let built = crate::run_with(imported.scenario, shop, "Orders");
    let deleted = built.simulation.census().deleted;
    assert!(
        deleted > 1000,
        "the function's mapping deleted {deleted} messages"
    );
}

#[test]
fn a_topic_subscribing_a_function_exports_as_a_lambda_subscription_with_its_permission() {
    // The subscription of a function used to be written with protocol sqs and a queue ARN.
    let scenario = Scenario::from_json(
        r#"{"version": 1, "components": [
            {"kind": "sns_topic", "id": "signups"},
            {"kind": "lambda_function", "id": "welcome"}],
          "connections": [{"from": "signups", "to": "welcome"}]}"#,
    )
    .expect("a scenario");
    let template = loosely_cfn::export_value(&scenario);
    let resources = template["Resources"].as_object().expect("resources");
    let subscription = resources
        .values()
        .find(|r| r["Type"] == "AWS::SNS::Subscription")
        .expect("a subscription");
    assert_eq!(subscription["Properties"]["Protocol"], "lambda");
    assert_eq!(
        subscription["Properties"]["Endpoint"],
        serde_json::json!({"Fn::GetAtt": ["Welcome", "Arn"]})
    );
    let permission = resources
        .values()
        .find(|r| r["Type"] == "AWS::Lambda::Permission")
        .expect("a permission");
    assert_eq!(permission["Properties"]["Principal"], "sns.amazonaws.com");
    let back = loosely_cfn::import(&loosely_cfn::export(&scenario)).expect("our template");
    assert_eq!(back.scenario, scenario);
}

/// A function's arrow to a state machine exports as the handler calling StartExecution:
/// the machine's ARN in its environment and a policy allowing the call. A template whose
/// function's environment names a machine imports as that arrow; other variables are
/// listed as not simulated.
#[test]
fn a_function_starting_a_state_machine_exports_its_environment_and_imports_as_an_arrow() {
    let scenario = Scenario::from_json(
        r#"{"version": 1, "components": [
            {"kind": "lambda_function", "id": "starter"},
            {"kind": "state_machine", "id": "flow", "parameters": {"Definition":
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}}],
          "connections": [{"from": "starter", "to": "flow"}]}"#,
    )
    .expect("a scenario");
    let template = loosely_cfn::export_value(&scenario);
    let function = &template["Resources"]["Starter"];
    assert_eq!(
        function["Properties"]["Environment"]["Variables"]["STATE_MACHINE_ARN"],
        serde_json::json!({"Ref": "Flow"})
    );
    let code = function["Properties"]["Code"]["ZipFile"]
        .as_str()
        .expect("inline code");
    assert!(code.contains("start_execution"), "{code}");
    let statement = &template["Resources"]["StarterRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"][0];
    assert_eq!(statement["Action"], "states:StartExecution");
    assert_eq!(statement["Resource"], serde_json::json!({"Ref": "Flow"}));
    let back = loosely_cfn::import(&loosely_cfn::export(&scenario)).expect("our template");
    assert_eq!(back.scenario, scenario);

    let foreign = r#"
Resources:
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
  Starter:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          WORKFLOW: !GetAtt Flow.Arn
          TABLE: orders
"#;
    let imported = loosely_cfn::import(foreign).expect("a template");
    let arrows: Vec<(&str, &str)> = imported
        .scenario
        .connections
        .iter()
        .map(|c| (c.from.as_str(), c.to.as_str()))
        .collect();
    assert_eq!(arrows, vec![("Starter", "Flow")]);
    assert!(
        imported
            .skipped
            .iter()
            .any(|s| s.path == "Resources.Starter.Properties.Environment.Variables.TABLE"),
        "{:#?}",
        imported.skipped
    );
    assert!(imported.scenario.validate().is_empty());
}
