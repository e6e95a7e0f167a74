//! The editor's model: the scenario being drawn, the selection, the viewport and the undo
//! history, changed only through [`apply`]. Free of Yew and DOM types so it tests natively.

pub mod viewport;

use std::collections::BTreeSet;

use loosely_scenario::{
    ApiParameters, ClientParameters, Component, Connection, ConsumerParameters, EndpointParameters,
    EventSourceMapping, Fault, LambdaParameters, LimitProfile, Node, Position, ProducerParameters,
    QueueParameters, Scenario, Subscription, TopicParameters,
};

pub use viewport::Viewport;

/// The size of a node on the canvas, world pixels; a component's position is its top-left
/// corner.
pub const NODE_WIDTH: f64 = 180.0;
pub const NODE_HEIGHT: f64 = 72.0;

/// Most edits kept for undo.
const UNDO_DEPTH: usize = 100;

/// The canvas grid, world pixels: dropped and moved nodes snap to it.
pub const GRID: f64 = 20.0;

/// Where pasted and duplicated components go, relative to their originals, world pixels.
pub const PASTE_OFFSET: f64 = 40.0;

/// The nearest grid point to `position`.
pub fn snap_to_grid(position: Position) -> Position {
    let snap = |value: f64| {
        if value.is_finite() {
            (value / GRID).round() * GRID
        } else {
            value
        }
    };
    Position {
        x: snap(position.x),
        y: snap(position.y),
    }
}

/// Copied components and the connections between them: what copy puts on the clipboard and
/// paste and duplicate insert.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fragment {
    pub components: Vec<Component>,
    pub connections: Vec<Connection>,
}

/// The selected components and the connections among them; `None` when nothing is selected.
pub fn copy_selection(state: &EditorState) -> Option<Fragment> {
    if state.selection.is_empty() {
        return None;
    }
    let selected = |id: &str| state.selection.contains(id);
    Some(Fragment {
        components: state
            .scenario
            .components
            .iter()
            .filter(|c| selected(c.id()))
            .cloned()
            .collect(),
        connections: state
            .scenario
            .connections
            .iter()
            .filter(|c| selected(&c.from) && selected(&c.to))
            .cloned()
            .collect(),
    })
}

/// What the palette offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaletteKind {
    Producer,
    SqsQueue,
    FifoQueue,
    Consumer,
    SnsTopic,
    Endpoint,
    LambdaFunction,
    ApiGateway,
    ClientPopulation,
    ApplicationLoadBalancer,
    BatchJobQueue,
    BatchComputeEnvironment,
    MqBroker,
    // Amazon AppFlow
    AppflowFlow,
}

