//! The two handles every chain read goes through, bound to the runtime configuration once:
//! [`Rpc`] (the configured endpoint, no wallet involved) and [`Market`] (the marketplace's two
//! contracts on it). Nothing else builds a provider or looks a contract up by name.

use alloy_json_rpc::{RpcRecv, RpcSend};
use alloy_network::Ethereum;
use alloy_primitives::{Address, B256, Bytes, U64};
use alloy_provider::{Provider, RootProvider};
use alloy_rpc_client::{BatchRequest, RpcClient};
use alloy_rpc_types_eth::{BlockId, BlockNumberOrTag, Filter, Log};
use alloy_sol_types::{SolCall, SolEvent};
use alloy_transport::{RpcError, TransportError};
use assay_core::config::RuntimeConfig;
use assay_core::failure::Failure;
use assay_core::rpc::{LogRanges, RangeRefusal};

use super::endpoints::ReadState;
use super::{HttpTransport, call_request, failure};

/// The configured JSON-RPC endpoints: a provider over `fetch` (which fails over between them),
/// their shared state, and the URL named when all fail.
#[derive(Clone)]
pub struct Rpc {
    provider: RootProvider<Ethereum>,
    state: std::sync::Arc<std::sync::Mutex<ReadState>>,
    url: String,
}

impl Rpc {
    pub fn of(config: &RuntimeConfig) -> Self {
        let urls = config.rpc_endpoints();
        let transport = HttpTransport::new(&urls);
        let url = match urls.len() {
            1 => urls[0].clone(),
            n => format!("{} (and {} more)", urls[0], n - 1),
        };
        Rpc { state: transport.state(), provider: RootProvider::new(RpcClient::new(transport, false)), url }
    }

    pub fn provider(&self) -> &RootProvider<Ethereum> {
        &self.provider
    }

    /// Classifies an error of a request to this endpoint.
    pub fn failure(&self, error: &TransportError) -> Failure {
        failure(error, &self.url)
    }

    /// Calls a view function of `to` at the latest block.
    pub async fn read<C: SolCall>(&self, to: Address, call: C) -> Result<C::Return, Failure> {
        self.read_at(to, call, BlockId::latest()).await
    }

    /// The logs matching `filter`, in block ranges the endpoint accepts: once an endpoint has
    /// refused a range as too wide, this and later queries are split (`assay_core::rpc::log_ranges`).
    pub async fn logs(&self, filter: &Filter) -> Result<Vec<Log>, Failure> {
        if self.log_span().is_none() {
            match self.send::<_, Vec<Log>>("eth_getLogs", (filter,)).await {
                Ok(logs) => return Ok(logs),
                Err(error) => match range_refusal(&error) {
                    Some(refusal) => self.shrink_log_span(&refusal, span_of(filter, None)),
                    None => return Err(self.failure(&error)),
                },
            }
        }
        self.logs_in_ranges(filter).await
    }

    /// The logs of `filter` queried range by range, the span shrinking at each refusal.
    async fn logs_in_ranges(&self, filter: &Filter) -> Result<Vec<Log>, Failure> {
        let from = filter.get_from_block().unwrap_or(0);
        let to = match filter.get_to_block() {
            Some(to) => to,
            None => self.block_number().await?,
        };
        let mut logs = Vec::new();
        let mut start = from;
        while start <= to {
            let span = self.log_span().unwrap_or(u64::MAX);
            let Some((a, b)) = LogRanges { from: start, to, span }.ranges().next() else { break };
            match self.send::<_, Vec<Log>>("eth_getLogs", (&filter.clone().from_block(a).to_block(b),)).await {
                Ok(mut found) => {
                    logs.append(&mut found);
                    start = b + 1;
                    if b == u64::MAX {
                        break;
                    }
                }
                Err(error) => match range_refusal(&error) {
                    Some(refusal) if b > a => self.shrink_log_span(&refusal, b - a + 1),
                    _ => return Err(self.failure(&error)),
                },
            }
        }
        Ok(logs)
    }

    fn log_span(&self) -> Option<u64> {
        self.state.lock().map(|s| s.log_span).unwrap_or(None)
    }

    fn shrink_log_span(&self, refusal: &RangeRefusal, refused: u64) {
        if let Ok(mut state) = self.state.lock() {
            let next = refusal.next_span(refused);
            state.log_span = Some(state.log_span.map_or(next, |known| known.min(next)));
        }
    }

