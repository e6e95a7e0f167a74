//! The workflow view of a state machine, laid out like the Step Functions console draws it:
//! states top to bottom in the order they can run, Parallel branches side by side inside
//! their state's group, a Map's iteration inside its group, Start and End marks.
//! Pure geometry, free of DOM types, so it tests natively.

use std::collections::VecDeque;

use loosely_engine::asl::{Next, StateKind, StateMachine};

/// The size of a plain state's box, pixels.
pub const STATE_WIDTH: f64 = 168.0;
pub const STATE_HEIGHT: f64 = 38.0;
/// Space between layers and between boxes of one layer.
const LAYER_GAP: f64 = 34.0;
const SIDE_GAP: f64 = 26.0;
/// Padding inside a Parallel or Map group, and the height of its title.
const GROUP_PAD: f64 = 14.0;
const GROUP_TITLE: f64 = 22.0;

/// Which state: (graph index, state index) in [`StateMachine::graphs`].
pub type StateRef = (usize, usize);

/// One state's box (for Parallel and Map: its group, which holds its children).
#[derive(Clone, Debug, PartialEq)]
pub struct StateBox {
    pub state: StateRef,
    pub name: String,
    pub type_name: &'static str,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// True for Parallel and Map, drawn as a group around their branches or iteration.
    pub group: bool,
}

/// Why one state leads to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    Next,
    /// A Choice rule (its index) or the Default.
    Choice,
    Default,
    /// A Catch entry.
    Catch,
}

/// An arrow between two points, pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub kind: EdgeKind,
    pub from: (f64, f64),
    pub to: (f64, f64),
    /// The target is above the source: drawn around the side.
    pub back: bool,
}

/// The whole drawing.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Layout {
    pub boxes: Vec<StateBox>,
    pub arrows: Vec<Arrow>,
    /// The Start and End marks of the top level, centres.
    pub start: (f64, f64),
    pub end: (f64, f64),
    pub width: f64,
    pub height: f64,
}

/// A graph laid out at the origin: its boxes and arrows, size, and where its entry and
/// exits are.
struct Placed {
    boxes: Vec<StateBox>,
    arrows: Vec<Arrow>,
    width: f64,
    height: f64,
    /// Top centre of the start state.
    entry: (f64, f64),
    /// Bottom centres of the states that end the graph.
    exits: Vec<(f64, f64)>,
}

impl Placed {
    fn shifted(mut self, dx: f64, dy: f64) -> Placed {
        for b in &mut self.boxes {
            b.x += dx;
            b.y += dy;
        }
        for a in &mut self.arrows {
            a.from = (a.from.0 + dx, a.from.1 + dy);
            a.to = (a.to.0 + dx, a.to.1 + dy);
        }
        self.entry = (self.entry.0 + dx, self.entry.1 + dy);
        for exit in &mut self.exits {
            *exit = (exit.0 + dx, exit.1 + dy);
        }
        self
    }
}

/// The states a state can lead to, with why.
fn successors(machine: &StateMachine, graph: usize, state: usize) -> Vec<(usize, EdgeKind)> {
    let Some(s) = machine.state(graph, state) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Next::State(next) = s.next {
        out.push((next, EdgeKind::Next));
    }
    if let StateKind::Choice { choices, default } = &s.kind {
        out.extend(choices.iter().map(|c| (c.next, EdgeKind::Choice)));
        if let Some(fields) = &s.jsonata {
            out.extend(fields.choices.iter().map(|c| (c.next, EdgeKind::Choice)));
        }
        if let Some(default) = default {
            out.push((*default, EdgeKind::Default));
        }
    }
    out.extend(s.catch.iter().map(|c| (c.next, EdgeKind::Catch)));
    out
}

/// Whether a state ends its graph (End, Succeed, Fail).
fn ends(machine: &StateMachine, graph: usize, state: usize) -> bool {
    machine.state(graph, state).is_some_and(|s| {
        matches!(s.next, Next::End) || matches!(s.kind, StateKind::Succeed | StateKind::Fail { .. })
    })
}