impl PaletteKind {
    pub const ALL: [PaletteKind; 14] = [
        PaletteKind::Producer,
        PaletteKind::SqsQueue,
        PaletteKind::FifoQueue,
        PaletteKind::Consumer,
        PaletteKind::SnsTopic,
        PaletteKind::Endpoint,
        PaletteKind::LambdaFunction,
        PaletteKind::ApiGateway,
        PaletteKind::ClientPopulation,
        PaletteKind::ApplicationLoadBalancer,
        PaletteKind::BatchJobQueue,
        PaletteKind::BatchComputeEnvironment,
        PaletteKind::MqBroker,
        PaletteKind::AppflowFlow,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PaletteKind::Producer => "Producer",
            PaletteKind::SqsQueue => "SQS queue",
            PaletteKind::FifoQueue => "FIFO queue",
            PaletteKind::Consumer => "Consumer pool",
            PaletteKind::SnsTopic => "SNS topic",
            PaletteKind::Endpoint => "HTTP endpoint",
            PaletteKind::LambdaFunction => "Lambda function",
            PaletteKind::ApiGateway => "API Gateway",
            PaletteKind::ClientPopulation => "Client population",
            PaletteKind::ApplicationLoadBalancer => "Application Load Balancer",
            PaletteKind::BatchJobQueue => "Batch job queue",
            PaletteKind::BatchComputeEnvironment => "Batch compute environment",
            PaletteKind::MqBroker => "Amazon MQ broker",
            PaletteKind::AppflowFlow => "AppFlow flow",
        }
    }

    /// The prefix of fresh ids, also used in test ids (`palette-queue`).
    pub fn id_prefix(self) -> &'static str {
        match self {
            PaletteKind::Producer => "producer",
            PaletteKind::SqsQueue => "queue",
            PaletteKind::FifoQueue => "fifo-queue",
            PaletteKind::Consumer => "consumer",
            PaletteKind::SnsTopic => "topic",
            PaletteKind::Endpoint => "endpoint",
            PaletteKind::LambdaFunction => "function",
            PaletteKind::ApiGateway => "api",
            PaletteKind::ClientPopulation => "clients",
            PaletteKind::ApplicationLoadBalancer => "alb",
            PaletteKind::BatchJobQueue => "job-queue",
            PaletteKind::BatchComputeEnvironment => "compute-environment",
            PaletteKind::MqBroker => "broker",
            PaletteKind::AppflowFlow => "flow",
        }
    }

    fn component(self, id: String, position: Position) -> Component {
        match self {
            PaletteKind::Producer => Component::Producer(Node {
                id,
                name: String::new(),
                position,
                parameters: ProducerParameters::default(),
            }),
            PaletteKind::SqsQueue => Component::SqsQueue(Node {
                id,
                name: String::new(),
                position,
                parameters: QueueParameters::default(),
            }),
            PaletteKind::FifoQueue => Component::SqsQueue(Node {
                // A FIFO queue's name must end in `.fifo`.
                name: format!("{id}.fifo"),
                id,
                position,
                parameters: QueueParameters {
                    fifo_queue: Some(true),
                    ..QueueParameters::default()
                },
            }),
            PaletteKind::Consumer => Component::Consumer(Node {
                id,
                name: String::new(),
                position,
                parameters: ConsumerParameters::default(),
            }),
            PaletteKind::SnsTopic => Component::SnsTopic(Node {
                id,
                name: String::new(),
                position,
                parameters: TopicParameters::default(),
            }),
            PaletteKind::Endpoint => Component::Endpoint(Node {
                id,
                name: String::new(),
                position,
                parameters: EndpointParameters::default(),
            }),
            PaletteKind::LambdaFunction => Component::LambdaFunction(Node {
                id,
                name: String::new(),
                position,
                parameters: LambdaParameters::default(),
            }),
            PaletteKind::ApiGateway => Component::ApiGateway(Node {
                id,
                name: String::new(),
                position,
                parameters: ApiParameters::default(),
            }),
            PaletteKind::ClientPopulation => Component::ClientPopulation(Node {
                id,
                name: String::new(),
                position,
                parameters: ClientParameters::default(),
            }),
            PaletteKind::ApplicationLoadBalancer => Component::ApplicationLoadBalancer(Node {
                id,
                name: String::new(),
                position,
                parameters: Default::default(),
            }),
            PaletteKind::BatchJobQueue => Component::BatchJobQueue(Node {
                id,
                name: String::new(),
                position,
                parameters: Default::default(),
            }),
            PaletteKind::BatchComputeEnvironment => Component::BatchComputeEnvironment(Node {
                id,
                name: String::new(),
                position,
                parameters: Default::default(),
            }),
            PaletteKind::MqBroker => Component::MqBroker(Node {
                id,
                name: String::new(),
                position,
                parameters: Default::default(),
            }),
            PaletteKind::AppflowFlow => Component::AppflowFlow(Node {
                id,
                name: String::new(),
                position,
                parameters: Default::default(),
            }),
        }
    }
}

/// Everything the user can do to the editor.
impl EditorAction {
    /// Whether the action changes the scenario (or its history), as opposed to what is
    /// selected and where the view is. Loading a whole scenario (what a host page does to an
    /// embedded, read-only playground) replaces it rather than editing it.
    pub fn is_edit(&self) -> bool {
        !matches!(
            self,
            EditorAction::Load(_)
                | EditorAction::Select { .. }
                | EditorAction::ClearSelection
                | EditorAction::Pan { .. }
                | EditorAction::Zoom { .. }
                | EditorAction::SelectMany { .. }
                | EditorAction::SelectConnection { .. }
                | EditorAction::FitView { .. }
        )
    }
}

/// What a read-only canvas answers to an edit.
pub const READ_ONLY: &str =
    "This scenario is read-only here: open it in the playground to change it.";

