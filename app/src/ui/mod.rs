//! Reusable view pieces, by area (`components/<area>.rs`).

pub mod components;
