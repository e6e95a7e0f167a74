//! API Gateway WebSocket APIs (a child module of `api_runtime`).
//!
//! Each client of a population on a WebSocket API holds one connection. It connects
//! (`$connect`): the account's new-connection quota (500 a second across every WebSocket
//! API, a token bucket holding one second of it), then the authorizer (IAM or a Lambda
//! `REQUEST` authorizer: authorizers run on `$connect` only), then the `$connect` route's
//! integration if there is one, which may refuse the connection. Once open, a connection
//! stays until the client leaves (its `connection_seconds`), the 2-hour maximum, the
//! 10-minute idle timeout (no message from the client), or a message over 128 KB (close
//! code 1009). `$disconnect` is called when it closes, and the client connects again after
//! its back-off; a refused connection is retried with the back-off of its consecutive
//! failures.
//!
//! The population's rate pattern is the rate of messages, shared round-robin by the clients
//! that talk (the first `silent_clients` never send). A message of a client whose
//! connection is not open is not sent. Each message's route is chosen by the route
//! selection expression on the value the message carries in the selected field (or none):
//! the route of that key, else `$default`, else an error frame and the connection stays
//! open. The route's throttle, the stage's and the account's token buckets apply to
//! messages, then the route's integration is called under the integration timeout.
//!
//! Facts (developer guide ✅ unless marked): quotas from "Quotas for configuring and running
//! a WebSocket in API Gateway" (500 new connections/s per account, 32 KB frames, 128 KB
//! messages and the 1009 close, 2 h, 10 min, 29 s); routes and route selection from
//! "Create routes for WebSocket APIs" (exact key match, then `$default`, else an error);
//! metrics from "Monitor WebSocket API execution with CloudWatch metrics"; prices from the
//! API Gateway pricing page (reference section 9 ⚠️).
//!
//! Our readings, where AWS is silent: the error frame of an unmatched message is shown as
//! `Forbidden` (403); close codes 1000 for a client leaving and 1001 (Going Away) for the
//! 2 h cap and the idle timeout ⚠️; `ExecutionError` counts calls the integration did not
//! answer (timeout, unreachable endpoint, a throttled Lambda function) and
//! `IntegrationError` the calls it answered 4XX/5XX; `$connect` and `$disconnect` are not
//! billed as messages, nor are messages the gateway refuses before routing them (throttled,
//! unmatched, too large) ⚠️; `$disconnect` is always called (AWS documents it as best
//! effort); connection-minutes are billed pro rata, not rounded per connection.
//! Left out: `@connections` callbacks (`PostToConnection`, `GoneException`), route
//! responses and API keys on routes.

use super::*;
use crate::model::{WebSocketSpec, ROUTE_CONNECT, ROUTE_DISCONNECT};

/// What a gateway request is on a WebSocket API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum WsPart {
    /// A REST or HTTP API request.
    None,
    Connect,
    Message,
    Disconnect,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
enum ConnState {
    /// Not connected: waiting to connect (again), or gone after the population stopped.
    #[default]
    Away,
    Connecting,
    Open,
}

/// One client's connection.
#[derive(Clone, Debug, Default)]
pub(super) struct Conn {
    state: ConnState,
    opened: SimTime,
    last_active: SimTime,
    /// Changes whenever the connection opens or closes; stale timers compare it.
    epoch: u32,
    /// Connection attempts refused in a row.
    failures: u32,
}

/// Why a connection closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CloseReason {
    /// The client left (its `connection_seconds` ended).
    Client = 0,
    /// API Gateway's 2-hour maximum.
    MaxDuration = 1,
    /// 10 minutes without a message from the client.
    Idle = 2,
    /// A message over 128 KB.
    TooLarge = 3,
}

impl CloseReason {
    pub(crate) fn from_u8(value: u8) -> CloseReason {
        match value {
            1 => CloseReason::MaxDuration,
            2 => CloseReason::Idle,
            3 => CloseReason::TooLarge,
            _ => CloseReason::Client,
        }
    }

