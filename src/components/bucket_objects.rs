//! The selected S3 bucket while running: its objects, keys in order, as `ListObjectsV2`
//! lists them (the scenario's seeds and what a Distributed Map's `ResultWriter` wrote);
//! a row opens the object's text.

use yew::prelude::*;

use crate::live::LiveHandle;

#[derive(Properties, PartialEq)]
pub struct BucketObjectsProps {
    pub live: LiveHandle,
    /// The simulated clock in microseconds: the list re-renders when it moves.
    pub now: u64,
    /// Whether the simulation is built: a page opened paused lists the seeded objects as
    /// soon as it is (the clock does not move).
    pub ready: bool,
    /// The scenario id of the one selected component, if exactly one is selected.
    pub selected: Option<String>,
}

/// Objects listed (`ListObjectsV2` gives 1,000 a page; a panel needs fewer).
const SHOWN_OBJECTS: usize = 100;
/// Characters of an object's text shown when its row is opened.
const SHOWN_TEXT: usize = 4_096;

/// `LastModified` as S3 writes it, from seconds since the Unix epoch.
fn last_modified(epoch_seconds: i64) -> String {
    let days = epoch_seconds.div_euclid(86_400);
    let seconds = epoch_seconds.rem_euclid(86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        seconds / 3_600,
        seconds % 3_600 / 60,
        seconds % 60
    )
}

/// The first [`SHOWN_TEXT`] characters of a body, and whether it was cut.
fn shown_text(body: &str) -> (String, bool) {
    let mut text: String = body.chars().take(SHOWN_TEXT).collect();
    let cut = text.len() < body.len();
    if cut {
        text.push('…');
    }
    (text, cut)
}

#[function_component(BucketObjects)]
pub fn bucket_objects(props: &BucketObjectsProps) -> Html {
    let Some(id) = props.selected.clone() else {
        return html! {};
    };
    let Some(objects) = props.live.read(|live| live.bucket_objects(&id)).flatten() else {
        return html! {};
    };
    let bytes: u64 = objects.iter().map(|o| o.size).sum();
    html! {
        <div class="peek bucket-objects" data-testid="bucket-objects">
            <h2>{ format!("Objects in {id}: {} ({bytes} bytes)", objects.len()) }</h2>
            if objects.is_empty() {
                <p class="hint">{ "The bucket is empty: a scenario seeds objects in the bucket's objects field, and a Distributed Map's ResultWriter writes its results here." }</p>
            } else {
                <div class="peek-rows">
                    { for objects.iter().take(SHOWN_OBJECTS).map(|object| {
                        let (text, _) = shown_text(&object.body);
                        html! {
                            <details data-testid="bucket-object">
                                <summary>
                                    <code>{ object.key.clone() }</code>
                                    { format!(" · {} bytes · {}", object.size, last_modified(object.last_modified)) }
                                </summary>
                                <pre>{ text }</pre>
                            </details>
                        }
                    }) }
                    if objects.len() > SHOWN_OBJECTS {
                        <p class="hint">{ format!("and {} more", objects.len() - SHOWN_OBJECTS) }</p>
                    }
                </div>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_modified_is_written_as_s3_writes_it() {
        assert_eq!(last_modified(0), "1970-01-01T00:00:00Z");
        assert_eq!(last_modified(1_704_067_200), "2024-01-01T00:00:00Z");
        assert_eq!(last_modified(1_709_210_096), "2024-02-29T12:34:56Z");
        assert_eq!(last_modified(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn long_bodies_are_cut() {
        assert_eq!(shown_text("[1, 2]"), ("[1, 2]".to_string(), false));
        let long = "é".repeat(SHOWN_TEXT + 5);
        let (text, cut) = shown_text(&long);
        assert!(cut);
        assert_eq!(text.chars().count(), SHOWN_TEXT + 1);
    }
}
