//! API Gateway and its clients inside the simulation.
//!
//! Modelled: REST and HTTP APIs with one stage and one method in front of one integration
//! (a Lambda function invoked synchronously, SQS `SendMessage`, SNS `Publish`, Step Functions
//! `StartExecution`, or an HTTP endpoint); token buckets at account, stage and method level
//! and per API key of a usage plan, with a quota per day, week or month; AWS WAF's rate-based
//! rule per client address; IAM, Cognito and Lambda authorizers (latency, deny share, result
//! cache with a TTL); the integration timeout (29 s REST, 30 s HTTP); the gateway responses
//! `THROTTLED`/`QUOTA_EXCEEDED` 429, `UNAUTHORIZED` 401, `ACCESS_DENIED`/`INVALID_API_KEY`/
//! `WAF_FILTERED` 403, `INTEGRATION_TIMEOUT` 504, Lambda errors 502; the metrics of
//! `AWS/ApiGateway` and the price per million requests.
//!
//! A client population sends requests at a producer's rate pattern from many addresses,
//! waits up to its timeout, and retries 429 and 5xx answers with no wait, a fixed wait, an
//! exponential back-off, or an exponential back-off with full jitter.
//!
//! Simplified: answers reach clients without network time; a throttled Lambda answers 429 as
//! the issue of this model asks (AWS maps it to a 500 unless configured); unmapped errors of
//! AWS integrations (SQS, SNS, Step Functions) answer 500; quota periods start at time zero
//! and a month is 30 days; the WAF counts requests per fixed window; requests refused with
//! 401, 403 or 429 are not billed. Left out: private endpoints' VPC groups, the API cache,
//! canary stages and mapping templates.
//!
//! WebSocket APIs (connections, routes, the connect quota, the idle timeout and the 2-hour
//! cap, per-message and per-connection-minute prices) are in the child module `ws_runtime.rs`;
//! they share the authorizers, the token buckets and the integrations with REST and HTTP.

use std::collections::BTreeMap;

use super::*;
use crate::model::{api_limits, ApiSpec, ApiType, Authorizer, Backoff, ClientsSpec, Throttle};
use crate::trace::LambdaOutcome;

#[path = "ws_runtime.rs"]
mod ws;
pub use ws::{metered_messages, ws_price, WsCensus, WsStats};

/// A token bucket with a steady rate and a burst size, in micro-tokens; it starts full.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateBucket {
    rate_per_second: u64,
    capacity: u64,
    micro_tokens: u64,
    last: SimTime,
}

impl RateBucket {
    pub fn new(throttle: Throttle) -> RateBucket {
        let capacity = u64::from(throttle.burst_limit) * 1_000_000;
        RateBucket {
            rate_per_second: u64::from(throttle.rate_limit),
            capacity,
            micro_tokens: capacity,
            last: SimTime::ZERO,
        }
    }

    /// Takes one token at `now` if there is one.
    pub fn try_take(&mut self, now: SimTime) -> bool {
        let elapsed = now.since(self.last).as_micros();
        self.micro_tokens = self
            .micro_tokens
            .saturating_add(elapsed.saturating_mul(self.rate_per_second))
            .min(self.capacity);
        self.last = now;
        if self.micro_tokens >= 1_000_000 {
            self.micro_tokens -= 1_000_000;
            true
        } else {
            false
        }
    }
}

#[derive(Clone, Debug, Default)]
struct ApiCounters {
    count: u64,
    errors_4xx: u64,
    errors_5xx: u64,
    latency_ms_sum: f64,
    integration_ms_sum: f64,
    integrations: u64,
    cache_hits: u64,
    cache_misses: u64,
}

#[derive(Clone, Debug)]
struct KeyRt {
    bucket: Option<RateBucket>,
    period: u64,
    used: u64,
}

#[derive(Clone, Debug)]
pub(super) struct ApiRt {
    pub(super) component: ComponentId,
    pub(super) spec: ApiSpec,
    stage: Option<RateBucket>,
    method: Option<RateBucket>,
    /// Per API key: (client population, client).
    keys: BTreeMap<(u32, u32), KeyRt>,
    /// Authorizer results per identity: allowed, and until when.
    auth_cache: BTreeMap<(u32, u32), (bool, SimTime)>,
    /// WAF counts per address: (window index, requests in it).
    waf: BTreeMap<(u32, u32), (u64, u32)>,
    period: ApiCounters,
    total: ApiCounters,
    throttled: u64,
    quota_exceeded: u64,
    unauthorized: u64,
    waf_blocked: u64,
    integration_timeouts: u64,
    /// Billable requests.
    pub(super) requests: u64,
    /// A WebSocket API's routes, buckets and counters.
    ws: Option<Box<ws::WsApiRt>>,
}

fn spec_ws(spec: &ApiSpec) -> Option<Box<ws::WsApiRt>> {
    spec.websocket
        .as_ref()
        .map(|w| Box::new(ws::WsApiRt::new(w)))
}

