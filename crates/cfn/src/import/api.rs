//! API Gateway, read as one gateway: an `AWS::ApiGateway::RestApi`, `AWS::ApiGatewayV2::Api`
//! (HTTP), `AWS::Serverless::Api` or `AWS::Serverless::HttpApi` becomes an `api_gateway`
//! component, and the resources around it set its parameters: a method's `ApiKeyRequired`,
//! authorization and integration (the arrow to a function, queue, topic or state machine),
//! a stage's throttle, a usage plan's throttle and quota, a Lambda authorizer's cache TTL; an
//! HTTP API's integration and stage likewise. SAM functions' `Api` and `HttpApi` events are
//! integrations too (without `RestApiId`/`ApiId`, of SAM's implicit `ServerlessRestApi` or
//! `ServerlessHttpApi`). The playground's API has one integration: a second one is listed.

use loosely_scenario::{ApiParameters, Component, Connection, Node, Position};
use serde_json::{json, Map, Value};

use super::{properties, resource_type, with_parameters, Importer, NOT_SIMULATED_PROPERTY};
use crate::resolve::Resolved;

type Field = (String, Value, String);

fn is_api(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "AWS::ApiGateway::RestApi"
            | "AWS::ApiGatewayV2::Api"
            | "AWS::Serverless::Api"
            | "AWS::Serverless::HttpApi"
    )
}

/// Parts of an API that the playground's one-method API does not have.
pub(super) const NOT_SIMULATED_API_PART: &str =
    "the playground's API is one method with one integration: resources, routes, models, deployments and domain names are not simulated";

/// The resources that set an API's parameters, and the property that names the API.
const API_PARTS: &[(&str, &str)] = &[
    ("AWS::ApiGateway::Method", "RestApiId"),
    ("AWS::ApiGateway::Stage", "RestApiId"),
    ("AWS::ApiGateway::Authorizer", "RestApiId"),
    ("AWS::ApiGatewayV2::Integration", "ApiId"),
    ("AWS::ApiGatewayV2::Stage", "ApiId"),
];

