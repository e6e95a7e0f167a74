//! CSV text (RFC 4180: comma-separated, a field with a comma, quote or line break quoted,
//! quotes doubled) for metrics and sweeps.

use loosely_engine::MetricSample;

/// A text field, quoted when it must be.
pub fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A number rounded to 9 decimals, without trailing zeros (empty for NaN and infinities).
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let text = format!("{value:.9}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// Metric samples as CSV, one row per sample: `time_seconds` (the end of the period),
/// `component` (its scenario id), `metric` (the CloudWatch name), `unit`, `value`.
pub fn metrics_csv(samples: &[MetricSample], ids: &[String]) -> String {
    let mut text = String::from("time_seconds,component,metric,unit,value\n");
    for sample in samples {
        let component = ids.get(sample.component).map(String::as_str).unwrap_or("?");
        text.push_str(&format!(
            "{},{},{},{},{}\n",
            number(sample.time.as_secs_f64()),
            field(component),
            sample.metric.as_str(),
            sample.metric.unit(),
            number(sample.value),
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field("orders"), "orders");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(number(0.1), "0.1");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(f64::NAN), "");
        assert_eq!(number(0.022346800000000003), "0.0223468");
        assert_eq!(number(120.0), "120");
    }
}