    /// The logs matching `filter` that decode as `E`, each with its log (transaction, block…).
    pub async fn events<E: SolEvent>(&self, filter: &Filter) -> Result<Vec<(E, Log)>, Failure> {
        Ok(self
            .logs(filter)
            .await?
            .into_iter()
            .filter_map(|log| E::decode_log_data(&log.inner.data).ok().map(|event| (event, log)))
            .collect())
    }

    /// The chain id the endpoint serves.
    pub async fn chain_id(&self) -> Result<u64, Failure> {
        Ok(self.request::<_, U64>("eth_chainId", NO_PARAMS).await?.to())
    }

    /// An account's ETH balance at the latest block.
    pub async fn balance(&self, account: Address) -> Result<alloy_primitives::U256, Failure> {
        self.request("eth_getBalance", (account, BlockNumberOrTag::Latest)).await
    }

    /// The latest block's number.
    pub async fn block_number(&self) -> Result<u64, Failure> {
        Ok(self.request::<_, U64>("eth_blockNumber", NO_PARAMS).await?.to())
    }

    /// Whether transaction `hash` succeeded, once it has a receipt (`None` before). Only the
    /// receipt's `status` is read: the typed receipt brings every receipt type's decoder into the
    /// first download (pending transactions are watched from the shell's start).
    pub async fn receipt_status(&self, hash: B256) -> Result<Option<bool>, Failure> {
        let receipt: Option<ReceiptStatus> = self.request("eth_getTransactionReceipt", (hash,)).await?;
        // A receipt from before EIP-658 has a state root instead of a status: it was included.
        Ok(receipt.map(|r| r.status.is_none_or(|status| !status.is_zero())))
    }

    /// One JSON-RPC request through the client rather than the provider's typed calls: the shell
    /// and Browse read the chain only through these (chain id, head, balance, logs), and the
    /// provider's call machinery would be most of alloy's code in the page's first download.
    async fn request<P: RpcSend, R: RpcRecv>(&self, method: &'static str, params: P) -> Result<R, Failure> {
        self.send(method, params).await.map_err(|e| self.failure(&e))
    }

    /// [`Rpc::request`] with the transport's error, for the callers that read it.
    async fn send<P: RpcSend, R: RpcRecv>(&self, method: &'static str, params: P) -> Result<R, TransportError> {
        self.provider.client().request(method, params).await
    }

    /// The latest block's number and hash, in one request.
    pub async fn head(&self) -> Result<(u64, B256), Failure> {
        let block = self.block_head(BlockNumberOrTag::Latest).await?;
        let block = block.ok_or_else(|| Failure::Other { detail: "the node has no latest block".to_owned() })?;
        Ok((block.number.to(), block.hash))
    }

    /// The hash of block `number`; `None` when the chain has no such block (any more).
    pub async fn block_hash(&self, number: u64) -> Result<Option<B256>, Failure> {
        Ok(self.block_head(BlockNumberOrTag::Number(number)).await?.map(|b| b.hash))
    }

    /// The timestamp of block `number` (the latest when `None`): "now" for escrow deadlines, which
    /// are block time (anvil's time travel moves it, the browser's clock does not).
    pub async fn block_time(&self, number: Option<u64>) -> Result<u64, Failure> {
        let tag = number.map_or(BlockNumberOrTag::Latest, BlockNumberOrTag::Number);
        Ok(self.block_head(tag).await?.map(|b| b.timestamp.to()).unwrap_or_default())
    }

    /// `eth_getBlockByNumber` without its transactions, read into the three fields used here:
    /// the provider's typed `Block` would bring every transaction type's decoder into the first
    /// download of the page for them.
    async fn block_head(&self, tag: BlockNumberOrTag) -> Result<Option<BlockHead>, Failure> {
        self.provider.client().request("eth_getBlockByNumber", (tag, false)).await.map_err(|e| self.failure(&e))
    }

    /// Calls a view function of `to` at block `at`.
    pub async fn read_at<C: SolCall>(&self, to: Address, call: C, at: BlockId) -> Result<C::Return, Failure> {
        let bytes = self.provider.call(call_request(to, &call)).block(at).await.map_err(|e| self.failure(&e))?;
        decode::<C>(&bytes)
    }

    /// A JSON-RPC batch on this endpoint, its calls at the latest block: add calls with
    /// [`Batch::call`], then [`Batch::send`].
    pub fn batch(&self) -> Batch<'_> {
        self.batch_at(BlockId::latest())
    }

    /// A JSON-RPC batch whose calls all read block `at` (a consistent view across pages).
    pub fn batch_at(&self, at: BlockId) -> Batch<'_> {
        Batch { request: BatchRequest::new(self.provider.client()), rpc: self, at }
    }
}

