//! Amazon MQ brokers and AppFlow flows in templates.

#[test]
fn a_broker_keeps_its_engine_deployment_mode_and_instance_type() {
    let template = r#"
Resources:
  Broker:
    Type: AWS::AmazonMQ::Broker
    Properties:
      BrokerName: orders-broker
      EngineType: ActiveMQ
      EngineVersion: "5.18"
      DeploymentMode: ACTIVE_STANDBY_MULTI_AZ
      HostInstanceType: mq.m5.xlarge
      PubliclyAccessible: false
      AutoMinorVersionUpgrade: true
      Users: [{Username: app, Password: secret}]
"#;
    let imported = loosely_cfn::import(template).expect("a template");
    assert_eq!(
        crate::parameters(&imported.scenario, "Broker"),
        serde_json::json!({"engine": "ACTIVEMQ", "deployment_mode": "ACTIVE_STANDBY_MULTI_AZ", "host_instance_type": "mq.m5.xlarge"})
    );
    assert_eq!(
        imported.scenario.components[0].display_name(),
        "orders-broker"
    );
    let skipped: Vec<String> = imported.skipped.iter().map(ToString::to_string).collect();
    assert!(skipped.contains(&"Resources.Broker.Properties.Users (AWS::AmazonMQ::Broker): users and authentication are not simulated: every client of the broker's VPC connects".to_string()), "{skipped:#?}");
    assert!(
        imported.scenario.validate().is_empty(),
        "{:?}",
        imported.scenario.validate()
    );
}

#[test]
fn a_flow_turns_cloudformation_shapes_into_create_flow_ones() {
    let template = r#"
Resources:
  Sync:
    Type: AWS::AppFlow::Flow
    Properties:
      FlowName: opportunities-to-s3
      SourceFlowConfig:
        ConnectorType: Salesforce
        ConnectorProfileName: sales
        SourceConnectorProperties:
          Salesforce: {Object: Opportunity}
      DestinationFlowConfigList:
        - ConnectorType: S3
          DestinationConnectorProperties:
            S3:
              BucketName: lake
              S3OutputFormatConfig: {FileType: PARQUET}
      TriggerConfig:
        TriggerType: Scheduled
        TriggerProperties:
          ScheduleExpression: rate(1hours)
          DataPullMode: Incremental
          ScheduleStartTime: 1767225600
      Tasks:
        - TaskType: Filter
          SourceFields: [Amount]
          ConnectorOperator: {Salesforce: GREATER_THAN}
          TaskProperties:
            - {Key: DATA_TYPE, Value: double}
            - {Key: VALUE, Value: "100"}
        - TaskType: Map
          SourceFields: [Amount]
          DestinationField: amount
          ConnectorOperator: {Salesforce: NO_OP}
"#;
    let imported = loosely_cfn::import(template).expect("a template");
    assert_eq!(
        crate::parameters(&imported.scenario, "Sync"),
        serde_json::json!({
            "sourceFlowConfig": {"connectorType": "Salesforce", "object": "Opportunity"},
            "destinationFlowConfigList": [{"connectorType": "S3", "fileType": "PARQUET", "bucketName": "lake"}],
            "triggerConfig": {"triggerType": "Scheduled", "triggerProperties": {"scheduleExpression": "rate(1hours)", "dataPullMode": "Incremental"}},
            "tasks": [
                {"taskType": "Filter", "sourceFields": ["Amount"], "connectorOperator": {"Salesforce": "GREATER_THAN"}, "taskProperties": {"DATA_TYPE": "double", "VALUE": "100"}},
                {"taskType": "Map", "sourceFields": ["Amount"], "connectorOperator": {"Salesforce": "NO_OP"}, "destinationField": "amount"},
            ],
        })
    );
    assert!(
        imported.scenario.validate().is_empty(),
        "{:?}",
        imported.scenario.validate()
    );
    let paths: Vec<&str> = imported.skipped.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "Resources.Sync.Properties.SourceFlowConfig.ConnectorProfileName",
            "Resources.Sync.Properties.TriggerConfig.TriggerProperties.ScheduleStartTime",
        ]
    );
}