/// Lays out graph `graph` (depth guards against a malformed machine nesting forever).
fn place(machine: &StateMachine, graph: usize, depth: usize) -> Placed {
    let Some(g) = machine.graphs.get(graph) else {
        return Placed {
            boxes: Vec::new(),
            arrows: Vec::new(),
            width: 0.0,
            height: 0.0,
            entry: (0.0, 0.0),
            exits: Vec::new(),
        };
    };
    let count = g.states.len();
    // Layers: breadth-first distance from the start; unreachable states go last.
    let mut layer = vec![usize::MAX; count];
    let mut queue = VecDeque::new();
    if g.start < count {
        layer[g.start] = 0;
        queue.push_back(g.start);
    }
    while let Some(state) = queue.pop_front() {
        for (next, _) in successors(machine, graph, state) {
            if next < count && layer[next] == usize::MAX {
                layer[next] = layer[state] + 1;
                queue.push_back(next);
            }
        }
    }
    let deepest = layer
        .iter()
        .copied()
        .filter(|&l| l != usize::MAX)
        .max()
        .unwrap_or(0);
    for l in &mut layer {
        if *l == usize::MAX {
            *l = deepest + 1;
        }
    }
    let layers = layer.iter().copied().max().map_or(0, |m| m + 1);

    // Each state's content: a plain box, or a group holding its children.
    let contents: Vec<(f64, f64, Vec<Placed>)> = g
        .states
        .iter()
        .map(|s| {
            let children: Vec<usize> = match &s.kind {
                StateKind::Parallel { branches } => branches.clone(),
                StateKind::Map { processor, .. } => vec![*processor],
                _ => Vec::new(),
            };
            if children.is_empty() || depth > 16 {
                return (STATE_WIDTH, STATE_HEIGHT, Vec::new());
            }
            let placed: Vec<Placed> = children
                .iter()
                .map(|&c| place(machine, c, depth + 1))
                .collect();
            let inner_width = placed.iter().map(|p| p.width).sum::<f64>()
                + SIDE_GAP * (placed.len().saturating_sub(1)) as f64;
            let inner_height = placed.iter().map(|p| p.height).fold(0.0, f64::max);
            (
                (inner_width + 2.0 * GROUP_PAD).max(STATE_WIDTH),
                inner_height + 2.0 * GROUP_PAD + GROUP_TITLE,
                placed,
            )
        })
        .collect();

    let members: Vec<Vec<usize>> = (0..layers)
        .map(|l| (0..count).filter(|&s| layer[s] == l).collect())
        .collect();
    let sizes: Vec<(f64, f64)> = contents.iter().map(|(w, h, _)| (*w, *h)).collect();
    let mut placed_children: Vec<Vec<Placed>> =
        contents.into_iter().map(|(_, _, placed)| placed).collect();
    let row_width = |row: &[usize]| {
        row.iter().map(|&s| sizes[s].0).sum::<f64>() + SIDE_GAP * row.len().saturating_sub(1) as f64
    };
    let width = members
        .iter()
        .map(|row| row_width(row))
        .fold(STATE_WIDTH, f64::max);

    let mut boxes = Vec::new();
    let mut arrows = Vec::new();
    let mut position = vec![(0.0, 0.0, 0.0, 0.0); count];
    let mut y = 0.0;
    let mut children_by_state: Vec<Vec<Placed>> = sizes.iter().map(|_| Vec::new()).collect();
    for row in &members {
        let height = row.iter().map(|&s| sizes[s].1).fold(0.0, f64::max);
        let mut x = (width - row_width(row)) / 2.0;
        for &s in row {
            let (w, h) = sizes[s];
            let placed = std::mem::take(&mut placed_children[s]);
            position[s] = (x, y, w, h);
            let state = &g.states[s];
            let group = !placed.is_empty();
            boxes.push(StateBox {
                state: (graph, s),
                name: state.name.to_string(),
                type_name: state.kind.type_name(),
                x,
                y,
                width: w,
                height: h,
                group,
            });
            // Children side by side inside the group, under its title.
            let inner_width = placed.iter().map(|p| p.width).sum::<f64>()
                + SIDE_GAP * placed.len().saturating_sub(1) as f64;
            let mut cx = x + (w - inner_width) / 2.0;
            for child in placed {
                let child_width = child.width;
                children_by_state[s].push(child.shifted(cx, y + GROUP_TITLE + GROUP_PAD));
                cx += child_width + SIDE_GAP;
            }
            x += w + SIDE_GAP;
        }
        y += height + LAYER_GAP;
    }
    let height = (y - LAYER_GAP).max(0.0);
    for children in children_by_state {
        for child in children {
            boxes.extend(child.boxes);
            arrows.extend(child.arrows);
        }
    }
    let top = |s: usize| {
        let (x, y, w, _) = position[s];
        (x + w / 2.0, y)
    };
    let bottom = |s: usize| {
        let (x, y, w, h) = position[s];
        (x + w / 2.0, y + h)
    };
    for s in 0..count {
        for (next, kind) in successors(machine, graph, s) {
            if next < count {
                arrows.push(Arrow {
                    kind,
                    from: bottom(s),
                    to: top(next),
                    back: layer[next] <= layer[s],
                });
            }
        }
    }
    Placed {
        boxes,
        arrows,
        width,
        height,
        entry: if g.start < count {
            top(g.start)
        } else {
            (width / 2.0, 0.0)
        },
        exits: (0..count)
            .filter(|&s| ends(machine, graph, s))
            .map(bottom)
            .collect(),
    }
}

