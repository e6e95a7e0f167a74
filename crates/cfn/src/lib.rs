//! # loosely-cfn
//!
//! CloudFormation and SAM templates to and from loosely scenarios.
//!
//! ```text
//!   template text (JSON or YAML) ──parse──▶ JSON value ──import──▶ Imported { scenario, skipped }
//!   Scenario ──export──▶ template (JSON value) with the simulation's own knobs in Metadata
//! ```
//!
//! Import maps each resource through one function per resource type ([`import`]'s table):
//! `AWS::SQS::Queue`, `AWS::SQS::QueuePolicy` (which topics may send to a queue),
//! `AWS::SNS::Topic` (and its inline subscriptions), `AWS::SNS::Subscription`,
//! `AWS::S3::Bucket`, `AWS::StepFunctions::StateMachine`, `AWS::Serverless::StateMachine` and
//! `AWS::CloudWatch::Alarm` (on a queue's `AWS/SQS` metric).
//! `Ref`, `Fn::GetAtt` (both forms), `Fn::Sub`, `Fn::Join` and `Fn::Select` are resolved; a
//! reference to an imported resource becomes a connection (a subscription, a dead-letter
//! queue, an allowed source topic). Everything else (other resource types, properties the
//! playground does not model, references it cannot resolve) is listed in
//! [`Imported::skipped`], each with its path and the reason, never silently dropped.
//!
//! Export writes a template that `cfn-lint` accepts: queues, topics, subscriptions, buckets,
//! state machines and Lambda functions (each with an IAM role), functions' event source
//! mappings and asynchronous invocation settings, and alarms on queue metrics as resources;
//! producers, consumers, endpoints, their connections, alarms, expectations, canvas positions
//! and the simulation-only knobs under `Metadata.Loosely`, so that importing an exported
//! template gives the scenario back.
//!
//! ```
//! let template = r#"
//! Resources:
//!   Orders:
//!     Type: AWS::SQS::Queue
//!     Properties:
//!       VisibilityTimeout: 60
//!       RedrivePolicy:
//!         deadLetterTargetArn: !GetAtt OrdersDlq.Arn
//!         maxReceiveCount: 3
//!   OrdersDlq:
//!     Type: AWS::SQS::Queue
//!   Handler:
//!     Type: AWS::Lambda::Function
//!     Properties:
//!       Timeout: 20
//!       Runtime: python3.13
//!   Reads:
//!     Type: AWS::Lambda::EventSourceMapping
//!     Properties:
//!       EventSourceArn: !GetAtt Orders.Arn
//!       FunctionName: !Ref Handler
//!       BatchSize: 5
//!   Cluster:
//!     Type: AWS::ECS::Cluster
//! "#;
//! let imported = loosely_cfn::import(template).expect("a template");
//! assert_eq!(imported.scenario.components.len(), 3);
//! assert_eq!(imported.scenario.connections[0].from, "Orders");
//! assert_eq!(imported.scenario.connections[0].to, "Handler");
//! assert_eq!(imported.skipped[0].path, "Resources.Cluster");
//! assert_eq!(imported.skipped[1].path, "Resources.Handler.Properties.Runtime");
//! let exported = loosely_cfn::export(&imported.scenario);
//! let again = loosely_cfn::import(&exported).expect("our own template");
//! assert_eq!(again.scenario, imported.scenario);
//! ```

mod export;
mod import;
mod resolve;
pub mod template;

pub use export::{export, export_value};
pub use import::{import, import_value, Imported, Skipped};
pub use template::{MAX_DEPTH, MAX_RESOURCES, MAX_TEMPLATE_BYTES};

/// Why a text is not a template that can be imported at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the template is {bytes} bytes; at most {max} bytes are read (CloudFormation's limit for a template in S3)")]
    TooLarge { bytes: usize, max: usize },
    #[error("the template declares {count} resources; at most {max} are read (CloudFormation's quota per template)")]
    TooManyResources { count: usize, max: usize },
    #[error("line {line}, column {column}: nesting deeper than {max} levels")]
    TooDeep {
        line: usize,
        column: usize,
        max: usize,
    },
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("not a CloudFormation template: {0}")]
    NotATemplate(String),
}