    fn code(self) -> u16 {
        match self {
            CloseReason::Client => 1000,
            CloseReason::MaxDuration | CloseReason::Idle => 1001,
            CloseReason::TooLarge => 1009,
        }
    }

    fn words(self) -> &'static str {
        match self {
            CloseReason::Client => "the client closed it",
            CloseReason::MaxDuration => "the 2-hour maximum connection duration",
            CloseReason::Idle => "the 10-minute idle timeout",
            CloseReason::TooLarge => "a message over 128 KB",
        }
    }
}

/// Where every client message sent on a WebSocket connection is:
/// `sent == succeeded + client_errors + integration_errors + execution_errors + in_flight`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WsCensus {
    pub sent: u64,
    pub succeeded: u64,
    /// Refused by the gateway before the integration (throttled, no route, too large).
    pub client_errors: u64,
    pub integration_errors: u64,
    pub execution_errors: u64,
    pub in_flight: u64,
}

impl WsCensus {
    pub fn balanced(&self) -> bool {
        self.sent
            == self.succeeded
                + self.client_errors
                + self.integration_errors
                + self.execution_errors
                + self.in_flight
    }

    fn add(&mut self, other: &WsCensus) {
        self.sent += other.sent;
        self.succeeded += other.succeeded;
        self.client_errors += other.client_errors;
        self.integration_errors += other.integration_errors;
        self.execution_errors += other.execution_errors;
        self.in_flight += other.in_flight;
    }
}

/// Counters of the CloudWatch metrics of a WebSocket API (every request: connects,
/// messages, disconnects).
#[derive(Clone, Debug, Default)]
struct WsCounters {
    connect_count: u64,
    messages: u64,
    integration_errors: u64,
    client_errors: u64,
    execution_errors: u64,
}

/// Live numbers of a WebSocket API.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WsStats {
    pub open_connections: u64,
    pub connections_opened: u64,
    pub connections_refused: u64,
    /// Closed connections by reason: the client left, 2 h, idle 10 min, over 128 KB.
    pub closed_by_client: u64,
    pub closed_at_max_duration: u64,
    pub closed_idle: u64,
    pub closed_too_large: u64,
    /// Messages received from clients.
    pub messages: u64,
    /// Billed messages: each message counts once per started 32 KB.
    pub metered_messages: u64,
    pub client_errors: u64,
    pub integration_errors: u64,
    pub execution_errors: u64,
    pub connection_minutes: f64,
    pub census: WsCensus,
}

#[derive(Clone, Debug)]
pub(super) struct WsApiRt {
    route_buckets: Vec<Option<RateBucket>>,
    connect_route: Option<usize>,
    disconnect_route: Option<usize>,
    period: WsCounters,
    total: WsCounters,
    open: u64,
    /// The sum of the opening times (microseconds) of the open connections.
    open_since: u128,
    /// Microseconds of connections already closed.
    closed_micros: u128,
    opened: u64,
    refused: u64,
    closed: [u64; 4],
    metered: u64,
    census: WsCensus,
}

impl WsApiRt {
    pub(super) fn new(spec: &WebSocketSpec) -> WsApiRt {
        WsApiRt {
            route_buckets: spec
                .routes
                .iter()
                .map(|r| r.throttle.map(RateBucket::new))
                .collect(),
            connect_route: spec.route(ROUTE_CONNECT),
            disconnect_route: spec.route(ROUTE_DISCONNECT),
            period: WsCounters::default(),
            total: WsCounters::default(),
            open: 0,
            open_since: 0,
            closed_micros: 0,
            opened: 0,
            refused: 0,
            closed: [0; 4],
            metered: 0,
            census: WsCensus::default(),
        }
    }

    fn connection_minutes(&self, now: SimTime) -> f64 {
        let open_micros =
            (u128::from(self.open) * u128::from(now.as_micros())).saturating_sub(self.open_since);
        (self.closed_micros + open_micros) as f64 / 60_000_000.0
    }

