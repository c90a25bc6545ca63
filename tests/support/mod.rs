//! Shared helpers for integration tests and benchmarks.
pub mod client;
