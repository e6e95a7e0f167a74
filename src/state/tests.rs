use super::*;

const BUNDLED: &str = include_str!("../../examples/worker-pool-dlq.json");

fn bundled() -> EditorState {
    EditorState::new(Scenario::from_json(BUNDLED).expect("the bundled scenario parses"))
}

fn at(x: f64, y: f64) -> Position {
    Position { x, y }
}

fn ok(state: &EditorState, action: EditorAction) -> EditorState {
    apply(state, action.clone()).unwrap_or_else(|error| panic!("{action:?} refused: {error}"))
}

/// Adds one component of each kind at the origin, in order.
fn add_all(state: &EditorState, kinds: impl IntoIterator<Item = PaletteKind>) -> EditorState {
    kinds.into_iter().fold(state.clone(), |state, kind| {
        ok(
            &state,
            EditorAction::AddComponent {
                kind,
                position: at(0.0, 0.0),
            },
        )
    })
}

/// Connects each pair, in order.
fn connect_all(state: &EditorState, pairs: &[(&str, &str)]) -> EditorState {
    pairs.iter().fold(state.clone(), |state, (from, to)| {
        ok(
            &state,
            EditorAction::Connect {
                from: (*from).into(),
                to: (*to).into(),
            },
        )
    })
}

fn ids(state: &EditorState) -> Vec<&str> {
    state.scenario.components.iter().map(|c| c.id()).collect()
}

#[test]
fn adding_gives_fresh_ids_selects_the_new_component_and_undoes() {
    let state = bundled();
    let one = ok(
        &state,
        EditorAction::AddComponent {
            kind: PaletteKind::SqsQueue,
            position: at(10.0, 20.0),
        },
    );
    let two = ok(
        &one,
        EditorAction::AddComponent {
            kind: PaletteKind::SqsQueue,
            position: at(30.0, 40.0),
        },
    );
    assert_eq!(ids(&two)[4..], ["queue-1", "queue-2"]);
    assert_eq!(two.selection, BTreeSet::from(["queue-2".to_string()]));
    assert_eq!(
        two.component("queue-2").map(Component::position),
        Some(at(30.0, 40.0))
    );
    let undone = ok(&two, EditorAction::Undo);
    assert_eq!(undone.scenario, one.scenario);
    assert!(
        undone.selection.is_empty(),
        "the selection names only components"
    );
    let redone = ok(&undone, EditorAction::Redo);
    assert_eq!(redone.scenario, two.scenario);
}

#[test]
fn every_palette_kind_can_be_added_and_a_fifo_queue_is_named_fifo() {
    let mut state = bundled();
    state = add_all(&state, PaletteKind::ALL);
    assert_eq!(
        ids(&state)[4..],
        [
            "producer-1",
            "queue-1",
            "fifo-queue-1",
            "consumer-1",
            "topic-1",
            "endpoint-1",
            "function-1",
            "api-1",
            "clients-1",
            "alb-1",
            "job-queue-1",
            "compute-environment-1",
            "broker-1",
            "flow-1"
        ]
    );
    let fifo = state.component("fifo-queue-1").expect("added");
    assert_eq!(fifo.display_name(), "fifo-queue-1.fifo");
    assert_eq!(state.undo.len(), 14);
}

#[test]
fn moving_changes_the_position_and_undoes() {
    let state = bundled();
    let moved = ok(
        &state,
        EditorAction::MoveComponent {
            id: "orders".into(),
            position: at(1.0, 2.0),
        },
    );
    assert_eq!(
        moved.component("orders").map(Component::position),
        Some(at(1.0, 2.0))
    );
    assert!(same_but_positions(&state.scenario, &moved.scenario));
    assert_eq!(ok(&moved, EditorAction::Undo).scenario, state.scenario);
    let error = apply(
        &state,
        EditorAction::MoveComponent {
            id: "nobody".into(),
            position: at(0.0, 0.0),
        },
    )
    .expect_err("unknown id");
    assert!(error.contains("no such component"), "{error}");
}

