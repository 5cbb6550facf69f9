//! Helpers shared by the host tests (`mod common;` in each test file; not a test crate itself).

pub mod cast;