impl ApiRt {
    pub(super) fn new(component: ComponentId, spec: ApiSpec) -> ApiRt {
        ApiRt {
            component,
            ws: spec_ws(&spec),
            stage: spec.stage_throttle.map(RateBucket::new),
            method: spec.method_throttle.map(RateBucket::new),
            spec,
            keys: BTreeMap::new(),
            auth_cache: BTreeMap::new(),
            waf: BTreeMap::new(),
            period: ApiCounters::default(),
            total: ApiCounters::default(),
            throttled: 0,
            quota_exceeded: 0,
            unauthorized: 0,
            waf_blocked: 0,
            integration_timeouts: 0,
            requests: 0,
        }
    }

    fn price_per_million(&self) -> f64 {
        match self.spec.api_type {
            ApiType::Rest => api_limits::PRICE_REST_PER_MILLION,
            ApiType::Http => api_limits::PRICE_HTTP_PER_MILLION,
            ApiType::WebSocket => api_limits::PRICE_WS_MESSAGES_PER_MILLION,
        }
    }
}

#[derive(Clone, Debug, Default)]
struct ClientCounters {
    started: u64,
    succeeded: u64,
    failed: u64,
    timed_out: u64,
    retries: u64,
}

#[derive(Clone, Debug)]
pub(super) struct ClientsRt {
    pub(super) component: ComponentId,
    pub(super) spec: ClientsSpec,
    /// The API called, or NONE.
    api: u32,
    /// The Application Load Balancer called, or NONE.
    pub(super) alb: u32,
    next_client: u32,
    period: ClientCounters,
    total: ClientCounters,
    in_progress: u64,
    latency: LatencyHistogram,
    /// On a WebSocket API: one connection per client.
    conns: Vec<ws::Conn>,
}

impl ClientsRt {
    pub(super) fn new(component: ComponentId, spec: ClientsSpec, api: u32, alb: u32) -> ClientsRt {
        ClientsRt {
            component,
            spec,
            api,
            alb,
            next_client: 0,
            period: ClientCounters::default(),
            total: ClientCounters::default(),
            in_progress: 0,
            latency: LatencyHistogram::new(),
            conns: Vec::new(),
        }
    }
}

/// One request of one client, across its retries.
#[derive(Clone, Debug)]
pub(super) struct Request {
    pub(super) clients: u32,
    pub(super) client: u32,
    first_sent: SimTime,
    pub(super) attempt_sent: SimTime,
    integration_started: SimTime,
    /// Retries done so far.
    retries: u32,
    /// The client still waits for an answer (false once it has its outcome).
    client_waiting: bool,
    /// The gateway (or load balancer) is working on the current attempt.
    pub(super) at_gateway: bool,
    pub(super) live: bool,
    /// Changes whenever the current attempt ends; stale events compare it.
    pub(super) epoch: u32,
    /// Behind a load balancer: the target the current attempt went to, or NONE.
    pub(super) alb_target: u32,
    /// The component the gateway calls for this request (NONE: none, the gateway answers).
    integration: ComponentId,
    /// The gateway has called the integration for the current attempt.
    integrated: bool,
    /// What the request is on a WebSocket API.
    ws: ws::WsPart,
}

/// Where every client request is: `started == succeeded + failed + timed_out + in_progress`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientCensus {
    pub started: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub timed_out: u64,
    pub in_progress: u64,
}

impl ClientCensus {
    pub fn balanced(&self) -> bool {
        self.started == self.succeeded + self.failed + self.timed_out + self.in_progress
    }
}

/// Live numbers of an API.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApiStats {
    pub count: u64,
    pub errors_4xx: u64,
    pub errors_5xx: u64,
    pub throttled: u64,
    pub quota_exceeded: u64,
    pub unauthorized: u64,
    pub waf_blocked: u64,
    pub integration_timeouts: u64,
    pub cache_hits: u64,
    pub cache_misses: u64,
    pub mean_latency_ms: f64,
    pub requests: u64,
    pub cost_usd: f64,
    /// A WebSocket API's connections and messages.
    pub websocket: Option<WsStats>,
}

/// Live numbers of a client population.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClientsStats {
    pub started: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub timed_out: u64,
    pub retries: u64,
    pub in_progress: u64,
    /// First send to final success, seconds.
    pub latency: LatencySummary,
    /// On a WebSocket API: connections open now (`started` counts messages sent,
    /// `succeeded`/`failed` their outcomes, `retries` refused connections).
    pub open_connections: u64,
}