#[derive(Clone, Debug, PartialEq)]
pub enum EditorAction {
    AddComponent {
        kind: PaletteKind,
        position: Position,
    },
    MoveComponent {
        id: String,
        position: Position,
    },
    Connect {
        from: String,
        to: String,
    },
    DeleteSelection,
    Select {
        id: String,
        additive: bool,
    },
    ClearSelection,
    Rename {
        id: String,
        name: String,
    },
    Undo,
    Redo,
    Pan {
        dx: f64,
        dy: f64,
    },
    Zoom {
        factor: f64,
        around: (f64, f64),
    },
    /// Rubber-band selection: these components, replacing the selection or added to it.
    SelectMany {
        ids: Vec<String>,
        additive: bool,
    },
    /// Inserts copies of a fragment with fresh ids, moved by `offset` world pixels, and
    /// selects them (paste and duplicate).
    Paste {
        fragment: Fragment,
        offset: (f64, f64),
    },
    /// Replaces the whole scenario (import, gallery); undoable.
    Load(Box<Scenario>),
    /// Sets one parameter of a component (`None`: back to its default); refused with the
    /// validator's sentence when the value is not allowed.
    SetParameter {
        id: String,
        name: String,
        value: Option<serde_json::Value>,
    },
    /// Which table of AWS limits the scenario runs under; undoable.
    SetLimitProfile(LimitProfile),
    /// The seed of the simulation's random numbers; undoable.
    SetSeed(u64),
    /// Selects the arrow `from → to` (a subscription, to inspect it); clears the components'
    /// selection.
    SelectConnection {
        from: String,
        to: String,
    },
    /// Sets the attributes of the subscription `from → to` (an SNS topic's arrow); refused
    /// with the validator's sentence when they are not valid.
    SetSubscription {
        from: String,
        to: String,
        subscription: Box<Subscription>,
    },
    /// Sets the settings of the event source mapping `from → to` (a queue's arrow into a
    /// Lambda function); refused with the validator's sentence when they are not valid.
    SetEventSourceMapping {
        from: String,
        to: String,
        mapping: EventSourceMapping,
    },
    /// Replaces the faults of the timeline that act on `component` with `faults` (the
    /// faults of other components stay as they are); refused with the validator's sentence
    /// when one is not valid.
    SetFaults {
        component: String,
        faults: Vec<Fault>,
    },
    /// Pans and zooms so that every component fits a canvas of this many screen pixels.
    FitView {
        width: f64,
        height: f64,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct EditorState {
    pub scenario: Scenario,
    pub selection: BTreeSet<String>,
    /// The selected arrow, `(from, to)`, when an arrow rather than components is selected.
    pub selected_connection: Option<(String, String)>,
    pub viewport: Viewport,
    pub undo: Vec<Scenario>,
    pub redo: Vec<Scenario>,
    /// An embedded, read-only canvas: selecting, panning and zooming work; edits are refused.
    pub readonly: bool,
}

impl EditorState {
    pub fn new(scenario: Scenario) -> EditorState {
        EditorState {
            scenario,
            selection: BTreeSet::new(),
            selected_connection: None,
            viewport: Viewport::default(),
            undo: Vec::new(),
            redo: Vec::new(),
            readonly: false,
        }
    }

    pub fn component(&self, id: &str) -> Option<&Component> {
        self.scenario.components.iter().find(|c| c.id() == id)
    }

    /// `{prefix}-{n}` for the smallest n from 1 that no component uses.
    pub fn fresh_id(&self, prefix: &str) -> String {
        (1..)
            .map(|n| format!("{prefix}-{n}"))
            .find(|id| self.component(id).is_none())
            .unwrap_or_else(|| prefix.to_string())
    }

    /// A copy whose scenario is `scenario`, with the current one pushed for undo.
    fn edited(&self, scenario: Scenario) -> EditorState {
        let mut undo = self.undo.clone();
        undo.push(self.scenario.clone());
        if undo.len() > UNDO_DEPTH {
            undo.remove(0);
        }
        EditorState {
            scenario,
            selection: self.selection.clone(),
            selected_connection: self.selected_connection.clone(),
            viewport: self.viewport,
            undo,
            redo: Vec::new(),
            readonly: self.readonly,
        }
    }

    /// Drops selected ids that no longer name a component, and a selected arrow that is gone.
    fn prune_selection(mut self) -> EditorState {
        let scenario = &self.scenario;
        self.selection
            .retain(|id| scenario.components.iter().any(|c| c.id() == id));
        if let Some((from, to)) = &self.selected_connection {
            if self.connection_index(from, to).is_none() {
                self.selected_connection = None;
            }
        }
        self
    }

    /// The index of the arrow `from → to` in the scenario's connections.
    pub fn connection_index(&self, from: &str, to: &str) -> Option<usize> {
        self.scenario
            .connections
            .iter()
            .position(|c| c.from == from && c.to == to)
    }
}

fn with_article(words: &str) -> String {
    // "an SNS topic", "an S3 bucket": the letter S is said "ess"; "an Amazon MQ broker".
    match words.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'S') => format!("an {words}"),
        _ => format!("a {words}"),
    }
}