/// What [`Rpc::receipt_status`] reads of a receipt.
#[derive(Debug, serde::Deserialize)]
struct ReceiptStatus {
    #[serde(default)]
    status: Option<U64>,
}

/// A request without parameters (`[]`, as the provider's own).
const NO_PARAMS: [(); 0] = [];

/// What [`Rpc::block_head`] reads of a block.
#[derive(Debug, serde::Deserialize)]
struct BlockHead {
    number: alloy_primitives::U64,
    hash: B256,
    timestamp: alloy_primitives::U64,
}

/// View calls sent together in one JSON-RPC batch.
pub struct Batch<'a> {
    request: BatchRequest<'a>,
    rpc: &'a Rpc,
    at: BlockId,
}

impl Batch<'_> {
    /// Adds a view call of `to`; its answer is read after [`Batch::send`].
    pub fn call<C: SolCall>(&mut self, to: Address, call: &C) -> Result<BatchedCall<C>, Failure> {
        let request = call_request(to, call);
        let waiter =
            self.request.add_call::<_, Bytes>("eth_call", &(request, self.at)).map_err(|e| self.rpc.failure(&e))?;
        Ok(BatchedCall { waiter, url: self.rpc.url.clone(), _call: std::marker::PhantomData })
    }

    /// Adds an `eth_getLogs`; its logs are read after [`Batch::send`] (queried again in ranges
    /// when the endpoint refuses it as too wide).
    pub fn logs(&mut self, filter: &Filter) -> Result<BatchedLogs, Failure> {
        let waiter =
            self.request.add_call::<_, Vec<Log>>("eth_getLogs", &(filter,)).map_err(|e| self.rpc.failure(&e))?;
        Ok(BatchedLogs { waiter, rpc: self.rpc.clone(), filter: filter.clone() })
    }

    /// Adds an `eth_getBlockByNumber` for block `number`'s timestamp, read after [`Batch::send`].
    pub fn block_time(&mut self, number: u64) -> Result<BatchedBlockTime, Failure> {
        let params = (BlockNumberOrTag::Number(number), false);
        let waiter = self
            .request
            .add_call::<_, Option<BlockHeader>>("eth_getBlockByNumber", &params)
            .map_err(|e| self.rpc.failure(&e))?;
        Ok(BatchedBlockTime { waiter, url: self.rpc.url.clone() })
    }

    pub async fn send(self) -> Result<(), Failure> {
        self.request.send().await.map_err(|e| self.rpc.failure(&e))
    }
}

/// A view call waiting in a [`Batch`]; [`BatchedCall::answer`] decodes it once the batch is sent.
pub struct BatchedCall<C: SolCall> {
    waiter: alloy_rpc_client::Waiter<Bytes>,
    url: String,
    _call: std::marker::PhantomData<C>,
}

impl<C: SolCall> BatchedCall<C> {
    pub async fn answer(self) -> Result<C::Return, Failure> {
        let bytes = self.waiter.await.map_err(|e| failure(&e, &self.url))?;
        decode::<C>(&bytes)
    }
}

/// An `eth_getLogs` waiting in a [`Batch`].
pub struct BatchedLogs {
    waiter: alloy_rpc_client::Waiter<Vec<Log>>,
    rpc: Rpc,
    filter: Filter,
}

impl BatchedLogs {
    pub async fn answer(self) -> Result<Vec<Log>, Failure> {
        match self.waiter.await {
            Ok(logs) => Ok(logs),
            Err(error) if range_refusal(&error).is_some() || self.rpc.log_span().is_some() => {
                if let Some(refusal) = range_refusal(&error) {
                    self.rpc.shrink_log_span(&refusal, span_of(&self.filter, None));
                }
                self.rpc.logs_in_ranges(&self.filter).await
            }
            Err(error) => Err(self.rpc.failure(&error)),
        }
    }
}

/// The endpoint's refusal of a log query as too wide, if that is what `error` is.
fn range_refusal(error: &TransportError) -> Option<RangeRefusal> {
    let RpcError::ErrorResp(payload) = error else { return None };
    let data: Option<serde_json::Value> = payload.data.as_ref().and_then(|raw| serde_json::from_str(raw.get()).ok());
    RangeRefusal::of(&payload.message, data.as_ref())
}

