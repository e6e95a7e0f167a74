//! A test bench for SNS subscription filter policies: type a policy and a message, see
//! whether the subscription would receive it and, when not, which key failed and why.

use loosely_engine::sns_filter::FilterPolicyScope;
use yew::prelude::*;

use crate::policy_test::{check, check_fanout, example, SubscriptionPolicy, Verdict};

#[derive(Properties, PartialEq)]
pub struct PolicyTesterProps {
    /// A policy to start from (a subscription's own), or the example when `None`.
    #[prop_or_default]
    pub policy: Option<String>,
    #[prop_or_default]
    pub scope: FilterPolicyScope,
}

fn text_of(event: InputEvent) -> Option<String> {
    event
        .target_dyn_into::<web_sys::HtmlTextAreaElement>()
        .map(|area| area.value())
}

/// A textarea's `oninput` that keeps `state` equal to what is typed.
pub fn keep_text(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |event: InputEvent| {
        if let Some(text) = text_of(event) {
            state.set(text);
        }
    })
}

#[function_component(PolicyTester)]
pub fn policy_tester(props: &PolicyTesterProps) -> Html {
    let scope = use_state(|| props.scope);
    let policy = {
        let start = props
            .policy
            .clone()
            .unwrap_or_else(|| example(props.scope).0.to_string());
        use_state(move || start)
    };
    let message = {
        let start = example(props.scope).1.to_string();
        use_state(move || start)
    };
    let on_policy = keep_text(&policy);
    let on_message = keep_text(&message);
    let on_scope = {
        let scope = scope.clone();
        let policy = policy.clone();
        let message = message.clone();
        Callback::from(move |event: Event| {
            let chosen = match event
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|select| select.value())
                .as_deref()
            {
                Some("MessageBody") => FilterPolicyScope::MessageBody,
                _ => FilterPolicyScope::MessageAttributes,
            };
            if chosen != *scope {
                // The other scope reads a different part of the message: start from its example.
                let (new_policy, new_message) = example(chosen);
                policy.set(new_policy.to_string());
                message.set(new_message.to_string());
                scope.set(chosen);
            }
        })
    };
    let verdict = check(&policy, *scope, &message);
    let result = match &verdict {
        Verdict::Checked {
            delivered: true,
            combinations,
            ..
        } => html! {
            <p class="verdict delivered" data-testid="policy-verdict">
                <strong>{ "Delivered" }</strong>
                { format!(": the message matches every key ({combinations} of 150 combinations used).") }
            </p>
        },
        Verdict::Checked {
            delivered: false,
            reason,
            ..
        } => html! {
            <p class="verdict filtered" data-testid="policy-verdict">
                <strong>{ "Filtered out" }</strong>
                { format!(": {}.", reason.clone().unwrap_or_default()) }
            </p>
        },
        Verdict::BadPolicy(error) => html! {
            <p class="verdict invalid" role="alert" data-testid="policy-verdict">
                <strong>{ "InvalidParameter" }</strong>{ format!(" ({error})") }
            </p>
        },
        Verdict::BadMessage(problem) => html! {
            <p class="verdict invalid" role="alert" data-testid="policy-verdict">
                <strong>{ "The message cannot be read" }</strong>{ format!(": {problem}") }
            </p>
        },
    };
    let (message_label, message_hint) = match *scope {
        FilterPolicyScope::MessageAttributes => (
            "Message attributes",
            "In the Publish API shape: {\"name\": {\"DataType\": \"String\", \"StringValue\": \"x\"}}",
        ),
        FilterPolicyScope::MessageBody => ("Message body", "The JSON body of the message"),
    };
    html! {
        <section class="policy-tester" data-testid="policy-tester">
            <h3>{ "Test a filter policy" }</h3>
            <label>
                { "FilterPolicyScope " }
                <select onchange={on_scope} data-testid="policy-scope">
                    <option value="MessageAttributes" selected={*scope == FilterPolicyScope::MessageAttributes}>
                        { "MessageAttributes" }
                    </option>
                    <option value="MessageBody" selected={*scope == FilterPolicyScope::MessageBody}>
                        { "MessageBody" }
                    </option>
                </select>
            </label>
            <label class="stacked">
                { "FilterPolicy" }
                <textarea rows="6" spellcheck="false" value={(*policy).clone()}
                    oninput={on_policy} data-testid="policy-text" />
            </label>
            <label class="stacked" title={message_hint}>
                { message_label }
                <textarea rows="5" spellcheck="false" value={(*message).clone()}
                    oninput={on_message} data-testid="policy-message" />
            </label>
            { result }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct FanoutTesterProps {
    /// The topic's subscriptions, in the scenario's order.
    pub subscriptions: Vec<SubscriptionPolicy>,
}

/// For a topic: paste a message, see which subscriptions would receive it and why the
/// others would not.
#[function_component(FanoutTester)]
pub fn fanout_tester(props: &FanoutTesterProps) -> Html {
    let attributes = use_state(|| example(FilterPolicyScope::MessageAttributes).1.to_string());
    let body = use_state(|| example(FilterPolicyScope::MessageBody).1.to_string());
    let on_attributes = keep_text(&attributes);
    let on_body = keep_text(&body);
    let rows = check_fanout(&props.subscriptions, &attributes, &body)
        .into_iter()
        .map(|(subscriber, verdict)| {
            let (class, text) = match verdict {
                Verdict::Checked {
                    delivered: true,
                    reason: None,
                    combinations: 0,
                } => ("delivered", "receives it (no filter policy)".to_string()),
                Verdict::Checked {
                    delivered: true, ..
                } => ("delivered", "receives it".to_string()),
                Verdict::Checked { reason, .. } => (
                    "filtered",
                    format!("filtered out: {}", reason.unwrap_or_default()),
                ),
                Verdict::BadPolicy(error) => ("invalid", error),
                Verdict::BadMessage(problem) => ("invalid", problem),
            };
            html! {
                <li class={classes!("verdict", class)} data-testid={format!("fanout-{subscriber}")}>
                    <strong>{ subscriber }</strong>{ format!(": {text}") }
                </li>
            }
        });
    html! {
        <section class="policy-tester" data-testid="fanout-tester">
            <h3>{ "Which subscriptions receive this message?" }</h3>
            <label class="stacked" title="In the Publish API shape: {\"name\": {\"DataType\": \"String\", \"StringValue\": \"x\"}}">
                { "MessageAttributes" }
                <textarea rows="4" spellcheck="false" value={(*attributes).clone()} oninput={on_attributes} />
            </label>
            <label class="stacked" title="Read by subscriptions whose FilterPolicyScope is MessageBody">
                { "Message body" }
                <textarea rows="2" spellcheck="false" value={(*body).clone()} oninput={on_body} />
            </label>
            <ul class="fanout">{ for rows }</ul>
        </section>
    }
}