/// Why `from → to` cannot be an arrow, with the scenario validator's rules; `None` when it
/// can.
pub fn connection_refusal(scenario: &Scenario, from: &str, to: &str) -> Option<String> {
    let find = |id: &str| scenario.components.iter().find(|c| c.id() == id);
    let Some(source) = find(from) else {
        return Some(format!("\"{from}\" is not the id of a component"));
    };
    let Some(target) = find(to) else {
        return Some(format!("\"{to}\" is not the id of a component"));
    };
    if from == to {
        return Some(format!("\"{from}\" cannot be connected to itself"));
    }
    if scenario
        .connections
        .iter()
        .any(|c| c.from == from && c.to == to)
    {
        return Some(format!("\"{from}\" is already connected to \"{to}\""));
    }
    let kind_refusal = match (source, target) {
        (
            Component::ClientPopulation(_),
            Component::ApiGateway(_) | Component::ApplicationLoadBalancer(_),
        )
        | (
            Component::ApiGateway(_),
            Component::LambdaFunction(_)
            | Component::SqsQueue(_)
            | Component::SnsTopic(_)
            | Component::StateMachine(_)
            | Component::Endpoint(_),
        ) => scenario
            .connections
            .iter()
            .find(|c| c.from == from)
            .map(|existing| {
                format!(
                    "{} has exactly one arrow out; \"{from}\" already goes to \"{}\"",
                    with_article(source.kind_words()),
                    existing.to
                )
            }),
        (_, Component::ApiGateway(_)) => Some(format!(
            "an API Gateway API is called by a client population connected to it; \"{from}\" is {}",
            with_article(source.kind_words())
        )),
        (_, Component::ClientPopulation(_)) => Some(format!(
            "nothing connects into a client population; \"{to}\" is one, connect it to the API or load balancer it calls"
        )),
        (_, Component::ApplicationLoadBalancer(_)) => Some(format!(
            "an Application Load Balancer is called by a client population connected to it; \"{from}\" is {}",
            with_article(source.kind_words())
        )),
        (Component::ApplicationLoadBalancer(_), _) => Some(
            "an Application Load Balancer has no arrows out: its targets are its own instances (set in the inspector)"
                .to_string(),
        ),
        (
            Component::Producer(_),
            Component::SqsQueue(_)
            | Component::SnsTopic(_)
            | Component::StateMachine(_)
            | Component::BatchJobQueue(_)
            | Component::MqBroker(_),
        ) => {
            scenario.connections.iter().find(|c| c.from == from).map(|existing| {
                format!(
                    "a producer sends to exactly one queue, SNS topic, state machine, Batch job queue or Amazon MQ broker; \"{from}\" already sends to \"{}\"",
                    existing.to
                )
            })
        }
        (
            Component::SnsTopic(_),
            Component::SqsQueue(_) | Component::Endpoint(_) | Component::LambdaFunction(_),
        ) => None,
        (Component::SqsQueue(_), Component::LambdaFunction(_)) => None,
        (_, Component::LambdaFunction(_)) => Some(format!(
            "a Lambda function is invoked by an SQS queue connected to it (an event source mapping) or by an SNS topic it subscribes to; \"{from}\" is {}",
            with_article(source.kind_words())
        )),
        (Component::SqsQueue(_), Component::Consumer(_)) => {
            scenario.connections.iter().find(|c| c.to == to).map(|existing| {
                format!(
                    "a consumer reads from exactly one queue; \"{to}\" already reads from \"{}\"",
                    existing.from
                )
            })
        }
        (Component::Consumer(_) | Component::LambdaFunction(_), Component::StateMachine(_)) => {
            scenario
                .connections
                .iter()
                .find(|c| {
                    c.from == from
                        && matches!(find(&c.to), Some(Component::StateMachine(_)))
                })
                .map(|existing| {
                    format!(
                        "{} starts executions of one state machine; \"{from}\" already starts \"{}\"",
                        source.starter_words(),
                        existing.to
                    )
                })
        }
        (Component::MqBroker(_), Component::Consumer(_)) => {
            scenario.connections.iter().find(|c| c.to == to).map(|existing| {
                format!(
                    "a consumer reads from exactly one queue or broker; \"{to}\" already reads from \"{}\"",
                    existing.from
                )
            })
        }
        (_, Component::MqBroker(_)) => Some(format!(
            "an Amazon MQ broker receives messages from a producer connected to it; \"{from}\" is {}",
            with_article(source.kind_words())
        )),
        (Component::BatchJobQueue(_), Component::BatchComputeEnvironment(_)) => {
            let used = scenario.connections.iter().filter(|c| c.from == from).count();
            (used >= 3).then(|| {
                format!("a job queue uses at most 3 compute environments; \"{from}\" already has {used}")
            })
        }
        (_, Component::BatchComputeEnvironment(_)) => Some(format!(
            "a compute environment is connected from the Batch job queues that use it; \"{from}\" is {}",
            with_article(source.kind_words())
        )),
        (_, Component::BatchJobQueue(_)) => Some(format!(
            "a Batch job queue receives jobs from a producer (or a state machine's batch:submitJob task); \"{from}\" is {}",
            with_article(source.kind_words())
        )),
        (_, Component::StateMachine(_)) => Some(format!(
            "a state machine is started by a producer, a consumer pool or a Lambda function connected to it; \"{from}\" is {}",
            with_article(source.kind_words())
        )),
        (_, Component::Consumer(_)) => Some(format!(
            "a consumer reads from a queue; \"{from}\" is {}",
            with_article(source.kind_words())
        )),
        (Component::SqsQueue(_), Component::SqsQueue(_)) => Some(
            "a queue is not connected to another queue; a dead-letter queue is set with the source queue's RedrivePolicy".to_string(),
        ),
        (_, Component::SqsQueue(_)) => Some(format!(
            "a queue receives messages from a producer or an SNS topic; \"{from}\" is {}",
            with_article(source.kind_words())
        )),
        (_, Component::SnsTopic(_)) => Some(format!(
            "an SNS topic receives messages a producer publishes; \"{from}\" is {}",
            with_article(source.kind_words())
        )),
        (_, Component::Endpoint(_)) => Some(format!(
            "an endpoint receives deliveries of an SNS topic it subscribes to; \"{from}\" is {}",
            with_article(source.kind_words())
        )),
        (_, Component::S3Bucket(_)) => Some(format!(
            "nothing connects into an S3 bucket; a producer stores large bodies in \"{to}\" through its message.extended_client_bucket"
        )),
        (_, Component::Producer(_)) => Some(format!(
            "nothing connects into a producer; \"{to}\" is a producer, connect it to the queue or topic it sends to"
        )),
        (Component::AppflowFlow(_), _) | (_, Component::AppflowFlow(_)) => Some(
            "an AppFlow flow has no arrows: its source and destination are set in the inspector"
                .to_string(),
        ),
    };
    kind_refusal.map(|reason| format!("Cannot connect \"{from}\" to \"{to}\": {reason}."))
}