impl Importer<'_> {
    /// The component id of the imported API a value refers to.
    fn api_target(&self, value: &Value) -> Result<String, String> {
        match self.resolver.resolve(value)? {
            Resolved::Resource { logical, .. } => {
                let kind = self.resource(&logical).map(resource_type).unwrap_or("?");
                match self.ids.get(&logical) {
                    Some(id) if is_api(kind) => Ok(id.clone()),
                    _ => Err(format!(
                        "refers to {logical} ({kind}), which is not an imported API"
                    )),
                }
            }
            Resolved::Text(text) => Err(format!("{text:?} names no API of the template")),
        }
    }

    /// The component an integration URI (or ARN) reaches: a function, a queue, a topic or a
    /// state machine of the template, by reference or by name.
    fn integration_target(&self, value: &Value) -> Result<String, String> {
        let text = match self.resolver.resolve(value)? {
            Resolved::Resource { logical, .. } => {
                return self
                    .ids
                    .get(&logical)
                    .cloned()
                    .ok_or_else(|| format!("refers to {logical}, which is not imported"))
            }
            Resolved::Text(text) => text,
        };
        let by_kind = |kinds: &'static [&'static str], name: &str| {
            self.ids.iter().find_map(|(logical, id)| {
                let kind = self.resource(logical).map(resource_type)?;
                (kinds.contains(&kind)
                    && self.resolver.names.get(logical).map(String::as_str) == Some(name))
                .then(|| id.clone())
            })
        };
        const FUNCTIONS: &[&str] = &["AWS::Lambda::Function", "AWS::Serverless::Function"];
        const QUEUES: &[&str] = &["AWS::SQS::Queue"];
        const TOPICS: &[&str] = &["AWS::SNS::Topic"];
        const MACHINES: &[&str] = &[
            "AWS::StepFunctions::StateMachine",
            "AWS::Serverless::StateMachine",
        ];
        let found = if let Some((_, rest)) = text.split_once(":function:") {
            // …/functions/arn:aws:lambda:r:a:function:NAME/invocations, or the ARN itself.
            let name = rest.split(['/', ':']).next().unwrap_or(rest);
            by_kind(FUNCTIONS, name)
        } else if let Some((_, rest)) = text.split_once(":sqs:path/") {
            // arn:aws:apigateway:r:sqs:path/ACCOUNT/NAME
            rest.rsplit('/')
                .next()
                .and_then(|name| by_kind(QUEUES, name))
        } else if let Some((_, rest)) = text.split_once(":stateMachine:") {
            by_kind(
                MACHINES,
                rest.split(['"', ':', '\'']).next().unwrap_or(rest),
            )
        } else if text.starts_with("https://sqs.") {
            text.rsplit('/')
                .next()
                .and_then(|name| by_kind(QUEUES, name))
        } else if let Some((_, name)) = text.split_once(":sns:") {
            name.rsplit(':')
                .next()
                .and_then(|name| by_kind(TOPICS, name))
        } else {
            None
        };
        found.ok_or_else(|| {
            format!("{text} reaches no function, queue, topic or state machine of the template")
        })
    }

    /// The other resources of the template that belong to the API, in template order.
    fn api_parts(&self, api: &str) -> Vec<(String, String, Map<String, Value>)> {
        self.resources
            .iter()
            .filter_map(|(logical, resource)| {
                let resource = resource.as_object()?;
                let kind = resource_type(resource);
                let (_, key) = API_PARTS.iter().find(|(part, _)| *part == kind)?;
                let properties = properties(resource);
                let target = self.api_target(properties.get(*key)?).ok()?;
                (target == api).then(|| (logical.clone(), kind.to_string(), properties))
            })
            .collect()
    }

    /// Adds the API's integration, or lists it when the API has one already.
    fn integrate(&mut self, api: &str, to: String, logical: &str, path: String, kind: &str) {
        if let Some((_, first)) = self
            .subscriptions
            .iter()
            .find(|(_, connection)| connection.from == api)
        {
            let first = first.to.clone();
            self.skip(
                path,
                kind,
                format!("the playground's API has one integration, the one to {first}; this one (to {to}) is left out"),
            );
            return;
        }
        self.subscriptions.push((
            Some(logical.to_string()),
            Connection {
                from: api.to_string(),
                to,
                subscription: None,
                event_source_mapping: None,
            },
        ));
    }

    /// A throttle `{rateLimit, burstLimit}` from a stage's or plan's rate and burst.
    fn throttle(
        &self,
        rate: Option<&Value>,
        burst: Option<&Value>,
    ) -> Result<Option<Value>, String> {
        let number = |value: Option<&Value>| -> Result<Option<u64>, String> {
            let Some(value) = value else { return Ok(None) };
            match self.scalar(value)? {
                Value::Number(n) => n
                    .as_f64()
                    .map(|n| Some(n.round().max(0.0) as u64))
                    .ok_or_else(|| "not a number".to_string()),
                Value::String(text) => text
                    .parse::<f64>()
                    .map(|n| Some(n.round().max(0.0) as u64))
                    .map_err(|_| format!("{text:?} is not a number")),
                other => Err(format!("{other} is not a number")),
            }
        };
        match (number(rate)?, number(burst)?) {
            (Some(rate), Some(burst)) => Ok(Some(json!({"rateLimit": rate, "burstLimit": burst}))),
            (None, None) => Ok(None),
            _ => {
                Err("the simulation's throttle needs both the rate and the burst limit".to_string())
            }
        }
    }

    /// A scalar property as the field of that name, or listed when it cannot be read.
    fn push_scalar(
        &mut self,
        field: &str,
        value: &Value,
        path: String,
        kind: &str,
        fields: &mut Vec<Field>,
    ) {
        match self.scalar(value) {
            Ok(value) => fields.push((field.to_string(), value, path)),
            Err(reason) => self.skip(path, kind, reason),
        }
    }

    /// A REST API method: `ApiKeyRequired`, its authorization and its integration.
    fn api_method(
        &mut self,
        api: &str,
        logical: &str,
        properties: &Map<String, Value>,
        fields: &mut Vec<Field>,
    ) {
        let kind = "AWS::ApiGateway::Method";
        let path = |key: &str| format!("Resources.{logical}.Properties.{key}");
        for (key, value) in properties {
            match key.as_str() {
                "RestApiId" | "ResourceId" | "HttpMethod" | "AuthorizerId" => {}
                "ApiKeyRequired" => self.push_scalar(key, value, path(key), kind, fields),
                "AuthorizationType" => {
                    let authorizer = match self.scalar(value) {
                        Ok(Value::String(text)) => match text.as_str() {
                            "NONE" => continue,
                            "AWS_IAM" | "COGNITO_USER_POOLS" => Ok(json!({ "Type": text })),
                            "CUSTOM" => Ok(self.lambda_authorizer(properties.get("AuthorizerId"))),
                            other => Err(format!(
                                "{other:?} is not NONE, AWS_IAM, COGNITO_USER_POOLS or CUSTOM"
                            )),
                        },
                        Ok(other) => Err(format!("{other} is not an authorization type")),
                        Err(reason) => Err(reason),
                    };
                    match authorizer {
                        Ok(value) => fields.push(("Authorizer".to_string(), value, path(key))),
                        Err(reason) => self.skip(path(key), kind, reason),
                    }
                }
                "Integration" => self.rest_integration(api, logical, value, fields),
                _ => self.skip(path(key), kind, NOT_SIMULATED_PROPERTY),
            }
        }
    }

    /// A Lambda authorizer (`CUSTOM`), with the TTL of its `AWS::ApiGateway::Authorizer`.
    fn lambda_authorizer(&self, authorizer: Option<&Value>) -> Value {
        let ttl = authorizer
            .and_then(|value| match self.resolver.resolve(value) {
                Ok(Resolved::Resource { logical, .. }) => self.resource(&logical),
                _ => None,
            })
            .and_then(|resource| {
                properties(resource)
                    .get("AuthorizerResultTtlInSeconds")
                    .cloned()
            })
            .and_then(|ttl| self.scalar(&ttl).ok());
        match ttl {
            Some(ttl) => json!({"Type": "LAMBDA", "AuthorizerResultTtlInSeconds": ttl}),
            None => json!({"Type": "LAMBDA"}),
        }
    }

    fn rest_integration(
        &mut self,
        api: &str,
        logical: &str,
        value: &Value,
        fields: &mut Vec<Field>,
    ) {
        let kind = "AWS::ApiGateway::Method";
        let path = format!("Resources.{logical}.Properties.Integration");
        let Some(integration) = value.as_object() else {
            self.skip(path, kind, "Integration is an object");
            return;
        };
        let integration_type = integration
            .get("Type")
            .and_then(|t| self.scalar(t).ok())
            .and_then(|t| t.as_str().map(str::to_string))
            .unwrap_or_default();
        if let Some(timeout) = integration.get("TimeoutInMillis") {
            let timeout_path = format!("{path}.TimeoutInMillis");
            self.push_scalar("TimeoutInMillis", timeout, timeout_path, kind, fields);
        }
        for key in integration.keys() {
            let reason = match key.as_str() {
                "Type"
                | "Uri"
                | "TimeoutInMillis"
                | "RequestParameters"
                | "RequestTemplates"
                | "IntegrationHttpMethod" => continue,
                "Credentials" => super::NOT_SIMULATED_IAM,
                _ => NOT_SIMULATED_PROPERTY,
            };
            self.skip(format!("{path}.{key}"), kind, reason);
        }
        match integration_type.as_str() {
            "AWS" | "AWS_PROXY" => {}
            "MOCK" => {
                self.skip(
                    path,
                    kind,
                    "a MOCK integration answers without a backend; connect the API to a component",
                );
                return;
            }
            "HTTP" | "HTTP_PROXY" => {
                self.skip(
                    path,
                    kind,
                    "HTTP backends are not imported; connect the API to an endpoint",
                );
                return;
            }
            other => {
                self.skip(path, kind, format!("integration type {other:?} is not AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK"));
                return;
            }
        }
        // The target: in the URI (Lambda, an SQS path, a topic or state machine in the
        // request parameters or templates).
        let mut candidates: Vec<&Value> = integration.get("Uri").into_iter().collect();
        for key in ["RequestParameters", "RequestTemplates"] {
            if let Some(Value::Object(map)) = integration.get(key) {
                candidates.extend(map.values());
            }
        }
        let target = candidates
            .iter()
            .find_map(|candidate| self.integration_target(candidate).ok());
        match target {
            Some(to) => self.integrate(api, to, logical, path, kind),
            None => {
                let reason = match integration.get("Uri").map(|uri| self.integration_target(uri)) {
                    Some(Err(reason)) => reason,
                    _ => "the integration names no function, queue, topic or state machine of the template".to_string(),
                };
                self.skip(format!("{path}.Uri"), kind, reason);
            }
        }
    }

    /// An HTTP API integration: Lambda proxy, or an AWS service integration by subtype.
    fn http_integration(
        &mut self,
        api: &str,
        logical: &str,
        properties: &Map<String, Value>,
        fields: &mut Vec<Field>,
    ) {
        let kind = "AWS::ApiGatewayV2::Integration";
        let path = |key: &str| format!("Resources.{logical}.Properties.{key}");
        if let Some(timeout) = properties.get("TimeoutInMillis") {
            self.push_scalar(
                "TimeoutInMillis",
                timeout,
                path("TimeoutInMillis"),
                kind,
                fields,
            );
        }
        let subtype = properties
            .get("IntegrationSubtype")
            .and_then(|value| self.scalar(value).ok())
            .and_then(|value| value.as_str().map(str::to_string));
        let target = match subtype.as_deref() {
            None => match properties.get("IntegrationUri") {
                Some(uri) => self
                    .integration_target(uri)
                    .map_err(|reason| (path("IntegrationUri"), reason)),
                None => Err((
                    path("IntegrationUri"),
                    "the integration has no IntegrationUri".to_string(),
                )),
            },
            Some(subtype) => {
                let parameter = match subtype {
                    "SQS-SendMessage" => "QueueUrl",
                    "StepFunctions-StartExecution" | "StepFunctions-StartSyncExecution" => {
                        "StateMachineArn"
                    }
                    other => {
                        self.skip(path("IntegrationSubtype"), kind, format!("{other} integrations are not simulated (SQS-SendMessage and StepFunctions-StartExecution are)"));
                        return;
                    }
                };
                match properties
                    .get("RequestParameters")
                    .and_then(|p| p.get(parameter))
                {
                    Some(value) => self.integration_target(value).map_err(|reason| {
                        (format!("{}.{parameter}", path("RequestParameters")), reason)
                    }),
                    None => Err((
                        path("RequestParameters"),
                        format!("a {subtype} integration needs RequestParameters.{parameter}"),
                    )),
                }
            }
        };
        match target {
            Ok(to) => self.integrate(api, to, logical, format!("Resources.{logical}"), kind),
            Err((path, reason)) => self.skip(path, kind, reason),
        }
    }

    /// A stage's default method settings (`*`/`/*`) are the stage throttle; a method's own
    /// the method throttle.
    fn stage_throttles(
        &mut self,
        logical: &str,
        kind: &str,
        properties: &Map<String, Value>,
        fields: &mut Vec<Field>,
    ) {
        let path = |key: &str| format!("Resources.{logical}.Properties.{key}");
        for (key, value) in properties {
            match key.as_str() {
                "RestApiId" | "ApiId" | "DeploymentId" | "StageName" | "AutoDeploy" => {}
                "MethodSettings" | "RouteSettings" => {
                    let entries: Vec<(String, &Value)> = match value {
                        Value::Array(list) => list
                            .iter()
                            .enumerate()
                            .map(|(i, v)| (format!("{}[{i}]", path(key)), v))
                            .collect(),
                        Value::Object(map) => map
                            .iter()
                            .map(|(route, v)| (format!("{}.{route}", path(key)), v))
                            .collect(),
                        _ => Vec::new(),
                    };
                    for (entry_path, entry) in entries {
                        let every = entry.get("ResourcePath").and_then(Value::as_str) == Some("/*")
                            && entry.get("HttpMethod").and_then(Value::as_str) == Some("*");
                        let field = if every {
                            "StageThrottle"
                        } else {
                            "MethodThrottle"
                        };
                        self.push_throttle(entry, field, entry_path, kind, fields);
                    }
                }
                "DefaultRouteSettings" => {
                    self.push_throttle(value, "StageThrottle", path(key), kind, fields)
                }
                _ => self.skip(path(key), kind, NOT_SIMULATED_PROPERTY),
            }
        }
    }

    fn push_throttle(
        &mut self,
        settings: &Value,
        field: &str,
        path: String,
        kind: &str,
        fields: &mut Vec<Field>,
    ) {
        match self.throttle(
            settings.get("ThrottlingRateLimit"),
            settings.get("ThrottlingBurstLimit"),
        ) {
            Ok(Some(throttle)) => fields.push((field.to_string(), throttle, path)),
            Ok(None) => {}
            Err(reason) => self.skip(path, kind, reason),
        }
    }

    /// A usage plan of the API: the throttle and quota of every key.
    fn usage_plan(
        &mut self,
        logical: &str,
        properties: &Map<String, Value>,
        fields: &mut Vec<Field>,
    ) {
        let kind = "AWS::ApiGateway::UsagePlan";
        let path = |key: &str| format!("Resources.{logical}.Properties.{key}");
        let mut plan = Map::new();
        for (key, value) in properties {
            match key.as_str() {
                "ApiStages" | "UsagePlanName" => {}
                "Throttle" => {
                    match self.throttle(value.get("RateLimit"), value.get("BurstLimit")) {
                        Ok(Some(throttle)) => {
                            plan.insert("throttle".to_string(), throttle);
                        }
                        Ok(None) => {}
                        Err(reason) => self.skip(path(key), kind, reason),
                    }
                }
                "Quota" => {
                    let limit = value.get("Limit").map(|l| self.scalar(l));
                    let period = value.get("Period").map(|p| self.scalar(p));
                    match (limit, period) {
                        (Some(Ok(limit)), Some(Ok(period))) => {
                            plan.insert(
                                "quota".to_string(),
                                json!({"limit": limit, "period": period}),
                            );
                        }
                        _ => self.skip(
                            path(key),
                            kind,
                            "a quota needs Limit and Period (DAY, WEEK or MONTH)",
                        ),
                    }
                    if value.get("Offset").is_some() {
                        self.skip(
                            format!("{}.Offset", path(key)),
                            kind,
                            "quota periods start at time zero",
                        );
                    }
                }
                _ => self.skip(path(key), kind, NOT_SIMULATED_PROPERTY),
            }
        }
        if !plan.is_empty() {
            fields.push((
                "UsagePlan".to_string(),
                Value::Object(plan),
                path("Throttle"),
            ));
        }
    }

    /// Usage plans whose `ApiStages` name the API.
    fn usage_plans_of(&self, api: &str) -> Vec<(String, Map<String, Value>)> {
        self.resources
            .iter()
            .filter_map(|(logical, resource)| {
                let resource = resource.as_object()?;
                (resource_type(resource) == "AWS::ApiGateway::UsagePlan").then_some(())?;
                let properties = properties(resource);
                let stages = properties.get("ApiStages")?.as_array()?;
                stages
                    .iter()
                    .any(|stage| {
                        stage
                            .get("ApiId")
                            .and_then(|id| self.api_target(id).ok())
                            .as_deref()
                            == Some(api)
                    })
                    .then(|| (logical.clone(), properties))
            })
            .collect()
    }

    /// SAM's implicit API of an `Api` or `HttpApi` event without `RestApiId`/`ApiId`.
    pub(super) fn implicit_api(&mut self, http: bool) -> Result<String, String> {
        let id = if http {
            "ServerlessHttpApi"
        } else {
            "ServerlessRestApi"
        };
        if self.made.iter().any(|(made, _)| made == id) {
            return Ok(id.to_string());
        }
        if self.ids.values().any(|taken| taken == id)
            || self.meta_components.iter().any(|c| c.id() == id)
        {
            return Err(format!(
                "SAM's implicit API would take the id {id}, which is taken"
            ));
        }
        let api_type = json!({ "ApiType": if http { "HTTP" } else { "REST" } });
        let parameters = super::wire::read::<ApiParameters>(api_type).unwrap_or_default();
        self.made.push((
            id.to_string(),
            Component::ApiGateway(Node {
                id: id.to_string(),
                name: String::new(),
                position: Position::default(),
                parameters,
            }),
        ));
        Ok(id.to_string())
    }

    /// A SAM function's `Api` or `HttpApi` event: an integration of its API.
    pub(super) fn sam_api_event(
        &mut self,
        function: &str,
        connection: &str,
        http: bool,
        properties: &Map<String, Value>,
        path: &str,
        kind: &str,
    ) {
        let key = if http { "ApiId" } else { "RestApiId" };
        let api = match properties.get(key) {
            Some(value) => self.api_target(value),
            None => self.implicit_api(http),
        };
        match api {
            Ok(api) => self.integrate(
                &api,
                function.to_string(),
                connection,
                path.to_string(),
                kind,
            ),
            Err(reason) => self.skip(format!("{path}.{key}"), kind, reason),
        }
    }
}

