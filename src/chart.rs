//! The geometry of the CloudWatch-style charts: a series scaled into a small box, at most a
//! few hundred points, and the value under the cursor. Free of DOM types.

use loosely_engine::SeriesPoint;

/// Most points drawn per series (older, merged points are already coarse).
pub const MAX_POINTS: usize = 300;

/// A series ready to draw in a `width` × `height` box spanning simulated seconds
/// `0..=end_seconds`.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    /// SVG polyline points, `x,y x,y …`.
    pub polyline: String,
    /// The top of the value axis (a round number at or above the largest value).
    pub y_max: f64,
    /// (seconds, value) of the points drawn, oldest first.
    pub points: Vec<(f64, f64)>,
}

/// A round number at or above `value` (1, 2 or 5 times a power of ten).
pub fn nice_ceiling(value: f64) -> f64 {
    if !(value.is_finite() && value > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|step| step * power)
        .find(|candidate| *candidate >= value * (1.0 - 1e-12))
        .unwrap_or(10.0 * power)
}

/// Scales `series` into the box; each point sits at the end of its period.
pub fn plot(series: &[SeriesPoint], width: f64, height: f64, end_seconds: f64) -> Plot {
    let stride = series.len().div_ceil(MAX_POINTS).max(1);
    let points: Vec<(f64, f64)> = series
        .chunks(stride)
        .filter_map(|chunk| {
            let last = chunk.last()?;
            // The largest value of the merged chunk, so spikes stay visible.
            let value = chunk
                .iter()
                .map(|p| p.value)
                .fold(f64::NEG_INFINITY, f64::max);
            Some((last.time.as_secs_f64(), value))
        })
        .filter(|(_, v)| v.is_finite())
        .collect();
    let y_max = nice_ceiling(points.iter().map(|(_, v)| *v).fold(0.0, f64::max));
    Plot {
        polyline: polyline(&points, y_max, end_seconds, width, height),
        y_max,
        points,
    }
}

/// SVG polyline points of `(seconds, value)` pairs in a `width` × `height` box whose top
/// is `y_max` and whose right edge is `end_seconds`.
pub fn polyline(
    points: &[(f64, f64)],
    y_max: f64,
    end_seconds: f64,
    width: f64,
    height: f64,
) -> String {
    let end = end_seconds.max(1e-9);
    let top = if y_max > 0.0 { y_max } else { 1.0 };
    points
        .iter()
        .map(|(t, v)| {
            format!(
                "{:.1},{:.1}",
                (t / end).clamp(0.0, 1.0) * width,
                height - (v / top).clamp(0.0, 1.0) * height
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The point nearest to `seconds`.
pub fn nearest(points: &[(f64, f64)], seconds: f64) -> Option<(f64, f64)> {
    points
        .iter()
        .copied()
        .min_by(|a, b| (a.0 - seconds).abs().total_cmp(&(b.0 - seconds).abs()))
}

/// A value as a chart labels it: whole numbers plainly, others with three significant digits.
pub fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else if value.abs() >= 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loosely_engine::{SimDuration, SimTime};

    fn point(seconds: u64, value: f64) -> SeriesPoint {
        SeriesPoint {
            time: SimTime::from_secs(seconds),
            span: SimDuration::from_secs(60),
            value,
        }
    }

    #[test]
    fn a_series_is_scaled_into_the_box() {
        let series = [point(60, 0.0), point(120, 7.0), point(180, 3.0)];
        let plot = plot(&series, 300.0, 100.0, 300.0);
        assert_eq!(plot.y_max, 10.0);
        assert_eq!(plot.polyline, "60.0,100.0 120.0,30.0 180.0,70.0");
        assert_eq!(nearest(&plot.points, 130.0), Some((120.0, 7.0)));
        assert_eq!(nearest(&[], 1.0), None);
    }

    #[test]
    fn long_series_are_thinned_keeping_peaks() {
        let series: Vec<SeriesPoint> = (1..=1_000)
            .map(|i| point(i * 60, if i == 501 { 99.0 } else { 1.0 }))
            .collect();
        let plot = plot(&series, 300.0, 100.0, 60_000.0);
        assert!(plot.points.len() <= MAX_POINTS);
        assert!(
            plot.points.iter().any(|(_, v)| *v == 99.0),
            "the spike survives"
        );
        assert_eq!(plot.y_max, 100.0);
    }

    #[test]
    fn round_axis_tops_and_labels() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(3.2), 5.0);
        assert_eq!(nice_ceiling(20.0), 20.0);
        assert_eq!(nice_ceiling(0.013), 0.02);
        assert_eq!(format_value(12.0), "12");
        assert_eq!(format_value(0.12345), "0.123");
        assert_eq!(format_value(1234.56), "1234.6");
    }
}
