//! API Gateway in templates, read as one gateway with one integration.

use loosely_scenario::{ApiParameters, Component, Scenario};

fn api<'a>(scenario: &'a Scenario, id: &str) -> &'a ApiParameters {
    match scenario.components.iter().find(|c| c.id() == id) {
        Some(Component::ApiGateway(node)) => &node.parameters,
        other => panic!("{id} is not an API: {other:?}"),
    }
}

fn as_json(parameters: &ApiParameters) -> serde_json::Value {
    serde_json::to_value(parameters).expect("serializes")
}

#[test]
fn a_rest_api_takes_its_method_stage_usage_plan_and_authorizer() {
    let template = r#"
Resources:
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: orders
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: orders-api
      EndpointConfiguration:
        Types: [REGIONAL]
  OrdersPath:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !GetAtt Api.RootResourceId
      PathPart: orders
  Post:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref OrdersPath
      HttpMethod: POST
      AuthorizationType: CUSTOM
      AuthorizerId: !Ref Auth
      ApiKeyRequired: true
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Credentials: arn:aws:iam::123456789012:role/apigw
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/${Orders.QueueName}
        TimeoutInMillis: 5000
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref OrdersPath
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: MOCK
  Auth:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Api
      Type: TOKEN
      AuthorizerResultTtlInSeconds: 60
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: prod
      MethodSettings:
        - {ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200}
        - {ResourcePath: "/~1orders", HttpMethod: POST, ThrottlingRateLimit: 50, ThrottlingBurstLimit: 50}
  Plan:
    Type: AWS::ApiGateway::UsagePlan
    Properties:
      ApiStages: [{ApiId: !Ref Api, Stage: prod}]
      Throttle: {RateLimit: 10.0, BurstLimit: 20}
      Quota: {Limit: 10000, Period: DAY}
  Key:
    Type: AWS::ApiGateway::ApiKey
"#;
    let imported = loosely_cfn::import(template).expect("a template");
    let scenario = &imported.scenario;
    assert_eq!(
        as_json(api(scenario, "Api")),
        serde_json::json!({
            "ApiType": "REST",
            "EndpointType": "REGIONAL",
            "TimeoutInMillis": 5000,
            "StageThrottle": {"rateLimit": 100, "burstLimit": 200},
            "MethodThrottle": {"rateLimit": 50, "burstLimit": 50},
            "ApiKeyRequired": true,
            "UsagePlan": {"throttle": {"rateLimit": 10, "burstLimit": 20}, "quota": {"limit": 10000, "period": "DAY"}},
            "Authorizer": {"Type": "LAMBDA", "AuthorizerResultTtlInSeconds": 60},
        })
    );
    assert_eq!(scenario.connections.len(), 1);
    assert_eq!(
        (
            scenario.connections[0].from.as_str(),
            scenario.connections[0].to.as_str()
        ),
        ("Api", "Orders")
    );
    let skipped = crate::skipped(&imported);
    for expected in [
        "Resources.Get.Properties.Integration (AWS::ApiGateway::Method): a MOCK integration answers without a backend; connect the API to a component",
        "Resources.Post.Properties.Integration.Credentials (AWS::ApiGateway::Method): IAM is not simulated: every component may call every other one (queue and topic policies excepted)",
        "Resources.OrdersPath (AWS::ApiGateway::Resource): the playground's API is one method with one integration: resources, routes, models, deployments and domain names are not simulated",
        "Resources.Key (AWS::ApiGateway::ApiKey): keys are not resources here: the client population's clients_with_api_key hold them",
    ] {
        assert!(skipped.iter().any(|s| s == expected), "{expected} not in {skipped:#?}");
    }
    // With clients, the imported API validates and runs.
    let clients = serde_json::json!({
        "kind": "client_population", "id": "shoppers",
        "parameters": {"clients": 10, "clients_with_api_key": 10, "rate_per_second": 5}
    });
    let census = crate::run_with(scenario.clone(), clients, "Api")
        .simulation
        .census();
    assert!(census.sent > 100, "{census:?}");
}

#[test]
fn an_http_api_and_sam_events_integrate_functions_queues_and_state_machines() {
    let template = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: jobs-api
      ProtocolType: HTTP
  ToJobs:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Http
      IntegrationType: AWS_PROXY
      IntegrationSubtype: SQS-SendMessage
      PayloadFormatVersion: "1.0"
      RequestParameters:
        QueueUrl: !Ref Jobs
        MessageBody: $request.body
  Default:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Http
      StageName: $default
      DefaultRouteSettings: {ThrottlingBurstLimit: 50, ThrottlingRateLimit: 25}
  Sockets:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: chat
      ProtocolType: WEBSOCKET
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get:
          Type: Api
          Properties: {Path: /hello, Method: get}
  Ping:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get:
          Type: HttpApi
          Properties: {ApiId: !Ref Sam}
  Sam:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefaultRouteSettings: {ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5}
"#;
    let imported = loosely_cfn::import(template).expect("a template");
    let scenario = &imported.scenario;
    assert_eq!(
        as_json(api(scenario, "Http")),
        serde_json::json!({"ApiType": "HTTP", "StageThrottle": {"rateLimit": 25, "burstLimit": 50}})
    );
    assert_eq!(
        as_json(api(scenario, "Sam")),
        serde_json::json!({"ApiType": "HTTP", "StageThrottle": {"rateLimit": 5, "burstLimit": 10}})
    );
    assert_eq!(
        as_json(api(scenario, "ServerlessRestApi")),
        serde_json::json!({"ApiType": "REST"})
    );
    let arrows: Vec<(&str, &str)> = scenario
        .connections
        .iter()
        .map(|c| (c.from.as_str(), c.to.as_str()))
        .collect();
    for arrow in [
        ("Http", "Jobs"),
        ("ServerlessRestApi", "Hello"),
        ("Sam", "Ping"),
    ] {
        assert!(arrows.contains(&arrow), "{arrow:?} not in {arrows:?}");
    }
    assert!(!scenario.components.iter().any(|c| c.id() == "Sockets"));
    let skipped = crate::skipped(&imported);
    assert!(
        skipped.contains(&"Resources.Sockets (AWS::ApiGatewayV2::Api): \"WEBSOCKET\" APIs are not mapped from templates (their routes and route integrations are not read); add a WEBSOCKET api_gateway in the playground".to_string()),
        "{skipped:#?}"
    );
}