/// How many blocks a filter spans (to `head`, or a very wide guess when it runs to "latest").
fn span_of(filter: &Filter, head: Option<u64>) -> u64 {
    let from = filter.get_from_block().unwrap_or(0);
    let to = filter.get_to_block().or(head).unwrap_or(from.saturating_add(1 << 20));
    to.saturating_sub(from).saturating_add(1)
}

/// The one field of a block that [`Batch::block_time`] reads.
#[derive(Debug, serde::Deserialize)]
struct BlockHeader {
    timestamp: alloy_primitives::U64,
}

/// A block's timestamp waiting in a [`Batch`]; 0 for a block the node doesn't know.
pub struct BatchedBlockTime {
    waiter: alloy_rpc_client::Waiter<Option<BlockHeader>>,
    url: String,
}

impl BatchedBlockTime {
    pub async fn answer(self) -> Result<u64, Failure> {
        let header = self.waiter.await.map_err(|e| failure(&e, &self.url))?;
        Ok(header.map(|h| h.timestamp.to::<u64>()).unwrap_or_default())
    }
}

fn decode<C: SolCall>(bytes: &Bytes) -> Result<C::Return, Failure> {
    C::abi_decode_returns(bytes)
        .map_err(|e| Failure::Other { detail: format!("unexpected answer from the contract ({e})") })
}

/// The marketplace on the configured chain: `AssayMarket` and `AssayModels`, read through [`Rpc`]
/// from the block they were deployed in.
#[derive(Clone)]
pub struct Market {
    /// The app's chain: key derivations are bound to it.
    pub chain_id: u64,
    pub address: Address,
    pub models: Address,
    /// `AssayEvaluations` (attestations of reproduced claims), when this deployment has one.
    pub evaluations: Option<Address>,
    /// `AssayModeration` (stake-backed flags, the only account that may delist), when deployed.
    pub moderation: Option<Address>,
    pub deploy_block: u64,
    pub rpc: Rpc,
}

impl Market {
    /// The market this configuration names, or why there is none.
    pub fn of(config: &RuntimeConfig) -> Result<Market, Failure> {
        let (Some(address), Some(models)) =
            (config.contracts.get("AssayMarket").copied(), config.contracts.get("AssayModels").copied())
        else {
            return Err(Failure::Other { detail: "no marketplace contracts are configured for this network".into() });
        };
        Ok(Market {
            chain_id: config.chain_id,
            address,
            models,
            evaluations: config.contracts.get("AssayEvaluations").copied(),
            moderation: config.contracts.get("AssayModeration").copied(),
            deploy_block: config.deploy_block,
            rpc: Rpc::of(config),
        })
    }

    /// Sets the session's market (or why this network has none), read by every page through
    /// [`Market::session`].
    pub fn provide(config: &RuntimeConfig) -> Result<Market, Failure> {
        let market = Market::of(config);
        SESSION.with(|session| *session.borrow_mut() = Some(market.clone()));
        market
    }

    /// The session's market. A plain value, not a Leptos context: it is read inside spawned tasks
    /// and after awaits, where no reactive owner (and so no context) is current.
    pub fn session() -> Result<Market, Failure> {
        SESSION.with(|session| session.borrow().clone()).unwrap_or_else(|| {
            Err(Failure::Other { detail: "the app's network configuration is not loaded yet".into() })
        })
    }

    /// Calls a view function of the market.
    pub async fn read<C: SolCall>(&self, call: C) -> Result<C::Return, Failure> {
        self.rpc.read(self.address, call).await
    }

    /// A filter on the market's `E` events since its deployment.
    pub fn filter<E: SolEvent>(&self) -> Filter {
        Filter::new().address(self.address).event_signature(E::SIGNATURE_HASH).from_block(self.deploy_block)
    }

    /// The market's `E` events matching `filter` (built from [`Market::filter`]).
    pub async fn events<E: SolEvent>(&self, filter: &Filter) -> Result<Vec<(E, Log)>, Failure> {
        self.rpc.events(filter).await
    }
}

thread_local! {
    /// The market of the configuration the app started with ([`Market::provide`]).
    static SESSION: std::cell::RefCell<Option<Result<Market, Failure>>> = const { std::cell::RefCell::new(None) };
}

/// The transaction a log was emitted in (zero when the node left it out).
pub fn tx_of(log: &Log) -> B256 {
    log.transaction_hash.unwrap_or_default()
}
