//! One message's history on a vertical timeline: each step with its time and the reason,
//! in a drawer with a close button.

use loosely_engine::MessageId;
use yew::prelude::*;

use crate::live::LiveHandle;

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub live: LiveHandle,
    /// The simulated clock in microseconds: the timeline re-renders when it moves.
    pub now: u64,
    pub message: MessageId,
    pub on_close: Callback<()>,
}

#[function_component(History)]
pub fn history(props: &HistoryProps) -> Html {
    let Some(history) = props.live.read(|live| live.history(props.message)) else {
        return html! {};
    };
    let on_close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <aside class="history" data-testid="history" aria-label={format!("history of {}", props.message)}>
            <header>
                <h2>{ format!("History of {}", props.message) }</h2>
                <button class="close" onclick={on_close} aria-label="close the history">{ "×" }</button>
            </header>
            if history.truncated && !history.steps.is_empty() {
                <p class="hint" data-testid="history-truncated">
                    { "Its first events have left the buffer of the 50,000 most recent events: the history starts later." }
                </p>
            }
            if history.steps.is_empty() {
                <p class="hint">{ "No event of this message is kept any more." }</p>
            }
            <ol class="timeline">
                { for history.steps.iter().map(|step| html! {
                    <li class={classes!("tone-".to_string() + step.tone)} data-testid="history-step">
                        <span class="time">{ step.time.to_string() }</span>
                        <span class="code">{ step.code }</span>
                        <span class="sentence">{ step.sentence.clone() }</span>
                    </li>
                }) }
            </ol>
        </aside>
    }
}