    fn count(&mut self, f: impl Fn(&mut WsCounters)) {
        f(&mut self.period);
        f(&mut self.total);
    }
}

/// Messages as API Gateway meters them for the price: one per started 32 KB.
pub fn metered_messages(bytes: u32) -> u64 {
    u64::from(bytes.max(1).div_ceil(api_limits::WS_FRAME_BYTES))
}

/// The gateway is about to call a route's integration (or answer `$connect` itself).
pub(super) fn count_integration_call(a: &mut ApiRt, part: WsPart) {
    if let (Some(w), WsPart::Connect) = (a.ws.as_mut(), part) {
        w.count(|c| c.connect_count += 1);
    }
}

/// Which metric an unsuccessful answer counts in.
fn error_kind(answer: ApiAnswer, integrated: bool) -> u8 {
    match (answer, integrated) {
        (ApiAnswer::Ok, _) => 0,
        (_, false) if (400..500).contains(&answer.status()) => 1,
        (_, false) => 3,
        (
            ApiAnswer::IntegrationTimeout | ApiAnswer::IntegrationFailure | ApiAnswer::Throttled,
            true,
        ) => 3,
        (_, true) => 2,
    }
}

impl Simulation {
    fn ws_spec(&self, api: u32) -> Option<&WebSocketSpec> {
        self.apis[api as usize].spec.websocket.as_ref()
    }

    /// Gives each client of a population on a WebSocket API its connection and schedules
    /// the first connections, spread evenly over the first second after the start.
    pub(in crate::sim) fn ws_start(&mut self) {
        for index in 0..self.clients.len() {
            let c = &self.clients[index];
            // Populations behind a load balancer have no API.
            if self
                .apis
                .get(c.api as usize)
                .is_none_or(|api| api.ws.is_none())
            {
                continue;
            }
            let n = c.spec.clients.max(1);
            let start = SimTime::ZERO.saturating_add(c.spec.load.start);
            self.clients[index].conns = vec![Conn::default(); n as usize];
            for client in 0..n {
                let offset = SimDuration(u64::from(client) * 1_000_000 / u64::from(n));
                self.events.schedule(
                    start.saturating_add(offset),
                    Event::WsConnect {
                        clients: index as u32,
                        client,
                        epoch: 0,
                    },
                );
            }
        }
    }

    fn ws_stopped(&self, clients: u32) -> bool {
        let stop = self.clients[clients as usize].spec.load.stop;
        stop.is_some_and(|stop| self.now >= SimTime::ZERO.saturating_add(stop))
    }

    fn ws_request(&mut self, clients: u32, client: u32, part: WsPart, integration: usize) -> u32 {
        self.new_request(Request {
            clients,
            client,
            first_sent: self.now,
            attempt_sent: self.now,
            integration_started: self.now,
            retries: 0,
            client_waiting: false,
            at_gateway: true,
            live: true,
            epoch: 0,
            alb_target: NONE,
            integration,
            integrated: false,
            ws: part,
        })
    }

    fn route_integration(&self, api: u32, route: Option<usize>) -> usize {
        match (self.ws_spec(api), route) {
            (Some(spec), Some(route)) => spec.routes[route].integration,
            _ => NONE as usize,
        }
    }

    /// A client tries to open its connection.
    pub(in crate::sim) fn on_ws_connect(&mut self, clients: u32, client: u32, epoch: u32) {
        let Some(conn) = self.clients[clients as usize].conns.get(client as usize) else {
            return;
        };
        if conn.epoch != epoch || conn.state != ConnState::Away || self.ws_stopped(clients) {
            return;
        }
        self.clients[clients as usize].conns[client as usize].state = ConnState::Connecting;
        let api = self.clients[clients as usize].api;
        let route = self.apis[api as usize]
            .ws
            .as_ref()
            .and_then(|w| w.connect_route);
        let integration = self.route_integration(api, route);
        let request = self.ws_request(clients, client, WsPart::Connect, integration);
        if !self.ws_connect_bucket.try_take(self.now) {
            return self.ws_answered(request, ApiAnswer::ConnectLimitExceeded);
        }
        let request_epoch = self.requests[request as usize].epoch;
        self.api_authorize(request, api, (clients, client), request_epoch);
    }

