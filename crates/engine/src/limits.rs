//! Every AWS number the engine enforces, in one table per limit profile.
//!
//! `current` is today's documented AWS behaviour (`aws-semantics.md` §1); `exam` carries the
//! figures of common certification notes (§10). Ranges of queue attributes do not differ
//! between profiles and live in [`ranges`].

/// Which table of limits a scenario runs under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LimitProfile {
    /// Today's AWS numbers (the default).
    #[default]
    Current,
    /// The numbers of common exam notes: 256 KB messages, FIFO 300 msg/s (3,000 batched),
    /// high-throughput FIFO 9,000 / 90,000, FIFO in-flight 20,000.
    Exam,
}

/// The limits in force for one run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Largest message body plus attributes, in bytes (SQS).
    pub sqs_max_message_size: u32,
    /// In-flight messages per standard queue before `OverLimit`.
    pub standard_in_flight_cap: u32,
    /// In-flight messages per FIFO queue (no error when reached).
    pub fifo_in_flight_cap: u32,
    /// API calls per second per action on a FIFO queue in normal mode.
    pub fifo_calls_per_second: u32,
    /// API calls per second per action on a high-throughput FIFO queue.
    pub fifo_high_throughput_calls_per_second: u32,
    /// Entries in one batch request.
    pub max_batch_entries: u32,
    /// Total payload of one batch request, in bytes.
    pub max_batch_payload: u32,
    /// FIFO deduplication interval, in seconds.
    pub dedup_window_seconds: u64,
    /// A billable SQS request is each started chunk of this many bytes of payload.
    pub billing_chunk_bytes: u32,
    /// Price per million standard-queue requests, US dollars.
    pub price_standard_per_million: f64,
    /// Price per million FIFO-queue requests, US dollars.
    pub price_fifo_per_million: f64,
    /// Messages a receive looks at when it short-polls a queue with fewer visible messages than
    /// this: below it, short polling samples a subset of servers.
    pub short_poll_full_view_threshold: u32,
    /// Number of simulated storage servers a queue is spread over (short polling samples them).
    pub short_poll_servers: u32,
    /// Longest total visibility of one receive (ChangeMessageVisibility cap), in seconds.
    pub max_visibility_total_seconds: u64,
    /// Highest `MaxNumberOfMessagesPerSecond` of a message move task.
    pub max_move_task_rate: u32,
    /// SNS publish requests (64 KB chunks), US dollars per million.
    pub price_sns_publish_per_million: f64,
    /// SNS deliveries to HTTP/S endpoints, per million.
    pub price_sns_http_per_million: f64,
    /// SNS deliveries to email, per million ($2.00 per 100,000).
    pub price_sns_email_per_million: f64,
    /// SNS deliveries to mobile push, per million.
    pub price_sns_push_per_million: f64,
}

const CURRENT: Limits = Limits {
    sqs_max_message_size: 1_048_576,
    standard_in_flight_cap: 120_000,
    fifo_in_flight_cap: 120_000,
    fifo_calls_per_second: 300,
    // US East (N. Virginia), US West (Oregon), Europe (Ireland) — §1.6.
    fifo_high_throughput_calls_per_second: 70_000,
    max_batch_entries: 10,
    max_batch_payload: 1_048_576,
    dedup_window_seconds: 300,
    billing_chunk_bytes: 65_536,
    price_standard_per_million: 0.40,
    price_fifo_per_million: 0.50,
    short_poll_full_view_threshold: 1_000,
    short_poll_servers: 8,
    max_visibility_total_seconds: 43_200,
    max_move_task_rate: 500,
    // §9: deliveries to SQS and Lambda are free; SMS is priced per country and Firehose per
    // GB, which the meter leaves out.
    price_sns_publish_per_million: 0.50,
    price_sns_http_per_million: 0.60,
    price_sns_email_per_million: 20.00,
    price_sns_push_per_million: 0.50,
};

const EXAM: Limits = Limits {
    sqs_max_message_size: 262_144,
    standard_in_flight_cap: 120_000,
    fifo_in_flight_cap: 20_000,
    fifo_calls_per_second: 300,
    fifo_high_throughput_calls_per_second: 9_000,
    max_batch_entries: 10,
    max_batch_payload: 262_144,
    ..CURRENT
};

impl LimitProfile {
    pub fn limits(self) -> Limits {
        match self {
            LimitProfile::Current => CURRENT,
            LimitProfile::Exam => EXAM,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LimitProfile::Current => "current",
            LimitProfile::Exam => "exam",
        }
    }
}

/// Allowed ranges of SQS attributes and client parameters, in AWS units (§1.2, §1.4).
pub mod ranges {
    use std::ops::RangeInclusive;

    pub const VISIBILITY_TIMEOUT: RangeInclusive<u32> = 0..=43_200;
    pub const DELAY_SECONDS: RangeInclusive<u32> = 0..=900;
    pub const MESSAGE_RETENTION_PERIOD: RangeInclusive<u32> = 60..=1_209_600;
    pub const RECEIVE_MESSAGE_WAIT_TIME_SECONDS: RangeInclusive<u32> = 0..=20;
    pub const MAXIMUM_MESSAGE_SIZE: RangeInclusive<u32> = 1_024..=1_048_576;
    pub const MAX_RECEIVE_COUNT: RangeInclusive<u32> = 1..=1_000;
    pub const MAX_NUMBER_OF_MESSAGES: RangeInclusive<u32> = 1..=10;
    pub const KMS_DATA_KEY_REUSE_PERIOD_SECONDS: RangeInclusive<u32> = 60..=86_400;
    pub const QUEUE_NAME_LENGTH: RangeInclusive<usize> = 1..=80;
    pub const GROUP_OR_DEDUP_ID_LENGTH: RangeInclusive<usize> = 1..=128;
    pub const MESSAGE_ATTRIBUTES: RangeInclusive<usize> = 0..=10;
    /// Workers in one consumer pool (a simulation bound, not an AWS one).
    pub const CONSUMER_WORKERS: RangeInclusive<u32> = 0..=10_000;
    /// Messages per second of a producer (a simulation bound).
    pub const PRODUCER_RATE: RangeInclusive<f64> = 0.0..=1_000_000.0;
    pub const MOVE_TASK_RATE: RangeInclusive<u32> = 1..=500;

    /// Default `MessageRetentionPeriod`: 4 days.
    pub const DEFAULT_MESSAGE_RETENTION_PERIOD: u32 = 345_600;
    pub const DEFAULT_VISIBILITY_TIMEOUT: u32 = 30;
    /// `maxReceiveCount` when a redrive policy leaves it out ("Default: 10" in the API text).
    pub const DEFAULT_MAX_RECEIVE_COUNT: u32 = 10;
}
