//! AWS Batch in templates: compute environments, job queues and the job definition.

use loosely_scenario::Component;

const TEMPLATE: &str = r#"
Resources:
  Spot:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      ComputeEnvironmentName: spot
      ServiceRole: !GetAtt BatchRole.Arn
      ComputeResources:
        Type: SPOT
        MinvCpus: 0
        MaxvCpus: 64
        InstanceTypes: [c5.2xlarge]
        Subnets: [subnet-1]
        BidPercentage: 60
  OnDemand:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      ComputeResources:
        Type: EC2
        MaxvCpus: 16
  Manual:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: UNMANAGED
  Renders:
    Type: AWS::Batch::JobQueue
    Properties:
      JobQueueName: renders
      Priority: 10
      ComputeEnvironmentOrder:
        - {Order: 2, ComputeEnvironment: !Ref OnDemand}
        - {Order: 1, ComputeEnvironment: spot}
  Render:
    Type: AWS::Batch::JobDefinition
    Properties:
      Type: container
      PlatformCapabilities: [EC2]
      RetryStrategy:
        Attempts: 3
      Timeout:
        AttemptDurationSeconds: 900
      ContainerProperties:
        Image: public.ecr.aws/render:latest
        ResourceRequirements:
          - {Type: VCPU, Value: "2"}
          - {Type: MEMORY, Value: "4096"}
          - {Type: GPU, Value: "1"}
"#;

#[test]
fn environments_queues_and_the_job_definition_map_onto_batch_components() {
    let imported = loosely_cfn::import(TEMPLATE).expect("a template");
    let scenario = &imported.scenario;
    assert_eq!(
        crate::parameters(scenario, "Spot"),
        serde_json::json!({"type": "SPOT", "minvCpus": 0, "maxvCpus": 64, "instance_vcpus": 8, "instance_memory_mib": 16384})
    );
    assert_eq!(
        crate::parameters(scenario, "OnDemand"),
        serde_json::json!({"type": "EC2", "maxvCpus": 16})
    );
    assert_eq!(
        crate::parameters(scenario, "Renders"),
        serde_json::json!({
            "priority": 10,
            "jobDefinition": {"vcpus": 2.0, "memory": 4096, "retryStrategy": {"attempts": 3}, "timeout": {"attemptDurationSeconds": 900}}
        })
    );
    assert!(!scenario.components.iter().any(|c| c.id() == "Manual"));
    assert!(matches!(
        scenario.components.iter().find(|c| c.id() == "Renders"),
        Some(Component::BatchJobQueue(node)) if node.name == "renders"
    ));
    // In ComputeEnvironmentOrder's order, the environment named by its name included.
    let arrows: Vec<(&str, &str)> = scenario
        .connections
        .iter()
        .map(|c| (c.from.as_str(), c.to.as_str()))
        .collect();
    assert_eq!(arrows, [("Renders", "Spot"), ("Renders", "OnDemand")]);
    let skipped: Vec<String> = imported.skipped.iter().map(ToString::to_string).collect();
    for expected in [
        "Resources.Manual.Properties.Type (AWS::Batch::ComputeEnvironment): unmanaged compute environments are not simulated: the simulation launches and stops the instances",
        "Resources.Spot.Properties.ComputeResources.BidPercentage (AWS::Batch::ComputeEnvironment): not simulated",
        "Resources.Render.Properties.ContainerProperties.ResourceRequirements[2] (AWS::Batch::JobDefinition): only VCPU and MEMORY requirements (numbers) are simulated",
        "Resources.Render.Properties.ContainerProperties.Image (AWS::Batch::JobDefinition): the container is not run: the job definition's duration and failure_probability stand for it",
    ] {
        assert!(skipped.iter().any(|s| s == expected), "{expected} not in {skipped:#?}");
    }
    // Read once, however many queues run it.
    let image = skipped.iter().filter(|s| s.contains(".Image ")).count();
    assert_eq!(image, 1, "{skipped:#?}");

    let jobs = serde_json::json!({
        "kind": "producer", "id": "submitter", "parameters": {"rate_per_second": 0.2}
    });
    let built = crate::run_with(scenario.clone(), jobs, "Renders");
    let queue = built
        .ids
        .iter()
        .position(|id| id == "Renders")
        .expect("the queue");
    match built.simulation.stats(queue) {
        Some(loosely_engine::ComponentStats::BatchJobQueue(stats)) => {
            assert!(stats.submitted >= 10, "{stats:?}")
        }
        other => panic!("not a job queue: {other:?}"),
    }
}

#[test]
fn several_job_definitions_are_listed_for_the_user_to_choose() {
    let template = r#"
Resources:
  Env: {Type: AWS::Batch::ComputeEnvironment, Properties: {Type: MANAGED, ComputeResources: {Type: FARGATE, MaxvCpus: 4}}}
  Queue: {Type: AWS::Batch::JobQueue, Properties: {ComputeEnvironmentOrder: [{Order: 1, ComputeEnvironment: !Ref Env}]}}
  A: {Type: AWS::Batch::JobDefinition, Properties: {Type: container}}
  B: {Type: AWS::Batch::JobDefinition, Properties: {Type: container}}
"#;
    let imported = loosely_cfn::import(template).expect("a template");
    assert_eq!(
        crate::parameters(&imported.scenario, "Queue"),
        serde_json::json!({})
    );
    let paths: Vec<&str> = imported.skipped.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(paths, ["Resources.A", "Resources.B"]);
}