/// The wait before retry number `retry` (1 for the first): `draw` is a uniform number in
/// [0, 1) used by full jitter.
pub fn backoff_wait(
    backoff: Backoff,
    base: SimDuration,
    cap: SimDuration,
    retry: u32,
    draw: f64,
) -> SimDuration {
    let exponential = || {
        let doublings = retry.saturating_sub(1).min(40);
        SimDuration(
            base.as_micros()
                .saturating_mul(1u64 << doublings)
                .min(cap.as_micros()),
        )
    };
    match backoff {
        Backoff::None => SimDuration::ZERO,
        Backoff::Fixed => base,
        Backoff::Exponential => exponential(),
        Backoff::ExponentialFullJitter => {
            SimDuration((exponential().as_micros() as f64 * draw) as u64)
        }
    }
}

/// Which gateway response answered, with its status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiAnswer {
    Ok,
    Throttled,
    QuotaExceeded,
    Unauthorized,
    AccessDenied,
    InvalidApiKey,
    WafFiltered,
    /// A PRIVATE API called from outside its VPC.
    PrivateForbidden,
    AuthorizerFailure,
    IntegrationTimeout,
    /// A Lambda function error or timeout behind a proxy integration.
    BadGateway,
    /// The integration refused the call (an unmapped AWS error) or answered 5xx.
    IntegrationError,
    /// An HTTP endpoint answered 4xx.
    ClientError,
    /// An HTTP endpoint did not answer.
    IntegrationFailure,
    /// A WebSocket connection above the account's new connections per second.
    ConnectLimitExceeded,
    /// A WebSocket message no route matched, on an API without `$default`.
    NoRoute,
    /// A WebSocket message over 128 KB: the connection closes with code 1009.
    MessageTooLarge,
}

impl ApiAnswer {
    pub fn status(self) -> u16 {
        match self {
            ApiAnswer::Ok => 200,
            ApiAnswer::Throttled | ApiAnswer::QuotaExceeded | ApiAnswer::ConnectLimitExceeded => {
                429
            }
            ApiAnswer::NoRoute => 403,
            ApiAnswer::MessageTooLarge => 413,
            ApiAnswer::Unauthorized => 401,
            ApiAnswer::AccessDenied
            | ApiAnswer::InvalidApiKey
            | ApiAnswer::WafFiltered
            | ApiAnswer::PrivateForbidden => 403,
            ApiAnswer::ClientError => 400,
            ApiAnswer::AuthorizerFailure | ApiAnswer::IntegrationError => 500,
            ApiAnswer::BadGateway => 502,
            ApiAnswer::IntegrationTimeout | ApiAnswer::IntegrationFailure => 504,
        }
    }

    /// The gateway response type (or the integration's answer), as API Gateway names it.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiAnswer::Ok => "200 OK",
            ApiAnswer::Throttled => "THROTTLED: Too Many Requests",
            ApiAnswer::QuotaExceeded => "QUOTA_EXCEEDED: Limit Exceeded",
            ApiAnswer::Unauthorized => "UNAUTHORIZED: Unauthorized",
            ApiAnswer::AccessDenied => {
                "ACCESS_DENIED: User is not authorized to access this resource"
            }
            ApiAnswer::InvalidApiKey => "INVALID_API_KEY: Forbidden",
            ApiAnswer::WafFiltered => "WAF_FILTERED: Forbidden",
            ApiAnswer::PrivateForbidden => {
                "403 Forbidden: a private API answers only through an interface endpoint in its VPC"
            }
            ApiAnswer::AuthorizerFailure => {
                "AUTHORIZER_FAILURE: the authorizer did not answer within 10 s"
            }
            ApiAnswer::IntegrationTimeout => "INTEGRATION_TIMEOUT: Endpoint request timed out",
            ApiAnswer::BadGateway => "502: Internal server error (the Lambda function failed)",
            ApiAnswer::IntegrationError => "500: the integration refused the call",
            ApiAnswer::ClientError => "400: the endpoint answered with a client error",
            ApiAnswer::IntegrationFailure => "INTEGRATION_FAILURE: the endpoint did not answer",
            ApiAnswer::ConnectLimitExceeded => {
                "LimitExceededException: above the account's new WebSocket connections per second"
            }
            // The error frame AWS sends when no route matches and there is no $default
            // (developer guide, "Route selection expressions": "the service returns an
            // error"; the body {"message": "Forbidden"} is what clients report ⚠️).
            ApiAnswer::NoRoute => {
                "Forbidden: no route matches the message and there is no $default"
            }
            ApiAnswer::MessageTooLarge => {
                "1009 Message Too Big: the message is over 128 KB; the connection closes"
            }
        }
    }
}

