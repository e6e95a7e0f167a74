//! Peek into the selected queue: the messages it holds and their state, without
//! receiving them.

use loosely_engine::MessageId;
use yew::prelude::*;

use crate::live::LiveHandle;
use crate::trace_view::PEEK_LIMIT;

#[derive(Properties, PartialEq)]
pub struct PeekProps {
    pub live: LiveHandle,
    /// The simulated clock in microseconds: the table re-renders when it moves.
    pub now: u64,
    /// The scenario id of the one selected component, if exactly one is selected.
    pub selected: Option<String>,
    pub on_open: Callback<MessageId>,
}

#[function_component(Peek)]
pub fn peek(props: &PeekProps) -> Html {
    let found = props.selected.as_ref().and_then(|id| {
        props.live.read(|live| {
            let rows = live.peek(id)?;
            let name = live
                .views()
                .into_iter()
                .find(|view| &view.id == id)
                .map(|view| view.name)
                .unwrap_or_else(|| id.clone());
            Some((name, live.is_fifo(id), rows))
        })?
    });
    let Some((name, fifo, rows)) = found else {
        return html! {
            <div class="peek" data-testid="peek">
                <h2>{ "Peek" }</h2>
                <p class="hint">{ "Select one queue on the canvas to see the messages it holds." }</p>
            </div>
        };
    };
    html! {
        <div class="peek" data-testid="peek">
            <h2>{ format!("Peek into {name}") }</h2>
            <p class="hint">
                { "Peeking does not receive: receive counts and visibility stay as they are. \
                   SQS has no such API (ReceiveMessage always makes a message invisible); \
                   this is the playground's view from inside the queue." }
            </p>
            if rows.is_empty() {
                <p class="hint" data-testid="peek-empty">{ format!("{name} holds no messages right now.") }</p>
            } else {
                <div class="peek-rows">
                    <table>
                        <thead>
                            <tr>
                                <th>{ "message" }</th>
                                <th>{ "state" }</th>
                                <th>{ "sent" }</th>
                                <th>{ "ApproximateReceiveCount" }</th>
                                <th>{ "visible again at" }</th>
                                if fifo { <th>{ "MessageGroupId" }</th> }
                                <th>{ "size" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for rows.iter().map(|row| {
                                let on_open = props.on_open.clone();
                                let message = row.id;
                                let onclick = Callback::from(move |_: MouseEvent| on_open.emit(message));
                                html! {
                                    <tr class="opens" {onclick} title={format!("open the history of {message}")} data-testid="peek-row">
                                        <td class="code">{ message.to_string() }</td>
                                        <td class={classes!("state", row.state.replace(' ', "-"))}>{ row.state }</td>
                                        <td class="time">{ row.sent_at.clone() }</td>
                                        <td class="number">{ row.receive_count }</td>
                                        <td class="time">{ row.visible_at.clone() }</td>
                                        if fifo { <td>{ row.group.clone() }</td> }
                                        <td class="number">{ row.size.clone() }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                    if rows.len() == PEEK_LIMIT {
                        <p class="hint">{ format!("The first {PEEK_LIMIT} messages are listed.") }</p>
                    }
                </div>
            }
        </div>
    }
}
