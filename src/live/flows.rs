//! AppFlow flows in the running simulation: the "Run flow" button's `StartFlow` and the run
//! history the flow panel lists; and the objects a bucket panel lists.

use loosely_engine::{Command, FlowRunRecord};

use super::Live;

impl Live {
    /// The runs of the flow with scenario id `id`, newest first; `None` when `id` is not a
    /// flow.
    pub fn flow_runs(&self, id: &str) -> Option<Vec<FlowRunRecord>> {
        let index = self.index_of(id)?;
        if !matches!(
            self.simulation
                .model()
                .components
                .get(index)
                .map(|c| &c.kind),
            Some(loosely_engine::ComponentKind::Flow(_))
        ) {
            return None;
        }
        let mut runs = self.simulation.flow_runs(index);
        runs.reverse();
        Some(runs)
    }

    /// The objects of the bucket with scenario id `id`, keys in order; `None` when `id` is
    /// not a bucket.
    pub fn bucket_objects(&self, id: &str) -> Option<Vec<loosely_engine::BucketObject>> {
        self.simulation.bucket_objects(self.index_of(id)?)
    }

    /// `StartFlow` on the flow with scenario id `id`, now; the error says why nothing started.
    pub fn start_flow(&mut self, id: &str) -> Result<(), String> {
        let index = self
            .index_of(id)
            .ok_or_else(|| format!("\"{id}\" is not a component"))?;
        self.simulation
            .handle_command(Command::StartFlow { flow: index })
            .map_err(|error| error.to_string())?;
        // The recorded future no longer follows from the present.
        self.timeline.truncate_after(self.simulation.now());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use loosely_engine::{FlowRunStatus, SimDuration};

    use crate::live::Live;

    const SYNC: &str = include_str!("../../examples/appflow-scheduled-sync.json");

    #[test]
    fn run_flow_starts_an_on_demand_run_and_the_history_lists_it_first() {
        let mut live = Live::from_json(SYNC).expect("valid");
        // Past the backfill started at 7 minutes.
        live.advance(SimDuration::from_secs(600));
        while !live.work() {}
        live.start_flow("backfill").expect("starts");
        assert!(live.start_flow("backfill").is_err(), "one run at a time");
        let runs = live.flow_runs("backfill").expect("a flow");
        assert_eq!(runs[0].status, FlowRunStatus::InProgress);
        assert!(live.flow_runs("nothing").is_none());
        assert!(live
            .flow_runs("opportunities-sync")
            .is_some_and(|r| !r.is_empty()));
    }

    #[test]
    fn a_bucket_lists_its_seeded_objects_and_nothing_else_lists_any() {
        let live = Live::from_json(include_str!("../../examples/sfn-distributed-map-s3.json"))
            .expect("valid");
        let objects = live.bucket_objects("orders-in").expect("a bucket");
        let keys: Vec<&str> = objects.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys, vec!["2024/orders.csv", "2025/orders.csv"]);
        assert!(live.bucket_objects("SettleOrders").is_none());
        assert!(live.bucket_objects("nothing").is_none());
    }
}