/// The reducer: the state after `action`, or a sentence saying why it was refused (the
/// state is then unchanged).
pub fn apply(state: &EditorState, action: EditorAction) -> Result<EditorState, String> {
    if state.readonly && action.is_edit() {
        return Err(READ_ONLY.to_string());
    }
    match action {
        EditorAction::AddComponent { kind, position } => {
            let id = state.fresh_id(kind.id_prefix());
            let mut scenario = state.scenario.clone();
            scenario
                .components
                .push(kind.component(id.clone(), position));
            let mut next = state.edited(scenario);
            next.selection = BTreeSet::from([id]);
            Ok(next)
        }
        EditorAction::MoveComponent { id, position } => {
            if !position.x.is_finite() || !position.y.is_finite() {
                return Err(format!(
                    "Cannot move \"{id}\" to a position that is not a number."
                ));
            }
            let mut scenario = state.scenario.clone();
            let Some(component) = scenario.components.iter_mut().find(|c| c.id() == id) else {
                return Err(format!("Cannot move \"{id}\": there is no such component."));
            };
            if component.position() == position {
                return Ok(state.clone());
            }
            component.set_position(position);
            Ok(state.edited(scenario))
        }
        EditorAction::Connect { from, to } => {
            if let Some(refusal) = connection_refusal(&state.scenario, &from, &to) {
                return Err(refusal);
            }
            let mut scenario = state.scenario.clone();
            scenario.connections.push(Connection {
                from,
                to,
                subscription: None,
                event_source_mapping: None,
            });
            Ok(state.edited(scenario))
        }
        EditorAction::DeleteSelection => {
            if let Some((from, to)) = &state.selected_connection {
                let mut scenario = state.scenario.clone();
                scenario
                    .connections
                    .retain(|c| !(&c.from == from && &c.to == to));
                return Ok(state.edited(scenario).prune_selection());
            }
            if state.selection.is_empty() {
                return Ok(state.clone());
            }
            let gone = &state.selection;
            let mut scenario = state.scenario.clone();
            scenario.components.retain(|c| !gone.contains(c.id()));
            scenario
                .connections
                .retain(|c| !gone.contains(&c.from) && !gone.contains(&c.to));
            scenario
                .alarms
                .retain(|alarm| !gone.contains(&alarm.component));
            // A RedrivePolicy that names a deleted dead-letter queue goes too.
            for component in &mut scenario.components {
                if let Component::SqsQueue(queue) = component {
                    let names_gone = queue
                        .parameters
                        .redrive_policy
                        .as_ref()
                        .is_some_and(|policy| gone.contains(&policy.dead_letter_target_arn));
                    if names_gone {
                        queue.parameters.redrive_policy = None;
                    }
                }
            }
            Ok(state.edited(scenario).prune_selection())
        }
        EditorAction::Select { id, additive } => {
            if state.component(&id).is_none() {
                return Err(format!(
                    "Cannot select \"{id}\": there is no such component."
                ));
            }
            let mut next = state.clone();
            next.selected_connection = None;
            if additive {
                if !next.selection.remove(&id) {
                    next.selection.insert(id);
                }
            } else {
                next.selection = BTreeSet::from([id]);
            }
            Ok(next)
        }
        EditorAction::ClearSelection => {
            let mut next = state.clone();
            next.selection.clear();
            next.selected_connection = None;
            Ok(next)
        }
        EditorAction::Rename { id, name } => {
            let name = name.trim().to_string();
            if name.is_empty() {
                return Err(format!("Cannot rename \"{id}\": a name cannot be empty."));
            }
            let mut scenario = state.scenario.clone();
            let Some(component) = scenario.components.iter_mut().find(|c| c.id() == id) else {
                return Err(format!(
                    "Cannot rename \"{id}\": there is no such component."
                ));
            };
            component.set_name(name);
            Ok(state.edited(scenario))
        }
        EditorAction::Undo => {
            let mut next = state.clone();
            let Some(previous) = next.undo.pop() else {
                return Err("There is nothing to undo.".to_string());
            };
            next.redo
                .push(std::mem::replace(&mut next.scenario, previous));
            Ok(next.prune_selection())
        }
        EditorAction::Redo => {
            let mut next = state.clone();
            let Some(following) = next.redo.pop() else {
                return Err("There is nothing to redo.".to_string());
            };
            next.undo
                .push(std::mem::replace(&mut next.scenario, following));
            Ok(next.prune_selection())
        }
        EditorAction::Pan { dx, dy } => {
            let mut next = state.clone();
            if dx.is_finite() && dy.is_finite() {
                next.viewport = state.viewport.panned(dx, dy);
            }
            Ok(next)
        }
        EditorAction::Zoom { factor, around } => {
            let mut next = state.clone();
            next.viewport = state.viewport.zoomed(factor, around);
            Ok(next)
        }
        EditorAction::SelectMany { ids, additive } => {
            let mut next = state.clone();
            next.selected_connection = None;
            if !additive {
                next.selection.clear();
            }
            next.selection.extend(ids);
            Ok(next.prune_selection())
        }
        EditorAction::Paste { fragment, offset } => paste(state, fragment, offset),
        EditorAction::SelectConnection { from, to } => {
            if state.connection_index(&from, &to).is_none() {
                return Err(format!(
                    "Cannot select the arrow from \"{from}\" to \"{to}\": there is no such arrow."
                ));
            }
            let mut next = state.clone();
            next.selection.clear();
            next.selected_connection = Some((from, to));
            Ok(next)
        }
        EditorAction::SetSubscription {
            from,
            to,
            subscription,
        } => {
            let Some(index) = state.connection_index(&from, &to) else {
                return Err(format!(
                    "Cannot change the subscription from \"{from}\" to \"{to}\": there is no such arrow."
                ));
            };
            if !matches!(state.component(&from), Some(Component::SnsTopic(_))) {
                return Err(format!(
                    "\"{from}\" is not an SNS topic: only a topic's arrows are subscriptions."
                ));
            }
            let mut scenario = state.scenario.clone();
            scenario.connections[index].subscription =
                (*subscription != Subscription::default()).then_some(*subscription);
            if scenario.connections[index] == state.scenario.connections[index] {
                return Ok(state.clone());
            }
            validated_edit(
                state,
                scenario,
                &format!("connections[{index}]"),
                "The subscription",
            )
        }
        EditorAction::SetEventSourceMapping { from, to, mapping } => {
            let Some(index) = state.connection_index(&from, &to) else {
                return Err(format!(
                    "Cannot change the event source mapping from \"{from}\" to \"{to}\": there is no such arrow."
                ));
            };
            if !matches!(
                (state.component(&from), state.component(&to)),
                (
                    Some(Component::SqsQueue(_)),
                    Some(Component::LambdaFunction(_))
                )
            ) {
                return Err(format!(
                    "\"{from}\" → \"{to}\" is not an event source mapping: only an arrow from a queue to a Lambda function is one."
                ));
            }
            let mut scenario = state.scenario.clone();
            scenario.connections[index].event_source_mapping =
                (mapping != EventSourceMapping::default()).then_some(mapping);
            if scenario.connections[index] == state.scenario.connections[index] {
                return Ok(state.clone());
            }
            validated_edit(
                state,
                scenario,
                &format!("connections[{index}]"),
                "The event source mapping",
            )
        }
        EditorAction::SetFaults { component, faults } => {
            if state.component(&component).is_none() {
                return Err(format!(
                    "Cannot change the faults of \"{component}\": there is no such component."
                ));
            }
            if let Some(other) = faults.iter().find(|f| f.component != component) {
                return Err(format!(
                    "A fault of \"{component}\" cannot act on \"{}\".",
                    other.component
                ));
            }
            // The component's faults take the place of its first one, so the other faults
            // keep their order (and their paths, `faults[i]`).
            let mut scenario = state.scenario.clone();
            let at = scenario
                .faults
                .iter()
                .position(|f| f.component == component)
                .unwrap_or(scenario.faults.len());
            let before = scenario.faults[..at].to_vec();
            let after = scenario.faults[at..]
                .iter()
                .filter(|f| f.component != component)
                .cloned();
            scenario.faults = before.into_iter().chain(faults).chain(after).collect();
            if scenario.faults == state.scenario.faults {
                return Ok(state.clone());
            }
            validated_edit(state, scenario, "faults", "The fault timeline")
        }
        EditorAction::SetParameter { id, name, value } => {
            let Some(index) = state.scenario.components.iter().position(|c| c.id() == id) else {
                return Err(format!(
                    "Cannot change \"{id}\": there is no such component."
                ));
            };
            let changed = crate::inspector_model::with_value(
                &state.scenario.components[index],
                &name,
                value,
            )?;
            if changed == state.scenario.components[index] {
                return Ok(state.clone());
            }
            let mut scenario = state.scenario.clone();
            scenario.components[index] = changed;
            validated_edit(
                state,
                scenario,
                &format!("components[{index}].parameters.{name}"),
                &name,
            )
        }
        EditorAction::SetSeed(seed) => {
            if state.scenario.seed == seed {
                return Ok(state.clone());
            }
            let mut scenario = state.scenario.clone();
            scenario.seed = seed;
            Ok(state.edited(scenario))
        }
        EditorAction::SetLimitProfile(profile) => {
            if state.scenario.limit_profile == profile {
                return Ok(state.clone());
            }
            let mut scenario = state.scenario.clone();
            scenario.limit_profile = profile;
            Ok(state.edited(scenario))
        }
        EditorAction::Load(scenario) => {
            let mut next = state.edited(*scenario);
            next.selection.clear();
            next.viewport = Viewport::default();
            Ok(next)
        }
        EditorAction::FitView { width, height } => {
            let mut next = state.clone();
            next.viewport = fitted(&state.scenario, width, height).unwrap_or(state.viewport);
            Ok(next)
        }
    }
}