    /// The population's producer fired: `count` messages, one per talking client in turn.
    pub(super) fn ws_send(&mut self, producer: u32, clients: u32, count: u32) {
        for _ in 0..count {
            self.producers[producer as usize].attempted += 1;
            let c = &mut self.clients[clients as usize];
            let silent = c.spec.websocket.silent_clients.min(c.spec.clients);
            let talkers = c.spec.clients - silent;
            if talkers == 0 {
                continue;
            }
            let client = silent + c.next_client % talkers;
            c.next_client = c.next_client.wrapping_add(1);
            let conn = &mut c.conns[client as usize];
            if conn.state != ConnState::Open {
                continue;
            }
            conn.last_active = self.now;
            c.period.started += 1;
            c.total.started += 1;
            let bytes = c.spec.websocket.message_bytes;
            let draw = self.api_rng.next_f64();
            let c = &self.clients[clients as usize];
            let mut cumulative = 0.0;
            let value = c.spec.websocket.actions.iter().find_map(|(value, share)| {
                cumulative += share;
                (draw < cumulative).then(|| value.clone())
            });
            self.producers[producer as usize].accepted += 1;
            let api = c.api;
            let now = self.now;
            let Some(w) = self.apis[api as usize].ws.as_mut() else {
                continue;
            };
            w.count(|c| c.messages += 1);
            w.census.sent += 1;
            w.census.in_flight += 1;
            let request = self.ws_request(clients, client, WsPart::Message, NONE as usize);
            if bytes > api_limits::WS_MESSAGE_BYTES {
                self.ws_answered(request, ApiAnswer::MessageTooLarge);
                continue;
            }
            let route = self
                .ws_spec(api)
                .and_then(|spec| spec.select(value.as_deref()));
            let Some(route) = route else {
                self.ws_answered(request, ApiAnswer::NoRoute);
                continue;
            };
            let a = &mut self.apis[api as usize];
            let w = a.ws.as_mut().expect("a WebSocket API");
            let route_ok = w.route_buckets[route]
                .as_mut()
                .is_none_or(|b| b.try_take(now));
            let stage_ok = route_ok && a.stage.as_mut().is_none_or(|b| b.try_take(now));
            if !(stage_ok && self.api_account_bucket.try_take(now)) {
                self.apis[api as usize].throttled += 1;
                self.ws_answered(request, ApiAnswer::Throttled);
                continue;
            }
            let integration = self.route_integration(api, Some(route));
            let w = self.apis[api as usize]
                .ws
                .as_mut()
                .expect("a WebSocket API");
            w.metered += metered_messages(bytes);
            self.requests[request as usize].integration = integration;
            self.api_integrate(request);
        }
    }

