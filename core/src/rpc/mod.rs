//! Reading a chain through public RPC endpoints that rate-limit, fail and refuse wide log queries:
//! the decisions, without the network (the browser's transport in `app/src/chain/transport.rs`
//! carries them out).
//!
//! - [`fault`]: what an attempt's HTTP status or JSON-RPC error means — rate-limited, a server
//!   fault, a time-out, unreachable — and whether trying again can help.
//! - [`backoff`]: how long to wait before the next attempt (exponential, capped, `Retry-After`).
//! - [`endpoints`]: the configured endpoints in the order to try them: fail over to the next,
//!   come back to the first once it has rested; what the status line says.
//! - [`log_ranges`]: an `eth_getLogs` the endpoint refused as too wide, split into block ranges it
//!   accepts.

pub mod backoff;
pub mod endpoints;
pub mod fault;
pub mod log_ranges;

pub use backoff::Backoff;
pub use endpoints::{Endpoints, RpcStatus};
pub use fault::{Fault, batch_refused};
pub use log_ranges::{LogRanges, RangeRefusal};