impl Simulation {
    /// A client population's producer fired: `count` new requests.
    pub(super) fn clients_send(&mut self, producer: u32, clients: u32, count: u32) {
        if !self.clients[clients as usize].conns.is_empty() {
            return self.ws_send(producer, clients, count);
        }
        // Behind a load balancer there is no gateway, and no integration.
        let api = self.clients[clients as usize].api;
        let integration = self
            .apis
            .get(api as usize)
            .map_or(NONE as usize, |a| a.spec.integration);
        for _ in 0..count {
            let p = &mut self.producers[producer as usize];
            p.attempted += 1;
            p.accepted += 1;
            let c = &mut self.clients[clients as usize];
            let client = c.next_client % c.spec.clients.max(1);
            c.next_client = c.next_client.wrapping_add(1);
            c.period.started += 1;
            c.total.started += 1;
            c.in_progress += 1;
            self.client_census.started += 1;
            self.client_census.in_progress += 1;
            let request = Request {
                clients,
                client,
                first_sent: self.now,
                attempt_sent: self.now,
                integration_started: self.now,
                retries: 0,
                client_waiting: true,
                at_gateway: false,
                live: true,
                epoch: 0,
                alb_target: NONE,
                integration,
                integrated: false,
                ws: ws::WsPart::None,
            };
            let slot = self.new_request(request);
            self.api_attempt(slot);
        }
    }

    /// Holds a request in a free slot (a new epoch, so stale events of its earlier user
    /// miss it).
    fn new_request(&mut self, request: Request) -> u32 {
        match self.free_requests.pop() {
            Some(slot) => {
                let epoch = self.requests[slot as usize].epoch.wrapping_add(1);
                self.requests[slot as usize] = Request { epoch, ..request };
                slot
            }
            None => {
                self.requests.push(request);
                self.requests.len() as u32 - 1
            }
        }
    }

    pub(super) fn on_client_attempt(&mut self, request: u32, epoch: u32) {
        if self
            .requests
            .get(request as usize)
            .is_some_and(|r| r.live && r.epoch == epoch && r.client_waiting)
        {
            self.api_attempt(request);
        }
    }

    /// One attempt reaches the gateway: WAF, API key, quota and throttles, authorizer, then
    /// the integration.
    fn api_attempt(&mut self, request: u32) {
        let r = &mut self.requests[request as usize];
        r.attempt_sent = self.now;
        r.at_gateway = true;
        r.integrated = false;
        let (clients, client, epoch) = (r.clients, r.client, r.epoch);
        let c = &self.clients[clients as usize];
        let (api, timeout) = (c.api, c.spec.timeout);
        let has_key = client < c.spec.clients_with_api_key;
        self.events.schedule(
            self.now.saturating_add(timeout),
            Event::ClientTimeout { request, epoch },
        );
        if c.alb != NONE {
            let alb = c.alb;
            return self.alb_attempt(alb, request);
        }
        let now = self.now;
        let identity = (clients, client);
        let from_vpc = c.spec.vpc.clone();
        let a = &mut self.apis[api as usize];
        // A PRIVATE API's public name answers 403 Forbidden to callers outside its VPC (the
        // documented reading: private APIs are reachable only through an interface VPC
        // endpoint; how the refusal looks from outside is not in the reference).
        if a.spec.endpoint_type == crate::EndpointType::Private && from_vpc != a.spec.vpc {
            return self.api_answer(request, ApiAnswer::PrivateForbidden);
        }
        if let Some(rule) = a.spec.waf {
            let window = now.as_micros() / (u64::from(rule.window_seconds) * 1_000_000);
            let entry = a.waf.entry(identity).or_insert((window, 0));
            if entry.0 != window {
                *entry = (window, 0);
            }
            entry.1 += 1;
            if entry.1 > rule.limit {
                a.waf_blocked += 1;
                return self.api_answer(request, ApiAnswer::WafFiltered);
            }
        }
        if a.spec.api_key_required && !has_key {
            return self.api_answer(request, ApiAnswer::InvalidApiKey);
        }
        if let (Some(plan), true) = (a.spec.usage_plan.clone(), has_key) {
            let key = a.keys.entry(identity).or_insert_with(|| KeyRt {
                bucket: plan.throttle.map(RateBucket::new),
                period: 0,
                used: 0,
            });
            if let Some(bucket) = key.bucket.as_mut() {
                if !bucket.try_take(now) {
                    a.throttled += 1;
                    return self.api_answer(request, ApiAnswer::Throttled);
                }
            }
            if let Some(quota) = plan.quota {
                let period = now.as_micros() / quota.period.length().as_micros().max(1);
                if key.period != period {
                    key.period = period;
                    key.used = 0;
                }
                if key.used >= quota.limit {
                    a.quota_exceeded += 1;
                    return self.api_answer(request, ApiAnswer::QuotaExceeded);
                }
                key.used += 1;
            }
        }
        let method_ok = a.method.as_mut().is_none_or(|b| b.try_take(now));
        let stage_ok = method_ok && a.stage.as_mut().is_none_or(|b| b.try_take(now));
        let account_ok = stage_ok && self.api_account_bucket.try_take(now);
        if !account_ok {
            self.apis[api as usize].throttled += 1;
            return self.api_answer(request, ApiAnswer::Throttled);
        }
        self.api_authorize(request, api, identity, epoch);
    }

