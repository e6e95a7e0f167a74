//! The scenario's expectations while it runs: each one pending, passed or failed, with the
//! figure and the bound in one sentence, and for a failure the messages behind it (a click
//! opens a message's history). `loosely test` judges the same expectations headless.

use loosely_engine::expect::VerdictState;
use loosely_engine::MessageId;
use yew::prelude::*;

use crate::live::LiveHandle;

#[derive(Properties, PartialEq)]
pub struct ExpectationsProps {
    pub live: LiveHandle,
    /// The simulated clock in microseconds: the list re-renders when it moves.
    pub now: u64,
    pub on_open: Callback<MessageId>,
}

/// Messages of a failure linked, at most.
const SHOWN_MESSAGES: usize = 5;

/// The mark and class of a verdict; the word is there for readers that do not see colour.
pub fn verdict_mark(state: VerdictState) -> (&'static str, &'static str) {
    match state {
        VerdictState::Pending => ("… pending", "pending"),
        VerdictState::Pass => ("✓ pass", "pass"),
        VerdictState::Fail => ("✗ fail", "fail"),
    }
}

#[function_component(Expectations)]
pub fn expectations(props: &ExpectationsProps) -> Html {
    let rows = props
        .live
        .read(|live| {
            live.expectations()
                .into_iter()
                .map(|(_, verdict)| verdict.clone())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if rows.is_empty() {
        return html! {};
    }
    let passed = rows
        .iter()
        .filter(|v| v.state == VerdictState::Pass)
        .count();
    let failed = rows
        .iter()
        .filter(|v| v.state == VerdictState::Fail)
        .count();
    html! {
        <section class="expectations" data-testid="expectations" aria-labelledby="expectations-title">
            <h3 id="expectations-title">
                { format!("Expectations: {passed} passed, {failed} failed, {} pending", rows.len() - passed - failed) }
            </h3>
            <ul>
                { for rows.iter().map(|verdict| {
                    let (mark, class) = verdict_mark(verdict.state);
                    html! {
                        <li class={classes!("verdict", class)} data-testid="expectation" data-state={class}>
                            <span class="mark">{ mark }</span>{ " " }{ verdict.sentence.clone() }
                            if !verdict.messages.is_empty() {
                                <span class="evidence">
                                    { " — " }
                                    { for verdict.messages.iter().take(SHOWN_MESSAGES).map(|message| {
                                        let (on_open, message) = (props.on_open.clone(), *message);
                                        html! {
                                            <button class="link" onclick={Callback::from(move |_: MouseEvent| on_open.emit(message))}
                                                title="Open this message's history">{ message.to_string() }</button>
                                        }
                                    }) }
                                </span>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
