//! Scenario format (in progress).
