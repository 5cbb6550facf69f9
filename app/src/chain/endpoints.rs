//! JSON-RPC reads over HTTP to the configured endpoints, as public RPCs need: each attempt has a
//! time-out, a rate limit or a server fault moves the request to the next endpoint (and back to
//! the first once it has rested), waits back off, a batch refused for its size is sent in halves,
//! and the page is told in one quiet line what is going on (`assay_core::rpc` decides; this file
//! only sends). Reads only: transactions go through the wallet, so repeating a request is safe.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alloy_json_rpc::{RequestPacket, ResponsePacket};
use alloy_transport::{TransportError, TransportErrorKind};
use assay_core::rpc::{Backoff, Endpoints, Fault, RpcStatus, batch_refused, endpoints::Next};
use gloo_net::http::Request;

/// One attempt's limit: a plain read, and a log query (which can be slow on a public node), plus
/// [`PER_BATCHED`] for each request of a batch (the catalogue's is one call per 25 listings), at
/// most [`MAX_TIMEOUT`].
const READ_TIMEOUT: Duration = Duration::from_secs(15);
const LOGS_TIMEOUT: Duration = Duration::from_secs(30);
const PER_BATCHED: Duration = Duration::from_millis(100);
const MAX_TIMEOUT: Duration = Duration::from_secs(120);
/// A request gives up after this many attempts, or once this long has passed: a quiet status
/// line while it tries, then a sentence, never a hang.
const MAX_ATTEMPTS: u32 = 6;
const GIVE_UP_AFTER: Duration = Duration::from_secs(60);

/// What the endpoints shared by every read of a page know: their health, and the widest log
/// query they accept (learned from a refusal; `None` until one).
#[derive(Debug)]
pub struct ReadState {
    pub endpoints: Endpoints,
    pub log_span: Option<u64>,
}

type Shared = Arc<Mutex<ReadState>>;
/// Who is told when the reads' status changes.
type Observer = Rc<dyn Fn(RpcStatus)>;

thread_local! {
    static STATES: RefCell<HashMap<Vec<String>, Shared>> = RefCell::new(HashMap::new());
    static OBSERVER: RefCell<Option<Observer>> = const { RefCell::new(None) };
}

/// Calls `observer` whenever the reads' status changes (the app's status line).
pub fn observe_status(observer: impl Fn(RpcStatus) + 'static) {
    OBSERVER.with(|o| *o.borrow_mut() = Some(Rc::new(observer)));
}

fn tell(status: RpcStatus) {
    if let Some(observer) = OBSERVER.with(|o| o.borrow().clone()) {
        observer(status);
    }
}

/// The state of these endpoints, shared by every transport over the same list.
pub fn shared_state(urls: &[String]) -> Shared {
    STATES.with(|states| {
        states
            .borrow_mut()
            .entry(urls.to_vec())
            .or_insert_with(|| {
                Arc::new(Mutex::new(ReadState { endpoints: Endpoints::new(urls.iter().cloned()), log_span: None }))
            })
            .clone()
    })
}

/// JSON-RPC over HTTP `POST` (the browser's `fetch`), batches included, to the first endpoint
/// that answers.
#[derive(Clone, Debug)]
pub struct HttpTransport {
    state: Shared,
}

/// What one attempt got back.
enum Reply {
    Answer { status: u16, retry_after: Option<String>, text: String },
    Failed(Fault),
}

impl HttpTransport {
    pub fn new(urls: &[String]) -> Self {
        Self { state: shared_state(urls) }
    }

    pub fn state(&self) -> Shared {
        self.state.clone()
    }

