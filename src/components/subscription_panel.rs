//! The inspector of an SNS subscription (a topic's arrow): its attributes with AWS's names,
//! edited as in the console (the policies as JSON), and a bench to test its filter policy.

use loosely_scenario::{
    Component, FilterPolicyScope, Protocol, Scenario, Subscription, SubscriptionDeliveryPolicy,
    SubscriptionRedrivePolicy,
};
use yew::prelude::*;

use crate::components::policy_tester::PolicyTester;
use crate::state::EditorAction;

#[derive(Properties, PartialEq)]
pub struct SubscriptionPanelProps {
    pub scenario: Scenario,
    pub from: String,
    pub to: String,
    pub dispatch: Callback<EditorAction>,
}

const PROTOCOLS: [(Protocol, &str); 9] = [
    (Protocol::Sqs, "sqs"),
    (Protocol::Lambda, "lambda"),
    (Protocol::Http, "http"),
    (Protocol::Https, "https"),
    (Protocol::Email, "email"),
    (Protocol::EmailJson, "email-json"),
    (Protocol::Sms, "sms"),
    (Protocol::Application, "application"),
    (Protocol::Firehose, "firehose"),
];

/// The attributes the form holds, as the user typed them.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub protocol: String,
    pub scope: FilterPolicyScope,
    pub filter_policy: String,
    pub raw: bool,
    pub dead_letter_queue: String,
    pub delivery_policy: String,
}

impl Form {
    pub fn of(subscription: &Subscription) -> Form {
        let pretty =
            |value: &serde_json::Value| serde_json::to_string_pretty(value).unwrap_or_default();
        Form {
            protocol: subscription
                .protocol
                .and_then(|p| PROTOCOLS.iter().find(|(known, _)| *known == p))
                .map(|(_, name)| name.to_string())
                .unwrap_or_default(),
            scope: subscription.filter_policy_scope.unwrap_or_default(),
            filter_policy: subscription
                .filter_policy
                .as_ref()
                .map(pretty)
                .unwrap_or_default(),
            raw: subscription.raw_message_delivery.unwrap_or(false),
            dead_letter_queue: subscription
                .redrive_policy
                .as_ref()
                .map(|p| p.dead_letter_target_arn.clone())
                .unwrap_or_default(),
            delivery_policy: subscription
                .delivery_policy
                .as_ref()
                .and_then(|p| serde_json::to_value(p).ok())
                .map(|v| pretty(&v))
                .unwrap_or_default(),
        }
    }

    /// The subscription the form describes, or which attribute cannot be read and why.
    pub fn subscription(&self) -> Result<Subscription, String> {
        let protocol = match self.protocol.as_str() {
            "" => None,
            name => Some(
                PROTOCOLS
                    .iter()
                    .find(|(_, known)| *known == name)
                    .map(|(protocol, _)| *protocol)
                    .ok_or_else(|| format!("Protocol: \"{name}\" is not a protocol SNS knows"))?,
            ),
        };
        let filter_policy = match self.filter_policy.trim() {
            "" => None,
            text => Some(
                serde_json::from_str::<serde_json::Value>(text)
                    .map_err(|error| format!("FilterPolicy: not JSON ({error})"))?,
            ),
        };
        let delivery_policy = match self.delivery_policy.trim() {
            "" => None,
            text => Some(
                serde_json::from_str::<SubscriptionDeliveryPolicy>(text)
                    .map_err(|error| format!("DeliveryPolicy: {error}"))?,
            ),
        };
        Ok(Subscription {
            protocol,
            filter_policy,
            filter_policy_scope: (self.scope != FilterPolicyScope::default()).then_some(self.scope),
            raw_message_delivery: self.raw.then_some(true),
            delivery_policy,
            redrive_policy: (!self.dead_letter_queue.is_empty()).then(|| {
                SubscriptionRedrivePolicy {
                    dead_letter_target_arn: self.dead_letter_queue.clone(),
                }
            }),
        })
    }
}