    /// The gateway finished a WebSocket request: a connection opens or is refused, a
    /// message has its outcome.
    pub(super) fn ws_answered(&mut self, request: u32, answer: ApiAnswer) {
        let r = &mut self.requests[request as usize];
        let (clients, client, part, integrated, integration) =
            (r.clients, r.client, r.ws, r.integrated, r.integration);
        r.at_gateway = false;
        r.live = false;
        r.epoch = r.epoch.wrapping_add(1);
        self.free_requests.push(request);
        let api = self.clients[clients as usize].api;
        let a = &mut self.apis[api as usize];
        let (api_component, clients_component) =
            (a.component, self.clients[clients as usize].component);
        let Some(w) = a.ws.as_mut() else {
            return;
        };
        let kind = error_kind(answer, integrated);
        match kind {
            1 => w.count(|c| c.client_errors += 1),
            2 => w.count(|c| c.integration_errors += 1),
            3 => w.count(|c| c.execution_errors += 1),
            _ => {}
        }
        let status = answer.status();
        match part {
            WsPart::Connect if answer == ApiAnswer::Ok => self.ws_open(clients, client),
            WsPart::Connect => {
                w.refused += 1;
                let c = &mut self.clients[clients as usize];
                let conn = &mut c.conns[client as usize];
                conn.state = ConnState::Away;
                conn.failures = conn.failures.saturating_add(1);
                let (failures, epoch) = (conn.failures, conn.epoch);
                let draw = self.api_rng.next_f64();
                let c = &mut self.clients[clients as usize];
                c.period.retries += 1;
                c.total.retries += 1;
                let wait = backoff_wait(
                    c.spec.backoff,
                    c.spec.backoff_base,
                    c.spec.backoff_cap,
                    failures,
                    draw,
                );
                let retry_at = self.now.saturating_add(wait);
                self.record(
                    api_component,
                    None,
                    TraceKind::WsRefused {
                        clients: clients_component,
                        client,
                        status,
                        answer: answer.as_str(),
                        retry_at,
                    },
                );
                self.events.schedule(
                    retry_at,
                    Event::WsConnect {
                        clients,
                        client,
                        epoch,
                    },
                );
            }
            WsPart::Message => {
                w.census.in_flight -= 1;
                match kind {
                    0 => w.census.succeeded += 1,
                    1 => w.census.client_errors += 1,
                    2 => w.census.integration_errors += 1,
                    _ => w.census.execution_errors += 1,
                }
                let c = &mut self.clients[clients as usize];
                if kind == 0 {
                    c.period.succeeded += 1;
                    c.total.succeeded += 1;
                } else {
                    c.period.failed += 1;
                    c.total.failed += 1;
                }
                self.record(
                    api_component,
                    None,
                    TraceKind::WsMessage {
                        clients: clients_component,
                        client,
                        integration: (integrated && integration != NONE as usize)
                            .then_some(integration),
                        status,
                        answer: answer.as_str(),
                    },
                );
                let conn = &self.clients[clients as usize].conns[client as usize];
                if answer == ApiAnswer::MessageTooLarge && conn.state == ConnState::Open {
                    self.ws_close(clients, client, CloseReason::TooLarge);
                }
            }
            WsPart::Disconnect | WsPart::None => {}
        }
    }

    fn ws_open(&mut self, clients: u32, client: u32) {
        let now = self.now;
        let c = &mut self.clients[clients as usize];
        let seconds = c
            .spec
            .websocket
            .connection_seconds
            .sample(&mut self.api_rng);
        let conn = &mut c.conns[client as usize];
        conn.state = ConnState::Open;
        conn.opened = now;
        conn.last_active = now;
        conn.epoch = conn.epoch.wrapping_add(1);
        conn.failures = 0;
        let epoch = conn.epoch;
        let (api, component) = (c.api, c.component);
        let a = &mut self.apis[api as usize];
        let api_component = a.component;
        if let Some(w) = a.ws.as_mut() {
            w.open += 1;
            w.opened += 1;
            w.open_since += u128::from(now.as_micros());
        }
        let cap = SimDuration::from_secs(api_limits::WS_MAX_CONNECTION_SECONDS);
        let stay = SimDuration::from_secs_f64(seconds);
        let (after, reason) = if stay.as_micros() >= cap.as_micros() {
            (cap, CloseReason::MaxDuration)
        } else {
            (stay, CloseReason::Client)
        };
        self.events.schedule(
            now.saturating_add(after),
            Event::WsClose {
                clients,
                client,
                epoch,
                reason: reason as u8,
            },
        );
        self.events.schedule(
            now.saturating_add(SimDuration::from_secs(api_limits::WS_IDLE_TIMEOUT_SECONDS)),
            Event::WsIdle {
                clients,
                client,
                epoch,
            },
        );
        self.record(
            api_component,
            None,
            TraceKind::WsConnected {
                clients: component,
                client,
            },
        );
    }