pub(super) fn api(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = resource_type(resource).to_string();
    let kind = kind.as_str();
    let http = matches!(kind, "AWS::ApiGatewayV2::Api" | "AWS::Serverless::HttpApi");
    let (meta, mut fields) = im.meta_fields(logical, kind, resource);
    let own = properties(resource);
    let path = |key: &str| format!("Resources.{logical}.Properties.{key}");
    fields.push((
        "ApiType".to_string(),
        json!(if http { "HTTP" } else { "REST" }),
        format!("Resources.{logical}.Type"),
    ));
    let Some(api_id) = im.ids.get(logical).cloned() else {
        return;
    };
    for (key, value) in &own {
        // Each arm reads the property and goes on, or gives the reason it is left out.
        let reason = match key.as_str() {
            "Name" => continue,
            "ProtocolType" => match im.scalar(value) {
                Ok(Value::String(protocol)) if protocol == "HTTP" => continue,
                Ok(other) => {
                    // WebSocket APIs are simulated, but their routes (AWS::ApiGatewayV2::Route
                    // with RouteKey and Target) are not read from templates yet.
                    im.skip(
                        format!("Resources.{logical}"),
                        kind,
                        format!("{other} APIs are not mapped from templates (their routes and route integrations are not read); add a WEBSOCKET api_gateway in the playground"),
                    );
                    return;
                }
                Err(reason) => reason,
            },
            "EndpointConfiguration" => {
                // RestApi: {Types: [X]}; SAM Api: {Type: X} or X.
                let endpoint = value
                    .get("Types")
                    .and_then(|types| types.get(0))
                    .or_else(|| value.get("Type"))
                    .unwrap_or(value);
                match im.scalar(endpoint) {
                    Ok(endpoint) => {
                        fields.push(("EndpointType".to_string(), endpoint, path(key)));
                        continue;
                    }
                    Err(reason) => reason,
                }
            }
            "Target" => match im.integration_target(value) {
                Ok(to) => {
                    im.integrate(&api_id, to, logical, path(key), kind);
                    continue;
                }
                Err(reason) => reason,
            },
            "MethodSettings" | "DefaultRouteSettings" => {
                let mut settings = Map::new();
                settings.insert(key.clone(), value.clone());
                im.stage_throttles(logical, kind, &settings, &mut fields);
                continue;
            }
            "Body" | "BodyS3Location" | "DefinitionBody" | "DefinitionUri" => {
                "an OpenAPI definition is not read: the API's integration comes from its methods, integrations or SAM events".to_string()
            }
            _ => NOT_SIMULATED_PROPERTY.to_string(),
        };
        im.skip(path(key), kind, reason);
    }
    for (part, part_kind, properties) in im.api_parts(&api_id) {
        match part_kind.as_str() {
            "AWS::ApiGateway::Method" => im.api_method(&api_id, &part, &properties, &mut fields),
            "AWS::ApiGateway::Stage" | "AWS::ApiGatewayV2::Stage" => {
                im.stage_throttles(&part, &part_kind, &properties, &mut fields)
            }
            "AWS::ApiGatewayV2::Integration" => {
                im.http_integration(&api_id, &part, &properties, &mut fields)
            }
            _ => {}
        }
    }
    for (plan, properties) in im.usage_plans_of(&api_id) {
        im.usage_plan(&plan, &properties, &mut fields);
    }
    if let Some(parameters) = im.lenient::<ApiParameters>(fields, kind) {
        im.add_component(logical, &meta, |node| {
            Component::ApiGateway(with_parameters(node, parameters))
        });
    }
}

