//! The indexer (`indexer/`, Ponder on Node 22) as a service of the stack: started after the
//! contracts are deployed, on the deployment's own `config.json`, with embedded PGlite in a data
//! folder of its own (or a Postgres database), on a free port; ready once Ponder's `/ready` says
//! its backfill is done; stopped with the stack.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use assay_core::config::RuntimeConfig;

use crate::http;
use crate::paths::Paths;
use crate::process::{self, Result, Service};

#[cfg(test)]
pub mod agreement;
#[cfg(test)]
mod postgres;
#[cfg(test)]
mod tests;

/// The database schema the indexer writes: one name, so a restart on the same database resumes.
pub const SCHEMA: &str = "assay";

/// Where the indexer keeps its tables.
#[derive(Clone, Debug)]
pub enum Database {
    /// Embedded PGlite in this folder.
    Pglite(PathBuf),
    /// A Postgres connection string (`DATABASE_URL`): the tests' Postgres mode.
    #[cfg(test)]
    Postgres(String),
}

/// How to start an indexer: its files and where it listens.
#[derive(Clone, Debug)]
pub struct Setup {
    /// The deployment's configuration as the app gets it, written here for the indexer.
    pub config_file: PathBuf,
    pub database: Database,
    pub port: u16,
    pub log: PathBuf,
    /// `ponder serve`: answers queries from the database another instance writes, indexes nothing.
    pub serve_only: bool,
}

/// A running indexer. Dropping it stops it.
pub struct Indexer {
    pub service: Service,
    pub setup: Setup,
}

impl Indexer {
    /// Writes `config` for the indexer into `folder` and starts it there with PGlite on a free port.
    pub fn start_beside(paths: &Paths, config: &RuntimeConfig, folder: &Path, log: &Path) -> Result<Self> {
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        let config_file = folder.join("config.json");
        std::fs::write(&config_file, config.to_json_pretty()).map_err(|e| e.to_string())?;
        let setup = Setup {
            config_file,
            database: Database::Pglite(folder.join("pglite")),
            port: process::free_port()?,
            log: log.to_owned(),
            serve_only: false,
        };
        Self::start(paths, setup)
    }

    /// Starts `ponder start` (or `ponder serve`) with `setup` and waits until its backfill is done.
    pub fn start(paths: &Paths, setup: Setup) -> Result<Self> {
        let command_name = if setup.serve_only { "serve" } else { "start" };
        println!("Starting the indexer ({command_name}) on 127.0.0.1:{} (log: {})", setup.port, setup.log.display());
        let indexer = paths.root.join("indexer");
        let mut command = Command::new(paths.node22());
        command
            .arg(indexer.join("node_modules/ponder/dist/esm/bin/ponder.js"))
            .args([command_name, "--schema", SCHEMA, "--hostname", "127.0.0.1", "--port", &setup.port.to_string()])
            .current_dir(&indexer)
            .env("ASSAY_CONFIG", &setup.config_file)
            .env("ASSAY_CONTRACTS_OUT", paths.contracts().join("out"))
            .env("PATH", node_first(paths))
            .env("NO_COLOR", "1")
            .env_remove("DATABASE_URL")
            .env_remove("DATABASE_SCHEMA");
        match &setup.database {
            Database::Pglite(dir) => command.env("ASSAY_INDEXER_DATA", dir),
            #[cfg(test)]
            Database::Postgres(url) => command.env("DATABASE_URL", url),
        };
        let service = Service::start("indexer", &mut command, &setup.log)?;
        let mut indexer = Self { service, setup };
        indexer.wait_ready(Duration::from_secs(180))?;
        Ok(indexer)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.setup.port)
    }

    /// Waits for `/ready` (the backfill done, live indexing started).
    fn wait_ready(&mut self, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.service.exited() {
                return Err(format!("the indexer exited ({status}); see {}", self.setup.log.display()));
            }
            if http::get(self.setup.port, "/ready").is_ok_and(|a| a.status == 200) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("the indexer was not ready within {timeout:?}; see {}", self.setup.log.display()));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The block the indexer has indexed up to (Ponder's `/status`).
    #[cfg(test)]
    pub fn indexed_block(&self) -> Result<u64> {
        let status = http::get(self.setup.port, "/status")?.json()?;
        indexed_block_of(&status)
    }

    /// Waits until the indexer has indexed `block` (e.g. the chain's head after a transaction).
    #[cfg(test)]
    pub fn wait_for_block(&mut self, block: u64, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.service.exited() {
                return Err(format!("the indexer exited ({status}); see {}", self.setup.log.display()));
            }
            if self.indexed_block().is_ok_and(|b| b >= block) {
                return Ok(());
            }
            if Instant::now() > deadline {
                let at = self.indexed_block().map_or_else(|e| e, |b| b.to_string());
                return Err(format!("the indexer did not reach block {block} within {timeout:?} (at {at})"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A JSON answer of the indexer's API (`path` with its query string); non-2xx is an error.
    #[cfg(test)]
    pub fn get_json(&self, path: &str) -> Result<serde_json::Value> {
        let answer = http::get(self.setup.port, path)?;
        if !(200..300).contains(&answer.status) {
            return Err(format!("GET {path} answered {}: {:.300}", answer.status, answer.text()));
        }
        answer.json()
    }
}

/// PATH with Node 22 first, for anything Ponder starts by name.
fn node_first(paths: &Paths) -> std::ffi::OsString {
    let node_bin = paths.node22().parent().map(Path::to_path_buf).unwrap_or_default();
    let mut parts = vec![node_bin];
    parts.extend(std::env::split_paths(&paths.tool_path()));
    std::env::join_paths(parts).expect("PATH entries have no separator")
}

/// The indexed block in Ponder's `/status` answer: `{"<chain>": {"id": n, "block": {"number": n, …}}}`.
#[cfg(test)]
fn indexed_block_of(status: &serde_json::Value) -> Result<u64> {
    status
        .as_object()
        .and_then(|chains| chains.values().next())
        .and_then(|chain| chain["block"]["number"].as_u64())
        .ok_or_else(|| format!("the indexer's /status names no block: {status:.200}"))
}

#[cfg(test)]
mod status_tests {
    use serde_json::json;

    use super::indexed_block_of;

    #[test]
    fn the_status_gives_the_indexed_block() {
        let status = json!({ "assay": { "id": 31337, "block": { "number": 42, "timestamp": 1_700_000_000 } } });
        assert_eq!(indexed_block_of(&status).unwrap(), 42);
        assert!(indexed_block_of(&json!({})).unwrap_err().contains("names no block"));
    }
}