    /// The authorizer of the API decides; then the integration is called, or the request
    /// is refused.
    fn api_authorize(&mut self, request: u32, api: u32, identity: (u32, u32), epoch: u32) {
        let now = self.now;
        let a = &mut self.apis[api as usize];
        match a.spec.authorizer.clone() {
            None => self.api_integrate(request),
            Some(Authorizer::Iam { deny_probability }) => {
                if self.api_rng.chance(deny_probability) {
                    self.apis[api as usize].unauthorized += 1;
                    self.api_answer(request, ApiAnswer::AccessDenied)
                } else {
                    self.api_integrate(request)
                }
            }
            Some(Authorizer::Cognito { deny_probability }) => {
                if self.api_rng.chance(deny_probability) {
                    self.apis[api as usize].unauthorized += 1;
                    self.api_answer(request, ApiAnswer::Unauthorized)
                } else {
                    self.api_integrate(request)
                }
            }
            Some(Authorizer::Lambda {
                latency,
                deny_probability,
                ttl_seconds,
            }) => {
                if let Some(&(allowed, until)) = a.auth_cache.get(&identity) {
                    if now < until {
                        a.period.cache_hits += 1;
                        a.total.cache_hits += 1;
                        return self.api_authorized(request, allowed);
                    }
                }
                a.period.cache_misses += 1;
                a.total.cache_misses += 1;
                let seconds = latency.sample(&mut self.api_rng);
                let allowed = !self.api_rng.chance(deny_probability);
                let wait = SimDuration::from_secs_f64(seconds);
                if wait.as_micros() > api_limits::AUTHORIZER_TIMEOUT_MS * 1_000 {
                    let at = now.saturating_add(SimDuration::from_millis(
                        api_limits::AUTHORIZER_TIMEOUT_MS,
                    ));
                    self.events.schedule(
                        at,
                        Event::AuthorizerDone {
                            request,
                            epoch,
                            verdict: 2,
                        },
                    );
                    return;
                }
                if ttl_seconds > 0 {
                    let until = now
                        .saturating_add(wait)
                        .saturating_add(SimDuration::from_secs(u64::from(ttl_seconds)));
                    self.apis[api as usize]
                        .auth_cache
                        .insert(identity, (allowed, until));
                }
                self.events.schedule(
                    now.saturating_add(wait),
                    Event::AuthorizerDone {
                        request,
                        epoch,
                        verdict: u8::from(allowed),
                    },
                );
            }
        }
    }

    /// The Lambda authorizer answered: 0 deny, 1 allow, 2 no answer within 10 s.
    pub(super) fn on_authorizer_done(&mut self, request: u32, epoch: u32, verdict: u8) {
        if !self.attempt_current(request, epoch) {
            return;
        }
        if verdict == 2 {
            return self.api_answer(request, ApiAnswer::AuthorizerFailure);
        }
        self.api_authorized(request, verdict == 1);
    }

    fn api_authorized(&mut self, request: u32, allowed: bool) {
        if allowed {
            self.api_integrate(request);
        } else {
            let api = self.clients[self.requests[request as usize].clients as usize].api;
            self.apis[api as usize].unauthorized += 1;
            self.api_answer(request, ApiAnswer::AccessDenied);
        }
    }

    pub(super) fn attempt_current(&self, request: u32, epoch: u32) -> bool {
        self.requests
            .get(request as usize)
            .is_some_and(|r| r.live && r.at_gateway && r.epoch == epoch)
    }