/// The value of the select, text area or input an event came from.
pub(crate) fn value_of(event: &Event) -> String {
    if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
        return select.value();
    }
    if let Some(area) = event.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
        return area.value();
    }
    event
        .target_dyn_into::<web_sys::HtmlInputElement>()
        .map(|input| input.value())
        .unwrap_or_default()
}

#[function_component(SubscriptionPanel)]
pub fn subscription_panel(props: &SubscriptionPanelProps) -> Html {
    let current = props
        .scenario
        .connections
        .iter()
        .find(|c| c.from == props.from && c.to == props.to)
        .and_then(|c| c.subscription.clone())
        .unwrap_or_default();
    let form = {
        let start = Form::of(&current);
        use_state(move || start)
    };
    let problem = use_state(|| None::<String>);
    let update = |change: fn(&mut Form, String)| {
        let form = form.clone();
        Callback::from(move |event: Event| {
            let mut next = (*form).clone();
            change(&mut next, value_of(&event));
            form.set(next);
        })
    };
    let on_protocol = update(|form, value| form.protocol = value);
    let on_scope = update(|form, value| {
        form.scope = if value == "MessageBody" {
            FilterPolicyScope::MessageBody
        } else {
            FilterPolicyScope::MessageAttributes
        }
    });
    let on_policy = {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(area) = event.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                let mut next = (*form).clone();
                next.filter_policy = area.value();
                form.set(next);
            }
        })
    };
    // Live validation of the policy as it is typed, with AWS's error text.
    let policy_status = match form.filter_policy.trim() {
        "" => {
            html! { <p class="param-facts">{ "No filter policy: every message is delivered." }</p> }
        }
        text => {
            match loosely_engine::sns_filter::FilterPolicy::parse(text, form.scope_for_engine()) {
                Ok(policy) => html! {
                    <p class="param-facts" data-testid="filter-policy-status">
                        { format!("Valid: {} of 150 combinations.", policy.combinations()) }
                    </p>
                },
                Err(error) => html! {
                    <p class="param-problem" role="alert" data-testid="filter-policy-status">{ error.message }</p>
                },
            }
        }
    };
    let on_dlq = update(|form, value| form.dead_letter_queue = value);
    let on_delivery = update(|form, value| form.delivery_policy = value);
    let on_raw = {
        let form = form.clone();
        Callback::from(move |event: Event| {
            let checked = event
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|input| input.checked())
                .unwrap_or(false);
            let mut next = (*form).clone();
            next.raw = checked;
            form.set(next);
        })
    };
    let on_apply = {
        let form = form.clone();
        let problem = problem.clone();
        let dispatch = props.dispatch.clone();
        let (from, to) = (props.from.clone(), props.to.clone());
        Callback::from(move |_: MouseEvent| match form.subscription() {
            Ok(subscription) => {
                problem.set(None);
                dispatch.emit(EditorAction::SetSubscription {
                    from: from.clone(),
                    to: to.clone(),
                    subscription: Box::new(subscription),
                });
            }
            Err(why) => problem.set(Some(why)),
        })
    };
    let queues: Vec<String> = props
        .scenario
        .components
        .iter()
        .filter(|c| matches!(c, Component::SqsQueue(_)) && c.id() != props.to)
        .map(|c| c.id().to_string())
        .collect();
    let tester_policy = (!form.filter_policy.trim().is_empty()).then(|| form.filter_policy.clone());
    html! {
        <section class="subscription-panel" data-testid="subscription-panel">
            <h3>{ format!("Subscription {} → {}", props.from, props.to) }</h3>
            <label title="How SNS delivers to the endpoint; the default follows the subscriber's kind">
                { "Protocol " }
                <select onchange={on_protocol} data-testid="subscription-protocol">
                    <option value="" selected={form.protocol.is_empty()}>{ "(default for the subscriber)" }</option>
                    { for PROTOCOLS.iter().map(|(_, name)| html! {
                        <option value={*name} selected={form.protocol == *name}>{ *name }</option>
                    }) }
                </select>
            </label>
            <label title="Which part of the message the filter policy looks at">
                { "FilterPolicyScope " }
                <select onchange={on_scope}>
                    <option value="MessageAttributes" selected={form.scope == FilterPolicyScope::MessageAttributes}>{ "MessageAttributes" }</option>
                    <option value="MessageBody" selected={form.scope == FilterPolicyScope::MessageBody}>{ "MessageBody" }</option>
                </select>
            </label>
            <label class="stacked" title="At most 5 keys and 150 combinations; empty delivers every message">
                { "FilterPolicy (JSON, empty for none)" }
                <textarea rows="4" spellcheck="false" value={form.filter_policy.clone()}
                    oninput={on_policy} data-testid="subscription-filter-policy" />
            </label>
            { policy_status }
            <label title="Deliver the body as published instead of SNS's JSON envelope (sqs, http/s, firehose)">
                <input type="checkbox" checked={form.raw} onchange={on_raw} />
                { " RawMessageDelivery" }
            </label>
            <label title="The queue that receives messages SNS gives up on; without one they are dropped">
                { "RedrivePolicy deadLetterTargetArn " }
                <select onchange={on_dlq} data-testid="subscription-dlq">
                    <option value="" selected={form.dead_letter_queue.is_empty()}>{ "(none: dropped)" }</option>
                    { for queues.iter().map(|id| html! {
                        <option value={id.clone()} selected={&form.dead_letter_queue == id}>{ id.clone() }</option>
                    }) }
                </select>
            </label>
            <label class="stacked" title="http/https only: healthyRetryPolicy (numRetries, minDelayTarget, maxDelayTarget, backoffFunction, …) and throttlePolicy (maxReceivesPerSecond)">
                { "DeliveryPolicy (JSON, http/https)" }
                <textarea rows="3" spellcheck="false" value={form.delivery_policy.clone()}
                    onchange={on_delivery} />
            </label>
            <button class="primary" onclick={on_apply} data-testid="subscription-apply">{ "Apply" }</button>
            if let Some(why) = (*problem).clone() {
                <p class="verdict invalid" role="alert">{ why }</p>
            }
            <PolicyTester key={form.filter_policy.clone()} policy={tester_policy} scope={form.scope_for_engine()} />
        </section>
    }
}