/// A part of an API (method, stage, authorizer, HTTP integration) is read with its API
/// ([`api`]); here only one that names no API of the template is listed.
pub(super) fn api_part(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = resource_type(resource).to_string();
    let Some((_, key)) = API_PARTS.iter().find(|(part, _)| *part == kind) else {
        return;
    };
    let path = format!("Resources.{logical}.Properties.{key}");
    let reason = match properties(resource).get(*key) {
        Some(api) => match im.api_target(api) {
            Ok(_) => return,
            Err(reason) => reason,
        },
        None => format!("names no API ({key} is missing)"),
    };
    im.skip(path, &kind, reason);
}

/// A usage plan is read with the APIs of its `ApiStages`; one that names none is listed.
pub(super) fn usage_plan(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let properties = properties(resource);
    let names_an_api = properties
        .get("ApiStages")
        .and_then(Value::as_array)
        .is_some_and(|stages| {
            stages.iter().any(|stage| {
                stage
                    .get("ApiId")
                    .is_some_and(|id| im.api_target(id).is_ok())
            })
        });
    if !names_an_api {
        im.skip(
            format!("Resources.{logical}.Properties.ApiStages"),
            "AWS::ApiGateway::UsagePlan",
            "the plan's ApiStages name no API of the template",
        );
    }
}