    fn api_integrate(&mut self, request: u32) {
        let r = &mut self.requests[request as usize];
        r.integration_started = self.now;
        let (clients, epoch, integration, part) = (r.clients, r.epoch, r.integration, r.ws);
        let api = self.clients[clients as usize].api;
        let a = &mut self.apis[api as usize];
        ws::count_integration_call(a, part);
        if integration == NONE as usize {
            // A WebSocket `$connect` or `$disconnect` without a route: the gateway alone.
            return self.api_answer(request, ApiAnswer::Ok);
        }
        self.requests[request as usize].integrated = true;
        let a = &mut self.apis[api as usize];
        if part == ws::WsPart::None {
            a.requests += 1;
        }
        let spec = &a.spec;
        let timeout = SimDuration::from_millis(u64::from(spec.integration_timeout_ms));
        let caller = self.clients[clients as usize].component;
        self.events.schedule(
            self.now.saturating_add(timeout),
            Event::IntegrationTimeout { request, epoch },
        );
        let answer = match self.slots.get(integration).copied() {
            Some(Slot::Lambda(lambda)) => {
                let origin = lambda::Origin::Sync { request, epoch };
                match self.lambda_start(lambda, origin, 1, None, Some(caller), false) {
                    Ok(_) => return,
                    Err(_) => ApiAnswer::Throttled,
                }
            }
            Some(Slot::Queue(queue)) => {
                let outgoing = Outgoing {
                    producer: caller as u32,
                    via: NONE,
                    size: 1_024,
                    group: NONE,
                    dedup_id: None,
                    explicit_dedup: false,
                    delay_seconds: None,
                    extra: None,
                };
                self.queues[queue as usize].requests += 1;
                match self.enqueue_new(queue, outgoing) {
                    Ok(_) => ApiAnswer::Ok,
                    Err(_) => ApiAnswer::IntegrationError,
                }
            }
            Some(Slot::Topic(topic)) => {
                let publication = sns::Publication {
                    producer: caller as u32,
                    size: 1_024,
                    group: NONE,
                    dedup_id: None,
                    attributes: std::rc::Rc::default(),
                    body: None,
                };
                self.topics[topic as usize].requests += 1;
                match self.publish(topic, publication) {
                    Ok(()) => ApiAnswer::Ok,
                    Err(()) => ApiAnswer::IntegrationError,
                }
            }
            Some(Slot::Machine(machine)) => {
                let input = sfn::request_input(request);
                // The API's integration calls StartExecution: the trace names the API.
                let by = Some(self.apis[api as usize].component);
                match self.start_execution(machine, input, by, None) {
                    Ok(_) => ApiAnswer::Ok,
                    Err(_) => ApiAnswer::IntegrationError,
                }
            }
            Some(Slot::Endpoint(endpoint)) => {
                let e = &self.endpoints[endpoint as usize];
                let latency = e.spec.latency.sample(&mut self.api_rng);
                let e = &self.endpoints[endpoint as usize];
                let (client_p, server_p) = (
                    e.spec.client_error_probability,
                    e.spec.server_error_probability,
                );
                let component = e.component;
                // Faults on the endpoint (stop, fail a share) answer as its outages do.
                let down = self.fault_stopped(component) || self.fault_fails(component);
                let answer = if down {
                    ApiAnswer::IntegrationFailure
                } else if self.api_rng.chance(client_p) {
                    ApiAnswer::ClientError
                } else if self.api_rng.chance(server_p) {
                    ApiAnswer::IntegrationError
                } else {
                    ApiAnswer::Ok
                };
                let at = self.now.saturating_add(SimDuration::from_secs_f64(latency));
                self.events.schedule(
                    at,
                    Event::IntegrationDone {
                        request,
                        epoch,
                        answer,
                    },
                );
                return;
            }
            _ => ApiAnswer::IntegrationError,
        };
        self.api_integration_answered(request, answer);
    }

    pub(super) fn on_integration_done(&mut self, request: u32, epoch: u32, answer: ApiAnswer) {
        if self.attempt_current(request, epoch) {
            self.api_integration_answered(request, answer);
        }
    }

    pub(super) fn on_integration_timeout(&mut self, request: u32, epoch: u32) {
        if !self.attempt_current(request, epoch) {
            return;
        }
        let api = self.clients[self.requests[request as usize].clients as usize].api;
        self.apis[api as usize].integration_timeouts += 1;
        self.api_integration_answered(request, ApiAnswer::IntegrationTimeout);
    }

    /// A synchronous Lambda invocation ended.
    pub(super) fn api_lambda_done(&mut self, request: u32, epoch: u32, outcome: LambdaOutcome) {
        if !self.attempt_current(request, epoch) {
            return;
        }
        let answer = match outcome {
            LambdaOutcome::Success => ApiAnswer::Ok,
            LambdaOutcome::FunctionError | LambdaOutcome::TimedOut => ApiAnswer::BadGateway,
        };
        self.api_integration_answered(request, answer);
    }

    fn api_integration_answered(&mut self, request: u32, answer: ApiAnswer) {
        let r = &self.requests[request as usize];
        let api = self.clients[r.clients as usize].api;
        let took = self.now.since(r.integration_started).as_secs_f64() * 1_000.0;
        let a = &mut self.apis[api as usize];
        for counters in [&mut a.period, &mut a.total] {
            counters.integrations += 1;
            counters.integration_ms_sum += took;
        }
        self.api_answer(request, answer);
    }

    /// The gateway answers the current attempt; the client succeeds, retries or gives up.
    fn api_answer(&mut self, request: u32, answer: ApiAnswer) {
        if self.requests[request as usize].ws != ws::WsPart::None {
            return self.ws_answered(request, answer);
        }
        let r = &self.requests[request as usize];
        let (clients, client) = (r.clients, r.client);
        let latency = self.now.since(r.attempt_sent);
        let api = self.clients[clients as usize].api;
        let a = &mut self.apis[api as usize];
        let status = answer.status();
        for counters in [&mut a.period, &mut a.total] {
            counters.count += 1;
            counters.latency_ms_sum += latency.as_secs_f64() * 1_000.0;
            if (400..500).contains(&status) {
                counters.errors_4xx += 1;
            } else if status >= 500 {
                counters.errors_5xx += 1;
            }
        }
        let api_component = a.component;
        let clients_component = self.clients[clients as usize].component;
        self.record(
            api_component,
            None,
            TraceKind::ApiAnswered {
                clients: clients_component,
                client,
                status,
                answer: answer.as_str(),
                latency,
            },
        );
        self.client_answered(request, status);
    }