    pub(in crate::sim) fn on_ws_close(
        &mut self,
        clients: u32,
        client: u32,
        epoch: u32,
        reason: u8,
    ) {
        if self.ws_open_at(clients, client, epoch) {
            self.ws_close(clients, client, CloseReason::from_u8(reason));
        }
    }

    /// The idle timer: closes the connection if the client sent nothing for 10 minutes,
    /// else waits for the end of the 10 minutes after its last message.
    pub(in crate::sim) fn on_ws_idle(&mut self, clients: u32, client: u32, epoch: u32) {
        if !self.ws_open_at(clients, client, epoch) {
            return;
        }
        let conn = &self.clients[clients as usize].conns[client as usize];
        let deadline = conn
            .last_active
            .saturating_add(SimDuration::from_secs(api_limits::WS_IDLE_TIMEOUT_SECONDS));
        if self.now >= deadline {
            self.ws_close(clients, client, CloseReason::Idle);
        } else {
            self.events.schedule(
                deadline,
                Event::WsIdle {
                    clients,
                    client,
                    epoch,
                },
            );
        }
    }

    fn ws_open_at(&self, clients: u32, client: u32, epoch: u32) -> bool {
        self.clients
            .get(clients as usize)
            .and_then(|c| c.conns.get(client as usize))
            .is_some_and(|conn| conn.epoch == epoch && conn.state == ConnState::Open)
    }

    /// Closes an open connection: `$disconnect` is called, and the client connects again
    /// after its back-off unless the population has stopped.
    fn ws_close(&mut self, clients: u32, client: u32, reason: CloseReason) {
        let now = self.now;
        let c = &mut self.clients[clients as usize];
        let conn = &mut c.conns[client as usize];
        conn.state = ConnState::Away;
        conn.epoch = conn.epoch.wrapping_add(1);
        let (opened, epoch) = (conn.opened, conn.epoch);
        let (api, component) = (c.api, c.component);
        let a = &mut self.apis[api as usize];
        let api_component = a.component;
        let mut disconnect = None;
        if let Some(w) = a.ws.as_mut() {
            w.open -= 1;
            w.open_since -= u128::from(opened.as_micros());
            w.closed_micros += u128::from(now.since(opened).as_micros());
            w.closed[reason as usize] += 1;
            disconnect = w.disconnect_route;
        }
        self.record(
            api_component,
            None,
            TraceKind::WsClosed {
                clients: component,
                client,
                code: reason.code(),
                reason: reason.words(),
                connected: now.since(opened),
            },
        );
        if disconnect.is_some() {
            let integration = self.route_integration(api, disconnect);
            let request = self.ws_request(clients, client, WsPart::Disconnect, integration);
            self.api_integrate(request);
        }
        if self.ws_stopped(clients) {
            return;
        }
        let draw = self.api_rng.next_f64();
        let c = &mut self.clients[clients as usize];
        let wait = backoff_wait(
            c.spec.backoff,
            c.spec.backoff_base,
            c.spec.backoff_cap,
            1,
            draw,
        );
        self.events.schedule(
            now.saturating_add(wait),
            Event::WsConnect {
                clients,
                client,
                epoch,
            },
        );
    }

    // ----- reports ---------------------------------------------------------------------------

    /// Where every message sent on a WebSocket connection is, over every WebSocket API.
    pub fn ws_census(&self) -> WsCensus {
        let mut census = WsCensus::default();
        for w in self.apis.iter().filter_map(|a| a.ws.as_ref()) {
            census.add(&w.census);
        }
        census
    }

    /// No connection is open.
    pub(in crate::sim) fn ws_settled(&self) -> bool {
        self.apis
            .iter()
            .filter_map(|a| a.ws.as_ref())
            .all(|w| w.open == 0)
    }