/// `scenario` as the next edit, unless the validator finds a problem under `path` (the part
/// just edited); then the refusal names `what` and every such problem.
fn validated_edit(
    state: &EditorState,
    scenario: Scenario,
    path: &str,
    what: &str,
) -> Result<EditorState, String> {
    let problems: Vec<String> = scenario
        .validate()
        .into_iter()
        .filter(|issue| issue.path.starts_with(path))
        .map(|issue| issue.to_string())
        .collect();
    if problems.is_empty() {
        Ok(state.edited(scenario))
    } else {
        Err(format!("{what} was not changed: {}.", problems.join("; ")))
    }
}

/// Inserts copies of `fragment`: fresh ids (`orders-copy-1`), names equal to the new ids
/// (with `.fifo` kept for FIFO queues and topics, whose names must end in it), connections
/// and dead-letter queues among the copies pointing at the copies.
fn paste(
    state: &EditorState,
    fragment: Fragment,
    offset: (f64, f64),
) -> Result<EditorState, String> {
    if fragment.components.is_empty() {
        return Err("There is nothing to paste.".to_string());
    }
    if !offset.0.is_finite() || !offset.1.is_finite() {
        return Err("Cannot paste at a position that is not a number.".to_string());
    }
    let mut scenario = state.scenario.clone();
    let mut renamed: Vec<(String, String)> = Vec::new();
    for original in &fragment.components {
        let probe = EditorState::new(scenario.clone());
        let id = probe.fresh_id(&format!("{}-copy", original.id()));
        let mut copy = original.clone();
        let name = if original.name().ends_with(".fifo") {
            format!("{id}.fifo")
        } else if original.name().is_empty() {
            String::new()
        } else {
            id.clone()
        };
        copy.set_id(id.clone());
        copy.set_name(name);
        let at = original.position();
        copy.set_position(Position {
            x: at.x + offset.0,
            y: at.y + offset.1,
        });
        renamed.push((original.id().to_string(), id));
        scenario.components.push(copy);
    }
    let new_id = |old: &str| {
        renamed
            .iter()
            .find(|(from, _)| from == old)
            .map(|(_, to)| to.clone())
    };
    let first_new = scenario.components.len() - renamed.len();
    for component in &mut scenario.components[first_new..] {
        if let Component::SqsQueue(queue) = component {
            if let Some(policy) = queue.parameters.redrive_policy.as_mut() {
                if let Some(copy) = new_id(&policy.dead_letter_target_arn) {
                    policy.dead_letter_target_arn = copy;
                }
            }
        }
    }
    for connection in &fragment.connections {
        let (Some(from), Some(to)) = (new_id(&connection.from), new_id(&connection.to)) else {
            continue;
        };
        let mut subscription = connection.subscription.clone();
        if let Some(policy) = subscription
            .as_mut()
            .and_then(|s| s.redrive_policy.as_mut())
        {
            if let Some(copy) = new_id(&policy.dead_letter_target_arn) {
                policy.dead_letter_target_arn = copy;
            }
        }
        scenario.connections.push(Connection {
            from,
            to,
            subscription,
            event_source_mapping: connection.event_source_mapping.clone(),
        });
    }
    let mut next = state.edited(scenario);
    next.selection = renamed.into_iter().map(|(_, id)| id).collect();
    Ok(next)
}