    /// The current attempt got an answer with this status (from a gateway or a load
    /// balancer); the client succeeds (2xx), retries 429 and 5xx, or gives up.
    pub(super) fn client_answered(&mut self, request: u32, status: u16) {
        let r = &mut self.requests[request as usize];
        r.at_gateway = false;
        r.epoch = r.epoch.wrapping_add(1);
        r.alb_target = NONE;
        let (clients, client, retries, waiting) =
            (r.clients, r.client, r.retries, r.client_waiting);
        let first_sent = r.first_sent;
        let new_epoch = r.epoch;
        let clients_component = self.clients[clients as usize].component;
        if !waiting {
            // The client gave up on this attempt already.
            self.release_request(request);
            return;
        }
        let c = &mut self.clients[clients as usize];
        if (200..300).contains(&status) {
            c.period.succeeded += 1;
            c.total.succeeded += 1;
            c.latency.record(self.now.since(first_sent));
            self.client_census.succeeded += 1;
            self.finish_request(request);
            return;
        }
        let retryable = status == 429 || status >= 500;
        if retryable && retries < c.spec.max_retries {
            let draw = self.api_rng.next_f64();
            let c = &mut self.clients[clients as usize];
            let wait = backoff_wait(
                c.spec.backoff,
                c.spec.backoff_base,
                c.spec.backoff_cap,
                retries + 1,
                draw,
            );
            c.period.retries += 1;
            c.total.retries += 1;
            self.requests[request as usize].retries += 1;
            let at = self.now.saturating_add(wait);
            self.record(
                clients_component,
                None,
                TraceKind::ClientRetry {
                    client,
                    status,
                    retry: retries + 1,
                    at,
                },
            );
            self.events.schedule(
                at,
                Event::ClientAttempt {
                    request,
                    epoch: new_epoch,
                },
            );
            return;
        }
        c.period.failed += 1;
        c.total.failed += 1;
        self.client_census.failed += 1;
        self.record(
            clients_component,
            None,
            TraceKind::ClientGaveUp {
                client,
                status: Some(status),
                attempts: retries + 1,
            },
        );
        self.finish_request(request);
    }

    /// The client's timeout for the current attempt ended without an answer.
    pub(super) fn on_client_timeout(&mut self, request: u32, epoch: u32) {
        let Some(r) = self.requests.get(request as usize) else {
            return;
        };
        if !(r.live && r.client_waiting && r.at_gateway && r.epoch == epoch) {
            return;
        }
        let (clients, client, retries) = (r.clients, r.client, r.retries);
        let c = &mut self.clients[clients as usize];
        c.period.timed_out += 1;
        c.total.timed_out += 1;
        self.client_census.timed_out += 1;
        let component = c.component;
        self.record(
            component,
            None,
            TraceKind::ClientGaveUp {
                client,
                status: None,
                attempts: retries + 1,
            },
        );
        // The gateway finishes the attempt on its own; the answer then finds no one.
        let c = &mut self.clients[clients as usize];
        c.in_progress -= 1;
        self.client_census.in_progress -= 1;
        self.requests[request as usize].client_waiting = false;
    }

    fn finish_request(&mut self, request: u32) {
        let clients = self.requests[request as usize].clients;
        self.clients[clients as usize].in_progress -= 1;
        self.client_census.in_progress -= 1;
        self.requests[request as usize].client_waiting = false;
        self.release_request(request);
    }

    fn release_request(&mut self, request: u32) {
        let r = &mut self.requests[request as usize];
        r.live = false;
        r.epoch = r.epoch.wrapping_add(1);
        self.free_requests.push(request);
    }

    // ----- reports ---------------------------------------------------------------------------

    /// Where every client request is.
    pub fn client_census(&self) -> ClientCensus {
        self.client_census
    }

    pub(super) fn check_api_invariants(&self) -> Result<(), String> {
        self.check_ws_invariants()?;
        if !self.client_census.balanced() {
            return Err(format!(
                "client census out of balance: {:?}",
                self.client_census
            ));
        }
        let waiting = self
            .requests
            .iter()
            .filter(|r| r.live && r.client_waiting)
            .count() as u64;
        let counted: u64 = self.clients.iter().map(|c| c.in_progress).sum();
        if waiting != counted || waiting != self.client_census.in_progress {
            return Err(format!(
                "{waiting} requests wait for an answer, populations count {counted}, the census {}",
                self.client_census.in_progress
            ));
        }
        if self
            .requests
            .iter()
            .any(|r| r.live && !r.client_waiting && !r.at_gateway)
        {
            return Err("a request nobody waits for is held".to_string());
        }
        Ok(())
    }

