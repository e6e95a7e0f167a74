//! Distributions of non-negative values as the scenario file writes them.
//!
//! ```json
//! 2048                                   (a bare number: constant)
//! {"constant": 2048}
//! {"uniform": {"min": 1, "max": 3}}
//! {"exponential": {"mean": 0.05}}
//! {"normal": {"mean": 5, "std_dev": 1}}
//! {"log_normal": {"median": 1, "sigma": 0.5}}
//! ```

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// A distribution of non-negative values (seconds or bytes, as the field says).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[serde(remote = "Self")]
pub enum Distribution {
    /// Always this value.
    Constant(f64),
    /// Uniform between `min` and `max`.
    Uniform {
        /// Smallest value, >= 0.
        min: f64,
        /// Largest value, >= min.
        max: f64,
    },
    /// Exponential with the given mean (memoryless times).
    Exponential {
        /// Mean, >= 0.
        mean: f64,
    },
    /// Normal, cut at zero.
    Normal {
        /// Mean, >= 0.
        mean: f64,
        /// Standard deviation, >= 0.
        std_dev: f64,
    },
    /// Log-normal with the given median and shape (a long right tail).
    LogNormal {
        /// Median, >= 0.
        median: f64,
        /// Shape, 0..=10.
        sigma: f64,
    },
}

impl Serialize for Distribution {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Distribution::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for Distribution {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Distribution, D::Error> {
        struct NumberOrTagged;

        impl<'de> Visitor<'de> for NumberOrTagged {
            type Value = Distribution;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a number or one of {\"constant\": ..}, {\"uniform\": ..}, {\"exponential\": ..}, {\"normal\": ..}, {\"log_normal\": ..}",
                )
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Distribution, E> {
                Ok(Distribution::Constant(value as f64))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Distribution, E> {
                Ok(Distribution::Constant(value as f64))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Distribution, E> {
                Ok(Distribution::Constant(value))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Distribution, A::Error> {
                Distribution::deserialize(de::value::MapAccessDeserializer::new(map))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Distribution, E> {
                // Lets serde report "unknown variant" with the list of known ones.
                Distribution::deserialize(de::value::StrDeserializer::<E>::new(value))
            }
        }

        deserializer.deserialize_any(NumberOrTagged)
    }
}

/// The tagged forms, for the schema.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[allow(dead_code)]
enum TaggedDistribution {
    /// Always this value.
    Constant(f64),
    /// Uniform between `min` and `max`.
    Uniform {
        /// Smallest value, >= 0.
        min: f64,
        /// Largest value, >= min.
        max: f64,
    },
    /// Exponential with the given mean (memoryless times).
    Exponential {
        /// Mean, >= 0.
        mean: f64,
    },
    /// Normal, cut at zero.
    Normal {
        /// Mean, >= 0.
        mean: f64,
        /// Standard deviation, >= 0.
        std_dev: f64,
    },
    /// Log-normal with the given median and shape (a long right tail).
    LogNormal {
        /// Median, >= 0.
        median: f64,
        /// Shape, 0..=10.
        sigma: f64,
    },
}

impl JsonSchema for Distribution {
    fn schema_name() -> Cow<'static, str> {
        "Distribution".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let tagged = generator.subschema_for::<TaggedDistribution>();
        json_schema!({
            "description": "A distribution of non-negative values: a bare number (constant) or an object with one key naming the distribution.",
            "anyOf": [
                {"type": "number", "minimum": 0, "description": "A constant."},
                tagged
            ]
        })
    }
}

impl Distribution {
    /// The engine's distribution with the same parameters.
    pub fn to_engine(self) -> loosely_engine::Distribution {
        use loosely_engine::Distribution as Engine;
        match self {
            Distribution::Constant(value) => Engine::Constant { value },
            Distribution::Uniform { min, max } => Engine::Uniform { min, max },
            Distribution::Exponential { mean } => Engine::Exponential { mean },
            Distribution::Normal { mean, std_dev } => Engine::Normal { mean, std_dev },
            Distribution::LogNormal { median, sigma } => Engine::LogNormal { median, sigma },
        }
    }
}