    pub(super) async fn send(self, packet: RequestPacket) -> Result<ResponsePacket, TransportError> {
        let is_batch = matches!(packet, RequestPacket::Batch(ref requests) if requests.len() > 1);
        let base = if packet.method_names().any(|m| m == "eth_getLogs") { LOGS_TIMEOUT } else { READ_TIMEOUT };
        let timeout = (base + PER_BATCHED * packet.len() as u32).min(MAX_TIMEOUT);
        let body = packet.clone().serialize().map_err(TransportError::ser_err)?.get().to_owned();
        let started = js_sys::Date::now();
        let mut last = Fault::Unreachable;
        for attempt in 0..MAX_ATTEMPTS {
            let next = self.lock().endpoints.next(js_sys::Date::now());
            let i = match next {
                Next::Try(i) => i,
                Next::Wait { ms, then } => {
                    // An endpoint's `Retry-After` is waited in full; any other rest is cut short by
                    // the read back-off (a lone endpoint that dropped one request is tried again soon).
                    let wait = match last {
                        Fault::RateLimited { retry_after_ms: Some(_) } => ms,
                        _ => ms.min(Backoff::READ.delay_ms(attempt, &last, js_sys::Math::random()).max(250)),
                    };
                    if js_sys::Date::now() - started + wait as f64 > GIVE_UP_AFTER.as_millis() as f64 {
                        break;
                    }
                    gloo_timers::future::sleep(Duration::from_millis(wait)).await;
                    then
                }
            };
            let url = self.lock().endpoints.url(i).to_owned();
            let fault = match post(&url, &body, timeout).await {
                Reply::Failed(fault) => fault,
                Reply::Answer { status, retry_after, text } => {
                    if let Some(fault) = Fault::from_status(status, retry_after.as_deref()) {
                        fault
                    } else if let Some(fault) = rate_limited(&text) {
                        fault
                    } else if is_batch && !text.trim_start().starts_with('[') && batch_refused(status, &text) {
                        self.succeeded(i);
                        return Box::pin(self.send_in_halves(packet)).await;
                    } else if !(200..300).contains(&status) {
                        self.succeeded(i);
                        return Err(TransportErrorKind::http_error(status, text));
                    } else {
                        self.succeeded(i);
                        return serde_json::from_str(&text).map_err(|e| TransportError::deser_err(e, text));
                    }
                }
            };
            last = fault;
            let status = {
                let mut state = self.lock();
                state.endpoints.failed(i, fault, js_sys::Date::now());
                state.endpoints.status()
            };
            tell(status);
        }
        Err(TransportErrorKind::custom_str(&format!("unreachable: every endpoint is {}", last.words())))
    }

    /// A batch the endpoint refused for its size, sent as two smaller ones; the answers joined.
    async fn send_in_halves(self, packet: RequestPacket) -> Result<ResponsePacket, TransportError> {
        let RequestPacket::Batch(mut first) = packet else { unreachable!("only batches are halved") };
        let second = first.split_off(first.len() / 2);
        let a = Box::pin(self.clone().send(RequestPacket::Batch(first))).await?;
        let b = Box::pin(self.send(RequestPacket::Batch(second))).await?;
        Ok(a.responses().iter().chain(b.responses()).cloned().collect())
    }

    fn succeeded(&self, i: usize) {
        let (before, after) = {
            let mut state = self.lock();
            let before = state.endpoints.status();
            state.endpoints.succeeded(i);
            (before, state.endpoints.status())
        };
        if before != after {
            tell(after);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ReadState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A JSON-RPC answer whose error (alone, or any in a batch) says the caller is rate-limited.
fn rate_limited(text: &str) -> Option<Fault> {
    // Most answers carry no error at all: don't parse a large one twice for nothing.
    if !text.contains("\"error\"") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let items = match &value {
        serde_json::Value::Array(items) => items.iter().collect::<Vec<_>>(),
        single => vec![single],
    };
    items.into_iter().find_map(|item| {
        let error = item.get("error")?;
        let code = error.get("code").and_then(|c| c.as_i64()).unwrap_or(0);
        Fault::from_rpc_error(code, error.get("message").and_then(|m| m.as_str()).unwrap_or(""))
    })
}

/// One `POST`, aborted after `timeout`.
async fn post(url: &str, body: &str, timeout: Duration) -> Reply {
    let Ok(controller) = web_sys::AbortController::new() else { return Reply::Failed(Fault::Unreachable) };
    let signal = controller.signal();
    let abort = controller.clone();
    let timer = gloo_timers::callback::Timeout::new(timeout.as_millis() as u32, move || abort.abort());
    let request = Request::post(url).header("content-type", "application/json").abort_signal(Some(&signal));
    let response = match request.body(body.to_owned()) {
        Ok(request) => request.send().await,
        Err(_) => return Reply::Failed(Fault::Unreachable),
    };
    let reply = match response {
        Ok(response) => {
            let status = response.status();
            let retry_after = response.headers().get("retry-after");
            match response.text().await {
                Ok(text) => Reply::Answer { status, retry_after, text },
                Err(_) if signal.aborted() => Reply::Failed(Fault::Timeout),
                Err(_) => Reply::Failed(Fault::Unreachable),
            }
        }
        Err(_) if signal.aborted() => Reply::Failed(Fault::Timeout),
        Err(_) => Reply::Failed(Fault::Unreachable),
    };
    drop(timer);
    reply
}
