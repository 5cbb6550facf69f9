//! The indexer (`indexer/`, Ponder), when the configuration names one: its indexed block and
//! Browse's pages. Every request has a deadline (`indexer::TIMEOUT`): a slow or stopped indexer becomes an
//! error the page falls back from, never a hang. Nothing read here decides a payment or a key
//! (`assay_core::indexer`).

use alloy_primitives::{Address, U256};
use alloy_rpc_types_eth::Filter;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::ModelSummary;
use assay_core::failure::Failure;
use assay_core::indexer::{self, ChainReason, Freshness, IndexedPage, TIMEOUT};
use gloo_net::http::Request;

use super::{Market, reverts};
use crate::early::{self, Age, Answer};

/// The configured indexer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Indexer {
    base: String,
}

impl Indexer {
    pub fn from_config(config: &RuntimeConfig) -> Option<Self> {
        config.indexer_url.as_ref().map(|url| Self { base: url.trim_end_matches('/').to_owned() })
    }

    async fn get(&self, path: &str) -> Result<String, String> {
        let url = format!("{}{path}", self.base);
        // Sent by the page's start script while the wasm loaded (`app/early.js`), if it was.
        let answer = match early::take(&url, Age::Fresh) {
            Some(answer) => answer.await,
            None => ask(&url).await,
        };
        match answer {
            Answer::Ok(text) => Ok(text),
            Answer::Status(status, words) => Err(format!("it answered {status} {words}")),
            Answer::Failed(why) => Err(why),
        }
    }

    /// The last block the indexer has indexed.
    pub async fn indexed_block(&self) -> Result<u64, String> {
        indexer::indexed_block(&self.get(indexer::STATUS_PATH).await?)
    }

    /// The first `limit` listings matching `query`, in its order.
    pub async fn page(&self, params: &[(&'static str, String)]) -> Result<IndexedPage, String> {
        indexer::read_page(&self.get(&indexer::models_path(params)).await?)
    }
}

/// A GET of `url`, given up after [`TIMEOUT`].
async fn ask(url: &str) -> Answer {
    let Ok(controller) = web_sys::AbortController::new() else {
        return Answer::Failed("the browser can't abort a request".to_owned());
    };
    let signal = controller.signal();
    let abort = controller.clone();
    let timer = gloo_timers::callback::Timeout::new(TIMEOUT.as_millis() as u32, move || abort.abort());
    let result = Request::get(url).abort_signal(Some(&signal)).send().await;
    drop(timer);
    let response = match result {
        Ok(response) => response,
        Err(_) if signal.aborted() => return Answer::Failed(indexer::no_answer()),
        Err(e) => return Answer::Failed(e.to_string()),
    };
    if !response.ok() {
        return Answer::Status(response.status(), response.status_text());
    }
    match response.text().await {
        Ok(text) => Answer::Ok(text),
        Err(e) => Answer::Failed(e.to_string()),
    }
}

/// The chain could not be asked whether the indexer is fresh: why, in words.
async fn unreachable(failure: Failure) -> ChainReason {
    ChainReason::Unreachable(reverts::explain(&failure).await)
}

/// The indexer, when configured, answering and fresh: within a few blocks of the chain, or
/// further behind only by blocks without a single event of the contracts (empty blocks, other
/// contracts' — the indexer's checkpoint moves with the events it indexes), checked with one
/// `eth_getLogs` over the blocks it hasn't seen.
pub async fn fresh(config: &RuntimeConfig) -> Result<Indexer, ChainReason> {
    let Some(indexer) = Indexer::from_config(config) else { return Err(ChainReason::NotConfigured) };
    let market = match Market::session() {
        Ok(market) => market,
        Err(failure) => return Err(unreachable(failure).await),
    };
    // The indexer's block and the chain's head, asked together.
    let (indexed, head) = futures::join!(indexer.indexed_block(), market.rpc.block_number());
    let indexed = indexed.map_err(ChainReason::Unreachable)?;
    let head = match head {
        Ok(head) => head,
        Err(failure) => return Err(unreachable(failure).await),
    };
    match indexer::freshness(indexed, head) {
        Freshness::Fresh { .. } => Ok(indexer),
        Freshness::Lagging { behind } => {
            let contracts: Vec<_> = [Some(market.address), Some(market.models), market.moderation, market.evaluations]
                .into_iter()
                .flatten()
                .collect();
            let unseen = Filter::new().address(contracts).from_block(indexed + 1).to_block(head);
            let logs = match market.rpc.logs(&unseen).await {
                Ok(logs) => logs,
                Err(failure) => return Err(unreachable(failure).await),
            };
            match indexer::confirmed(Freshness::Lagging { behind }, logs.len()) {
                Freshness::Fresh { .. } => Ok(indexer),
                Freshness::Lagging { behind } => Err(ChainReason::Lagging { behind }),
            }
        }
    }
}

impl Indexer {
    /// The models listed with `id` as a parent.
    pub async fn children(&self, id: U256) -> Result<Vec<U256>, String> {
        indexer::read_children(&self.get(&format!("/api/models/{id}/lineage")).await?)
    }

    /// The listings by other creators built on `creator`'s (one request).
    pub async fn built_on(&self, creator: Address) -> Result<Vec<(U256, Address)>, String> {
        indexer::read_built_on(&self.get(&format!("/api/creators/{creator}/built-on")).await?)
    }

    /// Every listing (delisted ones too) whose `role` (`creator` or `owner`) is `account`, oldest
    /// first, in pages of [`indexer::MAX_PAGE`].
    pub async fn models_of(&self, role: &'static str, account: Address) -> Result<Vec<ModelSummary>, String> {
        let mut models = Vec::new();
        loop {
            let params = [
                ("offset", models.len().to_string()),
                ("limit", indexer::MAX_PAGE.to_string()),
                ("sort", "oldest".to_owned()),
                ("delisted", "include".to_owned()),
                (role, account.to_string()),
            ];
            let page = self.page(&params).await?;
            let got = page.models.len();
            models.extend(page.models);
            // A short page is the last; so is reaching an exact total.
            if got < indexer::MAX_PAGE || (page.total.is_exact() && models.len() as u64 >= page.total.count()) {
                return Ok(models);
            }
        }
    }
}
