//! Templates written by people: YAML short tags, SAM, subscriptions, policies, and what is
//! left out.

use loosely_scenario::{Component, EndpointKind, Protocol, StateMachineType};

const ORDERS: &str = r#"
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: Orders fan out to billing and shipping
Parameters:
  Retention:
    Type: Number
    Default: 1209600
Resources:
  OrdersTopic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: orders
      DisplayName: Orders
  BillingQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: billing
      VisibilityTimeout: "120"
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt BillingDlq.Arn
        maxReceiveCount: 5
      Tags:
        - Key: team
          Value: billing
  BillingDlq:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: !Ref Retention
  BillingSubscription:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref OrdersTopic
      Protocol: sqs
      Endpoint: !GetAtt [BillingQueue, Arn]
      RawMessageDelivery: "true"
      FilterPolicy:
        kind: [order_placed]
  BillingPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref BillingQueue]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: sns.amazonaws.com}
            Action: sqs:SendMessage
            Resource: !GetAtt BillingQueue.Arn
            Condition:
              ArnEquals:
                aws:SourceArn: !Sub 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:orders'
  Webhook:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref OrdersTopic
      Protocol: https
      Endpoint: https://hooks.example.com/orders
  Notify:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
  NotifySubscription:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref OrdersTopic
      Protocol: lambda
      Endpoint: !GetAtt Notify.Arn
  Workflow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: EXPRESS
      DefinitionSubstitutions:
        QueueUrl: !Ref BillingQueue
      Definition:
        StartAt: Send
        States:
          Send:
            Type: Task
            Resource: arn:aws:states:::sqs:sendMessage
            Parameters:
              QueueUrl: ${QueueUrl}
              MessageBody.$: $
            End: true
      Policies:
        - SQSSendMessagePolicy:
            QueueName: billing
  Table:
    Type: AWS::Serverless::SimpleTable
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
  Fairness:
    Type: AWS::Batch::SchedulingPolicy
  Broker:
    Type: AWS::AmazonMQ::Broker
  Flow:
    Type: AWS::AppFlow::Flow
"#;

#[test]
fn a_sam_template_maps_onto_components_and_connections() {
    let imported = loosely_cfn::import(ORDERS).expect("a template");
    let scenario = &imported.scenario;
    let ids: Vec<&str> = scenario.components.iter().map(|c| c.id()).collect();
    assert_eq!(
        ids,
        [
            "BillingDlq",
            "BillingQueue",
            "Broker",
            "Flow",
            "Notify",
            "OrdersTopic",
            "Webhook",
            "Workflow"
        ]
    );
    let component = |id: &str| {
        scenario
            .components
            .iter()
            .find(|c| c.id() == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let Component::SqsQueue(billing) = component("BillingQueue") else {
        panic!("a queue")
    };
    assert_eq!(billing.name, "billing");
    assert_eq!(billing.parameters.visibility_timeout, Some(120));
    let redrive = billing.parameters.redrive_policy.as_ref().expect("a DLQ");
    assert_eq!(redrive.dead_letter_target_arn, "BillingDlq");
    assert_eq!(redrive.max_receive_count, Some(5));
    assert_eq!(
        billing.parameters.allowed_source_topics,
        Some(vec!["OrdersTopic".to_string()])
    );
    let Component::SqsQueue(dlq) = component("BillingDlq") else {
        panic!("a queue")
    };
    assert_eq!(dlq.parameters.message_retention_period, Some(1_209_600));
    let Component::StateMachine(workflow) = component("Workflow") else {
        panic!("a state machine")
    };
    assert_eq!(workflow.parameters.r#type, Some(StateMachineType::Express));
    let definition = workflow.parameters.definition.as_ref().expect("inline");
    assert_eq!(
        definition["States"]["Send"]["Parameters"]["QueueUrl"],
        "https://sqs.us-east-1.amazonaws.com/123456789012/billing"
    );
    let Component::Endpoint(webhook) = component("Webhook") else {
        panic!("an endpoint")
    };
    assert_eq!(webhook.parameters.endpoint_kind, Some(EndpointKind::Http));
    let Component::LambdaFunction(notify) = component("Notify") else {
        panic!("a function")
    };
    assert_eq!(notify.parameters, Default::default());
    let to_notify = scenario
        .connections
        .iter()
        .find(|c| c.to == "Notify")
        .expect("a subscription of the function");
    assert_eq!(to_notify.from, "OrdersTopic");

    let to_billing = scenario
        .connections
        .iter()
        .find(|c| c.to == "BillingQueue")
        .expect("a subscription");
    assert_eq!(to_billing.from, "OrdersTopic");
    let subscription = to_billing.subscription.as_ref().expect("attributes");
    assert_eq!(subscription.protocol, Some(Protocol::Sqs));
    assert_eq!(subscription.raw_message_delivery, Some(true));
    assert_eq!(
        subscription.filter_policy,
        Some(serde_json::json!({"kind": ["order_placed"]}))
    );
    assert_eq!(scenario.connections.len(), 3);
    assert!(scenario.validate().is_empty(), "{:?}", scenario.validate());

    let skipped: Vec<String> = imported.skipped.iter().map(|s| s.to_string()).collect();
    for expected in [
        "Resources.Table (AWS::Serverless::SimpleTable): of the SAM resource types, AWS::Serverless::Function, Api, HttpApi and StateMachine are imported",
        "Resources.Fairness (AWS::Batch::SchedulingPolicy): scheduling policies and consumable resources are not simulated: queues share their environments by priority",
        "Resources.BillingQueue.Properties.Tags (AWS::SQS::Queue): tags are not simulated",
        "Resources.OrdersTopic.Properties.DisplayName (AWS::SNS::Topic): not simulated",
    ] {
        assert!(skipped.iter().any(|s| s == expected), "{expected} not in {skipped:#?}");
    }
    for logical in [
        "Notify.Properties.Runtime",
        "Mapping",
        "Workflow.Properties.Policies",
    ] {
        let path = format!("Resources.{logical}");
        assert!(
            imported.skipped.iter().any(|s| s.path == path),
            "{path} not in {skipped:#?}"
        );
    }
}

#[test]
fn json_templates_with_long_forms_and_definition_strings() {
    let template = r#"{
      "Resources": {
        "Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"FifoQueue": true, "QueueName": "jobs.fifo", "ContentBasedDeduplication": "true"}},
        "Machine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
          "StateMachineName": "machine",
          "RoleArn": "arn:aws:iam::123456789012:role/x",
          "DefinitionString": {"Fn::Join": ["", ["{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sqs:sendMessage\",\"Parameters\":{\"QueueUrl\":\"", {"Ref": "Jobs"}, "\",\"MessageGroupId\":\"g\",\"MessageBody.$\":\"$\"},\"End\":true}}}"]]}
        }},
        "Unknown": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": {"Fn::ImportValue": "x"}}}
      }
    }"#;
    let imported = loosely_cfn::import(template).expect("a template");
    let Component::StateMachine(machine) = &imported.scenario.components[1] else {
        panic!("a state machine")
    };
    assert_eq!(
        machine.parameters.definition.as_ref().expect("parsed")["States"]["A"]["Parameters"]
            ["QueueUrl"],
        "https://sqs.us-east-1.amazonaws.com/123456789012/jobs.fifo"
    );
    let skipped: Vec<String> = imported.skipped.iter().map(|s| s.to_string()).collect();
    assert!(skipped.contains(
        &"Resources.Unknown.Properties.VisibilityTimeout (AWS::SQS::Queue): Fn::ImportValue is not evaluated by the import"
            .to_string()
    ), "{skipped:#?}");
}