#[test]
fn connecting_follows_the_validator_rules() {
    let mut state = bundled();
    state = add_all(
        &state,
        [
            PaletteKind::SnsTopic,
            PaletteKind::Endpoint,
            PaletteKind::Producer,
        ],
    );
    state = connect_all(
        &state,
        &[
            ("producer-1", "topic-1"),
            ("topic-1", "orders-dlq"),
            ("topic-1", "endpoint-1"),
        ],
    );
    assert!(!same_but_positions(&bundled().scenario, &state.scenario));
    let refusal = |from: &str, to: &str| {
        apply(
            &state,
            EditorAction::Connect {
                from: from.into(),
                to: to.into(),
            },
        )
        .expect_err("refused")
    };
    assert_eq!(
        refusal("workers", "orders"),
        "Cannot connect \"workers\" to \"orders\": a queue receives messages from a producer or an SNS topic; \"workers\" is a consumer."
    );
    assert!(refusal("orders", "orders-dlq").contains("RedrivePolicy"));
    assert!(refusal("topic-1", "workers")
        .contains("a consumer reads from a queue; \"topic-1\" is an SNS topic"));
    assert!(refusal("orders", "topic-1")
        .contains("an SNS topic receives messages a producer publishes"));
    assert!(refusal("orders", "endpoint-1").contains("an endpoint receives deliveries"));
    assert!(refusal("orders", "shop").contains("nothing connects into a producer"));
    assert!(refusal("shop", "orders-dlq").contains("already sends to \"orders\""));
    assert!(refusal("orders-dlq", "workers").contains("already reads from \"orders\""));
    assert!(refusal("shop", "orders").contains("already connected"));
    assert!(refusal("shop", "shop").contains("itself"));
    assert!(refusal("shop", "ghost").contains("not the id of a component"));
    let undone = ok(&state, EditorAction::Undo);
    assert_eq!(undone.scenario.connections.len(), 4);
}

#[test]
fn deleting_removes_connections_alarms_and_redrive_policies() {
    let state = ok(
        &bundled(),
        EditorAction::Select {
            id: "orders-dlq".into(),
            additive: false,
        },
    );
    let state = ok(
        &state,
        EditorAction::Select {
            id: "workers".into(),
            additive: true,
        },
    );
    let deleted = ok(&state, EditorAction::DeleteSelection);
    assert_eq!(ids(&deleted), ["shop", "orders"]);
    assert_eq!(deleted.scenario.connections.len(), 1);
    assert!(deleted.scenario.alarms.is_empty());
    let Some(Component::SqsQueue(orders)) = deleted.component("orders") else {
        panic!("orders is a queue");
    };
    assert!(orders.parameters.redrive_policy.is_none());
    assert!(deleted.selection.is_empty());
    let undone = ok(&deleted, EditorAction::Undo);
    assert_eq!(undone.scenario, bundled().scenario);
    // Deleting nothing changes nothing and is not an edit.
    assert_eq!(ok(&bundled(), EditorAction::DeleteSelection).undo.len(), 0);
}

#[test]
fn selecting_replaces_or_toggles_and_clearing_empties() {
    let state = bundled();
    let one = ok(
        &state,
        EditorAction::Select {
            id: "shop".into(),
            additive: false,
        },
    );
    let two = ok(
        &one,
        EditorAction::Select {
            id: "orders".into(),
            additive: true,
        },
    );
    assert_eq!(two.selection.len(), 2);
    let toggled = ok(
        &two,
        EditorAction::Select {
            id: "shop".into(),
            additive: true,
        },
    );
    assert_eq!(toggled.selection, BTreeSet::from(["orders".to_string()]));
    let replaced = ok(
        &two,
        EditorAction::Select {
            id: "workers".into(),
            additive: false,
        },
    );
    assert_eq!(replaced.selection, BTreeSet::from(["workers".to_string()]));
    assert!(ok(&two, EditorAction::ClearSelection).selection.is_empty());
    assert!(two.undo.is_empty(), "selecting is not an edit");
    assert!(apply(
        &state,
        EditorAction::Select {
            id: "ghost".into(),
            additive: false
        }
    )
    .is_err());
}