    pub(super) fn check_ws_invariants(&self) -> Result<(), String> {
        let census = self.ws_census();
        if !census.balanced() {
            return Err(format!(
                "WebSocket message census out of balance: {census:?}"
            ));
        }
        let held = self
            .requests
            .iter()
            .filter(|r| r.live && r.ws == WsPart::Message)
            .count() as u64;
        if held != census.in_flight {
            return Err(format!(
                "{held} WebSocket messages are at the gateway, the census counts {}",
                census.in_flight
            ));
        }
        for (index, a) in self.apis.iter().enumerate() {
            let Some(w) = a.ws.as_ref() else { continue };
            let open = self
                .clients
                .iter()
                .filter(|c| c.api as usize == index)
                .flat_map(|c| c.conns.iter())
                .filter(|conn| conn.state == ConnState::Open)
                .count() as u64;
            if open != w.open {
                return Err(format!(
                    "{open} connections are open to API {index}, its counter says {}",
                    w.open
                ));
            }
        }
        Ok(())
    }

    pub(super) fn ws_stats(&self, a: &ApiRt) -> Option<WsStats> {
        let w = a.ws.as_ref()?;
        Some(WsStats {
            open_connections: w.open,
            connections_opened: w.opened,
            connections_refused: w.refused,
            closed_by_client: w.closed[CloseReason::Client as usize],
            closed_at_max_duration: w.closed[CloseReason::MaxDuration as usize],
            closed_idle: w.closed[CloseReason::Idle as usize],
            closed_too_large: w.closed[CloseReason::TooLarge as usize],
            messages: w.total.messages,
            metered_messages: w.metered,
            client_errors: w.total.client_errors,
            integration_errors: w.total.integration_errors,
            execution_errors: w.total.execution_errors,
            connection_minutes: w.connection_minutes(self.now),
            census: w.census,
        })
    }

    /// Open connections of one client population.
    pub(super) fn ws_open_of(&self, clients: u32) -> u64 {
        self.clients[clients as usize]
            .conns
            .iter()
            .filter(|conn| conn.state == ConnState::Open)
            .count() as u64
    }

    /// A WebSocket API's messages and connection-minutes, and their price, before the free
    /// tier.
    pub(super) fn ws_usage(&self, a: &ApiRt) -> Option<(u64, f64)> {
        let w = a.ws.as_ref()?;
        Some((w.metered, w.connection_minutes(self.now)))
    }

    pub(super) fn ws_metric_samples(
        &mut self,
        index: usize,
        now: SimTime,
        cost: f64,
        samples: &mut Vec<MetricSample>,
    ) {
        let a = &mut self.apis[index];
        let component = a.component;
        let (integrations, integration_ms) = (a.period.integrations, a.period.integration_ms_sum);
        a.period = ApiCounters::default();
        let Some(w) = a.ws.as_mut() else { return };
        for metric in crate::metrics::WEBSOCKET_API_METRICS {
            let value = match metric {
                Metric::ConnectCount => w.period.connect_count as f64,
                Metric::WebSocketMessageCount => w.period.messages as f64,
                Metric::IntegrationError => w.period.integration_errors as f64,
                Metric::ClientError => w.period.client_errors as f64,
                Metric::ExecutionError => w.period.execution_errors as f64,
                Metric::IntegrationLatency if integrations > 0 => {
                    integration_ms / integrations as f64
                }
                Metric::OpenConnections => w.open as f64,
                Metric::EstimatedCharges => cost,
                _ => continue,
            };
            samples.push(MetricSample {
                time: now,
                component,
                metric: *metric,
                value,
            });
        }
        w.period = WsCounters::default();
    }
}

/// The price of metered messages and connection-minutes.
pub fn ws_price(metered: u64, minutes: f64) -> f64 {
    metered as f64 * api_limits::PRICE_WS_MESSAGES_PER_MILLION / 1_000_000.0
        + minutes * api_limits::PRICE_WS_CONNECTION_MINUTES_PER_MILLION / 1_000_000.0
}