    pub(super) fn api_stats(&self, index: u32) -> ApiStats {
        let a = &self.apis[index as usize];
        ApiStats {
            count: a.total.count,
            errors_4xx: a.total.errors_4xx,
            errors_5xx: a.total.errors_5xx,
            throttled: a.throttled,
            quota_exceeded: a.quota_exceeded,
            unauthorized: a.unauthorized,
            waf_blocked: a.waf_blocked,
            integration_timeouts: a.integration_timeouts,
            cache_hits: a.total.cache_hits,
            cache_misses: a.total.cache_misses,
            mean_latency_ms: if a.total.count == 0 {
                0.0
            } else {
                a.total.latency_ms_sum / a.total.count as f64
            },
            requests: a.requests,
            cost_usd: self.api_cost(a),
            websocket: self.ws_stats(a),
        }
    }

    pub(super) fn clients_stats(&self, index: u32) -> ClientsStats {
        let c = &self.clients[index as usize];
        ClientsStats {
            started: c.total.started,
            succeeded: c.total.succeeded,
            failed: c.total.failed,
            timed_out: c.total.timed_out,
            retries: c.total.retries,
            in_progress: c.in_progress,
            latency: c.latency.summary(),
            open_connections: self.ws_open_of(index),
        }
    }

    pub(super) fn api_cost(&self, a: &ApiRt) -> f64 {
        match self.ws_usage(a) {
            Some((metered, minutes)) => ws_price(metered, minutes),
            None => a.requests as f64 * a.price_per_million() / 1_000_000.0,
        }
    }

    /// The charges of every API; with the free tier, the first million REST and the first
    /// million HTTP calls, and a million WebSocket messages with 750,000 connection-minutes,
    /// are free (the first 12 months of an account).
    pub(super) fn apis_cost(&self) -> f64 {
        let tier = self.model.free_tier;
        let mut free_rest = if tier { 1_000_000u64 } else { 0 };
        let mut free_http = free_rest;
        let mut free_ws = if tier {
            api_limits::FREE_WS_MESSAGES
        } else {
            0
        };
        let mut free_minutes = if tier {
            api_limits::FREE_WS_CONNECTION_MINUTES
        } else {
            0.0
        };
        let mut usd = 0.0;
        for a in &self.apis {
            if let Some((metered, minutes)) = self.ws_usage(a) {
                let waived = metered.min(free_ws);
                free_ws -= waived;
                let waived_minutes = minutes.min(free_minutes);
                free_minutes -= waived_minutes;
                usd += ws_price(metered - waived, minutes - waived_minutes);
                continue;
            }
            let free = match a.spec.api_type {
                ApiType::Rest => &mut free_rest,
                ApiType::Http | ApiType::WebSocket => &mut free_http,
            };
            let waived = a.requests.min(*free);
            *free -= waived;
            usd += (a.requests - waived) as f64 * a.price_per_million() / 1_000_000.0;
        }
        usd
    }

    pub(super) fn api_metric_samples(&mut self, now: SimTime, samples: &mut Vec<MetricSample>) {
        for index in 0..self.apis.len() {
            let cost = self.api_cost(&self.apis[index]);
            if self.apis[index].ws.is_some() {
                self.ws_metric_samples(index, now, cost, samples);
                continue;
            }
            let a = &mut self.apis[index];
            for metric in crate::metrics::API_METRICS {
                let value = match metric {
                    Metric::Count => a.period.count as f64,
                    Metric::Error4xx => a.period.errors_4xx as f64,
                    Metric::Error5xx => a.period.errors_5xx as f64,
                    Metric::Latency if a.period.count > 0 => {
                        a.period.latency_ms_sum / a.period.count as f64
                    }
                    Metric::IntegrationLatency if a.period.integrations > 0 => {
                        a.period.integration_ms_sum / a.period.integrations as f64
                    }
                    Metric::AuthorizerCacheHits => a.period.cache_hits as f64,
                    Metric::AuthorizerCacheMisses => a.period.cache_misses as f64,
                    Metric::EstimatedCharges => cost,
                    _ => continue,
                };
                samples.push(MetricSample {
                    time: now,
                    component: a.component,
                    metric: *metric,
                    value,
                });
            }
            a.period = ApiCounters::default();
        }
        for c in &mut self.clients {
            for metric in crate::metrics::CLIENT_METRICS {
                let value = match metric {
                    Metric::RequestsStarted => c.period.started as f64,
                    Metric::RequestsSucceeded => c.period.succeeded as f64,
                    Metric::RequestsFailed => c.period.failed as f64,
                    Metric::RequestsTimedOut => c.period.timed_out as f64,
                    Metric::Retries => c.period.retries as f64,
                    _ => continue,
                };
                samples.push(MetricSample {
                    time: now,
                    component: c.component,
                    metric: *metric,
                    value,
                });
            }
            c.period = ClientCounters::default();
        }
    }
}