/// The smallest zoom a scenario is fitted to by itself when it opens: a bigger drawing
/// stays at its size (its names would be unreadable, and drawing every node of a large
/// scenario at once slows each frame); Fit shows it whole.
pub const AUTO_FIT_MIN_ZOOM: f64 = 0.6;

/// Whether a scenario opening at `viewport` on a `width` × `height` canvas is fitted by
/// itself: it reaches past the right or bottom edge, and fitting it needs a zoom of at
/// least [`AUTO_FIT_MIN_ZOOM`].
pub fn fits_on_open(scenario: &Scenario, viewport: Viewport, width: f64, height: f64) -> bool {
    overflows(scenario, viewport, width, height)
        && fitted(scenario, width, height).is_some_and(|fit| fit.zoom >= AUTO_FIT_MIN_ZOOM)
}

/// Whether a scenario shown at `viewport` reaches past the right or bottom edge of a
/// `width` × `height` canvas.
pub fn overflows(scenario: &Scenario, viewport: Viewport, width: f64, height: f64) -> bool {
    if !(width > 0.0 && height > 0.0) {
        return false;
    }
    scenario.components.iter().any(|c| {
        let p = c.position();
        (p.x + NODE_WIDTH) * viewport.zoom + viewport.x > width
            || (p.y + NODE_HEIGHT) * viewport.zoom + viewport.y > height
    })
}

