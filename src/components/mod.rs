//! One component per file.

pub mod asl_graph_view;
pub mod asl_history;
pub mod asl_workbench;
pub mod bucket_objects;
pub mod canvas;
pub mod charts;
pub mod compare_panel;
pub mod component_card;
pub mod event_log;
pub mod event_source_panel;
pub mod expectations;
pub mod faults_panel;
pub mod flow_runs;
pub mod gallery;
pub mod history;
pub mod inspector;
pub mod outline;
pub mod palette;
pub mod particle_layer;
pub mod peek;
pub mod policy_tester;
pub mod sfn_live;
pub mod share_menu;
pub mod subscription_panel;
pub mod timebar;
pub mod top_bar;