#[test]
fn renaming_sets_the_name_and_refuses_an_empty_one() {
    let state = bundled();
    let renamed = ok(
        &state,
        EditorAction::Rename {
            id: "workers".into(),
            name: " pickers ".into(),
        },
    );
    assert_eq!(
        renamed.component("workers").map(Component::display_name),
        Some("pickers")
    );
    assert_eq!(ok(&renamed, EditorAction::Undo).scenario, state.scenario);
    let error = apply(
        &state,
        EditorAction::Rename {
            id: "workers".into(),
            name: "  ".into(),
        },
    )
    .expect_err("empty");
    assert!(error.contains("cannot be empty"), "{error}");
}

#[test]
fn undo_and_redo_with_nothing_to_do_say_so_and_a_new_edit_clears_redo() {
    let state = bundled();
    assert_eq!(
        apply(&state, EditorAction::Undo),
        Err("There is nothing to undo.".to_string())
    );
    assert_eq!(
        apply(&state, EditorAction::Redo),
        Err("There is nothing to redo.".to_string())
    );
    let moved = ok(
        &state,
        EditorAction::MoveComponent {
            id: "shop".into(),
            position: at(5.0, 5.0),
        },
    );
    let undone = ok(&moved, EditorAction::Undo);
    assert_eq!(undone.redo.len(), 1);
    let renamed = ok(
        &undone,
        EditorAction::Rename {
            id: "shop".into(),
            name: "store".into(),
        },
    );
    assert!(renamed.redo.is_empty());
}

#[test]
fn panning_and_zooming_change_only_the_viewport() {
    let state = bundled();
    let panned = ok(&state, EditorAction::Pan { dx: 10.0, dy: -5.0 });
    assert_eq!((panned.viewport.x, panned.viewport.y), (10.0, -5.0));
    let zoomed = ok(
        &panned,
        EditorAction::Zoom {
            factor: 2.0,
            around: (10.0, -5.0),
        },
    );
    assert_eq!(zoomed.viewport.zoom, 2.0);
    assert_eq!((zoomed.viewport.x, zoomed.viewport.y), (10.0, -5.0));
    assert_eq!(zoomed.scenario, state.scenario);
    assert!(zoomed.undo.is_empty());
}