#[test]
fn a_bad_property_value_is_listed_with_serdes_words() {
    let template = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: soon\n      DelaySeconds: 5\n";
    let imported = loosely_cfn::import(template).expect("a template");
    let Component::SqsQueue(queue) = &imported.scenario.components[0] else {
        panic!("a queue")
    };
    assert_eq!(queue.parameters.delay_seconds, Some(5));
    assert_eq!(queue.parameters.visibility_timeout, None);
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(
        imported.skipped[0].path,
        "Resources.Q.Properties.VisibilityTimeout"
    );
    assert!(imported.skipped[0].reason.contains("invalid type"));
}

#[test]
fn cloudwatch_alarms_on_queue_metrics_become_alarms() {
    let template = r#"
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
  Backlog:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: jobs-backlog
      Namespace: AWS/SQS
      MetricName: ApproximateNumberOfMessagesVisible
      Dimensions:
        - Name: QueueName
          Value: !GetAtt Jobs.QueueName
      Statistic: Average
      Period: 300
      EvaluationPeriods: 3
      Threshold: 100
      ComparisonOperator: GreaterThanThreshold
      AlarmActions: [arn:aws:sns:us-east-1:123456789012:pager]
  ByName:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/SQS
      MetricName: NumberOfMessagesSent
      Dimensions: [{Name: QueueName, Value: jobs}]
      Threshold: "5"
      EvaluationPeriods: 1
      ComparisonOperator: LessThanThreshold
  Cpu:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/EC2
      MetricName: CPUUtilization
      Threshold: 90
      EvaluationPeriods: 1
      ComparisonOperator: GreaterThanThreshold
"#;
    let imported = loosely_cfn::import(template).expect("a template");
    let alarms = &imported.scenario.alarms;
    assert_eq!(alarms.len(), 2, "{:#?}", imported.skipped);
    assert_eq!(alarms[0].alarm_name, "jobs-backlog");
    assert_eq!(alarms[0].component, "Jobs");
    assert_eq!(alarms[0].evaluation_periods, 3);
    assert_eq!(alarms[0].threshold, 100.0);
    assert_eq!(alarms[1].alarm_name, "ByName");
    assert_eq!(alarms[1].metric_name, "NumberOfMessagesSent");
    assert_eq!(alarms[1].threshold, 5.0);
    let skipped: Vec<String> = imported.skipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        skipped,
        [
            "Resources.Backlog.Properties.AlarmActions (AWS::CloudWatch::Alarm): not simulated",
            "Resources.Backlog.Properties.Period (AWS::CloudWatch::Alarm): the simulation judges every metric per metric_period_seconds (60 s)",
            "Resources.Backlog.Properties.Statistic (AWS::CloudWatch::Alarm): the simulation judges this metric by its Maximum",
            "Resources.Cpu (AWS::CloudWatch::Alarm): only alarms on a queue's AWS/SQS metrics (MetricName, Namespace and a QueueName dimension) are imported",
        ]
    );
    assert!(imported.scenario.validate().is_empty());
}

#[test]
fn load_balancer_resources_are_listed_as_not_imported() {
    let template = r#"
Resources:
  Web:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Subnets: [subnet-1, subnet-2]
  Instances:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 80
      Protocol: HTTP
      HealthCheckIntervalSeconds: 10
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Web
      Port: 80
      Protocol: HTTP
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref Instances
"#;
    let imported = loosely_cfn::import(template).expect("a template");
    assert!(imported.scenario.components.is_empty());
    let skipped = super::skipped(&imported);
    assert_eq!(skipped.len(), 3, "{skipped:#?}");
    assert!(skipped.iter().all(
        |line| line.contains("not imported: add an Application Load Balancer from the palette")
    ));
}