/// The workflow view of `machine`, with a margin and the Start and End marks.
pub fn layout(machine: &StateMachine) -> Layout {
    const MARGIN: f64 = 24.0;
    const MARK: f64 = 40.0;
    let placed = place(machine, 0, 0).shifted(MARGIN, MARGIN + MARK);
    let start = (placed.entry.0, MARGIN + 8.0);
    let end_y = MARGIN + MARK + placed.height + MARK - 8.0;
    let end = (MARGIN + placed.width / 2.0, end_y);
    let mut arrows = placed.arrows;
    arrows.push(Arrow {
        kind: EdgeKind::Next,
        from: (start.0, start.1 + 8.0),
        to: placed.entry,
        back: false,
    });
    for exit in &placed.exits {
        arrows.push(Arrow {
            kind: EdgeKind::Next,
            from: *exit,
            to: (end.0, end.1 - 8.0),
            back: false,
        });
    }
    Layout {
        boxes: placed.boxes,
        arrows,
        start,
        end,
        width: placed.width + 2.0 * MARGIN,
        height: end_y + 8.0 + MARGIN,
    }
}

/// An SVG path for an arrow: a straight drop, a curve sideways, or around the right side
/// when it goes back up.
pub fn arrow_path(arrow: &Arrow) -> String {
    let (sx, sy) = arrow.from;
    let (tx, ty) = arrow.to;
    if arrow.back {
        let side = sx.max(tx) + STATE_WIDTH / 2.0 + 20.0;
        format!(
            "M{sx} {sy} C{side} {}, {side} {}, {tx} {ty}",
            sy + 30.0,
            ty - 30.0
        )
    } else {
        let bend = ((ty - sy) / 2.0).max(10.0);
        format!(
            "M{sx} {sy} C{sx} {}, {tx} {}, {tx} {ty}",
            sy + bend,
            ty - bend
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loosely_engine::asl::validate;

    fn machine(json: &str) -> StateMachine {
        validate(json).unwrap_or_else(|issues| panic!("{issues:?}"))
    }

    fn named(view: &Layout, name: &str) -> StateBox {
        view.boxes
            .iter()
            .find(|b| b.name == name)
            .unwrap_or_else(|| panic!("no box {name}"))
            .clone()
    }

    fn overlap(a: &StateBox, b: &StateBox) -> bool {
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    }

    #[test]
    fn a_chain_runs_top_to_bottom_between_start_and_end() {
        let m = machine(
            r#"{"StartAt": "A", "States": {
                "A": {"Type": "Pass", "Next": "B"},
                "B": {"Type": "Wait", "Seconds": 1, "Next": "C"},
                "C": {"Type": "Succeed"}}}"#,
        );
        let view = layout(&m);
        let y = |name: &str| named(&view, name).y;
        assert!(y("A") < y("B") && y("B") < y("C"));
        assert!(view.start.1 < y("A"));
        assert!(view.end.1 > y("C"));
        // Start → A, A → B, B → C, C → End.
        assert_eq!(view.arrows.len(), 4);
        assert!(view.arrows.iter().all(|a| !a.back));
        assert!(view.width >= STATE_WIDTH && view.height > 3.0 * STATE_HEIGHT);
    }

    #[test]
    fn choices_spread_sideways_and_loops_go_back_up() {
        let m = machine(
            r#"{"StartAt": "Check", "States": {
                "Check": {"Type": "Choice", "Choices": [
                    {"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Again"}],
                    "Default": "Done"},
                "Again": {"Type": "Pass", "Next": "Check"},
                "Done": {"Type": "Succeed"}}}"#,
        );
        let view = layout(&m);
        let find = |name: &str| named(&view, name);
        let (again, done) = (find("Again"), find("Done"));
        assert_eq!(again.y, done.y, "both follow the Choice");
        assert!(!overlap(&again, &done));
        let kinds: Vec<EdgeKind> = view.arrows.iter().map(|a| a.kind).collect();
        assert!(kinds.contains(&EdgeKind::Choice) && kinds.contains(&EdgeKind::Default));
        assert_eq!(
            view.arrows.iter().filter(|a| a.back).count(),
            1,
            "Again → Check"
        );
    }

    #[test]
    fn parallel_branches_and_map_iterations_sit_inside_their_group() {
        let m = machine(
            r#"{"StartAt": "Both", "States": {
                "Both": {"Type": "Parallel", "Next": "Each", "Branches": [
                    {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": true}}},
                    {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "Next": "Right2"},
                                                    "Right2": {"Type": "Pass", "End": true}}}]},
                "Each": {"Type": "Map", "End": true, "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}}}}}"#,
        );
        let view = layout(&m);
        let find = |name: &str| named(&view, name);
        let both = find("Both");
        assert!(both.group);
        for child in ["Left", "Right", "Right2"] {
            let c = find(child);
            assert!(
                c.x >= both.x
                    && c.x + c.width <= both.x + both.width
                    && c.y > both.y
                    && c.y + c.height <= both.y + both.height,
                "{child} outside Both"
            );
        }
        assert!(!overlap(&find("Left"), &find("Right")));
        let each = find("Each");
        let work = find("Work");
        assert!(each.group && work.y > each.y && work.y + work.height <= each.y + each.height);
        assert!(each.y >= both.y + both.height, "Each comes after Both");
        // No two boxes of one level overlap.
        let top: Vec<&StateBox> = view.boxes.iter().filter(|b| b.state.0 == 0).collect();
        for (i, a) in top.iter().enumerate() {
            for b in &top[i + 1..] {
                assert!(!overlap(a, b), "{} and {}", a.name, b.name);
            }
        }
    }

    #[test]
    fn catch_arrows_are_drawn() {
        let m = machine(
            r#"{"StartAt": "Call", "States": {
                "Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                         "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}], "End": true},
                "Oops": {"Type": "Fail", "Error": "E"}}}"#,
        );
        let view = layout(&m);
        assert_eq!(
            view.arrows
                .iter()
                .filter(|a| a.kind == EdgeKind::Catch)
                .count(),
            1
        );
        // Both Call (End) and Oops (Fail) lead to the End mark.
        assert_eq!(
            view.arrows
                .iter()
                .filter(|a| a.to.1 > view.end.1 - 10.0)
                .count(),
            2
        );
        assert!(arrow_path(&view.arrows[0]).starts_with('M'));
    }
}
