//! The canvas viewport: a pan offset and a zoom factor, with pure conversions between
//! screen pixels (relative to the canvas element) and world pixels (scenario positions).

/// Smallest and largest zoom factors.
pub const MIN_ZOOM: f64 = 0.25;
pub const MAX_ZOOM: f64 = 4.0;

/// `screen = world * zoom + (x, y)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

impl Viewport {
    pub fn to_world(self, screen: (f64, f64)) -> (f64, f64) {
        (
            (screen.0 - self.x) / self.zoom,
            (screen.1 - self.y) / self.zoom,
        )
    }

    // The canvas only needs screen → world today; the inverse keeps the pair testable.
    #[allow(dead_code)]
    pub fn to_screen(self, world: (f64, f64)) -> (f64, f64) {
        (world.0 * self.zoom + self.x, world.1 * self.zoom + self.y)
    }

    /// Moves the view by screen pixels.
    pub fn panned(self, dx: f64, dy: f64) -> Viewport {
        Viewport {
            x: self.x + dx,
            y: self.y + dy,
            zoom: self.zoom,
        }
    }

    /// Multiplies the zoom by `factor` (clamped) keeping the world point under the screen
    /// point `around` where it is.
    pub fn zoomed(self, factor: f64, around: (f64, f64)) -> Viewport {
        if !factor.is_finite() || factor <= 0.0 {
            return self;
        }
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let world = self.to_world(around);
        Viewport {
            x: around.0 - world.0 * zoom,
            y: around.1 - world.1 * zoom,
            zoom,
        }
    }

    /// The SVG transform of the world layer.
    pub fn transform(self) -> String {
        format!("translate({} {}) scale({})", self.x, self.y, self.zoom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_and_world_round_trip() {
        let viewport = Viewport {
            x: 30.0,
            y: -10.0,
            zoom: 2.0,
        };
        assert_eq!(viewport.to_screen((5.0, 5.0)), (40.0, 0.0));
        assert_eq!(viewport.to_world((40.0, 0.0)), (5.0, 5.0));
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor() {
        let viewport = Viewport::default().panned(10.0, 20.0);
        let around = (200.0, 100.0);
        let before = viewport.to_world(around);
        let zoomed = viewport.zoomed(1.5, around);
        assert_eq!(zoomed.zoom, 1.5);
        let after = zoomed.to_world(around);
        assert!((before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9);
        assert_eq!(Viewport::default().zoomed(100.0, around).zoom, MAX_ZOOM);
        assert_eq!(Viewport::default().zoomed(0.0, around), Viewport::default());
    }
}