/// The viewport that shows every component of `scenario` in `width` × `height` screen
/// pixels with a margin, at most at zoom 1; `None` when there is nothing to fit.
fn fitted(scenario: &Scenario, width: f64, height: f64) -> Option<Viewport> {
    const MARGIN: f64 = 40.0;
    if !(width.is_finite() && height.is_finite() && width > 0.0 && height > 0.0) {
        return None;
    }
    let positions: Vec<Position> = scenario.components.iter().map(|c| c.position()).collect();
    let left = positions.iter().map(|p| p.x).fold(f64::INFINITY, f64::min);
    let top = positions.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
    let right = positions
        .iter()
        .map(|p| p.x + NODE_WIDTH)
        .fold(f64::NEG_INFINITY, f64::max);
    let bottom = positions
        .iter()
        .map(|p| p.y + NODE_HEIGHT)
        .fold(f64::NEG_INFINITY, f64::max);
    if !(left.is_finite() && top.is_finite() && right.is_finite() && bottom.is_finite()) {
        return None;
    }
    let zoom = ((width - 2.0 * MARGIN) / (right - left))
        .min((height - 2.0 * MARGIN) / (bottom - top))
        .clamp(viewport::MIN_ZOOM, 1.0);
    // Centred: the middle of the drawing at the middle of the canvas.
    Some(Viewport {
        x: width / 2.0 - (left + right) / 2.0 * zoom,
        y: height / 2.0 - (top + bottom) / 2.0 * zoom,
        zoom,
    })
}

/// The validation problems (lines `path: message`) that belong to a component, by its id:
/// those whose path starts with `components[i]`.
pub fn problems_by_component(scenario: &Scenario, problems: &str) -> Vec<(String, String)> {
    problems
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("components[")?;
            let index: usize = rest.split(']').next()?.parse().ok()?;
            let component = scenario.components.get(index)?;
            Some((component.id().to_string(), line.to_string()))
        })
        .collect()
}

/// True when `a` and `b` differ only in where their components sit (a move does not need a
/// new simulation).
pub fn same_but_positions(a: &Scenario, b: &Scenario) -> bool {
    let strip = |scenario: &Scenario| {
        let mut copy = scenario.clone();
        for component in &mut copy.components {
            component.set_position(Position::default());
        }
        copy
    };
    a.components.len() == b.components.len() && strip(a) == strip(b)
}

#[cfg(test)]
mod tests;