impl Form {
    fn scope_for_engine(&self) -> loosely_engine::sns_filter::FilterPolicyScope {
        match self.scope {
            FilterPolicyScope::MessageAttributes => {
                loosely_engine::sns_filter::FilterPolicyScope::MessageAttributes
            }
            FilterPolicyScope::MessageBody => {
                loosely_engine::sns_filter::FilterPolicyScope::MessageBody
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_gives_back_the_subscription_it_was_made_from() {
        let subscription: Subscription = serde_json::from_str(
            r#"{"Protocol": "https", "FilterPolicy": {"type": ["a"]}, "FilterPolicyScope": "MessageBody",
                "RawMessageDelivery": true, "RedrivePolicy": {"deadLetterTargetArn": "dlq"},
                "DeliveryPolicy": {"healthyRetryPolicy": {"numRetries": 5, "backoffFunction": "exponential"}}}"#,
        )
        .expect("a subscription");
        assert_eq!(Form::of(&subscription).subscription(), Ok(subscription));
        let empty = Subscription::default();
        assert_eq!(Form::of(&empty).subscription(), Ok(empty));
    }

    #[test]
    fn unreadable_attributes_are_named() {
        let mut form = Form::of(&Subscription::default());
        form.filter_policy = "{not json".into();
        assert!(form
            .subscription()
            .unwrap_err()
            .starts_with("FilterPolicy: not JSON"));
        form.filter_policy.clear();
        form.delivery_policy = r#"{"healthyRetryPolicy": {"retries": 3}}"#.into();
        let why = form.subscription().unwrap_err();
        assert!(
            why.starts_with("DeliveryPolicy: ") && why.contains("retries"),
            "{why}"
        );
    }
}