#[test]
fn edits_of_the_editor_build_a_valid_scenario() {
    // Producer → topic → queue → consumer, drawn from nothing, validates.
    let mut state = EditorState::new(Scenario::from_json(r#"{"version": 1}"#).expect("empty"));
    state = add_all(
        &state,
        [
            PaletteKind::Producer,
            PaletteKind::SnsTopic,
            PaletteKind::SqsQueue,
            PaletteKind::Consumer,
            PaletteKind::Endpoint,
        ],
    );
    state = connect_all(
        &state,
        &[
            ("producer-1", "topic-1"),
            ("topic-1", "queue-1"),
            ("topic-1", "endpoint-1"),
            ("queue-1", "consumer-1"),
        ],
    );
    let issues = state.scenario.build().err().map(|issues| {
        issues
            .iter()
            .map(|issue| issue.to_string())
            .collect::<Vec<_>>()
    });
    assert_eq!(issues, None);
}

#[test]
fn positions_snap_to_the_grid() {
    assert_eq!(snap_to_grid(at(9.0, 11.0)), at(0.0, 20.0));
    assert_eq!(snap_to_grid(at(-31.0, 50.0)), at(-40.0, 60.0));
    let snapped = snap_to_grid(at(f64::NAN, 7.0));
    assert!(snapped.x.is_nan() && snapped.y == 0.0);
}

#[test]
fn rubber_band_selection_replaces_or_extends_and_ignores_unknown_ids() {
    let state = ok(
        &bundled(),
        EditorAction::Select {
            id: "shop".into(),
            additive: false,
        },
    );
    let replaced = ok(
        &state,
        EditorAction::SelectMany {
            ids: vec!["orders".into(), "workers".into(), "ghost".into()],
            additive: false,
        },
    );
    assert_eq!(
        replaced
            .selection
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["orders", "workers"]
    );
    let extended = ok(
        &state,
        EditorAction::SelectMany {
            ids: vec!["orders".into()],
            additive: true,
        },
    );
    assert_eq!(extended.selection.len(), 2);
    assert!(extended.undo.is_empty(), "selection is not an edit");
}

#[test]
fn copy_and_paste_remap_ids_connections_and_dead_letter_queues() {
    let state = ok(
        &bundled(),
        EditorAction::SelectMany {
            ids: vec!["orders".into(), "orders-dlq".into(), "workers".into()],
            additive: false,
        },
    );
    assert_eq!(copy_selection(&bundled()), None, "nothing selected");
    let fragment = copy_selection(&state).expect("a selection");
    assert_eq!(fragment.components.len(), 3);
    // shop → orders leaves the selection, orders → workers stays inside it.
    assert_eq!(fragment.connections.len(), 1);
    let pasted = ok(
        &state,
        EditorAction::Paste {
            fragment: fragment.clone(),
            offset: (PASTE_OFFSET, PASTE_OFFSET),
        },
    );
    assert_eq!(
        ids(&pasted)[4..],
        ["orders-copy-1", "orders-dlq-copy-1", "workers-copy-1"]
    );
    assert_eq!(
        pasted
            .selection
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["orders-copy-1", "orders-dlq-copy-1", "workers-copy-1"]
    );
    let copy = pasted.component("orders-copy-1").expect("the copy");
    let original = pasted.component("orders").expect("the original");
    assert_eq!(copy.position().x, original.position().x + PASTE_OFFSET);
    let Component::SqsQueue(queue) = copy else {
        panic!("not a queue")
    };
    assert_eq!(
        queue
            .parameters
            .redrive_policy
            .as_ref()
            .map(|p| p.dead_letter_target_arn.as_str()),
        Some("orders-dlq-copy-1")
    );
    assert!(pasted
        .scenario
        .connections
        .iter()
        .any(|c| c.from == "orders-copy-1" && c.to == "workers-copy-1"));
    // The copy runs: the scenario with the pasted pool still validates.
    let issues = pasted
        .scenario
        .build()
        .err()
        .map(|issues| issues.iter().map(|i| i.to_string()).collect::<Vec<_>>());
    assert_eq!(issues, None);
    // A second paste gets the next free ids, and undo removes the copies at once.
    let twice = ok(
        &pasted,
        EditorAction::Paste {
            fragment,
            offset: (2.0 * PASTE_OFFSET, 2.0 * PASTE_OFFSET),
        },
    );
    assert!(ids(&twice).contains(&"orders-copy-2"));
    assert_eq!(ok(&twice, EditorAction::Undo).scenario, pasted.scenario);
    assert!(apply(
        &state,
        EditorAction::Paste {
            fragment: Fragment::default(),
            offset: (0.0, 0.0)
        }
    )
    .is_err());
}

#[test]
fn a_pasted_fifo_queue_keeps_its_fifo_suffix() {
    let state = add_all(&bundled(), [PaletteKind::FifoQueue]);
    let fragment = copy_selection(&state).expect("the new queue is selected");
    let pasted = ok(
        &state,
        EditorAction::Paste {
            fragment,
            offset: (PASTE_OFFSET, PASTE_OFFSET),
        },
    );
    let copy = pasted.component("fifo-queue-1-copy-1").expect("copy");
    assert_eq!(copy.name(), "fifo-queue-1-copy-1.fifo");
}

#[test]
fn fit_view_shows_every_component_centred() {
    let state = ok(
        &bundled(),
        EditorAction::FitView {
            width: 1000.0,
            height: 500.0,
        },
    );
    let viewport = state.viewport;
    assert!(viewport.zoom <= 1.0 && viewport.zoom >= 0.25);
    for component in &state.scenario.components {
        let p = component.position();
        let (x, y) = viewport.to_screen((p.x, p.y));
        let (right, bottom) = viewport.to_screen((p.x + NODE_WIDTH, p.y + NODE_HEIGHT));
        assert!(
            x >= 0.0 && y >= 0.0 && right <= 1000.0 && bottom <= 500.0,
            "{component:?}"
        );
    }
    let unchanged = ok(
        &bundled(),
        EditorAction::FitView {
            width: 0.0,
            height: f64::NAN,
        },
    );
    assert_eq!(unchanged.viewport, bundled().viewport);
}

#[test]
fn loading_replaces_the_scenario_clears_the_selection_and_undoes() {
    let state = ok(
        &bundled(),
        EditorAction::Select {
            id: "orders".into(),
            additive: false,
        },
    );
    let fifo = Scenario::from_json(include_str!("../../examples/fifo-ordering.json"))
        .expect("example parses");
    let loaded = ok(&state, EditorAction::Load(Box::new(fifo.clone())));
    assert_eq!(loaded.scenario, fifo);
    assert!(loaded.selection.is_empty());
    assert_eq!(ok(&loaded, EditorAction::Undo).scenario, bundled().scenario);
}

#[test]
fn the_limit_profile_is_an_undoable_edit() {
    let exam = ok(
        &bundled(),
        EditorAction::SetLimitProfile(LimitProfile::Exam),
    );
    assert_eq!(exam.scenario.limit_profile, LimitProfile::Exam);
    assert_eq!(exam.undo.len(), 1);
    let again = ok(&exam, EditorAction::SetLimitProfile(LimitProfile::Exam));
    assert_eq!(again.undo.len(), 1, "no change, no undo step");
    assert_eq!(
        ok(&exam, EditorAction::Undo).scenario.limit_profile,
        LimitProfile::Current
    );
}

fn fanout() -> EditorState {
    EditorState::new(
        Scenario::from_json(include_str!("../../examples/sns-fanout.json"))
            .expect("example parses"),
    )
}

#[test]
fn selecting_an_arrow_replaces_the_component_selection_and_back() {
    let state = ok(
        &fanout(),
        EditorAction::Select {
            id: "billing".into(),
            additive: false,
        },
    );
    let arrow = ok(
        &state,
        EditorAction::SelectConnection {
            from: "order-events".into(),
            to: "shipping".into(),
        },
    );
    assert!(arrow.selection.is_empty());
    assert_eq!(
        arrow.selected_connection,
        Some(("order-events".to_string(), "shipping".to_string()))
    );
    let node = ok(
        &arrow,
        EditorAction::Select {
            id: "billing".into(),
            additive: false,
        },
    );
    assert_eq!(node.selected_connection, None);
    assert!(apply(
        &state,
        EditorAction::SelectConnection {
            from: "billing".into(),
            to: "shipping".into(),
        }
    )
    .unwrap_err()
    .contains("no such arrow"));
    // Deleting the subscriber drops the selected arrow with it.
    let gone = ok(
        &ok(
            &ok(
                &arrow,
                EditorAction::SelectMany {
                    ids: vec!["shipping".into()],
                    additive: false,
                },
            ),
            EditorAction::DeleteSelection,
        ),
        EditorAction::ClearSelection,
    );
    assert_eq!(gone.selected_connection, None);
}

#[test]
fn subscription_attributes_are_validated_edits() {
    let state = fanout();
    let policy: serde_json::Value =
        serde_json::from_str(r#"{"type": ["order_placed"]}"#).expect("json");
    let filtered = ok(
        &state,
        EditorAction::SetSubscription {
            from: "order-events".into(),
            to: "billing".into(),
            subscription: Box::new(Subscription {
                filter_policy: Some(policy),
                ..Subscription::default()
            }),
        },
    );
    let index = filtered
        .connection_index("order-events", "billing")
        .expect("arrow");
    assert!(filtered.scenario.connections[index]
        .subscription
        .as_ref()
        .is_some_and(|s| s.filter_policy.is_some()));
    assert_eq!(ok(&filtered, EditorAction::Undo).scenario, state.scenario);
    // Back to every default: the file holds no subscription object at all.
    let plain = ok(
        &filtered,
        EditorAction::SetSubscription {
            from: "order-events".into(),
            to: "billing".into(),
            subscription: Box::default(),
        },
    );
    assert_eq!(plain.scenario.connections[index].subscription, None);

    let six_keys: serde_json::Value =
        serde_json::from_str(r#"{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}"#)
            .expect("json");
    let refusal = apply(
        &state,
        EditorAction::SetSubscription {
            from: "order-events".into(),
            to: "billing".into(),
            subscription: Box::new(Subscription {
                filter_policy: Some(six_keys),
                ..Subscription::default()
            }),
        },
    )
    .expect_err("six keys");
    assert!(refusal.contains("connections["), "{refusal}");
    assert!(refusal.contains("5 keys"), "{refusal}");
    let not_a_topic = apply(
        &state,
        EditorAction::SetSubscription {
            from: "billing".into(),
            to: "billing-workers".into(),
            subscription: Box::default(),
        },
    )
    .expect_err("a queue's arrow");
    assert!(not_a_topic.contains("not an SNS topic"), "{not_a_topic}");
}

#[test]
fn deleting_a_selected_arrow_removes_only_that_arrow() {
    let arrow = ok(
        &fanout(),
        EditorAction::SelectConnection {
            from: "order-events".into(),
            to: "analytics".into(),
        },
    );
    let deleted = ok(&arrow, EditorAction::DeleteSelection);
    assert_eq!(
        deleted.scenario.connections.len(),
        fanout().scenario.connections.len() - 1
    );
    assert_eq!(deleted.connection_index("order-events", "analytics"), None);
    assert_eq!(deleted.scenario.components, fanout().scenario.components);
    assert_eq!(deleted.selected_connection, None);
    assert_eq!(ok(&deleted, EditorAction::Undo).scenario, fanout().scenario);
}

#[test]
fn setting_a_parameter_is_validated_and_undoable() {
    let set = |value: Option<serde_json::Value>| EditorAction::SetParameter {
        id: "orders".into(),
        name: "VisibilityTimeout".into(),
        value,
    };
    let longer = ok(&bundled(), set(Some(serde_json::json!(90))));
    let orders = longer.component("orders").expect("orders");
    assert_eq!(
        crate::inspector_model::value(orders, "VisibilityTimeout"),
        Some(serde_json::json!(90))
    );
    assert_eq!(ok(&longer, EditorAction::Undo).scenario, bundled().scenario);
    let refusal = apply(&bundled(), set(Some(serde_json::json!(50_000)))).expect_err("too long");
    assert!(
        refusal.contains("VisibilityTimeout") && refusal.contains("43200"),
        "{refusal}"
    );
    let shape = apply(&bundled(), set(Some(serde_json::json!("soon")))).expect_err("a word");
    assert!(shape.starts_with("VisibilityTimeout: "), "{shape}");
    let default = ok(&bundled(), set(None));
    assert_eq!(
        crate::inspector_model::value(
            default.component("orders").expect("orders"),
            "VisibilityTimeout"
        ),
        None
    );
    assert!(apply(
        &bundled(),
        EditorAction::SetParameter {
            id: "ghost".into(),
            name: "x".into(),
            value: None
        }
    )
    .is_err());
}

#[test]
fn a_new_seed_is_an_undoable_edit() {
    let reseeded = ok(&bundled(), EditorAction::SetSeed(7));
    assert_eq!(reseeded.scenario.seed, 7);
    assert_eq!(
        ok(&reseeded, EditorAction::Undo).scenario.seed,
        bundled().scenario.seed
    );
    assert_eq!(ok(&reseeded, EditorAction::SetSeed(7)).undo.len(), 1);
}

#[test]
fn problems_are_put_on_the_components_they_name() {
    let state = bundled();
    let problems = "components[1].parameters.VisibilityTimeout: 50000 is outside 0..=43200 seconds\nduration_seconds: 0 is outside 1..=31536000\ncomponents[9].name: no such";
    assert_eq!(
        problems_by_component(&state.scenario, problems),
        [(
            state.scenario.components[1].id().to_string(),
            "components[1].parameters.VisibilityTimeout: 50000 is outside 0..=43200 seconds"
                .to_string()
        )]
    );
}

#[test]
fn a_read_only_canvas_refuses_edits_but_not_views() {
    let mut state = bundled();
    state.readonly = true;
    let before = state.scenario.clone();
    for edit in [
        EditorAction::DeleteSelection,
        EditorAction::Undo,
        EditorAction::SetSeed(9),
        EditorAction::MoveComponent {
            id: "orders".into(),
            position: Position { x: 1.0, y: 2.0 },
        },
    ] {
        assert!(edit.is_edit());
        assert_eq!(apply(&state, edit), Err(READ_ONLY.to_string()));
    }
    let selected = ok(
        &state,
        EditorAction::Select {
            id: "orders".into(),
            additive: false,
        },
    );
    assert!(selected.selection.contains("orders"));
    let panned = ok(&selected, EditorAction::Pan { dx: 10.0, dy: 5.0 });
    assert_eq!(panned.scenario, before);
    assert!(panned.readonly);
    // A host page may still put another scenario in a read-only embed.
    let loaded = ok(&panned, EditorAction::Load(Box::new(before.clone())));
    assert!(loaded.readonly);
}

#[test]
fn a_queue_or_a_topic_invokes_a_lambda_function_and_the_mapping_is_a_validated_edit() {
    let mut state = add_all(
        &bundled(),
        [PaletteKind::LambdaFunction, PaletteKind::SnsTopic],
    );
    state = connect_all(
        &state,
        &[("orders-dlq", "function-1"), ("topic-1", "function-1")],
    );
    assert!(
        state.scenario.validate().is_empty(),
        "{:?}",
        state.scenario.validate()
    );
    let refusal = apply(
        &state,
        EditorAction::Connect {
            from: "workers".into(),
            to: "function-1".into(),
        },
    )
    .expect_err("a consumer does not invoke a function");
    assert!(
        refusal.contains("invoked by an SQS queue connected to it"),
        "{refusal}"
    );
    let mapping = EventSourceMapping {
        batch_size: Some(100),
        maximum_batching_window_in_seconds: Some(5),
        ..EventSourceMapping::default()
    };
    let set = ok(
        &state,
        EditorAction::SetEventSourceMapping {
            from: "orders-dlq".into(),
            to: "function-1".into(),
            mapping: mapping.clone(),
        },
    );
    let index = set
        .connection_index("orders-dlq", "function-1")
        .expect("arrow");
    assert_eq!(
        set.scenario.connections[index].event_source_mapping,
        Some(mapping)
    );
    assert_eq!(ok(&set, EditorAction::Undo).scenario, state.scenario);
    let too_big = apply(
        &state,
        EditorAction::SetEventSourceMapping {
            from: "orders-dlq".into(),
            to: "function-1".into(),
            mapping: EventSourceMapping {
                batch_size: Some(20),
                ..EventSourceMapping::default()
            },
        },
    )
    .expect_err("a batch above 10 needs a window");
    assert!(
        too_big.contains("MaximumBatchingWindowInSeconds"),
        "{too_big}"
    );
    let not_a_mapping = apply(
        &state,
        EditorAction::SetEventSourceMapping {
            from: "topic-1".into(),
            to: "function-1".into(),
            mapping: EventSourceMapping::default(),
        },
    )
    .expect_err("a subscription");
    assert!(
        not_a_mapping.contains("not an event source mapping"),
        "{not_a_mapping}"
    );
}

#[test]
fn clients_call_one_api_and_an_api_has_one_integration() {
    let mut state = add_all(
        &bundled(),
        [
            PaletteKind::ClientPopulation,
            PaletteKind::ApiGateway,
            PaletteKind::LambdaFunction,
        ],
    );
    state = connect_all(&state, &[("clients-1", "api-1"), ("api-1", "function-1")]);
    assert!(
        state.scenario.validate().is_empty(),
        "{:?}",
        state.scenario.validate()
    );
    let refusal = |from: &str, to: &str| {
        apply(
            &state,
            EditorAction::Connect {
                from: from.into(),
                to: to.into(),
            },
        )
        .expect_err("refused")
    };
    assert!(refusal("api-1", "orders").contains("already goes to \"function-1\""));
    assert!(refusal("workers", "api-1").contains("called by a client population"));
    assert!(refusal("orders", "clients-1").contains("nothing connects into a client population"));
}

fn fault(component: &str, start_seconds: f64) -> Fault {
    Fault {
        component: component.into(),
        start_seconds,
        duration_seconds: 60.0,
        ..Fault::default()
    }
}

#[test]
fn the_faults_of_one_component_are_replaced_in_place_and_undoable() {
    let mut state = add_all(&bundled(), [PaletteKind::Endpoint]);
    state.scenario.faults = vec![fault("workers", 10.0), fault("endpoint-1", 5.0)];
    let set = ok(
        &state,
        EditorAction::SetFaults {
            component: "workers".into(),
            faults: vec![fault("workers", 30.0), fault("workers", 90.0)],
        },
    );
    let starts: Vec<(String, f64)> = set
        .scenario
        .faults
        .iter()
        .map(|f| (f.component.clone(), f.start_seconds))
        .collect();
    assert_eq!(
        starts,
        vec![
            ("workers".to_string(), 30.0),
            ("workers".to_string(), 90.0),
            ("endpoint-1".to_string(), 5.0)
        ]
    );
    assert_eq!(ok(&set, EditorAction::Undo).scenario, state.scenario);
    let cleared = ok(
        &set,
        EditorAction::SetFaults {
            component: "workers".into(),
            faults: Vec::new(),
        },
    );
    assert_eq!(cleared.scenario.faults, vec![fault("endpoint-1", 5.0)]);
}

#[test]
fn a_fault_out_of_range_or_on_another_component_is_refused() {
    let state = bundled();
    let negative = apply(
        &state,
        EditorAction::SetFaults {
            component: "workers".into(),
            faults: vec![Fault {
                duration_seconds: 0.0,
                ..fault("workers", 10.0)
            }],
        },
    )
    .expect_err("a fault lasts more than 0 s");
    assert!(
        negative.starts_with("The fault timeline was not changed: faults[0].duration_seconds"),
        "{negative}"
    );
    let elsewhere = apply(
        &state,
        EditorAction::SetFaults {
            component: "workers".into(),
            faults: vec![fault("orders", 10.0)],
        },
    )
    .expect_err("the panel of workers edits the faults of workers");
    assert!(
        elsewhere.contains("cannot act on \"orders\""),
        "{elsewhere}"
    );
    let readonly = EditorState {
        readonly: true,
        ..state
    };
    assert_eq!(
        apply(
            &readonly,
            EditorAction::SetFaults {
                component: "workers".into(),
                faults: Vec::new()
            }
        ),
        Err(READ_ONLY.to_string())
    );
}

/// An arrow from a Lambda function to a state machine is the handler's `StartExecution`:
/// one machine per function, as the validator says.
#[test]
fn a_lambda_function_connects_to_one_state_machine() {
    let definition = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#;
    let json = format!(
        r#"{{"version": 1, "components": [
            {{"id": "starter", "kind": "lambda_function"}},
            {{"id": "flow", "kind": "state_machine", "parameters": {{"Definition": {definition}}}}},
            {{"id": "other", "kind": "state_machine", "parameters": {{"Definition": {definition}}}}}]}}"#
    );
    let state = EditorState::new(Scenario::from_json(&json).expect("parses"));
    let state = connect_all(&state, &[("starter", "flow")]);
    assert!(state.scenario.validate().is_empty());
    let refused = apply(
        &state,
        EditorAction::Connect {
            from: "starter".into(),
            to: "other".into(),
        },
    )
    .expect_err("one machine per function");
    assert_eq!(
        refused,
        "Cannot connect \"starter\" to \"other\": a Lambda function starts executions of one state machine; \"starter\" already starts \"flow\"."
    );
}

/// A drawing wider than the canvas overflows at the default view and fits after FitView.
#[test]
fn a_drawing_past_the_canvas_edge_overflows_until_fitted() {
    let state = bundled();
    let right = state
        .scenario
        .components
        .iter()
        .map(|c| c.position().x + NODE_WIDTH)
        .fold(0.0, f64::max);
    let viewport = Viewport::default();
    assert!(!overflows(&state.scenario, viewport, right + 10.0, 2_000.0));
    assert!(overflows(&state.scenario, viewport, right - 10.0, 2_000.0));
    let fitted = ok(
        &state,
        EditorAction::FitView {
            width: right - 10.0,
            height: 2_000.0,
        },
    );
    assert!(!overflows(
        &fitted.scenario,
        fitted.viewport,
        right - 10.0,
        2_000.0
    ));
    assert!(
        !overflows(&state.scenario, viewport, 0.0, 0.0),
        "no canvas yet"
    );
    // Slightly too wide: fitted on opening. Far too wide (a zoom under 0.6): left as it is.
    assert!(fits_on_open(
        &state.scenario,
        viewport,
        right - 10.0,
        2_000.0
    ));
    assert!(!fits_on_open(
        &state.scenario,
        viewport,
        right * 0.3,
        2_000.0
    ));
    assert!(!fits_on_open(
        &state.scenario,
        viewport,
        right + 10.0,
        2_000.0
    ));
}
